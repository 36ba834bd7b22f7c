/* test_html.c - HTML becomes readable text; broken or truncated HTML still finishes safely. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glib.h>
#include <string.h>

#include "html.h"

static void html(const char *in, const char *want)
{
    char *s = sg_text_from_html(in);
    assert_string_equal(s, want);
    g_free(s);
}

static void html_tags_go_and_entities_are_decoded(void **state)
{
    (void)state;
    html("<b>Site</b> is&nbsp;<i>down</i> &amp; &lt;slow&gt; &quot;now&quot; &apos;x&apos;",
         "Site is down & <slow> \"now\" 'x'\n");
    html("&#1087;&#x456;&#X41; &laquo;&mdash;&raquo; &hellip; &euro;5", "піA «—» … €5\n");
    html("AT&T &unknown; &amp a&ampb", "AT&T &unknown; & a&ampb\n");
}

static void html_script_style_head_and_comments_vanish(void **state)
{
    (void)state;
    html("<html><head><title>T</title><meta charset=utf-8><style>p{color:red}</style></head>"
         "<body><script type=\"text/javascript\">alert('<p>x</p>')</script>Visible<!-- hidden <p> -->"
         "<SCRIPT>more()</SCRIPT > text <noscript>shown</noscript></body></html>",
         "Visible text shown\n");
    html("<head><style>x</style>Head never closed<body>Body", "Body\n");
    html("<head><title>t</title>Only a head", "Only a head\n");
}

static void html_blocks_break_lines(void **state)
{
    (void)state;
    html("<p>One</p><p>Two<br>Three</p><div>Four</div><div>Five</div>", "One\n\nTwo\nThree\n\nFour\nFive\n");
    html("<h1>Title</h1><ul><li>a</li><li>b</li></ul><blockquote>q</blockquote>", "Title\n\na\nb\n\nq\n");
    html("<table><tr><td>1</td><td>2</td></tr><tr><td>3</td><td>4</td></tr></table>after",
         "1 2\n3 4\n\nafter\n");
    html("a<br><br><br><br><br>b<br/>c", "a\n\nb\nc\n");
}

static void html_whitespace_collapses(void **state)
{
    (void)state;
    html("  Hello \r\n\t  world  \n\n\n\n  again  ", "Hello world again\n");
    html("<pre>line 1\n  line 2\n\n\n\nline 3</pre>x", "line 1\n  line 2\n\nline 3\n\nx\n");
    html("", "");
    html(NULL, "");
}

static void html_numeric_entities_are_checked(void **state)
{
    (void)state;
    html("a&#0;b&#7;c&#xD800;d&#99999999999;e", "abc\xef\xbf\xbd" "d\xef\xbf\xbd" "e\n");
    html("x&#10;y&#32;z&#x20AC", "x y z€\n");
}

static void html_angle_brackets_in_text_and_attributes(void **state)
{
    (void)state;
    html("if a < b and c > d", "if a < b and c > d\n");
    html("<a title=\"x > y\" href='z'>link</a> end", "link end\n");
    html("<a title=\"unclosed>link</a> end", "link end\n");
    html("<<p>>", "<\n\n>\n");
}

/* Every prefix of a messy page, each in its own exact-size allocation so ASan sees any over-read. */
static void html_truncated_anywhere_is_safe(void **state)
{
    (void)state;
    static const char page[] = "<!DOCTYPE html><html><head><title>x</title><style>a{}</style></head><body "
                               "class=\"a>b\"><p>Hi &amp; &#x41f;&#1088; <b>there</b><br/><script>if (a<b) x()"
                               "</script><!-- c --><div title='q'>t&nbsp;d</div><pre> p\n</pre>&euro</body></html>";
    for (size_t n = 0; n <= strlen(page); n++) {
        char *in = g_strndup(page, n);
        char *s = sg_text_from_html(in);
        assert_true(g_utf8_validate(s, -1, NULL));
        g_free(s);
        g_free(in);
    }
    const char *bad[] = { "<p>unterminated", "<scr", "<script>never closed", "&#", "&#x", "&", "<!-- open", "<!",
                          "</", "<a href=\"", "<a b='c", "</p", "\xd0", "<p>\xff\xfe</p>" };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        char *in = g_strdup(bad[i]);
        char *s = sg_text_from_html(in);
        assert_true(g_utf8_validate(s, -1, NULL));
        g_free(s);
        g_free(in);
    }
}

/* A page of broken tags must not take quadratic time. */
static void html_many_broken_tags_finish(void **state)
{
    (void)state;
    GString *g = g_string_new(NULL);
    for (int i = 0; i < 20000; i++)
        g_string_append(g, "<a x='>y <head>&amp");
    char *s = sg_text_from_html(g->str);
    assert_true(g_utf8_validate(s, -1, NULL));
    g_free(s);
    g_string_free(g, TRUE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(html_tags_go_and_entities_are_decoded),
        cmocka_unit_test(html_script_style_head_and_comments_vanish),
        cmocka_unit_test(html_blocks_break_lines),
        cmocka_unit_test(html_whitespace_collapses),
        cmocka_unit_test(html_numeric_entities_are_checked),
        cmocka_unit_test(html_angle_brackets_in_text_and_attributes),
        cmocka_unit_test(html_truncated_anywhere_is_safe),
        cmocka_unit_test(html_many_broken_tags_finish),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
