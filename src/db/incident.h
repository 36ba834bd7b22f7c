/* incident.h - incidents: one problem behind many customers' tickets, each customer told in their own thread. */
#ifndef SG_INCIDENT_H
#define SG_INCIDENT_H

#include <libpq-fe.h>
#include <stdio.h>

#include "config.h"
#include "sgtime.h"
#include "ticketmail.h"

typedef struct {
    long long id;
    char *title, *team, *status;   /* status: open or resolved */
    char *last_update;             /* the words its customers were last sent, or NULL */
    sg_time eta;                   /* the estimated resolution its customers were told, or 0 */
} sg_incident;

/* Incident ID into *I (sg_incident_clear): 1, 0 when there is none, -1 with *ERR. */
int sg_incident_load(PGconn *db, long long id, sg_incident *i, char **err);
void sg_incident_clear(sg_incident *i);

/* A new open incident titled TITLE, owned by TEAM, opened by agent BY: its id, or -1 with *ERR. */
long long sg_incident_create(PGconn *db, const char *title, const char *team, const char *by, char **err);

/* Join the ticket of T to incident I (by agent BY), with an event; a customer joining an incident that has news
 * already gets its latest update at once, in their language and thread, with the incident's estimate, which
 * becomes the ticket's.  0, or -1 with *ERR. */
int sg_incident_join(PGconn *db, const sg_config *c, const sg_tmail *t, const sg_incident *i, const char *by, char **err);

/* What an agent's mail to an incident's tag does. */
typedef struct {
    const char *agent, *agent_name;
    const char *text;       /* the agent's words for every customer */
    const char *origin;     /* the agent's Message-ID, filed with the first customer's copy (a resent mail is seen) */
    int resolve;            /* #status resolved: the incident and its open tickets are resolved */
    sg_time eta;            /* #eta: the estimated resolution, or 0 to keep the incident's */
} sg_incident_news;

/* N's words to every customer whose ticket is joined to incident I and not closed: one mail each, from the
 * incident or incident_resolved template in that ticket's language, threaded into that ticket and filed there as
 * the agent's answer.  With RESOLVE the tickets and the incident are resolved.  An ETA becomes the incident's
 * estimate and each ticket's (a promise told in that mail); the mail names the incident's estimate.  *TOLD: tickets written to.  0, or
 * -1 with *ERR. */
int sg_incident_tell(PGconn *db, const sg_config *c, const sg_incident *i, const sg_incident_news *n, long long *told,
                     char **err);

/* Every incident, newest first, to OUT: a JSON array of {id, tag, title, team, status, created_at, created_by,
 * resolved_at, eta, tickets, open_tickets, last_update_at}, or an aligned table.  TAG_PREFIX makes the tags.
 * 0, or -1 with *ERR. */
int sg_incidents_print(PGconn *db, const char *tag_prefix, int json, FILE *out, char **err);

#endif
