/* classify.h - first guess at a new ticket's team and category from its words, by configured rules. */
#ifndef SG_CLASSIFY_H
#define SG_CLASSIFY_H

typedef struct sg_rules sg_rules;

sg_rules *sg_rules_new(void);
void sg_rules_free(sg_rules *r);

/* Add "TEAM CATEGORY PATTERN": PATTERN is a case-insensitive regular expression over the subject and
 * text (UTF-8, so Cyrillic words match in any case).  -1 with *ERR (g_free) when it does not compile or
 * CATEGORY is not simple|standard|complex|custom. */
int sg_rules_add(sg_rules *r, const char *line, char **err);

/* The first rule matching SUBJECT or TEXT: 1 with *TEAM and *CATEGORY pointing into the rules, else 0. */
int sg_rules_match(const sg_rules *r, const char *subject, const char *text, const char **team,
                   const char **category);

#endif
