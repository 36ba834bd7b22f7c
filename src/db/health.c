/* health.c - what an operator or a monitoring system needs to know: `status` and Prometheus metrics. */
#include "health.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backlog.h"
#include "db.h"

/* Thresholds past which a person should look. */
#define OUTBOX_MAX_AGE 300
#define SCHEDULER_MAX_SILENCE 120

/* Mail to a team that is off shift is held until its shift on purpose (outbox.next_attempt_at = the shift's
 * start): it is "held", not late, until that time.  Waiting mail counts from when it became due; mail the relay
 * refused for now (attempts > 0) counts from its creation, since a held mail that fails is worth an alarm too. */
#define UNSENT "sent_at IS NULL AND failed_at IS NULL"
#define HELD "(attempts = 0 AND next_attempt_at > now())"
#define WAITING_SINCE "CASE WHEN attempts = 0 THEN greatest(created_at, next_attempt_at) ELSE created_at END"

static const char *status_sql =
    "WITH pending AS (SELECT next_attempt_at, " HELD " AS held, " WAITING_SINCE " AS since"
    "   FROM outbox WHERE " UNSENT "),"
    " waiting AS (SELECT count(*) AS n, coalesce(extract(epoch FROM now() - min(since))::int, 0) AS age"
    "   FROM pending WHERE NOT held),"
    " held AS (SELECT count(*) AS n, min(next_attempt_at) AS next FROM pending WHERE held)"
    " , owed AS (SELECT count(*) AS n, coalesce(extract(epoch FROM now() - min(t.created_at))::int, 0) AS age"
    "   FROM tickets t WHERE " SG_AWAITING_FIRST_RESPONSE "),"
    " episode AS (SELECT * FROM overload_episodes WHERE ended_at IS NULL),"
    " files AS (SELECT (SELECT count(*) FROM attachments) AS n, count(*) AS contents,"
    "   coalesce(sum(size) FILTER (WHERE content IS NOT NULL), 0) AS kept,"
    "   pg_total_relation_size('blobs') AS disk FROM blobs),"
    " approvals_now AS (SELECT count(*) AS n, count(*) FILTER (WHERE due <= now()) AS late FROM approvals"
    "   WHERE status = 'pending')"
    " SELECT json_build_object("
    " 'schema', json_build_object('version', (SELECT coalesce(max(version), 0) FROM schema_version),"
    "   'expected', $1::int),"
    " 'outbox', (SELECT json_build_object('depth', waiting.n + held.n, 'due', waiting.n,"
    "   'oldest_seconds', waiting.age, 'held', held.n, 'next_held_at', held.next) FROM waiting, held),"
    " 'outbox_failed_24h', (SELECT count(*) FROM outbox WHERE failed_at > now() - interval '1 day'),"
    " 'schedulers', (SELECT coalesce(json_agg(json_build_object('instance', instance, 'last_pass_at', last_pass_at,"
    "   'age_seconds', extract(epoch FROM now() - last_pass_at)::int, 'last_error', last_error)"
    "   ORDER BY last_pass_at DESC), '[]') FROM scheduler_passes),"
    " 'open_tickets', (SELECT coalesce(json_object_agg(team, n), '{}') FROM"
    "   (SELECT team, count(*) AS n FROM tickets WHERE status IN ('new', 'open', 'pending') GROUP BY team) x),"
    " 'breaches_last_hour', (SELECT count(*) FROM breaches WHERE at > now() - interval '1 hour'),"
    " 'first_responses_owed', (SELECT json_build_object('waiting', n, 'oldest_seconds', age) FROM owed),"
    " 'overload', (SELECT json_build_object('since', started_at, 'backlog', backlog, 'peak_backlog', peak_backlog,"
    "   'overflow_team', overflow_team) FROM episode),"
    " 'attachments', (SELECT json_build_object('files', n, 'contents', contents, 'kept_bytes', kept,"
    "   'disk_bytes', disk) FROM files),"
    " 'incidents_open', (SELECT count(*) FROM incidents WHERE status = 'open'),"
    " 'approvals', (SELECT json_build_object('pending', n, 'overdue', late) FROM approvals_now))::text,"
    " (SELECT coalesce(max(version), 0) FROM schema_version) <> $1::int,"
    " (SELECT age FROM waiting) > $2::int,"
    " NOT EXISTS (SELECT 1 FROM scheduler_passes WHERE last_pass_at > now() - make_interval(secs => $3::int)"
    "   AND last_error IS NULL),"
    " (SELECT count(*) FROM outbox WHERE failed_at > now() - interval '1 day') > 0,"
    " (SELECT n FROM waiting), (SELECT age FROM waiting),"
    " (SELECT n FROM held), (SELECT coalesce(next::text, '') FROM held),"
    " (SELECT coalesce(max(version), 0) FROM schema_version) || ' (expected ' || $1::int || ')',"
    " (SELECT coalesce(string_agg(instance || ': last pass ' || extract(epoch FROM now() - last_pass_at)::int"
    "   || ' s ago' || coalesce(', error: ' || translate(last_error, E'\\r\\n\\t', '   '), ''), E'\\n'"
    "   ORDER BY last_pass_at DESC), '') FROM scheduler_passes),"
    " (SELECT coalesce(string_agg(team || ' ' || n, ', ' ORDER BY team), 'none') FROM"
    "   (SELECT team, count(*) AS n FROM tickets WHERE status IN ('new', 'open', 'pending') GROUP BY team) x),"
    " (SELECT count(*) FROM outbox WHERE failed_at > now() - interval '1 day'),"
    " (SELECT count(*) FROM breaches WHERE at > now() - interval '1 hour'),"
    " (SELECT n || ' (oldest waiting ' || age || ' s)' FROM owed),"
    " coalesce((SELECT 'since ' || to_char(started_at, 'YYYY-MM-DD HH24:MI TZ') || ', ' || backlog || ' waiting then'"
    "   || ', peak ' || peak_backlog || coalesce(', new standard tickets to ' || overflow_team, '') FROM episode), 'none'),"
    " (SELECT n || ' file(s), ' || contents || ' distinct content(s), ' || pg_size_pretty(kept) || ' kept ('"
    "   || pg_size_pretty(disk) || ' on disk)' FROM files),"
    " (SELECT count(*) FROM incidents WHERE status = 'open') || ' open',"
    " (SELECT n || ' pending (' || late || ' overdue)' FROM approvals_now)";

