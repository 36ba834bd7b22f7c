/* ticketview.c - tickets as operators and agents read them: JSON documents (built by PostgreSQL) and text. */
#include "ticketview.h"

#include <glib.h>
#include <string.h>

#include "approval.h"
#include "attachdb.h"
#include "db.h"
#include "domain.h"
#include "queue.h"

/* The tag customers see in subjects; $2 is the configured prefix. */
#define TAG_SQL "'[' || $2 || ' #' || t.id || ']'"

/* The times the customer was told: the acknowledgement's first-response time (the ticket's own deadline, see
 * sql/014_promises.sql) first, then the recorded estimates and escalation notices as recorded.  A promise is kept when what it
 * promised came by its time: a person's answer (first_response, update) or the resolution (eta, resolution). */
#define PROMISES_SQL \
    "SELECT coalesce(json_agg(json_build_object('kind', x.kind, 'due', x.due, 'told_at', x.told_at," \
    "  'kept_at', x.kept_at, 'replaced_at', x.replaced_at) ORDER BY x.id), '[]') FROM (" \
    " SELECT 0::bigint AS id, 'first_response' AS kind, t.due_first_response AS due, t.acked_at AS told_at," \
    "  NULL::timestamptz AS replaced_at WHERE t.due_first_response IS NOT NULL AND t.acked_at IS NOT NULL" \
    " UNION ALL SELECT p.id, p.kind, p.due, p.told_at, p.replaced_at FROM promises p WHERE p.ticket_id = t.id) y," \
    " LATERAL (SELECT y.*, CASE WHEN y.kind IN ('eta', 'resolution') THEN" \
    "   CASE WHEN t.resolved_at BETWEEN coalesce(y.told_at, t.created_at) AND y.due THEN t.resolved_at END" \
    "  ELSE (SELECT min(m.at) FROM messages m WHERE m.ticket_id = t.id AND m.direction = 'out' AND m.kind = 'agent'" \
    "   AND m.at BETWEEN coalesce(y.told_at, t.created_at) AND y.due) END AS kept_at) x"

/* The ticket's relations read both ways: a merge is merged_into from the ticket that went, merged_from from the
 * one it went into; a link is linked from either; the ticket a late reply opened is reopened_from the closed one,
 * which reads it as linked. */
#define LINKS_SQL \
    "SELECT coalesce(json_agg(json_build_object('type', l.type, 'ticket', l.other) ORDER BY l.at, l.id), '[]') FROM (" \
    "  SELECT id, at, type, other_id AS other FROM ticket_links WHERE ticket_id = t.id" \
    "  UNION ALL SELECT id, at," \
    "   CASE type WHEN 'merged_into' THEN 'merged_from' WHEN 'reopened_from' THEN 'linked' ELSE type END, ticket_id" \
    "  FROM ticket_links WHERE other_id = t.id) l"

/* The `ticket show --json` document.  PostgreSQL builds it, so every string is correctly escaped and
 * every timestamp is ISO 8601 with the offset of the session's TimeZone (display_timezone).  An event's type is
 * one of the seven the document has always had: the changes of the ticket's state recorded under types of their
 * own ($3: status, category, assigned, eta) are of type status, and their own type is the event's change. */
