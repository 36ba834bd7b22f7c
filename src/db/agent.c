/* agent.c - an agent's emailed reply: commands applied to the ticket, the text re-sent to the customer from support@. */
#include "agent.h"

#include <glib.h>
#include <stdarg.h>
#include <string.h>

#include "address.h"
#include "approval.h"
#include "attachdb.h"
#include "attachlimit.h"
#include "commands.h"
#include "compose.h"
#include "db.h"
#include "domain.h"
#include "escalate.h"
#include "incident.h"
#include "phrase.h"
#include "mailthread.h"
#include "team.h"
#include "ticketdb.h"
#include "ticketmail.h"
#include "wording.h"

/* What one agent mail works with. */
typedef struct {
    PGconn *db;
    const sg_config *c;
    const sg_agent_in *in;
    sg_agent_out *out;
    char **err;
    sg_commands *cmds;
    char *problems;         /* validation errors beyond syntax (unknown team, agent, date) */
    char *eta;              /* resolved #eta as text in display time, or NULL */
    sg_time eta_at;         /* the same as Unix time */
    sg_tmail *tm;           /* the ticket, once found */
    sg_time now;
    /* An #escalate in a mail with text for the customer: the notice goes under that text, one mail. */
    int combine;
    char *escalation_note, *headline;
    const sg_team *escalated_to;
    sg_incident incident;   /* #incident ID: the incident the ticket joins, once validated */
} reply;

int sg_agent_find(PGconn *db, const char *login, char **name, char **err)
{
    const char *p[] = { login };
    PGresult *r = sg_db_exec(db, "SELECT name FROM agents WHERE address = lower($1)", 1, p, err);
    if (!r)
        return -1;
    int found = PQntuples(r) == 1;
    if (found)
        *name = g_strdup(PQgetvalue(r, 0, 0));
    PQclear(r);
    return found;
}

static const char *support(const reply *r) { return sg_config_str(r->c, SG_CFG_SUPPORT_ADDRESS); }

static char *new_message_id(const reply *r, const char *kind)
{
    return sg_compose_message_id(sg_config_tokens(r->c), kind, r->out->ticket, sg_address_domain(support(r)));
}

/* Queue a composed mail filed under the ticket (or unfiled when there is none). */
static int send_mail(reply *r, sg_outbox_kind kind, sg_outgoing *o, const char *const *rcpts, size_t n,
                     const char *origin)
{
    /* The reply re-sent for an agent names the agent on the ticket; the gateway's own mail to agents does not. */
    sg_envelope s = { .ticket = r->out->ticket, .kind = kind, .rcpts = rcpts, .n_rcpts = n, .origin = origin,
                      .agent = kind == SG_OUT_AGENT ? r->in->agent : NULL };
    return sg_tdb_compose_queue(r->db, r->c, &s, o, r->err);
}

/* The agent learns why nothing happened; the customer hears nothing.  Filed as internal mail so it
 * never counts as news for the customer (the update clock). */
static int mail_agent(reply *r, const char *kind, const char *subject, const char *body)
{
    char *mid = new_message_id(r, kind);
    sg_outgoing o = { .from_addr = support(r), .from_name = sg_config_str(r->c, SG_CFG_SUPPORT_NAME),
                      .to_addr = r->in->agent, .subject = subject, .body = body, .message_id = mid,
                      .in_reply_to = sg_mail_message_id(r->in->mail), .auto_submitted = "auto-replied",
                      .loop = support(r) };
    int rc = send_mail(r, SG_OUT_INTERNAL, &o, &r->in->agent, 1, NULL);
    g_free(mid);
    return rc;
}

static int refuse(reply *r, const char *why)
{
    const char *lang = sg_config_str(r->c, SG_CFG_STAFF_LANGUAGE);
    char *subject = sg_phrase(lang, SG_PHRASE_REFUSED_SUBJECT, "subject", sg_mail_subject(r->in->mail), NULL);
    char *where = r->tm ? sg_phrase(lang, SG_PHRASE_REFUSED_WHERE, "tag", sg_tmail_tag(r->tm), NULL) : g_strdup("");
    char *body = sg_phrase(lang, SG_PHRASE_REFUSED_BODY, "where", where, "why", why, NULL);
    g_free(where);
    int rc = mail_agent(r, "error", subject, body);
    r->out->kind = SG_AGENT_REFUSED;
    g_free(subject);
    g_free(body);
    return rc;
}

/* An estimate that falls outside the owning team's hours is kept (the agent may know better), but the agent is
 * told when that team is next at work: nobody there would be working on the ticket at the promised time. */
