/* ticketmail.c - mail about one ticket: to its customer from a template, to a team with its history, threaded under the request. */
#include "ticketmail.h"

#include <stdio.h>
#include <string.h>

#include "address.h"
#include "attachdb.h"
#include "db.h"
#include "letter.h"
#include "phrase.h"
#include "template.h"
#include "mailthread.h"
#include "ticketdb.h"

struct sg_tmail {
    long long ticket;
    char *requester, *requester_name, *subject, *lang, *team, *category;
    char *last_customer;  /* the customer's latest Message-ID: what our mail answers */
    char *machine;        /* why the mail that opened the ticket came from a machine (RFC 3834), else NULL */
    char *thread_ids;     /* every id of the conversation, oldest first, blank-separated */
    char **cc;
    char tag[64];
};

enum { L_REQUESTER, L_REQUESTER_NAME, L_SUBJECT, L_LANG, L_TEAM, L_CATEGORY, L_CC, L_LAST_CUSTOMER, L_THREAD, L_MACHINE };

sg_tmail *sg_tmail_load(PGconn *db, const sg_config *c, long long ticket, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, ticket);
    PGresult *res = sg_db_exec_params(db,
        "SELECT requester, coalesce(requester_name, ''), subject, lang, team, category, array_to_string(cc, ' '),"
        "  (SELECT message_id FROM messages WHERE ticket_id = t.id AND kind = 'customer' ORDER BY at DESC, id DESC"
        "    LIMIT 1),"
        "  (SELECT string_agg(message_id, ' ' ORDER BY at, id) FROM messages"
        "    WHERE ticket_id = t.id AND kind IN ('customer', 'agent', 'ack')),"
        "  (SELECT auto_verdict FROM messages WHERE ticket_id = t.id AND kind = 'customer' ORDER BY at, id LIMIT 1)"
        " FROM tickets t WHERE id = $1 FOR UPDATE", &p, err);
    if (!res)
        return NULL;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return NULL;
    }
    sg_tmail *t = g_new0(sg_tmail, 1);
    t->ticket = ticket;
    t->requester = g_strdup(PQgetvalue(res, 0, L_REQUESTER));
    t->requester_name = g_strdup(PQgetvalue(res, 0, L_REQUESTER_NAME));
    t->subject = g_strdup(PQgetvalue(res, 0, L_SUBJECT));
    t->lang = g_strdup(PQgetvalue(res, 0, L_LANG));
    t->team = g_strdup(PQgetvalue(res, 0, L_TEAM));
    t->category = g_strdup(PQgetvalue(res, 0, L_CATEGORY));
    t->cc = g_strsplit(PQgetvalue(res, 0, L_CC), " ", -1);
    t->last_customer = PQgetisnull(res, 0, L_LAST_CUSTOMER) ? NULL : g_strdup(PQgetvalue(res, 0, L_LAST_CUSTOMER));
    t->thread_ids = g_strdup(PQgetvalue(res, 0, L_THREAD));
    t->machine = PQgetisnull(res, 0, L_MACHINE) ? NULL : g_strdup(PQgetvalue(res, 0, L_MACHINE));
    PQclear(res);
    char *tag = sg_thread_tag_make(sg_config_str(c, SG_CFG_TAG_PREFIX), ticket);
    g_strlcpy(t->tag, tag, sizeof t->tag);
    g_free(tag);
    return t;
}

void sg_tmail_free(sg_tmail *t)
{
    if (!t)
        return;
    g_free(t->requester); g_free(t->requester_name); g_free(t->subject); g_free(t->lang); g_free(t->team);
    g_free(t->category); g_free(t->last_customer); g_free(t->thread_ids); g_free(t->machine);
    g_strfreev(t->cc);
    g_free(t);
}

long long sg_tmail_ticket(const sg_tmail *t) { return t->ticket; }
const char *sg_tmail_tag(const sg_tmail *t) { return t->tag; }
const char *sg_tmail_subject(const sg_tmail *t) { return t->subject; }
const char *sg_tmail_requester(const sg_tmail *t) { return t->requester; }
const char *sg_tmail_requester_name(const sg_tmail *t) { return t->requester_name; }
const char *sg_tmail_lang(const sg_tmail *t) { return t->lang; }
const char *sg_tmail_team(const sg_tmail *t) { return t->team; }
const char *sg_tmail_category(const sg_tmail *t) { return t->category; }