static const char *const ticket_json_sql =
    "SELECT json_build_object("
    " 'id', t.id, 'tag', " TAG_SQL ", 'status', t.status, 'channel', t.channel, 'category', t.category,"
    " 'team', t.team, 'level', t.level, 'requester', t.requester, 'requester_name', t.requester_name,"
    " 'cc', to_json(t.cc), 'lang', t.lang, 'subject', t.subject, 'assignee', t.assignee,"
    " 'watchers', to_json(t.watchers), 'eta', t.eta,"
    " 'created_at', t.created_at, 'updated_at', t.updated_at, 'acked_at', t.acked_at,"
    " 'first_response_at', t.first_response_at, 'resolved_at', t.resolved_at,"
    " 'due', json_build_object('ack', t.due_ack, 'first_response', t.due_first_response,"
    "   'update', t.due_update, 'resolution', t.due_resolution),"
    " 'messages', (SELECT coalesce(json_agg(json_build_object("
    "   'direction', m.direction, 'kind', m.kind, 'from', m.sender, 'from_name', m.sender_name,"
    "   'to', to_json(m.recipients), 'subject', m.subject, 'message_id', m.message_id, 'at', m.at,"
    "   'text', m.body, 'size', m.size, 'attachments', m.attachments) ORDER BY m.at, m.id), '[]')"
    "   FROM messages m WHERE m.ticket_id = t.id),"
    " 'events', (SELECT coalesce(json_agg(json_build_object('at', e.at,"
    "   'type', CASE WHEN e.type = ANY($3::text[]) THEN 'status' ELSE e.type END,"
    "   'change', CASE WHEN e.type = ANY($3::text[]) THEN e.type END, 'detail', e.detail)"
    "   ORDER BY e.at, e.id), '[]') FROM events e WHERE e.ticket_id = t.id),"
    " 'breaches', (SELECT coalesce(json_agg(json_build_object('sla', b.sla, 'due', b.due, 'at', b.at)"
    "   ORDER BY b.at, b.id), '[]') FROM breaches b WHERE b.ticket_id = t.id),"
    " 'promises', (" PROMISES_SQL "),"
    " 'links', (" LINKS_SQL "),"
    " 'attachments', (" SG_ATTACH_JSON_SQL("t.id") "),"
    " 'incident', (SELECT json_build_object('id', i.id, 'tag', '[' || $2 || ' INC-' || i.id || ']', 'title', i.title,"
    "   'status', i.status, 'eta', i.eta) FROM incidents i WHERE i.id = t.incident_id),"
    " 'approvals', " SG_APPROVALS_JSON_SQL ")"
    " FROM tickets t WHERE t.id = $1::bigint";

/* Text views show times in the session's zone, with its offset: unambiguous across DST changes. */
#define TS(x) "to_char(" x ", 'YYYY-MM-DD HH24:MI:SSOF')"

static const char *const header_sql =
    "SELECT " TAG_SQL " AS tag, t.subject, t.status, t.channel, t.team, t.level, t.category, t.lang,"
    " CASE WHEN coalesce(t.requester_name, '') = '' THEN t.requester"
    "  ELSE t.requester_name || ' <' || t.requester || '>' END AS requester,"
    " array_to_string(t.cc, ', ') AS cc, coalesce(t.assignee, '') AS assignee,"
    " array_to_string(t.watchers, ', ') AS watchers,"
    " " TS("t.created_at") " AS created, coalesce(" TS("t.acked_at") ", '-') AS acked,"
    " coalesce(" TS("t.first_response_at") ", '-') AS first_response,"
    " coalesce(" TS("t.resolved_at") ", '') AS resolved, coalesce(" TS("t.eta") ", '') AS eta,"
    " coalesce(nullif(concat_ws(', ', 'ack ' || " TS("t.due_ack") ","
    "  'first response ' || " TS("t.due_first_response") ", 'update ' || " TS("t.due_update") ","
    "  'resolution ' || " TS("t.due_resolution") "), ''), '-') AS due"
    " FROM tickets t WHERE t.id = $1::bigint";

/* The agent behind a reply the gateway re-sent from support@: the name the team knows, and the address. */
#define AGENT_SQL \
    "coalesce((SELECT a.name || ' <' || a.address || '>' FROM agents a WHERE a.address = lower(m.by_agent))," \
    " m.by_agent)"

/* The files of a message in one line ("report.pdf (application/pdf, 12 kB), ..."), from its summary. */
#define FILES_SQL \
    "(SELECT coalesce(string_agg(concat(coalesce(nullif(a->>'filename', ''), '(unnamed)'), ' (',"     \
    "   a->>'content_type', ', ', pg_size_pretty((a->>'size')::bigint), ')'), ', '), '')"            \
    "  FROM jsonb_array_elements(m.attachments) a)"

static const char *const messages_sql =
    "SELECT " TS("m.at") " AS at, m.direction, m.kind,"
    " CASE WHEN m.by_agent IS NOT NULL THEN " AGENT_SQL " || ' as ' || m.sender"
    "  WHEN coalesce(m.sender_name, '') = '' THEN m.sender"
    "  ELSE m.sender_name || ' <' || m.sender || '>' END AS sender,"
    " array_to_string(m.recipients, ', ') AS recipients, m.subject, m.body, " FILES_SQL " AS attachments"
    " FROM messages m WHERE m.ticket_id = $1::bigint ORDER BY m.at, m.id";

/* The conversation as the customer lived it: their mails, what they received (answers, acknowledgements, notices)
 * and the events that changed the ticket, in one time line.  Times without offset: the header names the zone. */
