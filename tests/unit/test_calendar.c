/* test_calendar.c - working hours in teams' own zones: weekends, holidays, DST and midnight. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glib.h>

#include "calendar.h"

static sg_time utc(const char *iso)
{
    GDateTime *d = g_date_time_new_from_iso8601(iso, NULL);
    assert_non_null(d);
    sg_time t = g_date_time_to_unix(d);
    g_date_time_unref(d);
    return t;
}

static sg_calendar *cal(const char *spec)
{
    char *err = NULL;
    sg_calendar *c = sg_calendar_parse(spec, &err);
    if (!c)
        fail_msg("%s", err);
    return c;
}

static void billing_escalation_on_friday_evening_lands_on_monday(void **state)
{
    (void)state;
    sg_calendar *c = cal("Europe/Amsterdam Mon-Fri 09:00-18:00");
    /* Friday 17:55 CET + 30 working minutes: 5 on Friday, 25 on Monday from 09:00. */
    assert_int_equal(sg_calendar_add(c, utc("2026-11-27T17:55:00+01:00"), 1800), utc("2026-11-30T09:25:00+01:00"));
    assert_true(sg_calendar_on_shift(c, utc("2026-11-27T17:55:00+01:00")));
    assert_false(sg_calendar_on_shift(c, utc("2026-11-27T18:00:00+01:00")));
    sg_calendar_free(c);
}

static void saturday_waits_for_the_next_shift(void **state)
{
    (void)state;
    sg_calendar *c = cal("Europe/Amsterdam Mon-Fri 09:00-18:00");
    assert_false(sg_calendar_on_shift(c, utc("2026-11-28T10:00:00+01:00")));
    assert_int_equal(sg_calendar_next_start(c, utc("2026-11-28T10:00:00+01:00")), utc("2026-11-30T09:00:00+01:00"));
    assert_int_equal(sg_calendar_next_start(c, utc("2026-11-30T10:00:00+01:00")), utc("2026-11-30T10:00:00+01:00"));
    sg_calendar_free(c);
}

static void dst_change_keeps_local_hours(void **state)
{
    (void)state;
    sg_calendar *c = cal("Europe/Amsterdam Mon-Fri 09:00-18:00");
    /* Clocks go forward on Sunday 29 March 2026: Monday opens at 09:00 CEST = 07:00 UTC. */
    assert_int_equal(sg_calendar_add(c, utc("2026-03-27T17:00:00+01:00"), 7200), utc("2026-03-30T10:00:00+02:00"));
    assert_int_equal(sg_calendar_next_start(c, utc("2026-10-24T12:00:00+02:00")), utc("2026-10-26T09:00:00+01:00"));
    sg_calendar_free(c);
}

static void holidays_are_skipped(void **state)
{
    (void)state;
    sg_calendar *c = cal("Europe/Amsterdam Mon-Fri 09:00-18:00");
    assert_int_equal(sg_calendar_add_holiday(c, "2026-12-25"), 0);
    assert_int_equal(sg_calendar_add_holiday(c, "2026-02-30"), -1);
    assert_int_equal(sg_calendar_add(c, utc("2026-12-24T17:30:00+01:00"), 3600), utc("2026-12-28T09:30:00+01:00"));
    assert_false(sg_calendar_on_shift(c, utc("2026-12-25T10:00:00+01:00")));
    sg_calendar_free(c);
}

static void datacentre_in_its_own_zone(void **state)
{
    (void)state;
    sg_calendar *c = cal("Asia/Singapore Mon-Fri 08:00-17:00");
    assert_true(sg_calendar_on_shift(c, utc("2026-11-25T02:00:00Z")));   /* 10:00 in Singapore */
    assert_false(sg_calendar_on_shift(c, utc("2026-11-25T10:00:00Z")));  /* 18:00 there */
    assert_int_equal(sg_calendar_next_start(c, utc("2026-11-25T10:00:00Z")), utc("2026-11-26T08:00:00+08:00"));
    sg_calendar_free(c);
}

