/* test_text.c - every charset customers use becomes UTF-8; HTML becomes readable text; language guess. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glib.h>
#include <string.h>

#include "text.h"

/* "Повільно працює сервер" in windows-1251 and koi8-u. */
static const char cp1251[] = "\xcf\xee\xe2\xb3\xeb\xfc\xed\xee \xef\xf0\xe0\xf6\xfe\xba \xf1\xe5\xf0\xe2\xe5\xf0";
static const char koi8u[] = "\xf0\xcf\xd7\xa6\xcc\xd8\xce\xcf \xd0\xd2\xc1\xc3\xc0\xa4 \xd3\xc5\xd2\xd7\xc5\xd2";
static const char utf8[] = "Повільно працює сервер";
/* "Здравствуйте, не работает почта" (Russian) in windows-1251 and koi8-r. */
static const char ru_cp1251[] = "\xc7\xe4\xf0\xe0\xe2\xf1\xf2\xe2\xf3\xe9\xf2\xe5, \xed\xe5 \xf0\xe0\xe1\xee\xf2\xe0\xe5\xf2 "
                                "\xef\xee\xf7\xf2\xe0";
static const char ru_koi8[] = "\xfa\xc4\xd2\xc1\xd7\xd3\xd4\xd7\xd5\xca\xd4\xc5, \xce\xc5 \xd2\xc1\xc2\xcf\xd4\xc1\xc5\xd4 "
                              "\xd0\xcf\xde\xd4\xc1";
static const char ru_utf8[] = "Здравствуйте, не работает почта";

/* Convert and compare, freeing the result. */
static void expect(const char *in, size_t len, const char *charset, const char *want)
{
    char *s = sg_text_to_utf8(in, len, charset);
    assert_string_equal(s, want);
    g_free(s);
}

static void declared_windows_1251_converts(void **state)
{
    (void)state;
    expect(cp1251, strlen(cp1251), "windows-1251", utf8);
    expect(cp1251, strlen(cp1251), "CP1251", utf8);
    expect(ru_cp1251, strlen(ru_cp1251), "Windows-1251", ru_utf8);
}

static void declared_koi8_converts_with_ukrainian_letters(void **state)
{
    (void)state;
    expect(koi8u, strlen(koi8u), "KOI8-U", utf8);
    /* Ukrainian mailers often say koi8-r for koi8-u text; і and є must not become box drawing. */
    expect(koi8u, strlen(koi8u), "koi8-r", utf8);
    expect(ru_koi8, strlen(ru_koi8), "koi8-r", ru_utf8);
}

static void undeclared_windows_1251_is_guessed(void **state)
{
    (void)state;
    expect(cp1251, strlen(cp1251), NULL, utf8);
    expect(ru_cp1251, strlen(ru_cp1251), "", ru_utf8);
}

static void undeclared_koi8u_is_guessed(void **state)
{
    (void)state;
    expect(koi8u, strlen(koi8u), NULL, utf8);
    expect(ru_koi8, strlen(ru_koi8), NULL, ru_utf8);
}

static void unknown_charset_label_is_guessed(void **state)
{
    (void)state;
    expect(koi8u, strlen(koi8u), "x-unknown-charset", utf8);
    expect(cp1251, strlen(cp1251), "unknown-8bit", utf8);
}

static void utf8_ukrainian_passes_unchanged(void **state)
{
    (void)state;
    expect(utf8, strlen(utf8), "utf-8", utf8);
    expect(utf8, strlen(utf8), NULL, utf8);
    expect("plain ascii", 11, "iso-8859-5", "plain ascii");
}

static void lying_labels_on_utf8_are_ignored(void **state)
{
    (void)state;
    expect(utf8, strlen(utf8), "us-ascii", utf8);
    expect(utf8, strlen(utf8), "iso-8859-1", utf8);
    expect(utf8, strlen(utf8), "windows-1251", utf8);
    expect(utf8, strlen(utf8), "koi8-u", utf8);
}