#define CONVERSATION_KINDS "('created', 'escalated', 'status', 'breach', 'assigned', 'eta', 'linked', 'attachment', 'approval')"
static const char *const conversation_sql =
    "SELECT to_char(x.at, 'YYYY-MM-DD HH24:MI') AS at, x.what, x.who, x.subject, x.body, x.attachments FROM ("
    " SELECT m.at, 0 AS ord, m.id,"
    "  CASE WHEN m.direction = 'in' THEN 'customer' ELSE m.kind END AS what,"
    "  CASE WHEN m.direction = 'in' THEN CASE WHEN coalesce(m.sender_name, '') = '' THEN m.sender"
    "    ELSE m.sender_name || ' <' || m.sender || '>' END"
    "   WHEN m.kind = 'agent' THEN coalesce(" AGENT_SQL ", 'an agent') ELSE '' END AS who,"
    "  m.subject, m.body, " FILES_SQL " AS attachments"
    " FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE m.ticket_id = $1::bigint"
    "  AND ((m.direction = 'in' AND m.kind = 'customer') OR (m.direction = 'out' AND m.kind IN ('agent', 'ack', 'notice')"
    "   AND m.recipients && (ARRAY[t.requester] || t.cc)))"
    " UNION ALL SELECT e.at, 1, e.id, 'event', e.type, '', e.detail, ''"
    " FROM events e WHERE e.ticket_id = $1::bigint AND e.type IN " CONVERSATION_KINDS
    ") x ORDER BY x.at, x.ord, x.id";

/* What the conversation leaves out, for the line that says how to see it. */
static const char *const left_out_sql =
    "SELECT (SELECT count(*) FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE m.ticket_id = $1::bigint"
    "   AND NOT ((m.direction = 'in' AND m.kind = 'customer') OR (m.direction = 'out'"
    "   AND m.kind IN ('agent', 'ack', 'notice') AND m.recipients && (ARRAY[t.requester] || t.cc)))),"
    " (SELECT count(*) FROM events e WHERE e.ticket_id = $1::bigint AND e.type NOT IN " CONVERSATION_KINDS "),"
    " current_setting('TimeZone')";

static const char *const events_sql =
    "SELECT " TS("e.at") " AS at, e.type, e.detail FROM events e WHERE e.ticket_id = $1::bigint"
    " ORDER BY e.at, e.id";

static const char *const breaches_sql =
    "SELECT b.sla, " TS("b.due") " AS due, " TS("b.at") " AS at FROM breaches b WHERE b.ticket_id = $1::bigint"
    " ORDER BY b.at, b.id";

/* Mail text comes from strangers: control characters (escape sequences among them) must not reach the
 * operator's terminal.  Tabs stay; line breaks stay in bodies and become spaces elsewhere.  g_free. */
static char *displayable(const char *s, int multiline)
{
    GString *o = g_string_sized_new(strlen(s));
    const char *end = s + strlen(s);
    while (s < end) {
        gunichar c = g_utf8_get_char_validated(s, end - s);
        if (c == (gunichar)-1 || c == (gunichar)-2) {
            g_string_append_unichar(o, 0xFFFD);
            s++;
            continue;
        }
        s = g_utf8_next_char(s);
        if (c == '\r')
            continue;
        if (c == '\n')
            g_string_append_c(o, multiline ? '\n' : ' ');
        else if (c == '\t' || !g_unichar_iscntrl(c))
            g_string_append_unichar(o, c);
        else
            g_string_append_unichar(o, 0xFFFD);
    }
    return g_string_free(o, FALSE);
}

/* The value of column NAME in row I ("" when there is no such column). */
static const char *col(const PGresult *r, int i, const char *name)
{
    int k = PQfnumber(r, name);
    return k < 0 ? "" : PQgetvalue(r, i, k);
}

/* "  label           value", the value made safe for a terminal; nothing when OPTIONAL and empty. */
static void field(FILE *out, const char *label, const char *value, int optional)
{
    if (optional && !*value)
        return;
    char *v = displayable(value, 0);
    fprintf(out, "  %-15s %s\n", label, v);
    g_free(v);
}

