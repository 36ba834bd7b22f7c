/* digest.c - management digests on a schedule: the period claimed, its figures read, the mail queued. */
#include "digest.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "address.h"
#include "calendar.h"
#include "compose.h"
#include "db.h"
#include "deadline.h"
#include "digestview.h"
#include "phrase.h"
#include "report.h"
#include "ticketdb.h"

/* Digests of one schedule are made one at a time, so that each sees where the previous one ended and what
 * it took, even when schedulers run with different clocks. */
static const char *lock_sql = "SELECT pg_advisory_xact_lock(hashtext('sg-digest:' || $1))";

/* The period this digest reports (from the end of the previous one, or one period back) and whether it is
 * this scheduler's to send: the INSERT decides between schedulers.  It takes every breach before the
 * period's end that no digest of the schedule has taken yet, so a breach committed just after the previous
 * digest closed its period goes to this one instead of none.  Looking back to the previous digest's start
 * is ample for those (a pass commits within moments of its time) and keeps a digest from reading the whole
 * history.  The trend is this digest's count against the previous one's ('none' before the first). */
static const char *claim_sql =
    "WITH prev AS (SELECT period_start, period_end, breaches FROM digests WHERE schedule = $1"
    "   ORDER BY period_end DESC LIMIT 1),"
    " p AS (SELECT coalesce((SELECT period_end FROM prev), b.s) AS s, to_timestamp($2::bigint) AS e,"
    "   coalesce((SELECT period_start FROM prev), b.s) AS since"
    "   FROM (SELECT to_timestamp($2::bigint) - make_interval(secs => $3::double precision) AS s) b"
    "   WHERE NOT EXISTS (SELECT 1 FROM prev WHERE period_end >= to_timestamp($2::bigint))),"
    " c AS (SELECT b.id FROM breaches b, p WHERE b.at >= p.since AND b.at < p.e"
    "   AND NOT EXISTS (SELECT 1 FROM digest_breaches x WHERE x.schedule = $1 AND x.breach_id = b.id)),"
    " d AS (INSERT INTO digests (schedule, period_start, period_end, breaches)"
    "   SELECT $1, p.s, p.e, (SELECT count(*) FROM c) FROM p ON CONFLICT DO NOTHING"
    "   RETURNING period_start, period_end, breaches),"
    " x AS (INSERT INTO digest_breaches (schedule, breach_id, period_end) SELECT $1, c.id, d.period_end FROM c, d)"
    " SELECT extract(epoch FROM period_start)::bigint, breaches, coalesce((SELECT breaches::text FROM prev), 'none'),"
    "  to_char(period_start AT TIME ZONE $4, 'YYYY-MM-DD HH24:MI'), to_char(period_end AT TIME ZONE $4, 'YYYY-MM-DD HH24:MI'),"
    "  period_start::text, period_end::text, (SELECT period_start::text FROM prev), (SELECT period_end::text FROM prev)"
    " FROM d";
enum { CLAIM_START, CLAIM_BREACHES, CLAIM_PREV, CLAIM_FROM, CLAIM_TO, CLAIM_SINCE, CLAIM_UNTIL, CLAIM_PREV_SINCE,
       CLAIM_PREV_UNTIL };

/* The breaches the digest of schedule $1 ending at $2 (a timestamp) took, by SLA and the team whose clock it was. */
static const char *taken_sql =
    "SELECT b.sla, b.team, count(*) FROM breaches b"
    " WHERE b.id IN (SELECT breach_id FROM digest_breaches WHERE schedule = $1 AND period_end = $2::timestamptz)"
    " GROUP BY 1, 2";

/* The breaches this digest took ($1 the schedule, $2 the period's end, Unix time): the ticket, whose clock it
 * was, who owns the ticket now (the agent by name when known) and where it stands, and from when to when it was
 * late: until the awaited mail, resolution or approver's decision came, or until the period's end if it has not.  The working time of that
 * is counted afterwards in the team's calendar, so this reads them all (a digest takes few). */
static const char *worst_sql =
    "SELECT t.id, b.sla, b.team, t.team, coalesce(a.name, t.assignee, ''), t.status, t.subject,"
    "  extract(epoch FROM b.due)::bigint, extract(epoch FROM greatest(b.due, coalesce(CASE b.sla"
    "   WHEN 'ack' THEN t.acked_at WHEN 'first_response' THEN t.first_response_at"
    "   WHEN 'resolution' THEN t.resolved_at WHEN 'eta' THEN t.resolved_at WHEN 'approval' THEN (SELECT min(decided_at)"
    "   FROM approvals p WHERE p.ticket_id = t.id AND p.due = b.due) END, to_timestamp($2::bigint))))::bigint"
    " FROM breaches b JOIN tickets t ON t.id = b.ticket_id LEFT JOIN agents a ON a.address = t.assignee"
    " WHERE b.id IN (SELECT breach_id FROM digest_breaches"
    "   WHERE schedule = $1 AND period_end = to_timestamp($2::bigint))"
    " ORDER BY b.id LIMIT 1000";
