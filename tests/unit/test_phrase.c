/* test_phrase.c - the sentences the gateway writes itself, in the customer's and the staff's language. */
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
    char *s = sg_phrase("ru", SG_PHRASE_NEWS_NOTE, "due", "30 ноября, 09:25", "timezone", "по киевскому времени", NULL);
    assert_string_equal(s, "Следующее сообщение о ходе работы вы получите не позднее 30 ноября, 09:25"
                           " (по киевскому времени).\n\n");
    g_free(s);
    s = sg_phrase("uk", SG_PHRASE_HOURS_NOTE, "hours", "пн–пт 09:00–18:00 за київським часом", NULL);
    assert_non_null(strstr(s, "Ці фахівці працюють пн–пт 09:00–18:00 за київським часом. Вони візьмуться"));
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

/* Every phrase exists in every language with the same placeholders as the English one, all of them used. */
static void every_language_has_every_phrase(void **state)
{
    (void)state;
    static const struct {
        sg_phrase_id id;
        const char *names[8];
    } uses[] = {
        { SG_PHRASE_ETA_LABEL, { NULL } },
        { SG_PHRASE_HOURS_NOTE, { "hours", NULL } },
        { SG_PHRASE_NEWS_NOTE, { "due", "timezone", NULL } },
        { SG_PHRASE_ETA_NOTE, { "eta", "timezone", NULL } },
        { SG_PHRASE_BREACH_SUBJECT, { "tag", "sla", "team", NULL } },
        { SG_PHRASE_BREACH_HEADLINE, { "tag", "sla", NULL } },
        { SG_PHRASE_WARNING_SUBJECT, { "tag", "sla", "team", NULL } },
        { SG_PHRASE_WARNING_HEADLINE, { "tag", "sla", NULL } },
        { SG_PHRASE_REMINDER_SUBJECT, { "tag", "team", NULL } },
        { SG_PHRASE_REMINDER_HEADLINE, { "tag", NULL } },
        { SG_PHRASE_HOLD_SUBJECT, { "tag", "team", "back", NULL } },
        { SG_PHRASE_HOLD_FIRST, { "tag", "team", "back", "timezone", NULL } },
        { SG_PHRASE_HOLD_NEWS, { "tag", "team", "back", "timezone", NULL } },
        { SG_PHRASE_NOTICE_BODY, { "headline", "due", "timezone", "team", "requester", "subject", "id", NULL } },
        { SG_PHRASE_TEAM_COPY_BODY, { "headline", "tag", "subject", "requester", "history", NULL } },
        { SG_PHRASE_TEAM_COPY_LEFT_OUT, { "files", NULL } },
        { SG_PHRASE_REFUSED_SUBJECT, { "subject", NULL } },
        { SG_PHRASE_REFUSED_WHERE, { "tag", NULL } },
        { SG_PHRASE_REFUSED_BODY, { "where", "why", NULL } },
        { SG_PHRASE_ETA_OFF_SHIFT_SUBJECT, { "tag", "team", NULL } },
        { SG_PHRASE_ETA_OFF_SHIFT_BODY, { "tag", "team", "eta", "hours", "next", "timezone", NULL } },
        { SG_PHRASE_OVERLOAD_SUBJECT, { "n", "oldest", NULL } },
        { SG_PHRASE_OVERLOAD_BODY, { "n", "oldest", "threshold", "since", "timezone", "overflow", "list", NULL } },
        { SG_PHRASE_OVERLOAD_THRESHOLD_N, { "n", NULL } },
        { SG_PHRASE_OVERLOAD_THRESHOLD_WAIT, { "wait", NULL } },
        { SG_PHRASE_OVERFLOW_ON, { "team", NULL } },
        { SG_PHRASE_OVERFLOW_OFF, { NULL } },
        { SG_PHRASE_WATCH_SUBJECT, { "customers", "clue", "window", NULL } },
        { SG_PHRASE_WATCH_BODY, { "n", "customers", "clue", "window", "list", "timezone", NULL } },
        { SG_PHRASE_CLUE_HOST, { "what", NULL } },
        { SG_PHRASE_CLUE_IP, { "what", NULL } },
        { SG_PHRASE_CLUE_WORD, { "what", NULL } },
        { SG_PHRASE_CLUE_CLASS, { "what", NULL } },
        { SG_PHRASE_APPROVAL_SUBJECT, { "apr", "text", "tag", NULL } },
        { SG_PHRASE_APPROVAL_BODY, { "agent", "tag", "text", "requester", "subject", "due", "timezone", NULL } },
        { SG_PHRASE_APPROVAL_REMIND, { "apr", "text", "due", NULL } },
        { SG_PHRASE_APPROVAL_DECIDED_SUBJECT, { "tag", "decision", "text", NULL } },
        { SG_PHRASE_APPROVAL_DECIDED_BODY, { "approver", "decision", "apr", "text", "tag", "reason", NULL } },
        { SG_PHRASE_APPROVAL_APPROVED, { NULL } },
        { SG_PHRASE_APPROVAL_DENIED, { NULL } },
        { SG_PHRASE_APPROVAL_NO_REASON, { NULL } },
        { SG_PHRASE_APPROVAL_OVERDUE_SUBJECT, { "tag", "apr", "text", NULL } },
        { SG_PHRASE_APPROVAL_OVERDUE_BODY, { "apr", "text", "tag", "due", "timezone", "approvers", NULL } },
        { SG_PHRASE_APPROVAL_REFUSED_BODY, { "apr", "why", NULL } },
        { SG_PHRASE_FOLLOWS_SUBJECT, { "tag", "old", NULL } },
        { SG_PHRASE_FOLLOWS_BODY, { "tag", "old", "closed", "timezone", "exchange", NULL } },
        { SG_PHRASE_FOLLOWS_WROTE, { "at", "who", NULL } },
        { SG_PHRASE_FOLLOWS_ANSWERED, { "at", "who", NULL } },
        { SG_PHRASE_DIGEST_SUBJECT, { "schedule", "n", "from", "to", NULL } },
        { SG_PHRASE_DIGEST_TITLE, { "from", "to", "timezone", "n", "prev", NULL } },
        { SG_PHRASE_DIGEST_NONE, { NULL } },
        { SG_PHRASE_DIGEST_ATTAINMENT, { NULL } },
        { SG_PHRASE_DIGEST_BY_TEAM, { NULL } },
        { SG_PHRASE_DIGEST_WORST, { NULL } },
        { SG_PHRASE_DIGEST_UP, { "prev", NULL } },
        { SG_PHRASE_DIGEST_DOWN, { "prev", NULL } },
        { SG_PHRASE_DIGEST_SAME, { "prev", NULL } },
        { SG_PHRASE_DIGEST_NO_PREV, { NULL } },
        { SG_PHRASE_DIGEST_OVERLOAD, { "n", "peak", "wait", NULL } },
        { SG_PHRASE_DIGEST_COLUMNS, { NULL } },
    };
    static const char *const langs[] = { "en", "uk", "ru" };
    assert_int_equal(SG_PHRASE_COUNT, G_N_ELEMENTS(uses));
    for (size_t u = 0; u < G_N_ELEMENTS(uses); u++) {
        char *en = NULL;
        for (size_t l = 0; l < G_N_ELEMENTS(langs); l++) {
            /* Each placeholder gets a value naming it, so that a dropped one is missing from the result. */
            const char *v[8];
            char *marks[8] = { NULL };
            for (int k = 0; k < 8; k++)
                v[k] = uses[u].names[k] ? (marks[k] = g_strdup_printf("@%s@", uses[u].names[k])) : NULL;
            char *s = sg_phrase(langs[l], uses[u].id, v[0] ? uses[u].names[0] : NULL, v[0], v[1] ? uses[u].names[1] : NULL,
                                v[1], v[2] ? uses[u].names[2] : NULL, v[2], v[3] ? uses[u].names[3] : NULL, v[3],
                                v[4] ? uses[u].names[4] : NULL, v[4], v[5] ? uses[u].names[5] : NULL, v[5],
                                v[6] ? uses[u].names[6] : NULL, v[6], NULL);
            assert_true(*s);
            assert_null(strstr(s, "{{"));
            for (int k = 0; k < 8 && marks[k]; k++)
                if (!strstr(s, marks[k]))
                    fail_msg("phrase %d in %s lacks {{%s}}: %s", (int)uses[u].id, langs[l], uses[u].names[k], s);
            if (l == 0)
                en = g_strdup(s);
            else
                assert_string_not_equal(en, s);
            for (int k = 0; k < 8; k++)
                g_free(marks[k]);
            g_free(s);
        }
        g_free(en);
    }
    assert_true(sg_phrase_has_lang("uk"));
    assert_false(sg_phrase_has_lang("de"));
    assert_false(sg_phrase_has_lang(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_language_has_its_own_words),
        cmocka_unit_test(placeholders_are_filled_from_the_pairs),
        cmocka_unit_test(unknown_languages_get_english),
        cmocka_unit_test(every_language_has_every_phrase),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
