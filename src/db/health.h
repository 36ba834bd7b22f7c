/* health.h - what an operator or a monitoring system needs to know: `status` and Prometheus metrics. */
#ifndef SG_HEALTH_H
#define SG_HEALTH_H

#include <libpq-fe.h>
#include <stdio.h>

/* Print the status (text or JSON) and return the number of problems found (0 = healthy), -1 with *ERR
 * when the database could not be read. */
int sg_health_status(PGconn *db, int json, FILE *out, char **err);

/* Print every metric in the Prometheus text exposition format. */
int sg_health_metrics(PGconn *db, FILE *out, char **err);

/* What a failed status query says about the database, from its SQLSTATE (empty or NULL: none): *STATE is the
 * word status reports for it ("schema missing", "permission denied", "unreachable", "error"), *PROBLEM the advice. */
void sg_health_db_state(const char *sqlstate, const char **state, const char **problem);

#endif
