/* html.c - HTML to readable text: tags dropped, blocks as line breaks, entities decoded. */
#include "html.h"

#include <glib.h>
#include <string.h>

typedef struct {
    const char *p, *end;
    GString *out;
    int nl;                 /* line breaks owed before the next visible character (at most 2) */
    int sp;                 /* a space owed */
    int pre;                /* inside <pre>: spaces and line breaks are kept */
    int head_open;          /* no "</head" or "<body" follows: stop looking for one */
    const char *no_more[2]; /* from here on the input has no ' (0) or " (1) */
} html;

static int html_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
static int name_char(char c) { return g_ascii_isalnum(c) || c == '-' || c == ':' || c == '_'; }

/* Append visible text, settling the owed line breaks or space first. */
static void emit(html *h, const char *s, size_t n)
{
    if (h->out->len) {
        if (h->nl)
            g_string_append_len(h->out, "\n\n", h->nl);
        else if (h->sp)
            g_string_append_c(h->out, ' ');
    }
    h->nl = h->sp = 0;
    g_string_append_len(h->out, s, (gssize)n);
}

static void line_break(html *h, int n)
{
    h->nl = MAX(h->nl, n);
    h->sp = 0;
}

static void br(html *h)
{
    h->nl = MIN(h->nl + 1, 2);
    h->sp = 0;
}

static void whitespace(html *h, char c)
{
    if (!h->pre)
        h->sp = 1;
    else if (c == '\n')
        br(h);
    else if (c != '\r')
        emit(h, " ", 1);
}

/* Case-insensitive search for NEEDLE in [P, END). */
static const char *find_ci(const char *p, const char *end, const char *needle)
{
    size_t n = strlen(needle);
    for (; (size_t)(end - p) >= n; p++)
        if (g_ascii_strncasecmp(p, needle, n) == 0)
            return p;
    return NULL;
}

/* The first "</head" or "<body" at or after P, in one pass. */
static const char *body_start(const char *p, const char *end)
{
    for (; end - p >= 5; p++)
        if (!g_ascii_strncasecmp(p, "<body", 5) || (end - p >= 6 && !g_ascii_strncasecmp(p, "</head", 6)))
            return p;
    return NULL;
}

/* The closing tag "</NAME" (case-insensitive, a whole name) at or after P. */
static const char *find_close(const char *p, const char *end, const char *name, size_t n)
{
    while ((p = find_ci(p, end, "</")) != NULL) {
        const char *q = p + 2;
        if ((size_t)(end - q) >= n && g_ascii_strncasecmp(q, name, n) == 0 && (q + n == end || !name_char(q[n])))
            return p;
        p = q;
    }
    return NULL;
}

/* The quote closing the attribute value that opens at Q; NULL if the input has none. */
static const char *closing_quote(html *h, const char *q)
{
    int i = *q == '"';
    if (h->no_more[i] && q >= h->no_more[i])
        return NULL;
    const char *c = memchr(q + 1, *q, (size_t)(h->end - q - 1));
    if (!c)
        h->no_more[i] = q; /* remembered so a page of broken tags is not rescanned for each */
    return c;
}

/* The '>' ending a tag whose attributes start at S; quoted values may hold '>'.  An unmatched quote
 * falls back to the first '>'. */
static const char *tag_end(html *h, const char *s)
{
    const char *p = s;
    while (p < h->end) {
        if (*p == '>')
            return p;
        if (*p++ != '=')
            continue;
        while (p < h->end && html_space(*p))
            p++;
        if (p < h->end && (*p == '"' || *p == '\'')) {
            const char *q = closing_quote(h, p);
            if (!q)
                return memchr(s, '>', (size_t)(h->end - s));
            p = q + 1;
        }
    }
    return NULL;
}

typedef enum { T_NONE, T_HIDE, T_HEAD, T_PARA, T_LINE, T_BR, T_CELL, T_PRE } tag_kind;