static int warn_eta_off_shift(reply *r)
{
    const sg_team *team = sg_config_team_find(r->c, sg_tmail_team(r->tm));
    if (!team || !r->eta || !sg_commands_find(r->cmds, SG_CMD_ETA))
        return 0;
    sg_time next = sg_team_next_start(team, r->eta_at);
    if (next <= r->eta_at)
        return 0;
    const char *lang = sg_config_str(r->c, SG_CFG_STAFF_LANGUAGE), *zone = sg_config_str(r->c, SG_CFG_DISPLAY_TIMEZONE);
    char *hours = sg_words_hours(lang, team, zone, r->eta_at), *when = sg_words_when(lang, zone, next, r->eta_at);
    char *tz = sg_words_zone(lang, zone, next), *eta = sg_words_when(lang, zone, r->eta_at, r->now);
    const char *title = sg_team_title(team, lang);
    char *subject = sg_phrase(lang, SG_PHRASE_ETA_OFF_SHIFT_SUBJECT, "tag", sg_tmail_tag(r->tm), "team", title, NULL);
    char *body = sg_phrase(lang, SG_PHRASE_ETA_OFF_SHIFT_BODY, "tag", sg_tmail_tag(r->tm), "team", title, "eta", eta,
                           "hours", hours, "next", when, "timezone", tz, NULL);
    int rc = mail_agent(r, "warning", subject, body);
    g_free(hours); g_free(when); g_free(tz); g_free(eta); g_free(subject); g_free(body);
    return rc;
}

static long long find_ticket(reply *r)
{
    long long t = sg_thread_tag(sg_mail_subject(r->in->mail), sg_config_str(r->c, SG_CFG_TAG_PREFIX));
    if (t > 0) {
        sg_params p;
        sg_params_init(&p);
        sg_param_int(&p, t);
        PGresult *res = sg_db_exec_params(r->db, "SELECT 1 FROM tickets WHERE id = $1", &p, r->err);
        if (!res)
            return -1;
        int found = PQntuples(res) == 1;
        PQclear(res);
        if (found)
            return sg_tdb_current(r->db, t, r->err); /* a merged ticket's tag: the ticket it went into */
    }
    return sg_tdb_by_reference(r->db, r->c, r->in->mail, r->err);
}

static int load_ticket(reply *r)
{
    r->tm = sg_tmail_load(r->db, r->c, r->out->ticket, r->err);
    return r->tm ? 0 : -1;
}

static void problem(reply *r, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void problem(reply *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *line = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    char *joined = g_strconcat(r->problems ? r->problems : "", line, "\n", NULL);
    g_free(r->problems);
    g_free(line);
    r->problems = joined;
}

/* Checks that need the world (teams, agents, a calendar date), done before anything changes. */
/* A custom request has no resolution target of its own: the policy has the customer told an estimate, so
 * #category custom needs an #eta, in the same mail or set before. */
static int custom_needs_eta(reply *r, const sg_command *eta)
{
    const sg_command *cat = sg_commands_find(r->cmds, SG_CMD_CATEGORY);
    if (!cat || sg_category_parse(cat->arg) != SG_CATEGORY_CUSTOM || eta)
        return 0;
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, r->out->ticket);
    PGresult *res = sg_db_exec_params(r->db, "SELECT eta IS NOT NULL FROM tickets WHERE id = $1", &p, r->err);
    if (!res)
        return -1;
    int has = PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    if (!has)
        problem(r, "#category custom: a custom request needs an estimate for the customer; add #eta (e.g. #eta 1d)");
    return 0;
}

/* The assignee is one agent of the owning team: the team the ticket has, or the one this mail escalates it to
 * (the escalation is applied first). */
static int check_assignee(reply *r, const sg_command *a, const sg_command *esc)
{
    const char *p[] = { a->arg };
    PGresult *res = sg_db_exec(r->db, "SELECT team FROM agents WHERE address = lower($1)", 1, p, r->err);
    if (!res)
        return -1;
    const char *owner = esc ? esc->arg : sg_tmail_team(r->tm);
    if (PQntuples(res) != 1)
        problem(r, "#assign: %s is not a registered agent", a->arg);
    else if (strcmp(PQgetvalue(res, 0, 0), owner) != 0)
        problem(r, "#assign: %s is in team %s, the ticket belongs to %s: #escalate %s first (or in the same mail)",
                a->arg, PQgetvalue(res, 0, 0), owner, PQgetvalue(res, 0, 0));
    PQclear(res);
    return 0;
}

