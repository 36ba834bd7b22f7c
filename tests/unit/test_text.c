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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_line_folds_every_control),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
