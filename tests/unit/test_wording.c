/* test_wording.c - greetings, clock times, zones and working hours as customers read them in en, uk and ru. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glib.h>
#include <string.h>

#include "config.h"
#include "wording.h"

static void is(char *got, const char *want)
{
    assert_string_equal(got, want);
    g_free(got);
}

static void greetings_have_their_punctuation_and_the_vocative_where_known(void **state)
{
    (void)state;
    is(sg_words_greeting("uk", "Оксана Мельник"), "Вітаємо, Оксано!");
    is(sg_words_greeting("uk", "Мельник Оксана"), "Вітаємо, Оксано!");
    is(sg_words_greeting("uk", "Олег"), "Вітаємо, Олеже!");
    is(sg_words_greeting("uk", "ІВАН"), "Вітаємо, Іване!");
    /* A name the table does not know, two given names, or none: the greeting needs no vocative. */
    is(sg_words_greeting("uk", "Zhanna Smith"), "Вітаємо!");
    is(sg_words_greeting("uk", "Іван Петро"), "Вітаємо!");
    is(sg_words_greeting("uk", NULL), "Вітаємо!");
    is(sg_words_greeting("ru", "Иван Петров"), "Здравствуйте, Иван Петров!");
    is(sg_words_greeting("ru", ""), "Здравствуйте!");
    is(sg_words_greeting("en", " Ivan Petrenko "), "Hello Ivan Petrenko,");
    is(sg_words_greeting("en", "ivan@example.net"), "Hello,");
    is(sg_words_greeting("en", "--- 123"), "Hello,");
}

/* 2026-12-04 (a Friday) 17:02:00 UTC = 19:02 in Kyiv. */
#define FRI 1796403720LL

static void times_read_as_a_clock_and_a_date(void **state)
{
    (void)state;
    is(sg_words_when("uk", "Europe/Kyiv", FRI, FRI - 600), "19:02");
    is(sg_words_when("en", "Europe/Kyiv", FRI + 3 * 86400, FRI), "7 December, 19:02");
    is(sg_words_when("uk", "Europe/Kyiv", FRI + 3 * 86400, FRI), "7 грудня, 19:02");
    is(sg_words_when("ru", "Europe/Kyiv", FRI + 3 * 86400, FRI), "7 декабря, 19:02");
    is(sg_words_when("en", "Europe/Kyiv", FRI + 40 * 86400, FRI), "13 January 2027, 19:02");
    /* 23:30 UTC on Friday is already Saturday in Kyiv: the date follows the customer's clock. */
    is(sg_words_when("en", "Europe/Kyiv", FRI + 6 * 3600 + 28 * 60, FRI), "5 December, 01:30");
}

static void zones_are_named_as_people_say_them(void **state)
{
    (void)state;
    is(sg_words_zone("en", "Europe/Kyiv", FRI), "Kyiv time");
    is(sg_words_zone("uk", "Europe/Kyiv", FRI), "за київським часом");
    is(sg_words_zone("ru", "Europe/Amsterdam", FRI), "по центральноевропейскому времени");
    is(sg_words_zone("uk", "Asia/Dubai", FRI), "за часом UTC+4");
    is(sg_words_zone("en", "Asia/Kolkata", FRI), "UTC+5:30");
    is(sg_words_zone("ru", "America/Sao_Paulo", FRI), "по времени UTC-3");
}

static sg_config *teams(void)
{
    char *err = NULL;
    sg_config *c = sg_config_parse(
        "intake = support@introserv.com email 2m\n"
        "team = support 1 support-team@introserv.com\n"
        "team = billing 2 billing@introserv.com\n"
        "calendar = billing Europe/Amsterdam Mon-Fri 09:00-18:00\n"
        "team = datacenter 2 datacenter@introserv.com\n"
        "calendar = datacenter Europe/Amsterdam Mon-Fri 08:00-17:00\n"
        "calendar = datacenter America/New_York Mon-Fri 08:00-17:00\n"
        "team = weekend 2 weekend@introserv.com\n"
        "calendar = weekend Europe/Kyiv Sat,Sun 10:00-16:00\n", "test.conf", &err);
    assert_null(err);
    return c;
}

static void hours_read_in_the_language_and_the_customers_zone(void **state)
{
    (void)state;
    sg_config *c = teams();
    const sg_team *billing = sg_config_team_find(c, "billing"), *dc = sg_config_team_find(c, "datacenter");
    is(sg_words_hours("uk", billing, "Europe/Kyiv", FRI),
       "пн–пт 09:00–18:00 за центральноєвропейським часом (10:00–19:00 за київським)");
    is(sg_words_hours("ru", billing, "Europe/Kyiv", FRI),
       "пн–пт 09:00–18:00 по центральноевропейскому времени (10:00–19:00 по киевскому)");
    is(sg_words_hours("en", billing, "Europe/Kyiv", FRI),
       "Monday to Friday, 09:00–18:00 Central European Time (10:00–19:00 Kyiv time)");
    /* The same zone needs no second clock; New York's shift in December ends at midnight in Kyiv. */
    is(sg_words_hours("en", billing, "Europe/Amsterdam", FRI), "Monday to Friday, 09:00–18:00 Central European Time");
    is(sg_words_hours("uk", dc, "Europe/Kyiv", FRI),
       "пн–пт 08:00–17:00 за центральноєвропейським часом (09:00–18:00 за київським) або "
       "пн–пт 08:00–17:00 за нью-йоркським часом (15:00–00:00 за київським)");
    is(sg_words_hours("en", sg_config_team_find(c, "weekend"), "Europe/Kyiv", FRI),
       "Saturday and Sunday, 10:00–16:00 Kyiv time");
    is(sg_words_hours("uk", sg_config_team_find(c, "weekend"), "Europe/Kyiv", FRI), "сб, нд 10:00–16:00 за київським часом");
    is(sg_words_hours("ru", sg_config_team_find(c, "support"), "Europe/Kyiv", FRI), "круглосуточно");
    sg_config_unref(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(greetings_have_their_punctuation_and_the_vocative_where_known),
        cmocka_unit_test(times_read_as_a_clock_and_a_date),
        cmocka_unit_test(zones_are_named_as_people_say_them),
        cmocka_unit_test(hours_read_in_the_language_and_the_customers_zone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
