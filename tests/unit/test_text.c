/* test_text.c - every charset customers use becomes UTF-8; HTML becomes readable text. */
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

static void declared_charsets_convert(void **state)
{
    (void)state;
    char *s = sg_text_to_utf8(cp1251, strlen(cp1251), "windows-1251");
    assert_string_equal(s, utf8);
    g_free(s);
    s = sg_text_to_utf8(koi8u, strlen(koi8u), "KOI8-U");
    assert_string_equal(s, utf8);
    g_free(s);
}

static void undeclared_cyrillic_is_guessed(void **state)
{
    (void)state;
    char *s = sg_text_to_utf8(cp1251, strlen(cp1251), NULL);
    assert_string_equal(s, utf8);
    g_free(s);
    s = sg_text_to_utf8(koi8u, strlen(koi8u), "x-unknown-charset");
    assert_string_equal(s, utf8);
    g_free(s);
}

static void lying_charsets_are_caught(void **state)
{
    (void)state;
    char *s = sg_text_to_utf8(utf8, strlen(utf8), "us-ascii");
    assert_string_equal(s, utf8);
    g_free(s);
    s = sg_text_to_utf8(utf8, strlen(utf8), "iso-8859-1");
    assert_string_equal(s, utf8);
    g_free(s);
    s = sg_text_to_utf8(cp1251, strlen(cp1251), "utf-8");
    assert_string_equal(s, utf8);
    g_free(s);
}

static void nul_bytes_are_dropped(void **state)
{
    (void)state;
    char *s = sg_text_to_utf8("a\0b\0c", 5, "utf-8");
    assert_string_equal(s, "abc");
    g_free(s);
}

static void html_becomes_readable_text(void **state)
{
    (void)state;
    char *s = sg_text_from_html("<html><head><title>t</title><style>p{}</style></head><body>"
                                "<script>alert(1)</script><p>Hello &amp; welcome&nbsp;&#1087;&#x456;!</p>"
                                "<!-- hidden --><div>Line<br>two</div><p>a &lt; b</p></body></html>");
    assert_string_equal(s, "Hello & welcome пі!\n\nLine\ntwo\n\na < b\n");
    g_free(s);
}

static void broken_html_does_not_read_past_the_end(void **state)
{
    (void)state;
    const char *bad[] = { "<p>unterminated", "text < 5 and > 3", "<scr", "<script>never closed", "&#99999999;",
                          "&amp", "<!-- open", "" };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        char *s = sg_text_from_html(bad[i]);
        assert_true(g_utf8_validate(s, -1, NULL));
        g_free(s);
    }
    char *s = sg_text_from_html("text < 5 and > 3");
    assert_string_equal(s, "text < 5 and > 3\n");
    g_free(s);
}

static void language_and_one_line(void **state)
{
    (void)state;
    assert_string_equal(sg_text_lang(utf8), "uk");
    assert_string_equal(sg_text_lang("My VPS is slow"), "en");
    assert_string_equal(sg_text_lang("VPS повільно працює"), "uk");
    assert_string_equal(sg_text_lang(""), "en");
    char s[] = "  Subject\r\nBcc: evil@x\t here  ";
    assert_string_equal(sg_text_one_line(s), "Subject Bcc: evil@x here");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(declared_charsets_convert),
        cmocka_unit_test(undeclared_cyrillic_is_guessed),
        cmocka_unit_test(lying_charsets_are_caught),
        cmocka_unit_test(nul_bytes_are_dropped),
        cmocka_unit_test(html_becomes_readable_text),
        cmocka_unit_test(broken_html_does_not_read_past_the_end),
        cmocka_unit_test(language_and_one_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
