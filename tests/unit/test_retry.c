/* test_retry.c - the relay's backoff: starts at retry_min, doubles per attempt, stops at retry_max. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>

#include "retry.h"

static void first_failure_waits_retry_min(void **state)
{
    (void)state;
    assert_int_equal(sg_retry_delay(30, 1800, 1), 30);
    /* A row claimed for the first time has attempts 1; 0 or less never happens but must not shorten the wait. */
    assert_int_equal(sg_retry_delay(30, 1800, 0), 30);
    assert_int_equal(sg_retry_delay(30, 1800, -5), 30);
}

static void each_further_failure_doubles_the_wait(void **state)
{
    (void)state;
    long long want = 30;
    for (int a = 1; a <= 6; a++, want *= 2)
        assert_int_equal(sg_retry_delay(30, 1800, a), want); /* 30 60 120 240 480 960 */
    for (int a = 1; a < 20; a++)
        assert_true(sg_retry_delay(30, 1800, a + 1) >= sg_retry_delay(30, 1800, a));
}

static void the_wait_is_capped_at_retry_max(void **state)
{
    (void)state;
    assert_int_equal(sg_retry_delay(30, 1800, 7), 1800); /* 1920 would pass the cap */
    assert_int_equal(sg_retry_delay(30, 1800, 100), 1800);
    /* Thousands of attempts do not overflow: doubling stops at the cap. */
    assert_int_equal(sg_retry_delay(1, 86400, INT_MAX), 86400);
    /* A cap that is not a power-of-two multiple of the start is still reached exactly. */
    assert_int_equal(sg_retry_delay(7, 50, 4), 50);
}

static void equal_bounds_give_a_fixed_wait(void **state)
{
    (void)state;
    for (int a = 1; a < 10; a++)
        assert_int_equal(sg_retry_delay(5, 5, a), 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_failure_waits_retry_min),
        cmocka_unit_test(each_further_failure_doubles_the_wait),
        cmocka_unit_test(the_wait_is_capped_at_retry_max),
        cmocka_unit_test(equal_bounds_give_a_fixed_wait),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
