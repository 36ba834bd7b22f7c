/* test_config.c - supportgate.conf validation: defaults, bounds, intake addresses, errors with file:line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glib.h>
#include <string.h>

#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "secret.h"

static const char *minimal = "intake = support@introserv.com email 2m\n";
static const char *minimal_teams =
    "intake = support@introserv.com email 2m\n"
    "team = support 1 support-team@introserv.com\n"
    "team = billing 2 Billing@Introserv.com\n"
    "calendar = billing Europe/Amsterdam Mon-Fri 09:00-18:00\n"
    "holiday = billing 2026-12-25\n"
    "team = datacenter 2 dc@introserv.com\n"
    "calendar = datacenter Europe/Amsterdam Mon-Fri 08:00-17:00\n"
    "calendar = datacenter Asia/Singapore Mon-Fri 08:00-17:00\n";

static char *parse_error(const char *text)
{
    char *err = NULL;
    sg_config *c = sg_config_parse(text, "test.conf", &err);
    assert_null(c);
    assert_non_null(err);
    return err;
}

static void defaults_apply_and_databases_fall_back(void **state)
{
    (void)state;
    char *err = NULL;
    sg_config *c = sg_config_parse("database = dbname=x\nintake = support@introserv.com email 2m\n", "t", &err);
    assert_non_null(c);
    assert_string_equal(sg_config_str(c, SG_CFG_MILTER_DATABASE), "dbname=x");
    assert_string_equal(sg_config_str(c, SG_CFG_TAG_PREFIX), "INTROSERV");
    assert_int_equal(sg_config_num(c, SG_CFG_FIRST_RESPONSE_TARGET), 600);
    assert_int_equal(sg_config_num(c, SG_CFG_MAX_MESSAGE_SIZE), 25 * 1024 * 1024);
    sg_config_unref(c);
}

static void intake_addresses_map_to_channels(void **state)
{
    (void)state;
    char *err = NULL;
    sg_config *c = sg_config_parse("intake = Support@Introserv.com email 2m\n"
                                   "intake = chat@introserv.com   chat  1m  # forwarded chats\n", "t", &err);
    assert_non_null(c);
    assert_int_equal(sg_config_intake_count(c), 2);
    const sg_intake *in = sg_config_intake_find(c, "<SUPPORT@introserv.com>");
    assert_non_null(in);
    assert_string_equal(in->channel, "email");
    assert_int_equal(in->ack_target, 120);
    assert_int_equal(sg_config_intake_find(c, "chat@introserv.com")->ack_target, 60);
    assert_null(sg_config_intake_find(c, "sales@introserv.com"));
    assert_null(sg_config_intake_find(c, "<>"));
    sg_config_unref(c);
}

static void unknown_key_names_file_and_line(void **state)
{
    (void)state;
    char *err = parse_error("intake = support@introserv.com email 2m\n\n# comment\nack_limt = 5\n");
    assert_string_equal(err, "test.conf:4: ack_limt: unknown key (did you mean 'ack_limit_per_hour'?)");
    g_free(err);
}

static void a_far_unknown_key_suggests_nothing(void **state)
{
    (void)state;
    char *err = parse_error("intake = support@introserv.com email 2m\nfrobnicate = 5\n");
    assert_string_equal(err, "test.conf:2: frobnicate: unknown key");
    g_free(err);
    err = parse_error("intake = support@introserv.com email 2m\ndb_timeot = 5s\n");
    assert_string_equal(err, "test.conf:2: db_timeot: unknown key (did you mean 'db_timeout'?)");
    g_free(err);
    /* The repeatable lines are known names too. */
    err = parse_error("intake = support@introserv.com email 2m\ncalendr = support 24/7 UTC\n");
    assert_string_equal(err, "test.conf:2: calendr: unknown key (did you mean 'calendar'?)");
    g_free(err);
}

static void out_of_range_states_the_range(void **state)
{
    (void)state;
    char *err = parse_error("intake = support@introserv.com email 2m\nretry_min = 2h\n");
    assert_string_equal(err, "test.conf:2: retry_min: out of range: \"2h\" (allowed: 1s to 1h)");
    g_free(err);
}

