/* outbox.c - the queue of outgoing mail: claiming due rows under a lease, recording what the relay said. */
#include "outbox.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "ackmail.h"
#include "db.h"
#include "retry.h"

/* The columns claim returns; from ROW_LANG on, the ticket's facts for an acknowledgement still to be composed. */
enum {
    ROW_ID, ROW_TICKET, ROW_KIND, ROW_ENV_FROM, ROW_RCPT, ROW_DATA, ROW_ATTEMPTS,
    ROW_LANG, ROW_CHANNEL, ROW_SUBJECT, ROW_NAME, ROW_REQUESTER, ROW_CREATED, ROW_FIRST_RESPONSE_DUE, ROW_REFS
};

/* A claimed row stays leased for send_lease: a scheduler killed mid-send leaves it to another after
 * that, so a message is sent at most twice, and only when a sender died with it in flight.  Leases run
 * on the real clock even in a --now pass: they guard against other live schedulers, not the schedule.
 * This and the record of a sent mail are functions (sql/functions/outbox.sql) for their cached plans. */
static PGresult *claim(PGconn *db, const sg_config *c, const char *now, int batch, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_text(&p, now);
    sg_param_int(&p, sg_config_num(c, SG_CFG_SEND_LEASE));
    sg_param_int(&p, batch);
    return sg_db_exec_params(db, "SELECT * FROM sg_outbox_claim($1, $2, $3)", &p, err);
}

/* Sent: the message gets its time, an acknowledgement stamps the ticket, a late one is a breach. */
static int record_sent(PGconn *db, const char *id, const char *now, char **err)
{
    const char *p[] = { id, now };
    return sg_db_run(db, "SELECT sg_outbox_sent($1, $2)", 2, p, err);
}

static long long backoff(const sg_config *c, int attempts)
{
    return sg_retry_delay(sg_config_num(c, SG_CFG_RETRY_MIN), sg_config_num(c, SG_CFG_RETRY_MAX), attempts);
}

/* Not sent: retry later, or give up on a 5xx or after retry_give_up; a given-up mail is an event on
 * its ticket so nobody believes it arrived. */
static int record_failure(PGconn *db, const sg_config *c, const char *id, const char *now, int attempts,
                          int permanent, const char *detail, int *gave_up, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_text(&p, id);
    sg_param_text(&p, now);
    sg_param_int(&p, backoff(c, attempts));
    sg_param_int(&p, sg_config_num(c, SG_CFG_RETRY_GIVE_UP));
    sg_param_text(&p, detail);
    sg_param_bool(&p, permanent);
    PGresult *r = sg_db_exec_params(db,
        "WITH o AS (UPDATE outbox SET locked_until = NULL, last_error = $5,"
        "   next_attempt_at = coalesce($2::timestamptz, now()) + make_interval(secs => $3::double precision),"
        "   failed_at = CASE WHEN $6::bool OR created_at < coalesce($2::timestamptz, now())"
        "       - make_interval(secs => $4::double precision)"
        "     THEN coalesce($2::timestamptz, now()) END"
        "   WHERE id = $1::bigint RETURNING ticket_id, kind, rcpt, failed_at),"
        " e AS (INSERT INTO events (ticket_id, at, type, detail)"
        "   SELECT ticket_id, failed_at, 'notified', kind || ' to ' || rcpt || ' not delivered: ' || $5"
        "   FROM o WHERE failed_at IS NOT NULL AND ticket_id IS NOT NULL)"
        " SELECT failed_at IS NOT NULL FROM o", &p, err);
    if (!r)
        return -1;
    *gave_up = PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    return 0;
}

/* An acknowledgement the milter queued as facts: composed and stored now, before its first attempt. */
static char *pending_ack(PGconn *db, const sg_config *c, const PGresult *rows, int i, size_t *len, char **err)
{
    const char *name = PQgetisnull(rows, i, ROW_NAME) ? NULL : PQgetvalue(rows, i, ROW_NAME);
    sg_ack_facts f = { .outbox = sg_db_int(rows, i, ROW_ID), .ticket = sg_db_int(rows, i, ROW_TICKET),
                       .rcpt = PQgetvalue(rows, i, ROW_RCPT), .lang = PQgetvalue(rows, i, ROW_LANG),
                       .channel = PQgetvalue(rows, i, ROW_CHANNEL), .subject = PQgetvalue(rows, i, ROW_SUBJECT),
                       .name = name, .requester = PQgetvalue(rows, i, ROW_REQUESTER),
                       .refs = PQgetvalue(rows, i, ROW_REFS), .created = sg_db_time(rows, i, ROW_CREATED),
                       .first_response_due = sg_db_time(rows, i, ROW_FIRST_RESPONSE_DUE) };
    return sg_ack_compose(db, c, &f, len, err);
}