/* Columns of status_sql: the document, one boolean per problem, the outbox figures, then the document's other parts
 * as the text form says them. */
enum { COL_DOC, COL_SCHEMA, COL_OUTBOX_LATE, COL_SILENT, COL_FAILED, COL_DUE, COL_AGE, COL_HELD, COL_NEXT_HELD,
       COL_SCHEMA_TEXT, COL_SCHEDULERS_TEXT, COL_OPEN_TEXT, COL_FAILED_N, COL_BREACHES_N, COL_OWED_TEXT,
       COL_OVERLOAD_TEXT, COL_FILES_TEXT, COL_INCIDENTS_TEXT, COL_APPROVALS_TEXT };

/* What each problem column means, indexed by the column. */
static const char *const problems[] = {
    [COL_SCHEMA] = "the database schema is not the version this supportgate needs (run: supportgate db migrate)",
    [COL_OUTBOX_LATE] = "mail that is due has waited in the outbox for over 5 minutes (is the relay or the scheduler down?)",
    [COL_SILENT] = "no scheduler has completed a pass in the last 2 minutes",
    [COL_FAILED] = "mail failed permanently in the last 24 hours (see: supportgate tickets list, outbox.last_error)",
};

/* One line an operator reads at a glance; held mail is named so it is not mistaken for a stuck outbox. */
static void print_outbox_line(const PGresult *r, FILE *out)
{
    fprintf(out, "outbox: %s due (oldest waiting %s s), %s held until their team's shift", PQgetvalue(r, 0, COL_DUE),
            PQgetvalue(r, 0, COL_AGE), PQgetvalue(r, 0, COL_HELD));
    if (*PQgetvalue(r, 0, COL_NEXT_HELD))
        fprintf(out, " (next at %s)", PQgetvalue(r, 0, COL_NEXT_HELD));
    fputc('\n', out);
}

