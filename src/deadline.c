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

void sg_deadline_compute(const sg_config *c, const sg_deadline_in *in, sg_deadline_out *out)
{
    out->update = out->resolution = 0;
    if (strcmp(in->status, "new") != 0 && strcmp(in->status, "open") != 0)
        return;
    int64_t since = in->last_update ? in->last_update : in->created;
    out->update = team_add(in->team, since, sg_config_num(c, SG_CFG_UPDATE_INTERVAL));
    if (!strcmp(in->category, "simple"))
        out->resolution = team_add(in->team, in->created, sg_config_num(c, SG_CFG_RESOLVE_SIMPLE));
    else if (!strcmp(in->category, "standard"))
        out->resolution = team_add(in->team, in->created, sg_config_num(c, SG_CFG_RESOLVE_STANDARD));
    else if (!strcmp(in->category, "complex"))
        out->resolution = team_next_day_end(in->team, in->created);
    else
        out->resolution = in->eta;
    if (out->update == INT64_MAX)
        out->update = 0;
    if (out->resolution == INT64_MAX)
        out->resolution = 0;
}