enum { W_TICKET, W_SLA, W_CLOCK_TEAM, W_TEAM, W_ASSIGNEE, W_STATUS, W_SUBJECT, W_DUE, W_UNTIL };
#define WORST_SHOWN 10

/* The overload episodes that overlapped the period ($1, $2 as timestamps): how many, the largest backlog, and
 * the longest wait any of them began with. */
static const char *overload_sql =
    "SELECT count(*), coalesce(max(peak_backlog), 0), coalesce(max(oldest_wait_s), 0) FROM overload_episodes"
    " WHERE started_at < $2::timestamptz AND (ended_at IS NULL OR ended_at >= $1::timestamptz)";

static const char *const sla_names[] = { "ack", "first_response", "update", "resolution" };

/* What the view points into: the figures read from the database, freed together. */
typedef struct {
    sg_digest_view v;
    GArray *slas, *teams, *worst;
    GStringChunk *strings;
    sg_dv_overload overload;
} digest_data;

static const char *keep(digest_data *d, const char *s)
{
    return g_string_chunk_insert_const(d->strings, s ? s : "");
}

static const char *team_title(const sg_config *c, const char *name)
{
    const sg_team *t = sg_config_team_find(c, name);
    return t ? sg_team_title(t, sg_config_str(c, SG_CFG_STAFF_LANGUAGE)) : name;
}

/* Add MET and BREACHED clocks of SLA under TEAM to the SLA's figures of this period (PREV 0) or the previous one,
 * and this period's to the team's.  Only the SLAs the report counts met clocks of have an attainment: breaches of
 * others (an #eta, an approval) are in the digest's count and its worst tickets. */
static void add_counts(digest_data *d, const sg_config *c, const char *sla, const char *team, long long met,
                       long long breached, int prev)
{
    guint k = 0;
    while (k < d->slas->len && strcmp(g_array_index(d->slas, sg_dv_sla, k).name, sla) != 0)
        k++;
    if (k == d->slas->len)
        return;
    sg_dv_sla *s = &g_array_index(d->slas, sg_dv_sla, k);
    s->has_prev |= prev;
    *(prev ? &s->prev_met : &s->met) += met;
    *(prev ? &s->prev_breached : &s->breached) += breached;
    if (prev || met + breached == 0)
        return;
    const char *title = keep(d, team_title(c, team));
    k = 0;
    while (k < d->teams->len && strcmp(g_array_index(d->teams, sg_dv_team, k).title, title) != 0)
        k++;
    if (k == d->teams->len)
        g_array_append_val(d->teams, ((sg_dv_team){ .title = title }));
    g_array_index(d->teams, sg_dv_team, k).met += met;
    g_array_index(d->teams, sg_dv_team, k).breached += breached;
}

/* The SLAs without a clock due in the period are left out. */
static void drop_idle_slas(digest_data *d)
{
    for (guint k = d->slas->len; k-- > 0;) {
        const sg_dv_sla *s = &g_array_index(d->slas, sg_dv_sla, k);
        if (s->met + s->breached == 0)
            g_array_remove_index(d->slas, k);
    }
}

/* One period's attainment: the clocks met among those due from SINCE to UNTIL (the SLA report's count), and the
 * breaches the digest ending at UNTIL took, so that every breach counts once, also one recorded late. */
static int add_period(PGconn *db, const sg_config *c, const char *schedule, const char *since, const char *until,
                      digest_data *d, int prev, char **err)
{
    GPtrArray *met = sg_report_attainment(db, since, until, err);
    if (!met)
        return -1;
    for (guint i = 0; i < met->len; i++) {
        const sg_sla_row *r = g_ptr_array_index(met, i);
        add_counts(d, c, r->sla, r->team, r->met, 0, prev);
    }
    g_ptr_array_unref(met);
    const char *p[] = { schedule, until };
    PGresult *r = sg_db_exec(db, taken_sql, 2, p, err);
    for (int i = 0; r && i < PQntuples(r); i++)
        add_counts(d, c, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), 0, g_ascii_strtoll(PQgetvalue(r, i, 2), NULL, 10),
                   prev);
    int rc = r ? 0 : -1;
    PQclear(r);
    return rc;
}

