/* directive.c - the repeatable lines of supportgate.conf, each read through one table row into the snapshot's lists. */
#include "directive.h"
#include "address.h"
#include "calendar.h"
#include "classify.h"
#include "domain.h"
#include "duration.h"
#include "phrase.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef char *(*directive_fn)(sg_directives *d, const char *value);

static char *read_intake(sg_directives *d, const char *value);
static char *read_team(sg_directives *d, const char *value);
static char *read_team_name(sg_directives *d, const char *value);
static char *read_calendar(sg_directives *d, const char *value);
static char *read_holiday(sg_directives *d, const char *value);
static char *read_classify(sg_directives *d, const char *value);
static char *read_escalation(sg_directives *d, const char *value);
static char *read_digest(sg_directives *d, const char *value);

/* Every directive may be written any number of times (each line adds one item); the scalar keys of
 * config.c are the ones set at most once. */
static const struct {
    const char *name;
    directive_fn read;
    const char *required; /* the problem when a file has no such line; NULL when none is needed */
} directives[] = {
    { "intake", read_intake, "at least one intake address is required" },
    { "team", read_team, NULL },
    { "team_name", read_team_name, NULL },
    { "calendar", read_calendar, NULL },
    { "holiday", read_holiday, NULL },
    { "classify", read_classify, NULL },
    { "escalation", read_escalation, NULL },
    { "digest", read_digest, NULL },
};

struct sg_directives {
    GStringChunk *strings; /* every string the items below point to: freed at once with them */
    GArray *intakes;       /* sg_intake */
    sg_teams *teams;
    sg_rules *rules;
    GArray *digests;       /* sg_digest */
    GArray *escalations;   /* sg_escalation_rule */
    guint lines[G_N_ELEMENTS(directives)]; /* how many lines of each directive were taken */
};

sg_directives *sg_directives_new(void)
{
    sg_directives *d = g_new0(sg_directives, 1);
    d->strings = g_string_chunk_new(256);
    d->intakes = g_array_new(FALSE, FALSE, sizeof(sg_intake));
    d->teams = sg_teams_new();
    d->rules = sg_rules_new();
    d->digests = g_array_new(FALSE, FALSE, sizeof(sg_digest));
    d->escalations = g_array_new(FALSE, FALSE, sizeof(sg_escalation_rule));
    return d;
}

void sg_directives_free(sg_directives *d)
{
    if (!d)
        return;
    g_array_free(d->intakes, TRUE);
    sg_teams_free(d->teams);
    sg_rules_free(d->rules);
    g_array_free(d->digests, TRUE);
    g_array_free(d->escalations, TRUE);
    g_string_chunk_free(d->strings);
    g_free(d);
}

int sg_directive_read(sg_directives *d, const char *name, const char *value, char **problem)
{
    for (size_t i = 0; i < G_N_ELEMENTS(directives); i++) {
        if (strcmp(directives[i].name, name) != 0)
            continue;
        *problem = directives[i].read(d, value);
        d->lines[i] += *problem == NULL;
        return 1;
    }
    return 0;
}

size_t sg_directive_names(const char **names, size_t max)
{
    size_t n = 0;
    for (; n < G_N_ELEMENTS(directives) && n < max; n++)
        names[n] = directives[n].name;
    return n;
}

const char *sg_directives_missing(const sg_directives *d, const char **problem)
{
    for (size_t i = 0; i < G_N_ELEMENTS(directives); i++)
        if (directives[i].required && d->lines[i] == 0) {
            *problem = directives[i].required;
            return directives[i].name;
        }
    return NULL;
}

/* A copy of S that lives as long as the directives. */
static const char *keep(sg_directives *d, const char *s)
{
    return g_string_chunk_insert(d->strings, s);
}

static const char *keep_lower(sg_directives *d, const char *s)
{
    char *lower = sg_address_lower(s);
    const char *kept = keep(d, lower);
    g_free(lower);
    return kept;
}

/* The words of a list value, separated by any run of blanks (g_strfreev). */
static char **words(const char *value, guint *n)
{
    char **all = g_strsplit_set(value, " \t", -1);
    guint k = 0;
    for (char **p = all; *p; p++) {
        if (**p)
            all[k++] = *p;
        else
            g_free(*p);
    }
    all[k] = NULL;
    *n = k;
    return all;
}

static char *no_team(const char *name)
{
    return g_strdup_printf("no team \"%s\" declared above", name);
}

/* "intake = ADDRESS CHANNEL ACK_TARGET". */
static char *read_intake(sg_directives *d, const char *value)
{
    guint n;
    char **w = words(value, &n);
    const char *problem = NULL;
    long long target = 0;
    if (n != 3)
        problem = "expects: ADDRESS CHANNEL ACK_TARGET (e.g. support@example.com email 2m)";
    else if (!sg_address_valid(w[0]))
        problem = "not a mail address (local@domain)";
    else if (sg_duration_parse(w[2], &target) < 0 || target < 10 || target > 86400)
        problem = "acknowledgement target must be a duration between 10s and 1d";
    else if (sg_directives_intake_find(d, w[0]))
        problem = "address listed twice";
    if (!problem) {
        sg_intake in = { keep_lower(d, w[0]), keep(d, w[1]), target };
        g_array_append_val(d->intakes, in);
    }
    g_strfreev(w);
    return g_strdup(problem);
}

