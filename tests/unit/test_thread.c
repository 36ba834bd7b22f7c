/* test_thread.c - subject tags and Message-ID lists, as customers' clients mangle them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glib.h>

#include "thread.h"

static void tags_are_found_in_common_reply_subjects(void **state)
{
    (void)state;
    assert_int_equal(sg_thread_tag("Re: [INTROSERV #42] Printer", "INTROSERV"), 42);
    assert_int_equal(sg_thread_tag("AW: Fwd: [introserv #7]", "INTROSERV"), 7);
    assert_int_equal(sg_thread_tag("[INTROSERV#9] x", "INTROSERV"), 9);
    assert_int_equal(sg_thread_tag("[ INTROSERV #10 ] x", "INTROSERV"), 10);
    assert_int_equal(sg_thread_tag("[x] [INTROSERV #11]", "INTROSERV"), 11);
}

static void no_tag_or_a_bad_one_gives_zero(void **state)
{
    (void)state;
    assert_int_equal(sg_thread_tag("Printer", "INTROSERV"), 0);
    assert_int_equal(sg_thread_tag("[OTHER #5] x", "INTROSERV"), 0);
    assert_int_equal(sg_thread_tag("[INTROSERV #99999999999999999999999]", "INTROSERV"), 0);
    assert_int_equal(sg_thread_tag("[INTROSERV #12", "INTROSERV"), 0);
    assert_int_equal(sg_thread_tag("[INTROSERV #]", "INTROSERV"), 0);
    assert_int_equal(sg_thread_tag(NULL, "INTROSERV"), 0);
}

static void tagging_a_subject_does_not_repeat_the_tag(void **state)
{
    (void)state;
    char *s = sg_thread_tag_subject("Printer", "INTROSERV", 5);
    assert_string_equal(s, "[INTROSERV #5] Printer");
    g_free(s);
    s = sg_thread_tag_subject("Re: [INTROSERV #5] Printer", "INTROSERV", 5);
    assert_string_equal(s, "Re: [INTROSERV #5] Printer");
    g_free(s);
    s = sg_thread_tag_subject("", "INTROSERV", 6);
    assert_string_equal(s, "[INTROSERV #6]");
    g_free(s);
}

static void message_id_lists_tolerate_comments_and_folding(void **state)
{
    (void)state;
    char **ids = sg_thread_msgids(" <a@x> (comment <no@x>)\r\n\t<b@y>, c@z <broken");
    assert_int_equal(g_strv_length(ids), 4);
    assert_string_equal(ids[0], "a@x");
    assert_string_equal(ids[1], "b@y");
    assert_string_equal(ids[2], "c@z");
    assert_string_equal(ids[3], "broken");
    g_strfreev(ids);
    ids = sg_thread_msgids(NULL);
    assert_int_equal(g_strv_length(ids), 0);
    g_strfreev(ids);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tags_are_found_in_common_reply_subjects),
        cmocka_unit_test(no_tag_or_a_bad_one_gives_zero),
        cmocka_unit_test(tagging_a_subject_does_not_repeat_the_tag),
        cmocka_unit_test(message_id_lists_tolerate_comments_and_folding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