static void print_header(const PGresult *r, FILE *out)
{
    char *subject = displayable(col(r, 0, "subject"), 0);
    fprintf(out, "%s %s\n", col(r, 0, "tag"), subject);
    g_free(subject);
    char *where = g_strdup_printf("%s, team %s (level %s), category %s", col(r, 0, "channel"), col(r, 0, "team"),
                                  col(r, 0, "level"), col(r, 0, "category"));
    field(out, "status", col(r, 0, "status"), 0);
    field(out, "channel", where, 0);
    field(out, "requester", col(r, 0, "requester"), 0);
    field(out, "cc", col(r, 0, "cc"), 1);
    field(out, "language", col(r, 0, "lang"), 0);
    field(out, "assignee", col(r, 0, "assignee"), 1);
    field(out, "watchers", col(r, 0, "watchers"), 1);
    field(out, "created", col(r, 0, "created"), 0);
    field(out, "acked", col(r, 0, "acked"), 0);
    field(out, "first response", col(r, 0, "first_response"), 0);
    field(out, "resolved", col(r, 0, "resolved"), 1);
    field(out, "eta", col(r, 0, "eta"), 1);
    field(out, "due", col(r, 0, "due"), 0);
    g_free(where);
}

/* The body, indented; trailing blank lines dropped. */
static void print_body(const char *body, FILE *out)
{
    char *text = displayable(body, 1);
    g_strchomp(text);
    char **lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++)
        fprintf(out, "      %s\n", g_strchomp(*l));
    g_strfreev(lines);
    g_free(text);
}

static void print_message(const PGresult *r, int i, FILE *out)
{
    char *from = displayable(col(r, i, "sender"), 0), *to = displayable(col(r, i, "recipients"), 0);
    fprintf(out, "\n  %s  %s %s  %s \u2192 %s\n", col(r, i, "at"), col(r, i, "direction"), col(r, i, "kind"), from,
            to);
    g_free(from);
    g_free(to);
    field(out, "  subject", col(r, i, "subject"), 0);
    field(out, "  attachments", col(r, i, "attachments"), 1);
    print_body(col(r, i, "body"), out);
}

static void print_event(const PGresult *r, int i, FILE *out)
{
    char *detail = displayable(col(r, i, "detail"), 0);
    if (*detail)
        fprintf(out, "  %s  %-10s %s\n", col(r, i, "at"), col(r, i, "type"), detail);
    else
        fprintf(out, "  %s  %s\n", col(r, i, "at"), col(r, i, "type"));
    g_free(detail);
}

static void print_breach(const PGresult *r, int i, FILE *out)
{
    fprintf(out, "  %-15s due %s, breached %s\n", col(r, i, "sla"), col(r, i, "due"), col(r, i, "at"));
}

/* One section of the text view: a title with its count, then each row.  The section's query takes the
 * ticket ($1 of TICKET) alone. */
static int print_section(PGconn *db, const char *sql, const sg_params *ticket, const char *title,
                         void (*row)(const PGresult *, int, FILE *), FILE *out, char **err)
{
    PGresult *r = sg_db_exec(db, sql, 1, ticket->v, err);
    if (!r)
        return -1;
    int n = PQntuples(r);
    if (n)
        fprintf(out, "\n%s (%d)\n", title, n);
    else
        fprintf(out, "\n%s: none\n", title);
    for (int i = 0; i < n; i++)
        row(r, i, out);
    PQclear(r);
    return 0;
}

/* One entry of the conversation: a mail with its words, a mail the customer got as a line, or an event. */
static void print_turn(const PGresult *r, int i, FILE *out)
{
    const char *what = col(r, i, "what");
    char *who = displayable(col(r, i, "who"), 0), *subject = displayable(col(r, i, "subject"), 0);
    if (!strcmp(what, "event")) {
        char *detail = displayable(col(r, i, "body"), 0);
        fprintf(out, "  %s  [%s] %s\n", col(r, i, "at"), who, detail); /* an event's "who" is its type */
        g_free(detail);
    } else if (!strcmp(what, "ack") || !strcmp(what, "notice")) {
        fprintf(out, "  %s  %s to the customer: %s\n", col(r, i, "at"),
                !strcmp(what, "ack") ? "acknowledgement" : "notice", subject);
    } else {
        fprintf(out, "\n  %s  %s %s:\n", col(r, i, "at"), who, !strcmp(what, "customer") ? "wrote" : "answered");
        field(out, "  subject", col(r, i, "subject"), 0);
        field(out, "  attachments", col(r, i, "attachments"), 1);
        print_body(col(r, i, "body"), out);
        fputc('\n', out);
    }
    g_free(who);
    g_free(subject);
}