/* The status document's parts as lines, each on its own: readable where the JSON blob was not. */
static void print_status_text(const PGresult *r, int problems_n, FILE *out)
{
    fprintf(out, "database: ok\nschema: version %s\n", PQgetvalue(r, 0, COL_SCHEMA_TEXT));
    const char *sched = PQgetvalue(r, 0, COL_SCHEDULERS_TEXT);
    if (!*sched)
        fprintf(out, "scheduler: none has completed a pass\n");
    char **lines = g_strsplit(sched, "\n", -1);
    for (char **l = lines; *sched && *l; l++)
        fprintf(out, "scheduler %s\n", *l);
    g_strfreev(lines);
    print_outbox_line(r, out);
    fprintf(out, "outbox failed in the last 24 h: %s\nopen tickets: %s\nbreaches in the last hour: %s\n",
            PQgetvalue(r, 0, COL_FAILED_N), PQgetvalue(r, 0, COL_OPEN_TEXT), PQgetvalue(r, 0, COL_BREACHES_N));
    fprintf(out, "first responses owed: %s\noverload: %s\nattachments: %s\n", PQgetvalue(r, 0, COL_OWED_TEXT),
            PQgetvalue(r, 0, COL_OVERLOAD_TEXT), PQgetvalue(r, 0, COL_FILES_TEXT));
    fprintf(out, "incidents: %s\napprovals: %s\n", PQgetvalue(r, 0, COL_INCIDENTS_TEXT),
            PQgetvalue(r, 0, COL_APPROVALS_TEXT));
    fprintf(out, "%s\n", problems_n ? "status: NEEDS ATTENTION" : "status: ok");
}

int sg_health_status(PGconn *db, int json, FILE *out, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, SG_SCHEMA_VERSION);
    sg_param_int(&p, OUTBOX_MAX_AGE);
    sg_param_int(&p, SCHEDULER_MAX_SILENCE);
    PGresult *r = sg_db_exec_params(db, status_sql, &p, err);
    if (!r)
        return -1;
    int n = 0;
    GString *list = g_string_new(NULL);
    for (int i = COL_SCHEMA; i <= COL_FAILED; i++)
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
        const char *doc = PQgetvalue(r, 0, COL_DOC);
        fprintf(out, "%.*s, \"database\" : \"ok\", \"problems\" : [%s], \"ok\" : %s}\n", (int)strlen(doc) - 1, doc,
                list->str, n ? "false" : "true");
    } else {
        print_status_text(r, n, out);
    }
    g_string_free(list, TRUE);
    PQclear(r);
    return n;
}

/* Every metric's query has two columns: the suffix and labels after the name, and the value. */
enum { METRIC_LABELS, METRIC_VALUE };