/* #merge N and #link N need another ticket that exists; a merge, one still open that was not merged itself. */
static int check_other(reply *r, const sg_command *cmd)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, cmd->number);
    PGresult *res = sg_db_exec_params(r->db, "SELECT status, coalesce(merged_into, 0) FROM tickets WHERE id = $1::bigint",
                                      &p, r->err);
    if (!res)
        return -1;
    const char *w = sg_cmd_name(cmd->kind);
    int merge = cmd->kind == SG_CMD_MERGE;
    if (cmd->number == r->out->ticket)
        problem(r, "#%s: %lld is this ticket itself", w, cmd->number);
    else if (PQntuples(res) != 1)
        problem(r, "#%s: there is no ticket %lld", w, cmd->number);
    else if (merge && strcmp(PQgetvalue(res, 0, 0), sg_status_name(SG_STATUS_CLOSED)) == 0)
        problem(r, "#merge: ticket %lld is closed: reopen it first (#status open there), or #link the two",
                cmd->number);
    else if (merge && sg_db_int(res, 0, 1) > 0)
        problem(r, "#merge: ticket %lld was itself merged into %lld: merge into that one", cmd->number,
                sg_db_int(res, 0, 1));
    PQclear(res);
    return 0;
}

/* #incident ID: an open incident the ticket is not in yet; #incident new: a ticket in no incident. */
static int check_incident(reply *r, const sg_command *cmd)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, r->out->ticket);
    long long now_in = sg_tdb_first_id(sg_db_exec_params(r->db,
        "SELECT coalesce(incident_id, 0) FROM tickets WHERE id = $1", &p, r->err));
    if (now_in < 0)
        return -1;
    if (cmd->number == 0) {
        if (now_in > 0)
            problem(r, "#incident: the ticket is in incident INC-%lld already", now_in);
        return 0;
    }
    int found = sg_incident_load(r->db, cmd->number, &r->incident, r->err);
    if (found < 0)
        return -1;
    if (!found)
        problem(r, "#incident: there is no incident INC-%lld (supportgate incidents list)", cmd->number);
    else if (strcmp(r->incident.status, "open") != 0)
        problem(r, "#incident: INC-%lld is resolved: open a new one (#incident new TITLE)", cmd->number);
    else if (now_in == cmd->number)
        problem(r, "#incident: the ticket is in INC-%lld already", cmd->number);
    else if (now_in > 0)
        problem(r, "#incident: the ticket is in incident INC-%lld already", now_in);
    return 0;
}

/* At most one merge, never beside an escalation (the ticket closes: the one it goes into is the one to move). */
static int validate_relations(reply *r)
{
    size_t merges = 0;
    for (size_t i = 0; i < sg_commands_count(r->cmds); i++) {
        const sg_command *cmd = sg_commands_get(r->cmds, i);
        if (cmd->kind != SG_CMD_MERGE && cmd->kind != SG_CMD_LINK)
            continue;
        merges += cmd->kind == SG_CMD_MERGE;
        if (check_other(r, cmd) < 0)
            return -1;
    }
    if (merges > 1)
        problem(r, "#merge: one ticket per mail (a ticket goes into one other)");
    const sg_command *inc = sg_commands_find(r->cmds, SG_CMD_INCIDENT);
    if (inc && check_incident(r, inc) < 0)
        return -1;
    if (inc && merges)
        problem(r, "#incident: not with #merge in the same mail (join the ticket it goes into)");
    if (merges && sg_commands_find(r->cmds, SG_CMD_ESCALATE))
        problem(r, "#merge: not with #escalate in the same mail (escalate the ticket it goes into)");
    return 0;
}

/* Whether the mail has words for the customer (not only commands, not an internal note). */
static int replies_to_customer(const reply *r)
{
    const char *text = sg_commands_rest(r->cmds);
    return !sg_commands_find(r->cmds, SG_CMD_INTERNAL) && text[strspn(text, " \t\r\n")] != '\0';
}

/* A reply goes whole or not at all: a file that may not go to the customer stops the reply, so the customer never
 * reads "see the attached config" without it. */
static void check_files(reply *r)
{
    size_t n = sg_mail_attachment_count(r->in->mail);
    if (n == 0 || !replies_to_customer(r))
        return;
    sg_att_verdict *v = g_new(sg_att_verdict, n);
    sg_attach_judge(r->c, r->in->mail, 0, 1, v);
    for (size_t i = 0; i < n; i++) {
        char *why = sg_attach_why(r->c, sg_mail_attachment(r->in->mail, i), v[i]);
        if (why)
            problem(r, "attachment %s: the reply was not sent; send it without the file, or the file another way",
                    why);
        g_free(why);
    }
    g_free(v);
}