static void values_out_of_bounds_are_refused(void **state)
{
    (void)state;
    char *err = parse_error("intake = support@introserv.com email 2m\ndb_timeout = 40s\n");
    assert_non_null(strstr(err, "test.conf:2: db_timeout: out of range"));
    g_free(err);
    err = parse_error("intake = support@introserv.com email 2m\ndb_pool_size = many\n");
    assert_non_null(strstr(err, "test.conf:2: db_pool_size: not a whole number"));
    g_free(err);
    err = parse_error("intake = support@introserv.com email 2m\nsmtp_relay = 127.0.0.1:25\n");
    assert_non_null(strstr(err, "smtp_relay: must be an smtp://"));
    g_free(err);
}

static void broken_intake_lines_are_refused(void **state)
{
    (void)state;
    char *err = parse_error("intake = support@introserv.com email\n");
    assert_non_null(strstr(err, "test.conf:1: intake: expects"));
    g_free(err);
    err = parse_error("intake = support email 2m\n");
    assert_non_null(strstr(err, "not a mail address"));
    g_free(err);
    err = parse_error("intake = a@b.c email 2m\nintake = A@B.C chat 1m\n");
    assert_non_null(strstr(err, "test.conf:2: intake: address listed twice"));
    g_free(err);
    err = parse_error("tag_prefix = X\n");
    assert_non_null(strstr(err, "at least one intake"));
    g_free(err);
}

static void duplicate_keys_and_bounce_loops_are_refused(void **state)
{
    (void)state;
    char *err = parse_error("intake = support@introserv.com email 2m\ntag_prefix = A\ntag_prefix = B\n");
    assert_string_equal(err, "test.conf:3: tag_prefix: already set at line 2");
    g_free(err);
    err = parse_error("intake = support@introserv.com email 2m\nbounce_address = support@introserv.com\n");
    assert_non_null(strstr(err, "bounce_address: must not be an intake address"));
    g_free(err);
    err = parse_error("intake = support@introserv.com email 2m\nno equals sign\n");
    assert_string_equal(err, "test.conf:2: expected \"key = value\"");
    g_free(err);
}

static void published_snapshot_outlives_reload(void **state)
{
    (void)state;
    char *err = NULL;
    sg_config *a = sg_config_parse(minimal, "a", &err);
    sg_config_publish(a);
    sg_config *held = sg_config_acquire();
    sg_config_publish(sg_config_parse("intake = x@y.z email 1m\n", "b", &err));
    /* A reader keeps its snapshot intact while the new one is current. */
    assert_non_null(sg_config_intake_find(held, "support@introserv.com"));
    sg_config *now = sg_config_acquire();
    assert_string_equal(sg_config_path(now), "b");
    sg_config_unref(now);
    sg_config_unref(held);
    sg_config_publish(NULL);
}

static void teams_carry_levels_mailboxes_and_calendars(void **state)
{
    (void)state;
    char *err = NULL;
    sg_config *c = sg_config_parse(minimal_teams, "t", &err);
    if (!c)
        fail_msg("%s", err);
    assert_int_equal(sg_config_team_count(c), 3);
    assert_string_equal(sg_config_first_line(c)->name, "support");
    const sg_team *b = sg_config_team_find(c, "billing");
    assert_int_equal(b->level, 2);
    assert_string_equal(b->mailbox, "billing@introserv.com");
    assert_int_equal(b->n_calendars, 1);
    /* Saturday 28 November 2026, 12:00 UTC: billing is off, first line is on. */
    assert_false(sg_team_on_shift(b, 1795867200LL));
    assert_true(sg_team_on_shift(sg_config_team_find(c, "support"), 1795867200LL));
    const sg_team *dc = sg_config_team_find(c, "datacenter");
    assert_int_equal(dc->n_calendars, 2);
    char *hours = sg_team_hours(dc);
    assert_string_equal(hours, "Mon-Fri 08:00-17:00 Europe/Amsterdam; Mon-Fri 08:00-17:00 Asia/Singapore");
    g_free(hours);
    sg_config_unref(c);
}

