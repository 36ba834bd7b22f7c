/* notify.c - telling people about deadlines: warnings before them, breaches after (leads on shift, managers at once), and the policy's escalations. */
#include "notify.h"

#include <glib.h>
#include <string.h>

#include "address.h"
#include "calendar.h"
#include "compose.h"
#include "db.h"
#include "domain.h"
#include "escalate.h"
#include "phrase.h"
#include "mailthread.h"
#include "owner.h"
#include "ticketdb.h"
#include "ticketmail.h"

#define BATCH 100

enum {
    B_ID, B_TICKET, B_SLA, B_DUE, B_TEAM, B_SUBJECT, B_REQUESTER, B_NOW, B_THREAD, B_CATEGORY, B_STATUS, B_LEADS,
    B_MANAGERS
};

#define CLAIM_COLUMNS \
    "SELECT x.id, x.ticket_id, x.sla, to_char(x.due AT TIME ZONE $3, 'YYYY-MM-DD HH24:MI'), t.team, t.subject," \
    "  t.requester, extract(epoch FROM greatest(x.at, coalesce($1::timestamptz, now())))::bigint," \
    "  (SELECT string_agg(message_id, ' ' ORDER BY at, id) FROM messages m WHERE m.ticket_id = t.id" \
    "    AND m.kind = 'customer'), t.category, t.status,"

/* What is told, to whom, and where it is marked as told. */
typedef struct {
    const char *claim_sql;   /* columns in the order of the B_ enum; x = the breach or warning */
    const char *mark_sql;    /* $1 row id, $2 ticket, $3 event detail, $4 Unix time */
    const char *word;        /* "breach" or "warning" */
    int is_breach;
} notice_kind;

/* A breach goes to the team's leads and to every manager (unless breach_notice_managers = no), and runs
 * the policy's escalation lines. */
static const notice_kind breach = {
    CLAIM_COLUMNS
    "  (SELECT string_agg(address, ' ' ORDER BY address) FROM agents a WHERE a.team = t.team AND a.lead),"
    "  (SELECT string_agg(address, ' ' ORDER BY address) FROM managers WHERE $4::boolean)"
    " FROM breaches x JOIN tickets t ON t.id = x.ticket_id"
    /* Update breaches last: a policy escalation of the same pass tells the customer first, and the reminder
     * then goes to the new owner only if the customer still waits. */
    " WHERE x.notified_at IS NULL ORDER BY x.sla = 'update', x.id LIMIT $2::int FOR UPDATE OF x SKIP LOCKED",
    "WITH u AS (UPDATE breaches SET notified_at = to_timestamp($4::bigint) WHERE id = $1::bigint)"
    " INSERT INTO events (ticket_id, at, type, detail) VALUES ($2::bigint, to_timestamp($4::bigint), 'notified', $3)",
    "breach", 1,
};

/* A warning goes to the ticket's current owner (see current_owner). */
static const notice_kind warning = {
    CLAIM_COLUMNS
    "  '', ''"   /* no leads or managers: a warning goes to the owner */
    " FROM warnings x JOIN tickets t ON t.id = x.ticket_id"
    " WHERE x.notified_at IS NULL ORDER BY x.id LIMIT $2::int FOR UPDATE OF x SKIP LOCKED",
    "WITH u AS (UPDATE warnings SET notified_at = to_timestamp($4::bigint) WHERE id = $1::bigint)"
    " INSERT INTO events (ticket_id, at, type, detail) VALUES ($2::bigint, to_timestamp($4::bigint), 'notified', $3)",
    "warning", 0,
};

/* The earliest moment the team is at work, counting any of its sites; 0 when that is now. */
static sg_time team_next_start(const sg_team *t, sg_time now)
{
    sg_time s = t ? sg_team_next_start(t, now) : now;
    return s <= now ? 0 : s;
}

/* The three things staff are told about a deadline. */
typedef enum { N_BREACH, N_WARNING, N_REMINDER } notice_flavour;