/* #approve needs someone to ask. */
static int check_approve(reply *r)
{
    if (!sg_commands_find(r->cmds, SG_CMD_APPROVE))
        return 0;
    long long n = sg_approvers_count(r->db, r->err);
    if (n == 0)
        problem(r, "#approve: there are no approvers to ask (supportgate approver add ADDR --name NAME)");
    return n < 0 ? -1 : 0;
}

/* #eta WHEN read in the display time zone (or +DURATION from now) into r->eta and r->eta_at; a date PostgreSQL
 * cannot read, or one not in the future, is a problem for the refusal. */
static void read_eta(reply *r, const sg_command *eta)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_text(&p, eta->seconds ? NULL : eta->arg);
    sg_param_int(&p, eta->seconds);
    sg_param_text(&p, sg_config_str(r->c, SG_CFG_DISPLAY_TIMEZONE));
    /* A savepoint keeps a date PostgreSQL cannot read from aborting the whole transaction. */
    sg_db_run(r->db, "SAVEPOINT eta", 0, NULL, r->err);
    char *perr = NULL;
    enum { ETA_SHOWN, ETA_PAST, ETA_AT };
    PGresult *res = sg_db_exec_params(r->db,
        "SELECT to_char(e AT TIME ZONE $3, 'YYYY-MM-DD HH24:MI'), e <= sg_now(), extract(epoch FROM e)::bigint"
        " FROM (SELECT"
        "  coalesce($1::timestamp AT TIME ZONE $3, sg_now() + make_interval(secs => $2::double precision)) AS e) x",
        &p, &perr);
    if (res) {
        g_free(r->eta); /* a second #eta in the mail: the last one counts */
        r->eta = g_strdup(PQgetvalue(res, 0, ETA_SHOWN));
        r->eta_at = sg_db_time(res, 0, ETA_AT);
        /* The customer is told the estimate: one already past would be a promise broken as it is made. */
        if (PQgetvalue(res, 0, ETA_PAST)[0] == 't')
            problem(r, "#eta: %s (%s) is not in the future", r->eta, sg_config_str(r->c, SG_CFG_DISPLAY_TIMEZONE));
        PQclear(res);
        sg_db_run(r->db, "RELEASE SAVEPOINT eta", 0, NULL, r->err);
    } else {
        sg_db_run(r->db, "ROLLBACK TO SAVEPOINT eta", 0, NULL, r->err);
        problem(r, "#eta: not a date: %s", eta->arg);
    }
    g_free(perr);
}

static int validate(reply *r)
{
    if (validate_relations(r) < 0 || check_approve(r) < 0)
        return -1;
    check_files(r);
    const sg_command *e = sg_commands_find(r->cmds, SG_CMD_ESCALATE);
    if (e && !sg_config_team_find(r->c, e->arg))
        problem(r, "#escalate: no team named \"%s\"", e->arg);
    else if (e && strcmp(e->arg, sg_tmail_team(r->tm)) == 0)
        problem(r, "#escalate: the ticket already belongs to %s (to hand it to a person of the team: #assign)", e->arg);
    size_t escalations = 0;
    for (size_t i = 0; i < sg_commands_count(r->cmds); i++)
        escalations += sg_commands_get(r->cmds, i)->kind == SG_CMD_ESCALATE;
    if (escalations > 1)
        problem(r, "#escalate: one team per mail (the ticket has one owner)");
    const sg_command *a = sg_commands_find(r->cmds, SG_CMD_ASSIGN);
    if (a && check_assignee(r, a, e) < 0)
        return -1;
    const sg_command *eta = sg_commands_find(r->cmds, SG_CMD_ETA);
    if (eta)
        read_eta(r, eta);
    return custom_needs_eta(r, eta);
}

static int event(reply *r, sg_event_type type, const char *detail)
{
    return sg_tdb_event(r->db, r->out->ticket, type, detail, r->err);
}

/* UPDATE tickets SET <one column> for this ticket and record why. */
static int set_field(reply *r, const char *sql, const char *value, sg_event_type type, const char *detail)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, r->out->ticket);
    sg_param_text(&p, value);
    if (sg_db_run_params(r->db, sql, &p, r->err) < 0)
        return -1;
    return event(r, type, detail);
}

