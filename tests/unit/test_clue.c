/* test_clue.c - the clues that may tie customers' tickets together: hosts, addresses, keywords, classification. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "clue.h"

/* The clues joined by spaces, for one comparison per case. */
static char *found(const sg_clue_rules *r, const char *subject, const char *text, const char *cls)
{
    GPtrArray *a = sg_clues_find(r, subject, text, cls, 8);
    g_ptr_array_add(a, NULL);
    char *s = g_strjoinv(" ", (char **)a->pdata);
    g_ptr_array_unref(a);
    return s;
}

static void hosts_and_addresses_in_canonical_form(void **state)
{
    (void)state;
    sg_clue_rules *r = sg_clue_rules_new(SG_CLUE_HOSTS | SG_CLUE_ADDRESSES, "", "introserv.com");
    char *s = found(r, "Web12.Example.NET is down",
                    "Since 10:30:00 my site on 203.0.113.7 and 2001:DB8:0::1 times out; 127.0.0.1 answers.\n"
                    "See https://web12.example.net/status and nginx.conf, error.log.\n", NULL);
    assert_string_equal("host:web12.example.net ip:2001:db8::1 ip:203.0.113.7", s);
    g_free(s);
    sg_clue_rules_free(r);
}

/* Mail addresses, the support domain and its subdomains, quoted text and the signature are no clue. */
static void addresses_quotes_signature_and_ignored_domains_are_left_out(void **state)
{
    (void)state;
    sg_clue_rules *r = sg_clue_rules_new(SG_CLUE_HOSTS | SG_CLUE_ADDRESSES, "", "introserv.com, example.org");
    char *s = found(r, "Re: [INTROSERV #5] help",
                    "Write to ivan.petrenko@customer.net or support@introserv.com; panel.introserv.com works.\n"
                    "mail.example.org too.\n"
                    "> On db3.example.net, 198.51.100.9 was slow\n"
                    "-- \n"
                    "Ivan, www.customer.net, 198.51.100.200\n", NULL);
    assert_string_equal("", s);
    g_free(s);
    sg_clue_rules_free(r);
}

/* Keywords match whole words in any case, Cyrillic included; not inside a longer word. */
static void keywords_match_whole_words_in_any_case(void **state)
{
    (void)state;
    sg_clue_rules *r = sg_clue_rules_new(SG_CLUE_KEYWORDS, "outage, 502, Недоступний", "");
    char *s = found(r, "САЙТ НЕДОСТУПНИЙ", "Error 502 since noon; no outages before.", NULL);
    assert_string_equal("word:502 word:недоступний", s);
    g_free(s);
    char *none = found(r, "Error 5023", "blackoutage", NULL);
    assert_string_equal("", none);
    g_free(none);
    sg_clue_rules_free(r);
}

static void classification_only_when_watched(void **state)
{
    (void)state;
    sg_clue_rules *with = sg_clue_rules_new(SG_CLUE_CATEGORY, "", ""), *without = sg_clue_rules_new(SG_CLUE_HOSTS, "", "");
    char *a = found(with, "x", "y", "sysadmin/complex"), *b = found(without, "x", "y", "sysadmin/complex");
    assert_string_equal("class:sysadmin/complex", a);
    assert_string_equal("", b);
    g_free(a);
    g_free(b);
    sg_clue_rules_free(with);
    sg_clue_rules_free(without);
}

/* A mail that lists fifty hosts gives at most MAX clues; invalid UTF-8 gives none and no crash. */
static void bounded_and_safe_on_bad_text(void **state)
{
    (void)state;
    sg_clue_rules *r = sg_clue_rules_new(SG_CLUE_HOSTS | SG_CLUE_ADDRESSES, "", "");
    GString *t = g_string_new(NULL);
    for (int i = 0; i < 50; i++)
        g_string_append_printf(t, "node%d.example.net\n", i);
    GPtrArray *a = sg_clues_find(r, "", t->str, NULL, 8);
    assert_int_equal(8, a->len);
    g_ptr_array_unref(a);
    GPtrArray *b = sg_clues_find(r, "\xff\xfe web1.example.net", "", NULL, 8);
    assert_int_equal(0, b->len);
    g_ptr_array_unref(b);
    g_string_free(t, TRUE);
    sg_clue_rules_free(r);
}

static void kinds_parse_and_refuse_unknown_words(void **state)
{
    (void)state;
    char *bad = NULL;
    assert_int_equal(SG_CLUE_HOSTS | SG_CLUE_KEYWORDS, sg_clue_kinds_parse("hosts, keywords", &bad));
    assert_int_equal(0, sg_clue_kinds_parse("", &bad));
    assert_int_equal(-1, sg_clue_kinds_parse("hosts servers", &bad));
    assert_string_equal("servers", bad);
    g_free(bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hosts_and_addresses_in_canonical_form),
        cmocka_unit_test(addresses_quotes_signature_and_ignored_domains_are_left_out),
        cmocka_unit_test(keywords_match_whole_words_in_any_case),
        cmocka_unit_test(classification_only_when_watched),
        cmocka_unit_test(bounded_and_safe_on_bad_text),
        cmocka_unit_test(kinds_parse_and_refuse_unknown_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