static void lying_labels_on_legacy_cyrillic_are_corrected(void **state)
{
    (void)state;
    expect(cp1251, strlen(cp1251), "utf-8", utf8);
    expect(cp1251, strlen(cp1251), "us-ascii", utf8);
    expect(cp1251, strlen(cp1251), "iso-8859-1", utf8);
    expect(ru_cp1251, strlen(ru_cp1251), "koi8-r", ru_utf8);
    expect(ru_koi8, strlen(ru_koi8), "windows-1251", ru_utf8);
}

static void western_text_is_not_mistaken_for_cyrillic(void **state)
{
    (void)state;
    /* "Grüße aus München, à bientôt" in latin-1. */
    static const char latin1[] = "Gr\xfc\xdf" "e aus M\xfcnchen, \xe0 bient\xf4t";
    static const char want[] = "Grüße aus München, à bientôt";
    expect(latin1, strlen(latin1), NULL, want);
    expect(latin1, strlen(latin1), "iso-8859-1", want);
    expect(latin1, strlen(latin1), "windows-1252", want);
}

static void mostly_utf8_with_a_broken_byte_stays_utf8(void **state)
{
    (void)state;
    /* A message cut in the middle of the last character. */
    char *s = sg_text_to_utf8("Привіт, сервер \xd0", strlen("Привіт, сервер \xd0"), "utf-8");
    assert_true(g_str_has_prefix(s, "Привіт, сервер "));
    assert_true(g_utf8_validate(s, -1, NULL));
    g_free(s);
}

static void nul_bytes_are_dropped(void **state)
{
    (void)state;
    expect("a\0b\0c", 5, "utf-8", "abc");
    expect("\xcf\0\xee\xe2\xb3\xeb\xfc\xed\xee", 9, "windows-1251", "Повільно");
    expect(NULL, 5, NULL, "");
    expect("", 0, "utf-8", "");
}

static void utf16_keeps_its_zero_bytes(void **state)
{
    (void)state;
    expect("\xff\xfeH\0i\0\x1f\x04", 8, "UTF-16", "HiП");
    expect("H\0i\0", 4, "utf-16le", "Hi");
}

/* Random bytes under every kind of label must still come out as valid UTF-8 without NUL. */
static void any_bytes_give_valid_utf8(void **state)
{
    (void)state;
    const char *labels[] = { NULL, "utf-8", "us-ascii", "windows-1251", "koi8-u", "iso-8859-1", "utf-16",
                             "utf-7", "iso-2022-jp", "shift_jis", "bogus" };
    GRand *r = g_rand_new_with_seed(3834);
    for (int round = 0; round < 400; round++) {
        size_t len = (size_t)g_rand_int_range(r, 0, 200);
        char *buf = g_malloc(len + 1);
        for (size_t i = 0; i < len; i++)
            buf[i] = (char)g_rand_int_range(r, 0, 256);
        char *s = sg_text_to_utf8(buf, len, labels[round % G_N_ELEMENTS(labels)]);
        assert_true(g_utf8_validate(s, -1, NULL));
        g_free(s);
        g_free(buf);
    }
    g_rand_free(r);
}

/* HTML ---------------------------------------------------------------------------------------------- */

static void html(const char *in, const char *want)
{
    char *s = sg_text_from_html(in);
    assert_string_equal(s, want);
    g_free(s);
}

static void html_tags_go_and_entities_are_decoded(void **state)
{
    (void)state;
    html("<b>Site</b> is&nbsp;<i>down</i> &amp; &lt;slow&gt; &quot;now&quot; &apos;x&apos;",
         "Site is down & <slow> \"now\" 'x'\n");
    html("&#1087;&#x456;&#X41; &laquo;&mdash;&raquo; &hellip; &euro;5", "піA «—» … €5\n");
    html("AT&T &unknown; &amp a&ampb", "AT&T &unknown; & a&ampb\n");
}

