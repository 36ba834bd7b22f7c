/* test_charset.c - every charset customers use becomes UTF-8, declared or guessed, whatever the label says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glib.h>
#include <string.h>

#include "charset.h"

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

/* A label iconv does not know: the letters are guessed, and the note says they were. */
static void an_unusable_label_is_noted(void **state)
{
    (void)state;
    char *note = NULL;
    char *s = sg_text_to_utf8_noted(cp1251, strlen(cp1251), "x-no-such-charset", &note);
    assert_string_equal(s, utf8);
    assert_non_null(note);
    assert_non_null(strstr(note, "\"x-no-such-charset\", which cannot be read as such"));
    g_free(s);
    g_free(note);
    /* A label that works, or plain ASCII under any label, needs no note. */
    s = sg_text_to_utf8_noted(cp1251, strlen(cp1251), "windows-1251", &note);
    assert_null(note);
    g_free(s);
    s = sg_text_to_utf8_noted("plain words", 11, "x-no-such-charset", &note);
    assert_string_equal(s, "plain words");
    assert_null(note);
    g_free(s);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(declared_windows_1251_converts),
        cmocka_unit_test(declared_koi8_converts_with_ukrainian_letters),
        cmocka_unit_test(undeclared_windows_1251_is_guessed),
        cmocka_unit_test(undeclared_koi8u_is_guessed),
        cmocka_unit_test(unknown_charset_label_is_guessed),
        cmocka_unit_test(an_unusable_label_is_noted),
        cmocka_unit_test(utf8_ukrainian_passes_unchanged),
        cmocka_unit_test(lying_labels_on_utf8_are_ignored),
        cmocka_unit_test(lying_labels_on_legacy_cyrillic_are_corrected),
        cmocka_unit_test(western_text_is_not_mistaken_for_cyrillic),
        cmocka_unit_test(mostly_utf8_with_a_broken_byte_stays_utf8),
        cmocka_unit_test(nul_bytes_are_dropped),
        cmocka_unit_test(utf16_keeps_its_zero_bytes),
        cmocka_unit_test(any_bytes_give_valid_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
