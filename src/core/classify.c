/* classify.c - first guess at a new ticket's team and category from its words, by configured rules. */
#include "classify.h"

#include <glib.h>

#include "domain.h"

typedef struct {
    char *team, *category;
    GRegex *re;
} rule;

struct sg_rules {
    GArray *rules;
};

static void rule_clear(gpointer p)
{
    rule *r = p;
    g_free(r->team);
    g_free(r->category);
    g_regex_unref(r->re);
}

sg_rules *sg_rules_new(void)
{
    sg_rules *r = g_new0(sg_rules, 1);
    r->rules = g_array_new(FALSE, FALSE, sizeof(rule));
    g_array_set_clear_func(r->rules, rule_clear);
    return r;
}

void sg_rules_free(sg_rules *r)
{
    if (!r)
        return;
    g_array_free(r->rules, TRUE);
    g_free(r);
}

int sg_rules_add(sg_rules *r, const char *line, char **err)
{
    char **w = g_strsplit_set(line, " \t", 3);
    int ok_cat = w[0] && w[1] && sg_category_parse(w[1]) >= 0;
    GError *ge = NULL;
    GRegex *re = NULL;
    if (!w[0] || !w[1] || !w[2] || !*g_strstrip(w[2]))
        *err = g_strdup("expects: TEAM CATEGORY PATTERN");
    else if (!ok_cat)
        *err = g_strdup_printf("category must be simple, standard, complex or custom, not \"%s\"", w[1]);
    else if (!(re = g_regex_new(w[2], G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, &ge))) {
        *err = g_strdup_printf("pattern does not compile: %s", ge->message);
        g_error_free(ge);
    }
    if (re) {
        rule x = { g_strdup(w[0]), g_strdup(w[1]), re };
        g_array_append_val(r->rules, x);
    }
    g_strfreev(w);
    return re ? 0 : -1;
}

int sg_rules_match(const sg_rules *r, const char *subject, const char *text, const char **team,
                   const char **category)
{
    for (guint i = 0; r && i < r->rules->len; i++) {
        const rule *x = &g_array_index(r->rules, rule, i);
        if ((subject && g_regex_match(x->re, subject, 0, NULL)) || (text && g_regex_match(x->re, text, 0, NULL))) {
            *team = x->team;
            *category = x->category;
            return 1;
        }
    }
    return 0;
}