static int conversation(PGconn *db, const sg_params *ticket, FILE *out, char **err)
{
    PGresult *left = sg_db_exec(db, left_out_sql, 1, ticket->v, err);
    if (!left)
        return -1;
    fprintf(out, "  %-15s %s\n", "times", PQgetvalue(left, 0, 2));
    int rc = print_section(db, conversation_sql, ticket, "conversation", print_turn, out, err);
    long long msgs = sg_db_int(left, 0, 0), events = sg_db_int(left, 0, 1);
    if (rc == 0 && (msgs || events))
        fprintf(out, "\n(%lld more message(s) and %lld more event(s): supportgate ticket show %s --full)\n", msgs,
                events, ticket->v[0]);
    PQclear(left);
    return rc;
}

static int ticket_text(PGconn *db, const sg_params *ticket, int full, FILE *out, char **err)
{
    PGresult *r = sg_db_exec_params(db, header_sql, ticket, err);
    if (!r)
        return -1;
    int found = PQntuples(r) == 1;
    if (found)
        print_header(r, out);
    PQclear(r);
    if (!found)
        return 0;
    if (!full)
        return conversation(db, ticket, out, err) < 0 ? -1 : 1;
    if (print_section(db, messages_sql, ticket, "messages", print_message, out, err) < 0 ||
        print_section(db, events_sql, ticket, "events", print_event, out, err) < 0 ||
        print_section(db, breaches_sql, ticket, "breaches", print_breach, out, err) < 0)
        return -1;
    return 1;
}

/* The event types reported as status events, as a PostgreSQL array (g_free). */
static char *status_family(void)
{
    const char *names[SG_EVENT_N];
    size_t n = 0;
    for (int t = 0; t < SG_EVENT_N; t++)
        if (sg_event_family((sg_event_type)t) == SG_EVENT_STATUS)
            names[n++] = sg_event_type_name((sg_event_type)t);
    return sg_db_array(names, n);
}

/* $3: the event types reported as status events, added to the ticket's parameters. */
static int ticket_json(PGconn *db, sg_params *ticket, FILE *out, char **err)
{
    char *family = status_family();
    sg_param_text(ticket, family);
    PGresult *r = sg_db_exec_params(db, ticket_json_sql, ticket, err);
    g_free(family);
    if (!r)
        return -1;
    int found = PQntuples(r) == 1;
    if (found)
        fprintf(out, "%s\n", PQgetvalue(r, 0, 0));
    PQclear(r);
    return found;
}

int sg_view_ticket(PGconn *db, const char *tag_prefix, long long ticket, int json, int full, FILE *out, char **err)
{
    sg_params p; /* $1 the ticket, $2 the tag prefix */
    sg_params_init(&p);
    sg_param_int(&p, ticket);
    sg_param_text(&p, tag_prefix);
    return json ? ticket_json(db, &p, out, err) : ticket_text(db, &p, full, out, err);
}

/* Listing: $1 status, $2 team, $3 breached only, $4 limit (NULL = all), $5 requester, $6 text to search for in the
 * subject and the messages (its LIKE wildcards escaped, so "50%" finds "50%"), $7 tag prefix (JSON only). */
#define LIKE_TEXT "'%' || replace(replace(replace($6::text, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'"
#define LIST_WHERE \
    " FROM tickets t WHERE ($1::text IS NULL OR t.status = $1) AND ($2::text IS NULL OR t.team = $2)" \
    " AND (NOT $3::bool OR EXISTS (SELECT 1 FROM breaches b WHERE b.ticket_id = t.id))" \
    " AND ($5::text IS NULL OR lower(t.requester) = lower($5))" \
    " AND ($6::text IS NULL OR t.subject ILIKE " LIKE_TEXT " OR EXISTS (SELECT 1 FROM messages m" \
    "  WHERE m.ticket_id = t.id AND m.body ILIKE " LIKE_TEXT "))" \
    " ORDER BY t.created_at DESC, t.id DESC LIMIT $4::bigint"
#define BREACHED_SQL "EXISTS (SELECT 1 FROM breaches b WHERE b.ticket_id = t.id)"

