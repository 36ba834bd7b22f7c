/* owner.c - who answers for a ticket's deadlines: the assignee on shift, else the owning team's mailbox on its shift; and the first line standing in while that team is away. */
#include "owner.h"

#include <glib.h>

#include "calendar.h"

sg_owner sg_owner_pick(const sg_team *team, const char *assignee, const sg_team *assignee_team, sg_time now)
{
    sg_owner o = { NULL, 0 };
    const sg_team *theirs = assignee_team ? assignee_team : team;
    /* A named agent hears only while at work: off shift the warning would wait in a personal mailbox while the
     * team's mailbox is read by whoever starts the next shift. */
    if (assignee && *assignee && (!theirs || sg_team_on_shift(theirs, now))) {
        o.to = assignee;
        return o;
    }
    if (!team)
        return o;
    sg_time start = sg_team_next_start(team, now);
    o.to = team->mailbox;
    o.not_before = start > now ? start : 0;
    return o;
}

int sg_owner_first_line_holds(const sg_team *first, const sg_team *team)
{
    return first && team && first != team;
}

/* INTERVAL of the first line's working time after T (its earliest site when it has several). */
static sg_time first_line_add(const sg_team *first, sg_time t, sg_time interval)
{
    if (first->n_calendars == 0)
        return t + interval;
    sg_time best = SG_TIME_NEVER;
    for (size_t i = 0; i < first->n_calendars; i++) {
        sg_time d = sg_calendar_add(first->calendars[i], t, interval);
        best = d < best ? d : best;
    }
    return best;
}

sg_time sg_owner_hold_next(const sg_team *first, sg_time from, sg_time interval, sg_time now)
{
    if (!first || interval <= 0)
        return 0;
    sg_time t = from;
    /* A long absence (a scheduler stopped for a day) skips the reminders missed rather than sending them all. */
    if (first->n_calendars == 0 && now > from)
        t = from + (now - from) / interval * interval;
    do {
        t = first_line_add(first, t, interval);
    } while (t != SG_TIME_NEVER && t <= now);
    return t == SG_TIME_NEVER ? 0 : t;
}
