/* report.h - the SLA report: per SLA and team, how many tickets met or missed it and how long the clocks ran. */
#ifndef SG_REPORT_H
#define SG_REPORT_H

#include <glib.h>
#include <libpq-fe.h>

/* One SLA under one team. */
typedef struct {
    char *sla;                      /* ack, first_response, update or resolution */
    char *team;
    long long tickets, met, breached;
    double median_s, p95_s;         /* seconds, rounded to a tenth; NAN when no clock has a duration */
} sg_sla_row;

/* The report over the tickets created from SINCE and before UNTIL (timestamps as PostgreSQL reads them; UNTIL
 * NULL: no end), grouped BY team, category or agent (the row's team holds which), in the order ack, first_response, update, resolution and by team within each (sg_sla_row,
 * g_ptr_array_unref frees them).  NULL with *ERR (g_free). */
GPtrArray *sg_report_sla(PGconn *db, const char *since, const char *until, const char *by, char **err);

/* The same report as one JSON document ({since, until, rows: [...]}), built by PostgreSQL (g_free), or NULL
 * with *ERR. */
char *sg_report_sla_json(PGconn *db, const char *since, const char *until, const char *by, char **err);

/* The same rows by team over the clocks that fell due from SINCE and before UNTIL (both given), whenever their
 * tickets came, and the breaches of deadlines in that time: the met clocks of a digest's attainment.  NULL with
 * *ERR. */
GPtrArray *sg_report_attainment(PGconn *db, const char *since, const char *until, char **err);

#endif
