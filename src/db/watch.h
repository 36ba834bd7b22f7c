/* watch.h - possible incidents: new tickets from many customers that share a clue within minutes. */
#ifndef SG_WATCH_H
#define SG_WATCH_H

#include <libpq-fe.h>

#include "config.h"

/* One pass of the incident watch at NOW (NULL: the database's clock; else a timestamp): read the clues
 * (clue.h) of the tickets created since the last pass, and when incident_watch_tickets tickets from as many
 * distinct customers within incident_watch_window share one, tell the on-shift first line once in a mail that
 * lists them, and note it on each ticket.  It links nothing.  Schedulers take turns.  Returns the number of
 * notices queued, -1 with *ERR. */
int sg_watch_check(PGconn *db, const sg_config *c, const char *now, char **err);

#endif
