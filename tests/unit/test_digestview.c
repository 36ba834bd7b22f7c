/* test_digestview.c - the digest a manager reads: aligned text columns, mail-safe HTML, lateness in hours and minutes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <string.h>

#include "digestview.h"

static const sg_dv_sla slas[] = {
    { "first_response", 3, 1, 1, 1, 1 },
    { "resolution", 1, 1, 1, 4, 0 },
};
static const sg_dv_team teams[] = { { "support engineers", 3, 1 }, { "billing department", 1, 1 } };
static const sg_dv_ticket worst[] = {
    { 12345, "first_response", "billing department", "Oksana", "open", "Invoice <7781> & refund", 3600 + 12 * 60 },
    { 7, "resolution", "support engineers", "", "closed", "VPS slow", 45 * 60 },
};

static sg_digest_view view(const char *lang)
{
    return (sg_digest_view){ .lang = lang, .tag_prefix = "INTROSERV", .from = "2026-12-04 17:00", .to = "2026-12-07 10:00",
                             .timezone = "Europe/Kyiv", .breaches = 2, .prev = "1", .slas = slas, .n_slas = 2,
                             .teams = teams, .n_teams = 2, .worst = worst, .n_worst = 2 };
}

/* The display column (in characters) where NEEDLE starts on the line of TEXT that contains MARK. */
static long column_of(const char *text, const char *mark, const char *needle)
{
    char **lines = g_strsplit(text, "\n", -1);
    long col = -1;
    for (char **l = lines; *l && col < 0; l++) {
        const char *m = strstr(*l, mark), *n = m ? strstr(*l, needle) : NULL;
        if (n)
            col = g_utf8_pointer_to_offset(*l, n);
    }
    g_strfreev(lines);
    return col;
}

static void lateness_reads_in_hours_and_minutes(void **state)
{
    (void)state;
    sg_digest_view v = view("en");
    char *text = sg_digestview_text(&v), *html = sg_digestview_html(&v);
    assert_non_null(strstr(text, "1 h 12 min"));
    assert_non_null(strstr(text, "45 min"));
    assert_null(strstr(text, "72 min"));
    assert_non_null(strstr(html, "1 h 12 min"));
    g_free(text);
    g_free(html);
}

static void text_columns_do_not_shift_with_long_ids(void **state)
{
    (void)state;
    sg_digest_view v = view("en");
    char *text = sg_digestview_text(&v);
    long a = column_of(text, "#12345]", "first_response"), b = column_of(text, "#7]", "resolution");
    assert_true(a > 0);
    assert_int_equal(a, b);
    assert_int_equal(column_of(text, "#12345]", "billing department"), column_of(text, "#7]", "support engineers"));
    assert_int_equal(column_of(text, "#12345]", "open"), column_of(text, "#7]", "closed"));
    g_free(text);
}

static void cyrillic_columns_align_by_characters(void **state)
{
    (void)state;
    static const sg_dv_team cyr[] = { { "відділ білінгу", 1, 1 }, { "інженери підтримки", 2, 0 } };
    sg_digest_view v = view("uk");
    v.teams = cyr;
    char *text = sg_digestview_text(&v);
    assert_int_equal(column_of(text, "відділ білінгу  ", "["), column_of(text, "інженери підтримки  ", "["));
    assert_non_null(strstr(text, "[##########..........]"));
    assert_non_null(strstr(text, "[####################]"));
    assert_non_null(strstr(text, "1 год 12 хв"));
    assert_non_null(strstr(text, "Виконання SLA"));
    g_free(text);
}

static void attainment_against_the_previous_period(void **state)
{
    (void)state;
    sg_digest_view v = view("en");
    char *text = sg_digestview_text(&v);
    /* first_response 3 of 4 (75 %) after 1 of 2 (50 %): up; resolution 1 of 2 after 4 of 4: down. */
    assert_non_null(strstr(text, "75.0%  up from 50.0%"));
    assert_non_null(strstr(text, "50.0%  down from 100.0%"));
    g_free(text);
    char buf[16];
    assert_string_equal(sg_digestview_pct(0, 0, buf, sizeof buf), "-");
    assert_string_equal(sg_digestview_pct(2, 1, buf, sizeof buf), "66.7%");
}

static void html_is_safe_for_mail_clients(void **state)
{
    (void)state;
    sg_digest_view v = view("en");
    char *html = sg_digestview_html(&v);
    static const char *const never[] = { "border=\"1\"", "border=1", "<script", "<style", "<link", "<img", "http",
                                         "<7781>" };
    for (size_t i = 0; i < sizeof never / sizeof *never; i++)
        assert_null(strstr(html, never[i]));
    assert_non_null(strstr(html, "Invoice &lt;7781&gt; &amp; refund"));
    /* support: 3 of 4 met, a bar 75 % green and 25 % red. */
    assert_non_null(strstr(html, "width=\"75%\" style=\"width:75%;height:14px;background:#2e7d32;"));
    assert_non_null(strstr(html, "width=\"25%\" style=\"width:25%;height:14px;background:#c62828;"));
    assert_non_null(strstr(html, "billing department, Oksana"));
    assert_non_null(strstr(html, "&#9650;</span> up from 50.0%"));
    assert_non_null(strstr(html, "&#9660;</span> down from 100.0%"));
    /* English stays ASCII, so the mail needs no transfer encoding, and no line comes near SMTP's 998. */
    for (const char *p = html; *p; p++)
        assert_true((unsigned char)*p < 128);
    char **lines = g_strsplit(html, "\n", -1);
    for (char **l = lines; *l; l++)
        assert_true(strlen(*l) < 400);
    g_strfreev(lines);
    g_free(html);
}

static void empty_period_has_one_line_and_overload_is_told(void **state)
{
    (void)state;
    sg_digest_view v = { .lang = "en", .tag_prefix = "INTROSERV", .from = "a", .to = "b", .timezone = "UTC",
                         .breaches = 0, .prev = "none" };
    assert_true(sg_digestview_empty(&v));
    char *text = sg_digestview_text(&v);
    assert_non_null(strstr(text, "\n\nNo SLA breaches in this period.\n"));
    assert_null(strstr(text, "Worst tickets"));
    assert_null(strstr(text, "Overload"));
    g_free(text);
    v.overload = (sg_dv_overload){ 2, 31, 5400 };
    assert_false(sg_digestview_empty(&v));
    text = sg_digestview_text(&v);
    assert_non_null(strstr(text, "Overload: 2 episode(s) in the period; largest backlog 31 tickets, longest wait at an episode's start 1 h 30 min."));
    g_free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lateness_reads_in_hours_and_minutes),
        cmocka_unit_test(text_columns_do_not_shift_with_long_ids),
        cmocka_unit_test(cyrillic_columns_align_by_characters),
        cmocka_unit_test(attainment_against_the_previous_period),
        cmocka_unit_test(html_is_safe_for_mail_clients),
        cmocka_unit_test(empty_period_has_one_line_and_overload_is_told),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
