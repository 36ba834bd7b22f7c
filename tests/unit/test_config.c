/* test_config.c - supportgate.conf validation: defaults, bounds, intake addresses, errors with file:line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glib.h>
#include <string.h>

#include "config.h"

static const char *minimal = "intake = support@introserv.com email 2m\n";

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
    assert_string_equal(err, "test.conf:4: ack_limt: unknown key");
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_apply_and_databases_fall_back),
        cmocka_unit_test(intake_addresses_map_to_channels),
        cmocka_unit_test(unknown_key_names_file_and_line),
        cmocka_unit_test(values_out_of_bounds_are_refused),
        cmocka_unit_test(broken_intake_lines_are_refused),
        cmocka_unit_test(duplicate_keys_and_bounce_loops_are_refused),
        cmocka_unit_test(published_snapshot_outlives_reload),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
