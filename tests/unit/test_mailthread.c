/* test_mailthread.c - subject tags and Message-ID lists, as customers' clients mangle them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glib.h>

#include "mailthread.h"

#define P "INTROSERV"

static void tags_are_found_in_common_reply_subjects(void **state)
{
    (void)state;
    assert_int_equal(sg_thread_tag("Re: [INTROSERV #42] x", P), 42);
    assert_int_equal(sg_thread_tag("[introserv #7]", P), 7);
    assert_int_equal(sg_thread_tag("AW: Fwd: [IntroServ #8] Printer", P), 8);
    assert_int_equal(sg_thread_tag("[INTROSERV#9]", P), 9);
    assert_int_equal(sg_thread_tag("[ INTROSERV #10 ] x", P), 10);
    assert_int_equal(sg_thread_tag("[INTROSERV # 12]", P), 12);
    assert_int_equal(sg_thread_tag("[x] [INTROSERV #11]", P), 11);
    assert_int_equal(sg_thread_tag("[INTROSERV #0] [INTROSERV #13]", P), 13);
}

static void the_first_tag_wins(void **state)
{
    (void)state;
    assert_int_equal(sg_thread_tag("Re: [INTROSERV #5] was [INTROSERV #4]", P), 5);
}

static void no_tag_gives_zero(void **state)
{
    (void)state;
    assert_int_equal(sg_thread_tag("Printer broken", P), 0);
    assert_int_equal(sg_thread_tag("", P), 0);
    assert_int_equal(sg_thread_tag(NULL, P), 0);
    assert_int_equal(sg_thread_tag("[INTROSERV #1]", ""), 0);
    assert_int_equal(sg_thread_tag("[INTROSERV #1]", NULL), 0);
    assert_int_equal(sg_thread_tag("INTROSERV #14", P), 0);
}

static void a_tag_of_another_prefix_gives_zero(void **state)
{
    (void)state;
    assert_int_equal(sg_thread_tag("[OTHER #5] x", P), 0);
    assert_int_equal(sg_thread_tag("[INTROSERVX #5] x", P), 0);
    assert_int_equal(sg_thread_tag("[XINTROSERV #5] x", P), 0);
    assert_int_equal(sg_thread_tag("[INTRO #5] x", P), 0);
}

static void malformed_tags_give_zero(void **state)
{
    (void)state;
    assert_int_equal(sg_thread_tag("[INTROSERV #12", P), 0);
    assert_int_equal(sg_thread_tag("[INTROSERV #]", P), 0);
    assert_int_equal(sg_thread_tag("[INTROSERV 12]", P), 0);
    assert_int_equal(sg_thread_tag("[INTROSERV #-3]", P), 0);
    assert_int_equal(sg_thread_tag("[INTROSERV #12a]", P), 0);
    assert_int_equal(sg_thread_tag("[INTROSERV #0]", P), 0);
    assert_int_equal(sg_thread_tag("[", P), 0);
}

static void huge_numbers_give_zero(void **state)
{
    (void)state;
    assert_int_equal(sg_thread_tag("[INTROSERV #99999999999999999999999]", P), 0);
    assert_int_equal(sg_thread_tag("[INTROSERV #9223372036854775808]", P), 0);
    assert_int_equal(sg_thread_tag("[INTROSERV #9007199254740993]", P), 0);
    assert_true(sg_thread_tag("[INTROSERV #9007199254740992]", P) == 9007199254740992LL);
}

static void tags_are_made_and_not_repeated(void **state)
{
    (void)state;
    char *s = sg_thread_tag_make(P, 5);
    assert_string_equal(s, "[INTROSERV #5]");
    g_free(s);
    s = sg_thread_tag_subject("Printer", P, 5);
    assert_string_equal(s, "[INTROSERV #5] Printer");
    g_free(s);
    s = sg_thread_tag_subject("Re: [INTROSERV #5] Printer", P, 5);
    assert_string_equal(s, "Re: [INTROSERV #5] Printer");
    g_free(s);
    s = sg_thread_tag_subject("Re: [INTROSERV #4] Printer", P, 5);
    assert_string_equal(s, "[INTROSERV #5] Re: [INTROSERV #4] Printer");
    g_free(s);
    s = sg_thread_tag_subject("", P, 6);
    assert_string_equal(s, "[INTROSERV #6]");
    g_free(s);
    s = sg_thread_tag_subject(NULL, P, 6);
    assert_string_equal(s, "[INTROSERV #6]");
    g_free(s);
}

static void message_id_lists_tolerate_comments_and_folding(void **state)
{
    (void)state;
    char **ids = sg_thread_msgids(" <a@x> (comment <no@x> (nested)) \r\n\t<b@y>,<c@z>\r\n <broken");
    assert_int_equal(g_strv_length(ids), 4);
    assert_string_equal(ids[0], "a@x");
    assert_string_equal(ids[1], "b@y");
    assert_string_equal(ids[2], "c@z");
    assert_string_equal(ids[3], "broken");
    g_strfreev(ids);
}

static void message_ids_without_brackets_need_an_at(void **state)
{
    (void)state;
    char **ids = sg_thread_msgids("bare@example.net noise <ok@x>");
    assert_int_equal(g_strv_length(ids), 2);
    assert_string_equal(ids[0], "bare@example.net");
    assert_string_equal(ids[1], "ok@x");
    g_strfreev(ids);
}

static void unusable_message_ids_are_dropped(void **state)
{
    (void)state;
    char **ids = sg_thread_msgids("<> <a b@x> <bad\xff@x> <ctl\x01@x> <good@x>");
    assert_int_equal(g_strv_length(ids), 1);
    assert_string_equal(ids[0], "good@x");
    g_strfreev(ids);
    ids = sg_thread_msgids(NULL);
    assert_int_equal(g_strv_length(ids), 0);
    g_strfreev(ids);
    ids = sg_thread_msgids("   (only a comment");
    assert_int_equal(g_strv_length(ids), 0);
    g_strfreev(ids);
}

static void utf8_message_ids_are_kept(void **state)
{
    (void)state;
    char **ids = sg_thread_msgids("<лист@приклад.укр>");
    assert_int_equal(g_strv_length(ids), 1);
    assert_string_equal(ids[0], "лист@приклад.укр");
    g_strfreev(ids);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tags_are_found_in_common_reply_subjects),
        cmocka_unit_test(the_first_tag_wins),
        cmocka_unit_test(no_tag_gives_zero),
        cmocka_unit_test(a_tag_of_another_prefix_gives_zero),
        cmocka_unit_test(malformed_tags_give_zero),
        cmocka_unit_test(huge_numbers_give_zero),
        cmocka_unit_test(tags_are_made_and_not_repeated),
        cmocka_unit_test(message_id_lists_tolerate_comments_and_folding),
        cmocka_unit_test(message_ids_without_brackets_need_an_at),
        cmocka_unit_test(unusable_message_ids_are_dropped),
        cmocka_unit_test(utf8_message_ids_are_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