/* "team = NAME LEVEL MAILBOX". */
static char *read_team(sg_directives *d, const char *value)
{
    guint n;
    char **w = words(value, &n);
    const char *problem = NULL;
    char *end = NULL;
    long level = n == 3 ? strtol(w[1], &end, 10) : 0;
    if (n != 3)
        problem = "expects: NAME LEVEL MAILBOX (e.g. billing 2 billing@example.com)";
    else if (!g_regex_match_simple("^[a-z][a-z0-9_-]*$", w[0], 0, 0))
        problem = "team names are lower-case letters, digits, '-' and '_'";
    else if (*end || level < 1 || level > 3)
        problem = "level must be 1, 2 or 3";
    else if (!sg_address_valid(w[2]))
        problem = "mailbox is not a mail address";
    else if (sg_teams_add(d->teams, w[0], (int)level, w[2]) < 0)
        problem = "team listed twice";
    g_strfreev(w);
    return g_strdup(problem);
}

/* "team_name = TEAM LANG WORDS": what customers writing in LANG read for the team, so that their mail names
 * people ("відділ білінгу"), not an identifier. */
static char *read_team_name(sg_directives *d, const char *value)
{
    char **w = g_strsplit_set(value, " \t", 3);
    char *title = w[0] && w[1] && w[2] ? g_strstrip(g_strdup(w[2])) : NULL, *problem = NULL;
    if (!title || !*title)
        problem = g_strdup("expects: TEAM LANG NAME (e.g. billing uk відділ білінгу)");
    else if (!sg_teams_find(d->teams, w[0]))
        problem = no_team(w[0]);
    else if (!sg_phrase_has_lang(w[1]))
        problem = g_strdup_printf("unknown language \"%s\" (en, uk or ru)", w[1]);
    else if (!g_utf8_validate(title, -1, NULL))
        problem = g_strdup("the name is not UTF-8");
    else if (sg_teams_add_title(d->teams, w[0], w[1], title) < 0)
        problem = g_strdup_printf("team \"%s\" already has a name in %s", w[0], w[1]);
    g_free(title);
    g_strfreev(w);
    return problem;
}

/* "calendar = TEAM SPEC": several lines for one team (one per data centre) mean on shift when any is. */
static char *read_calendar(sg_directives *d, const char *value)
{
    char *name = g_strdup(value), *spec = name + strcspn(name, " \t");
    if (*spec)
        *spec++ = '\0';
    char *problem = NULL;
    if (!sg_teams_find(d->teams, name)) {
        problem = no_team(name);
    } else {
        sg_calendar *cal = sg_calendar_parse(spec, &problem);
        if (cal)
            sg_teams_add_calendar(d->teams, name, cal);
    }
    g_free(name);
    return problem;
}

/* "holiday = TEAM YYYY-MM-DD": applies to every calendar the team has so far. */
static char *read_holiday(sg_directives *d, const char *value)
{
    char **w = g_strsplit_set(value, " \t", 2);
    const sg_team *t = w[0] ? sg_teams_find(d->teams, w[0]) : NULL;
    char *problem = NULL;
    if (!t || !w[1])
        problem = g_strdup("expects: TEAM YYYY-MM-DD, after the team's calendar lines");
    else if (t->n_calendars == 0)
        problem = g_strdup_printf("team \"%s\" works around the clock: give it a calendar first", w[0]);
    else if (sg_teams_add_holiday(d->teams, w[0], g_strstrip(w[1])) < 0)
        problem = g_strdup_printf("not a date: \"%s\"", w[1]);
    g_strfreev(w);
    return problem;
}

/* "classify = TEAM CATEGORY PATTERN"; classify.c judges the category and the pattern. */
static char *read_classify(sg_directives *d, const char *value)
{
    char *problem = NULL;
    char **w = g_strsplit_set(value, " \t", 2);
    if (w[0] && !sg_teams_find(d->teams, w[0]))
        problem = no_team(w[0]);
    g_strfreev(w);
    if (!problem)
        sg_rules_add(d->rules, value, &problem);
    return problem;
}

