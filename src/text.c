/* text.c - text conversions: any charset to UTF-8, HTML to readable text, language guess. */
#include "text.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

/* Convert with iconv through GLib; NULL unless every byte converted. */
static char *convert_strict(const char *data, size_t len, const char *charset)
{
    gsize read = 0, written = 0;
    char *out = g_convert(data, (gssize)len, "UTF-8", charset, &read, &written, NULL);
    if (out && read == len && g_utf8_validate(out, (gssize)written, NULL))
        return out;
    g_free(out);
    return NULL;
}

/* How Ukrainian/Russian a UTF-8 text looks: common lower-case letters score, rare capitals mid-word
 * (what the wrong one of cp1251/koi8-u produces) do not. */
static long cyrillic_score(const char *s)
{
    static const char *common = "оаеіинтрсвлкмдпуяьгзбчйхжшюцщєїфоыэъ";
    long score = 0;
    for (const char *p = s; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c >= 0x0430 && c <= 0x045F) {
            char buf[8] = { 0 };
            g_unichar_to_utf8(c, buf);
            score += strstr(common, buf) ? 3 : 1;
        } else if (c >= 0x0400 && c <= 0x042F) {
            score -= 1;
        }
    }
    return score;
}

/* Undeclared or lying charsets: UTF-8 if it is, else the more plausible of windows-1251 and koi8-u,
 * else latin-1 (which accepts any byte). */
static char *guess(const char *data, size_t len)
{
    if (g_utf8_validate(data, (gssize)len, NULL))
        return g_strndup(data, len);
    char *a = convert_strict(data, len, "WINDOWS-1251");
    char *b = convert_strict(data, len, "KOI8-U");
    char *best = NULL;
    if (a && b) {
        best = cyrillic_score(b) > cyrillic_score(a) ? b : a;
        g_free(best == a ? b : a);
    } else {
        best = a ? a : b;
    }
    if (!best)
        best = convert_strict(data, len, "ISO-8859-1");
    return best ? best : g_strdup("");
}

static char *drop_nul(char *s, size_t len)
{
    size_t j = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i])
            s[j++] = s[i];
    s[j] = '\0';
    return s;
}

char *sg_text_to_utf8(const char *data, size_t len, const char *charset)
{
    /* NUL bytes would end the text early everywhere downstream (and PostgreSQL refuses them). */
    char *clean = g_malloc(len + 1);
    if (len)
        memcpy(clean, data, len);
    clean[len] = '\0';
    drop_nul(clean, len);
    len = strlen(clean);
    char *out = NULL;
    int ascii = !charset || !g_ascii_strcasecmp(charset, "us-ascii") || !g_ascii_strcasecmp(charset, "ascii");
    if (charset && *charset && !ascii)
        out = convert_strict(clean, len, charset);
    if (out && g_ascii_strcasecmp(charset, "utf-8") != 0 && g_utf8_validate(clean, (gssize)len, NULL) &&
        !g_str_is_ascii(clean)) {
        /* Declared 8-bit charset, but the bytes are valid UTF-8 with non-ASCII: clients that lie say
         * latin-1 or windows-1252 for UTF-8 far more often than the reverse. */
        if (!g_ascii_strncasecmp(charset, "iso-8859-1", 10) || !g_ascii_strcasecmp(charset, "windows-1252")) {
            g_free(out);
            out = g_strdup(clean);
        }
    }
    if (!out)
        out = guess(clean, len);
    g_free(clean);
    return out;
}

/* HTML to text ------------------------------------------------------------------------------------- */

static const struct { const char *name; const char *utf8; } entities[] = {
    { "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" }, { "nbsp", " " },
    { "mdash", "\xe2\x80\x94" }, { "ndash", "\xe2\x80\x93" }, { "laquo", "\xc2\xab" }, { "raquo", "\xc2\xbb" },
    { "hellip", "\xe2\x80\xa6" }, { "copy", "\xc2\xa9" }, { "euro", "\xe2\x82\xac" }, { "rsquo", "\xe2\x80\x99" },
    { "lsquo", "\xe2\x80\x98" }, { "ldquo", "\xe2\x80\x9c" }, { "rdquo", "\xe2\x80\x9d" }, { "bull", "\xe2\x80\xa2" },
};