static void html_script_style_head_and_comments_vanish(void **state)
{
    (void)state;
    html("<html><head><title>T</title><meta charset=utf-8><style>p{color:red}</style></head>"
         "<body><script type=\"text/javascript\">alert('<p>x</p>')</script>Visible<!-- hidden <p> -->"
         "<SCRIPT>more()</SCRIPT > text <noscript>shown</noscript></body></html>",
         "Visible text shown\n");
    html("<head><style>x</style>Head never closed<body>Body", "Body\n");
    html("<head><title>t</title>Only a head", "Only a head\n");
}

static void html_blocks_break_lines(void **state)
{
    (void)state;
    html("<p>One</p><p>Two<br>Three</p><div>Four</div><div>Five</div>", "One\n\nTwo\nThree\n\nFour\nFive\n");
    html("<h1>Title</h1><ul><li>a</li><li>b</li></ul><blockquote>q</blockquote>", "Title\n\na\nb\n\nq\n");
    html("<table><tr><td>1</td><td>2</td></tr><tr><td>3</td><td>4</td></tr></table>after",
         "1 2\n3 4\n\nafter\n");
    html("a<br><br><br><br><br>b<br/>c", "a\n\nb\nc\n");
}

static void html_whitespace_collapses(void **state)
{
    (void)state;
    html("  Hello \r\n\t  world  \n\n\n\n  again  ", "Hello world again\n");
    html("<pre>line 1\n  line 2\n\n\n\nline 3</pre>x", "line 1\n  line 2\n\nline 3\n\nx\n");
    html("", "");
    html(NULL, "");
}

static void html_numeric_entities_are_checked(void **state)
{
    (void)state;
    html("a&#0;b&#7;c&#xD800;d&#99999999999;e", "abc\xef\xbf\xbd" "d\xef\xbf\xbd" "e\n");
    html("x&#10;y&#32;z&#x20AC", "x y z€\n");
}

static void html_angle_brackets_in_text_and_attributes(void **state)
{
    (void)state;
    html("if a < b and c > d", "if a < b and c > d\n");
    html("<a title=\"x > y\" href='z'>link</a> end", "link end\n");
    html("<a title=\"unclosed>link</a> end", "link end\n");
    html("<<p>>", "<\n\n>\n");
}

/* Every prefix of a messy page, each in its own exact-size allocation so ASan sees any over-read. */
static void html_truncated_anywhere_is_safe(void **state)
{
    (void)state;
    static const char page[] = "<!DOCTYPE html><html><head><title>x</title><style>a{}</style></head><body "
                               "class=\"a>b\"><p>Hi &amp; &#x41f;&#1088; <b>there</b><br/><script>if (a<b) x()"
                               "</script><!-- c --><div title='q'>t&nbsp;d</div><pre> p\n</pre>&euro</body></html>";
    for (size_t n = 0; n <= strlen(page); n++) {
        char *in = g_strndup(page, n);
        char *s = sg_text_from_html(in);
        assert_true(g_utf8_validate(s, -1, NULL));
        g_free(s);
        g_free(in);
    }
    const char *bad[] = { "<p>unterminated", "<scr", "<script>never closed", "&#", "&#x", "&", "<!-- open", "<!",
                          "</", "<a href=\"", "<a b='c", "</p", "\xd0", "<p>\xff\xfe</p>" };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        char *in = g_strdup(bad[i]);
        char *s = sg_text_from_html(in);
        assert_true(g_utf8_validate(s, -1, NULL));
        g_free(s);
        g_free(in);
    }
}

/* A page of broken tags must not take quadratic time. */
static void html_many_broken_tags_finish(void **state)
{
    (void)state;
    GString *g = g_string_new(NULL);
    for (int i = 0; i < 20000; i++)
        g_string_append(g, "<a x='>y <head>&amp");
    char *s = sg_text_from_html(g->str);
    assert_true(g_utf8_validate(s, -1, NULL));
    g_free(s);
    g_string_free(g, TRUE);
}

/* Language and one line ----------------------------------------------------------------------------- */

