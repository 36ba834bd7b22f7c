/* test_address.c - mail addresses: brackets stripped, case folded, addr-specs checked, local and domain parts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glib.h>

#include "address.h"

static void assert_bare(const char *in, const char *want)
{
    char *got = sg_address_bare(in);
    assert_string_equal(got, want);
    g_free(got);
}

static void smtp_brackets_and_blanks_are_removed(void **state)
{
    (void)state;
    assert_bare("<ivan@example.net>", "ivan@example.net");
    assert_bare(" <ivan@example.net>\t", "ivan@example.net");
    assert_bare("ivan@example.net", "ivan@example.net");
    assert_bare("<>", "");       /* the null sender */
    assert_bare(NULL, "");
    assert_bare("<<a@b>>", "<a@b>"); /* one pair only */
    assert_bare("<a@b", "<a@b");
}

static void addresses_compare_and_store_lower_case(void **state)
{
    (void)state;
    char *low = sg_address_lower("Support@IntroServ.COM");
    assert_string_equal(low, "support@introserv.com");
    g_free(low);
    assert_true(sg_address_same("Support@IntroServ.com", "support@introserv.com"));
    assert_false(sg_address_same("support@introserv.com", "chat@introserv.com"));
    assert_false(sg_address_same("", ""));
    assert_false(sg_address_same(NULL, "a@b"));
    assert_false(sg_address_same("a@b", NULL));
}

static void only_a_plain_addr_spec_is_valid(void **state)
{
    (void)state;
    assert_true(sg_address_valid("support@introserv.com"));
    assert_true(sg_address_valid("first.last+tag@sub.example.net"));
    static const char *const bad[] = { "", "introserv.com", "@introserv.com", "support@", "a@b@c",
                                       "a b@c", "a\t@c", "<a@b>", "a,b@c", "a;b@c", "\"a\"@c", "a\\b@c" };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
        if (sg_address_valid(bad[i]))
            fail_msg("\"%s\" taken for an address", bad[i]);
    assert_false(sg_address_valid(NULL));
}

static void the_parts_of_an_address(void **state)
{
    (void)state;
    assert_string_equal(sg_address_domain("support@introserv.com"), "introserv.com");
    assert_string_equal(sg_address_domain("\"a@b\"@example.net"), "example.net");
    assert_string_equal(sg_address_domain("localhost"), "localhost");
    char *local = sg_address_local("MAILER-DAEMON@mx.example.net");
    assert_string_equal(local, "mailer-daemon");
    g_free(local);
    local = sg_address_local("Postmaster");
    assert_string_equal(local, "postmaster");
    g_free(local);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(smtp_brackets_and_blanks_are_removed),
        cmocka_unit_test(addresses_compare_and_store_lower_case),
        cmocka_unit_test(only_a_plain_addr_spec_is_valid),
        cmocka_unit_test(the_parts_of_an_address),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
