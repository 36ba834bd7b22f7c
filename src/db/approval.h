/* approval.h - management approval by email: #approve asks the approvers, an authenticated approver decides. */
#ifndef SG_APPROVAL_H
#define SG_APPROVAL_H

#include <libpq-fe.h>

#include "config.h"
#include "mailparse.h"
#include "ticketmail.h"

/* ticket show --json's "approvals" of ticket $1, oldest first, as one SQL expression. */
#define SG_APPROVALS_JSON_SQL                                                                                    \
    "(SELECT coalesce(json_agg(json_build_object('id', a.id, 'text', a.text, 'status', a.status,"               \
    "  'requested_by', a.requested_by, 'requested_at', a.requested_at, 'due', a.due, 'decided_by', a.decided_by," \
    "  'decided_at', a.decided_at, 'reason', a.reason) ORDER BY a.id), '[]'::json)"                              \
    " FROM approvals a WHERE a.ticket_id = t.id)"

/* How many approvers there are: an #approve without any is refused. */
long long sg_approvers_count(PGconn *db, char **err);

/* The request of an agent's #approve TEXT on ticket TM, at NOW: recorded (due after approval_due), mailed to every
 * approver as "[PREFIX APR-N] ..." and noted on the ticket.  Inside the caller's transaction; the new id, or -1
 * with *ERR. */
long long sg_approval_request(PGconn *db, const sg_config *c, const sg_tmail *tm, const char *agent,
                              const char *agent_name, const char *text, sg_time now, char **err);

typedef struct {
    const char *queue_id;
    long long approval;  /* the id in the subject's [PREFIX APR-N] tag */
    const char *login;   /* the SASL login, NULL when the mail came unauthenticated */
    const char *sender;  /* the envelope sender, for RFC 3834 */
    const sg_mail *mail;
} sg_approval_in;

typedef enum {
    SG_APPROVAL_UNKNOWN,   /* no such approval: the mail is not an answer (handle it as any other) */
    SG_APPROVAL_DECIDED,   /* approved or denied; the agent told */
    SG_APPROVAL_REFUSED,   /* recorded on the ticket, nothing changed; the sender told why (unless a machine) */
    SG_APPROVAL_DUPLICATE, /* recorded before */
} sg_approval_kind;

typedef struct {
    sg_approval_kind kind;
    long long ticket;
    char message_id[256];
    const char *why;       /* SG_APPROVAL_REFUSED: the reason, static */
} sg_approval_out;

/* An answer to an approval request, in one transaction.  -1 with *ERR when nothing could be recorded. */
int sg_approval_answer(PGconn *db, const sg_config *c, const sg_approval_in *in, sg_approval_out *out, char **err);

/* The scheduler's pass at NOW (NULL: the database's clock): pending approvals past their reminder get the
 * approvers reminded once; past their due a breach (sla "approval") is recorded and the agent told.  Returns how
 * many mails were queued, -1 with *ERR. */
int sg_approval_check(PGconn *db, const sg_config *c, const char *now, char **err);

#endif