static void language_is_cyrillic_when_a_third_is_cyrillic(void **state)
{
    (void)state;
    assert_string_equal(sg_text_lang(utf8), "uk");
    assert_string_equal(sg_text_lang("My VPS is slow"), "en");
    assert_string_equal(sg_text_lang("VPS повільно працює"), "uk");
    assert_string_equal(sg_text_lang("Server abcdefghij is down since yesterday, ціна"), "en");
    assert_string_equal(sg_text_lang("12345 !!!"), "en");
    assert_string_equal(sg_text_lang(""), "en");
    assert_string_equal(sg_text_lang(NULL), "en");
}

static void russian_and_ukrainian_are_told_apart(void **state)
{
    (void)state;
    /* By the letters only one of them has. */
    assert_string_equal(sg_text_lang("Мой сервер не отвечает с утра, выручайте"), "ru");
    assert_string_equal(sg_text_lang("Мій сервер не відповідає з ранку"), "uk");
    assert_string_equal(sg_text_lang("Счёт за VPS"), "ru");
    assert_string_equal(sg_text_lang("Оплата за VPS, рахунок є"), "uk");
    /* Letters outweigh a stray word of the other language: a Russian mail quoting "Вітаємо". */
    assert_string_equal(sg_text_lang("Вітаємо! Вы ответили, но сайт по-прежнему выдаёт ошибку, было бы хорошо"), "ru");
    /* None of those letters: frequent words decide. */
    assert_string_equal(sg_text_lang("Здравствуйте"), "ru");
    assert_string_equal(sg_text_lang("Добрый день, что с сервером"), "ru");
    assert_string_equal(sg_text_lang("Добрий день, що з сервером"), "uk");
    /* Nothing decides: the company's language. */
    assert_string_equal(sg_text_lang("Сервер упал"), "uk");
}

static void one_line_folds_every_control(void **state)
{
    (void)state;
    char a[] = "  Subject\r\nBcc: evil@x\t here  ";
    assert_string_equal(sg_text_one_line(a), "Subject Bcc: evil@x here");
    char b[] = "a\xc2\x85" "b\xe2\x80\xa8" "c\x7f" "d\x1b" "e";
    assert_string_equal(sg_text_one_line(b), "a b c d e");
    char c[] = "\r\n\t ";
    assert_string_equal(sg_text_one_line(c), "");
    char d[] = "Привіт  світ";
    assert_string_equal(sg_text_one_line(d), "Привіт світ");
    assert_null(sg_text_one_line(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(declared_windows_1251_converts),
        cmocka_unit_test(declared_koi8_converts_with_ukrainian_letters),
        cmocka_unit_test(undeclared_windows_1251_is_guessed),
        cmocka_unit_test(undeclared_koi8u_is_guessed),
        cmocka_unit_test(unknown_charset_label_is_guessed),
        cmocka_unit_test(utf8_ukrainian_passes_unchanged),
        cmocka_unit_test(lying_labels_on_utf8_are_ignored),
        cmocka_unit_test(lying_labels_on_legacy_cyrillic_are_corrected),
        cmocka_unit_test(western_text_is_not_mistaken_for_cyrillic),
        cmocka_unit_test(mostly_utf8_with_a_broken_byte_stays_utf8),
        cmocka_unit_test(nul_bytes_are_dropped),
        cmocka_unit_test(utf16_keeps_its_zero_bytes),
        cmocka_unit_test(any_bytes_give_valid_utf8),
        cmocka_unit_test(html_tags_go_and_entities_are_decoded),
        cmocka_unit_test(html_script_style_head_and_comments_vanish),
        cmocka_unit_test(html_blocks_break_lines),
        cmocka_unit_test(html_whitespace_collapses),
        cmocka_unit_test(html_numeric_entities_are_checked),
        cmocka_unit_test(html_angle_brackets_in_text_and_attributes),
        cmocka_unit_test(html_truncated_anywhere_is_safe),
        cmocka_unit_test(html_many_broken_tags_finish),
        cmocka_unit_test(language_is_cyrillic_when_a_third_is_cyrillic),
        cmocka_unit_test(russian_and_ukrainian_are_told_apart),
        cmocka_unit_test(one_line_folds_every_control),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
