/* ingest.c - records one received mail: threading, ticket, message, event and acknowledgement in one transaction. */
#include "ingest.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "address.h"
#include "attachdb.h"
#include "classify.h"
#include "compose.h"
#include "db.h"
#include "domain.h"
#include "letter.h"
#include "rfc3834.h"
#include "template.h"
#include "mailthread.h"
#include "owner.h"
#include "ticketdb.h"
#include "ticketmail.h"

/* Everything one ingest works with, so that steps stay short functions. */
typedef struct {
    PGconn *db;
    const sg_config *c;
    const sg_ingest_in *in;
    sg_ingest_out *out;
    const char *sender;   /* From address, else the envelope sender */
    const char *ack_rcpt; /* envelope sender, lower-case (g_free) */
    char *note;           /* extra event detail (g_free) */
    long long now, first_response_due; /* the database's clock at the ticket's creation, and its deadline */
    const char *overflowed; /* the team an overload sent the new ticket to instead of the first line, or NULL */
    long long follows;      /* a closed ticket of this sender's that the new one follows up, or 0 */
    long long row;          /* the id of the message row recorded */
    char **err;
} ingest;

static long long recorded_ticket(ingest *g)
{
    long long t = sg_tdb_recorded(g->db, g->out->message_id, g->err);
    return t < 0 ? 0 : t;
}

/* The ticket named by a subject tag, but only for someone who belongs on it: the requester, a kept Cc,
 * or whoever answers a Message-ID supportgate sent on it (a token signed for that ticket: one cannot be
 * guessed or made up).  Anyone else gets a new ticket.  A closed ticket takes the mail within reopen_window
 * of its closing (touch_ticket reopens it); later the mail opens a new ticket, linked to it (g->follows). */
static long long thread_by_tag(ingest *g, long long tagged)
{
    const char *who[] = { g->sender, g->ack_rcpt };
    char *senders = sg_db_array(who, 2);
    char *parents = sg_tdb_signed_parents(g->c, g->in->mail, tagged);
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, tagged);
    sg_param_text(&p, senders);
    sg_param_text(&p, parents);
    sg_param_int(&p, sg_config_num(g->c, SG_CFG_REOPEN_WINDOW));
    PGresult *r = sg_db_exec_params(g->db,
        "SELECT t.id, t.status <> 'closed' OR (t.merged_into IS NULL AND $4::bigint > 0"
        "   AND t.closed_at > sg_now() - make_interval(secs => $4::double precision))"
        " FROM tickets t WHERE t.id = $1 AND ("
        " lower(t.requester) = ANY($2::text[]) OR t.cc && $2::text[] OR EXISTS ("
        "  SELECT 1 FROM messages m WHERE m.ticket_id = t.id AND m.direction = 'out'"
        "   AND m.message_id = ANY($3::text[])))", &p, g->err);
    g_free(senders);
    g_free(parents);
    if (!r)
        return 0;
    int found = PQntuples(r) == 1, joins = found && PQgetvalue(r, 0, 1)[0] == 't';
    PQclear(r);
    if (joins)
        return tagged;
    if (found) {
        g->follows = tagged;
        g->note = g_strdup_printf("; follows up ticket #%lld, closed longer than reopen_window ago: linked", tagged);
    } else {
        g->note = g_strdup_printf("; mentions ticket #%lld, not joined (sender not on that ticket)", tagged);
    }
    return 0;
}

/* 0 when the mail starts a new ticket; -1 on a database error. */
static long long find_ticket(ingest *g)
{
    long long tagged = sg_thread_tag(sg_mail_subject(g->in->mail), sg_config_str(g->c, SG_CFG_TAG_PREFIX));
    *g->err = NULL;
    /* A merged ticket's tag leads to the ticket it went into. */
    if (tagged > 0 && (tagged = sg_tdb_current(g->db, tagged, g->err)) < 0)
        return -1;
    long long t = tagged ? thread_by_tag(g, tagged) : 0;
    if (t == 0 && !*g->err)
        t = sg_tdb_by_reference(g->db, g->c, g->in->mail, g->err);
    return *g->err ? -1 : t;
}

