/* test_overload.c - when the first line's backlog opens, keeps and ends an overload episode. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "overload.h"

/* 25 waiting tickets or the oldest waiting 30 minutes. */
static const sg_overload_limits both = { .backlog = 25, .wait = 1800 };

static void backlog_at_threshold_begins_an_episode(void **state)
{
    (void)state;
    assert_int_equal(SG_OVERLOAD_QUIET, sg_overload_decide(&both, 24, 60, 0));
    assert_int_equal(SG_OVERLOAD_BEGIN, sg_overload_decide(&both, 25, 60, 0));
}

static void one_ticket_waiting_too_long_begins_an_episode(void **state)
{
    (void)state;
    assert_int_equal(SG_OVERLOAD_QUIET, sg_overload_decide(&both, 1, 1799, 0));
    assert_int_equal(SG_OVERLOAD_BEGIN, sg_overload_decide(&both, 1, 1800, 0));
}

/* The episode goes on while either threshold is reached, and ends only under both. */
static void episode_ends_under_both_thresholds(void **state)
{
    (void)state;
    assert_int_equal(SG_OVERLOAD_GOING, sg_overload_decide(&both, 30, 60, 1));
    assert_int_equal(SG_OVERLOAD_GOING, sg_overload_decide(&both, 3, 4000, 1));
    assert_int_equal(SG_OVERLOAD_END, sg_overload_decide(&both, 24, 1799, 1));
    assert_int_equal(SG_OVERLOAD_END, sg_overload_decide(&both, 0, 0, 1));
}

/* A threshold of 0 is off; with both off nothing begins, and an open episode (a reload switched it off) ends. */
static void zero_switches_a_threshold_off(void **state)
{
    (void)state;
    const sg_overload_limits count_only = { .backlog = 25 }, off = { 0 };
    assert_int_equal(SG_OVERLOAD_QUIET, sg_overload_decide(&count_only, 3, 86400, 0));
    assert_int_equal(SG_OVERLOAD_QUIET, sg_overload_decide(&off, 1000, 86400, 0));
    assert_int_equal(SG_OVERLOAD_END, sg_overload_decide(&off, 1000, 86400, 1));
}

/* Nothing waiting is never an overload, whatever the age the measure reports. */
static void empty_backlog_is_never_over(void **state)
{
    (void)state;
    const sg_overload_limits wait_only = { .wait = 60 };
    assert_false(sg_overload_over(&wait_only, 0, 999999));
    assert_true(sg_overload_over(&wait_only, 1, 60));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(backlog_at_threshold_begins_an_episode),
        cmocka_unit_test(one_ticket_waiting_too_long_begins_an_episode),
        cmocka_unit_test(episode_ends_under_both_thresholds),
        cmocka_unit_test(zero_switches_a_threshold_off),
        cmocka_unit_test(empty_backlog_is_never_over),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
