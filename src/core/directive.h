/* directive.h - the repeatable lines of supportgate.conf (intake, team, calendar, ...) and the lists they build. */
#ifndef SG_DIRECTIVE_H
#define SG_DIRECTIVE_H

#include <stddef.h>

#include "team.h"

typedef struct {
    const char *address; /* lower-case */
    const char *channel; /* "email", "chat", ... */
    long long ack_target; /* seconds */
} sg_intake;

/* A management digest schedule: "digest = hourly 1h" or "digest = daily 1d 08:00 Europe/Amsterdam". */
typedef struct {
    const char *name;
    long long period;   /* seconds */
    int anchor_min;     /* local report time in minutes after midnight, or -1 */
    const char *zone;   /* IANA zone of the anchor, or NULL */
} sg_digest;

/* What the policy does at a breach, in configuration order ("escalation = SLA TEAM CATEGORY ACTION TARGET"):
 * hand the ticket to another team, or tell an address (a duty manager) at once.  SLA, TEAM and CATEGORY
 * may be "*" for any. */
typedef enum { SG_ESC_ESCALATE, SG_ESC_NOTIFY } sg_esc_action;

typedef struct {
    const char *sla, *team, *category;
    sg_esc_action action;
    const char *target;  /* a team name (escalate) or a mail address (notify) */
} sg_escalation_rule;

/* Whether RULE applies to a breach of SLA on a ticket of TEAM and CATEGORY. */
int sg_escalation_matches(const sg_escalation_rule *rule, const char *sla, const char *team, const char *category);

typedef struct sg_rules sg_rules;

/* Everything the directive lines of one file declare, in the order written. */
typedef struct sg_directives sg_directives;

sg_directives *sg_directives_new(void);
void sg_directives_free(sg_directives *d);

/* Reads the line "NAME = VALUE".  0 when NAME is no directive (a scalar key, or unknown); otherwise 1,
 * with *PROBLEM NULL when the line was taken, or the reason it was not (g_free). */
int sg_directive_read(sg_directives *d, const char *name, const char *value, char **problem);
/* The directives' names into NAMES (room for MAX); how many there are. */
size_t sg_directive_names(const char **names, size_t max);
/* The name of the first directive a file must have and has not, with the problem in *PROBLEM; NULL when
 * nothing is missing. */
const char *sg_directives_missing(const sg_directives *d, const char **problem);

size_t sg_directives_intake_count(const sg_directives *d);
const sg_intake *sg_directives_intake(const sg_directives *d, size_t i);
/* The intake whose address equals ADDR (case-insensitive, angle brackets ignored), or NULL. */
const sg_intake *sg_directives_intake_find(const sg_directives *d, const char *addr);
const sg_teams *sg_directives_teams(const sg_directives *d);
/* The classification rules, in order; never NULL. */
const sg_rules *sg_directives_rules(const sg_directives *d);
size_t sg_directives_digest_count(const sg_directives *d);
const sg_digest *sg_directives_digest(const sg_directives *d, size_t i);
size_t sg_directives_escalation_count(const sg_directives *d);
const sg_escalation_rule *sg_directives_escalation(const sg_directives *d, size_t i);

#endif