/* Acknowledgement and first response are 24/7: when the owning team is off shift the first line stands in;
 * the clocks that run in the team's hours wait for it. */
static void first_line_stands_in_for_teams_off_shift(void **state)
{
    (void)state;
    char *err = NULL;
    sg_config *c = sg_config_parse(minimal_teams, "t", &err);
    if (!c)
        fail_msg("%s", err);
    const sg_team *b = sg_config_team_find(c, "billing"), *s = sg_config_team_find(c, "support");
    long long saturday = 1795867200LL, monday = saturday + 2 * 86400 - 3 * 3600; /* Monday 10:00 CET */
    assert_ptr_equal(sg_config_stand_in(c, b, "first_response", saturday), s);
    assert_ptr_equal(sg_config_stand_in(c, b, "ack", saturday), s);
    assert_null(sg_config_stand_in(c, b, "update", saturday));
    assert_null(sg_config_stand_in(c, b, "resolution", saturday));
    assert_null(sg_config_stand_in(c, b, "first_response", monday));
    assert_null(sg_config_stand_in(c, s, "first_response", saturday));
    assert_null(sg_config_stand_in(c, NULL, "first_response", saturday));
    sg_config_unref(c);
}

static void broken_team_lines_are_refused(void **state)
{
    (void)state;
    char *err = parse_error("intake = a@b.c email 2m\nteam = billing 4 billing@x.y\n");
    assert_non_null(strstr(err, "test.conf:2: team: level must be 1, 2 or 3"));
    g_free(err);
    err = parse_error("intake = a@b.c email 2m\ncalendar = billing Europe/Amsterdam Mon-Fri 09:00-18:00\n");
    assert_non_null(strstr(err, "test.conf:2: calendar: no team \"billing\" declared above"));
    g_free(err);
    err = parse_error("intake = a@b.c email 2m\nteam = billing 2 b@x.y\ncalendar = billing Mars/Base Mon-Fri 09:00-18:00\n");
    assert_non_null(strstr(err, "test.conf:3: calendar: unknown time zone"));
    g_free(err);
    err = parse_error("intake = a@b.c email 2m\nteam = billing 2 b@x.y\nholiday = billing 2026-12-25\n");
    assert_non_null(strstr(err, "works around the clock"));
    g_free(err);
}

static void agent_networks_match_by_mask(void **state)
{
    (void)state;
    char *err = NULL;
    sg_config *c = sg_config_parse("intake = a@b.c email 2m\nagent_networks = 10.0.0.0/8 2001:db8::/32\n", "t", &err);
    assert_non_null(c);
    assert_true(sg_config_agent_network(c, "10.1.2.3"));
    assert_true(sg_config_agent_network(c, "2001:db8::5"));
    assert_false(sg_config_agent_network(c, "192.168.1.1"));
    assert_false(sg_config_agent_network(c, ""));
    sg_config_unref(c);
    c = sg_config_parse(minimal, "t", &err);
    assert_false(sg_config_agent_network(c, "127.0.0.1")); /* nobody is trusted by default */
    sg_config_unref(c);
    err = parse_error("intake = a@b.c email 2m\nagent_networks = 10.0.0.0/33\n");
    assert_non_null(strstr(err, "test.conf:2: agent_networks: expects networks"));
    g_free(err);
}

static void escalation_lines_match_in_order(void **state)
{
    (void)state;
    char *err = NULL;
    char *text = g_strconcat(minimal_teams, "team = sysadmins 3 sysadmins@introserv.com\n",
                             "escalation = * support * notify Duty@Introserv.com\n",
                             "escalation = resolution support standard escalate sysadmins\n", NULL);
    sg_config *c = sg_config_parse(text, "t", &err);
    g_free(text);
    assert_non_null(c);
    assert_int_equal(sg_config_escalation_count(c), 2);
    const sg_escalation_rule *notify = sg_config_escalation(c, 0), *move = sg_config_escalation(c, 1);
    assert_int_equal(notify->action, SG_ESC_NOTIFY);
    assert_string_equal(notify->target, "duty@introserv.com");
    assert_true(sg_escalation_matches(notify, "ack", "support", "simple"));
    assert_false(sg_escalation_matches(notify, "ack", "billing", "simple"));
    assert_int_equal(move->action, SG_ESC_ESCALATE);
    assert_true(sg_escalation_matches(move, "resolution", "support", "standard"));
    assert_false(sg_escalation_matches(move, "update", "support", "standard"));
    assert_false(sg_escalation_matches(move, "resolution", "support", "complex"));
    assert_null(sg_config_escalation(c, 2));
    sg_config_unref(c);
}

