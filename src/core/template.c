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

char *sg_template_load(const char *dir, const char *name, const char *lang, char **err)
{
    const char *langs[] = { lang && *lang ? lang : "en", "en" };
    GError *ge = NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(langs); i++) {
        char *file = g_strdup_printf("%s.%s.txt", name, langs[i]);
        char *path = g_build_filename(dir, file, NULL);
        char *text = NULL;
        g_clear_error(&ge);
        gboolean ok = g_file_get_contents(path, &text, NULL, &ge);
        g_free(file);
        if (ok && g_utf8_validate(text, -1, NULL)) {
            g_free(path);
            return drop_bom(text);
        }
        if (ok) {
            g_free(text);
            g_clear_error(&ge);
            g_set_error(&ge, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s is not valid UTF-8", path);
        }
        g_free(path);
    }
    if (err)
        *err = g_strdup_printf("template %s: %s", name, ge ? ge->message : "not found");
    g_clear_error(&ge);
    return NULL;
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
