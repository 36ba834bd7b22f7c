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

/* The same in steps, for an agent's reply that tells the customer in its own mail (one mail, not two).  First the
 * move and the new clocks (*HEADLINE, g_free, describes it for the team); then the letter, template NAME
 * ("escalate_note": the notice as a paragraph under the agent's text) with the new team's hours and news time
 * (*SUBJECT as sg_tmail_render); and last, once the agent's reply is queued so the history holds it, the team's
 * copy. */
int sg_escalate_move(PGconn *db, const sg_config *c, sg_tmail *t, const sg_team *to, const char *by,
                     const char *reason, sg_time now, char **headline, char **err);
char *sg_escalate_letter(PGconn *db, const sg_config *c, const sg_tmail *t, const sg_team *to, const char *reason,
                         sg_time now, const char *name, char **subject, char **err);
int sg_escalate_tell_team(PGconn *db, const sg_config *c, const sg_tmail *t, const sg_team *to, const char *headline,
                          sg_time now, char **err);

#endif