static int apply_status(reply *r, const sg_command *cmd)
{
    char *d = g_strdup_printf("status %s by %s", cmd->arg, r->in->agent);
    int rc = set_field(r,
        "UPDATE tickets SET status = $2, updated_at = sg_now(),"
        " resolved_at = CASE WHEN $2 = 'resolved' THEN sg_now() ELSE NULL END,"
        " closed_at = CASE WHEN $2 = 'closed' THEN sg_now() END WHERE id = $1",
        cmd->arg, SG_EVENT_STATUS, d);
    g_free(d);
    return rc;
}

/* The estimate is the ticket's and a promise: the one it replaces stays in the history, marked replaced.  The
 * owner is warned at warn_at percent of the time from now to it, as for the SLAs; an #internal estimate is
 * the desk's own target, a promise that was never told (told_at NULL). */
static int apply_eta(reply *r)
{
    int told = sg_commands_find(r->cmds, SG_CMD_INTERNAL) == NULL;
    char *shown = g_strdup_printf("%s (%s)", r->eta, sg_config_str(r->c, SG_CFG_DISPLAY_TIMEZONE));
    int rc = sg_tdb_estimate(r->db, r->out->ticket, r->eta_at, sg_config_num(r->c, SG_CFG_WARN_AT), told ? r->now : 0,
                             r->now, shown, r->in->agent, r->err);
    g_free(shown);
    return rc;
}

static int apply_simple(reply *r, const sg_command *cmd)
{
    char *d = NULL;
    int rc = 0;
    switch (cmd->kind) {
    case SG_CMD_CATEGORY:
        d = g_strdup_printf("category %s by %s", cmd->arg, r->in->agent);
        rc = set_field(r, "UPDATE tickets SET category = $2, updated_at = sg_now() WHERE id = $1", cmd->arg,
                       SG_EVENT_CATEGORY, d);
        break;
    case SG_CMD_ASSIGN:
        d = g_strdup_printf("assigned to %s by %s", cmd->arg, r->in->agent);
        rc = set_field(r, "UPDATE tickets SET assignee = lower($2), watchers = array_remove(watchers, lower($2)),"
                          " updated_at = sg_now() WHERE id = $1", cmd->arg, SG_EVENT_ASSIGNED, d);
        break;
    case SG_CMD_ETA:
        rc = apply_eta(r);
        break;
    default:
        break;
    }
    g_free(d);
    return rc;
}

/* The ticket moves; the team gets it with its whole history and the customer is told.  When the agent's mail
 * also has text for the customer, the notice waits to go under that text, and the team's copy for the reply. */
static int apply_escalate(reply *r, const sg_command *cmd)
{
    const sg_team *to = sg_config_team_find(r->c, cmd->arg);
    if (!r->combine)
        return sg_escalate(r->db, r->c, r->tm, to, r->in->agent, cmd->extra, r->now, r->err);
    g_free(r->headline);
    if (sg_escalate_move(r->db, r->c, r->tm, to, r->in->agent, cmd->extra, r->now, &r->headline, r->err) < 0)
        return -1;
    char *subject = NULL;
    g_free(r->escalation_note);
    r->escalation_note = sg_escalate_letter(r->db, r->c, r->tm, to, cmd->extra, r->now, "escalate_note", &subject,
                                            r->err);
    g_free(subject);
    r->escalated_to = to;
    return r->escalation_note ? 0 : -1;
}

/* "WHAT #OTHER by AGENT", an event on ticket T (this one or the other of a relation). */
static int event_on(reply *r, long long t, const char *what, long long other)
{
    char *d = g_strdup_printf("%s #%lld by %s", what, other, r->in->agent);
    int rc = sg_tdb_event(r->db, t, SG_EVENT_LINKED, d, r->err);
    g_free(d);
    return rc;
}

/* #link N: one relation, shown from both tickets; linking two tickets again changes nothing. */
static int apply_link(reply *r, const sg_command *cmd)
{
    return sg_tdb_link(r->db, r->out->ticket, cmd->number, r->in->agent, r->err) < 0 ? -1 : 0;
}

/* #merge N: the customer is told once (before the move, so the notice is part of the history that moves), this
 * ticket's mail goes to N, its people become N's Cc so their mail is taken there, and it closes pointing at N.
 * Its events stay: they tell what happened to it. */
/* #incident new TITLE opens an incident owned by the ticket's team; #incident ID joins the one checked. */
static int apply_incident(reply *r, const sg_command *cmd)
{
    if (cmd->number == 0) {
        long long id = sg_incident_create(r->db, cmd->extra, sg_tmail_team(r->tm), r->in->agent, r->err);
        if (id < 0 || sg_incident_load(r->db, id, &r->incident, r->err) != 1)
            return -1;
    }
    return sg_incident_join(r->db, r->c, r->tm, &r->incident, r->in->agent, r->err);
}

