/* escalate.h - handing a ticket to another team: it moves, the team gets its history on shift, the customer is told. */
#ifndef SG_ESCALATE_H
#define SG_ESCALATE_H

#include <libpq-fe.h>

#include "config.h"
#include "sgtime.h"
#include "ticketmail.h"

/* Move T to team TO at Unix time NOW (its resolution clock restarts in TO's hours), record an
 * "escalated" event naming BY and REASON ("" for none), send TO's mailbox the ticket with its history
 * (waiting for TO's next shift when it is off), and tell the customer which team has it, when it works
 * and when to expect news — the same ticket, no new one.  Inside the caller's transaction. */
int sg_escalate(PGconn *db, const sg_config *c, sg_tmail *t, const sg_team *to, const char *by, const char *reason,
                sg_time now, char **err);

#endif
