/* ticketdb.c - ticket operations shared by intake, agent replies and the scheduler: events, threading, queued mail. */
#include "ticketdb.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "address.h"
#include "compose.h"
#include "db.h"
#include "deadline.h"
#include "owner.h"
#include "token.h"

void sg_tdb_message_key(const sg_mail *m, const char *envelope_sender, const sg_config *c, char *buf, size_t len)
{
    const char *mid = sg_mail_message_id(m);
    if (mid && strlen(mid) < len) {
        g_strlcpy(buf, mid, len);
        return;
    }
    GChecksum *h = g_checksum_new(G_CHECKSUM_SHA256);
    const char *parts[] = { sg_mail_from_addr(m), sg_mail_header(m, "Date"), sg_mail_subject(m), sg_mail_text(m),
                            envelope_sender };
    for (size_t i = 0; i < G_N_ELEMENTS(parts); i++) {
        g_checksum_update(h, (const guchar *)(parts[i] ? parts[i] : ""), -1);
        g_checksum_update(h, (const guchar *)"\n", 1);
    }
    snprintf(buf, len, "sg.nomsgid.%.40s@%s", g_checksum_get_string(h),
             sg_address_domain(sg_config_str(c, SG_CFG_SUPPORT_ADDRESS)));
    g_checksum_free(h);
}

long long sg_tdb_first_id(PGresult *r)
{
    if (!r)
        return -1;
    long long id = PQntuples(r) > 0 ? sg_db_int(r, 0, 0) : 0;
    PQclear(r);
    return id;
}

long long sg_tdb_recorded(PGconn *db, const char *key, char **err)
{
    const char *p[] = { key };
    return sg_tdb_first_id(sg_db_exec(db, "SELECT coalesce(sg_recorded_ticket($1), 0)", 1, p, err));
}

char *sg_tdb_signed_parents(const sg_config *c, const sg_mail *m, long long ticket)
{
    size_t n;
    const char *const *ids = sg_mail_parent_ids(m, &n);
    GPtrArray *ok = g_ptr_array_new();
    long long now = sg_time_now(), named;
    for (size_t i = 0; i < n; i++)
        if (sg_token_verify(sg_config_tokens(c), ids[i], now, &named) && (ticket <= 0 || named == ticket))
            g_ptr_array_add(ok, (gpointer)ids[i]);
    char *arr = sg_db_array((const char *const *)ok->pdata, ok->len);
    g_ptr_array_free(ok, TRUE);
    return arr;
}

long long sg_tdb_by_reference(PGconn *db, const sg_config *c, const sg_mail *m, char **err)
{
    size_t n;
    const char *const *ids = sg_mail_parent_ids(m, &n);
    if (n == 0)
        return 0;
    char *parents = sg_db_array(ids, n), *signed_ids = sg_tdb_signed_parents(c, m, 0);
    const char *p[] = { parents, signed_ids };
    long long t = sg_tdb_first_id(sg_db_exec(db, "SELECT sg_ticket_by_reference($1::text[], $2::text[])", 2, p, err));
    g_free(parents);
    g_free(signed_ids);
    return t;
}

long long sg_tdb_current(PGconn *db, long long ticket, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, ticket);
    PGresult *r = sg_db_exec_params(db, "SELECT sg_current_ticket($1::bigint)", &p, err);
    long long t = r ? sg_db_int(r, 0, 0) : -1;
    PQclear(r);
    return t;
}

int sg_tdb_event(PGconn *db, long long ticket, sg_event_type type, const char *detail, char **err)
{
    return sg_tdb_event_at(db, ticket, type, detail, 0, err);
}

static int link_event(PGconn *db, long long t, long long other, const char *by, char **err)
{
    char *d = by ? g_strdup_printf("linked with #%lld by %s", other, by)
                 : g_strdup_printf("linked with #%lld: the customer wrote again after it was closed", other);
    int rc = sg_tdb_event(db, t, SG_EVENT_LINKED, d, err);
    g_free(d);
    return rc;
}