/* The problem with the five words of an escalation line, or NULL. */
static char *escalation_problem(const sg_directives *d, char **w, guint n)
{
    if (n != 5 || (strcmp(w[3], "escalate") != 0 && strcmp(w[3], "notify") != 0))
        return g_strdup("expects: SLA TEAM CATEGORY escalate TEAM | notify ADDRESS"
                        " (e.g. resolution support standard escalate sysadmins)");
    if (strcmp(w[0], "*") != 0 && sg_sla_parse(w[0]) < 0)
        return g_strdup_printf("unknown SLA \"%s\" (ack, first_response, update, resolution or *)", w[0]);
    if (strcmp(w[1], "*") != 0 && !sg_teams_find(d->teams, w[1]))
        return no_team(w[1]);
    if (strcmp(w[2], "*") != 0 && sg_category_parse(w[2]) < 0)
        return g_strdup_printf("unknown category \"%s\" (simple, standard, complex, custom or *)", w[2]);
    if (w[3][0] == 'e' && !sg_teams_find(d->teams, w[4]))
        return no_team(w[4]);
    if (w[3][0] == 'n' && !sg_address_valid(w[4]))
        return g_strdup_printf("not a mail address: \"%s\"", w[4]);
    return NULL;
}

/* "escalation = SLA TEAM CATEGORY escalate TEAM2 | notify ADDRESS". */
static char *read_escalation(sg_directives *d, const char *value)
{
    guint n;
    char **w = words(value, &n);
    char *problem = escalation_problem(d, w, n);
    if (!problem) {
        int escalate = w[3][0] == 'e';
        sg_escalation_rule r = { keep(d, w[0]), keep(d, w[1]), keep(d, w[2]),
                                 escalate ? SG_ESC_ESCALATE : SG_ESC_NOTIFY,
                                 escalate ? keep(d, w[4]) : keep_lower(d, w[4]) };
        g_array_append_val(d->escalations, r);
    }
    g_strfreev(w);
    return problem;
}

/* "digest = NAME PERIOD [HH:MM ZONE]": a report every PERIOD, or each day at HH:MM in ZONE. */
static char *read_digest(sg_directives *d, const char *value)
{
    guint n;
    char **w = words(value, &n);
    const char *problem = NULL;
    long long period = 0;
    int h = -1, m = -1;
    char extra;
    if (n != 2 && n != 4)
        problem = "expects: NAME PERIOD [HH:MM ZONE] (e.g. hourly 1h, or daily 1d 08:00 Europe/Amsterdam)";
    else if (sg_duration_parse(w[1], &period) < 0 || period < 300)
        problem = "the period must be a duration of at least 5m";
    else if (n == 4 && (sscanf(w[2], "%d:%d%c", &h, &m, &extra) != 2 || h < 0 || h > 23 || m < 0 || m > 59))
        problem = "the report time must be HH:MM";
    else if (n == 4 && period != 86400)
        problem = "a report time needs a period of 1d";
    else if (n == 4 && sg_period_end(864000, period, h * 60 + m, w[3]) == 0)
        problem = "unknown time zone";
    if (!problem) {
        sg_digest dg = { keep(d, w[0]), period, n == 4 ? h * 60 + m : -1, n == 4 ? keep(d, w[3]) : NULL };
        g_array_append_val(d->digests, dg);
    }
    g_strfreev(w);
    return g_strdup(problem);
}

static int field_matches(const char *pattern, const char *value)
{
    return strcmp(pattern, "*") == 0 || (value && strcmp(pattern, value) == 0);
}

int sg_escalation_matches(const sg_escalation_rule *rule, const char *sla, const char *team, const char *category)
{
    return field_matches(rule->sla, sla) && field_matches(rule->team, team) && field_matches(rule->category, category);
}

/* Item I of A (elements of SIZE bytes), or NULL past the end. */
static const void *item(const GArray *a, size_t i, size_t size)
{
    return i < a->len ? a->data + i * size : NULL;
}

size_t sg_directives_intake_count(const sg_directives *d) { return d->intakes->len; }

const sg_intake *sg_directives_intake(const sg_directives *d, size_t i)
{
    return item(d->intakes, i, sizeof(sg_intake));
}

const sg_intake *sg_directives_intake_find(const sg_directives *d, const char *addr)
{
    if (!addr)
        return NULL;
    char *bare = sg_address_bare(addr);
    const sg_intake *found = NULL;
    for (guint i = 0; i < d->intakes->len && !found; i++) {
        const sg_intake *in = &g_array_index(d->intakes, sg_intake, i);
        if (sg_address_same(in->address, bare))
            found = in;
    }
    g_free(bare);
    return found;
}

const sg_teams *sg_directives_teams(const sg_directives *d) { return d->teams; }
const sg_rules *sg_directives_rules(const sg_directives *d) { return d->rules; }
size_t sg_directives_digest_count(const sg_directives *d) { return d->digests->len; }

const sg_digest *sg_directives_digest(const sg_directives *d, size_t i)
{
    return item(d->digests, i, sizeof(sg_digest));
}

size_t sg_directives_escalation_count(const sg_directives *d) { return d->escalations->len; }

const sg_escalation_rule *sg_directives_escalation(const sg_directives *d, size_t i)
{
    return item(d->escalations, i, sizeof(sg_escalation_rule));
}
