/* sla.h - SLA clocks: breaches and warnings recorded once, quiet tickets closed, scheduler heartbeats. */
#ifndef SG_SLA_H
#define SG_SLA_H

#include <libpq-fe.h>

#include "config.h"

/* Record every acknowledgement, first-response, update and resolution deadline passed by NOW (a
 * timestamp, or NULL for the clock) without the awaited mail or change.  Returns the number of new
 * breaches, or -1 with *ERR. */
int sg_sla_record_breaches(PGconn *db, const char *now, char **err);

/* Record a warning for each running first-response, update and resolution clock that has used its
 * warning share (PERCENT of the first-response span; the update and resolution warning times stored with
 * the deadlines) by NOW, each once.  Returns how many are new, or -1 with *ERR. */
int sg_sla_record_warnings(PGconn *db, const char *now, long long percent, char **err);

/* Close resolved tickets quiet for AFTER seconds by NOW; returns how many, or -1 with *ERR. */
int sg_sla_close_quiet(PGconn *db, const char *now, long long after, char **err);

/* Mirror the configured teams into the teams table (for reports and the CLI). */
int sg_sla_publish_teams(PGconn *db, const sg_config *c, char **err);

/* Record this scheduler's pass (INSTANCE = host:pid) with ERROR (NULL when it went well). */
int sg_sla_heartbeat(PGconn *db, const char *instance, const char *error, char **err);

#endif
