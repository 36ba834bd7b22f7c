/* clue.h - what in a new ticket's words may tie it to other customers' tickets: servers, addresses, keywords. */
#ifndef SG_CLUE_H
#define SG_CLUE_H

#include <glib.h>

/* The kinds of clue a site watches for (incident_watch_clues). */
enum {
    SG_CLUE_HOSTS = 1 << 0,     /* a host name: "web12.example.net" */
    SG_CLUE_ADDRESSES = 1 << 1, /* an IPv4 or IPv6 address, in its canonical form */
    SG_CLUE_CATEGORY = 1 << 2,  /* the classification the rules gave, other than the first line's default */
    SG_CLUE_KEYWORDS = 1 << 3,  /* one of the configured words or phrases */
};

/* "hosts addresses keywords" -> the kinds; -1 with *BAD (g_free) naming the word that is not a kind. */
int sg_clue_kinds_parse(const char *words, char **bad);

typedef struct sg_clue_rules sg_clue_rules;

/* KINDS; KEYWORDS: words or phrases separated by commas (case-insensitive, matched as whole words);
 * IGNORE: host names (space- or comma-separated) that are nobody's problem, the support domain for one:
 * a name ignores itself and its subdomains. */
sg_clue_rules *sg_clue_rules_new(int kinds, const char *keywords, const char *ignore);
void sg_clue_rules_free(sg_clue_rules *r);

/* The distinct clues in SUBJECT and TEXT (quoted lines and the signature left out), and CLASSIFICATION
 * ("team/category", NULL when the default), as "host:NAME", "ip:ADDR", "word:KEYWORD", "class:TEAM/CATEGORY",
 * sorted; at most MAX of them.  g_ptr_array_unref. */
GPtrArray *sg_clues_find(const sg_clue_rules *r, const char *subject, const char *text, const char *classification,
                         unsigned max);

#endif
