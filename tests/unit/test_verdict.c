/* test_verdict.c - an approver's answer: approve or deny as the first word, and the reason after it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <string.h>

#include "verdict.h"

static void first_word_decides_in_any_case(void **state)
{
    (void)state;
    char *reason = NULL;
    assert_int_equal(SG_VERDICT_APPROVE, sg_verdict_read("Approve", &reason));
    assert_string_equal("", reason);
    g_free(reason);
    assert_int_equal(SG_VERDICT_DENY, sg_verdict_read("\n\n  DENIED.\n", &reason));
    g_free(reason);
    assert_int_equal(SG_VERDICT_APPROVE, sg_verdict_read("approved", &reason));
    g_free(reason);
}

/* The reason runs over the answer's own lines and stops at the quote, the attribution or the signature. */
static void reason_is_the_answers_own_words(void **state)
{
    (void)state;
    char *reason = NULL;
    assert_int_equal(SG_VERDICT_DENY,
                     sg_verdict_read("deny: the outage lasted 20 minutes,\nunder the 99.9% we promise.\n\n"
                                     "On Mon, 7 Dec 2026 Support wrote:\n> Agent asks for your approval\n", &reason));
    assert_string_equal("the outage lasted 20 minutes, under the 99.9% we promise.", reason);
    g_free(reason);
    assert_int_equal(SG_VERDICT_APPROVE, sg_verdict_read("approve - within policy\n-- \nDirector\n", &reason));
    assert_string_equal("within policy", reason);
    g_free(reason);
}

/* "approval", "denying", a quote first, Cyrillic first words or nothing at all decide nothing. */
static void anything_else_decides_nothing(void **state)
{
    (void)state;
    const char *texts[] = { "approval is fine by me", "I approve", "> approve\n", "", "погоджую", "approveé",
                            "denying this" };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char *reason = NULL;
        assert_int_equal(SG_VERDICT_NONE, sg_verdict_read(texts[i], &reason));
        assert_string_equal("", reason);
        g_free(reason);
    }
}

/* A long reason is cut at 500 bytes, never inside a UTF-8 character. */
static void long_reason_is_cut_whole(void **state)
{
    (void)state;
    GString *t = g_string_new("deny ");
    for (int i = 0; i < 400; i++)
        g_string_append(t, "ї");
    char *reason = NULL;
    assert_int_equal(SG_VERDICT_DENY, sg_verdict_read(t->str, &reason));
    assert_true(strlen(reason) <= 500);
    assert_true(g_utf8_validate(reason, -1, NULL));
    g_free(reason);
    g_string_free(t, TRUE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_word_decides_in_any_case),
        cmocka_unit_test(reason_is_the_answers_own_words),
        cmocka_unit_test(anything_else_decides_nothing),
        cmocka_unit_test(long_reason_is_cut_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
