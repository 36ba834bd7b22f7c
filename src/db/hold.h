/* hold.h - the first line holds the customer-facing clocks while the team that owns a ticket is off shift. */
#ifndef SG_HOLD_H
#define SG_HOLD_H

#include <libpq-fe.h>

#include "config.h"

/* For up to a batch of open tickets of another team whose first-line reminder time (hold_due) has come: when the
 * owning team is off shift, the first line's mailbox is told to write to the customer (a first response when no
 * person has answered yet, else news), on the first line's own shift; the next reminder falls an update interval
 * later in the first line's hours.  Each reminder once, also with several schedulers (rows taken with SKIP
 * LOCKED).  NOW is the pass's time (NULL: the clock).  Returns the number of first-line reminders, or -1 with *ERR. */
int sg_hold_remind(PGconn *db, const sg_config *c, const char *now, char **err);

#endif