/* Why RFC 3834 says the mail came from a machine (an auto-reply, a bounce, a list, one of our own addresses), or
 * NULL for a person. */
static const char *machine_mail(const ingest *g)
{
    GPtrArray *own = sg_config_own_addresses(g->c);
    sg_auto_verdict v = sg_auto_decide(g->in->mail, g->in->envelope_sender, (const char *const *)own->pdata,
                                       sg_config_str(g->c, SG_CFG_SUPPORT_ADDRESS));
    g_ptr_array_free(own, TRUE);
    return v == SG_AUTO_OK ? NULL : sg_auto_verdict_name(v);
}

/* Whether an acknowledgement may go out: RFC 3834 first, then the per-sender hourly limit, counted
 * under a per-sender transaction lock so concurrent mails from one sender cannot both slip under it. */
static const char *ack_refusal(ingest *g)
{
    const sg_config *c = g->c;
    const char *machine = machine_mail(g);
    if (machine)
        return machine;
    sg_params p;
    sg_params_init(&p);
    sg_param_text(&p, g->ack_rcpt);
    sg_param_int(&p, sg_config_num(c, SG_CFG_ACK_LIMIT_PER_HOUR));
    /* The lock and the count are two statements: a statement's snapshot is taken before it waits for the
     * lock, so a count in the same statement would miss the ack the previous holder just committed.  The
     * lock takes the recipient alone. */
    PGresult *r = NULL;
    if (sg_db_run(g->db, "SELECT pg_advisory_xact_lock(hashtext('sg-ack:' || $1))", 1, p.v, g->err) == 0)
        r = sg_db_exec_params(g->db,
            "SELECT count(*) >= $2::int FROM outbox WHERE kind = 'ack' AND rcpt = $1"
            "  AND created_at > sg_now() - interval '1 hour'", &p, g->err);
    if (!r)
        return NULL;
    int over = PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    return over ? "rate-limit" : "";
}

static char *intake_cc(ingest *g)
{
    size_t nt, nc;
    const char *const *to = sg_mail_to(g->in->mail, &nt);
    const char *const *cc = sg_mail_cc(g->in->mail, &nc);
    GPtrArray *keep = g_ptr_array_new();
    for (size_t i = 0; i < nt + nc; i++) {
        const char *a = i < nt ? to[i] : cc[i - nt];
        /* Our own addresses and the requester are not customer-side copies. */
        if (!sg_config_intake_find(g->c, a) && g_ascii_strcasecmp(a, g->sender) != 0 &&
            g_ascii_strcasecmp(a, sg_config_str(g->c, SG_CFG_SUPPORT_ADDRESS)) != 0)
            g_ptr_array_add(keep, (gpointer)a);
    }
    char *arr = sg_db_array((const char *const *)keep->pdata, keep->len);
    g_ptr_array_free(keep, TRUE);
    return arr;
}