static tag_kind kind_of(const char *name, size_t n)
{
    static const struct { const char *name; tag_kind kind; } tags[] = {
        { "script", T_HIDE }, { "style", T_HIDE }, { "title", T_HIDE }, { "template", T_HIDE },
        { "head", T_HEAD }, { "br", T_BR }, { "pre", T_PRE }, { "td", T_CELL }, { "th", T_CELL },
        { "p", T_PARA }, { "h1", T_PARA }, { "h2", T_PARA }, { "h3", T_PARA }, { "h4", T_PARA },
        { "h5", T_PARA }, { "h6", T_PARA }, { "table", T_PARA }, { "blockquote", T_PARA }, { "ul", T_PARA },
        { "ol", T_PARA }, { "dl", T_PARA }, { "div", T_LINE }, { "li", T_LINE }, { "tr", T_LINE },
        { "hr", T_LINE }, { "dt", T_LINE }, { "dd", T_LINE }, { "section", T_LINE }, { "article", T_LINE },
        { "header", T_LINE }, { "footer", T_LINE }, { "address", T_LINE }, { "center", T_LINE },
        { "caption", T_LINE }, { "body", T_LINE }, { "form", T_LINE }, { "figure", T_LINE },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(tags); i++)
        if (strlen(tags[i].name) == n && g_ascii_strncasecmp(name, tags[i].name, n) == 0)
            return tags[i].kind;
    return T_NONE;
}

/* What a tag NAME does to the text once its '>' has been passed. */
static void apply_tag(html *h, const char *name, size_t n, int closing)
{
    switch (kind_of(name, n)) {
    case T_HIDE:
        if (!closing) {
            const char *c = find_close(h->p, h->end, name, n);
            h->p = c ? c : h->end; /* never closed: the rest is script, not text */
        }
        break;
    case T_HEAD:
        /* Skip to where the body begins; a head that never ends just has its content read. */
        if (!closing && !h->head_open) {
            const char *c = body_start(h->p, h->end);
            if (c)
                h->p = c;
            else
                h->head_open = 1;
        }
        break;
    case T_PRE:
        h->pre = closing ? MAX(h->pre - 1, 0) : h->pre + 1;
        line_break(h, 2);
        break;
    case T_PARA: line_break(h, 2); break;
    case T_LINE: line_break(h, 1); break;
    case T_BR: br(h); break;
    case T_CELL: h->sp = h->nl ? 0 : 1; break;
    case T_NONE: break;
    }
}

/* A tag at h->p ('<' then a letter, or "</" then a letter). */
static void tag(html *h)
{
    int closing = h->p[1] == '/';
    const char *name = h->p + 1 + closing, *e = name;
    while (e < h->end && name_char(*e))
        e++;
    const char *gt = tag_end(h, e);
    if (!gt) {
        h->p = h->end; /* cut off by the end of the input */
        return;
    }
    h->p = gt + 1;
    apply_tag(h, name, (size_t)(e - name), closing);
}

/* "<!-- ... -->", "<!DOCTYPE ...>", "<?xml ...?>": nothing to read. */
static void declaration(html *h)
{
    const char *e;
    if (h->end - h->p >= 4 && !strncmp(h->p, "<!--", 4)) {
        e = find_ci(h->p + 4, h->end, "-->");
        h->p = e ? e + 3 : h->end;
        return;
    }
    e = memchr(h->p, '>', (size_t)(h->end - h->p));
    h->p = e ? e + 1 : h->end;
}

static const struct { const char *name, *utf8; } entities[] = {
    { "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" }, { "nbsp", " " },
    { "AMP", "&" }, { "LT", "<" }, { "GT", ">" }, { "QUOT", "\"" }, { "shy", "" },
    { "copy", "\xc2\xa9" }, { "reg", "\xc2\xae" }, { "trade", "\xe2\x84\xa2" }, { "deg", "\xc2\xb0" },
    { "laquo", "\xc2\xab" }, { "raquo", "\xc2\xbb" }, { "middot", "\xc2\xb7" }, { "times", "\xc3\x97" },
    { "ndash", "\xe2\x80\x93" }, { "mdash", "\xe2\x80\x94" }, { "hellip", "\xe2\x80\xa6" },
    { "lsquo", "\xe2\x80\x98" }, { "rsquo", "\xe2\x80\x99" }, { "ldquo", "\xe2\x80\x9c" },
    { "rdquo", "\xe2\x80\x9d" }, { "bdquo", "\xe2\x80\x9e" }, { "bull", "\xe2\x80\xa2" }, { "euro", "\xe2\x82\xac" },
    { "numero", "\xe2\x84\x96" },
};

