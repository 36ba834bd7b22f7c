/* test_owner.c - who is told of a ticket's deadlines, and when the first line is reminded while the owning team is away. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glib.h>

#include "config.h"
#include "owner.h"

static const char *conf_text =
    "intake = support@introserv.com email 2m\n"
    "team = support 1 support-team@introserv.com\n"
    "team = billing 2 billing@introserv.com\n"
    "calendar = billing Europe/Amsterdam Mon-Fri 09:00-18:00\n"
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

/* On shift the assignee hears at once; no one named, the team's mailbox does. */
static void assignee_at_work_hears_at_once(void **state)
{
    (void)state;
    sg_config *c = conf();
    const sg_team *sys = sg_config_team_find(c, "sysadmins");
    int64_t tue = utc("2026-12-01T10:00:00+01:00");
    sg_owner o = sg_owner_pick(sys, "taras@introserv.com", sys, tue);
    assert_string_equal(o.to, "taras@introserv.com");
    assert_int_equal(o.not_before, 0);
    o = sg_owner_pick(sys, "", NULL, tue);
    assert_string_equal(o.to, "sysadmins@introserv.com");
    assert_int_equal(o.not_before, 0);
    sg_config_unref(c);
}

/* Off shift the warning waits for the team's next shift in its mailbox, not in the assignee's own. */
static void off_shift_the_team_mailbox_on_its_shift(void **state)
{
    (void)state;
    sg_config *c = conf();
    const sg_team *sys = sg_config_team_find(c, "sysadmins");
    sg_owner o = sg_owner_pick(sys, "taras@introserv.com", sys, utc("2026-12-04T23:30:00+01:00"));
    assert_string_equal(o.to, "sysadmins@introserv.com");
    assert_int_equal(o.not_before, utc("2026-12-07T08:00:00+01:00"));
    /* An assignee of the 24/7 first line is at work whenever. */
    const sg_team *sup = sg_config_team_find(c, "support");
    o = sg_owner_pick(sup, "iryna@introserv.com", sup, utc("2026-12-05T03:00:00+01:00"));
    assert_string_equal(o.to, "iryna@introserv.com");
    assert_null(sg_owner_pick(NULL, NULL, NULL, 0).to);
    sg_config_unref(c);
}

/* The first line stands in for every other team, never for itself. */
static void first_line_holds_for_other_teams(void **state)
{
    (void)state;
    sg_config *c = conf();
    const sg_team *first = sg_config_first_line(c);
    assert_true(sg_owner_first_line_holds(first, sg_config_team_find(c, "sysadmins")));
    assert_false(sg_owner_first_line_holds(first, first));
    assert_false(sg_owner_first_line_holds(first, NULL));
    sg_config_unref(c);
}

/* A 24/7 first line is reminded every update interval after the last news, the missed ones skipped. */
static void hold_reminders_every_interval(void **state)
{
    (void)state;
    sg_config *c = conf();
    const sg_team *first = sg_config_first_line(c);
    int64_t fri = utc("2026-12-04T23:30:00+01:00");
    assert_int_equal(sg_owner_hold_next(first, fri, 7200, fri), utc("2026-12-05T01:30:00+01:00"));
    assert_int_equal(sg_owner_hold_next(first, fri, 7200, utc("2026-12-05T01:30:00+01:00")),
                     utc("2026-12-05T03:30:00+01:00"));
    assert_int_equal(sg_owner_hold_next(first, fri, 7200, utc("2026-12-06T12:10:00+01:00")),
                     utc("2026-12-06T13:30:00+01:00"));
    assert_int_equal(sg_owner_hold_next(first, fri, 0, fri), 0);
    assert_int_equal(sg_owner_hold_next(NULL, fri, 7200, fri), 0);
    sg_config_unref(c);
}

/* A first line with hours of its own counts the interval in them. */
static void hold_counts_the_first_lines_hours(void **state)
{
    (void)state;
    char *err = NULL;
    sg_config *c = sg_config_parse("intake = support@introserv.com email 2m\n"
                                   "team = desk 1 desk@introserv.com\n"
                                   "calendar = desk Europe/Amsterdam Mon-Fri 09:00-18:00\n", "t.conf", &err);
    assert_non_null(c);
    const sg_team *desk = sg_config_first_line(c);
    int64_t fri = utc("2026-12-04T17:30:00+01:00");
    assert_int_equal(sg_owner_hold_next(desk, fri, 7200, fri), utc("2026-12-07T10:30:00+01:00"));
    sg_config_unref(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(assignee_at_work_hears_at_once),
        cmocka_unit_test(off_shift_the_team_mailbox_on_its_shift),
        cmocka_unit_test(first_line_holds_for_other_teams),
        cmocka_unit_test(hold_reminders_every_interval),
        cmocka_unit_test(hold_counts_the_first_lines_hours),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