static void broken_escalation_lines_are_refused(void **state)
{
    (void)state;
    static const struct { const char *line, *problem; } cases[] = {
        { "escalation = resolution support standard escalate nobody", "no team \"nobody\" declared above" },
        { "escalation = eventually support * escalate billing", "unknown SLA \"eventually\"" },
        { "escalation = * support urgent escalate billing", "unknown category \"urgent\"" },
        { "escalation = * support * notify not-an-address", "not a mail address" },
        { "escalation = * support * page billing", "expects: SLA TEAM CATEGORY" },
        { "escalation = * ghosts * escalate billing", "no team \"ghosts\" declared above" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *text = g_strconcat(minimal_teams, cases[i].line, "\n", NULL);
        char *err = parse_error(text);
        if (!strstr(err, "test.conf:9: escalation: ") || !strstr(err, cases[i].problem))
            fail_msg("%s: got %s", cases[i].line, err);
        g_free(err);
        g_free(text);
    }
}

static void yes_no_keys(void **state)
{
    (void)state;
    char *err = NULL;
    sg_config *c = sg_config_parse(minimal, "t", &err);
    assert_int_equal(sg_config_num(c, SG_CFG_BREACH_NOTICE_MANAGERS), 1);
    sg_config_unref(c);
    c = sg_config_parse("intake = a@b.c email 2m\nbreach_notice_managers = No\n", "t", &err);
    assert_int_equal(sg_config_num(c, SG_CFG_BREACH_NOTICE_MANAGERS), 0);
    sg_config_unref(c);
    err = parse_error("intake = a@b.c email 2m\nbreach_notice_managers = sometimes\n");
    assert_non_null(strstr(err, "test.conf:2: breach_notice_managers: expects yes or no"));
    g_free(err);
}

/* src/daemon/log.c maps these names to syslog's codes; a name it does not know is refused at load, not
 * turned into "mail" without a word. */
static void log_facility_is_one_syslog_knows(void **state)
{
    (void)state;
    static const char *const known[] = { "mail", "daemon", "user", "local0", "local1", "local2", "local3",
                                         "local4", "local5", "local6", "local7" };
    for (size_t i = 0; i < G_N_ELEMENTS(known); i++) {
        char *err = NULL, *text = g_strdup_printf("intake = a@b.c email 2m\nlog_facility = %s\n", known[i]);
        sg_config *c = sg_config_parse(text, "t", &err);
        if (!c)
            fail_msg("%s: %s", known[i], err);
        assert_string_equal(sg_config_str(c, SG_CFG_LOG_FACILITY), known[i]);
        sg_config_unref(c);
        g_free(text);
    }
    char *err = parse_error("intake = a@b.c email 2m\nlog_facility = kern\n");
    assert_string_equal(err, "test.conf:2: log_facility: must be one of mail, daemon, user, local0, local1, local2, "
                             "local3, local4, local5, local6, local7: \"kern\"");
    g_free(err);
    err = parse_error("intake = a@b.c email 2m\nlog_facility = Mail\n");
    assert_non_null(strstr(err, "test.conf:2: log_facility: must be one of"));
    g_free(err);
}

static void reload_names_keys_that_need_a_restart(void **state)
{
    (void)state;
    char *err = NULL;
    sg_config *old = sg_config_parse("intake = a@b.c email 2m\ndb_pool_size = 8\nwarn_at = 80\n", "t", &err);
    sg_config *same = sg_config_parse("intake = a@b.c email 2m\ndb_pool_size = 8\nwarn_at = 50\n", "t", &err);
    sg_config *next = sg_config_parse("intake = a@b.c email 2m\ndb_pool_size = 4\ndb_timeout = 3s\n", "t", &err);
    assert_null(sg_config_restart_keys(old, same)); /* warn_at is reloadable */
    char *keys = sg_config_restart_keys(old, next);
    assert_string_equal(keys, "db_timeout, db_pool_size");
    g_free(keys);
    sg_config_unref(old);
    sg_config_unref(same);
    sg_config_unref(next);
}

static void passwords_are_found_in_both_conninfo_forms(void **state)
{
    (void)state;
    assert_false(sg_conninfo_has_password("host=/run/postgresql dbname=supportgate user=supportgate_milter"));
    assert_false(sg_conninfo_has_password("dbname=supportgate passfile=/etc/supportgate/pgpass"));
    assert_false(sg_conninfo_has_password("password='' host=h")); /* empty: nothing to leak */
    /* libpq skips the blanks after '=': this password is "host=h". */
    assert_true(sg_conninfo_has_password("password= host=h"));
    assert_false(sg_conninfo_has_password(""));
    assert_false(sg_conninfo_has_password(NULL));
    assert_true(sg_conninfo_has_password("host=h password=s3cret dbname=x"));
    assert_true(sg_conninfo_has_password("host=h sslkey=/k.pem sslpassword=unlock"));
    assert_true(sg_conninfo_has_password("postgresql://h/db?sslpassword=unlock"));
    assert_true(sg_conninfo_has_password("host=h password = 's3 cret' dbname=x"));
    assert_true(sg_conninfo_has_password("host=h password='it\\'s'"));
    /* A host named after the word is no password; the old substring test said it was. */
    assert_false(sg_conninfo_has_password("host=password.example.net dbname=x"));
    /* libpq expands a dbname that is a connection string of its own. */
    assert_true(sg_conninfo_has_password("dbname='host=h password=pw' user=u"));
    assert_true(sg_conninfo_has_password("dbname=postgresql://u:pw@h/db"));

    assert_false(sg_conninfo_has_password("postgresql://u@h:5432/db"));
    assert_false(sg_conninfo_has_password("postgresql:///db?host=/run/postgresql"));
    assert_false(sg_conninfo_has_password("postgresql://u:@h/db"));
    assert_true(sg_conninfo_has_password("postgresql://u:pw@h/db"));
    assert_true(sg_conninfo_has_password("postgres://u:pw@h"));
    assert_true(sg_conninfo_has_password("postgresql://u:p%40w@[::1]:5432/db?sslmode=require"));
    assert_true(sg_conninfo_has_password("postgresql://h/db?sslmode=require&password=pw"));
    assert_true(sg_conninfo_has_password("postgresql://h/db?pass%77ord=pw"));
    assert_false(sg_conninfo_has_password("postgresql://h/db?password="));
    /* Unparseable (an unclosed quote): judged by the word, as libpq's error would come only at connect time. */
    assert_true(sg_conninfo_has_password("host=h password='pw"));
    assert_false(sg_conninfo_has_password("host=h dbname='x"));
}

static void relay_urls_hide_their_passwords(void **state)
{
    (void)state;
    char *err = parse_error("intake = a@b.c email 2m\nsmtp_relay = smpt://user:sekrit@relay\n");
    assert_non_null(strstr(err, "test.conf:2: smtp_relay: must be an smtp://"));
    assert_null(strstr(err, "sekrit")); /* a mistyped URL is not echoed: it may hold a password */
    g_free(err);
    assert_false(sg_url_has_password("smtp://127.0.0.1:10026"));
    assert_false(sg_url_has_password("smtp://user@relay.example.net"));
    assert_false(sg_url_has_password("smtp://relay.example.net/path@x"));
    assert_true(sg_url_has_password("smtp://user:pw@relay.example.net:587"));
    assert_true(sg_url_has_password("smtps://a%40b.c:p@w@relay.example.net"));
    char *r = sg_url_redact("smtp://user:pw@relay.example.net:587/x");
    assert_string_equal(r, "smtp://user:***@relay.example.net:587/x");
    g_free(r);
    r = sg_url_redact("smtps://u:p@ss@relay");
    assert_string_equal(r, "smtps://u:***@relay");
    g_free(r);
    r = sg_url_redact("smtp://127.0.0.1:10026");
    assert_string_equal(r, "smtp://127.0.0.1:10026");
    g_free(r);
}

/* Writes TEXT to a new file of MODE and loads it; the path goes to *PATH (g_free, unlink). */
static sg_config *load_with_mode(const char *text, int mode, char **path, char **err)
{
    int fd = g_file_open_tmp("sg-test-XXXXXX.conf", path, NULL);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    assert_int_equal(chmod(*path, (mode_t)mode), 0);
    return sg_config_load(*path, err);
}

static void world_readable_secrets_are_refused(void **state)
{
    (void)state;
    static const char *const secret[] = {
        "database = host=h password=pw\nintake = a@b.c email 2m\n",
        "intake = a@b.c email 2m\nmilter_database = postgresql://m:pw@h/db\n",
        "intake = a@b.c email 2m\nsmtp_relay = smtp://u:pw@127.0.0.1:10026\n",
    };
    static const char *const key[] = { ":1: database:", ":2: milter_database:", ":2: smtp_relay:" };
    for (size_t i = 0; i < G_N_ELEMENTS(secret); i++) {
        char *path = NULL, *err = NULL;
        assert_null(load_with_mode(secret[i], 0644, &path, &err));
        assert_non_null(strstr(err, path));
        assert_non_null(strstr(err, key[i]));
        assert_non_null(strstr(err, "world-readable"));
        g_free(err);
        err = NULL;
        assert_int_equal(chmod(path, 0640), 0);
        sg_config *c = sg_config_load(path, &err);
        assert_non_null(c);
        sg_config_unref(c);
        unlink(path);
        g_free(path);
    }
    char *path = NULL, *err = NULL;
    sg_config *c = load_with_mode("intake = a@b.c email 2m\ndatabase = host=password.example.net\n", 0644, &path, &err);
    assert_non_null(c); /* nothing secret in it: readable by all is fine */
    sg_config_unref(c);
    unlink(path);
    g_free(path);
}

static void key_lines_tell_set_keys_from_fallbacks(void **state)
{
    (void)state;
    char *err = NULL;
    sg_config *c = sg_config_parse("database = dbname=x\nintake = a@b.c email 2m\nscheduler_database = dbname=y\n",
                                   "t", &err);
    assert_non_null(c);
    assert_int_equal(sg_config_key_line(c, SG_CFG_DATABASE), 1);
    assert_int_equal(sg_config_key_line(c, SG_CFG_MILTER_DATABASE), 0); /* fell back to database */
    assert_int_equal(sg_config_key_line(c, SG_CFG_SCHEDULER_DATABASE), 3);
    sg_config_unref(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_apply_and_databases_fall_back),
        cmocka_unit_test(intake_addresses_map_to_channels),
        cmocka_unit_test(unknown_key_names_file_and_line),
        cmocka_unit_test(a_far_unknown_key_suggests_nothing),
        cmocka_unit_test(out_of_range_states_the_range),
        cmocka_unit_test(values_out_of_bounds_are_refused),
        cmocka_unit_test(broken_intake_lines_are_refused),
        cmocka_unit_test(duplicate_keys_and_bounce_loops_are_refused),
        cmocka_unit_test(published_snapshot_outlives_reload),
        cmocka_unit_test(teams_carry_levels_mailboxes_and_calendars),
        cmocka_unit_test(first_line_stands_in_for_teams_off_shift),
        cmocka_unit_test(broken_team_lines_are_refused),
        cmocka_unit_test(agent_networks_match_by_mask),
        cmocka_unit_test(escalation_lines_match_in_order),
        cmocka_unit_test(broken_escalation_lines_are_refused),
        cmocka_unit_test(yes_no_keys),
        cmocka_unit_test(log_facility_is_one_syslog_knows),
        cmocka_unit_test(reload_names_keys_that_need_a_restart),
        cmocka_unit_test(passwords_are_found_in_both_conninfo_forms),
        cmocka_unit_test(relay_urls_hide_their_passwords),
        cmocka_unit_test(world_readable_secrets_are_refused),
        cmocka_unit_test(key_lines_tell_set_keys_from_fallbacks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
