/* text.c - text conversions: any charset to UTF-8, HTML to readable text, language guess. */
#include "text.h"

#include <glib.h>
#include <string.h>

/* Charsets ------------------------------------------------------------------------------------------ */

/* Remove NUL bytes from S (LEN bytes) in place and terminate it; returns the new length.  PostgreSQL
 * refuses NUL in text and every C consumer would stop at the first one. */
static size_t drop_nul(char *s, size_t len)
{
    size_t j = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i])
            s[j++] = s[i];
    s[j] = '\0';
    return j;
}

/* LEN bytes from FROM to valid UTF-8 without NUL; NULL unless every byte converted. */
static char *convert(const char *data, size_t len, const char *from)
{
    gsize read = 0, written = 0;
    char *out = g_convert(data, (gssize)len, "UTF-8", from, &read, &written, NULL);
    if (!out)
        return NULL;
    written = drop_nul(out, written);
    if (read != len || !g_utf8_validate(out, (gssize)written, NULL)) {
        g_free(out);
        return NULL;
    }
    return out;
}

/* UTF-16 and UTF-32 carry NUL bytes as halves of characters: they must reach iconv untouched. */
static int wide_charset(const char *cs)
{
    return cs && (!g_ascii_strncasecmp(cs, "utf-16", 6) || !g_ascii_strncasecmp(cs, "utf-32", 6) ||
                  !g_ascii_strncasecmp(cs, "ucs-2", 5) || !g_ascii_strncasecmp(cs, "ucs-4", 5) ||
                  !g_ascii_strncasecmp(cs, "utf16", 5) || !g_ascii_strncasecmp(cs, "utf32", 5));
}

/* 7-bit encodings whose ASCII bytes still need decoding. */
static int escaped_charset(const char *cs)
{
    return !g_ascii_strncasecmp(cs, "utf-7", 5) || !g_ascii_strncasecmp(cs, "iso-2022", 8) ||
           !g_ascii_strcasecmp(cs, "hz-gb-2312");
}

/* The iconv name for a MIME charset label (g_free), or NULL when the label promises nothing usable
 * (absent, empty, plain ASCII). */
static char *charset_name(const char *label)
{
    char *cs = g_strstrip(g_ascii_strdown(label ? label : "", -1));
    if (!*cs || !strcmp(cs, "us-ascii") || !strcmp(cs, "ascii") || !strcmp(cs, "ansi_x3.4-1968")) {
        g_free(cs);
        return NULL;
    }
    /* KOI8-U only adds Ukrainian letters where KOI8-R has box drawing, which nobody mails. */
    if (!strcmp(cs, "koi8-r") || !strcmp(cs, "koi8r") || !strcmp(cs, "koi8")) {
        g_free(cs);
        return g_strdup("koi8-u");
    }
    if (!strcmp(cs, "win-1251") || !strcmp(cs, "win1251") || !strcmp(cs, "cp-1251") || !strcmp(cs, "windows1251")) {
        g_free(cs);
        return g_strdup("windows-1251");
    }
    return cs;
}

/* Ukrainian and Russian letters weighted roughly by frequency in prose; indexed from U+0430. */
static const unsigned char letter_weight[] = {
    /* а б в г д е ж з и й к л м н о п */ 8, 2, 5, 2, 3, 8, 1, 2, 7, 1, 4, 4, 3, 7, 10, 3,
    /* р с т у ф х ц ч ш щ ъ ы ь э ю я */ 5, 5, 6, 3, 0, 1, 1, 1, 1, 1, 0, 2, 2, 0, 1, 2,
    /* ѐ ё ђ ѓ є ѕ і ї ј љ њ ћ ќ ѝ ў џ */ 0, 1, 0, 0, 1, 0, 5, 1, 0, 0, 0, 0, 0, 0, 0, 0,
};

static int is_cyrillic(gunichar c) { return c >= 0x0400 && c <= 0x052F; }
static int is_cyrillic_lower(gunichar c) { return c >= 0x0430 && c <= 0x045F; }

/* Running tally of one word while scoring. */
typedef struct {
    int letters, cyrillic, ascii, weight, bad_caps;
    gunichar prev;
} word;

static long word_score(const word *w)
{
    if (!w->cyrillic)
        return 0;
    /* The wrong one of cp1251/koi8-u turns high bytes inside Latin words into Cyrillic letters. */
    if (w->ascii)
        return -8L * w->cyrillic;
    /* One-letter words (and Latin-1 "à") prove nothing either way. */
    if (w->letters == 1)
        return 0;
    return (long)w->weight - 8L * w->bad_caps;
}