static long long create_ticket(ingest *g, int acked)
{
    const sg_mail *m = g->in->mail;
    char *cc = intake_cc(g);
    /* Classification rules may send it straight to a specialist team; the first line otherwise. */
    const char *team_name = NULL, *category = sg_category_name(SG_CATEGORY_STANDARD);
    sg_rules_match(sg_config_rules(g->c), sg_mail_subject(m), sg_mail_text(m), &team_name, &category);
    const sg_team *team = team_name ? sg_config_team_find(g->c, team_name) : sg_config_first_line(g->c);
    g_strlcpy(g->out->team, team ? team->name : "support", sizeof g->out->team);
    /* While the first line is overloaded (backlog.c keeps the episode) a standard request it would take goes to
     * the overflow team; the statement reads the open episode, so no extra round trip. */
    const sg_team *spill = sg_config_team_find(g->c, sg_config_str(g->c, SG_CFG_OVERFLOW_TEAM));
    if (!spill || team != sg_config_first_line(g->c) || strcmp(category, sg_category_name(SG_CATEGORY_STANDARD)))
        spill = NULL;
    sg_params p;
    sg_params_init(&p);
    sg_param_text(&p, g->in->intake->channel);
    sg_param_text(&p, g->sender);
    sg_param_text(&p, sg_mail_from_name(m));
    sg_param_text(&p, cc);
    sg_param_text(&p, sg_mail_lang(m));
    sg_param_text(&p, sg_mail_subject(m));
    if (acked)
        sg_param_int(&p, g->in->intake->ack_target);
    else
        sg_param_text(&p, NULL); /* no acknowledgement is due */
    sg_param_int(&p, sg_config_num(g->c, SG_CFG_FIRST_RESPONSE_TARGET));
    sg_param_text(&p, team ? team->name : "support");
    sg_param_int(&p, team ? team->level : 1);
    sg_param_text(&p, category);
    sg_param_int(&p, sg_config_num(g->c, SG_CFG_WARN_AT));
    sg_param_text(&p, spill ? spill->name : NULL);
    sg_param_int(&p, spill ? spill->level : 0);
    /* The first-response clock runs around the clock, so its warning is a plain share of the span.  The
     * acknowledgement names the deadline, so it comes back with the id. */
    PGresult *r = sg_db_exec_params(g->db,
        "WITH spill AS (SELECT $13::text AS team, $14::int AS level FROM overload_episodes"
        "   WHERE ended_at IS NULL AND $13::text IS NOT NULL)"
        " INSERT INTO tickets (channel, requester, requester_name, cc, lang, subject, due_ack, due_first_response,"
        "  team, level, category, warn_first_response)"
        " VALUES ($1, $2, $3, $4::text[], $5, $6,"
        "  sg_now() + make_interval(secs => $7::double precision),"
        "  sg_now() + make_interval(secs => $8::double precision),"
        "  coalesce((SELECT team FROM spill), $9), coalesce((SELECT level FROM spill), $10::int), $11,"
        "  CASE WHEN $12::int > 0 THEN sg_now() + make_interval(secs => $8::double precision * $12::int / 100) END)"
        " RETURNING id, extract(epoch FROM due_first_response)::bigint, extract(epoch FROM sg_now())::bigint, team",
        &p, g->err);
    long long t = r ? 0 : -1;
    if (r && PQntuples(r) == 1) {
        t = sg_db_int(r, 0, 0);
        g->first_response_due = sg_db_time(r, 0, 1);
        g->now = sg_db_time(r, 0, 2);
        if (strcmp(PQgetvalue(r, 0, 3), g->out->team) != 0) {
            g->overflowed = spill->name;
            g_strlcpy(g->out->team, spill->name, sizeof g->out->team);
        }
    }
    PQclear(r);
    g_free(cc);
    return t;
}

static int add_event(ingest *g, sg_event_type type, const char *detail)
{
    return sg_tdb_event(g->db, g->out->ticket, type, detail, g->err);
}

/* A customer's reply brings a resolved ticket back to work, and a ticket pending on them back to us.  An
 * out-of-office or a bounce (MACHINE, the RFC 3834 reason) is kept on the ticket but moves nothing: it is
 * not the customer answering. */
