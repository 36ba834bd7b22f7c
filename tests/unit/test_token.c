/* test_token.c - reply tokens: signed for one ticket and kind, refused when changed, old key honoured within grace. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <utime.h>

#include "config.h"
#include "token.h"

#define KEY_A "0123456789abcdef0123456789abcdef-key-a"
#define KEY_B "fedcba9876543210fedcba9876543210-key-b"
#define NOW 1800000000LL

static sg_token_keys *keys_a(void)
{
    return sg_token_keys_new(KEY_A, strlen(KEY_A), NULL, 0, 0);
}

static void a_token_verifies_and_names_its_ticket(void **state)
{
    (void)state;
    sg_token_keys *k = keys_a();
    char *id = sg_token_message_id(k, "ack", 462, "introserv.com");
    assert_true(g_regex_match_simple("^sg\\.ack\\.462\\.[0-9a-f]{32}\\.[0-9a-f]{32}@introserv\\.com$", id, 0, 0));
    long long t = 0;
    assert_int_equal(sg_token_verify(k, id, NOW, &t), 1);
    assert_int_equal(t, 462);
    assert_true(sg_token_shaped(id));
    /* Digests name no ticket. */
    char *digest = sg_token_message_id(k, "digest", 0, "introserv.com");
    assert_int_equal(sg_token_verify(k, digest, NOW, &t), 1);
    assert_int_equal(t, 0);
    g_free(digest);
    g_free(id);
    sg_token_keys_free(k);
}

/* ID with its FIELD-th dot-separated field of the local part replaced by VALUE (g_free). */
static char *with_field(const char *id, int field, const char *value)
{
    const char *at = strchr(id, '@');
    char *local = g_strndup(id, at - id);
    char **w = g_strsplit(local, ".", -1);
    g_free(w[field]);
    w[field] = g_strdup(value);
    char *joined = g_strjoinv(".", w), *out = g_strconcat(joined, at, NULL);
    g_strfreev(w);
    g_free(joined);
    g_free(local);
    return out;
}

static void a_token_of_another_ticket_or_kind_is_refused(void **state)
{
    (void)state;
    sg_token_keys *k = keys_a(), *other = sg_token_keys_new(KEY_B, strlen(KEY_B), NULL, 0, 0);
    char *id = sg_token_message_id(k, "ack", 462, "introserv.com");
    char *ticket = with_field(id, 2, "463"), *kind = with_field(id, 1, "team");
    assert_int_equal(sg_token_verify(k, ticket, NOW, NULL), 0);
    assert_int_equal(sg_token_verify(k, kind, NOW, NULL), 0);
    /* The same shape signed under a key not ours. */
    char *forged = sg_token_message_id(other, "ack", 462, "introserv.com");
    assert_int_equal(sg_token_verify(k, forged, NOW, NULL), 0);
    g_free(forged);
    g_free(ticket);
    g_free(kind);
    g_free(id);
    sg_token_keys_free(other);
    sg_token_keys_free(k);
}

static void a_changed_byte_is_refused(void **state)
{
    (void)state;
    sg_token_keys *k = keys_a();
    char *id = sg_token_message_id(k, "reply", 7, "introserv.com");
    size_t local = strchr(id, '@') - id;
    for (size_t i = 0; i < local; i++) {
        char *bad = g_strdup(id);
        /* Another character of the same class, so the shape stays and only the signature can tell. */
        bad[i] = g_ascii_isdigit(bad[i]) ? (bad[i] == '9' ? '0' : bad[i] + 1)
               : g_ascii_isalpha(bad[i]) ? (bad[i] == 'f' ? 'a' : bad[i] == 'z' ? 'a' : bad[i] + 1) : 'x';
        assert_int_equal(sg_token_verify(k, bad, NOW, NULL), 0);
        g_free(bad);
    }
    assert_int_equal(sg_token_verify(k, "sg.ack.462.62137e42aa00bb11cc22dd33@introserv.com", NOW, NULL), 0);
    assert_int_equal(sg_token_verify(k, "CAF=abc@mail.example.net", NOW, NULL), 0);
    assert_false(sg_token_shaped("CAF=abc@mail.example.net"));
    assert_int_equal(sg_token_verify(NULL, id, NOW, NULL), 0);
    g_free(id);
    sg_token_keys_free(k);
}

