/* ticketview.h - tickets as operators and agents read them: JSON documents and plain text. */
#ifndef SG_TICKETVIEW_H
#define SG_TICKETVIEW_H

#include <libpq-fe.h>
#include <stdio.h>

#include "config.h"

/* Write ticket ID to OUT.  1 when shown, 0 when there is no such ticket, -1 with *ERR. */
int sg_view_ticket(PGconn *db, const sg_config *c, long long id, int json, FILE *out, char **err);

typedef struct {
    const char *status;  /* NULL = any */
    const char *team;    /* NULL = any */
    int breached;        /* only tickets with a breach */
    long long limit;     /* 0 = no limit */
} sg_ticket_filter;

int sg_view_tickets(PGconn *db, const sg_config *c, const sg_ticket_filter *f, int json, FILE *out, char **err);

#endif