static int apply_merge(reply *r, const sg_command *cmd)
{
    char *into = sg_thread_tag_make(sg_config_str(r->c, SG_CFG_TAG_PREFIX), cmd->number);
    sg_tmail_vars v = { .team = sg_config_team_find(r->c, sg_tmail_team(r->tm)), .now = r->now, .into_tag = into };
    int rc = sg_tmail_to_customer(r->db, r->c, r->tm, "merged", &v, r->err);
    g_free(into);
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, r->out->ticket);
    sg_param_int(&p, cmd->number);
    sg_param_text(&p, r->in->agent);
    if (rc == 0)
        rc = sg_db_run_params(r->db,
            "WITH moved AS (UPDATE messages SET ticket_id = $2::bigint WHERE ticket_id = $1::bigint),"
            " people AS (UPDATE tickets n SET cc = (SELECT coalesce(array_agg(DISTINCT a), '{}') FROM"
            "   unnest(n.cc || o.cc || o.requester) a WHERE lower(a) <> lower(n.requester)), updated_at = sg_now()"
            "   FROM tickets o WHERE n.id = $2::bigint AND o.id = $1::bigint),"
            " link AS (INSERT INTO ticket_links (ticket_id, other_id, type, by_agent)"
            "   VALUES ($1::bigint, $2::bigint, 'merged_into', $3))"
            " UPDATE tickets SET status = 'closed', merged_into = $2::bigint, updated_at = sg_now(), closed_at = sg_now()"
            " WHERE id = $1::bigint",
            &p, r->err);
    if (rc == 0)
        rc = event_on(r, r->out->ticket, "merged into", cmd->number);
    if (rc == 0)
        rc = event_on(r, cmd->number, "merged from", r->out->ticket);
    return rc == 0 ? sg_tdb_recompute_due(r->db, r->c, cmd->number, r->err) : rc;
}

/* An escalation first, whatever the order of the lines: it clears the assignee, and an #assign in the same mail
 * names one of the new team. */
static int apply_commands(reply *r)
{
    const sg_command *esc = sg_commands_find(r->cmds, SG_CMD_ESCALATE);
    int rc = esc ? apply_escalate(r, esc) : 0;
    for (size_t i = 0; i < sg_commands_count(r->cmds) && rc == 0; i++) {
        const sg_command *cmd = sg_commands_get(r->cmds, i);
        if (cmd->kind == SG_CMD_STATUS)
            rc = apply_status(r, cmd);
        else if (cmd->kind == SG_CMD_LINK)
            rc = apply_link(r, cmd);
        else if (cmd->kind == SG_CMD_INCIDENT)
            rc = apply_incident(r, cmd);
        else if (cmd->kind == SG_CMD_APPROVE)
            rc = sg_approval_request(r->db, r->c, r->tm, r->in->agent, r->in->agent_name, cmd->arg, r->now, r->err) < 0
                     ? -1 : 0;
        else if (cmd->kind != SG_CMD_ESCALATE && cmd->kind != SG_CMD_MERGE)
            rc = apply_simple(r, cmd);
    }
    /* A merge last: the ticket closes, after whatever else the mail did to it. */
    const sg_command *merge = sg_commands_find(r->cmds, SG_CMD_MERGE);
    return rc == 0 && merge ? apply_merge(r, merge) : rc;
}

/* What goes under the agent's words: the estimate, in the customer's words and zone, and an escalation notice. */
static char *reply_body(const reply *r, const char *text)
{
    GString *b = g_string_new(text);
    while (b->len && g_ascii_isspace(b->str[b->len - 1]))
        g_string_truncate(b, b->len - 1);
    g_string_append_c(b, '\n');
    if (r->eta && sg_commands_find(r->cmds, SG_CMD_ETA)) {
        const char *lang = sg_tmail_lang(r->tm), *zone = sg_config_str(r->c, SG_CFG_DISPLAY_TIMEZONE);
        char *label = sg_phrase(lang, SG_PHRASE_ETA_LABEL, NULL), *when = sg_words_when(lang, zone, r->eta_at, r->now);
        char *z = sg_words_zone(lang, zone, r->eta_at);
        g_string_append_printf(b, "\n%s: %s (%s)\n", label, when, z);
        g_free(label); g_free(when); g_free(z);
    }
    if (r->escalation_note) {
        char *note = g_strstrip(g_strdup(r->escalation_note));
        g_string_append_printf(b, "\n%s\n", note);
        g_free(note);
    }
    return g_string_free(b, FALSE);
}

