/* deadline.c - a ticket's update and resolution deadlines, counted in its owning team's working hours. */
#include "deadline.h"

#include <string.h>

#include "calendar.h"

/* For a team with several calendars (one per data centre) the earliest site decides. */
static int64_t team_add(const sg_team *t, int64_t start, int64_t work)
{
    if (!t || t->n_calendars == 0)
        return start + work;
    int64_t best = INT64_MAX;
    for (size_t i = 0; i < t->n_calendars; i++) {
        int64_t d = sg_calendar_add(t->calendars[i], start, work);
        best = d < best ? d : best;
    }
    return best;
}

static int64_t team_next_day_end(const sg_team *t, int64_t start)
{
    if (!t || t->n_calendars == 0)
        return start + 86400;
    int64_t best = INT64_MAX;
    for (size_t i = 0; i < t->n_calendars; i++) {
        int64_t d = sg_calendar_next_day_end(t->calendars[i], start);
        best = d < best ? d : best;
    }
    return best;
}

/* PERCENT of the working time from START to DUE has passed: a warning at 80 % of a deadline that spans
 * a weekend comes near its end, not during the weekend.  With several sites the earliest moment counts. */
static int64_t team_warn(const sg_team *t, int64_t start, int64_t due, int64_t percent)
{
    if (!due || !percent || due <= start)
        return 0;
    if (!t || t->n_calendars == 0)
        return start + (due - start) * percent / 100;
    int64_t best = INT64_MAX;
    for (size_t i = 0; i < t->n_calendars; i++) {
        int64_t work = sg_calendar_between(t->calendars[i], start, due);
        /* A deadline set outside the site's hours (an #eta at night) has no working time: count plain time. */
        int64_t w = work > 0 ? sg_calendar_add(t->calendars[i], start, work * percent / 100)
                             : start + (due - start) * percent / 100;
        best = w < best ? w : best;
    }
    return best < due ? best : 0;
}

/* The resolution deadline from START, moved on by PAUSED working seconds; 0 for a custom ticket without an #eta. */
static int64_t resolution_due(const sg_config *c, const sg_deadline_in *in, int64_t start, int64_t paused)
{
    if (!strcmp(in->category, "simple"))
        return team_add(in->team, start, sg_config_num(c, SG_CFG_RESOLVE_SIMPLE) + paused);
    if (!strcmp(in->category, "standard"))
        return team_add(in->team, start, sg_config_num(c, SG_CFG_RESOLVE_STANDARD) + paused);
    if (!strcmp(in->category, "complex")) {
        int64_t end = team_next_day_end(in->team, start);
        return paused > 0 && end != INT64_MAX ? team_add(in->team, end, paused) : end;
    }
    return in->eta;  /* agreed with the customer: a pause does not move it */
}

/* The resolution warning: warn_at percent of the span as if there had been no pause, moved on by the pause
 * (which lies in the past), so that leaving pending does not warn at once of a deadline still far away. */
static int64_t resolution_warn(const sg_config *c, const sg_deadline_in *in, int64_t start, int64_t due)
{
    int64_t pct = sg_config_num(c, SG_CFG_WARN_AT);
    int64_t plain = in->paused > 0 ? resolution_due(c, in, start, 0) : due;
    if (plain == INT64_MAX || plain == due)
        return team_warn(in->team, start, due, pct);
    int64_t w = team_warn(in->team, start, plain, pct);
    w = w ? team_add(in->team, w, in->paused) : 0;
    return w < due ? w : 0;
}

static int64_t clock_start(const sg_deadline_in *in)
{
    return in->escalated > in->created ? in->escalated : in->created;
}

void sg_deadline_compute(const sg_config *c, const sg_deadline_in *in, sg_deadline_out *out)
{
    memset(out, 0, sizeof *out);
    if (strcmp(in->status, "new") != 0 && strcmp(in->status, "open") != 0)
        return;
    int64_t start = clock_start(in);
    /* Telling the customer of an escalation is news, and leaving pending restarts the clock: it runs from them too. */
    int64_t since = in->last_update > start ? in->last_update : start;
    since = in->resumed > since ? in->resumed : since;
    out->update = team_add(in->team, since, sg_config_num(c, SG_CFG_UPDATE_INTERVAL));
    out->resolution = resolution_due(c, in, start, in->paused);
    if (out->update == INT64_MAX)
        out->update = 0;
    if (out->resolution == INT64_MAX)
        out->resolution = 0;
    out->update_from = out->update ? since : 0;
    int64_t pct = sg_config_num(c, SG_CFG_WARN_AT);
    out->warn_update = team_warn(in->team, since, out->update, pct);
    out->warn_resolution = resolution_warn(c, in, start, out->resolution);
}

int64_t sg_deadline_work(const sg_team *t, int64_t a, int64_t b)
{
    if (b <= a)
        return 0;
    if (!t || t->n_calendars == 0)
        return b - a;
    int64_t most = 0;
    for (size_t i = 0; i < t->n_calendars; i++) {
        int64_t w = sg_calendar_between(t->calendars[i], a, b);
        most = w > most ? w : most;
    }
    return most;
}

void sg_deadline_pause(sg_deadline_in *in, int64_t now, int64_t *pending_since)
{
    int pending = strcmp(in->status, "pending") == 0;
    if (pending && !*pending_since) {
        *pending_since = now;
    } else if (!pending && *pending_since) {
        int64_t from = *pending_since > clock_start(in) ? *pending_since : clock_start(in);
        in->paused += sg_deadline_work(in->team, from, now);
        in->resumed = now;
        *pending_since = 0;
    }
}

void sg_deadline_measure(const sg_deadline_in *in, const sg_deadline_out *out, int64_t now, int64_t resolved_at,
                         sg_deadline_times *m)
{
    if (m->update_since && out->update_from != m->update_since) {
        int64_t end = out->update_from > m->update_since ? out->update_from : now;
        int64_t wait = sg_deadline_work(in->team, m->update_since, end);
        m->update_longest = wait > m->update_longest ? wait : m->update_longest;
    }
    m->update_since = out->update_from;
    int done = !strcmp(in->status, "resolved") || !strcmp(in->status, "closed");
    if (!done) {
        m->resolution = -1;
    } else if (m->resolution < 0) {
        int64_t w = sg_deadline_work(in->team, clock_start(in), resolved_at ? resolved_at : now) - in->paused;
        m->resolution = w > 0 ? w : 0;
    }
}
