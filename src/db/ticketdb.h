/* ticketdb.h - ticket operations shared by intake, agent replies and the scheduler: events, threading, queued mail. */
#ifndef SG_TICKETDB_H
#define SG_TICKETDB_H

#include <libpq-fe.h>
#include <stddef.h>

#include "compose.h"
#include "config.h"
#include "domain.h"
#include "mailparse.h"
#include "sgtime.h"

/* The key a received mail is recorded under: its Message-ID, or for a mail without one a hash of what a
 * resend keeps (sender, date, subject, text), so a retry is still recognised. */
void sg_tdb_message_key(const sg_mail *m, const char *envelope_sender, const sg_config *c, char *buf, size_t len);

/* The first column of the first row as a number (0 without rows, -1 when R is NULL: the query failed);
 * frees R. */
long long sg_tdb_first_id(PGresult *r);

/* The ticket that already recorded KEY (as a Message-ID or as the origin of an agent's reply), 0 when
 * none, -1 on error. */
long long sg_tdb_recorded(PGconn *db, const char *key, char **err);

/* The open (not closed) ticket one of M's In-Reply-To/References ids belongs to; 0 when none.  A mail the
 * gateway sent counts only when the id quoted is a token that verifies under C's keys (anyone may write one
 * of our Message-IDs into a reply); the ids of received mail (customers' own) count as they are. */
long long sg_tdb_by_reference(PGconn *db, const sg_config *c, const sg_mail *m, char **err);

/* M's In-Reply-To/References ids that are reply tokens verifying under C's keys, for TICKET only when it is
 * above 0, as a PostgreSQL array literal (g_free). */
char *sg_tdb_signed_parents(const sg_config *c, const sg_mail *m, long long ticket);

/* The ticket mail about TICKET belongs to: TICKET itself, or the ticket it was merged into (#merge), followed
 * through later merges.  -1 with *ERR. */
long long sg_tdb_current(PGconn *db, long long ticket, char **err);

/* One line of the ticket's history. */
int sg_tdb_event(PGconn *db, long long ticket, sg_event_type type, const char *detail, char **err);
/* The same at AT (Unix seconds): a scheduler pass records its events at the moment it runs for (--now); 0 is now. */
/* File M, a mail that is neither a customer's nor re-sent (an internal note, an approver's answer), under TICKET
 * as internal mail from SENDER, with MESSAGE_ID (its key against duplicates). */
int sg_tdb_file_internal(PGconn *db, long long ticket, const char *message_id, const char *sender, const sg_mail *m,
                         const char *queue_id, char **err);
int sg_tdb_event_at(PGconn *db, long long ticket, sg_event_type type, const char *detail, sg_time at, char **err);
/* Link tickets A and B both ways (ticket_links 'linked'), with a 'linked' event on each naming the other and
 * BY (an agent; NULL: the customer's mail).  1 linked, 0 they already were, -1 error. */
int sg_tdb_link(PGconn *db, long long a, long long b, const char *by, char **err);

/* Record DUE, told to the customer at TOLD (0: never told), as the ticket's promise of KIND, replacing at AT the
 * open one of that kind (sql/014_promises.sql). */
int sg_tdb_promise(PGconn *db, long long ticket, sg_sla kind, sg_time due, sg_time told, sg_time at, char **err);

/* ETA as the ticket's estimated resolution, told to the customer at TOLD (0: an #internal estimate, never told):
 * the ticket's eta and its warning at WARN_AT percent of the time from AT to it (0: none), and the promise.  An
 * "estimated resolution" event names SHOWN (the time as the agent wrote it) and BY.  0, or -1 with *ERR. */
int sg_tdb_estimate(PGconn *db, long long ticket, sg_time eta, long long warn_at, sg_time told, sg_time at,
                    const char *shown, const char *by, char **err);

/* One outgoing mail of a ticket: recorded as a message and queued for each recipient in one statement,
 * then the scheduler is woken with NOTIFY. */
typedef struct {
    long long ticket;
    sg_outbox_kind kind;       /* also the message kind of the filed copy */
    const char *message_id;    /* without brackets */
    const char *origin_id;     /* for an agent's reply: the agent's own Message-ID, else NULL */
    const char *agent;         /* for an agent's reply: the agent's address (messages.by_agent), else NULL */
    const char *from;          /* header sender address */
    const char *const *rcpts;  /* envelope recipients */
    size_t n_rcpts;
    const char *subject, *body;
    const char *env_from;      /* envelope sender ("" for <>) */
    const char *data;          /* the composed message */
    size_t len;
    sg_time not_before;        /* before which it must not leave (a team off shift), 0 = now */
} sg_queued;

int sg_tdb_queue(PGconn *db, const sg_queued *q, char **err);

/* Where a composed mail goes: filed under TICKET (0: unfiled) as KIND, to RCPTS, sent from the bounce
 * address no earlier than NOT_BEFORE (Unix time, 0 = now). */
typedef struct {
    long long ticket;
    sg_outbox_kind kind;
    const char *const *rcpts;
    size_t n_rcpts;
    const char *origin;        /* an agent's own Message-ID behind a re-sent reply, else NULL */
    const char *agent;         /* the agent whose reply it is, else NULL */
    sg_time not_before;
} sg_envelope;

/* Compose O (its ticket header set from S) and queue it. */
int sg_tdb_compose_queue(PGconn *db, const sg_config *c, const sg_envelope *s, sg_outgoing *o, char **err);

/* Recompute the ticket's update and resolution deadlines, and when to warn of them, after a change (new
 * message, status, category, escalation, estimate), in its owning team's calendar; keep the time spent pending
 * on the customer out of both clocks, and measure the waits for news and the time to resolution. */
int sg_tdb_recompute_due(PGconn *db, const sg_config *c, long long ticket, char **err);

/* What sg_tdb_recompute_due would store for a ticket of TEAM and CATEGORY opened at NOW, computed before it
 * exists: update, resolution, warn_update, warn_resolution, update_since, hold_due (0: none), into V. */
void sg_tdb_new_clocks(const sg_config *c, const sg_team *team, const char *category, sg_time now, long long v[6]);

#endif
