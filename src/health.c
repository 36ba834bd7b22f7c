/* health.c - what an operator or a monitoring system needs to know: `status` and Prometheus metrics. */
#include "health.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

/* Thresholds past which a person should look. */
#define OUTBOX_MAX_AGE 300
#define SCHEDULER_MAX_SILENCE 120

static const char *status_sql =
    "SELECT json_build_object("
    " 'schema', json_build_object('version', (SELECT coalesce(max(version), 0) FROM schema_version),"
    "   'expected', $1::int),"
    " 'outbox', (SELECT json_build_object('depth', count(*),"
    "   'oldest_seconds', coalesce(extract(epoch FROM now() - min(created_at))::int, 0))"
    "   FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL),"
    " 'outbox_failed_24h', (SELECT count(*) FROM outbox WHERE failed_at > now() - interval '1 day'),"
    " 'schedulers', (SELECT coalesce(json_agg(json_build_object('instance', instance, 'last_pass_at', last_pass_at,"
    "   'age_seconds', extract(epoch FROM now() - last_pass_at)::int, 'last_error', last_error)"
    "   ORDER BY last_pass_at DESC), '[]') FROM scheduler_passes),"
    " 'open_tickets', (SELECT coalesce(json_object_agg(team, n), '{}') FROM"
    "   (SELECT team, count(*) AS n FROM tickets WHERE status IN ('new', 'open', 'pending') GROUP BY team) x),"
    " 'breaches_last_hour', (SELECT count(*) FROM breaches WHERE at > now() - interval '1 hour'))::text,"
    " (SELECT coalesce(max(version), 0) FROM schema_version) <> $1::int,"
    " (SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0) FROM outbox"
    "   WHERE sent_at IS NULL AND failed_at IS NULL) > $2::int,"
    " NOT EXISTS (SELECT 1 FROM scheduler_passes WHERE last_pass_at > now() - make_interval(secs => $3::int)"
    "   AND last_error IS NULL),"
    " (SELECT count(*) FROM outbox WHERE failed_at > now() - interval '1 day') > 0";

static const char *const problems[] = {
    NULL,
    "the database schema is not the version this supportgate needs (run: supportgate db migrate)",
    "mail has waited in the outbox for over 5 minutes (is the relay or the scheduler down?)",
    "no scheduler has completed a pass in the last 2 minutes",
    "mail failed permanently in the last 24 hours (see: supportgate tickets list, outbox.last_error)",
};

int sg_health_status(PGconn *db, int json, FILE *out, char **err)
{
    char v[16], age[16], silence[16];
    g_snprintf(v, sizeof v, "%d", SG_SCHEMA_VERSION);
    g_snprintf(age, sizeof age, "%d", OUTBOX_MAX_AGE);
    g_snprintf(silence, sizeof silence, "%d", SCHEDULER_MAX_SILENCE);
    const char *p[] = { v, age, silence };
    PGresult *r = sg_db_exec(db, status_sql, 3, p, err);
    if (!r)
        return -1;
    int n = 0;
    GString *list = g_string_new(NULL);
    for (int i = 1; i < (int)G_N_ELEMENTS(problems); i++)
        if (PQgetvalue(r, 0, i)[0] == 't') {
            n++;
            char *q = g_strescape(problems[i], NULL);
            g_string_append_printf(list, "%s\"%s\"", list->len ? "," : "", q);
            g_free(q);
            if (!json)
                fprintf(out, "PROBLEM: %s\n", problems[i]);
        }
    if (json) {
        /* Splice the problem list into PostgreSQL's object: strip its closing brace. */
        const char *doc = PQgetvalue(r, 0, 0);
        fprintf(out, "%.*s, \"database\" : \"ok\", \"problems\" : [%s], \"ok\" : %s}\n", (int)strlen(doc) - 1, doc,
                list->str, n ? "false" : "true");
    } else {
        fprintf(out, "database: ok\n%s\n%s\n", PQgetvalue(r, 0, 0), n ? "status: NEEDS ATTENTION" : "status: ok");
    }
    g_string_free(list, TRUE);
    PQclear(r);
    return n;
}

static int metric_rows(PGconn *db, FILE *out, const char *name, const char *type, const char *help, const char *sql,
                       char **err)
{
    PGresult *r = sg_db_exec(db, sql, 0, NULL, err);
    if (!r)
        return -1;
    fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
    for (int i = 0; i < PQntuples(r); i++)
        fprintf(out, "%s%s %s\n", name, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1));
    PQclear(r);
    return 0;
}

int sg_health_metrics(PGconn *db, FILE *out, char **err)
{
    static const struct { const char *name, *type, *help, *sql; } m[] = {
        { "supportgate_messages_total", "counter", "Messages recorded, by direction and kind.",
          "SELECT format('{direction=\"%s\",kind=\"%s\"}', direction, kind), count(*) FROM messages GROUP BY 1" },
        { "supportgate_acks_sent_total", "counter", "Acknowledgements accepted by the relay.",
          "SELECT '', count(*) FROM outbox WHERE kind = 'ack' AND sent_at IS NOT NULL" },
        { "supportgate_ack_latency_seconds", "histogram", "From a ticket's creation to its acknowledgement leaving.",
          "WITH l AS (SELECT extract(epoch FROM acked_at - created_at) AS s FROM tickets WHERE acked_at IS NOT NULL),"
          " b(le) AS (VALUES (1), (5), (30), (60), (120), (300))"
          " SELECT format('_bucket{le=\"%s\"}', le), (SELECT count(*) FROM l WHERE s <= le) FROM b"
          " UNION ALL SELECT '_bucket{le=\"+Inf\"}', count(*) FROM l"
          " UNION ALL SELECT '_sum', coalesce(round(sum(s)::numeric, 3), 0) FROM l"
          " UNION ALL SELECT '_count', count(*) FROM l" },
        { "supportgate_outbox_depth", "gauge", "Mail waiting to be sent.",
          "SELECT '', count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL" },
        { "supportgate_outbox_oldest_seconds", "gauge", "Age of the oldest mail waiting to be sent.",
          "SELECT '', coalesce(extract(epoch FROM now() - min(created_at))::bigint, 0) FROM outbox"
          " WHERE sent_at IS NULL AND failed_at IS NULL" },
        { "supportgate_outbox_failed_total", "counter", "Mail given up on (5xx or too old).",
          "SELECT '', count(*) FROM outbox WHERE failed_at IS NOT NULL" },
        { "supportgate_breaches_total", "counter", "SLA breaches recorded, by SLA and team.",
          "SELECT format('{sla=\"%s\",team=\"%s\"}', sla, team), count(*) FROM breaches GROUP BY 1" },
        { "supportgate_tickets", "gauge", "Tickets by team and status.",
          "SELECT format('{team=\"%s\",status=\"%s\"}', team, status), count(*) FROM tickets GROUP BY 1" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(m); i++)
        if (metric_rows(db, out, m[i].name, m[i].type, m[i].help, m[i].sql, err) < 0)
            return -1;
    return 0;
}
