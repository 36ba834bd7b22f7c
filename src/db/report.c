/* report.c - the SLA report: per SLA and team, how many tickets met or missed it and how long the clocks ran. */
#include "report.h"

#include <math.h>

#include "db.h"

/* c: each SLA a ticket ran under the team that ran that clock (EARLY_GROUP_SQL; else its current team), whether
 * that clock is done and how long it took: ack and first response around the clock; update the longest wait for
 * news, and resolution the time to it, both measured in the owning team's working hours without the time pending on
 * the customer.  d: the tickets whose clocks count, without the duplicates merged into another (closed by the
 * merge, not resolved: their clocks met nothing; the ticket they went into carries the customer's clocks).  b: the
 * breaches, under the team that missed them, which stay there after an escalation; a duplicate's stay too. */
/* What the rows are grouped by ($3): the owning team (the default), the ticket's category, or its assignee ("-" for
 * none); the column keeps the name team so the rows' shape does not change with it. */
#define GROUP_SQL "CASE $3 WHEN 'category' THEN category WHEN 'agent' THEN coalesce(assignee, '-') ELSE team END"
/* The same for the acknowledgement and the first response, whose clocks ran under the team that had the ticket
 * then: the team it came to, when the clock was done (AT) or fell due (DUE) before it was escalated. */
#define EARLY_GROUP_SQL(at, due) \
    "CASE WHEN $3 IN ('category', 'agent') OR escalated_at IS NULL OR coalesce(" at ", " due ") >= escalated_at" \
    " THEN " GROUP_SQL " ELSE first_team END"

/* Which tickets, clocks and breaches a report reads: those of the tickets created in [$1, $2) (the SLA report), or
 * the clocks and breaches that fell due in [$1, $2) whenever their tickets came (a digest's attainment). */
#define CREATED_IN "created_at >= $1::timestamptz AND ($2::timestamptz IS NULL OR created_at < $2::timestamptz)"
#define DUE_IN(col) "(" col " >= $1::timestamptz AND " col " < $2::timestamptz)"
#define ANY_DUE_IN DUE_IN("due_ack") " OR " DUE_IN("due_first_response") " OR " DUE_IN("due_update") " OR " \
    DUE_IN("due_resolution") " OR id IN (SELECT ticket_id FROM breaches WHERE " DUE_IN("due") ")"

#define SLA_REPORT_SQL(TICKETS, CLOCKS, BREACHES) \
    "WITH t AS (SELECT * FROM tickets WHERE " TICKETS ")," \
    " d AS (SELECT * FROM t WHERE merged_into IS NULL)," \
    " c AS (SELECT sla, team, id, done, secs FROM (" \
    "  SELECT 'ack' AS sla, " EARLY_GROUP_SQL("acked_at", "due_ack") " AS team, id, acked_at IS NOT NULL AS done," \
    "   extract(epoch FROM acked_at - created_at) AS secs, due_ack AS due FROM d WHERE due_ack IS NOT NULL" \
    "  UNION ALL SELECT 'first_response', " EARLY_GROUP_SQL("first_response_at", "due_first_response") ", id," \
    "   first_response_at IS NOT NULL," \
    "   extract(epoch FROM first_response_at - created_at), due_first_response FROM d WHERE due_first_response IS NOT NULL" \
    "  UNION ALL SELECT 'update', " GROUP_SQL ", id, status IN ('resolved', 'closed'), update_longest, due_update FROM d" \
    "   WHERE due_update IS NOT NULL OR update_since IS NOT NULL OR update_longest IS NOT NULL" \
    "  UNION ALL SELECT 'resolution', " GROUP_SQL ", id, status IN ('resolved', 'closed'), resolution_seconds, due_resolution" \
    "   FROM d WHERE due_resolution IS NOT NULL OR resolved_at IS NOT NULL OR resolution_seconds IS NOT NULL) u" \
    "  WHERE " CLOCKS ")," \
    " b AS (SELECT DISTINCT b.sla, CASE $3 WHEN 'category' THEN t.category WHEN 'agent' THEN coalesce(t.assignee, '-')" \
    "  ELSE b.team END AS team, b.ticket_id AS id FROM breaches b JOIN t ON t.id = b.ticket_id WHERE " BREACHES ")," \
    " m AS (SELECT c.sla, c.team, c.id, c.done, c.secs, b.id IS NOT NULL AS missed FROM c LEFT JOIN b USING (sla, team, id)" \
    "  UNION ALL SELECT b.sla, b.team, b.id, false, NULL, true FROM b" \
    "   WHERE NOT EXISTS (SELECT 1 FROM c WHERE c.sla = b.sla AND c.team = b.team AND c.id = b.id))," \
    " r AS (SELECT sla, team, count(*) AS tickets, count(*) FILTER (WHERE done AND NOT missed) AS met," \
    "   count(*) FILTER (WHERE missed) AS breached," \
    "   round(percentile_cont(0.5) WITHIN GROUP (ORDER BY secs)::numeric, 1) AS median_seconds," \
    "   round(percentile_cont(0.95) WITHIN GROUP (ORDER BY secs)::numeric, 1) AS p95_seconds" \
    "  FROM m GROUP BY sla, team)"
