/* test_text.c - one-line text: every control character folds into a space. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glib.h>
#include <string.h>

#include "text.h"

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

static void nearest_names_are_found_only_when_close(void **state)
{
    (void)state;
    static const char *const names[] = { "ack_limit_per_hour", "db_timeout", "retry_min", "retry_max" };
    assert_int_equal(sg_text_distance("kitten", "sitting"), 3);
    assert_int_equal(sg_text_distance("", "abc"), 3);
    assert_int_equal(sg_text_distance("same", "same"), 0);
    assert_string_equal(sg_text_nearest("ack_limt_per_hour", names, 4), "ack_limit_per_hour");
    assert_string_equal(sg_text_nearest("retry_mix", names, 4), "retry_min");
    assert_string_equal(sg_text_nearest("ack_limt", names, 4), "ack_limit_per_hour");
    assert_null(sg_text_nearest("colour", names, 4));
    assert_null(sg_text_nearest("ac", names, 4));
    assert_null(sg_text_nearest("x", names, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nearest_names_are_found_only_when_close),
        cmocka_unit_test(one_line_folds_every_control),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