/* The notice's subject and text, in the staff's language. */
static void notice_text(const sg_config *c, notice_flavour f, PGresult *r, int i, const char *tag, char **subject,
                        char **body)
{
    static const sg_phrase_id ids[][2] = {
        [N_BREACH] = { SG_PHRASE_BREACH_SUBJECT, SG_PHRASE_BREACH_HEADLINE },
        [N_WARNING] = { SG_PHRASE_WARNING_SUBJECT, SG_PHRASE_WARNING_HEADLINE },
        [N_REMINDER] = { SG_PHRASE_REMINDER_SUBJECT, SG_PHRASE_REMINDER_HEADLINE },
    };
    const char *lang = sg_config_str(c, SG_CFG_STAFF_LANGUAGE);
    const char *sla = PQgetvalue(r, i, B_SLA), *team = PQgetvalue(r, i, B_TEAM);
    *subject = sg_phrase(lang, ids[f][0], "tag", tag, "sla", sla, "team", team, NULL);
    char *headline = sg_phrase(lang, ids[f][1], "tag", tag, "sla", sla, NULL);
    *body = sg_phrase(lang, SG_PHRASE_NOTICE_BODY, "headline", headline, "due", PQgetvalue(r, i, B_DUE),
                      "timezone", sg_config_str(c, SG_CFG_DISPLAY_TIMEZONE), "team", team,
                      "requester", PQgetvalue(r, i, B_REQUESTER), "subject", PQgetvalue(r, i, B_SUBJECT),
                      "id", PQgetvalue(r, i, B_TICKET), NULL);
    g_free(headline);
}

static int queue_notice(PGconn *db, const sg_config *c, notice_flavour f, PGresult *r, int i, char **to,
                        sg_time not_before, char **err)
{
    long long ticket = sg_db_int(r, i, B_TICKET);
    const char *support = sg_config_str(c, SG_CFG_SUPPORT_ADDRESS);
    char *tag = sg_thread_tag_make(sg_config_str(c, SG_CFG_TAG_PREFIX), ticket), *subject, *body;
    notice_text(c, f, r, i, tag, &subject, &body);
    static const char *const kinds[] = { [N_BREACH] = "breach", [N_WARNING] = "warning", [N_REMINDER] = "reminder" };
    char *mid = sg_compose_message_id(sg_config_tokens(c), kinds[f], ticket, sg_address_domain(support));
    char **refs = g_strsplit(PQgetvalue(r, i, B_THREAD), " ", -1);
    guint n = g_strv_length(refs);
    sg_outgoing o = { .from_addr = support, .from_name = sg_config_str(c, SG_CFG_SUPPORT_NAME), .to_addr = to[0],
                      .cc = (const char *const *)to + 1, .n_cc = g_strv_length(to) - 1, .subject = subject,
                      .body = body, .message_id = mid, .in_reply_to = n ? refs[n - 1] : NULL,
                      .references = (const char *const *)refs, .n_references = n, .auto_submitted = "auto-generated",
                      .loop = support };
    /* Staff mail is internal: it must not count as an update to the customer. */
    sg_envelope q = { .ticket = ticket, .kind = SG_OUT_INTERNAL, .rcpts = (const char *const *)to, .n_rcpts = g_strv_length(to),
                  .not_before = not_before };
    int rc = sg_tdb_compose_queue(db, c, &q, &o, err);
    g_free(mid); g_free(body); g_free(subject); g_free(tag);
    g_strfreev(refs);
    return rc;
}

static char **split_nonempty(const char *s)
{
    return *s ? g_strsplit(s, " ", -1) : g_new0(char *, 1);
}

/* One address as a NULL-terminated list, for queue_notice. */
static char **just(const char *addr)
{
    char **v = g_new0(char *, 2);
    v[0] = g_strdup(addr);
    return v;
}

/* The policy's lines for this breach: an address told at once, or the ticket handed to another team
 * (the first such line only; never to the team that has it, never once it is resolved).  LOG collects
 * what was done, for the ticket's history. */