#define SLA_REPORT_CREATED SLA_REPORT_SQL(CREATED_IN, "true", "true")
#define SLA_REPORT_DUE SLA_REPORT_SQL(ANY_DUE_IN, DUE_IN("due"), DUE_IN("b.due"))

#define SLA_ORDER "array_position(ARRAY['ack', 'first_response', 'update', 'resolution'], sla), team"

#define SLA_ROWS " SELECT sla, team, tickets, met, breached, median_seconds, p95_seconds FROM r ORDER BY " SLA_ORDER
static const char *const sla_rows_sql = SLA_REPORT_CREATED SLA_ROWS;
static const char *const due_rows_sql = SLA_REPORT_DUE SLA_ROWS;
static const char *const sla_json_sql = SLA_REPORT_CREATED
    " SELECT json_build_object('since', $1::timestamptz, 'until', $2::timestamptz, 'by', $3::text, 'rows', coalesce(json_agg(r ORDER BY"
    "  " SLA_ORDER "), '[]'), 'by_team', coalesce(json_agg(json_build_object('team', team, 'sla', sla, 'met', met,"
    "  'breached', breached, 'attainment_pct', round(100.0 * met / nullif(met + breached, 0), 1))"
    "  ORDER BY team, array_position(ARRAY['ack', 'first_response', 'update', 'resolution'], sla)), '[]')) FROM r";

enum { COL_SLA, COL_TEAM, COL_TICKETS, COL_MET, COL_BREACHED, COL_MEDIAN, COL_P95 };

static void sla_row_free(gpointer p)
{
    sg_sla_row *s = p;
    g_free(s->sla);
    g_free(s->team);
    g_free(s);
}

static long long count_at(const PGresult *r, int i, int col)
{
    return g_ascii_strtoll(PQgetvalue(r, i, col), NULL, 10);
}

/* A median or percentile; NAN for the NULL of a group with no clock that has a duration. */
static double seconds_at(const PGresult *r, int i, int col)
{
    return PQgetisnull(r, i, col) ? NAN : g_ascii_strtod(PQgetvalue(r, i, col), NULL);
}

static gpointer sla_row_read(const PGresult *r, int i)
{
    sg_sla_row *s = g_new0(sg_sla_row, 1);
    s->sla = g_strdup(PQgetvalue(r, i, COL_SLA));
    s->team = g_strdup(PQgetvalue(r, i, COL_TEAM));
    s->tickets = count_at(r, i, COL_TICKETS);
    s->met = count_at(r, i, COL_MET);
    s->breached = count_at(r, i, COL_BREACHED);
    s->median_s = seconds_at(r, i, COL_MEDIAN);
    s->p95_s = seconds_at(r, i, COL_P95);
    return s;
}

GPtrArray *sg_report_sla(PGconn *db, const char *since, const char *until, const char *by, char **err)
{
    const char *p[] = { since, until, by };
    return sg_db_rows(db, sla_rows_sql, 3, p, sla_row_read, sla_row_free, err);
}

char *sg_report_sla_json(PGconn *db, const char *since, const char *until, const char *by, char **err)
{
    const char *p[] = { since, until, by };
    PGresult *r = sg_db_exec(db, sla_json_sql, 3, p, err);
    char *doc = r ? g_strdup(PQgetvalue(r, 0, 0)) : NULL;
    PQclear(r);
    return doc;
}

GPtrArray *sg_report_attainment(PGconn *db, const char *since, const char *until, char **err)
{
    const char *p[] = { since, until, "team" };
    return sg_db_rows(db, due_rows_sql, 3, p, sla_row_read, sla_row_free, err);
}