void sg_tmail_moved(sg_tmail *t, const char *team)
{
    g_free(t->team);
    t->team = g_strdup(team);
}

void sg_tmail_thread(const sg_tmail *t, sg_outgoing *o, char ***refs)
{
    *refs = g_strsplit(t->thread_ids ? t->thread_ids : "", " ", -1);
    o->in_reply_to = t->last_customer;
    o->references = (const char *const *)*refs;
    o->n_references = g_strv_length(*refs);
}

GPtrArray *sg_tmail_customer_rcpts(const sg_tmail *t)
{
    GPtrArray *a = g_ptr_array_new();
    g_ptr_array_add(a, t->requester);
    for (char **c = t->cc; c && *c; c++)
        if (**c)
            g_ptr_array_add(a, *c);
    return a;
}

static const char *support(const sg_config *c) { return sg_config_str(c, SG_CFG_SUPPORT_ADDRESS); }

char *sg_tmail_render(const sg_config *c, const sg_tmail *t, const char *name, const sg_tmail_vars *v, char **subject,
                      char **err)
{
    *subject = NULL;
    char *tpl = sg_template_load(sg_config_str(c, SG_CFG_TEMPLATE_DIR), name, t->lang, err);
    if (!tpl)
        return NULL;
    sg_letter l = { .c = c, .lang = t->lang, .tag = t->tag, .subject = t->subject, .name = t->requester_name,
                    .now = v->now, .team = v->team, .reason = v->reason, .news_due = v->news_due, .eta = v->eta,
                    .into_tag = v->into_tag, .incident_title = v->incident_title, .update = v->update };
    char *text = sg_letter_render(&l, tpl);
    char *body = sg_template_split_subject(text, subject);
    g_free(tpl);
    g_free(text);
    return body;
}

int sg_tmail_to_customer(PGconn *db, const sg_config *c, const sg_tmail *t, const char *name,
                         const sg_tmail_vars *v, char **err)
{
    /* A ticket a bounce or an auto-reply opened gets no automatic mail later either (an escalation notice, an
     * estimate), as it got no acknowledgement: it would go to a mailer daemon or start a loop. */
    if (t->machine) {
        char *d = g_strdup_printf("no %s notice: the ticket came from a machine (%s)", name, t->machine);
        int rc = sg_tdb_event(db, t->ticket, SG_EVENT_NOTIFIED, d, err);
        g_free(d);
        return rc;
    }
    char *subject = NULL, *body = sg_tmail_render(c, t, name, v, &subject, err);
    if (!body)
        return -1;
    char *mid = sg_compose_message_id(sg_config_tokens(c), name, t->ticket, sg_address_domain(support(c))), **refs;
    GPtrArray *rcpts = sg_tmail_customer_rcpts(t);
    sg_outgoing o = { .from_addr = support(c), .from_name = sg_config_str(c, SG_CFG_SUPPORT_NAME),
                      .to_addr = t->requester, .to_name = t->requester_name,
                      .cc = (const char *const *)rcpts->pdata + 1, .n_cc = rcpts->len - 1,
                      .subject = subject ? subject : t->tag, .body = body, .message_id = mid,
                      .auto_submitted = "auto-generated", .loop = support(c) };
    sg_tmail_thread(t, &o, &refs);
    sg_envelope s = { .ticket = t->ticket, .kind = SG_OUT_NOTICE, .rcpts = (const char *const *)rcpts->pdata,
                  .n_rcpts = rcpts->len };
    int rc = sg_tdb_compose_queue(db, c, &s, &o, err);
    g_ptr_array_free(rcpts, TRUE);
    g_strfreev(refs);
    g_free(subject); g_free(body); g_free(mid);
    return rc;
}

