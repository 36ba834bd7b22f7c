/* test_duration.c - durations and sizes as operators write them in supportgate.conf. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "duration.h"

static long long dur(const char *s)
{
    long long v = -42;
    return sg_duration_parse(s, &v) == 0 ? v : -1;
}

static void units_and_combinations_parse(void **state)
{
    (void)state;
    assert_int_equal(dur("90"), 90);
    assert_int_equal(dur("2m"), 120);
    assert_int_equal(dur("1h30m"), 5400);
    assert_int_equal(dur("1d"), 86400);
    assert_int_equal(dur("1w2d"), 9 * 86400);
    assert_int_equal(dur("10S"), 10);
}

static void malformed_durations_are_refused(void **state)
{
    (void)state;
    assert_int_equal(dur(""), -1);
    assert_int_equal(dur("m"), -1);
    assert_int_equal(dur("2x"), -1);
    assert_int_equal(dur("1h30"), -1);
    assert_int_equal(dur("-5m"), -1);
    assert_int_equal(dur("99999999999999999999s"), -1);
    assert_int_equal(dur("9999999999999999w"), -1);
}

static void sizes_use_binary_units(void **state)
{
    (void)state;
    long long v;
    assert_int_equal(sg_size_parse("25M", &v), 0);
    assert_int_equal(v, 25LL * 1024 * 1024);
    assert_int_equal(sg_size_parse("1024", &v), 0);
    assert_int_equal(v, 1024);
    assert_int_equal(sg_size_parse("2kb", &v), 0);
    assert_int_equal(v, 2048);
    assert_int_equal(sg_size_parse("2T", &v), -1);
    assert_int_equal(sg_size_parse("", &v), -1);
}

static void durations_read_as_words(void **state)
{
    (void)state;
    char b[64];
    assert_string_equal(sg_duration_words(600, "en", b, sizeof b), "10 minutes");
    assert_string_equal(sg_duration_words(60, "en", b, sizeof b), "1 minute");
    assert_string_equal(sg_duration_words(7200, "en", b, sizeof b), "2 hours");
    assert_string_equal(sg_duration_words(600, "uk", b, sizeof b), "10 хвилин");
    assert_string_equal(sg_duration_words(60, "uk", b, sizeof b), "1 хвилини");
    assert_string_equal(sg_duration_words(21 * 60, "uk", b, sizeof b), "21 хвилини");
    assert_string_equal(sg_duration_words(11 * 60, "uk", b, sizeof b), "11 хвилин");
    assert_string_equal(sg_duration_words(600, "ru", b, sizeof b), "10 минут");
    assert_string_equal(sg_duration_words(60, "ru", b, sizeof b), "1 минуты");
    assert_string_equal(sg_duration_words(2 * 3600, "ru", b, sizeof b), "2 часов");
    assert_string_equal(sg_duration_words(21 * 3600, "ru", b, sizeof b), "21 часа");
    assert_string_equal(sg_duration_words(86400, "ru", b, sizeof b), "1 суток");
    assert_string_equal(sg_duration_words(600, "de", b, sizeof b), "10 minutes"); /* unknown: English */
    assert_string_equal(sg_duration_words(600, NULL, b, sizeof b), "10 minutes");
    assert_string_equal(sg_duration_format(5400, b, sizeof b), "1h30m");
    assert_string_equal(sg_duration_format(0, b, sizeof b), "0s");
}

static void durations_read_as_hours_and_minutes(void **state)
{
    (void)state;
    char b[32];
    assert_string_equal(sg_duration_hm(8820, b, sizeof b), "2 h 27 min");
    assert_string_equal(sg_duration_hm(8879, b, sizeof b), "2 h 27 min");
    assert_string_equal(sg_duration_hm(10800, b, sizeof b), "3 h");
    assert_string_equal(sg_duration_hm(2700, b, sizeof b), "45 min");
    assert_string_equal(sg_duration_hm(59, b, sizeof b), "0 min");
    assert_string_equal(sg_duration_hm(0, b, sizeof b), "0 min");
    assert_string_equal(sg_duration_hm(-3660, b, sizeof b), "-1 h 1 min");
    assert_string_equal(sg_duration_hm(213120, b, sizeof b), "59 h 12 min");
    /* Staff read them in their language. */
    char u[48];
    assert_string_equal(sg_duration_hm_lang(8820, "uk", u, sizeof u), "2 год 27 хв");
    assert_string_equal(sg_duration_hm_lang(10800, "ru", u, sizeof u), "3 ч");
    assert_string_equal(sg_duration_hm_lang(2700, "ru", u, sizeof u), "45 мин");
    assert_string_equal(sg_duration_hm_lang(2700, "de", u, sizeof u), "45 min");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(units_and_combinations_parse),
        cmocka_unit_test(malformed_durations_are_refused),
        cmocka_unit_test(sizes_use_binary_units),
        cmocka_unit_test(durations_read_as_words),
        cmocka_unit_test(durations_read_as_hours_and_minutes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