static int run_policy(PGconn *db, const sg_config *c, PGresult *r, int i, GString *log, char **err)
{
    const char *sla = PQgetvalue(r, i, B_SLA), *team = PQgetvalue(r, i, B_TEAM), *status = PQgetvalue(r, i, B_STATUS);
    int rc = 0, moved = 0;
    for (size_t k = 0; k < sg_config_escalation_count(c) && rc == 0; k++) {
        const sg_escalation_rule *rule = sg_config_escalation(c, k);
        if (!sg_escalation_matches(rule, sla, team, PQgetvalue(r, i, B_CATEGORY)))
            continue;
        if (rule->action == SG_ESC_NOTIFY) {
            char **to = just(rule->target);
            rc = queue_notice(db, c, N_BREACH, r, i, to, 0, err);
            g_strfreev(to);
            g_string_append_printf(log, "; policy: told %s", rule->target);
            continue;
        }
        if (moved || strcmp(rule->target, team) == 0 || sg_status_done(sg_status_parse(status)))
            continue;
        sg_tmail *t = sg_tmail_load(db, c, sg_db_int(r, i, B_TICKET), err);
        char *why = g_strdup_printf("%s target missed", sla);
        rc = t ? sg_escalate(db, c, t, sg_config_team_find(c, rule->target), "the escalation policy", why,
                             sg_db_time(r, i, B_NOW), err) : -1;
        g_free(why);
        sg_tmail_free(t);
        moved = 1;
        g_string_append_printf(log, "; policy: escalated to %s", rule->target);
    }
    return rc;
}

/* A round-the-clock deadline on a ticket of a team off shift: the first line's mailbox hears at once as well,
 * so that somebody at work can still answer the customer; the owning team keeps its copy for its shift. */
static int tell_stand_in(PGconn *db, const sg_config *c, notice_flavour f, PGresult *r, int i, const sg_team *team,
                         sg_time now, GString *detail, char **err)
{
    const sg_team *s = sg_config_stand_in(c, team, PQgetvalue(r, i, B_SLA), now);
    if (!s)
        return 0;
    char **to = just(s->mailbox);
    int rc = queue_notice(db, c, f, r, i, to, team_next_start(s, now), err);
    g_string_append_printf(detail, "; %s off shift, so also %s (%s)", team->name, s->mailbox, s->name);
    g_strfreev(to);
    return rc;
}

/* Who answers for the ticket now, read afresh: an escalation earlier in the same pass may have moved it. */
typedef struct {
    const sg_team *team;
    sg_owner owner;
    int waiting;          /* the update clock ran out and no news has gone to the customer since */
    char *assignee;
} ticket_owner;

static int current_owner(PGconn *db, const sg_config *c, long long ticket, sg_time now, ticket_owner *o, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, ticket);
    sg_param_time(&p, now);
    PGresult *r = sg_db_exec_params(db,
        "SELECT t.team, coalesce(t.assignee, ''), coalesce(a.team, ''),"
        "  t.status IN ('new', 'open') AND t.due_update <= to_timestamp($2::bigint)"
        " FROM tickets t LEFT JOIN agents a ON a.address = t.assignee WHERE t.id = $1::bigint", &p, err);
    if (!r)
        return -1;
    memset(o, 0, sizeof *o);
    if (PQntuples(r) == 1) {
        o->team = sg_config_team_find(c, PQgetvalue(r, 0, 0));
        o->assignee = g_strdup(PQgetvalue(r, 0, 1));
        o->owner = sg_owner_pick(o->team, o->assignee, sg_config_team_find(c, PQgetvalue(r, 0, 2)), now);
        o->waiting = PQgetvalue(r, 0, 3)[0] == 't';
    }
    PQclear(r);
    return 0;
}

/* A warning goes to the owner: the assignee when at work, else the team's mailbox on its shift. */
static int warn_owner(PGconn *db, const sg_config *c, PGresult *r, int i, const ticket_owner *o, GString *detail,
                      char **err)
{
    g_string_printf(detail, "%s warning reported to %s", PQgetvalue(r, i, B_SLA), o->owner.to ? o->owner.to : "nobody");
    if (!o->owner.to)
        return 0;
    char **to = just(o->owner.to);
    int rc = queue_notice(db, c, N_WARNING, r, i, to, o->owner.not_before, err);
    g_strfreev(to);
    return rc;
}

/* A breach goes to the team's leads (its mailbox when it has none) on its shift, and to managers at once. */
static int report_breach(PGconn *db, const sg_config *c, PGresult *r, int i, const sg_team *team, sg_time now,
                         GString *detail, char **err)
{
    char **leads = split_nonempty(PQgetvalue(r, i, B_LEADS));
    char **managers = split_nonempty(PQgetvalue(r, i, B_MANAGERS));
    if (!leads[0] && team) {
        g_strfreev(leads);
        leads = just(team->mailbox);
    }
    int rc = 0;
    if (leads[0])
        rc = queue_notice(db, c, N_BREACH, r, i, leads, team_next_start(team, now), err);
    if (rc == 0 && managers[0])
        rc = queue_notice(db, c, N_BREACH, r, i, managers, 0, err);
    char *leads_s = g_strjoinv(", ", leads), *managers_s = g_strjoinv(", ", managers);
    g_string_printf(detail, "%s breach reported to %s%s%s", PQgetvalue(r, i, B_SLA), *leads_s ? leads_s : "nobody",
                    *managers_s ? "; managers " : "", managers_s);
    g_free(leads_s); g_free(managers_s);
    g_strfreev(leads);
    g_strfreev(managers);
    return rc;
}

