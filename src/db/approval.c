/* approval.c - management approval by email: #approve asks the approvers, an authenticated approver decides. */
#include "approval.h"

#include <glib.h>
#include <string.h>

#include "address.h"
#include "compose.h"
#include "db.h"
#include "mailthread.h"
#include "phrase.h"
#include "rfc3834.h"
#include "ticketdb.h"
#include "verdict.h"
#include "wording.h"

#define CHECK_BATCH 50

static const char *support(const sg_config *c) { return sg_config_str(c, SG_CFG_SUPPORT_ADDRESS); }
static const char *staff_lang(const sg_config *c) { return sg_config_str(c, SG_CFG_STAFF_LANGUAGE); }
static const char *zone(const sg_config *c) { return sg_config_str(c, SG_CFG_DISPLAY_TIMEZONE); }

long long sg_approvers_count(PGconn *db, char **err)
{
    PGresult *r = sg_db_exec(db, "SELECT count(*) FROM approvers", 0, NULL, err);
    long long n = r ? sg_db_int(r, 0, 0) : -1;
    PQclear(r);
    return n;
}

/* Every approver's address; *NAMES "Name <address>, ..." for the mails that say who was asked. */
static GPtrArray *approvers(PGconn *db, GString *names, char **err)
{
    PGresult *r = sg_db_exec(db, "SELECT address, name FROM approvers ORDER BY address", 0, NULL, err);
    if (!r)
        return NULL;
    GPtrArray *to = g_ptr_array_new_with_free_func(g_free);
    for (int i = 0; i < PQntuples(r); i++) {
        g_ptr_array_add(to, g_strdup(PQgetvalue(r, i, 0)));
        g_string_append_printf(names, "%s%s <%s>", i ? ", " : "", PQgetvalue(r, i, 1), PQgetvalue(r, i, 0));
    }
    PQclear(r);
    return to;
}

/* A mail of the gateway's own about the ticket (to approvers or to the agent), filed under it as internal so it
 * never counts as news for the customer. */
typedef struct {
    const char *const *to;
    size_t n_to;
    const char *subject, *body, *kind, *in_reply_to, *auto_submitted;
} staff_mail;

static int send_staff(PGconn *db, const sg_config *c, long long ticket, const staff_mail *m, const char *mid,
                      char **err)
{
    char *own = mid ? NULL : sg_compose_message_id(sg_config_tokens(c), m->kind, ticket, sg_address_domain(support(c)));
    sg_outgoing o = { .from_addr = support(c), .from_name = sg_config_str(c, SG_CFG_SUPPORT_NAME), .to_addr = m->to[0],
                      .cc = m->to + 1, .n_cc = m->n_to - 1, .subject = m->subject,
                      .body = m->body, .message_id = mid ? mid : own, .in_reply_to = m->in_reply_to,
                      .auto_submitted = m->auto_submitted, .loop = support(c) };
    sg_envelope s = { .ticket = ticket, .kind = SG_OUT_INTERNAL, .rcpts = m->to, .n_rcpts = m->n_to };
    int rc = sg_tdb_compose_queue(db, c, &s, &o, err);
    g_free(own);
    return rc;
}

/* The request, or its reminder (REMIND), to every approver. */
static int mail_approvers(PGconn *db, const sg_config *c, const sg_tmail *tm, long long id, const char *text,
                          const char *asker, sg_time due, const char *request_mid, int remind, GString *names,
                          char **err)
{
    GPtrArray *to = approvers(db, names, err);
    if (!to)
        return -1;
    int rc = 0;
    if (to->len > 0) {
        const char *lang = staff_lang(c);
        char *apr = sg_thread_approval_tag_make(sg_config_str(c, SG_CFG_TAG_PREFIX), id);
        char *number = g_strdup_printf("#%lld", sg_tmail_ticket(tm)), *when = sg_words_stamp(zone(c), due);
        char *request = sg_phrase(lang, SG_PHRASE_APPROVAL_SUBJECT, "apr", apr, "text", text, "tag", number, NULL);
        char *subject = remind ? sg_phrase(lang, SG_PHRASE_APPROVAL_REMIND, "apr", apr, "text", text, "due", when, NULL)
                               : g_strdup(request);
        char *body = sg_phrase(lang, SG_PHRASE_APPROVAL_BODY, "agent", asker, "tag", sg_tmail_tag(tm), "text", text,
                               "requester", sg_tmail_requester(tm), "subject", sg_tmail_subject(tm), "due", when,
                               "timezone", zone(c), NULL);
        staff_mail m = { .to = (const char *const *)to->pdata, .n_to = to->len, .subject = subject, .body = body,
                         .kind = "approval", .in_reply_to = remind ? request_mid : NULL,
                         .auto_submitted = "auto-generated" };
        rc = send_staff(db, c, sg_tmail_ticket(tm), &m, remind ? NULL : request_mid, err);
        g_free(apr); g_free(number); g_free(when); g_free(request); g_free(subject); g_free(body);
    }
    g_ptr_array_unref(to);
    return rc;
}

