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

static sg_time utc(const char *iso)
{
    GDateTime *d = g_date_time_new_from_iso8601(iso, NULL);
    assert_non_null(d);
    sg_time t = g_date_time_to_unix(d);
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
    sg_deadline_in in = { .team = sg_config_team_find(c, team), .category = sg_category_parse(category),
                          .status = sg_status_parse(status),
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

/* One change to a ticket at NOW, as the database layer makes it: the pause, the deadlines, the measurements. */
static sg_deadline_out change(const sg_config *c, sg_deadline_in *in, const char *status, sg_time now,
                              sg_time *pending_since, sg_deadline_times *m)
{
    in->status = sg_status_parse(status);
    sg_deadline_pause(in, now, pending_since);
    sg_deadline_out out;
    sg_deadline_compute(c, in, &out);
    sg_deadline_measure(in, &out, now, 0, m);
    return out;
}

/* A simple billing request from Friday 10:00 CET goes pending at 10:10 and the customer answers on Monday at
 * 10:00: the 7 h 50 min of Friday and the hour of Monday spent waiting on them do not count.  Its 20 minutes
 * left run to 10:20, and the next update is due 2 working hours after it left pending. */
static void pending_stops_the_clocks(void **state)
{
    (void)state;
    sg_config *c = conf();
    sg_deadline_in in = { .team = sg_config_team_find(c, "billing"), .category = SG_CATEGORY_SIMPLE,
                          .created = utc("2026-11-27T10:00:00+01:00") };
    sg_deadline_times m = { .update_longest = -1, .resolution = -1 };
    sg_time pending = 0;
    sg_deadline_out o = change(c, &in, "open", in.created, &pending, &m);
    assert_int_equal(o.resolution, utc("2026-11-27T10:30:00+01:00"));
    o = change(c, &in, "pending", utc("2026-11-27T10:10:00+01:00"), &pending, &m);
    assert_int_equal(pending, utc("2026-11-27T10:10:00+01:00"));
    assert_int_equal(o.update + o.resolution, 0);
    o = change(c, &in, "open", utc("2026-11-30T10:00:00+01:00"), &pending, &m);
    assert_int_equal(pending, 0);
    assert_int_equal(in.paused, 7 * 3600 + 50 * 60 + 3600);
    assert_int_equal(in.resumed, utc("2026-11-30T10:00:00+01:00"));
    assert_int_equal(o.resolution, utc("2026-11-30T10:20:00+01:00"));
    assert_int_equal(o.update, utc("2026-11-30T12:00:00+01:00"));
    /* 80 % of the 30 minutes: 10 before the pause and 14 after it, not at once. */
    assert_int_equal(o.warn_resolution, utc("2026-11-30T10:14:00+01:00"));
    /* A second pause adds to the first; another change while open moves nothing. */
    change(c, &in, "pending", utc("2026-11-30T10:05:00+01:00"), &pending, &m);
    o = change(c, &in, "open", utc("2026-11-30T10:35:00+01:00"), &pending, &m);
    assert_int_equal(o.resolution, utc("2026-11-30T10:50:00+01:00"));
    o = change(c, &in, "open", utc("2026-11-30T10:40:00+01:00"), &pending, &m);
    assert_int_equal(o.resolution, utc("2026-11-30T10:50:00+01:00"));
    assert_int_equal(o.update, utc("2026-11-30T12:35:00+01:00"));
    sg_config_unref(c);
}

/* Pending since Thursday, escalated to the system administrators on Friday at 15:00, answered at 16:00: only
 * the hour since the escalation counts as the new team's pause.  An agreed #eta is never moved. */
static void pending_moves_complex_not_eta(void **state)
{
    (void)state;
    sg_config *c = conf();
    sg_deadline_in in = { .team = sg_config_team_find(c, "sysadmins"), .category = SG_CATEGORY_COMPLEX,
                          .created = utc("2026-11-26T09:00:00+01:00"), .escalated = utc("2026-11-27T15:00:00+01:00") };
    sg_time pending = utc("2026-11-26T12:00:00+01:00");
    in.status = SG_STATUS_OPEN;
    sg_deadline_pause(&in, utc("2026-11-27T16:00:00+01:00"), &pending);
    assert_int_equal(in.paused, 3600);
    sg_deadline_out o;
    sg_deadline_compute(c, &in, &o);
    /* Monday 22:00, the end of the next business day, plus the hour pending: Tuesday 09:00. */
    assert_int_equal(o.resolution, utc("2026-12-01T09:00:00+01:00"));
    in.category = SG_CATEGORY_CUSTOM;
    in.eta = utc("2026-12-01T12:00:00+01:00");
    sg_deadline_compute(c, &in, &o);
    assert_int_equal(o.resolution, in.eta);
    sg_config_unref(c);
}

/* What the report shows: the longest wait for news and the time to resolution, without the time pending. */
static void measures_leave_out_pending(void **state)
{
    (void)state;
    sg_config *c = conf();
    sg_time t0 = utc("2026-11-28T12:00:00+01:00"), pending = 0;
    sg_deadline_in in = { .team = sg_config_team_find(c, "support"), .category = SG_CATEGORY_STANDARD,
                          .created = t0 };
    sg_deadline_times m = { .update_longest = -1, .resolution = -1 };
    change(c, &in, "new", t0, &pending, &m);
    assert_int_equal(m.update_since, t0);
    assert_int_equal(m.update_longest, -1);
    in.last_update = t0 + 1800;                        /* the first reply */
    change(c, &in, "open", t0 + 1800, &pending, &m);
    assert_int_equal(m.update_longest, 1800);
    in.last_update = t0 + 3600;                        /* a question to the customer, pending */
    change(c, &in, "pending", t0 + 3600, &pending, &m);
    assert_int_equal(m.update_since, 0);
    assert_int_equal(m.update_longest, 1800);
    change(c, &in, "open", t0 + 5 * 3600, &pending, &m);  /* the customer answers */
    assert_int_equal(m.update_since, t0 + 5 * 3600);
    in.last_update = t0 + 6 * 3600;                    /* resolved an hour later */
    change(c, &in, "resolved", t0 + 6 * 3600, &pending, &m);
    assert_int_equal(m.update_longest, 3600);
    assert_int_equal(m.resolution, 2 * 3600);
    change(c, &in, "open", t0 + 7 * 3600, &pending, &m);  /* reopened: not resolved any more */
    assert_int_equal(m.resolution, -1);
    /* Working time at two sites: the one that worked longest (New York, 16:50-17:20 CET = 10:50-11:20 EST). */
    assert_int_equal(sg_deadline_work(sg_config_team_find(c, "datacenter"), utc("2026-11-25T16:50:00+01:00"),
                                      utc("2026-11-25T17:20:00+01:00")), 1800);
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
        cmocka_unit_test(pending_stops_the_clocks),
        cmocka_unit_test(pending_moves_complex_not_eta),
        cmocka_unit_test(measures_leave_out_pending),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