/* How much S (UTF-8) looks like Ukrainian/Russian prose: frequent lower-case letters score; capitals
 * after small letters, Cyrillic glued to Latin and box drawing (what a wrong decoding produces) cost. */
static long cyrillic_score(const char *s)
{
    long score = 0;
    word w = { 0 };
    for (const char *p = s;; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c && g_unichar_isalpha(c)) {
            w.letters++;
            if (is_cyrillic(c)) {
                gunichar lower = g_unichar_tolower(c);
                w.cyrillic++;
                if (is_cyrillic_lower(lower))
                    w.weight += letter_weight[lower - 0x0430];
                if (c != lower && is_cyrillic_lower(w.prev))
                    w.bad_caps++;
            } else if (c < 0x80) {
                w.ascii++;
            }
            w.prev = c;
            continue;
        }
        score += word_score(&w);
        memset(&w, 0, sizeof w);
        if (c >= 0x2500 && c <= 0x259F)
            score -= 4;
        if (!c)
            return score;
    }
}

/* The better of windows-1251 and koi8-u for DATA (NUL-free), with its score; NULL if neither converts. */
static char *best_cyrillic(const char *data, size_t len, long *score)
{
    char *a = convert(data, len, "WINDOWS-1251");
    char *b = convert(data, len, "KOI8-U");
    long sa = a ? cyrillic_score(a) : G_MINLONG, sb = b ? cyrillic_score(b) : G_MINLONG;
    *score = MAX(sa, sb);
    if (sb > sa) {
        g_free(a);
        return b;
    }
    g_free(b);
    return a;
}

/* Mostly UTF-8 with a few broken sequences (a cut-off character, one stray byte): keep it as UTF-8.
 * Legacy Cyrillic text yields far more invalid bytes than accidental valid sequences. */
static int mostly_utf8(const char *s, size_t len)
{
    size_t good = 0, bad = 0;
    const char *end = s + len;
    while (s < end) {
        const char *stop = NULL;
        g_utf8_validate(s, end - s, &stop);
        for (const char *p = s; p < stop; p++)
            good += ((unsigned char)*p & 0xC0) == 0xC0;
        if (stop >= end)
            break;
        bad++;
        s = stop + 1;
    }
    return good > 0 && good >= 4 * bad;
}

/* Undeclared or unusable charset: UTF-8 if it (nearly) is, else Cyrillic if it reads as such, else
 * Western European, which accepts every byte. */
static char *guess(const char *data, size_t len)
{
    if (g_utf8_validate(data, (gssize)len, NULL))
        return g_strndup(data, len);
    if (mostly_utf8(data, len))
        return g_utf8_make_valid(data, (gssize)len);
    long score;
    char *cyr = best_cyrillic(data, len, &score);
    if (cyr && score > 0)
        return cyr;
    g_free(cyr);
    char *out = convert(data, len, "WINDOWS-1252");
    return out ? out : convert(data, len, "ISO-8859-1");
}

static int western_charset(const char *cs)
{
    return !strncmp(cs, "iso-8859-1", 10) || !strcmp(cs, "windows-1252") || !strcmp(cs, "cp1252") ||
           !strcmp(cs, "latin1") || !strcmp(cs, "iso-8859-15");
}

static int cyrillic_charset(const char *cs)
{
    return !strcmp(cs, "windows-1251") || !strcmp(cs, "cp1251") || !strcmp(cs, "koi8-u");
}

/* A declared 8-bit charset that converted cleanly can still be wrong: mail clients label Cyrillic as
 * latin-1, and cp1251 as koi8 or back.  Keep DECODED unless the Cyrillic guess is clearly better (the
 * right one of cp1251/koi8-u scores some 1.3 to 2 times the wrong one on real text). */
static char *second_opinion(char *decoded, const char *data, size_t len, const char *cs)
{
    if (!western_charset(cs) && !cyrillic_charset(cs))
        return decoded;
    long score, mine = cyrillic_score(decoded);
    char *cyr = best_cyrillic(data, len, &score);
    int better = cyr && score > 0 && (western_charset(cs) ? mine <= 0 : 4 * score > 5 * mine + 32);
    if (better) {
        g_free(decoded);
        return cyr;
    }
    g_free(cyr);
    return decoded;
}

