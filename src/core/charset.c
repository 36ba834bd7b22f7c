/* charset.c - any charset to UTF-8: declared labels checked against the bytes, missing or unusable ones guessed. */
#include "charset.h"
#include "lang.h"

#include <glib.h>
#include <string.h>

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
            if (sg_text_is_cyrillic(c)) {
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

char *sg_text_to_utf8_noted(const char *data, size_t len, const char *charset, char **note)
{
    if (!data)
        len = 0;
    if (note)
        *note = NULL;
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
        if (!out) {
            out = guess(clean, len);
            /* The reader must know the letters may not be the writer's: the label said otherwise. */
            if (note && cs && len && !g_str_is_ascii(clean))
                *note = g_strdup_printf("the mail says its text is in \"%s\", which cannot be read as such; "
                                        "it was read in the most likely charset instead", charset);
        }
        g_free(clean);
    }
    g_free(cs);
    return out ? out : g_strdup("");
}

char *sg_text_to_utf8(const char *data, size_t len, const char *charset)
{
    return sg_text_to_utf8_noted(data, len, charset, NULL);
}
