/* test_template.c - operators' templates: placeholders, unknown names, the Subject line, language fallback. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "template.h"

static const char *lookup(const char *name, void *ctx)
{
    if (ctx)
        (*(int *)ctx)++;
    if (strcmp(name, "tag") == 0)
        return "[INTROSERV #1]";
    if (strcmp(name, "name") == 0)
        return "Олена";
    if (strcmp(name, "braces") == 0)
        return "{{tag}}";
    return NULL;
}

static void render_is(const char *tpl, const char *want)
{
    char *s = sg_template_render(tpl, lookup, NULL);
    assert_string_equal(s, want);
    g_free(s);
}

static void placeholders_expand(void **state)
{
    (void)state;
    render_is("Ticket {{tag}} for {{name}}.", "Ticket [INTROSERV #1] for Олена.");
    render_is("{{ tag }}{{\ttag\t}}", "[INTROSERV #1][INTROSERV #1]");
    render_is("no placeholders", "no placeholders");
    render_is("", "");
    int calls = 0;
    char *s = sg_template_render("{{tag}} {{name}} {{x}}", lookup, &calls);
    assert_int_equal(calls, 3);
    g_free(s);
}

static void unknown_names_expand_to_nothing(void **state)
{
    (void)state;
    render_is("a{{nope}}b{{}}c{{ }}d", "abcd");
    char *s = sg_template_render("x{{tag}}y", NULL, NULL);
    assert_string_equal(s, "xy");
    g_free(s);
}

static void values_are_not_expanded_again(void **state)
{
    (void)state;
    render_is("{{braces}}", "{{tag}}");
}

static void unterminated_braces_stay_as_written(void **state)
{
    (void)state;
    render_is("Broken {{tag", "Broken {{tag");
    render_is("{{tag}} then {{tag", "[INTROSERV #1] then {{tag");
    render_is("{{", "{{");
    render_is("}} {tag} {{{tag}}}", "}} {tag} }");
    char *s = sg_template_render(NULL, lookup, NULL);
    assert_string_equal(s, "");
    g_free(s);
}

static void subject_split(const char *rendered, const char *want_subject, const char *want_body)
{
    char *subject = (char *)"unset";
    char *body = sg_template_split_subject(rendered, &subject);
    if (want_subject)
        assert_string_equal(subject, want_subject);
    else
        assert_null(subject);
    assert_string_equal(body, want_body);
    g_free(subject);
    g_free(body);
}

static void a_leading_subject_line_is_split_off(void **state)
{
    (void)state;
    subject_split("Subject: [INTROSERV #1] hi\n\nBody\n", "[INTROSERV #1] hi", "Body\n");
    subject_split("Subject: crlf  \r\n\r\nBody\r\n", "crlf", "Body\r\n");
    subject_split("Subject: only", "only", "");
    subject_split("Subject: \nBody", "", "Body");
}

static void without_a_subject_line_all_is_body(void **state)
{
    (void)state;
    subject_split("No subject\n", NULL, "No subject\n");
    subject_split("Hello\nSubject: late\n", NULL, "Hello\nSubject: late\n");
    subject_split("subject: lower\n", NULL, "subject: lower\n");
    subject_split("", NULL, "");
}

/* A temporary template directory with the given NAME=CONTENT files (NULL-terminated pairs). */
static char *template_dir(const char *const *files)
{
    char *dir = g_dir_make_tmp("sgtpl-XXXXXX", NULL);
    assert_non_null(dir);
    for (; files[0]; files += 2) {
        char *path = g_build_filename(dir, files[0], NULL);
        assert_true(g_file_set_contents(path, files[1], -1, NULL));
        g_free(path);
    }
    return dir;
}

static void remove_dir(char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    while ((name = g_dir_read_name(d)) != NULL) {
        char *path = g_build_filename(dir, name, NULL);
        g_unlink(path);
        g_free(path);
    }
    g_dir_close(d);
    g_rmdir(dir);
    g_free(dir);
}

static void templates_load_by_language_and_fall_back_to_english(void **state)
{
    (void)state;
    const char *files[] = { "ack.en.txt", "Hello", "ack.uk.txt", "\xef\xbb\xbfSubject: Вітаємо\n", NULL };
    char *dir = template_dir(files);
    char *err = NULL;
    char *t = sg_template_load(dir, "ack", "uk", &err);
    assert_string_equal(t, "Subject: Вітаємо\n"); /* the byte order mark is gone */
    g_free(t);
    t = sg_template_load(dir, "ack", "de", &err);
    assert_string_equal(t, "Hello");
    g_free(t);
    t = sg_template_load(dir, "ack", NULL, &err);
    assert_string_equal(t, "Hello");
    g_free(t);
    assert_null(err);
    remove_dir(dir);
}

static void missing_or_broken_templates_say_why(void **state)
{
    (void)state;
    const char *files[] = { "bad.en.txt", "\xff\xfe not utf-8", NULL };
    char *dir = template_dir(files);
    char *err = NULL;
    assert_null(sg_template_load(dir, "missing", "en", &err));
    assert_non_null(strstr(err, "template missing"));
    g_free(err);
    err = NULL;
    assert_null(sg_template_load(dir, "bad", "en", &err));
    assert_non_null(strstr(err, "not valid UTF-8"));
    g_free(err);
    assert_null(sg_template_load(dir, "missing", "en", NULL));
    remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(placeholders_expand),
        cmocka_unit_test(unknown_names_expand_to_nothing),
        cmocka_unit_test(values_are_not_expanded_again),
        cmocka_unit_test(unterminated_braces_stay_as_written),
        cmocka_unit_test(a_leading_subject_line_is_split_off),
        cmocka_unit_test(without_a_subject_line_all_is_body),
        cmocka_unit_test(templates_load_by_language_and_fall_back_to_english),
        cmocka_unit_test(missing_or_broken_templates_say_why),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