static int read_attainment(PGconn *db, const sg_config *c, const sg_digest *dg, PGresult *claim, digest_data *d,
                           char **err)
{
    for (size_t i = 0; i < G_N_ELEMENTS(sla_names); i++)
        g_array_append_val(d->slas, ((sg_dv_sla){ .name = sla_names[i] }));
    if (add_period(db, c, dg->name, PQgetvalue(claim, 0, CLAIM_SINCE), PQgetvalue(claim, 0, CLAIM_UNTIL), d, 0, err) < 0)
        return -1;
    if (!PQgetisnull(claim, 0, CLAIM_PREV_SINCE) &&
        add_period(db, c, dg->name, PQgetvalue(claim, 0, CLAIM_PREV_SINCE), PQgetvalue(claim, 0, CLAIM_PREV_UNTIL), d, 1,
                   err) < 0)
        return -1;
    drop_idle_slas(d);
    return 0;
}

static gint by_lateness(gconstpointer a, gconstpointer b)
{
    const sg_dv_ticket *x = a, *y = b;
    if (x->late_s != y->late_s)
        return x->late_s > y->late_s ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* How late each breach was in the working time of the team whose clock it was; the worst first. */
static int read_worst(PGconn *db, const sg_config *c, const sg_params *period, digest_data *d, char **err)
{
    PGresult *r = sg_db_exec(db, worst_sql, 2, period->v, err);
    if (!r)
        return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        sg_time due = g_ascii_strtoll(PQgetvalue(r, i, W_DUE), NULL, 10);
        sg_time until = g_ascii_strtoll(PQgetvalue(r, i, W_UNTIL), NULL, 10);
        sg_dv_ticket k = { .id = g_ascii_strtoll(PQgetvalue(r, i, W_TICKET), NULL, 10),
                           .sla = keep(d, PQgetvalue(r, i, W_SLA)),
                           .owner = keep(d, team_title(c, PQgetvalue(r, i, W_TEAM))),
                           .assignee = keep(d, PQgetvalue(r, i, W_ASSIGNEE)),
                           .status = keep(d, PQgetvalue(r, i, W_STATUS)),
                           .subject = keep(d, PQgetvalue(r, i, W_SUBJECT)),
                           .late_s = sg_deadline_work(sg_config_team_find(c, PQgetvalue(r, i, W_CLOCK_TEAM)), due, until) };
        g_array_append_val(d->worst, k);
    }
    PQclear(r);
    g_array_sort(d->worst, by_lateness);
    if (d->worst->len > WORST_SHOWN)
        g_array_set_size(d->worst, WORST_SHOWN);
    return 0;
}

static int read_overload(PGconn *db, PGresult *claim, digest_data *d, char **err)
{
    const char *p[] = { PQgetvalue(claim, 0, CLAIM_SINCE), PQgetvalue(claim, 0, CLAIM_UNTIL) };
    PGresult *r = sg_db_exec(db, overload_sql, 2, p, err);
    if (!r)
        return -1;
    d->overload = (sg_dv_overload){ g_ascii_strtoll(PQgetvalue(r, 0, 0), NULL, 10),
                                      g_ascii_strtoll(PQgetvalue(r, 0, 1), NULL, 10),
                                      g_ascii_strtoll(PQgetvalue(r, 0, 2), NULL, 10) };
    PQclear(r);
    return 0;
}

static void digest_data_free(digest_data *d)
{
    g_array_free(d->slas, TRUE);
    g_array_free(d->teams, TRUE);
    g_array_free(d->worst, TRUE);
    g_string_chunk_free(d->strings);
}

/* Everything the digest says, read in the claim's transaction. */
static int read_digest(PGconn *db, const sg_config *c, const sg_digest *dg, PGresult *claim, const sg_params *period,
                       digest_data *d, char **err)
{
    d->slas = g_array_new(FALSE, TRUE, sizeof(sg_dv_sla));
    d->teams = g_array_new(FALSE, TRUE, sizeof(sg_dv_team));
    d->worst = g_array_new(FALSE, TRUE, sizeof(sg_dv_ticket));
    d->strings = g_string_chunk_new(1024);
    if (read_attainment(db, c, dg, claim, d, err) < 0 || read_worst(db, c, period, d, err) < 0 ||
        read_overload(db, claim, d, err) < 0)
        return -1;
    d->v = (sg_digest_view){ .lang = sg_config_str(c, SG_CFG_STAFF_LANGUAGE), .tag_prefix = sg_config_str(c, SG_CFG_TAG_PREFIX),
                             .from = PQgetvalue(claim, 0, CLAIM_FROM), .to = PQgetvalue(claim, 0, CLAIM_TO),
                             .timezone = sg_config_str(c, SG_CFG_DISPLAY_TIMEZONE),
                             .breaches = g_ascii_strtoll(PQgetvalue(claim, 0, CLAIM_BREACHES), NULL, 10),
                             .prev = PQgetvalue(claim, 0, CLAIM_PREV),
                             .slas = (const sg_dv_sla *)(void *)d->slas->data, .n_slas = d->slas->len,
                             .teams = (const sg_dv_team *)(void *)d->teams->data, .n_teams = d->teams->len,
                             .worst = (const sg_dv_ticket *)(void *)d->worst->data, .n_worst = d->worst->len,
                             .overload = d->overload };
    return 0;
}