static void always_open_and_midnight_spans(void **state)
{
    (void)state;
    sg_calendar *c = cal("24/7");
    assert_int_equal(sg_calendar_add(c, 1000, 600), 1600);
    assert_true(sg_calendar_on_shift(c, 0));
    assert_string_equal(sg_calendar_describe(c), "24/7");
    sg_calendar_free(c);
    c = cal("Europe/Kyiv Mon-Sun 00:00-24:00");
    assert_int_equal(sg_calendar_add(c, utc("2026-11-25T23:50:00+02:00"), 1200), utc("2026-11-26T00:10:00+02:00"));
    sg_calendar_free(c);
}

static void working_time_between_two_moments(void **state)
{
    (void)state;
    sg_calendar *c = cal("Europe/Amsterdam Mon-Fri 08:00-22:00");
    assert_int_equal(sg_calendar_between(c, utc("2026-11-27T21:00:00+01:00"), utc("2026-11-30T09:00:00+01:00")),
                     2 * 3600);
    assert_int_equal(sg_calendar_between(c, 10, 5), 0);
    sg_calendar_free(c);
}

static void next_business_day_skips_the_weekend(void **state)
{
    (void)state;
    sg_calendar *c = cal("Europe/Amsterdam Mon-Fri 08:00-22:00");
    assert_int_equal(sg_calendar_next_day_end(c, utc("2026-11-27T15:00:00+01:00")), utc("2026-11-30T22:00:00+01:00"));
    assert_int_equal(sg_calendar_next_day_end(c, utc("2026-11-25T09:00:00+01:00")), utc("2026-11-26T22:00:00+01:00"));
    sg_calendar_free(c);
}

static void digest_periods_end_on_the_hour_and_at_local_report_time(void **state)
{
    (void)state;
    assert_int_equal(sg_period_end(utc("2026-11-25T06:49:10Z"), 3600, -1, NULL), utc("2026-11-25T06:00:00Z"));
    assert_int_equal(sg_period_end(utc("2026-11-25T09:00:00+01:00"), 86400, 8 * 60, "Europe/Amsterdam"),
                     utc("2026-11-25T08:00:00+01:00"));
    assert_int_equal(sg_period_end(utc("2026-11-25T07:59:00+01:00"), 86400, 8 * 60, "Europe/Amsterdam"),
                     utc("2026-11-24T08:00:00+01:00"));
    /* Across the spring DST change the report stays at 08:00 local time. */
    assert_int_equal(sg_period_end(utc("2026-03-29T12:00:00+02:00"), 86400, 8 * 60, "Europe/Amsterdam"),
                     utc("2026-03-29T08:00:00+02:00"));
    assert_int_equal(sg_period_end(100, 86400, 0, "Mars/Base"), 0);
}

static void bad_specifications_are_refused(void **state)
{
    (void)state;
    const char *bad[] = { "Mars/Base Mon-Fri 09:00-18:00", "Europe/Amsterdam Mon-Fry 09:00-18:00",
                          "Europe/Amsterdam Mon-Fri 18:00-09:00", "Europe/Amsterdam Mon-Fri 9-18", "", "always" };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        char *err = NULL;
        assert_null(sg_calendar_parse(bad[i], &err));
        assert_non_null(err);
        g_free(err);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(billing_escalation_on_friday_evening_lands_on_monday),
        cmocka_unit_test(saturday_waits_for_the_next_shift),
        cmocka_unit_test(dst_change_keeps_local_hours),
        cmocka_unit_test(holidays_are_skipped),
        cmocka_unit_test(datacentre_in_its_own_zone),
        cmocka_unit_test(always_open_and_midnight_spans),
        cmocka_unit_test(working_time_between_two_moments),
        cmocka_unit_test(next_business_day_skips_the_weekend),
        cmocka_unit_test(digest_periods_end_on_the_hour_and_at_local_report_time),
        cmocka_unit_test(bad_specifications_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