static void the_previous_key_verifies_only_within_grace(void **state)
{
    (void)state;
    sg_token_keys *old = keys_a();
    sg_token_keys *rotated = sg_token_keys_new(KEY_B, strlen(KEY_B), KEY_A, strlen(KEY_A), NOW + 100);
    char *before = sg_token_message_id(old, "ack", 5, "introserv.com");
    char *after = sg_token_message_id(rotated, "ack", 5, "introserv.com");
    assert_int_equal(sg_token_verify(rotated, before, NOW + 99, NULL), 1);
    assert_int_equal(sg_token_verify(rotated, before, NOW + 100, NULL), 0);
    assert_int_equal(sg_token_verify(rotated, after, NOW + 1000000, NULL), 1);
    /* New tokens are signed with the new key only. */
    assert_int_equal(sg_token_verify(old, after, NOW, NULL), 0);
    g_free(before);
    g_free(after);
    sg_token_keys_free(rotated);
    sg_token_keys_free(old);
}

/* GLib's generator replays its sequence from a seed; tokens come from the kernel and do not. */
static void nonces_do_not_come_from_glibs_generator(void **state)
{
    (void)state;
    sg_token_keys *k = keys_a();
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (int i = 0; i < 1000; i++) {
        g_random_set_seed(42);
        char *id = sg_token_message_id(k, "ack", 1, "introserv.com");
        assert_false(g_hash_table_contains(seen, id));
        g_hash_table_add(seen, id);
    }
    g_hash_table_destroy(seen);
    sg_token_keys_free(k);
}

static sg_config *config_with_keys(const char *dir)
{
    char *text = g_strdup_printf("intake = support@introserv.com email 2m\nreply_key_file = %s/reply.key\n"
                                 "reply_key_previous_file = %s/reply.key.previous\nreply_key_grace = 1h\n", dir, dir);
    char *err = NULL;
    sg_config *c = sg_config_parse(text, "test.conf", &err);
    assert_null(err);
    g_free(text);
    return c;
}

static void key_files_are_private_and_rotate(void **state)
{
    (void)state;
    char *dir = g_dir_make_tmp("sgtoken.XXXXXX", NULL), *err = NULL;
    char *cur = g_build_filename(dir, "reply.key", NULL), *prev = g_build_filename(dir, "reply.key.previous", NULL);
    sg_config *c = config_with_keys(dir);
    assert_null(sg_token_keys_load(c, &err));
    assert_non_null(strstr(err, "cannot read"));
    g_free(err);
    assert_int_equal(sg_token_key_create(cur, prev, &err), 1);
    assert_int_equal(sg_token_key_create(cur, prev, &err), 0);
    GStatBuf st;
    assert_int_equal(g_stat(cur, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_null(sg_token_key_problem(cur));
    sg_token_keys *k1 = sg_token_keys_load(c, &err);
    assert_non_null(k1);
    char *id = sg_token_message_id(k1, "ack", 9, "introserv.com");

    /* Rotation: the key moves aside, a new one is made; the old one counts for an hour after that. */
    assert_int_equal(g_rename(cur, prev), 0);
    assert_int_equal(sg_token_key_create(cur, prev, &err), 1);
    struct utimbuf t = { NOW, NOW };
    assert_int_equal(utime(cur, &t), 0);
    sg_token_keys *k2 = sg_token_keys_load(c, &err);
    assert_non_null(k2);
    assert_int_equal(sg_token_verify(k2, id, NOW + 3599, NULL), 1);
    assert_int_equal(sg_token_verify(k2, id, NOW + 3600, NULL), 0);

    assert_int_equal(g_chmod(prev, 0640), 0);
    assert_null(sg_token_keys_load(c, &err));
    assert_non_null(strstr(err, "group or others"));
    g_free(err);
    char *p = sg_token_key_problem(prev);
    assert_non_null(p);
    g_free(p);

    g_free(id);
    sg_token_keys_free(k1);
    sg_token_keys_free(k2);
    sg_config_unref(c);
    g_unlink(cur);
    g_unlink(prev);
    g_rmdir(dir);
    g_free(cur);
    g_free(prev);
    g_free(dir);
}

static void relative_key_paths_are_beside_the_configuration(void **state)
{
    (void)state;
    char *err = NULL;
    sg_config *c = sg_config_parse("intake = support@introserv.com email 2m\n", "/etc/supportgate/supportgate.conf", &err);
    char *p = sg_token_key_path(c, SG_CFG_REPLY_KEY_FILE);
    assert_string_equal(p, "/etc/supportgate/reply.key");
    g_free(p);
    sg_config_unref(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_token_verifies_and_names_its_ticket),
        cmocka_unit_test(a_token_of_another_ticket_or_kind_is_refused),
        cmocka_unit_test(a_changed_byte_is_refused),
        cmocka_unit_test(the_previous_key_verifies_only_within_grace),
        cmocka_unit_test(nonces_do_not_come_from_glibs_generator),
        cmocka_unit_test(key_files_are_private_and_rotate),
        cmocka_unit_test(relative_key_paths_are_beside_the_configuration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