static int touch_ticket(ingest *g, const char *machine)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, g->out->ticket);
    sg_param_bool(&p, !machine);
    PGresult *r = sg_db_exec_params(g->db,
        "WITH old AS (SELECT status FROM tickets WHERE id = $1 FOR UPDATE)"
        " UPDATE tickets t SET updated_at = sg_now(),"
        "  status = CASE WHEN $2::bool AND old.status IN ('resolved', 'pending', 'closed') THEN 'open' ELSE old.status END,"
        "  resolved_at = CASE WHEN $2::bool AND old.status IN ('resolved', 'closed') THEN NULL ELSE t.resolved_at END,"
        "  closed_at = CASE WHEN $2::bool THEN NULL ELSE t.closed_at END"
        " FROM old WHERE t.id = $1 RETURNING old.status", &p, g->err);
    if (!r)
        return -1;
    char was[16] = "";
    if (PQntuples(r) == 1)
        g_strlcpy(was, PQgetvalue(r, 0, 0), sizeof was);
    PQclear(r);
    if (machine) {
        char *detail = g_strdup_printf("automatic mail recorded (%s); status stays %s", machine, was);
        int rc = add_event(g, SG_EVENT_REPLIED, detail);
        g_free(detail);
        return rc;
    }
    int old = sg_status_parse(was);
    if (old == SG_STATUS_RESOLVED && add_event(g, SG_EVENT_STATUS, "resolved -> open: customer replied") < 0)
        return -1;
    if (old == SG_STATUS_PENDING && add_event(g, SG_EVENT_STATUS, "pending -> open: customer replied") < 0)
        return -1;
    if (old == SG_STATUS_CLOSED &&
        add_event(g, SG_EVENT_STATUS, "closed -> open: customer replied within reopen_window") < 0)
        return -1;
    return add_event(g, SG_EVENT_REPLIED, "customer replied");
}

/* 1 inserted, 0 already there (a duplicate delivery racing us), -1 error. */
static int insert_message(ingest *g, const char *auto_verdict)
{
    const sg_mail *m = g->in->mail;
    size_t nt, nc, na = sg_mail_attachment_count(m);
    const char *const *to = sg_mail_to(m, &nt);
    const char *const *cc = sg_mail_cc(m, &nc);
    GPtrArray *rcpts = g_ptr_array_new();
    for (size_t i = 0; i < nt + nc; i++)
        g_ptr_array_add(rcpts, (gpointer)(i < nt ? to[i] : cc[i - nt]));
    GPtrArray *names = g_ptr_array_new_with_free_func(NULL), *types = g_ptr_array_new(),
              *sizes = g_ptr_array_new_with_free_func(g_free);
    for (size_t i = 0; i < na; i++) {
        const sg_attachment *a = sg_mail_attachment(m, i);
        g_ptr_array_add(names, (gpointer)a->filename);
        g_ptr_array_add(types, (gpointer)a->content_type);
        g_ptr_array_add(sizes, g_strdup_printf("%zu", a->size));
    }
    char *arr_r = sg_db_array((const char *const *)rcpts->pdata, rcpts->len);
    char *arr_n = sg_db_array((const char *const *)names->pdata, na);
    char *arr_t = sg_db_array((const char *const *)types->pdata, na);
    char *arr_s = sg_db_array((const char *const *)sizes->pdata, na);
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, g->out->ticket);
    sg_param_text(&p, g->out->message_id);
    sg_param_text(&p, g->in->queue_id);
    sg_param_text(&p, g->sender);
    sg_param_text(&p, sg_mail_from_name(m));
    sg_param_text(&p, arr_r);
    sg_param_text(&p, sg_mail_subject(m));
    sg_param_text(&p, sg_mail_text(m));
    sg_param_int(&p, (long long)g->in->raw_len);
    sg_param_text(&p, arr_n);
    sg_param_text(&p, arr_t);
    sg_param_text(&p, arr_s);
    sg_param_text(&p, auto_verdict);
    PGresult *r = sg_db_exec_params(g->db,
        "INSERT INTO messages (ticket_id, direction, kind, message_id, queue_id, sender, sender_name, recipients,"
        "  subject, body, size, attachments, auto_verdict)"
        " VALUES ($1, 'in', 'customer', $2, $3, $4, $5, $6::text[], $7, $8, $9,"
        "  (SELECT coalesce(jsonb_agg(jsonb_build_object('filename', f, 'content_type', ct, 'size', s)), '[]')"
        "     FROM unnest($10::text[], $11::text[], $12::bigint[]) AS a(f, ct, s)), $13)"
        " ON CONFLICT (message_id) DO NOTHING RETURNING id", &p, g->err);
    int rc = r ? PQntuples(r) == 1 : -1;
    if (rc == 1)
        g->row = sg_db_int(r, 0, 0);
    PQclear(r);
    g_free(arr_r); g_free(arr_n); g_free(arr_t); g_free(arr_s);
    g_ptr_array_free(rcpts, TRUE);
    g_ptr_array_free(names, TRUE);
    g_ptr_array_free(types, TRUE);
    g_ptr_array_free(sizes, TRUE);
    return rc;
}