long long sg_approval_request(PGconn *db, const sg_config *c, const sg_tmail *tm, const char *agent,
                              const char *agent_name, const char *text, sg_time now, char **err)
{
    PGresult *r = sg_db_exec(db, "SELECT nextval('approvals_id_seq')", 0, NULL, err);
    long long id = r ? sg_db_int(r, 0, 0) : -1;
    PQclear(r);
    if (id < 0)
        return -1;
    long long remind = sg_config_num(c, SG_CFG_APPROVAL_REMIND);
    sg_time due = now + sg_config_num(c, SG_CFG_APPROVAL_DUE);
    /* Named for the ticket, as all its mail: a reply that lost the APR tag still threads into the ticket. */
    char *mid = sg_compose_message_id(sg_config_tokens(c), "approval", sg_tmail_ticket(tm),
                                      sg_address_domain(support(c)));
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, id);
    sg_param_int(&p, sg_tmail_ticket(tm));
    sg_param_text(&p, text);
    sg_param_text(&p, agent);
    sg_param_time(&p, now);
    sg_param_time(&p, due);
    sg_param_time(&p, remind > 0 ? due - remind : 0);
    sg_param_text(&p, mid);
    int rc = sg_db_run_params(db,
        "INSERT INTO approvals (id, ticket_id, text, requested_by, requested_at, due, remind_at, message_id)"
        " VALUES ($1, $2, $3, $4, to_timestamp($5::bigint), to_timestamp($6::bigint), to_timestamp($7::bigint), $8)",
        &p, err);
    GString *names = g_string_new(NULL);
    char *asker = agent_name && *agent_name ? g_strdup_printf("%s <%s>", agent_name, agent) : g_strdup(agent);
    if (rc == 0)
        rc = mail_approvers(db, c, tm, id, text, asker, due, mid, 0, names, err);
    if (rc == 0) {
        char *when = sg_words_stamp(zone(c), due);
        char *d = g_strdup_printf("approval APR-%lld asked by %s: %s; approvers asked: %s; due %s", id, agent, text,
                                  names->str, when);
        rc = sg_tdb_event_at(db, sg_tmail_ticket(tm), SG_EVENT_APPROVAL, d, now, err);
        g_free(d);
        g_free(when);
    }
    g_free(asker);
    g_string_free(names, TRUE);
    g_free(mid);
    return rc < 0 ? -1 : id;
}

/* ------------------------------------------------------------------------------------------------------------
 * Answers */

enum { A_TICKET, A_TEXT, A_STATUS, A_ASKED_BY, A_DECIDED_BY, A_APPROVER, A_MID };

static const char *load_sql =
    "SELECT a.ticket_id, a.text, a.status, a.requested_by, coalesce(a.decided_by, ''),"
    "  (SELECT name FROM approvers WHERE address = lower($2)), a.message_id"
    " FROM approvals a WHERE a.id = $1::bigint FOR UPDATE";

typedef struct {
    PGconn *db;
    const sg_config *c;
    const sg_approval_in *in;
    sg_approval_out *out;
    char **err;
    PGresult *row;
    sg_tmail *tm;
    const char *who;  /* the login, else the From address */
    char *apr;        /* "[INTROSERV APR-7]" */
    sg_time now;
} answer;