/* The agent's files, which go with the reply as they came (check_files let them). */
static GPtrArray *agent_files(const reply *r)
{
    GPtrArray *a = g_ptr_array_new();
    for (size_t i = 0; i < sg_mail_attachment_count(r->in->mail); i++)
        g_ptr_array_add(a, (gpointer)sg_mail_attachment(r->in->mail, i));
    return a;
}

static long long message_row(reply *r, const char *message_id)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_text(&p, message_id);
    return sg_tdb_first_id(sg_db_exec_params(r->db, "SELECT id FROM messages WHERE message_id = $1", &p, r->err));
}

/* The agent's files are kept on the ticket with the message they went (or were filed) with. */
static int keep_files(reply *r, long long row)
{
    if (row < 0)
        return -1;
    return row == 0 ? 0 : sg_attach_record(r->db, r->c, r->out->ticket, row, r->in->mail, r->err);
}

/* The agent's text, commands stripped, to the customer from the support address under the agent's name. */
static int reply_to_customer(reply *r, const char *text)
{
    char *body = reply_body(r, text), *mid = NULL;
    char *subject = g_strdup_printf("Re: %s %s", sg_tmail_tag(r->tm), sg_tmail_subject(r->tm));
    GPtrArray *files = agent_files(r);
    sg_tmail_answer_in a = { .agent = r->in->agent, .agent_name = r->in->agent_name, .subject = subject, .body = body,
                             .origin = r->out->message_id, .files = (const sg_attachment *const *)files->pdata,
                             .n_files = files->len };
    int rc = sg_tmail_answer(r->db, r->c, r->tm, &a, &mid, r->err);
    if (rc == 0)
        rc = keep_files(r, message_row(r, mid));
    char *d = g_strdup_printf("agent %s replied to the customer", r->in->agent);
    if (rc == 0)
        rc = event(r, SG_EVENT_REPLIED, d);
    g_ptr_array_free(files, TRUE);
    g_free(d); g_free(body); g_free(subject); g_free(mid);
    return rc;
}

/* Commands only, or #internal: kept on the ticket as an internal message; an internal note goes to the team. */
static int record_internal(reply *r)
{
    if (sg_tdb_file_internal(r->db, r->out->ticket, r->out->message_id, r->in->agent, r->in->mail, r->in->queue_id,
                             r->err) < 0 ||
        keep_files(r, message_row(r, r->out->message_id)) < 0)
        return -1;
    if (!sg_commands_find(r->cmds, SG_CMD_INTERNAL))
        return 0;
    const sg_team *team = sg_config_team_find(r->c, sg_tmail_team(r->tm));
    char *d = g_strdup_printf("internal note from %s", r->in->agent);
    int rc = event(r, SG_EVENT_REPLIED, d);
    if (rc == 0 && team)
        rc = sg_tmail_to_team(r->db, r->c, r->tm, team, d, 0, r->err);
    g_free(d);
    return rc;
}

static int eta_notice_needed(const reply *r, int replied)
{
    return !replied && r->eta && sg_commands_find(r->cmds, SG_CMD_ETA) && !sg_commands_find(r->cmds, SG_CMD_INTERNAL);
}

/* A mail to an incident's tag: the agent's words to every customer of the incident; #status resolved resolves
 * it.  Anything else is refused, and then nobody is written to. */
static int handle_incident(reply *r, long long id)
{
    int found = sg_incident_load(r->db, id, &r->incident, r->err);
    if (found < 0)
        return -1;
    if (!found)
        return refuse(r, "there is no such incident (supportgate incidents list).");
    if (strcmp(r->incident.status, "open") != 0)
        return refuse(r, "the incident is resolved already; its customers were told.");
    const char *errors = sg_commands_errors(r->cmds);
    if (errors)
        return refuse(r, errors);
    int resolve = 0;
    for (size_t i = 0; i < sg_commands_count(r->cmds); i++) {
        const sg_command *cmd = sg_commands_get(r->cmds, i);
        if (cmd->kind == SG_CMD_STATUS && strcmp(cmd->arg, "resolved") == 0)
            resolve = 1;
        else if (cmd->kind == SG_CMD_ETA)
            read_eta(r, cmd);
        else
            return refuse(r, "a mail to an incident takes only #eta and #status resolved; other commands go ticket by"
                             " ticket.");
    }
    if (r->problems)
        return refuse(r, r->problems);
    if (resolve && r->eta)
        return refuse(r, "#eta: a resolved incident needs no estimate.");
    if (!replies_to_customer(r))
        return refuse(r, "a mail to an incident needs words for its customers under the commands.");
    if (sg_mail_attachment_count(r->in->mail) > 0)
        return refuse(r, "files do not go to an incident's customers: link them, or send them ticket by ticket.");
    sg_incident_news n = { .agent = r->in->agent, .agent_name = r->in->agent_name, .text = sg_commands_rest(r->cmds),
                           .origin = r->out->message_id, .resolve = resolve, .eta = r->eta ? r->eta_at : 0 };
    long long told = 0;
    if (sg_incident_tell(r->db, r->c, &r->incident, &n, &told, r->err) < 0)
        return -1;
    if (told == 0)
        return refuse(r, "no open ticket is joined to the incident: nobody would read it.");
    r->out->kind = SG_AGENT_REPLIED;
    return 0;
}

