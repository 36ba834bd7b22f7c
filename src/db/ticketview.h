/* ticketview.h - tickets as operators and agents read them: JSON documents (built by PostgreSQL) and text. */
#ifndef SG_TICKETVIEW_H
#define SG_TICKETVIEW_H

#include <libpq-fe.h>
#include <stdio.h>

/* Write ticket ID to OUT: the JSON document of the `ticket show --json` contract, or a readable view: the
 * conversation (the customer's mails, what they received, the events that changed the ticket), or with FULL every
 * message, event and breach.  TAG_PREFIX makes the subject tag ("[PREFIX #N]").  Timestamps are in the session's
 * TimeZone.  1 when shown, 0 when there is no such ticket, -1 with *ERR (g_free). */
int sg_view_ticket(PGconn *db, const char *tag_prefix, long long id, int json, int full, FILE *out, char **err);

typedef struct {
    const char *status; /* NULL = any */
    const char *team;   /* NULL = any */
    int breached;       /* only tickets with at least one breach */
    long long limit;    /* 0 = no limit */
    const char *requester; /* NULL = anyone; the address, in any case */
    const char *search;    /* NULL = all; text the subject or a message contains, in any case */
} sg_ticket_filter;

/* Write the tickets F selects, newest first: a JSON array of summaries, or an aligned table.
 * 0, or -1 with *ERR. */
int sg_view_tickets(PGconn *db, const char *tag_prefix, const sg_ticket_filter *f, int json, FILE *out,
                    char **err);

#endif