/* Emit code point V from a numeric entity: whitespace stays whitespace, other controls vanish,
 * impossible values become U+FFFD as browsers show them. */
static void emit_codepoint(html *h, gulong v)
{
    char buf[8];
    if (v == 9 || v == 10 || v == 13 || v == 32) {
        whitespace(h, (char)v);
        return;
    }
    if (v < 0x20 || (v >= 0x7F && v < 0xA0))
        return;
    if (v > 0x10FFFF || !g_unichar_validate((gunichar)v))
        v = 0xFFFD;
    emit(h, buf, (size_t)g_unichar_to_utf8((gunichar)v, buf));
}

/* "&#123;" or "&#x7B;" at h->p (';' optional, as browsers accept); 0 if it is not one. */
static int numeric_entity(html *h)
{
    const char *p = h->p + 2;
    int hex = p < h->end && (*p == 'x' || *p == 'X');
    p += hex;
    gulong v = 0;
    const char *digits = p;
    for (; p < h->end && (hex ? g_ascii_isxdigit(*p) : g_ascii_isdigit(*p)); p++)
        v = MIN(v * (hex ? 16 : 10) + (gulong)g_ascii_xdigit_value(*p), 0x110000UL);
    if (p == digits)
        return 0;
    h->p = p < h->end && *p == ';' ? p + 1 : p;
    emit_codepoint(h, v);
    return 1;
}

/* "&name;" at h->p; the five basic ones are also taken without ';' as old mailers write them. */
static int named_entity(html *h)
{
    const char *name = h->p + 1, *e = name;
    while (e < h->end && e - name < 32 && g_ascii_isalnum(*e))
        e++;
    size_t n = (size_t)(e - name);
    int semi = e < h->end && *e == ';';
    for (size_t i = 0; i < G_N_ELEMENTS(entities); i++) {
        if (strlen(entities[i].name) != n || strncmp(name, entities[i].name, n) != 0)
            continue;
        if (!semi && i > 5)
            return 0;
        h->p = e + semi;
        if (!strcmp(entities[i].name, "nbsp"))
            whitespace(h, ' ');
        else if (*entities[i].utf8)
            emit(h, entities[i].utf8, strlen(entities[i].utf8));
        return 1;
    }
    return 0;
}

static void entity(html *h)
{
    int done = h->p + 1 < h->end && h->p[1] == '#' ? numeric_entity(h) : named_entity(h);
    if (!done) {
        emit(h, "&", 1);
        h->p++;
    }
}

/* What '<' at h->p starts. */
static void markup(html *h)
{
    char c = h->p + 1 < h->end ? h->p[1] : '\0';
    char d = h->p + 2 < h->end ? h->p[2] : '\0';
    if (g_ascii_isalpha(c) || (c == '/' && g_ascii_isalpha(d))) {
        tag(h);
    } else if (c == '!' || c == '?') {
        declaration(h);
    } else {
        emit(h, "<", 1); /* "a < b": plain text */
        h->p++;
    }
}

char *sg_text_from_html(const char *src)
{
    src = src ? src : "";
    html h = { .p = src, .end = src + strlen(src), .out = g_string_new(NULL) };
    while (h.p < h.end) {
        if (*h.p == '<') {
            markup(&h);
        } else if (*h.p == '&') {
            entity(&h);
        } else if (html_space(*h.p)) {
            whitespace(&h, *h.p++);
        } else {
            const char *s = h.p;
            while (h.p < h.end && *h.p != '<' && *h.p != '&' && !html_space(*h.p))
                h.p++;
            emit(&h, s, (size_t)(h.p - s));
        }
    }
    if (h.out->len)
        g_string_append_c(h.out, '\n');
    char *text = g_string_free(h.out, FALSE);
    if (!g_utf8_validate(text, -1, NULL)) {
        char *valid = g_utf8_make_valid(text, -1);
        g_free(text);
        text = valid;
    }
    return text;
}