/* Why the answer decides nothing (g_free), or NULL with *V and *REASON when it decides. */
static char *judge(const answer *a, sg_verdict *v, char **reason)
{
    *reason = NULL;
    if (!a->in->login)
        return g_strdup("An answer counts only from an approver logged in through the submission port; this one came"
                        " without a login.");
    if (PQgetisnull(a->row, 0, A_APPROVER))
        return g_strdup_printf("%s is not an approver (supportgate approver list).", a->in->login);
    if (strcmp(PQgetvalue(a->row, 0, A_STATUS), "pending"))
        return g_strdup_printf("It was decided already: %s by %s.", PQgetvalue(a->row, 0, A_STATUS),
                               PQgetvalue(a->row, 0, A_DECIDED_BY));
    *v = sg_verdict_read(sg_mail_text(a->in->mail), reason);
    if (*v != SG_VERDICT_NONE)
        return NULL;
    g_free(*reason);
    *reason = NULL;
    return g_strdup("The first word of the answer must be \"approve\" or \"deny\".");
}

/* The sender learns why nothing happened, unless the mail came from a machine (RFC 3834) or names nobody. */
static int refuse(answer *a, const char *why)
{
    GPtrArray *own = sg_config_own_addresses(a->c);
    sg_auto_verdict v = sg_auto_decide(a->in->mail, a->in->sender ? a->in->sender : "",
                                       (const char *const *)own->pdata, support(a->c));
    g_ptr_array_free(own, TRUE);
    char *d = g_strdup_printf("approval APR-%lld: an answer from %s decided nothing: %s", a->in->approval,
                              a->who ? a->who : "an unknown sender", why);
    int rc = sg_tdb_event_at(a->db, a->out->ticket, SG_EVENT_APPROVAL, d, a->now, a->err);
    g_free(d);
    a->out->kind = SG_APPROVAL_REFUSED;
    if (rc < 0 || v != SG_AUTO_OK || !a->who || !sg_address_valid(a->who))
        return rc;
    const char *lang = staff_lang(a->c);
    char *subject = sg_phrase(lang, SG_PHRASE_REFUSED_SUBJECT, "subject", sg_mail_subject(a->in->mail), NULL);
    char *body = sg_phrase(lang, SG_PHRASE_APPROVAL_REFUSED_BODY, "apr", a->apr, "why", why, NULL);
    staff_mail m = { .to = &a->who, .n_to = 1, .subject = subject, .body = body, .kind = "error",
                     .in_reply_to = sg_mail_message_id(a->in->mail), .auto_submitted = "auto-replied" };
    rc = send_staff(a->db, a->c, a->out->ticket, &m, NULL, a->err);
    g_free(subject);
    g_free(body);
    return rc;
}

/* Record the decision and tell the agent who asked. */
static int decide(answer *a, sg_verdict v, const char *reason)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, a->in->approval);
    sg_param_text(&p, sg_verdict_status(v));
    sg_param_text(&p, a->in->login);
    sg_param_text(&p, *reason ? reason : NULL);
    sg_param_time(&p, a->now);
    if (sg_db_run_params(a->db, "UPDATE approvals SET status = $2, decided_by = lower($3), reason = $4,"
                                " decided_at = to_timestamp($5::bigint) WHERE id = $1::bigint", &p, a->err) < 0)
        return -1;
    const char *text = PQgetvalue(a->row, 0, A_TEXT), *lang = staff_lang(a->c);
    char *d = g_strdup_printf("approval APR-%lld %s by %s%s%s", a->in->approval, sg_verdict_status(v), a->in->login,
                              *reason ? ": " : "", reason);
    int rc = sg_tdb_event_at(a->db, a->out->ticket, SG_EVENT_APPROVAL, d, a->now, a->err);
    g_free(d);
    if (rc < 0)
        return -1;
    char *decision = sg_phrase(lang, v == SG_VERDICT_APPROVE ? SG_PHRASE_APPROVAL_APPROVED : SG_PHRASE_APPROVAL_DENIED,
                               NULL);
    char *why = *reason ? g_strdup(reason) : sg_phrase(lang, SG_PHRASE_APPROVAL_NO_REASON, NULL);
    char *approver = g_strdup_printf("%s <%s>", PQgetvalue(a->row, 0, A_APPROVER), a->in->login);
    char *subject = sg_phrase(lang, SG_PHRASE_APPROVAL_DECIDED_SUBJECT, "tag", sg_tmail_tag(a->tm), "decision",
                              decision, "text", text, NULL);
    char *body = sg_phrase(lang, SG_PHRASE_APPROVAL_DECIDED_BODY, "approver", approver, "decision", decision, "apr",
                           a->apr, "text", text, "tag", sg_tmail_tag(a->tm), "reason", why, NULL);
    const char *agent = PQgetvalue(a->row, 0, A_ASKED_BY);
    staff_mail m = { .to = &agent, .n_to = 1, .subject = subject, .body = body, .kind = "decision",
                     .in_reply_to = PQgetvalue(a->row, 0, A_MID), .auto_submitted = "auto-generated" };
    rc = send_staff(a->db, a->c, a->out->ticket, &m, NULL, a->err);
    g_free(decision); g_free(why); g_free(approver); g_free(subject); g_free(body);
    a->out->kind = SG_APPROVAL_DECIDED;
    return rc;
}

