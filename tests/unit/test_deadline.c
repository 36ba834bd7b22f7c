/* test_deadline.c - update and resolution deadlines, and their warnings, in the owning team's working time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glib.h>

#include "config.h"
#include "deadline.h"

static const char *conf_text =
    "intake = support@introserv.com email 2m\n"
    "team = support 1 support-team@introserv.com\n"
    "team = billing 2 billing@introserv.com\n"
    "calendar = billing Europe/Amsterdam Mon-Fri 09:00-18:00\n"
    "holiday = billing 2027-12-24\n"
    "team = datacenter 2 dc@introserv.com\n"
    "calendar = datacenter Europe/Amsterdam Mon-Fri 08:00-17:00\n"
    "calendar = datacenter America/New_York Mon-Fri 08:00-17:00\n"
    "team = sysadmins 3 sysadmins@introserv.com\n"
    "calendar = sysadmins Europe/Amsterdam Mon-Fri 08:00-22:00\n";

static int64_t utc(const char *iso)
{
    GDateTime *d = g_date_time_new_from_iso8601(iso, NULL);
    assert_non_null(d);
    int64_t t = g_date_time_to_unix(d);
    g_date_time_unref(d);
    return t;
}

static sg_config *conf(void)
{
    char *err = NULL;
    sg_config *c = sg_config_parse(conf_text, "test.conf", &err);
    if (!c)
        fail_msg("%s", err);
    return c;
}

static sg_deadline_out compute(const sg_config *c, const char *team, const char *category, const char *status,
                               const char *created, const char *escalated)
{
    sg_deadline_in in = { .team = sg_config_team_find(c, team), .category = category, .status = status,
                          .created = utc(created), .escalated = escalated ? utc(escalated) : 0 };
    sg_deadline_out out;
    sg_deadline_compute(c, &in, &out);
    return out;
}

/* A simple billing request on Friday at 17:30 CET fits in Friday's last half hour and warns at 17:54; a
 * two-hour standard one runs into Monday and warns there (80 % = 96 working minutes), not at the weekend. */
static void warnings_count_working_time(void **state)
{
    (void)state;
    sg_config *c = conf();
    sg_deadline_out o = compute(c, "billing", "simple", "new", "2026-11-27T17:30:00+01:00", NULL);
    assert_int_equal(o.resolution, utc("2026-11-27T18:00:00+01:00"));
    assert_int_equal(o.warn_resolution, utc("2026-11-27T17:54:00+01:00"));
    o = compute(c, "billing", "standard", "new", "2026-11-27T17:30:00+01:00", NULL);
    assert_int_equal(o.resolution, utc("2026-11-30T10:30:00+01:00"));
    assert_int_equal(o.warn_resolution, utc("2026-11-30T10:06:00+01:00"));
    /* The update interval (2 h) runs the same way from the creation while nothing was sent. */
    assert_int_equal(o.update, utc("2026-11-30T10:30:00+01:00"));
    assert_int_equal(o.warn_update, utc("2026-11-30T10:06:00+01:00"));
    sg_config_unref(c);
}

/* Around the clock the warning is plain time. */
static void first_line_warns_in_plain_time(void **state)
{
    (void)state;
    sg_config *c = conf();
    sg_deadline_out o = compute(c, "support", "standard", "open", "2026-11-28T23:00:00+01:00", NULL);
    assert_int_equal(o.resolution, utc("2026-11-29T01:00:00+01:00"));
    assert_int_equal(o.warn_resolution, utc("2026-11-29T00:36:00+01:00"));
    sg_config_unref(c);
}

/* Escalated on Friday at 17:55 CET to billing: the new team's 30 minutes run from the escalation, 5 on
 * Friday and 25 on Monday; the customer's next update is due 2 working hours after the escalation notice. */
static void escalation_restarts_the_resolution_clock(void **state)
{
    (void)state;
    sg_config *c = conf();
    sg_deadline_out o = compute(c, "billing", "simple", "open", "2026-11-27T10:00:00+01:00",
                                "2026-11-27T17:55:00+01:00");
    assert_int_equal(o.resolution, utc("2026-11-30T09:25:00+01:00"));
    assert_int_equal(o.update, utc("2026-11-30T10:55:00+01:00"));
    assert_int_equal(o.warn_resolution, utc("2026-11-30T09:19:00+01:00"));
    sg_config_unref(c);
}

/* Across the end of summer time (31 October 2027) Monday's 09:00 is CET again; a holiday is skipped. */
static void dst_and_holidays(void **state)
{
    (void)state;
    sg_config *c = conf();
    sg_deadline_out o = compute(c, "billing", "simple", "open", "2027-10-29T10:00:00+02:00",
                                "2027-10-29T17:55:00+02:00");
    assert_int_equal(o.resolution, utc("2027-11-01T09:25:00+01:00"));
    o = compute(c, "billing", "simple", "open", "2027-12-23T10:00:00+01:00", "2027-12-23T17:55:00+01:00");
    assert_int_equal(o.resolution, utc("2027-12-27T09:25:00+01:00"));
    sg_config_unref(c);
}

/* Complex: the end of the team's next business day, with its warning at 80 % of the working time to it. */
static void complex_is_due_next_business_day(void **state)
{
    (void)state;
    sg_config *c = conf();
    sg_deadline_out o = compute(c, "sysadmins", "complex", "new", "2026-11-27T15:00:00+01:00", NULL);
    assert_int_equal(o.resolution, utc("2026-11-30T22:00:00+01:00"));
    /* 7 h on Friday + 14 h on Monday = 21 h; 80 % = 16 h 48 min: 7 h Friday, 9 h 48 min Monday. */
    assert_int_equal(o.warn_resolution, utc("2026-11-30T17:48:00+01:00"));
    sg_config_unref(c);
}

/* Pending on the customer, resolved and closed tickets run no clocks and warn of nothing. */
static void stopped_clocks_warn_of_nothing(void **state)
{
    (void)state;
    sg_config *c = conf();
    static const char *const stopped[] = { "pending", "resolved", "closed" };
    for (size_t i = 0; i < G_N_ELEMENTS(stopped); i++) {
        sg_deadline_out o = compute(c, "billing", "simple", stopped[i], "2026-11-27T10:00:00+01:00", NULL);
        assert_int_equal(o.update + o.resolution + o.warn_update + o.warn_resolution, 0);
    }
    sg_config_unref(c);
}

/* The data centres: the earliest site decides (New York still works after Amsterdam's 17:00). */
static void datacentre_earliest_site(void **state)
{
    (void)state;
    sg_config *c = conf();
    sg_deadline_out o = compute(c, "datacenter", "simple", "open", "2026-11-25T16:50:00+01:00", NULL);
    /* Amsterdam: 10 min today, 20 min tomorrow from 08:00; New York (10:50 EST): 30 min straight away. */
    assert_int_equal(o.resolution, utc("2026-11-25T17:20:00+01:00"));
    sg_config_unref(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(warnings_count_working_time),
        cmocka_unit_test(first_line_warns_in_plain_time),
        cmocka_unit_test(escalation_restarts_the_resolution_clock),
        cmocka_unit_test(dst_and_holidays),
        cmocka_unit_test(complex_is_due_next_business_day),
        cmocka_unit_test(stopped_clocks_warn_of_nothing),
        cmocka_unit_test(datacentre_earliest_site),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
