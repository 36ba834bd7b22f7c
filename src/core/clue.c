/* clue.c - what in a new ticket's words may tie it to other customers' tickets: servers, addresses, keywords. */
#include "clue.h"

#include <gio/gio.h>
#include <string.h>

/* Only the start of a long mail is read: a customer names the server in the first lines. */
#define SCAN_LIMIT (64 * 1024)

struct sg_clue_rules {
    int kinds;
    char **keywords; /* casefolded */
    char **ignore;   /* lower case */
    GRegex *host, *ipv4, *ipv6;
};

static const struct {
    const char *word;
    int kind;
} kind_words[] = {
    { "hosts", SG_CLUE_HOSTS },
    { "addresses", SG_CLUE_ADDRESSES },
    { "category", SG_CLUE_CATEGORY },
    { "keywords", SG_CLUE_KEYWORDS },
};

/* Names that look like host names but are files a customer mentions ("nginx.conf", "error.log"). */
static const char *const file_suffixes[] = {
    "bak", "cfg", "conf", "css", "csv", "dat", "doc", "docx", "exe", "gif", "gz", "htm", "html", "ini", "jpeg",
    "jpg", "js", "json", "log", "md", "pdf", "php", "png", "py", "sh", "sql", "tar", "tgz", "txt", "xls", "xlsx",
    "xml", "yaml", "yml", "zip",
};

int sg_clue_kinds_parse(const char *words, char **bad)
{
    char **w = g_strsplit_set(words ? words : "", " \t,", -1);
    int kinds = 0;
    for (int i = 0; w[i] && kinds >= 0; i++) {
        if (!*w[i])
            continue;
        size_t k = 0;
        while (k < G_N_ELEMENTS(kind_words) && strcmp(kind_words[k].word, w[i]))
            k++;
        if (k < G_N_ELEMENTS(kind_words)) {
            kinds |= kind_words[k].kind;
        } else {
            *bad = g_strdup(w[i]);
            kinds = -1;
        }
    }
    g_strfreev(w);
    return kinds;
}

/* The non-empty, stripped items of LIST split at SEPARATORS, each through FOLD. */
static char **items(const char *list, const char *separators, gboolean fold)
{
    char **parts = g_strsplit_set(list ? list : "", separators, -1);
    GPtrArray *out = g_ptr_array_new();
    for (int i = 0; parts[i]; i++) {
        char *s = g_strstrip(parts[i]);
        if (*s)
            g_ptr_array_add(out, fold ? g_utf8_casefold(s, -1) : g_ascii_strdown(s, -1));
    }
    g_strfreev(parts);
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(out, FALSE);
}

sg_clue_rules *sg_clue_rules_new(int kinds, const char *keywords, const char *ignore)
{
    sg_clue_rules *r = g_new0(sg_clue_rules, 1);
    r->kinds = kinds;
    r->keywords = items(keywords, ",", TRUE);
    r->ignore = items(ignore, " \t,", FALSE);
    /* Not inside a mail address or a longer name: "@" or a name character on either side rules a match out. */
    r->host = g_regex_new("(?<![@\\w.-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63})(?![\\w@-]|\\.\\w)",
                          G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);
    r->ipv4 = g_regex_new("(?<![\\w.])(\\d{1,3}(?:\\.\\d{1,3}){3})(?!\\w|\\.\\d)", G_REGEX_OPTIMIZE, 0, NULL);
    r->ipv6 = g_regex_new("(?<![\\w:])((?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4})(?![\\w:])",
                          G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, NULL);
    return r;
}

void sg_clue_rules_free(sg_clue_rules *r)
{
    if (!r)
        return;
    g_strfreev(r->keywords);
    g_strfreev(r->ignore);
    g_regex_unref(r->host);
    g_regex_unref(r->ipv4);
    g_regex_unref(r->ipv6);
    g_free(r);
}

/* The customer's own words: quoted lines and the signature ("-- ") left out, the length bounded. */
static char *own_words(const char *subject, const char *text)
{
    GString *s = g_string_new(subject ? subject : "");
    g_string_append_c(s, '\n');
    char **lines = g_strsplit(text ? text : "", "\n", -1);
    for (int i = 0; lines[i] && s->len < SCAN_LIMIT; i++) {
        const char *l = lines[i] + strspn(lines[i], " \t");
        if (!strcmp(lines[i], "-- ") || !strcmp(lines[i], "-- \r"))
            break;
        if (*l != '>')
            g_string_append_printf(s, "%s\n", lines[i]);
    }
    g_strfreev(lines);
    return g_string_free(s, FALSE);
}

