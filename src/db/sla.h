/* sla.h - SLA clocks: breaches and warnings recorded once, quiet tickets closed, scheduler heartbeats. */
#ifndef SG_SLA_H
#define SG_SLA_H

#include <libpq-fe.h>

#include "config.h"

/* Record every acknowledgement, first-response, update and resolution deadline passed by NOW (a
 * timestamp, or NULL for the clock) without the awaited mail or change, and a warning for each running
 * first-response, update and resolution clock whose warning time (PERCENT of its span, stored with the
 * deadlines; PERCENT 0: no warnings) has come, each once, for at most LIMIT tickets (those due first).
 * Sets *BREACHES and *WARNINGS to how many are new; returns how many tickets were read (LIMIT: call
 * again), or -1 with *ERR. */
int sg_sla_check_clocks(PGconn *db, const char *now, long long percent, int limit, int *breaches, int *warnings,
                        char **err);

/* Close resolved tickets quiet for AFTER seconds by NOW; returns how many, or -1 with *ERR. */
int sg_sla_close_quiet(PGconn *db, const char *now, long long after, char **err);

/* Mirror the configured teams into the teams table (for reports and the CLI). */
int sg_sla_publish_teams(PGconn *db, const sg_config *c, char **err);

/* Record this scheduler's pass (INSTANCE = host:pid) with ERROR (NULL when it went well). */
int sg_sla_heartbeat(PGconn *db, const char *instance, const char *error, char **err);

#endif