/* Render the acknowledgement in the customer's language from the operator's template for the intake's channel
 * (ack.chat.uk.txt), else the plain one (ack.uk.txt). */
static char *render_ack(ingest *g, char **subject)
{
    const char *lang = sg_mail_lang(g->in->mail);
    char *tag = sg_thread_tag_make(sg_config_str(g->c, SG_CFG_TAG_PREFIX), g->out->ticket);
    sg_letter l = { .c = g->c, .lang = lang, .tag = tag, .subject = sg_mail_subject(g->in->mail),
                    .name = sg_mail_from_name(g->in->mail), .now = g->now, .first_response_due = g->first_response_due };
    char *terr = NULL;
    char *tpl = sg_template_load_for(sg_config_str(g->c, SG_CFG_TEMPLATE_DIR), "ack", g->in->intake->channel, lang,
                                     &terr);
    if (!tpl) {
        g_free(tag);
        *g->err = terr;
        return NULL;
    }
    char *text = sg_letter_render(&l, tpl);
    char *body = sg_template_split_subject(text, subject);
    if (!*subject)
        *subject = sg_thread_tag_subject(sg_mail_subject(g->in->mail), sg_config_str(g->c, SG_CFG_TAG_PREFIX),
                                         g->out->ticket);
    g_free(tag);
    g_free(tpl);
    g_free(text);
    return body;
}

static char *compose_ack(ingest *g, const char *mid, const char *subject, const char *body, size_t *len)
{
    char **refs = sg_thread_msgids(sg_mail_header(g->in->mail, "References"));
    GPtrArray *chain = g_ptr_array_new();
    for (char **r = refs; r && *r; r++)
        g_ptr_array_add(chain, *r);
    g_ptr_array_add(chain, g->out->message_id);
    char ticket[32];
    snprintf(ticket, sizeof ticket, "%lld", g->out->ticket);
    sg_outgoing o = {
        .from_addr = sg_config_str(g->c, SG_CFG_SUPPORT_ADDRESS),
        .from_name = sg_config_str(g->c, SG_CFG_SUPPORT_NAME),
        .to_addr = g->ack_rcpt, .to_name = sg_mail_from_name(g->in->mail),
        .subject = subject, .body = body, .message_id = mid,
        .in_reply_to = g->out->message_id,
        .references = (const char *const *)chain->pdata, .n_references = chain->len,
        .auto_submitted = "auto-replied", .loop = sg_config_str(g->c, SG_CFG_SUPPORT_ADDRESS), .ticket = ticket,
    };
    /* The name only helps when the ack goes to the From address. */
    if (g_ascii_strcasecmp(g->ack_rcpt, g->sender) != 0)
        o.to_name = NULL;
    char *data = sg_compose(&o, len);
    g_ptr_array_free(chain, TRUE);
    g_strfreev(refs);
    return data;
}