/* A template that cannot be read or a database error left the acknowledgement unwritten: it is tried again
 * like a mail the relay deferred, and given up after retry_give_up with an event on its ticket. */
static int uncomposed(PGconn *db, const sg_config *c, const PGresult *rows, int i, const char *now,
                      sg_outbox_report report, void *ctx, char **err)
{
    sg_outbox_result res = { .id = sg_db_int(rows, i, ROW_ID), .ticket = sg_db_int(rows, i, ROW_TICKET),
                             .kind = PQgetvalue(rows, i, ROW_KIND), .rcpt = PQgetvalue(rows, i, ROW_RCPT),
                             .attempts = atoi(PQgetvalue(rows, i, ROW_ATTEMPTS)), .status = SG_SMTP_TEMPORARY };
    char *why = g_strdup_printf("not composed: %s", *err ? *err : "unknown error");
    g_free(*err);
    *err = NULL;
    res.detail = why;
    int rc = record_failure(db, c, PQgetvalue(rows, i, ROW_ID), now, res.attempts, 0, why, &res.gave_up, err);
    if (rc == 0 && report)
        report(&res, ctx);
    g_free(why);
    return rc;
}

static int send_row(PGconn *db, const sg_config *c, sg_smtp *smtp, PGresult *rows, int i, const char *now,
                    sg_outbox_report report, void *ctx, char **err)
{
    size_t len = 0;
    char *composed = NULL;
    unsigned char *data = NULL;
    if (PQgetisnull(rows, i, ROW_DATA)) {
        if (!(composed = pending_ack(db, c, rows, i, &len, err)))
            return uncomposed(db, c, rows, i, now, report, ctx, err);
    } else if (!(data = PQunescapeBytea((const unsigned char *)PQgetvalue(rows, i, ROW_DATA), &len))) {
        *err = g_strdup("out of memory decoding an outbox row");
        return -1;
    }
    sg_outbox_result res = {
        .id = sg_db_int(rows, i, ROW_ID),
        .ticket = sg_db_int(rows, i, ROW_TICKET),
        .kind = PQgetvalue(rows, i, ROW_KIND), .rcpt = PQgetvalue(rows, i, ROW_RCPT),
        .attempts = atoi(PQgetvalue(rows, i, ROW_ATTEMPTS)),
    };
    char *detail = NULL;
    res.status = sg_smtp_send(smtp, PQgetvalue(rows, i, ROW_ENV_FROM), res.rcpt,
                              composed ? composed : (const char *)data, len, &detail);
    PQfreemem(data);
    g_free(composed);
    res.detail = detail;
    const char *id = PQgetvalue(rows, i, ROW_ID);
    int rc = res.status == SG_SMTP_SENT
        ? record_sent(db, id, now, err)
        : record_failure(db, c, id, now, res.attempts, res.status == SG_SMTP_PERMANENT, detail, &res.gave_up, err);
    if (rc == 0 && report)
        report(&res, ctx);
    g_free(detail);
    return rc;
}

int sg_outbox_send_due(PGconn *db, const sg_config *c, sg_smtp *smtp, const char *now, int batch,
                       sg_outbox_report report, void *ctx, char **err)
{
    PGresult *rows = claim(db, c, now, batch, err);
    if (!rows)
        return -1;
    int n = PQntuples(rows), rc = 0;
    for (int i = 0; i < n && rc == 0; i++)
        rc = send_row(db, c, smtp, rows, i, now, report, ctx, err);
    PQclear(rows);
    return rc < 0 ? -1 : n;
}

double sg_outbox_next_due(PGconn *db, char **err)
{
    PGresult *r = sg_db_exec(db, "SELECT sg_outbox_next_due()", 0, NULL, err);
    if (!r)
        return -1;
    double s = PQgetisnull(r, 0, 0) ? -1 : g_ascii_strtod(PQgetvalue(r, 0, 0), NULL);
    PQclear(r);
    return s;
}