int sg_tdb_link(PGconn *db, long long a, long long b, const char *by, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, a);
    sg_param_int(&p, b);
    sg_param_text(&p, by);
    PGresult *res = sg_db_exec_params(db,
        "INSERT INTO ticket_links (ticket_id, other_id, type, by_agent) SELECT $1::bigint, $2::bigint, 'linked', $3"
        " WHERE NOT EXISTS (SELECT 1 FROM ticket_links WHERE type = 'linked'"
        "  AND ((ticket_id = $1::bigint AND other_id = $2::bigint) OR (ticket_id = $2::bigint AND other_id = $1::bigint)))"
        " RETURNING id", &p, err);
    if (!res)
        return -1;
    int added = PQntuples(res) == 1;
    PQclear(res);
    if (!added)
        return 0;
    if (link_event(db, a, b, by, err) < 0 || link_event(db, b, a, by, err) < 0)
        return -1;
    return 1;
}

int sg_tdb_file_internal(PGconn *db, long long ticket, const char *message_id, const char *sender, const sg_mail *m,
                         const char *queue_id, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, ticket);
    sg_param_text(&p, message_id);
    sg_param_text(&p, sender);
    sg_param_text(&p, sg_mail_subject(m));
    sg_param_text(&p, sg_mail_text(m));
    sg_param_text(&p, queue_id);
    return sg_db_run_params(db,
        "INSERT INTO messages (ticket_id, direction, kind, message_id, sender, recipients, subject, body, size,"
        " queue_id) VALUES ($1, 'in', 'internal', $2, $3, '{}', $4, $5, octet_length($5), $6)", &p, err);
}

int sg_tdb_event_at(PGconn *db, long long ticket, sg_event_type type, const char *detail, sg_time at, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, ticket);
    sg_param_text(&p, sg_event_type_name(type));
    sg_param_text(&p, detail);
    sg_param_time(&p, at);
    return sg_db_run_params(db,
        "INSERT INTO events (ticket_id, type, detail, at) VALUES ($1, $2, $3, coalesce(to_timestamp($4::bigint), sg_now()))",
        &p, err);
}

/* A time told to the customer (AT; 0: set but never told) becomes the ticket's open promise of its kind; the one it
 * replaces stays in the history, marked replaced at the same moment. */
int sg_tdb_promise(PGconn *db, long long ticket, sg_sla kind, sg_time due, sg_time told, sg_time at, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, ticket);
    sg_param_text(&p, sg_sla_name(kind));
    sg_param_time(&p, due);
    sg_param_time(&p, told);
    sg_param_time(&p, at);
    return sg_db_run_params(db,
        "WITH old AS (UPDATE promises SET replaced_at = to_timestamp($5::bigint)"
        "   WHERE ticket_id = $1::bigint AND kind = $2 AND replaced_at IS NULL)"
        " INSERT INTO promises (ticket_id, kind, due, told_at)"
        " VALUES ($1::bigint, $2, to_timestamp($3::bigint), CASE WHEN $4::bigint > 0 THEN to_timestamp($4::bigint) END)",
        &p, err);
}

int sg_tdb_estimate(PGconn *db, long long ticket, sg_time eta, long long warn_at, sg_time told, sg_time at,
                    const char *shown, const char *by, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, ticket);
    sg_param_time(&p, eta);
    sg_param_int(&p, warn_at);
    if (sg_db_run_params(db,
            "UPDATE tickets SET eta = to_timestamp($2::bigint), updated_at = sg_now(),"
            " warn_eta = CASE WHEN $3::int > 0 THEN sg_now() + (to_timestamp($2::bigint) - sg_now()) * ($3::int / 100.0) END"
            " WHERE id = $1::bigint", &p, err) < 0)
        return -1;
    if (sg_tdb_promise(db, ticket, SG_SLA_ETA, eta, told, at, err) < 0)
        return -1;
    char *d = g_strdup_printf("estimated resolution %s by %s", shown, by);
    int rc = sg_tdb_event(db, ticket, SG_EVENT_ETA, d, err);
    g_free(d);
    return rc;
}

/* Nothing to file it under (an agent's mail naming no ticket): only the outbox rows. */
static int queue_unfiled(PGconn *db, const sg_queued *q, const char *rcpts, const char *data, char **err)
{
    const char *p[] = { sg_outbox_kind_name(q->kind), q->env_from, rcpts, data };
    return sg_db_run(db, "INSERT INTO outbox (kind, env_from, rcpt, data)"
                         " SELECT $1, $2, r, convert_to($4, 'UTF8') FROM unnest($3::text[]) AS r", 4, p, err);
}

