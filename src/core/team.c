/* team.c - the support teams and their shifts: on shift across sites, the next shift, who stands in, hours in words. */
#include "team.h"
#include "address.h"
#include "calendar.h"
#include "domain.h"

#include <glib.h>
#include <string.h>

/* A team and the calendars it owns; the team's view of them is refreshed on every change, so a team
 * handed out is complete whenever it is read. */
typedef struct {
    sg_team team;
    GPtrArray *calendars; /* sg_calendar */
} record;

struct sg_teams {
    GPtrArray *records; /* record, in declaration order */
};

static void record_free(record *r)
{
    g_free((char *)r->team.name);
    g_free((char *)r->team.mailbox);
    g_strfreev(r->team.titles);
    g_ptr_array_free(r->calendars, TRUE);
    g_free(r);
}

static record *record_find(const sg_teams *ts, const char *name)
{
    for (guint i = 0; name && i < ts->records->len; i++) {
        record *r = g_ptr_array_index(ts->records, i);
        if (strcmp(r->team.name, name) == 0)
            return r;
    }
    return NULL;
}

sg_teams *sg_teams_new(void)
{
    sg_teams *ts = g_new0(sg_teams, 1);
    ts->records = g_ptr_array_new_with_free_func((GDestroyNotify)record_free);
    return ts;
}

void sg_teams_free(sg_teams *ts)
{
    if (!ts)
        return;
    g_ptr_array_free(ts->records, TRUE);
    g_free(ts);
}

int sg_teams_add(sg_teams *ts, const char *name, int level, const char *mailbox)
{
    if (record_find(ts, name))
        return -1;
    record *r = g_new0(record, 1);
    r->team = (sg_team){ g_strdup(name), level, sg_address_lower(mailbox), NULL, 0, g_new0(char *, 1) };
    r->calendars = g_ptr_array_new_with_free_func((GDestroyNotify)sg_calendar_free);
    g_ptr_array_add(ts->records, r);
    return 0;
}

int sg_teams_add_calendar(sg_teams *ts, const char *name, sg_calendar *cal)
{
    record *r = record_find(ts, name);
    if (!r)
        return -1;
    g_ptr_array_add(r->calendars, cal);
    r->team.calendars = (sg_calendar *const *)r->calendars->pdata;
    r->team.n_calendars = r->calendars->len;
    return 0;
}

static int has_title(const sg_team *t, const char *lang)
{
    for (char **p = t->titles; p[0]; p += 2)
        if (strcmp(p[0], lang) == 0)
            return 1;
    return 0;
}

int sg_teams_add_title(sg_teams *ts, const char *name, const char *lang, const char *title)
{
    record *r = record_find(ts, name);
    if (!r || has_title(&r->team, lang))
        return -1;
    guint n = g_strv_length(r->team.titles);
    r->team.titles = g_renew(char *, r->team.titles, n + 3);
    r->team.titles[n] = g_strdup(lang);
    r->team.titles[n + 1] = g_strdup(title);
    r->team.titles[n + 2] = NULL;
    return 0;
}

int sg_teams_add_holiday(sg_teams *ts, const char *name, const char *date)
{
    record *r = record_find(ts, name);
    for (guint k = 0; r && k < r->calendars->len; k++)
        if (sg_calendar_add_holiday(g_ptr_array_index(r->calendars, k), date) < 0)
            return -1;
    return 0;
}

size_t sg_teams_count(const sg_teams *ts) { return ts->records->len; }

const sg_team *sg_teams_get(const sg_teams *ts, size_t i)
{
    return i < ts->records->len ? &((record *)g_ptr_array_index(ts->records, i))->team : NULL;
}

const sg_team *sg_teams_find(const sg_teams *ts, const char *name)
{
    record *r = record_find(ts, name);
    return r ? &r->team : NULL;
}

const sg_team *sg_teams_first_line(const sg_teams *ts)
{
    for (guint i = 0; i < ts->records->len; i++)
        if (sg_teams_get(ts, i)->level == 1)
            return sg_teams_get(ts, i);
    return sg_teams_get(ts, 0);
}

/* Acknowledgement and first response are promised 24/7 whoever owns the ticket, so their warnings and
 * breaches cannot wait for an owning team's next shift: that would be after the deadline. */
const sg_team *sg_teams_stand_in(const sg_teams *ts, const sg_team *team, const char *sla, long long t)
{
    const sg_team *first = sg_teams_first_line(ts);
    if (!team || !first || first == team || sg_team_on_shift(team, t))
        return NULL;
    int s = sg_sla_parse(sla);
    return s == SG_SLA_ACK || s == SG_SLA_FIRST_RESPONSE ? first : NULL;
}

int sg_team_on_shift(const sg_team *team, long long t)
{
    if (team->n_calendars == 0)
        return 1;
    for (size_t i = 0; i < team->n_calendars; i++)
        if (sg_calendar_on_shift(team->calendars[i], t))
            return 1;
    return 0;
}

long long sg_team_next_start(const sg_team *team, long long t)
{
    if (team->n_calendars == 0)
        return t;
    long long best = G_MAXINT64;
    for (size_t i = 0; i < team->n_calendars; i++) {
        long long s = sg_calendar_next_start(team->calendars[i], t);
        best = s < best ? s : best;
    }
    return best;
}

char *sg_team_hours(const sg_team *team)
{
    if (team->n_calendars == 0)
        return g_strdup("24/7");
    GString *s = g_string_new(NULL);
    for (size_t i = 0; i < team->n_calendars; i++)
        g_string_append_printf(s, "%s%s", i ? "; " : "", sg_calendar_describe(team->calendars[i]));
    return g_string_free(s, FALSE);
}

const char *sg_team_title(const sg_team *team, const char *lang)
{
    const char *en = NULL;
    for (char **p = team->titles; p && p[0]; p += 2) {
        if (lang && strcmp(p[0], lang) == 0)
            return p[1];
        if (strcmp(p[0], "en") == 0)
            en = p[1];
    }
    return en ? en : team->name;
}
