/* digest.c - management digests on a schedule: breaches by SLA and team, the worst tickets, the trend. */
#include "digest.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "address.h"
#include "calendar.h"
#include "compose.h"
#include "db.h"
#include "phrase.h"
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
    "  to_char(period_start AT TIME ZONE $4, 'YYYY-MM-DD HH24:MI'), to_char(period_end AT TIME ZONE $4, 'YYYY-MM-DD HH24:MI')"
    " FROM d";
enum { CLAIM_START, CLAIM_BREACHES, CLAIM_PREV, CLAIM_FROM, CLAIM_TO };

/* The breaches this digest took: $1 the schedule, $2 the period's end (Unix time). */
static const char *by_sla_sql =
    "SELECT b.sla, b.team, count(*) FROM breaches b"
    " WHERE b.id IN (SELECT breach_id FROM digest_breaches"
    "   WHERE schedule = $1 AND period_end = to_timestamp($2::bigint))"
    " GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2";
enum { BY_SLA, BY_TEAM, BY_COUNT };

/* How late each breach is: until the awaited mail came, or until the period's end if it still has not. */
static const char *worst_sql =
    "SELECT t.id, b.sla, b.team, t.subject, extract(epoch FROM greatest(coalesce(CASE b.sla"
    "   WHEN 'ack' THEN t.acked_at WHEN 'first_response' THEN t.first_response_at"
    "   WHEN 'resolution' THEN t.resolved_at END, to_timestamp($2::bigint)) - b.due, interval '0'))::bigint / 60"
    " FROM breaches b JOIN tickets t ON t.id = b.ticket_id"
    " WHERE b.id IN (SELECT breach_id FROM digest_breaches"
    "   WHERE schedule = $1 AND period_end = to_timestamp($2::bigint))"
    " ORDER BY 5 DESC, 1 LIMIT 10";
enum { WORST_TICKET, WORST_SLA, WORST_TEAM, WORST_SUBJECT, WORST_LATE, WORST_COLS };

/* PERIOD: the claim's parameters, of which these queries take the first two (the schedule, the period's end). */
static void add_rows(PGconn *db, const char *sql, const sg_params *period, GString *text,
                     GString *html, int worst, const char *prefix, const char *lang)
{
    char *min = sg_phrase(lang, SG_PHRASE_DIGEST_MIN, NULL), *min_late = sg_phrase(lang, SG_PHRASE_DIGEST_MIN_LATE, NULL);
    char *err = NULL;
    PGresult *r = sg_db_exec(db, sql, 2, period->v, &err);
    g_free(err);
    for (int i = 0; r && i < PQntuples(r); i++) {
        char *cells[WORST_COLS];
        for (int k = 0; k < PQnfields(r) && k < WORST_COLS; k++)
            cells[k] = g_markup_escape_text(PQgetvalue(r, i, k), -1);
        if (worst) {
            g_string_append_printf(text, "  [%s #%s] %-15s %-11s %5s %s  %s\n", prefix, PQgetvalue(r, i, WORST_TICKET),
                                   PQgetvalue(r, i, WORST_SLA), PQgetvalue(r, i, WORST_TEAM),
                                   PQgetvalue(r, i, WORST_LATE), min_late, PQgetvalue(r, i, WORST_SUBJECT));
            g_string_append_printf(html, "<tr><td>#%s</td><td>%s</td><td>%s</td><td>%s %s</td><td>%s</td></tr>\n",
                                   cells[WORST_TICKET], cells[WORST_SLA], cells[WORST_TEAM], cells[WORST_LATE], min,
                                   cells[WORST_SUBJECT]);
        } else {
            g_string_append_printf(text, "  %-15s %-11s %5s\n", PQgetvalue(r, i, BY_SLA), PQgetvalue(r, i, BY_TEAM),
                                   PQgetvalue(r, i, BY_COUNT));
            g_string_append_printf(html, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>\n", cells[BY_SLA], cells[BY_TEAM],
                                   cells[BY_COUNT]);
        }
        for (int k = 0; k < PQnfields(r) && k < WORST_COLS; k++)
            g_free(cells[k]);
    }
    PQclear(r);
    g_free(min);
    g_free(min_late);
}

/* OPEN, TEXT escaped for HTML, CLOSE. */
static void html_element(GString *html, const char *open, const char *text, const char *close)
{
    char *e = g_markup_escape_text(text, -1);
    g_string_append_printf(html, "%s%s%s", open, e, close);
    g_free(e);
}

/* A table's heading in both parts, and the HTML table's header row of N column names. */
static void table_start(GString *text, GString *html, const char *lang, sg_phrase_id heading, const char *const *cols,
                        size_t n)
{
    char *h = sg_phrase(lang, heading, NULL);
    g_string_append_printf(text, "%s:\n", h);
    html_element(html, "<h3>", h, "</h3><table border=\"1\"><tr>");
    for (size_t i = 0; i < n; i++)
        html_element(html, "<th>", cols[i] ? cols[i] : "", "</th>");
    g_string_append(html, "</tr>\n");
    g_free(h);
}