static int queue_filed(PGconn *db, const sg_queued *q, const char *rcpts, const char *data, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, q->ticket);
    sg_param_text(&p, sg_outbox_kind_name(q->kind));
    sg_param_text(&p, q->message_id);
    sg_param_text(&p, q->from);
    sg_param_text(&p, rcpts);
    sg_param_text(&p, q->subject);
    sg_param_text(&p, q->body);
    sg_param_text(&p, q->env_from);
    sg_param_text(&p, data);
    sg_param_text(&p, q->origin_id);
    sg_param_time(&p, q->not_before); /* none (NULL): now */
    sg_param_text(&p, q->agent);
    return sg_db_run_params(db,
        "WITH m AS (INSERT INTO messages (ticket_id, direction, kind, message_id, origin_id, sender, recipients,"
        "   subject, body, size, by_agent) VALUES ($1, 'out', $2, $3, $10, $4, $5::text[], $6, $7, octet_length($9), $12)"
        "   RETURNING id)"
        " INSERT INTO outbox (ticket_id, message_row, kind, env_from, rcpt, data, next_attempt_at)"
        "  SELECT $1, m.id, $2, $8, r, convert_to($9, 'UTF8'),"
        "   CASE WHEN $11::bigint > 0 THEN to_timestamp($11::bigint) ELSE sg_now() END"
        "  FROM m, unnest($5::text[]) AS r", &p, err);
}

int sg_tdb_compose_queue(PGconn *db, const sg_config *c, const sg_envelope *s, sg_outgoing *o, char **err)
{
    char ticket[32];
    g_snprintf(ticket, sizeof ticket, "%lld", s->ticket);
    if (s->ticket > 0)
        o->ticket = ticket;
    size_t len;
    char *data = sg_compose(o, &len);
    sg_queued q = { .ticket = s->ticket, .kind = s->kind, .message_id = o->message_id, .origin_id = s->origin,
                    .agent = s->agent,
                    .from = o->from_addr, .rcpts = s->rcpts, .n_rcpts = s->n_rcpts, .subject = o->subject,
                    .body = o->body, .env_from = sg_config_str(c, SG_CFG_BOUNCE_ADDRESS), .data = data, .len = len,
                    .not_before = s->not_before };
    int rc = sg_tdb_queue(db, &q, err);
    g_free(data);
    return rc;
}

int sg_tdb_queue(PGconn *db, const sg_queued *q, char **err)
{
    char *rcpts = sg_db_array(q->rcpts, q->n_rcpts);
    /* The composed message is 7-bit text: it travels as a text parameter. */
    char *data = g_strndup(q->data, q->len);
    int rc = q->ticket > 0 ? queue_filed(db, q, rcpts, data, err) : queue_unfiled(db, q, rcpts, data, err);
    if (rc == 0)
        rc = sg_db_run(db, "SELECT pg_notify('supportgate_outbox', '')", 0, NULL, err);
    g_free(rcpts);
    g_free(data);
    return rc;
}

/* A ticket's clocks as deadline.c needs them: moments as Unix seconds (NULL: 0), spans in seconds. */
static const char *recompute_read_sql =
    "SELECT team, category, status, extract(epoch FROM created_at)::bigint, extract(epoch FROM eta)::bigint,"
    "  (SELECT extract(epoch FROM max(at))::bigint FROM messages"
    "    WHERE ticket_id = t.id AND direction = 'out' AND kind IN ('agent', 'notice')),"
    "  extract(epoch FROM escalated_at)::bigint, paused_seconds, extract(epoch FROM resumed_at)::bigint,"
    "  extract(epoch FROM pending_since)::bigint, extract(epoch FROM update_since)::bigint,"
    "  coalesce(update_longest, -1), coalesce(resolution_seconds, -1), extract(epoch FROM resolved_at)::bigint,"
    "  extract(epoch FROM sg_now())::bigint"
    " FROM tickets t WHERE id = $1";
enum {
    R_TEAM, R_CATEGORY, R_STATUS, R_CREATED, R_ETA, R_LAST_UPDATE, R_ESCALATED, R_PAUSED, R_RESUMED,
    R_PENDING_SINCE, R_UPDATE_SINCE, R_UPDATE_LONGEST, R_RESOLUTION, R_RESOLVED, R_NOW
};

