/* test_letter.c - every shipped customer template, in every language, rendered as a customer reads it: nothing left of
 * placeholders or configuration syntax, the greeting, the clock time, the team's name and hours in the customer's words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glib.h>
#include <string.h>

#include "config.h"
#include "letter.h"
#include "template.h"

#define TEMPLATES SG_TOP_SRCDIR "/templates"

/* Saturday 2026-12-05 12:00 in Amsterdam (13:00 in Kyiv): billing and the system administrators are off shift. */
#define SAT 1796468400LL
/* Monday 2026-12-07 10:55 in Amsterdam, and Tuesday 2026-12-08 17:00 in Kyiv. */
#define MON_1055 1796637300LL
#define TUE_1700 1796742000LL

static const char *const langs[] = { "en", "uk", "ru" };

/* The example configuration as shipped: its teams are the ones customers are told about. */
static sg_config *example(void)
{
    char *err = NULL;
    sg_config *c = sg_config_load(SG_TOP_SRCDIR "/doc/supportgate.conf.example", &err);
    if (!c)
        fail_msg("%s", err);
    return c;
}

/* Every shipped template file as "NAME LANG" pairs (NAME may hold a variant: "ack.chat"). */
static GPtrArray *template_files(void)
{
    GDir *d = g_dir_open(TEMPLATES, 0, NULL);
    assert_non_null(d);
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
    for (const char *f; (f = g_dir_read_name(d));)
        if (g_str_has_suffix(f, ".txt"))
            g_ptr_array_add(files, g_strndup(f, strlen(f) - 4));
    g_dir_close(d);
    assert_true(files->len >= 15);
    return files;
}

/* The facts a customer of LANG has on a Saturday: one of the names they sign with, a subject in their words. */
static sg_letter letter(const sg_config *c, const char *lang, const sg_team *team)
{
    int uk = strcmp(lang, "uk") == 0, ru = strcmp(lang, "ru") == 0;
    sg_letter l = { .c = c, .lang = lang, .tag = "[INTROSERV #1042]",
                    .subject = uk ? "Повільно працює VPS" : ru ? "Медленно работает VPS" : "My VPS is slow",
                    .name = uk ? "Оксана Мельник" : ru ? "Ольга Иванова" : "Ivan Petrenko",
                    .now = SAT, .first_response_due = SAT + 600, .team = team,
                    .reason = uk ? "потрібен доступ до сервера" : ru ? "нужен доступ к серверу" : "server access needed",
                    .news_due = MON_1055, .eta = TUE_1700 };
    return l;
}

static void assert_absent(const char *text, const char *what, const char *file)
{
    if (strstr(text, what))
        fail_msg("%s: \"%s\" in:\n%s", file, what, text);
}

/* TEXT without the teams' names in LANG: what is left must not name a team by its identifier. */
static char *without_titles(const sg_config *c, const char *lang, const char *text)
{
    char *rest = g_strdup(text);
    for (size_t i = 0; i < sg_config_team_count(c); i++) {
        char **parts = g_strsplit(rest, sg_team_title(sg_config_team(c, i), lang), -1);
        g_free(rest);
        rest = g_strjoinv("", parts);
        g_strfreev(parts);
    }
    return rest;
}

/* What configuration syntax looks like: it must never reach a customer. */
static void assert_no_config_syntax(const sg_config *c, const char *lang, const char *text, const char *file)
{
    static const char *const raw[] = { "{{", "}}", "Mon-Fri", "Mon–Fri", "Europe/", "America/", "24/7", "2026-12", NULL };
    for (const char *const *r = raw; *r; r++)
        assert_absent(text, *r, file);
    char *rest = without_titles(c, lang, text);
    for (size_t i = 0; i < sg_config_team_count(c); i++) {
        const char *id = sg_config_team(c, i)->name;
        char *pattern = g_strdup_printf("(?<![\\w@.-])%s(?![\\w@.-])", id);
        /* "support" is also an English word the templates use ("INTROSERV support"); its team is never named. */
        if (strcmp(id, "support") != 0 && g_regex_match_simple(pattern, rest, 0, 0))
            fail_msg("%s: team id \"%s\" in:\n%s", file, id, text);
        g_free(pattern);
    }
    g_free(rest);
}

/* Ukrainian and Russian mail has no Latin word but the brand, the customer's own subject and the Subject header;
 * English mail no Cyrillic one. */
static void assert_one_script(const char *lang, const char *text, const char *subject, const char *file)
{
    char *quoted = g_regex_escape_string(subject, -1), *own = g_strdup_printf("^Subject: |INTROSERV|%s", quoted);
    GRegex *brand = g_regex_new(own, G_REGEX_MULTILINE, 0, NULL);
    g_free(quoted);
    g_free(own);
    char *rest = g_regex_replace_literal(brand, text, -1, 0, "", 0, NULL);
    g_regex_unref(brand);
    int latin = g_regex_match_simple("[A-Za-z]", rest, 0, 0), cyrillic = g_regex_match_simple("\\p{Cyrillic}", rest, 0, 0);
    if (strcmp(lang, "en") == 0 ? cyrillic : latin)
        fail_msg("%s: a word of the wrong script in:\n%s", file, text);
    g_free(rest);
}

static void assert_reads_well(const sg_config *c, const char *lang, const char *text, const char *file)
{
    sg_letter l = letter(c, lang, NULL);
    assert_no_config_syntax(c, lang, text, file);
    assert_one_script(lang, text, l.subject, file);
}