/* Inside the transaction: 0 done, -1 error. */
static int handle(reply *r)
{
    const char *prefix = sg_config_str(r->c, SG_CFG_TAG_PREFIX), *subject = sg_mail_subject(r->in->mail);
    long long inc = sg_thread_incident_tag(subject, prefix);
    if (inc > 0 && sg_thread_tag(subject, prefix) == 0)
        return handle_incident(r, inc);
    long long t = find_ticket(r);
    if (t < 0)
        return -1;
    r->out->ticket = t;
    if (t == 0)
        return refuse(r, "it names no ticket: keep the ticket tag in the subject, or reply to a ticket mail.");
    if (load_ticket(r) < 0 || validate(r) < 0)
        return -1;
    const char *errors = sg_commands_errors(r->cmds);
    if (errors || r->problems) {
        char *why = g_strconcat(errors ? errors : "", r->problems ? r->problems : "", NULL);
        int rc = refuse(r, why);
        g_free(why);
        return rc;
    }
    const char *text = sg_commands_rest(r->cmds);
    int replied = replies_to_customer(r);
    /* An escalation with text for the customer is one mail: the move first, so the notice can go under the text,
     * and the team's copy last, so the history it carries holds that mail. */
    r->combine = replied && sg_commands_find(r->cmds, SG_CMD_ESCALATE) != NULL;
    int rc = r->combine ? apply_commands(r) : replied ? reply_to_customer(r, text) : record_internal(r);
    if (rc == 0)
        rc = r->combine ? reply_to_customer(r, text) : apply_commands(r);
    if (rc == 0 && r->escalated_to)
        rc = sg_escalate_tell_team(r->db, r->c, r->tm, r->escalated_to, r->headline, r->now, r->err);
    if (rc == 0 && eta_notice_needed(r, replied)) {
        sg_tmail_vars v = { .team = sg_config_team_find(r->c, sg_tmail_team(r->tm)), .now = r->now, .eta = r->eta_at };
        rc = sg_tmail_to_customer(r->db, r->c, r->tm, "eta", &v, r->err);
    }
    if (rc == 0)
        rc = sg_tdb_recompute_due(r->db, r->c, r->out->ticket, r->err);
    if (rc == 0)
        rc = warn_eta_off_shift(r);
    r->out->kind = replied ? SG_AGENT_REPLIED : SG_AGENT_UPDATED;
    return rc;
}

static void reply_free(reply *r)
{
    sg_commands_free(r->cmds);
    g_free(r->problems); g_free(r->eta); g_free(r->escalation_note); g_free(r->headline);
    sg_incident_clear(&r->incident);
    sg_tmail_free(r->tm);
}

int sg_agent_reply(PGconn *db, const sg_config *c, const sg_agent_in *in, sg_agent_out *out, char **err)
{
    memset(out, 0, sizeof *out);
    *err = NULL;
    sg_tdb_message_key(in->mail, in->agent, c, out->message_id, sizeof out->message_id);
    long long seen = sg_tdb_recorded(db, out->message_id, err);
    if (seen != 0) {
        out->kind = SG_AGENT_DUPLICATE;
        out->ticket = seen;
        return seen < 0 ? -1 : 0;
    }
    reply r = { .db = db, .c = c, .in = in, .out = out, .err = err, .now = sg_time_now(),
                .cmds = sg_commands_parse(sg_mail_text(in->mail)) };
    int rc = sg_db_begin(db, err);
    if (rc == 0)
        rc = handle(&r);
    if (rc == 0)
        rc = sg_db_commit(db, err);
    else
        sg_db_rollback(db);
    reply_free(&r);
    return rc;
}