int sg_tmail_answer(PGconn *db, const sg_config *c, const sg_tmail *t, const sg_tmail_answer_in *a, char **message_id,
                    char **err)
{
    char *from_name = g_strdup_printf("%s \xe2\x80\x94 %s", a->agent_name, sg_config_str(c, SG_CFG_SUPPORT_NAME));
    char *mid = sg_compose_message_id(sg_config_tokens(c), "reply", t->ticket, sg_address_domain(support(c))), **refs;
    GPtrArray *rcpts = sg_tmail_customer_rcpts(t);
    sg_outgoing o = { .from_addr = support(c), .from_name = from_name, .to_addr = t->requester,
                      .to_name = t->requester_name, .cc = (const char *const *)rcpts->pdata + 1, .n_cc = rcpts->len - 1,
                      .subject = a->subject, .body = a->body, .message_id = mid, .files = a->files,
                      .n_files = a->n_files };
    sg_tmail_thread(t, &o, &refs);
    sg_envelope s = { .ticket = t->ticket, .kind = SG_OUT_AGENT, .rcpts = (const char *const *)rcpts->pdata,
                      .n_rcpts = rcpts->len, .origin = a->origin, .agent = a->agent };
    int rc = sg_tdb_compose_queue(db, c, &s, &o, err);
    if (rc == 0) {
        sg_params p;
        sg_params_init(&p);
        sg_param_int(&p, t->ticket);
        rc = sg_db_run_params(db,
            "UPDATE tickets SET first_response_at = coalesce(first_response_at, sg_now()), updated_at = sg_now(),"
            " status = CASE WHEN status = 'new' THEN 'open' ELSE status END WHERE id = $1", &p, err);
    }
    g_ptr_array_free(rcpts, TRUE);
    g_strfreev(refs);
    g_free(from_name);
    if (rc == 0)
        *message_id = mid;
    else
        g_free(mid);
    return rc;
}

#define QUOTED_LINES 30 /* of each mail of the last exchange */

enum { X_AT, X_WHO, X_DIRECTION, X_BODY };

/* The closed ticket's last mail from the customer and last answer they got, newest first. */
static const char *last_exchange_sql =
    "SELECT to_char(m.at AT TIME ZONE $2, 'YYYY-MM-DD HH24:MI'),"
    "  CASE WHEN m.direction = 'in' THEN coalesce(nullif(m.sender_name, ''), m.sender)"
    "   ELSE coalesce(a.name, m.by_agent, m.sender) END, m.direction, m.body"
    " FROM messages m LEFT JOIN agents a ON a.address = m.by_agent WHERE m.ticket_id = $1::bigint"
    "  AND ((m.direction = 'in' AND m.kind = 'customer') OR (m.direction = 'out' AND m.kind = 'agent'))"
    " ORDER BY m.at DESC, m.id DESC LIMIT 2";

/* "2026-11-20 10:02  Ivan wrote:" and the mail quoted ("> "), oldest first. */
static char *quote_exchange(const PGresult *r, const char *lang)
{
    GString *s = g_string_new(NULL);
    for (int i = PQntuples(r) - 1; i >= 0; i--) {
        int in = PQgetvalue(r, i, X_DIRECTION)[0] == 'i';
        char *head = sg_phrase(lang, in ? SG_PHRASE_FOLLOWS_WROTE : SG_PHRASE_FOLLOWS_ANSWERED, "at",
                               PQgetvalue(r, i, X_AT), "who", PQgetvalue(r, i, X_WHO), NULL);
        g_string_append_printf(s, "%s\n", head);
        g_free(head);
        char **lines = g_strsplit(PQgetvalue(r, i, X_BODY), "\n", -1);
        int n = 0;
        for (; lines[n] && n < QUOTED_LINES; n++)
            g_string_append_printf(s, "> %s\n", lines[n]);
        if (lines[n])
            g_string_append(s, "> [...]\n");
        g_string_append_c(s, '\n');
        g_strfreev(lines);
    }
    return g_string_free(s, FALSE);
}

