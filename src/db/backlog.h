/* backlog.h - the first line's backlog on every pass: an overload episode begins, is told once, and ends. */
#ifndef SG_BACKLOG_H
#define SG_BACKLOG_H

#include <libpq-fe.h>

#include "config.h"

/* The SQL condition on tickets t for "waiting for a first response": a person owes the customer an answer (the
 * partial index tickets_due_first_response of 001 serves it). */
#define SG_AWAITING_FIRST_RESPONSE \
    "t.first_response_at IS NULL AND t.due_first_response IS NOT NULL AND t.status IN ('new', 'open')"

/* Measure the tickets waiting for a first response at NOW (NULL: the database's clock; else a timestamp) and
 * move the overload episode on (overload.h): a new one is recorded and the duty manager (overload_notify, else
 * the managers) and the level-2 teams on shift are told in one mail; a quiet backlog ends the open one.  Any
 * number of schedulers may run it at once: one of them opens an episode.  Returns 1 when an episode began,
 * 0 otherwise, -1 with *ERR. */
int sg_backlog_check(PGconn *db, const sg_config *c, const char *now, char **err);

#endif
