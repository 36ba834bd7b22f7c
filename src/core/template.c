/* template.c - operator-editable message templates with {{name}} placeholders. */
#include "template.h"

#include <glib.h>
#include <string.h>

char *sg_template_render(const char *tpl, sg_template_lookup lookup, void *ctx)
{
    GString *out = g_string_new(NULL);
    const char *p = tpl ? tpl : "";
    for (;;) {
        const char *open = strstr(p, "{{");
        const char *close = open ? strstr(open + 2, "}}") : NULL;
        if (!close) {
            g_string_append(out, p); /* an unterminated "{{" stays as written */
            break;
        }
        g_string_append_len(out, p, open - p);
        char *name = g_strstrip(g_strndup(open + 2, close - open - 2));
        const char *v = lookup ? lookup(name, ctx) : NULL;
        g_string_append(out, v ? v : "");
        g_free(name);
        p = close + 2;
    }
    return g_string_free(out, FALSE);
}

/* Windows editors start UTF-8 files with a byte order mark, which would hide a "Subject: " line. */
static char *drop_bom(char *text)
{
    if (g_str_has_prefix(text, "\xef\xbb\xbf"))
        memmove(text, text + 3, strlen(text + 3) + 1);
    return text;
}

/* DIR/FILE as UTF-8 text: 1 read, 0 missing, unreadable or not UTF-8 (*GE says why). */
static int read_one(const char *dir, const char *file, char **text, GError **ge)
{
    char *path = g_build_filename(dir, file, NULL);
    g_clear_error(ge);
    int rc = g_file_get_contents(path, text, NULL, ge);
    if (rc && !g_utf8_validate(*text, -1, NULL)) {
        g_clear_pointer(text, g_free);
        g_set_error(ge, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s is not valid UTF-8", path);
        rc = 0;
    }
    g_free(path);
    return rc;
}

char *sg_template_load_for(const char *dir, const char *name, const char *variant, const char *lang, char **err)
{
    const char *l = lang && *lang ? lang : "en";
    /* The language matters more than the variant: a Ukrainian customer reads the plain Ukrainian template
     * rather than an English one made for the channel.  A broken file is passed over like a missing one. */
    const char *order[][2] = { { variant, l }, { NULL, l }, { variant, "en" }, { NULL, "en" } };
    GError *ge = NULL;
    char *text = NULL;
    int rc = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(order) && rc == 0; i++) {
        if (i % 2 == 0 && !(variant && *variant))
            continue;
        char *file = order[i][0] ? g_strdup_printf("%s.%s.%s.txt", name, order[i][0], order[i][1])
                                 : g_strdup_printf("%s.%s.txt", name, order[i][1]);
        rc = read_one(dir, file, &text, &ge);
        g_free(file);
    }
    if (rc == 1) {
        g_clear_error(&ge);
        return drop_bom(text);
    }
    if (err)
        *err = g_strdup_printf("template %s: %s", name, ge ? ge->message : "not found");
    g_clear_error(&ge);
    return NULL;
}

char *sg_template_load(const char *dir, const char *name, const char *lang, char **err)
{
    return sg_template_load_for(dir, name, NULL, lang, err);
}

char *sg_template_split_subject(const char *rendered, char **subject)
{
    *subject = NULL;
    rendered = rendered ? rendered : "";
    if (g_str_has_prefix(rendered, "Subject: ")) {
        const char *nl = strchr(rendered, '\n');
        const char *end = nl ? nl : rendered + strlen(rendered);
        *subject = g_strstrip(g_strndup(rendered + 9, end - rendered - 9));
        rendered = nl ? nl + 1 : end;
        while (*rendered == '\n' || *rendered == '\r')
            rendered++;
    }
    return g_strdup(rendered);
}