/* Inside the transaction: 0 done (or not an approval), -1 error. */
static int handle(answer *a)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, a->in->approval);
    sg_param_text(&p, a->in->login ? a->in->login : "");
    a->row = sg_db_exec_params(a->db, load_sql, &p, a->err);
    if (!a->row)
        return -1;
    if (PQntuples(a->row) == 0)
        return 0;
    a->out->ticket = sg_db_int(a->row, 0, A_TICKET);
    a->tm = sg_tmail_load(a->db, a->c, a->out->ticket, a->err);
    if (!a->tm || sg_tdb_file_internal(a->db, a->out->ticket, a->out->message_id, a->who ? a->who : "", a->in->mail,
                                       a->in->queue_id, a->err) < 0)
        return -1;
    sg_verdict v = SG_VERDICT_NONE;
    char *reason = NULL, *why = judge(a, &v, &reason);
    int rc = why ? refuse(a, why) : decide(a, v, reason);
    g_free(why);
    g_free(reason);
    return rc;
}

int sg_approval_answer(PGconn *db, const sg_config *c, const sg_approval_in *in, sg_approval_out *out, char **err)
{
    memset(out, 0, sizeof *out);
    *err = NULL;
    answer a = { .db = db, .c = c, .in = in, .out = out, .err = err, .now = sg_time_now(),
                 .who = in->login ? in->login : sg_mail_from_addr(in->mail),
                 .apr = sg_thread_approval_tag_make(sg_config_str(c, SG_CFG_TAG_PREFIX), in->approval) };
    sg_tdb_message_key(in->mail, a.who ? a.who : "", c, out->message_id, sizeof out->message_id);
    long long seen = sg_tdb_recorded(db, out->message_id, err);
    int rc = seen < 0 ? -1 : 0;
    if (seen > 0) {
        out->kind = SG_APPROVAL_DUPLICATE;
        out->ticket = seen;
    } else if (rc == 0 && (rc = sg_db_begin(db, err)) == 0) {
        rc = handle(&a);
        if (rc == 0 && out->kind != SG_APPROVAL_UNKNOWN)
            rc = sg_db_commit(db, err);
        else
            sg_db_rollback(db);
    }
    PQclear(a.row);
    sg_tmail_free(a.tm);
    g_free(a.apr);
    return rc;
}

/* ------------------------------------------------------------------------------------------------------------
 * The clock */

enum { C_ID, C_TICKET, C_TEXT, C_ASKED_BY, C_DUE, C_MID, C_OVERDUE, C_NOW };

static const char *due_sql =
    "SELECT a.id, a.ticket_id, a.text, a.requested_by, extract(epoch FROM a.due)::bigint, a.message_id,"
    "  a.due <= n.at, extract(epoch FROM n.at)::bigint"
    " FROM approvals a, (SELECT coalesce($1::timestamptz, now()) AS at) n"
    " WHERE a.status = 'pending' AND a.breached_at IS NULL AND least(a.remind_at, a.due) <= n.at"
    "  AND (a.due <= n.at OR a.reminded_at IS NULL)"
    " ORDER BY least(a.remind_at, a.due), a.id LIMIT $2::int FOR UPDATE OF a SKIP LOCKED";