static gboolean ignored(const sg_clue_rules *r, const char *host)
{
    const char *dot = strrchr(host, '.');
    for (size_t i = 0; dot && i < G_N_ELEMENTS(file_suffixes); i++)
        if (!strcmp(dot + 1, file_suffixes[i]))
            return TRUE;
    size_t n = strlen(host);
    for (int i = 0; r->ignore[i]; i++) {
        size_t m = strlen(r->ignore[i]);
        if (!strcmp(host, r->ignore[i]) || (n > m && host[n - m - 1] == '.' && !strcmp(host + n - m, r->ignore[i])))
            return TRUE;
    }
    return FALSE;
}

static void find_hosts(const sg_clue_rules *r, const char *s, GHashTable *seen)
{
    GMatchInfo *m = NULL;
    for (g_regex_match(r->host, s, 0, &m); g_match_info_matches(m); g_match_info_next(m, NULL)) {
        char *word = g_match_info_fetch(m, 1), *host = g_ascii_strdown(word, -1);
        if (!ignored(r, host))
            g_hash_table_add(seen, g_strconcat("host:", host, NULL));
        g_free(host);
        g_free(word);
    }
    g_match_info_free(m);
}

/* Addresses in their canonical form, so "2001:DB8::1" and "2001:db8:0::1" are one clue; the machine's own
 * (loopback, unspecified) are nobody's server. */
static void find_addresses(const GRegex *re, const char *s, GHashTable *seen)
{
    GMatchInfo *m = NULL;
    for (g_regex_match(re, s, 0, &m); g_match_info_matches(m); g_match_info_next(m, NULL)) {
        char *word = g_match_info_fetch(m, 1);
        GInetAddress *a = g_inet_address_new_from_string(word);
        if (a && !g_inet_address_get_is_loopback(a) && !g_inet_address_get_is_any(a)) {
            char *canon = g_inet_address_to_string(a);
            g_hash_table_add(seen, g_strconcat("ip:", canon, NULL));
            g_free(canon);
        }
        if (a)
            g_object_unref(a);
        g_free(word);
    }
    g_match_info_free(m);
}

/* Whether the character before P (in S) is part of a word. */
static gboolean word_char_before(const char *s, const char *p)
{
    return p > s && g_unichar_isalnum(g_utf8_get_char(g_utf8_find_prev_char(s, p)));
}

static void find_keywords(const sg_clue_rules *r, const char *s, GHashTable *seen)
{
    char *folded = g_utf8_casefold(s, -1);
    for (int i = 0; r->keywords[i]; i++) {
        size_t n = strlen(r->keywords[i]);
        for (const char *p = strstr(folded, r->keywords[i]); p; p = strstr(p + 1, r->keywords[i])) {
            if (!word_char_before(folded, p) && !g_unichar_isalnum(g_utf8_get_char(p + n))) {
                g_hash_table_add(seen, g_strconcat("word:", r->keywords[i], NULL));
                break;
            }
        }
    }
    g_free(folded);
}

static gint by_text(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

GPtrArray *sg_clues_find(const sg_clue_rules *r, const char *subject, const char *text, const char *classification,
                         unsigned max)
{
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    char *s = own_words(subject, text);
    if (g_utf8_validate(s, -1, NULL)) {
        if (r->kinds & SG_CLUE_HOSTS)
            find_hosts(r, s, seen);
        if (r->kinds & SG_CLUE_ADDRESSES) {
            find_addresses(r->ipv4, s, seen);
            find_addresses(r->ipv6, s, seen);
        }
        if (r->kinds & SG_CLUE_KEYWORDS)
            find_keywords(r, s, seen);
    }
    if ((r->kinds & SG_CLUE_CATEGORY) && classification && *classification)
        g_hash_table_add(seen, g_strconcat("class:", classification, NULL));
    g_free(s);
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init(&it, seen);
    while (g_hash_table_iter_next(&it, &key, NULL)) {
        g_hash_table_iter_steal(&it);
        g_ptr_array_add(out, key);
    }
    g_hash_table_destroy(seen);
    g_ptr_array_sort(out, by_text);
    if (out->len > max)
        g_ptr_array_set_size(out, max);
    return out;
}
