/* team.h - the support teams and their shifts: who is on shift when, when the next shift starts, who stands in. */
#ifndef SG_TEAM_H
#define SG_TEAM_H

#include <stddef.h>

typedef struct sg_calendar sg_calendar;

typedef struct {
    const char *name;    /* "support", "billing", ... */
    int level;           /* 1..3 */
    const char *mailbox; /* where the team reads tickets, lower-case */
    sg_calendar *const *calendars; /* its working hours: one per site (several for data centres) */
    size_t n_calendars;  /* 0 = around the clock */
    char **titles;       /* what customers read: "lang", "name" pairs from team_name lines, NULL-terminated */
} sg_team;

/* Whether TEAM is on shift at Unix time T (any of its calendars; always when it has none). */
int sg_team_on_shift(const sg_team *team, long long t);
/* T when the team is on shift at T, else the start of its next shift at any of its sites. */
long long sg_team_next_start(const sg_team *team, long long t);
/* The team's hours as configured, for staff ("Mon-Fri 09:00-18:00 Europe/Amsterdam"; "24/7"). g_free.  Customers
 * read them in their own words: sg_words_hours. */
char *sg_team_hours(const sg_team *team);
/* What a customer writing in LANG calls TEAM ("відділ білінгу"): its team_name for LANG, else its English one,
 * else the team's identifier. */
const char *sg_team_title(const sg_team *team, const char *lang);

/* The teams of one configuration, in the order declared. */
typedef struct sg_teams sg_teams;

sg_teams *sg_teams_new(void);
void sg_teams_free(sg_teams *ts);
/* Adds a team (NAME copied, MAILBOX lower-cased) working around the clock until it gets a calendar;
 * -1 when a team of that name exists already. */
int sg_teams_add(sg_teams *ts, const char *name, int level, const char *mailbox);
/* Gives team NAME one more site's calendar, which it then owns; -1 (CAL untouched) without such a team. */
int sg_teams_add_calendar(sg_teams *ts, const char *name, sg_calendar *cal);
/* Gives team NAME its name TITLE for customers writing in LANG; -1 without such a team or when it has one in LANG. */
int sg_teams_add_title(sg_teams *ts, const char *name, const char *lang, const char *title);
/* Adds the holiday DATE ("YYYY-MM-DD") to every calendar team NAME has so far; -1 when DATE is malformed. */
int sg_teams_add_holiday(sg_teams *ts, const char *name, const char *date);

size_t sg_teams_count(const sg_teams *ts);
const sg_team *sg_teams_get(const sg_teams *ts, size_t i);
const sg_team *sg_teams_find(const sg_teams *ts, const char *name);
/* The team new tickets start with: the first level-1 team, else the first team; NULL without teams. */
const sg_team *sg_teams_first_line(const sg_teams *ts);
/* The first line when it must stand in for TEAM at Unix time T on a deadline SLA; see sg_config_stand_in. */
const sg_team *sg_teams_stand_in(const sg_teams *ts, const sg_team *team, const char *sla, long long t);

#endif
