/* ingest.h - records one received mail: threading, ticket, message, events and queued acknowledgement in one call. */
#ifndef SG_INGEST_H
#define SG_INGEST_H

#include <libpq-fe.h>
#include <stddef.h>

#include "config.h"
#include "mailparse.h"

typedef struct {
    const char *queue_id;            /* Postfix queue id, for the record and logs (may be NULL) */
    const char *envelope_sender;     /* "" for the null sender */
    const sg_intake *intake;         /* the intake address the mail came through (strictest target) */
    const sg_mail *mail;
    const char *raw;                 /* the message as received, used when it has no Message-ID */
    size_t raw_len;
} sg_ingest_in;

typedef enum {
    SG_INGEST_NEW,        /* a new ticket was opened */
    SG_INGEST_THREADED,   /* added to an existing ticket */
    SG_INGEST_DUPLICATE,  /* this Message-ID was recorded before: nothing changed */
} sg_ingest_kind;

typedef struct {
    sg_ingest_kind kind;
    long long ticket;
    int ack_queued;            /* an acknowledgement waits in the outbox */
    const char *ack_skipped;   /* why not, when it was not: verdict name or "rate-limit" (static) */
    char message_id[256];      /* the Message-ID recorded (synthesised when missing) */
    char team[64];             /* the team a new ticket went to */
    char **copies;             /* who else gets this customer mail (NULL-terminated, g_strfreev; NULL when nobody):
                                * for a new ticket the owning team's and the first line's mailboxes, for a
                                * follow-up the assignee, the owning team's mailbox and the watchers */
} sg_ingest_out;

/* Record IN through DB under config C.  Returns 0, or -1 with *ERR (g_free) when nothing was recorded
 * (the caller must tempfail so the MTA retries). */
int sg_ingest(PGconn *db, const sg_config *c, const sg_ingest_in *in, sg_ingest_out *out, char **err);

#endif