/* The acknowledgement as an outgoing message of the ticket and an outbox row, woken by NOTIFY. */
static int queue_ack(ingest *g)
{
    const char *support = sg_config_str(g->c, SG_CFG_SUPPORT_ADDRESS);
    char *subject = NULL, *body = render_ack(g, &subject);
    if (!body)
        return -1;
    char *mid = sg_compose_message_id(sg_config_tokens(g->c), "ack", g->out->ticket, sg_address_domain(support));
    size_t len;
    char *data = compose_ack(g, mid, subject, body, &len);
    sg_queued q = { .ticket = g->out->ticket, .kind = SG_OUT_ACK, .message_id = mid, .from = support,
                    .rcpts = &g->ack_rcpt, .n_rcpts = 1, .subject = subject, .body = body,
                    .env_from = sg_config_str(g->c, SG_CFG_BOUNCE_ADDRESS), .data = data, .len = len };
    int rc = sg_tdb_queue(g->db, &q, g->err);
    g_free(mid); g_free(data); g_free(subject); g_free(body);
    return rc;
}

/* Those who read the new ticket see what was said last in the one it follows up. */
static int follow_up_note(ingest *g)
{
    sg_tmail *t = sg_tmail_load(g->db, g->c, g->out->ticket, g->err);
    int rc = t ? sg_tmail_follow_up_note(g->db, g->c, t, g->follows, g->err) : -1;
    sg_tmail_free(t);
    return rc;
}

static int open_ticket(ingest *g)
{
    const char *refusal = ack_refusal(g);
    if (!refusal)
        return -1;
    int acked = !*refusal;
    g->out->ticket = create_ticket(g, acked);
    if (g->out->ticket <= 0)
        return -1;
    g->out->kind = SG_INGEST_NEW;
    g->out->ack_skipped = acked ? NULL : refusal;
    char *detail = g_strdup_printf("%s via %s from %s; %s%s%s", g->in->intake->channel, g->in->intake->address,
                                   g->sender, acked ? "acknowledgement queued" : "no acknowledgement: ",
                                   acked ? "" : refusal, g->note ? g->note : "");
    int rc = add_event(g, SG_EVENT_CREATED, detail);
    g_free(detail);
    if (rc == 0 && g->follows > 0 && sg_tdb_link(g->db, g->out->ticket, g->follows, NULL, g->err) < 0)
        rc = -1;
    if (rc == 0 && g->follows > 0)
        rc = follow_up_note(g);
    if (rc == 0 && g->overflowed) {
        detail = g_strdup_printf("to %s: the first line is overloaded, new standard tickets go to the overflow team",
                                 g->overflowed);
        rc = add_event(g, SG_EVENT_ESCALATED, detail);
        g_free(detail);
    }
    return rc;
}

/* The transaction body.  1 = recorded, 0 = duplicate (caller rolls back), -1 = error. */
static int record(ingest *g)
{
    long long t = find_ticket(g);
    if (t < 0)
        return -1;
    if (t > 0) {
        g->out->ticket = t;
        g->out->kind = SG_INGEST_THREADED;
        if (touch_ticket(g, machine_mail(g)) < 0)
            return -1;
    } else if (open_ticket(g) < 0) {
        return -1;
    }
    const char *verdict = g->out->kind == SG_INGEST_NEW && g->out->ack_skipped ? g->out->ack_skipped : NULL;
    int ins = insert_message(g, verdict);
    if (ins <= 0)
        return ins;
    if (sg_attach_record(g->db, g->c, g->out->ticket, g->row, g->in->mail, g->err) < 0)
        return -1;
    if (g->out->kind == SG_INGEST_NEW && !g->out->ack_skipped) {
        if (queue_ack(g) < 0)
            return -1;
        g->out->ack_queued = 1;
    }
    return sg_tdb_recompute_due(g->db, g->c, g->out->ticket, g->err) < 0 ? -1 : 1;
}

static int finish_duplicate(ingest *g)
{
    g->out->kind = SG_INGEST_DUPLICATE;
    g->out->ack_queued = 0;
    g->out->ack_skipped = NULL;
    g->out->ticket = recorded_ticket(g);
    return g->out->ticket > 0 ? 0 : -1;
}

