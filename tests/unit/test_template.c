/* test_template.c - operators' templates: placeholders, unknown names, the Subject line. */
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
    (void)ctx;
    return strcmp(name, "tag") == 0 ? "[INTROSERV #1]" : NULL;
}

static void placeholders_expand_and_unknown_ones_vanish(void **state)
{
    (void)state;
    char *s = sg_template_render("Ticket {{tag}} / {{ tag }} / {{nope}}.", lookup, NULL);
    assert_string_equal(s, "Ticket [INTROSERV #1] / [INTROSERV #1] / .");
    g_free(s);
    s = sg_template_render("Broken {{tag", lookup, NULL);
    assert_string_equal(s, "Broken {{tag");
    g_free(s);
}

static void a_leading_subject_line_is_split_off(void **state)
{
    (void)state;
    char *subject = NULL;
    char *body = sg_template_split_subject("Subject: {{x}} hi\n\nBody\n", &subject);
    assert_string_equal(subject, "{{x}} hi");
    assert_string_equal(body, "Body\n");
    g_free(subject);
    g_free(body);
    body = sg_template_split_subject("No subject\n", &subject);
    assert_null(subject);
    assert_string_equal(body, "No subject\n");
    g_free(body);
}

static void templates_fall_back_to_english(void **state)
{
    (void)state;
    char *dir = g_dir_make_tmp("sgtpl-XXXXXX", NULL);
    char *path = g_build_filename(dir, "ack.en.txt", NULL);
    g_file_set_contents(path, "Hello", -1, NULL);
    char *err = NULL;
    char *t = sg_template_load(dir, "ack", "uk", &err);
    assert_string_equal(t, "Hello");
    g_free(t);
    assert_null(sg_template_load(dir, "missing", "en", &err));
    assert_non_null(strstr(err, "template missing"));
    g_free(err);
    g_unlink(path);
    g_rmdir(dir);
    g_free(path);
    g_free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(placeholders_expand_and_unknown_ones_vanish),
        cmocka_unit_test(a_leading_subject_line_is_split_off),
        cmocka_unit_test(templates_fall_back_to_english),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
