/* outbox.h - the queue of outgoing mail: claiming due rows under a lease, recording what the relay said. */
#ifndef SG_OUTBOX_H
#define SG_OUTBOX_H

#include <libpq-fe.h>

#include "config.h"
#include "smtp.h"

typedef struct {
    long long id, ticket;
    const char *kind, *rcpt;
    int attempts;
    sg_smtp_status status;
    const char *detail;   /* relay's answer or transport error */
    int gave_up;          /* a temporary failure past retry_give_up */
} sg_outbox_result;

typedef void (*sg_outbox_report)(const sg_outbox_result *r, void *ctx);

/* Claim up to BATCH due rows (SKIP LOCKED, so schedulers share the queue) and send each through SMTP,
 * recording the outcome.  NOW is a timestamp to act as if it were the time, or NULL for the clock.
 * REPORT is called once per row.  Returns the number of rows handled, or -1 with *ERR. */
int sg_outbox_send_due(PGconn *db, const sg_config *c, sg_smtp *smtp, const char *now, int batch,
                       sg_outbox_report report, void *ctx, char **err);

/* Seconds until the next row is due (0 when one is due now), or -1 when the queue is empty. */
double sg_outbox_next_due(PGconn *db, char **err);

#endif