/* Decode the entity at P ('&'); appends to OUT and returns the characters consumed (0: not one). */
static size_t entity(const char *p, GString *out)
{
    const char *semi = strchr(p, ';');
    if (!semi || semi - p > 10)
        return 0;
    if (p[1] == '#') {
        gboolean hex = p[2] == 'x' || p[2] == 'X';
        char *end;
        gulong v = strtoul(p + (hex ? 3 : 2), &end, hex ? 16 : 10);
        if (end != semi || v == 0 || v > 0x10FFFF || !g_unichar_validate((gunichar)v))
            return 0;
        g_string_append_unichar(out, (gunichar)v);
        return (size_t)(semi - p) + 1;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(entities); i++) {
        size_t n = strlen(entities[i].name);
        if ((size_t)(semi - p - 1) == n && strncmp(p + 1, entities[i].name, n) == 0) {
            g_string_append(out, entities[i].utf8);
            return n + 2;
        }
    }
    return 0;
}

static int tag_is(const char *name, size_t len, const char *const *list)
{
    for (; *list; list++)
        if (strlen(*list) == len && g_ascii_strncasecmp(name, *list, len) == 0)
            return 1;
    return 0;
}

static void newline(GString *out)
{
    while (out->len && out->str[out->len - 1] == ' ')
        g_string_truncate(out, out->len - 1);
    g_string_append_c(out, '\n');
}

/* Handle the tag starting at P ('<'); returns where text resumes. */
static const char *tag(const char *p, GString *out)
{
    static const char *const blocks[] = { "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
                                          "table", "blockquote", "ul", "ol", "pre", "hr", "section", NULL };
    static const char *const hidden[] = { "script", "style", "head", "title", NULL };
    if (strncmp(p, "<!--", 4) == 0) {
        const char *end = strstr(p + 4, "-->");
        return end ? end + 3 : p + strlen(p);
    }
    const char *name = p + 1 + (p[1] == '/');
    size_t len = strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
    const char *end = strchr(p, '>');
    if (!end)
        return p + strlen(p);
    if (p[1] != '/' && tag_is(name, len, hidden)) {
        /* Skip to the matching close tag, case-insensitively. */
        char *close = g_strdup_printf("</%.*s", (int)len, name);
        for (const char *q = end; *q; q++)
            if (g_ascii_strncasecmp(q, close, strlen(close)) == 0) {
                const char *gt = strchr(q, '>');
                g_free(close);
                return gt ? gt + 1 : q + strlen(q);
            }
        g_free(close);
        return p + strlen(p);
    }
    if (len && tag_is(name, len, blocks))
        newline(out);
    return end + 1;
}

static char *tidy(const char *s)
{
    GString *out = g_string_new(NULL);
    int newlines = 0, space = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '\n') {
            newlines++;
            space = 0;
            continue;
        }
        if (*p == ' ' || *p == '\t' || *p == '\r') {
            space = 1;
            continue;
        }
        if (newlines)
            g_string_append(out, out->len ? (newlines > 1 ? "\n\n" : "\n") : "");
        else if (space && out->len)
            g_string_append_c(out, ' ');
        newlines = space = 0;
        g_string_append_c(out, *p);
    }
    if (out->len)
        g_string_append_c(out, '\n');
    return g_string_free(out, FALSE);
}

char *sg_text_from_html(const char *html)
{
    GString *raw = g_string_new(NULL);
    const char *p = html ? html : "";
    while (*p) {
        if (*p == '<' && (g_ascii_isalpha(p[1]) || p[1] == '/' || p[1] == '!')) {
            p = tag(p, raw);
        } else if (*p == '&') {
            size_t n = entity(p, raw);
            if (!n)
                g_string_append_c(raw, '&');
            p += n ? n : 1;
        } else {
            g_string_append_c(raw, *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p);
            p++;
        }
    }
    char *text = tidy(raw->str);
    g_string_free(raw, TRUE);
    if (!g_utf8_validate(text, -1, NULL)) {
        char *fixed = g_utf8_make_valid(text, -1);
        g_free(text);
        text = fixed;
    }
    return text;
}

const char *sg_text_lang(const char *s)
{
    long cyr = 0, latin = 0;
    for (const char *p = s ? s : ""; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c >= 0x0400 && c <= 0x04FF)
            cyr++;
        else if (g_unichar_isalpha(c))
            latin++;
    }
    return cyr > 0 && cyr * 3 >= cyr + latin ? "uk" : "en";
}

char *sg_text_one_line(char *s)
{
    char *w = s;
    int space = 0;
    for (char *p = s; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == ' ') {
            space = 1;
            continue;
        }
        if (space && w != s)
            *w++ = ' ';
        space = 0;
        *w++ = *p;
    }
    *w = '\0';
    return s;
}