static int metric_rows(PGconn *db, FILE *out, const char *name, const char *type, const char *help, const char *sql,
                       char **err)
{
    PGresult *r = sg_db_exec(db, sql, 0, NULL, err);
    if (!r)
        return -1;
    fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
    for (int i = 0; i < PQntuples(r); i++)
        fprintf(out, "%s%s %s\n", name, PQgetvalue(r, i, METRIC_LABELS), PQgetvalue(r, i, METRIC_VALUE));
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
        { "supportgate_outbox_depth", "gauge", "Mail not sent yet, held mail included.",
          "SELECT '', count(*) FROM outbox WHERE " UNSENT },
        { "supportgate_outbox_oldest_seconds", "gauge", "How long the oldest mail that is due has waited.",
          "SELECT '', coalesce(extract(epoch FROM now() - min(" WAITING_SINCE "))::bigint, 0) FROM outbox"
          " WHERE " UNSENT " AND NOT " HELD },
        { "supportgate_outbox_held", "gauge", "Mail held on purpose until its team's shift begins.",
          "SELECT '', count(*) FROM outbox WHERE " UNSENT " AND " HELD },
        { "supportgate_outbox_failed_total", "counter", "Mail given up on (5xx or too old).",
          "SELECT '', count(*) FROM outbox WHERE failed_at IS NOT NULL" },
        { "supportgate_breaches_total", "counter", "SLA breaches recorded, by SLA and team.",
          "SELECT format('{sla=\"%s\",team=\"%s\"}', sla, team), count(*) FROM breaches GROUP BY 1" },
        { "supportgate_first_responses_owed", "gauge", "Tickets waiting for a person's first response.",
          "SELECT '', count(*) FROM tickets t WHERE " SG_AWAITING_FIRST_RESPONSE },
        { "supportgate_overload_active", "gauge", "1 while the first line is in an overload episode.",
          "SELECT '', count(*) FROM overload_episodes WHERE ended_at IS NULL" },
        { "supportgate_overload_episodes_total", "counter", "Overload episodes begun.",
          "SELECT '', count(*) FROM overload_episodes" },
        { "supportgate_incidents_open", "gauge", "Incidents not resolved yet.",
          "SELECT '', count(*) FROM incidents WHERE status = 'open'" },
        { "supportgate_possible_incidents_total", "counter", "Possible incidents the first line was told of.",
          "SELECT '', count(*) FROM possible_incidents" },
        { "supportgate_approvals_pending", "gauge", "Approvals nobody has decided yet.",
          "SELECT '', count(*) FROM approvals WHERE status = 'pending'" },
        { "supportgate_tickets", "gauge", "Tickets by team and status.",
          "SELECT format('{team=\"%s\",status=\"%s\"}', team, status), count(*) FROM tickets GROUP BY 1" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(m); i++)
        if (metric_rows(db, out, m[i].name, m[i].type, m[i].help, m[i].sql, err) < 0)
            return -1;
    return 0;
}

void sg_health_milter_metrics(const char *path, FILE *out)
{
    static const struct { const char *name, *type, *help; } m[] = {
        { "supportgate_milter_inflight_bytes", "gauge", "Mail the milter holds now, all sessions together." },
        { "supportgate_milter_inflight_peak_bytes", "gauge", "The most mail the milter held at once since it started." },
        { "supportgate_milter_inflight_limit_bytes", "gauge", "milter_inflight_limit." },
        { "supportgate_milter_busy_total", "counter", "Messages tempfailed (451 4.3.2) at the in-flight limit." },
    };
    char *text = NULL;
    GStatBuf st;
    unsigned long long v[G_N_ELEMENTS(m)];
    if (!*path || g_stat(path, &st) < 0 || !g_file_get_contents(path, &text, NULL, NULL))
        return;
    int ok = sscanf(text, "%llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3]) == 4;
    g_free(text);
    if (!ok)
        return;
    for (size_t i = 0; i < G_N_ELEMENTS(m); i++)
        fprintf(out, "# HELP %s %s\n# TYPE %s %s\n%s %llu\n", m[i].name, m[i].help, m[i].name, m[i].type,
                m[i].name, v[i]);
    fprintf(out, "# HELP supportgate_milter_stats_age_seconds How old the milter's figures above are.\n"
                 "# TYPE supportgate_milter_stats_age_seconds gauge\nsupportgate_milter_stats_age_seconds %lld\n",
            (long long)(time(NULL) - st.st_mtime));
}

/* SQLSTATE classes (PostgreSQL appendix A) an operator fixes differently. */
static const struct { const char *prefix, *state, *problem; } db_states[] = {
    { "42P01", "schema missing", "the database has no supportgate tables (run: supportgate db migrate)" },
    { "3F000", "schema missing", "the database has no supportgate tables (run: supportgate db migrate)" },
    { "42501", "permission denied",
      "the CLI's role may not read the supportgate tables (grant again: the GRANT lines of the migrations)" },
    { "08", "unreachable", "database unreachable" },
};

void sg_health_db_state(const char *sqlstate, const char **state, const char **problem)
{
    *state = "error";
    *problem = "the status query failed (see error)";
    for (size_t i = 0; sqlstate && *sqlstate && i < G_N_ELEMENTS(db_states); i++)
        if (g_str_has_prefix(sqlstate, db_states[i].prefix)) {
            *state = db_states[i].state;
            *problem = db_states[i].problem;
            return;
        }
}