/* Nobody decided in time: a breach of sla "approval", and the agent who asked is told. */
static int overdue(PGconn *db, const sg_config *c, const PGresult *r, int i, const sg_tmail *tm, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_text(&p, PQgetvalue(r, i, C_ID));
    sg_param_text(&p, PQgetvalue(r, i, C_TICKET));
    sg_param_time(&p, sg_db_int(r, i, C_DUE));
    sg_param_time(&p, sg_db_int(r, i, C_NOW));
    if (sg_db_run_params(db,
            "WITH b AS (INSERT INTO breaches (ticket_id, sla, due, at) VALUES ($2::bigint, 'approval',"
            "   to_timestamp($3::bigint), to_timestamp($4::bigint)) ON CONFLICT DO NOTHING)"
            " UPDATE approvals SET breached_at = to_timestamp($4::bigint),"
            "  reminded_at = coalesce(reminded_at, to_timestamp($4::bigint)) WHERE id = $1::bigint", &p, err) < 0)
        return -1;
    const char *lang = staff_lang(c), *text = PQgetvalue(r, i, C_TEXT), *agent = PQgetvalue(r, i, C_ASKED_BY);
    char *apr = sg_thread_approval_tag_make(sg_config_str(c, SG_CFG_TAG_PREFIX), sg_db_int(r, i, C_ID));
    char *when = sg_words_stamp(zone(c), sg_db_int(r, i, C_DUE));
    char *d = g_strdup_printf("approval APR-%s not decided by %s: breach", PQgetvalue(r, i, C_ID), when);
    int rc = sg_tdb_event_at(db, sg_tmail_ticket(tm), SG_EVENT_BREACH, d, sg_db_int(r, i, C_NOW), err);
    GString *names = g_string_new(NULL);
    GPtrArray *to = rc == 0 ? approvers(db, names, err) : NULL;
    if (to) {
        char *subject = sg_phrase(lang, SG_PHRASE_APPROVAL_OVERDUE_SUBJECT, "tag", sg_tmail_tag(tm), "apr", apr, "text",
                                  text, NULL);
        char *body = sg_phrase(lang, SG_PHRASE_APPROVAL_OVERDUE_BODY, "apr", apr, "text", text, "tag",
                               sg_tmail_tag(tm), "due", when, "timezone", zone(c), "approvers", names->str, NULL);
        staff_mail m = { .to = &agent, .n_to = 1, .subject = subject, .body = body, .kind = "overdue",
                         .in_reply_to = PQgetvalue(r, i, C_MID), .auto_submitted = "auto-generated" };
        rc = send_staff(db, c, sg_tmail_ticket(tm), &m, NULL, err);
        g_free(subject);
        g_free(body);
        g_ptr_array_unref(to);
    } else {
        rc = -1;
    }
    g_string_free(names, TRUE);
    g_free(d); g_free(when); g_free(apr);
    return rc;
}

static int remind(PGconn *db, const sg_config *c, const PGresult *r, int i, const sg_tmail *tm, char **err)
{
    GString *names = g_string_new(NULL);
    int rc = mail_approvers(db, c, tm, sg_db_int(r, i, C_ID), PQgetvalue(r, i, C_TEXT), PQgetvalue(r, i, C_ASKED_BY),
                            sg_db_int(r, i, C_DUE), PQgetvalue(r, i, C_MID), 1, names, err);
    g_string_free(names, TRUE);
    sg_params p;
    sg_params_init(&p);
    sg_param_text(&p, PQgetvalue(r, i, C_ID));
    sg_param_time(&p, sg_db_int(r, i, C_NOW));
    return rc < 0 ? -1 : sg_db_run_params(db, "UPDATE approvals SET reminded_at = to_timestamp($2::bigint)"
                                              " WHERE id = $1::bigint", &p, err);
}

static int check(PGconn *db, const sg_config *c, const char *now, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_text(&p, now);
    sg_param_int(&p, CHECK_BATCH);
    PGresult *r = sg_db_exec_params(db, due_sql, &p, err);
    if (!r)
        return -1;
    int n = 0;
    for (int i = 0; i < PQntuples(r) && n >= 0; i++) {
        sg_tmail *tm = sg_tmail_load(db, c, sg_db_int(r, i, C_TICKET), err);
        int late = !strcmp(PQgetvalue(r, i, C_OVERDUE), "t");
        int rc = !tm ? -1 : late ? overdue(db, c, r, i, tm, err) : remind(db, c, r, i, tm, err);
        n = rc < 0 ? -1 : n + 1;
        sg_tmail_free(tm);
    }
    PQclear(r);
    return n;
}

int sg_approval_check(PGconn *db, const sg_config *c, const char *now, char **err)
{
    if (sg_db_begin(db, err) < 0)
        return -1;
    int n = check(db, c, now, err);
    if (n >= 0 && sg_db_commit(db, err) == 0)
        return n;
    sg_db_rollback(db);
    return -1;
}
