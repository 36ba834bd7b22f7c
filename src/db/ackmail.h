/* ackmail.h - a new ticket's acknowledgement, composed from the recorded ticket when the scheduler first takes it. */
#ifndef SG_ACKMAIL_H
#define SG_ACKMAIL_H

#include <libpq-fe.h>
#include <stddef.h>

#include "config.h"
#include "sgtime.h"

/* What the milter recorded and the acknowledgement is made of: the outbox row, the ticket's facts, and the
 * References (the customer's chain and their mail's Message-ID, separated by spaces). */
typedef struct {
    long long outbox, ticket;
    const char *rcpt;                 /* the envelope sender the acknowledgement goes to */
    const char *lang, *channel, *subject, *name, *requester, *refs;
    sg_time created, first_response_due;
} sg_ack_facts;

/* Render the acknowledgement in the customer's language from the operator's template for the ticket's channel,
 * compose it, and store it with its message row on the ticket before the first attempt, so that a retry sends
 * the same bytes.  Returns the message (g_free, *LEN bytes), or NULL with *ERR. */
char *sg_ack_compose(PGconn *db, const sg_config *c, const sg_ack_facts *f, size_t *len, char **err);

#endif