/* A copy goes to each address once, never back to the sender or to an intake address (the mail is there). */
static void add_copy(ingest *g, GPtrArray *a, const char *addr)
{
    if (!addr || !*addr || !g_ascii_strcasecmp(addr, g->sender) || sg_config_intake_find(g->c, addr))
        return;
    for (guint i = 0; i < a->len; i++)
        if (!g_ascii_strcasecmp(a->pdata[i], addr))
            return;
    g_ptr_array_add(a, g_ascii_strdown(addr, -1));
}

/* Who reads the customer's mail besides the intake mailbox.  A mail that opened the ticket goes to the owning
 * team and to the first line, which sees every new ticket; a follow-up to whoever answers for the ticket, to
 * those kept informed, and to the first line while the owning team is off shift.  Read after the commit (or for
 * a retry already recorded), so the ticket is as stored. */
static int collect_copies(ingest *g)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, g->out->ticket);
    sg_param_text(&p, g->out->message_id);
    PGresult *r = sg_db_exec_params(g->db,
        "SELECT t.team, coalesce(t.assignee, ''), array_to_string(t.watchers, ' '),"
        "  coalesce((SELECT m.message_id FROM messages m WHERE m.ticket_id = t.id AND m.kind = 'customer'"
        "    ORDER BY m.id LIMIT 1) = $2, false)"
        " FROM tickets t WHERE t.id = $1::bigint", &p, g->err);
    if (!r)
        return -1;
    GPtrArray *a = g_ptr_array_new();
    if (PQntuples(r) == 1) {
        const sg_team *team = sg_config_team_find(g->c, PQgetvalue(r, 0, 0)), *first = sg_config_first_line(g->c);
        int opened = PQgetvalue(r, 0, 3)[0] == 't';
        if (!opened)
            add_copy(g, a, PQgetvalue(r, 0, 1));
        add_copy(g, a, team ? team->mailbox : NULL);
        /* While the owning team is away the first line holds the ticket, so it reads the follow-up too. */
        if (opened || (sg_owner_first_line_holds(first, team) && !sg_team_on_shift(team, sg_time_now())))
            add_copy(g, a, first ? first->mailbox : NULL);
        char **watchers = opened ? NULL : g_strsplit(PQgetvalue(r, 0, 2), " ", -1);
        for (char **w = watchers; w && *w; w++)
            add_copy(g, a, *w);
        g_strfreev(watchers);
    }
    PQclear(r);
    g_ptr_array_add(a, NULL);
    g->out->copies = (char **)g_ptr_array_free(a, FALSE);
    return 0;
}

int sg_ingest(PGconn *db, const sg_config *c, const sg_ingest_in *in, sg_ingest_out *out, char **err)
{
    memset(out, 0, sizeof *out);
    *err = NULL;
    sg_tdb_message_key(in->mail, in->envelope_sender, c, out->message_id, sizeof out->message_id);
    const char *from = sg_mail_from_addr(in->mail);
    char *rcpt = g_ascii_strdown(in->envelope_sender, -1);
    ingest g = { .db = db, .c = c, .in = in, .out = out, .ack_rcpt = rcpt, .err = err,
                 .sender = from && *from ? from : rcpt };
    int rc = -1;
    if (recorded_ticket(&g) > 0) {
        rc = finish_duplicate(&g); /* the common retry: no transaction needed */
    } else if (!*err && sg_db_begin(db, err) == 0) {
        int r = record(&g);
        if (r == 1)
            rc = sg_db_commit(db, err);
        else {
            sg_db_rollback(db);
            if (r == 0) {
                g_free(*err);
                *err = NULL;
                rc = finish_duplicate(&g);
            }
        }
    }
    if (rc == 0 && out->ticket > 0 && collect_copies(&g) < 0)
        rc = -1;
    g_free(g.note);
    g_free(rcpt);
    return rc;
}