/* Queue the digest (TEXT and HTML) to every manager; 1 when queued, 0 when there is no manager. */
static int send_digest(PGconn *db, const sg_config *c, const sg_digest *d, PGresult *claim, const char *text,
                       const char *html, char **err)
{
    PGresult *m = sg_db_exec(db, "SELECT coalesce(string_agg(address, ' ' ORDER BY address), '') FROM managers",
                             0, NULL, err);
    if (!m)
        return -1;
    char **to = *PQgetvalue(m, 0, 0) ? g_strsplit(PQgetvalue(m, 0, 0), " ", -1) : g_new0(char *, 1);
    PQclear(m);
    int rc = 0;
    if (to[0]) {
        const char *support = sg_config_str(c, SG_CFG_SUPPORT_ADDRESS);
        char *subject = sg_phrase(sg_config_str(c, SG_CFG_STAFF_LANGUAGE), SG_PHRASE_DIGEST_SUBJECT, "schedule", d->name,
                                  "n", PQgetvalue(claim, 0, CLAIM_BREACHES), "from", PQgetvalue(claim, 0, CLAIM_FROM),
                                  "to", PQgetvalue(claim, 0, CLAIM_TO), NULL);
        char *mid = sg_compose_message_id(sg_config_tokens(c), "digest", 0, sg_address_domain(support));
        sg_outgoing o = { .from_addr = support, .from_name = sg_config_str(c, SG_CFG_SUPPORT_NAME), .to_addr = to[0],
                          .cc = (const char *const *)to + 1, .n_cc = g_strv_length(to) - 1, .subject = subject,
                          .body = text, .html = html, .message_id = mid, .auto_submitted = "auto-generated",
                          .loop = support };
        size_t len;
        char *data = sg_compose(&o, &len);
        sg_queued q = { .kind = SG_OUT_INTERNAL, .message_id = mid, .from = support, .rcpts = (const char *const *)to,
                        .n_rcpts = g_strv_length(to), .subject = subject, .body = text,
                        .env_from = sg_config_str(c, SG_CFG_BOUNCE_ADDRESS), .data = data, .len = len };
        rc = sg_tdb_queue(db, &q, err) < 0 ? -1 : 1;
        g_free(data); g_free(mid); g_free(subject);
    }
    g_strfreev(to);
    return rc;
}

/* Read, render and queue the digest of the period just claimed; 0 when it is empty and digest_skip_empty says to
 * send nothing (the period stays claimed, so it is reported exactly once: by nothing). */
static int deliver(PGconn *db, const sg_config *c, const sg_digest *d, PGresult *claim, const sg_params *period,
                   char **err)
{
    digest_data data = { 0 };
    int rc = read_digest(db, c, d, claim, period, &data, err);
    if (rc == 0 && !(sg_config_num(c, SG_CFG_DIGEST_SKIP_EMPTY) && sg_digestview_empty(&data.v))) {
        char *text = sg_digestview_text(&data.v), *html = sg_digestview_html(&data.v);
        rc = send_digest(db, c, d, claim, text, html, err);
        g_free(text);
        g_free(html);
    }
    digest_data_free(&data);
    return rc;
}

static int run_one(PGconn *db, const sg_config *c, const sg_digest *d, sg_time now, char **err)
{
    sg_params p; /* the claim's: schedule, period's end, period's length, display zone */
    sg_params_init(&p);
    sg_param_text(&p, d->name);
    sg_param_time(&p, sg_period_end(now, d->period, d->anchor_min, d->zone));
    sg_param_int(&p, d->period);
    sg_param_text(&p, sg_config_str(c, SG_CFG_DISPLAY_TIMEZONE));
    if (sg_db_begin(db, err) < 0)
        return -1;
    /* The lock takes the schedule alone. */
    PGresult *r = sg_db_run(db, lock_sql, 1, p.v, err) < 0 ? NULL : sg_db_exec_params(db, claim_sql, &p, err);
    int rc = !r ? -1 : PQntuples(r) == 1 ? deliver(db, c, d, r, &p, err) : 0;
    PQclear(r);
    if (rc >= 0 && sg_db_commit(db, err) == 0)
        return rc;
    sg_db_rollback(db);
    return -1;
}

int sg_digest_run(PGconn *db, const sg_config *c, const char *now, char **err)
{
    sg_time t;
    if (sg_db_moment(db, now, &t, err) < 0)
        return -1;
    int total = 0;
    for (size_t i = 0; i < sg_config_digest_count(c); i++) {
        int n = run_one(db, c, sg_config_digest(c, i), t, err);
        if (n < 0)
            return -1;
        total += n;
    }
    return total;
}