/* The digest's text and HTML; one clear line when it took no breach. */
static void render(PGconn *db, const sg_config *c, PGresult *claim, const sg_params *period, GString *text,
                   GString *html)
{
    const char *n = PQgetvalue(claim, 0, CLAIM_BREACHES), *prev = PQgetvalue(claim, 0, CLAIM_PREV);
    const char *from = PQgetvalue(claim, 0, CLAIM_FROM), *to = PQgetvalue(claim, 0, CLAIM_TO);
    const char *tz = sg_config_str(c, SG_CFG_DISPLAY_TIMEZONE), *prefix = sg_config_str(c, SG_CFG_TAG_PREFIX);
    const char *lang = sg_config_str(c, SG_CFG_STAFF_LANGUAGE);
    char *title = sg_phrase(lang, SG_PHRASE_DIGEST_TITLE, "from", from, "to", to, "timezone", tz, "n", n, "prev", prev,
                            NULL);
    g_string_append_printf(text, "%s\n\n", title);
    html_element(html, "<html><body><h2>", title, "</h2>\n");
    g_free(title);
    if (strcmp(n, "0") == 0) {
        char *none = sg_phrase(lang, SG_PHRASE_DIGEST_NONE, NULL);
        g_string_append_printf(text, "%s\n", none);
        html_element(html, "<p>", none, "</p>\n");
        g_free(none);
    } else {
        char *cols = sg_phrase(lang, SG_PHRASE_DIGEST_COLUMNS, NULL), **col = g_strsplit(cols, "|", 6);
        const char *by_sla[] = { col[0], col[1], col[2] }, *worst[] = { col[3], col[0], col[1], col[4], col[5] };
        table_start(text, html, lang, SG_PHRASE_DIGEST_BY_SLA, by_sla, G_N_ELEMENTS(by_sla));
        add_rows(db, by_sla_sql, period, text, html, 0, prefix, lang);
        g_string_append(html, "</table>");
        g_string_append_c(text, '\n');
        table_start(text, html, lang, SG_PHRASE_DIGEST_WORST, worst, G_N_ELEMENTS(worst));
        add_rows(db, worst_sql, period, text, html, 1, prefix, lang);
        g_string_append(html, "</table>\n");
        g_strfreev(col);
        g_free(cols);
    }
    g_string_append(text, "\n--\nsupportgate sla report --since 1d\n");
    g_string_append(html, "</body></html>\n");
}

static int send_digest(PGconn *db, const sg_config *c, const sg_digest *d, PGresult *claim, const sg_params *period,
                       char **err)
{
    PGresult *m = sg_db_exec(db, "SELECT coalesce(string_agg(address, ' ' ORDER BY address), '') FROM managers",
                             0, NULL, err);
    if (!m)
        return -1;
    char **to = *PQgetvalue(m, 0, 0) ? g_strsplit(PQgetvalue(m, 0, 0), " ", -1) : g_new0(char *, 1);
    PQclear(m);
    int rc = 0;
    if (to[0]) {
        GString *text = g_string_new(NULL), *html = g_string_new(NULL);
        render(db, c, claim, period, text, html);
        const char *support = sg_config_str(c, SG_CFG_SUPPORT_ADDRESS);
        char *subject = sg_phrase(sg_config_str(c, SG_CFG_STAFF_LANGUAGE), SG_PHRASE_DIGEST_SUBJECT, "schedule", d->name,
                                  "n", PQgetvalue(claim, 0, CLAIM_BREACHES), "from", PQgetvalue(claim, 0, CLAIM_FROM),
                                  "to", PQgetvalue(claim, 0, CLAIM_TO), NULL);
        char *mid = sg_compose_message_id(sg_config_tokens(c), "digest", 0, sg_address_domain(support));
        sg_outgoing o = { .from_addr = support, .from_name = sg_config_str(c, SG_CFG_SUPPORT_NAME), .to_addr = to[0],
                          .cc = (const char *const *)to + 1, .n_cc = g_strv_length(to) - 1, .subject = subject,
                          .body = text->str, .html = html->str, .message_id = mid, .auto_submitted = "auto-generated",
                          .loop = support };
        size_t len;
        char *data = sg_compose(&o, &len);
        sg_queued q = { .kind = SG_OUT_INTERNAL, .message_id = mid, .from = support, .rcpts = (const char *const *)to,
                        .n_rcpts = g_strv_length(to), .subject = subject, .body = text->str,
                        .env_from = sg_config_str(c, SG_CFG_BOUNCE_ADDRESS), .data = data, .len = len };
        rc = sg_tdb_queue(db, &q, err);
        g_free(data); g_free(mid); g_free(subject);
        g_string_free(text, TRUE);
        g_string_free(html, TRUE);
    }
    g_strfreev(to);
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
    int sent = r && PQntuples(r) == 1;
    int rc = !r ? -1 : sent ? send_digest(db, c, d, r, &p, err) : 0;
    PQclear(r);
    if (rc == 0 && sg_db_commit(db, err) == 0)
        return sent;
    sg_db_rollback(db);
    return -1;
}

int sg_digest_run(PGconn *db, const sg_config *c, const char *now, char **err)
{
    const char *p[] = { now };
    PGresult *r = sg_db_exec(db, "SELECT extract(epoch FROM coalesce($1::timestamptz, now()))::bigint", 1, p, err);
    if (!r)
        return -1;
    sg_time t = sg_db_time(r, 0, 0);
    PQclear(r);
    int total = 0;
    for (size_t i = 0; i < sg_config_digest_count(c); i++) {
        int n = run_one(db, c, sg_config_digest(c, i), t, err);
        if (n < 0)
            return -1;
        total += n;
    }
    return total;
}
