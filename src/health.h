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

#endif