static const char *const list_json_sql =
    "SELECT coalesce(json_agg(x.j ORDER BY x.created_at DESC, x.id DESC), '[]') FROM ("
    " SELECT t.id, t.created_at, json_build_object('id', t.id, 'tag', '[' || $7 || ' #' || t.id || ']',"
    "  'status', t.status, 'channel', t.channel, 'category', t.category, 'team', t.team, 'level', t.level,"
    "  'requester', t.requester, 'subject', t.subject, 'created_at', t.created_at, 'acked_at', t.acked_at,"
    "  'first_response_at', t.first_response_at, 'breached', " BREACHED_SQL ","
    "  'assignee', t.assignee, 'updated_at', t.updated_at, 'next_due', " SG_NEXT_DUE_SQL ") AS j" LIST_WHERE ") x";

static const char *const list_text_sql =
    "SELECT t.id, t.status, t.channel, t.team, t.level, coalesce(t.assignee, '-'),"
    " to_char(t.created_at, 'YYYY-MM-DD HH24:MI'), coalesce(to_char(" SG_NEXT_DUE_SQL ", 'YYYY-MM-DD HH24:MI'), '-'),"
    " CASE WHEN " BREACHED_SQL " THEN 'breached' ELSE '-' END, t.requester, t.subject" LIST_WHERE;

static const char *const list_titles[] = { "ID", "STATUS", "CHANNEL", "TEAM", "LVL", "ASSIGNEE", "CREATED",
                                           "NEXT DUE", "SLA",
                                           "REQUESTER", "SUBJECT" };
#define LIST_COLS G_N_ELEMENTS(list_titles)
#define LIST_MAX_WIDTH 40 /* wider cells are shortened; the last column never is */

/* A cell ready to print: displayable and at most LIST_MAX_WIDTH characters.  g_free. */
static char *cell(const char *value)
{
    char *s = displayable(value, 0);
    if (g_utf8_strlen(s, -1) <= LIST_MAX_WIDTH)
        return s;
    char *head = g_utf8_substring(s, 0, LIST_MAX_WIDTH - 1), *cut = g_strconcat(head, "\u2026", NULL);
    g_free(head);
    g_free(s);
    return cut;
}

/* One line of the table; widths count characters, not bytes, so UTF-8 names stay aligned. */
static void print_line(char *const *cells, const long *width, FILE *out)
{
    for (size_t k = 0; k < LIST_COLS; k++) {
        fputs(cells[k], out);
        if (k + 1 < LIST_COLS)
            fprintf(out, "%*s", (int)(width[k] - g_utf8_strlen(cells[k], -1) + 2), "");
    }
    fputc('\n', out);
}

static void print_table(const PGresult *r, FILE *out)
{
    int n = PQntuples(r);
    char **cells = g_new0(char *, (size_t)(n + 1) * LIST_COLS);
    long width[LIST_COLS] = { 0 };
    for (int i = 0; i <= n; i++)
        for (size_t k = 0; k < LIST_COLS; k++) {
            char *c = i ? cell(PQgetvalue(r, i - 1, (int)k)) : g_strdup(list_titles[k]);
            cells[(size_t)i * LIST_COLS + k] = c;
            width[k] = MAX(width[k], g_utf8_strlen(c, -1));
        }
    for (int i = 0; i <= n; i++)
        print_line(cells + (size_t)i * LIST_COLS, width, out);
    for (size_t k = 0; k < (size_t)(n + 1) * LIST_COLS; k++)
        g_free(cells[k]);
    g_free(cells);
}

int sg_view_tickets(PGconn *db, const char *tag_prefix, const sg_ticket_filter *f, int json, FILE *out,
                    char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_text(&p, f->status);
    sg_param_text(&p, f->team);
    sg_param_bool(&p, f->breached);
    if (f->limit > 0)
        sg_param_int(&p, f->limit);
    else
        sg_param_text(&p, NULL); /* LIMIT NULL: all */
    sg_param_text(&p, f->requester);
    sg_param_text(&p, f->search);
    if (json)
        sg_param_text(&p, tag_prefix);
    PGresult *r = sg_db_exec_params(db, json ? list_json_sql : list_text_sql, &p, err);
    if (!r)
        return -1;
    if (json)
        fprintf(out, "%s\n", PQgetvalue(r, 0, 0));
    else if (PQntuples(r) == 0)
        fprintf(out, "no tickets\n");
    else
        print_table(r, out);
    PQclear(r);
    return 0;
}