/* When the update interval ran out, the owner is reminded to write to the customer, unless news has gone out
 * since (an escalation notice earlier in this pass): never the agent who had the ticket before. */
static int remind_owner(PGconn *db, const sg_config *c, PGresult *r, int i, const ticket_owner *o, GString *detail,
                        char **err)
{
    if (!o->waiting) {
        g_string_append(detail, "; no update reminder: the customer has had news since");
        return 0;
    }
    if (!o->owner.to)
        return 0;
    char **to = just(o->owner.to);
    int rc = queue_notice(db, c, N_REMINDER, r, i, to, o->owner.not_before, err);
    g_string_append_printf(detail, "; update reminder to %s", to[0]);
    g_strfreev(to);
    return rc;
}

/* Warnings go to the owner, breaches to the team side on its shift and managers at once; for a 24/7 deadline
 * the first line hears at once too.  A breach of the update clock reminds the owner to write to the customer. */
static int notify_one(PGconn *db, const sg_config *c, const notice_kind *k, PGresult *r, int i, char **err)
{
    const sg_team *team = sg_config_team_find(c, PQgetvalue(r, i, B_TEAM));
    sg_time now = sg_db_time(r, i, B_NOW);
    notice_flavour f = k->is_breach ? N_BREACH : N_WARNING;
    GString *detail = g_string_new(NULL);
    ticket_owner o = { 0 };
    int rc = current_owner(db, c, sg_db_int(r, i, B_TICKET), now, &o, err);
    if (rc == 0)
        rc = k->is_breach ? report_breach(db, c, r, i, team, now, detail, err)
                          : warn_owner(db, c, r, i, &o, detail, err);
    if (rc == 0)
        rc = tell_stand_in(db, c, f, r, i, k->is_breach ? team : o.team, now, detail, err);
    if (rc == 0 && k->is_breach && sg_sla_parse(PQgetvalue(r, i, B_SLA)) == SG_SLA_UPDATE)
        rc = remind_owner(db, c, r, i, &o, detail, err);
    if (rc == 0 && k->is_breach)
        rc = run_policy(db, c, r, i, detail, err);
    const char *p[] = { PQgetvalue(r, i, B_ID), PQgetvalue(r, i, B_TICKET), detail->str, PQgetvalue(r, i, B_NOW) };
    if (rc == 0)
        rc = sg_db_run(db, k->mark_sql, 4, p, err);
    g_string_free(detail, TRUE);
    g_free(o.assignee);
    return rc;
}

static int notify_all(PGconn *db, const sg_config *c, const notice_kind *k, const char *now, char **err)
{
    if (sg_db_begin(db, err) < 0)
        return -1;
    sg_params p;
    sg_params_init(&p);
    sg_param_text(&p, now);
    sg_param_int(&p, BATCH);
    sg_param_text(&p, sg_config_str(c, SG_CFG_DISPLAY_TIMEZONE));
    /* Only breaches go to managers ($4: whether they hear of each at once). */
    if (k->is_breach)
        sg_param_bool(&p, sg_config_num(c, SG_CFG_BREACH_NOTICE_MANAGERS) != 0);
    PGresult *r = sg_db_exec_params(db, k->claim_sql, &p, err);
    int n = r ? PQntuples(r) : -1, rc = r ? 0 : -1;
    for (int i = 0; i < n && rc == 0; i++)
        rc = notify_one(db, c, k, r, i, err);
    PQclear(r);
    if (rc == 0 && sg_db_commit(db, err) == 0)
        return n;
    sg_db_rollback(db);
    return -1;
}

int sg_notify_breaches(PGconn *db, const sg_config *c, const char *now, char **err)
{
    return notify_all(db, c, &breach, now, err);
}

int sg_notify_warnings(PGconn *db, const sg_config *c, const char *now, char **err)
{
    return notify_all(db, c, &warning, now, err);
}