static const char *recompute_write_sql =
    "UPDATE tickets SET due_update = to_timestamp($2::double precision),"
    " due_resolution = to_timestamp($3::double precision),"
    " warn_update = to_timestamp($4::double precision),"
    " warn_resolution = to_timestamp($5::double precision),"
    " pending_since = to_timestamp($6::double precision), paused_seconds = $7::bigint,"
    " resumed_at = to_timestamp($8::double precision), update_since = to_timestamp($9::double precision),"
    " update_longest = nullif($10::bigint, -1), resolution_seconds = nullif($11::bigint, -1),"
    " hold_due = to_timestamp($12::double precision) WHERE id = $1";

/* While another team owns the ticket, the first line is reminded to write to the customer an update interval
 * (in its own hours) after the last news; the scheduler skips the reminders that fall in the owner's shift. */
static sg_time hold_due(const sg_config *c, const sg_deadline_in *in, const sg_deadline_out *out)
{
    const sg_team *first = sg_config_first_line(c);
    /* A team without a calendar is never away. */
    if (!sg_owner_first_line_holds(first, in->team) || in->team->n_calendars == 0 || !out->update_from)
        return 0;
    return sg_owner_hold_next(first, out->update_from, sg_config_num(c, SG_CFG_UPDATE_INTERVAL), out->update_from);
}

/* Pause, deadlines and measurements from the row R of recompute_read_sql, added to P as the parameters of
 * recompute_write_sql that follow the ticket's ($2 on). */
static void recompute(const sg_config *c, const PGresult *r, sg_params *p)
{
    sg_deadline_in in = { .team = sg_config_team_find(c, PQgetvalue(r, 0, R_TEAM)),
                          .category = sg_category_parse(PQgetvalue(r, 0, R_CATEGORY)),
                          .status = sg_status_parse(PQgetvalue(r, 0, R_STATUS)),
                          .created = sg_db_time(r, 0, R_CREATED), .eta = sg_db_time(r, 0, R_ETA),
                          .last_update = sg_db_time(r, 0, R_LAST_UPDATE), .escalated = sg_db_time(r, 0, R_ESCALATED),
                          .paused = sg_db_int(r, 0, R_PAUSED), .resumed = sg_db_time(r, 0, R_RESUMED) };
    sg_time pending_since = sg_db_time(r, 0, R_PENDING_SINCE), now = sg_db_time(r, 0, R_NOW);
    sg_deadline_times m = { .update_since = sg_db_time(r, 0, R_UPDATE_SINCE),
                            .update_longest = sg_db_int(r, 0, R_UPDATE_LONGEST),
                            .resolution = sg_db_int(r, 0, R_RESOLUTION) };
    sg_deadline_pause(&in, now, &pending_since);
    sg_deadline_out out;
    sg_deadline_compute(c, &in, &out);
    sg_deadline_measure(&in, &out, now, sg_db_time(r, 0, R_RESOLVED), &m);
    sg_param_time(p, out.update);
    sg_param_time(p, out.resolution);
    sg_param_time(p, out.warn_update);
    sg_param_time(p, out.warn_resolution);
    sg_param_time(p, pending_since);
    sg_param_int(p, in.paused);
    sg_param_time(p, in.resumed);
    sg_param_time(p, m.update_since);
    sg_param_int(p, m.update_longest);
    sg_param_int(p, m.resolution);
    sg_param_time(p, hold_due(c, &in, &out));
}

void sg_tdb_new_clocks(const sg_config *c, const sg_team *team, const char *category, sg_time now, long long v[6])
{
    sg_deadline_in in = { .team = team, .category = sg_category_parse(category), .status = SG_STATUS_NEW,
                          .created = now };
    sg_deadline_out out;
    sg_deadline_compute(c, &in, &out);
    sg_deadline_times m = { .update_longest = -1, .resolution = -1 };
    sg_deadline_measure(&in, &out, now, 0, &m);
    long long got[6] = { out.update, out.resolution, out.warn_update, out.warn_resolution, m.update_since,
                         hold_due(c, &in, &out) };
    memcpy(v, got, sizeof got);
}

int sg_tdb_recompute_due(PGconn *db, const sg_config *c, long long ticket, char **err)
{
    sg_params p; /* the ticket ($1) for the read, then the write's values */
    sg_params_init(&p);
    sg_param_int(&p, ticket);
    PGresult *r = sg_db_exec_params(db, recompute_read_sql, &p, err);
    if (!r)
        return -1;
    if (PQntuples(r) != 1) {
        PQclear(r);
        return 0;
    }
    recompute(c, r, &p);
    PQclear(r);
    return sg_db_run_params(db, recompute_write_sql, &p, err);
}
