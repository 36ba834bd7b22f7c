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

/* The milter's in-flight figures from PATH (milter_stats_file, written by the milter every few seconds) in the
 * same format, with the file's age so that a stopped milter's last figures are not taken for current ones;
 * nothing when PATH is empty or cannot be read (a milter on another host). */
void sg_health_milter_metrics(const char *path, FILE *out);

/* What a failed status query says about the database, from its SQLSTATE (empty or NULL: none): *STATE is the
 * word status reports for it ("schema missing", "permission denied", "unreachable", "error"), *PROBLEM the advice. */
void sg_health_db_state(const char *sqlstate, const char **state, const char **problem);

#endif
