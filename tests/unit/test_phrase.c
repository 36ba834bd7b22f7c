/* test_phrase.c - the sentences the gateway writes itself, in the customer's language. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <string.h>

#include "phrase.h"

static void each_language_has_its_own_words(void **state)
{
    (void)state;
    char *en = sg_phrase("en", SG_PHRASE_ETA_LABEL, NULL), *uk = sg_phrase("uk", SG_PHRASE_ETA_LABEL, NULL),
         *ru = sg_phrase("ru", SG_PHRASE_ETA_LABEL, NULL);
    assert_string_equal(en, "Estimated resolution");
    assert_string_equal(uk, "Орієнтовний час розв'язання");
    assert_string_equal(ru, "Ориентировочное время решения");
    g_free(en); g_free(uk); g_free(ru);
}

static void placeholders_are_filled_from_the_pairs(void **state)
{
    (void)state;
    char *s = sg_phrase("ru", SG_PHRASE_NEWS_NOTE, "due", "2026-11-30 09:25", "timezone", "Europe/Kyiv", NULL);
    assert_string_equal(s, "Следующее сообщение о ходе работы вы получите не позднее 2026-11-30 09:25 (Europe/Kyiv).\n\n");
    g_free(s);
    s = sg_phrase("uk", SG_PHRASE_HOURS_NOTE, "hours", "Mon-Fri 09:00-18:00", NULL);
    assert_non_null(strstr(s, "Команда працює: Mon-Fri 09:00-18:00."));
    g_free(s);
    /* A value is not expanded again, and a missing pair leaves the place empty. */
    s = sg_phrase("en", SG_PHRASE_NEWS_NOTE, "due", "{{timezone}}", NULL);
    assert_string_equal(s, "You will hear from us about the progress by {{timezone}} () at the latest.\n\n");
    g_free(s);
}

static void unknown_languages_get_english(void **state)
{
    (void)state;
    char *de = sg_phrase("de", SG_PHRASE_ETA_LABEL, NULL), *none = sg_phrase(NULL, SG_PHRASE_ETA_LABEL, NULL);
    assert_string_equal(de, "Estimated resolution");
    assert_string_equal(none, "Estimated resolution");
    g_free(de); g_free(none);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_language_has_its_own_words),
        cmocka_unit_test(placeholders_are_filled_from_the_pairs),
        cmocka_unit_test(unknown_languages_get_english),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