int sg_tmail_follow_up_note(PGconn *db, const sg_config *c, const sg_tmail *t, long long old, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, old);
    sg_param_text(&p, sg_config_str(c, SG_CFG_DISPLAY_TIMEZONE));
    PGresult *x = sg_db_exec_params(db, last_exchange_sql, &p, err);
    PGresult *closed = x ? sg_db_exec_params(db, "SELECT coalesce(to_char(closed_at AT TIME ZONE $2,"
                                                 " 'YYYY-MM-DD HH24:MI'), '') FROM tickets WHERE id = $1::bigint", &p, err)
                         : NULL;
    const sg_team *team = sg_config_team_find(c, t->team), *first = sg_config_first_line(c);
    int rc = closed ? 0 : -1;
    if (rc == 0 && PQntuples(closed) == 1 && (team || first)) {
        const char *lang = sg_config_str(c, SG_CFG_STAFF_LANGUAGE);
        char *old_tag = sg_thread_tag_make(sg_config_str(c, SG_CFG_TAG_PREFIX), old), *exchange = quote_exchange(x, lang);
        char *subject = sg_phrase(lang, SG_PHRASE_FOLLOWS_SUBJECT, "tag", t->tag, "old", old_tag, NULL);
        char *body = sg_phrase(lang, SG_PHRASE_FOLLOWS_BODY, "tag", t->tag, "old", old_tag, "closed",
                               PQgetvalue(closed, 0, 0), "timezone", sg_config_str(c, SG_CFG_DISPLAY_TIMEZONE),
                               "exchange", exchange, NULL);
        const char *to[2] = { team ? team->mailbox : first->mailbox, first ? first->mailbox : NULL };
        size_t n = to[1] && g_ascii_strcasecmp(to[0], to[1]) ? 2 : 1;
        char *mid = sg_compose_message_id(sg_config_tokens(c), "follows", t->ticket, sg_address_domain(support(c)));
        char **refs;
        sg_outgoing o = { .from_addr = support(c), .from_name = sg_config_str(c, SG_CFG_SUPPORT_NAME), .to_addr = to[0],
                          .cc = to + 1, .n_cc = n - 1, .subject = subject, .body = body, .message_id = mid,
                          .auto_submitted = "auto-generated", .loop = support(c) };
        sg_tmail_thread(t, &o, &refs);
        sg_envelope s = { .ticket = t->ticket, .kind = SG_OUT_INTERNAL, .rcpts = to, .n_rcpts = n };
        rc = sg_tdb_compose_queue(db, c, &s, &o, err);
        g_strfreev(refs);
        g_free(old_tag); g_free(exchange); g_free(subject); g_free(body); g_free(mid);
    }
    PQclear(x);
    PQclear(closed);
    return rc;
}

int sg_tmail_to_team(PGconn *db, const sg_config *c, const sg_tmail *t, const sg_team *team, const char *headline,
                     sg_time not_before, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, t->ticket);
    sg_param_text(&p, sg_config_str(c, SG_CFG_DISPLAY_TIMEZONE));
    PGresult *res = sg_db_exec_params(db,
        "SELECT coalesce(string_agg(to_char(at AT TIME ZONE $2, 'YYYY-MM-DD HH24:MI') || '  ' || direction || ' '"
        "  || kind || '  ' || sender || E'\\n' || body, E'\\n\\n---\\n\\n' ORDER BY at, id), '')"
        " FROM messages WHERE ticket_id = $1", &p, err);
    if (!res)
        return -1;
    char *left_out = NULL;
    GPtrArray *files = sg_attach_load(db, c, t->ticket, &left_out, err);
    if (!files) {
        PQclear(res);
        return -1;
    }
    char *body = sg_phrase(sg_config_str(c, SG_CFG_STAFF_LANGUAGE), SG_PHRASE_TEAM_COPY_BODY, "headline", headline,
                           "tag", t->tag, "subject", t->subject, "requester", t->requester, "history",
                           PQgetvalue(res, 0, 0), NULL);
    PQclear(res);
    if (left_out) {
        char *more = sg_phrase(sg_config_str(c, SG_CFG_STAFF_LANGUAGE), SG_PHRASE_TEAM_COPY_LEFT_OUT, "files", left_out,
                               NULL);
        char *joined = g_strconcat(body, "\n", more, NULL);
        g_free(body); g_free(more);
        body = joined;
    }
    char *subject = g_strdup_printf("%s %s", t->tag, t->subject);
    char *mid = sg_compose_message_id(sg_config_tokens(c), "team", t->ticket, sg_address_domain(support(c))), **refs;
    sg_outgoing o = { .from_addr = support(c), .from_name = sg_config_str(c, SG_CFG_SUPPORT_NAME),
                      .to_addr = team->mailbox, .subject = subject, .body = body, .message_id = mid,
                      .auto_submitted = "auto-generated", .loop = support(c),
                      .files = (const sg_attachment *const *)files->pdata, .n_files = files->len };
    sg_tmail_thread(t, &o, &refs);
    sg_envelope s = { .ticket = t->ticket, .kind = SG_OUT_INTERNAL, .rcpts = &team->mailbox, .n_rcpts = 1,
                  .not_before = not_before };
    int rc = sg_tdb_compose_queue(db, c, &s, &o, err);
    g_strfreev(refs);
    g_ptr_array_unref(files);
    g_free(body); g_free(subject); g_free(mid); g_free(left_out);
    return rc;
}
