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

void sg_deadline_compute(const sg_config *c, const sg_deadline_in *in, sg_deadline_out *out)
{
    memset(out, 0, sizeof *out);
    if (strcmp(in->status, "new") != 0 && strcmp(in->status, "open") != 0)
        return;
    int64_t start = in->escalated > in->created ? in->escalated : in->created;
    /* Telling the customer of an escalation is news: the update clock runs from it too. */
    int64_t since = in->last_update > start ? in->last_update : start;
    out->update = team_add(in->team, since, sg_config_num(c, SG_CFG_UPDATE_INTERVAL));
    if (!strcmp(in->category, "simple"))
        out->resolution = team_add(in->team, start, sg_config_num(c, SG_CFG_RESOLVE_SIMPLE));
    else if (!strcmp(in->category, "standard"))
        out->resolution = team_add(in->team, start, sg_config_num(c, SG_CFG_RESOLVE_STANDARD));
    else if (!strcmp(in->category, "complex"))
        out->resolution = team_next_day_end(in->team, start);
    else
        out->resolution = in->eta;
    if (out->update == INT64_MAX)
        out->update = 0;
    if (out->resolution == INT64_MAX)
        out->resolution = 0;
    int64_t pct = sg_config_num(c, SG_CFG_WARN_AT);
    out->warn_update = team_warn(in->team, since, out->update, pct);
    out->warn_resolution = team_warn(in->team, start, out->resolution, pct);
}
