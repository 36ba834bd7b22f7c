/* owner.h - who answers for a ticket's deadlines: the assignee on shift, else the owning team's mailbox on its shift; and the first line standing in while that team is away. */
#ifndef SG_OWNER_H
#define SG_OWNER_H

#include "config.h"
#include "sgtime.h"

/* Where a warning or reminder about a ticket goes, and the earliest time it may leave (0 = at once). */
typedef struct {
    const char *to;        /* NULL: nobody to tell (no team) */
    sg_time not_before;
} sg_owner;

/* The current owner at NOW of a ticket of TEAM: ASSIGNEE (NULL or "" for none) while their own team
 * ASSIGNEE_TEAM (NULL: TEAM) is on shift, at once; otherwise TEAM's mailbox, at the start of its next shift. */
sg_owner sg_owner_pick(const sg_team *team, const char *assignee, const sg_team *assignee_team, sg_time now);

/* Whether the first line FIRST stands in for TEAM's customer-facing clocks: TEAM is another team (a specialist
 * team the ticket was escalated or classified to). */
int sg_owner_first_line_holds(const sg_team *first, const sg_team *team);

/* The next time after NOW the first line is reminded to write to the customer, counting INTERVAL in its own
 * working time from FROM (the last news to the customer, the ticket's creation or its escalation) and again from
 * each reminder; 0 when FIRST is NULL or INTERVAL is not positive. */
sg_time sg_owner_hold_next(const sg_team *first, sg_time from, sg_time interval, sg_time now);

#endif
