/* deadline.c - a ticket's update and resolution deadlines, counted in its owning team's working hours. */
#include "deadline.h"

#include <string.h>

#include "calendar.h"

/* For a team with several calendars (one per data centre) the earliest site decides. */
static sg_time team_add(const sg_team *t, sg_time start, long long work)
{
    if (!t || t->n_calendars == 0)
        return start + work;
    sg_time best = SG_TIME_NEVER;
    for (size_t i = 0; i < t->n_calendars; i++) {
        sg_time d = sg_calendar_add(t->calendars[i], start, work);
        best = d < best ? d : best;
    }
    return best;
}

static sg_time team_next_day_end(const sg_team *t, sg_time start)
{
    if (!t || t->n_calendars == 0)
        return start + 86400;
    sg_time best = SG_TIME_NEVER;
    for (size_t i = 0; i < t->n_calendars; i++) {
        sg_time d = sg_calendar_next_day_end(t->calendars[i], start);
        best = d < best ? d : best;
    }
    return best;
}

/* PERCENT of the working time from START to DUE has passed: a warning at 80 % of a deadline that spans
 * a weekend comes near its end, not during the weekend.  With several sites the earliest moment counts. */
static sg_time team_warn(const sg_team *t, sg_time start, sg_time due, long long percent)
{
    if (!due || !percent || due <= start)
        return 0;
    if (!t || t->n_calendars == 0)
        return start + (due - start) * percent / 100;
    sg_time best = SG_TIME_NEVER;
    for (size_t i = 0; i < t->n_calendars; i++) {
        long long work = sg_calendar_between(t->calendars[i], start, due);
        /* A deadline set outside the site's hours (an #eta at night) has no working time: count plain time. */
        sg_time w = work > 0 ? sg_calendar_add(t->calendars[i], start, work * percent / 100)
                             : start + (due - start) * percent / 100;
        best = w < best ? w : best;
    }
    return best < due ? best : 0;
}

/* The resolution deadline from START, moved on by PAUSED working seconds; 0 for a custom ticket without an #eta. */
static sg_time resolution_due(const sg_config *c, const sg_deadline_in *in, sg_time start, long long paused)
{
    switch (in->category) {
    case SG_CATEGORY_SIMPLE:
        return team_add(in->team, start, sg_config_num(c, SG_CFG_RESOLVE_SIMPLE) + paused);
    case SG_CATEGORY_STANDARD:
        return team_add(in->team, start, sg_config_num(c, SG_CFG_RESOLVE_STANDARD) + paused);
    case SG_CATEGORY_COMPLEX: {
        sg_time end = team_next_day_end(in->team, start);
        return paused > 0 && end != SG_TIME_NEVER ? team_add(in->team, end, paused) : end;
    }
    default:
        return in->eta;  /* custom: agreed with the customer, a pause does not move it */
    }
}

/* The resolution warning: warn_at percent of the span as if there had been no pause, moved on by the pause
 * (which lies in the past), so that leaving pending does not warn at once of a deadline still far away. */
static sg_time resolution_warn(const sg_config *c, const sg_deadline_in *in, sg_time start, sg_time due)
{
    long long pct = sg_config_num(c, SG_CFG_WARN_AT);
    sg_time plain = in->paused > 0 ? resolution_due(c, in, start, 0) : due;
    if (plain == SG_TIME_NEVER || plain == due)
        return team_warn(in->team, start, due, pct);
    sg_time w = team_warn(in->team, start, plain, pct);
    w = w ? team_add(in->team, w, in->paused) : 0;
    return w < due ? w : 0;
}

static sg_time clock_start(const sg_deadline_in *in)
{
    return in->escalated > in->created ? in->escalated : in->created;
}

void sg_deadline_compute(const sg_config *c, const sg_deadline_in *in, sg_deadline_out *out)
{
    memset(out, 0, sizeof *out);
    if (!sg_status_running(in->status))
        return;
    sg_time start = clock_start(in);
    /* Telling the customer of an escalation is news, and leaving pending restarts the clock: it runs from them too. */
    sg_time since = in->last_update > start ? in->last_update : start;
    since = in->resumed > since ? in->resumed : since;
    out->update = team_add(in->team, since, sg_config_num(c, SG_CFG_UPDATE_INTERVAL));
    out->resolution = resolution_due(c, in, start, in->paused);
    if (out->update == SG_TIME_NEVER)
        out->update = 0;
    if (out->resolution == SG_TIME_NEVER)
        out->resolution = 0;
    out->update_from = out->update ? since : 0;
    long long pct = sg_config_num(c, SG_CFG_WARN_AT);
    out->warn_update = team_warn(in->team, since, out->update, pct);
    out->warn_resolution = resolution_warn(c, in, start, out->resolution);
}

long long sg_deadline_work(const sg_team *t, sg_time a, sg_time b)
{
    if (b <= a)
        return 0;
    if (!t || t->n_calendars == 0)
        return b - a;
    long long most = 0;
    for (size_t i = 0; i < t->n_calendars; i++) {
        long long w = sg_calendar_between(t->calendars[i], a, b);
        most = w > most ? w : most;
    }
    return most;
}

void sg_deadline_pause(sg_deadline_in *in, sg_time now, sg_time *pending_since)
{
    int pending = in->status == SG_STATUS_PENDING;
    if (pending && !*pending_since) {
        *pending_since = now;
    } else if (!pending && *pending_since) {
        sg_time from = *pending_since > clock_start(in) ? *pending_since : clock_start(in);
        in->paused += sg_deadline_work(in->team, from, now);
        in->resumed = now;
        *pending_since = 0;
    }
}

void sg_deadline_measure(const sg_deadline_in *in, const sg_deadline_out *out, sg_time now, sg_time resolved_at,
                         sg_deadline_times *m)
{
    if (m->update_since && out->update_from != m->update_since) {
        sg_time end = out->update_from > m->update_since ? out->update_from : now;
        long long wait = sg_deadline_work(in->team, m->update_since, end);
        m->update_longest = wait > m->update_longest ? wait : m->update_longest;
    }
    m->update_since = out->update_from;
    if (!sg_status_done(in->status)) {
        m->resolution = -1;
    } else if (m->resolution < 0) {
        long long w = sg_deadline_work(in->team, clock_start(in), resolved_at ? resolved_at : now) - in->paused;
        m->resolution = w > 0 ? w : 0;
    }
}