static char *render(const sg_config *c, const char *name, const char *lang, const sg_team *team)
{
    char *err = NULL, *dot = strchr(name, '.'), *base = g_strndup(name, dot ? (size_t)(dot - name) : strlen(name));
    char *tpl = sg_template_load_for(TEMPLATES, base, dot ? dot + 1 : NULL, lang, &err);
    if (!tpl)
        fail_msg("%s", err);
    char *file = g_strdup_printf("%s/%s.%s.txt", TEMPLATES, name, lang), *own = NULL;
    /* The loader finds this very file, channel variants included. */
    assert_true(g_file_get_contents(file, &own, NULL, NULL));
    assert_string_equal(tpl, own);
    sg_letter l = letter(c, lang, team);
    char *text = sg_letter_render(&l, tpl);
    g_free(own); g_free(file); g_free(tpl); g_free(base);
    return text;
}

static void every_template_in_every_language_reads_as_written_by_a_person(void **state)
{
    (void)state;
    sg_config *c = example();
    GPtrArray *files = template_files();
    for (guint i = 0; i < files->len; i++) {
        char *f = files->pdata[i], *lang = strrchr(f, '.') + 1, *name = g_strndup(f, lang - 1 - f);
        for (size_t k = 0; k < sg_config_team_count(c); k++) {
            char *text = render(c, name, lang, sg_config_team(c, k));
            assert_reads_well(c, lang, text, f);
            g_free(text);
        }
        /* Every template exists in each language. */
        for (size_t k = 0; k < G_N_ELEMENTS(langs); k++) {
            char *other = g_strdup_printf("%s/%s.%s.txt", TEMPLATES, name, langs[k]);
            assert_true(g_file_test(other, G_FILE_TEST_EXISTS));
            g_free(other);
        }
        g_free(name);
    }
    g_ptr_array_free(files, TRUE);
    sg_config_unref(c);
}

static void every_team_has_a_name_in_each_language(void **state)
{
    (void)state;
    char *err = NULL, *extra = NULL;
    assert_true(g_file_get_contents(SG_TOP_SRCDIR "/contrib/sandbox.conf.extra", &extra, NULL, NULL));
    char *text = g_strconcat("intake = support@introserv.com email 2m\n", extra, NULL);
    sg_config *configs[] = { example(), sg_config_parse(text, "sandbox.conf.extra", &err) };
    assert_null(err);
    for (size_t n = 0; n < G_N_ELEMENTS(configs); n++) {
        assert_true(sg_config_team_count(configs[n]) >= 4);
        for (size_t i = 0; i < sg_config_team_count(configs[n]); i++)
            for (size_t k = 0; k < G_N_ELEMENTS(langs); k++) {
                const sg_team *t = sg_config_team(configs[n], i);
                int own = 0;
                for (char **p = t->titles; p[0]; p += 2)
                    own |= strcmp(p[0], langs[k]) == 0;
                if (!own)
                    fail_msg("team %s has no team_name in %s", t->name, langs[k]);
            }
        sg_config_unref(configs[n]);
    }
    g_free(text);
    g_free(extra);
}

static void assert_has(const char *text, const char *what)
{
    if (!strstr(text, what))
        fail_msg("\"%s\" missing from:\n%s", what, text);
}

static void the_acknowledgement_names_the_clock_time_and_chat_gets_a_short_one(void **state)
{
    (void)state;
    sg_config *c = example();
    char *uk = render(c, "ack", "uk", NULL), *ru = render(c, "ack", "ru", NULL), *en = render(c, "ack", "en", NULL);
    assert_true(g_str_has_prefix(strstr(uk, "\n\n") + 2, "Вітаємо, Оксано!\n"));
    assert_has(uk, "інженер відповість вам особисто до 13:10 (за київським часом)");
    assert_has(ru, "Здравствуйте, Ольга Иванова!\n");
    assert_has(ru, "инженер ответит вам лично до 13:10 (по киевскому времени)");
    assert_has(en, "Hello Ivan Petrenko,\n");
    assert_has(en, "an engineer will reply to you personally by 13:10 (Kyiv time)");
    assert_has(en, "keep [INTROSERV #1042] in the subject");
    const char *keep[] = { "keep", "зберігши", "сохранив" };
    for (size_t k = 0; k < G_N_ELEMENTS(langs); k++) {
        char *chat = render(c, "ack.chat", langs[k], NULL);
        assert_has(chat, "13:10");
        assert_absent(chat, keep[k], "chat acknowledgement");
        assert_true(strlen(chat) * 2 < strlen(k == 0 ? en : k == 1 ? uk : ru));
        g_free(chat);
    }
    g_free(uk); g_free(ru); g_free(en);
    sg_config_unref(c);
}

static void an_escalation_names_the_team_its_hours_and_the_news_in_the_customers_words(void **state)
{
    (void)state;
    sg_config *c = example();
    const sg_team *billing = sg_config_team_find(c, "billing");
    char *uk = render(c, "escalate", "uk", billing), *note = render(c, "escalate_note", "ru", billing);
    assert_has(uk, "Вітаємо, Оксано!");
    assert_has(uk, "це відділ білінгу.");
    assert_has(uk, "Ці фахівці працюють пн–пт 09:00–18:00 за центральноєвропейським часом (10:00–19:00 за київським)");
    assert_has(uk, "не пізніше 7 грудня, 11:55 (за київським часом)");
    assert_has(note, "это отдел биллинга.");
    assert_absent(note, "Здравствуйте", "escalate_note.ru");
    char *en = render(c, "eta", "en", billing);
    assert_has(en, "will be resolved by 8 December, 17:00 (Kyiv time)");
    g_free(uk); g_free(note); g_free(en);
    sg_config_unref(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_template_in_every_language_reads_as_written_by_a_person),
        cmocka_unit_test(every_team_has_a_name_in_each_language),
        cmocka_unit_test(the_acknowledgement_names_the_clock_time_and_chat_gets_a_short_one),
        cmocka_unit_test(an_escalation_names_the_team_its_hours_and_the_news_in_the_customers_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