/* Declared charset CS (iconv name) for NUL-free DATA: NULL when it does not apply. */
static char *declared(const char *data, size_t len, const char *cs)
{
    if (escaped_charset(cs))
        return convert(data, len, cs);
    if (g_str_is_ascii(data))
        return g_strndup(data, len);
    /* Valid UTF-8 with non-ASCII under an 8-bit label: the label lies (real 8-bit text almost never
     * happens to be valid UTF-8). */
    if (g_utf8_validate(data, (gssize)len, NULL))
        return g_strndup(data, len);
    char *out = convert(data, len, cs);
    if (!out && g_str_has_prefix(cs, "x-"))
        out = convert(data, len, cs + 2);
    return out ? second_opinion(out, data, len, cs) : NULL;
}

char *sg_text_to_utf8(const char *data, size_t len, const char *charset)
{
    if (!data)
        len = 0;
    char *cs = charset_name(charset);
    char *out = NULL;
    if (cs && wide_charset(cs) && len)
        out = convert(data, len, cs);
    if (!out) {
        char *clean = g_malloc(len + 1);
        if (len)
            memcpy(clean, data, len);
        len = drop_nul(clean, len);
        out = cs && !wide_charset(cs) ? declared(clean, len, cs) : NULL;
        if (!out)
            out = guess(clean, len);
        g_free(clean);
    }
    g_free(cs);
    return out ? out : g_strdup("");
}

/* HTML to text -------------------------------------------------------------------------------------- */

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

/* Language and one-line text ---------------------------------------------------------------------- */

/* Letters only one of the two languages has: і ї є ґ are Ukrainian, ы э ъ ё Russian.  Any sentence of
 * a few words has some; for the rare one that has none, a few frequent words decide, and Ukrainian
 * (the company's language) wins a tie. */
static int ru_uk_letter(gunichar c)
{
    switch (g_unichar_tolower(c)) {
    case 0x0456: case 0x0457: case 0x0454: case 0x0491: return -1;
    case 0x044B: case 0x044D: case 0x044A: case 0x0451: return 1;
    default: return 0;
    }
}

static int ru_uk_word(const char *w)
{
    static const char *const ru[] = { "здравствуйте", "добрый", "спасибо", "что", "как", "это", "или", "где",
                                      "когда", "нет", "привет" };
    static const char *const uk[] = { "вітаю", "добрий", "дякую", "що", "як", "це", "або", "де", "коли", "немає",
                                      "привіт" };
    for (size_t i = 0; i < G_N_ELEMENTS(ru); i++)
        if (strcmp(w, ru[i]) == 0)
            return 1;
    for (size_t i = 0; i < G_N_ELEMENTS(uk); i++)
        if (strcmp(w, uk[i]) == 0)
            return -1;
    return 0;
}

/* Positive for Russian, negative for Ukrainian: distinctive letters, else distinctive words. */
static long ru_uk_score(const char *s)
{
    long letters = 0, words = 0;
    GString *w = g_string_new(NULL);
    for (const char *p = s;; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c && g_unichar_isalpha(c)) {
            letters += ru_uk_letter(c);
            g_string_append_unichar(w, g_unichar_tolower(c));
            continue;
        }
        if (w->len)
            words += ru_uk_word(w->str);
        g_string_truncate(w, 0);
        if (!c)
            break;
    }
    g_string_free(w, TRUE);
    return letters ? letters : words;
}

const char *sg_text_lang(const char *s)
{
    long cyr = 0, letters = 0;
    for (const char *p = s ? s : ""; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (!g_unichar_isalpha(c))
            continue;
        letters++;
        cyr += is_cyrillic(c);
    }
    if (cyr == 0 || cyr * 3 < letters)
        return "en";
    return ru_uk_score(s) > 0 ? "ru" : "uk";
}

/* Bytes of the control character at P (C0, DEL, C1 and the Unicode line/paragraph separators, which
 * some clients treat as line breaks); 0 for anything else. */
static size_t control_len(const unsigned char *p)
{
    if (p[0] < 0x20 || p[0] == 0x7F)
        return 1;
    if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
        return 2;
    if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9))
        return 3;
    return 0;
}

char *sg_text_one_line(char *s)
{
    if (!s)
        return s;
    char *w = s;
    int space = 0;
    for (char *p = s; *p;) {
        size_t n = control_len((const unsigned char *)p);
        if (n || *p == ' ') {
            space = 1;
            p += n ? n : 1;
            continue;
        }
        if (space && w != s)
            *w++ = ' ';
        space = 0;
        *w++ = *p++;
    }
    *w = '\0';
    return s;
}
