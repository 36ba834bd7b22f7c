/* ticketview.c - tickets as operators and agents read them: JSON documents and plain text. */
#include "ticketview.h"

#include <glib.h>
#include <string.h>

#include "db.h"

/* The whole ticket as one JSON document, built by PostgreSQL (timestamps in the session's zone). */
static const char *ticket_json_sql =
    "SELECT json_build_object("
    " 'id', t.id, 'tag', '[' || $2 || ' #' || t.id || ']', 'status', t.status, 'channel', t.channel,"
    " 'category', t.category, 'team', t.team, 'level', t.level, 'requester', t.requester,"
    " 'requester_name', t.requester_name, 'cc', to_json(t.cc), 'lang', t.lang, 'subject', t.subject,"
    " 'assignee', t.assignee, 'eta', t.eta, 'created_at', t.created_at, 'updated_at', t.updated_at,"
    " 'acked_at', t.acked_at, 'first_response_at', t.first_response_at, 'resolved_at', t.resolved_at,"
    " 'due', json_build_object('ack', t.due_ack, 'first_response', t.due_first_response,"
    "   'update', t.due_update, 'resolution', t.due_resolution),"
    " 'messages', (SELECT coalesce(json_agg(json_build_object('direction', m.direction, 'kind', m.kind,"
    "   'from', m.sender, 'to', to_json(m.recipients), 'subject', m.subject, 'message_id', m.message_id,"
    "   'at', m.at, 'text', m.body, 'size', m.size, 'attachments', m.attachments) ORDER BY m.at, m.id), '[]')"
    "   FROM messages m WHERE m.ticket_id = t.id),"
    " 'events', (SELECT coalesce(json_agg(json_build_object('at', e.at, 'type', e.type, 'detail', e.detail)"
    "   ORDER BY e.at, e.id), '[]') FROM events e WHERE e.ticket_id = t.id),"
    " 'breaches', (SELECT coalesce(json_agg(json_build_object('sla', b.sla, 'due', b.due, 'at', b.at)"
    "   ORDER BY b.at, b.id), '[]') FROM breaches b WHERE b.ticket_id = t.id))"
    " FROM tickets t WHERE t.id = $1";

static const char *const ticket_text_sql =
    "SELECT '[' || $2 || ' #' || id || ']', status, channel, team, level, category, requester,"
    " coalesce(requester_name, ''), subject, to_char(created_at, 'YYYY-MM-DD HH24:MI:SS OF'),"
    " coalesce(to_char(acked_at, 'YYYY-MM-DD HH24:MI:SS OF'), '-'),"
    " coalesce(to_char(first_response_at, 'YYYY-MM-DD HH24:MI:SS OF'), '-'),"
    " coalesce(to_char(due_ack, 'YYYY-MM-DD HH24:MI'), '-'), coalesce(to_char(due_first_response, 'YYYY-MM-DD HH24:MI'), '-'),"
    " coalesce(to_char(due_update, 'YYYY-MM-DD HH24:MI'), '-'), coalesce(to_char(due_resolution, 'YYYY-MM-DD HH24:MI'), '-'),"
    " coalesce(assignee, '-'), coalesce(to_char(eta, 'YYYY-MM-DD HH24:MI'), '-')"
    " FROM tickets WHERE id = $1";

static void print_header(PGresult *r, FILE *out)
{
    static const char *const labels[] = { NULL, "status", "channel", "team", "level", "category", "requester", NULL,
                                           "subject", "created", "acked", "first response" };
    fprintf(out, "%s %s\n", PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 8));
    for (int i = 1; i < 12; i++) {
        if (!labels[i])
            continue;
        if (i == 6 && *PQgetvalue(r, 0, 7))
            fprintf(out, "  %-15s %s <%s>\n", labels[i], PQgetvalue(r, 0, 7), PQgetvalue(r, 0, 6));
        else
            fprintf(out, "  %-15s %s\n", labels[i], PQgetvalue(r, 0, i));
    }
    fprintf(out, "  %-15s %s\n  %-15s %s\n", "assignee", PQgetvalue(r, 0, 16), "eta", PQgetvalue(r, 0, 17));
    fprintf(out, "  %-15s ack %s, first response %s, update %s, resolution %s\n", "due", PQgetvalue(r, 0, 12),
            PQgetvalue(r, 0, 13), PQgetvalue(r, 0, 14), PQgetvalue(r, 0, 15));
}

static void print_indented(const char *text, FILE *out)
{
    char **lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++)
        fprintf(out, "    %s\n", g_strchomp(*l));
    g_strfreev(lines);
}

static int print_rows(PGconn *db, const char *sql, const char *id, const char *title, int indent_last,
                      FILE *out, char **err)
{
    const char *p[] = { id };
    PGresult *r = sg_db_exec(db, sql, 1, p, err);
    if (!r)
        return -1;
    fprintf(out, "\n%s (%d)\n", title, PQntuples(r));
    int cols = PQnfields(r);
    for (int i = 0; i < PQntuples(r); i++) {
        fprintf(out, " ");
        for (int k = 0; k < cols - (indent_last ? 1 : 0); k++)
            fprintf(out, " %s", PQgetvalue(r, i, k));
        fprintf(out, "\n");
        if (indent_last)
            print_indented(PQgetvalue(r, i, cols - 1), out);
    }
    PQclear(r);
    return 0;
}

static int ticket_text(PGconn *db, const sg_config *c, const char *id, FILE *out, char **err)
{
    const char *p[] = { id, sg_config_str(c, SG_CFG_TAG_PREFIX) };
    PGresult *r = sg_db_exec(db, ticket_text_sql, 2, p, err);
    if (!r)
        return -1;
    int found = PQntuples(r) == 1;
    if (found)
        print_header(r, out);
    PQclear(r);
    if (!found)
        return 0;
    if (print_rows(db,
            "SELECT to_char(at, 'YYYY-MM-DD HH24:MI:SS'), direction, kind, sender, '->',"
            " array_to_string(recipients, ', '), '|', subject, body FROM messages WHERE ticket_id = $1 ORDER BY at, id",
            id, "messages", 1, out, err) < 0 ||
        print_rows(db, "SELECT to_char(at, 'YYYY-MM-DD HH24:MI:SS'), type, detail FROM events WHERE ticket_id = $1"
                       " ORDER BY at, id", id, "events", 0, out, err) < 0 ||
        print_rows(db, "SELECT sla, 'due', to_char(due, 'YYYY-MM-DD HH24:MI:SS'), 'breached at',"
                       " to_char(at, 'YYYY-MM-DD HH24:MI:SS') FROM breaches WHERE ticket_id = $1 ORDER BY at, id",
                   id, "breaches", 0, out, err) < 0)
        return -1;
    return 1;
}

int sg_view_ticket(PGconn *db, const sg_config *c, long long ticket, int json, FILE *out, char **err)
{
    char id[32];
    g_snprintf(id, sizeof id, "%lld", ticket);
    if (!json)
        return ticket_text(db, c, id, out, err);
    const char *p[] = { id, sg_config_str(c, SG_CFG_TAG_PREFIX) };
    PGresult *r = sg_db_exec(db, ticket_json_sql, 2, p, err);
    if (!r)
        return -1;
    int found = PQntuples(r) == 1;
    if (found)
        fprintf(out, "%s\n", PQgetvalue(r, 0, 0));
    PQclear(r);
    return found;
}

#define LIST_SQL \
    "SELECT id, '[' || $5 || ' #' || id || ']' AS tag, status, channel, category, team, level, requester, subject," \
    " created_at, acked_at, first_response_at," \
    " EXISTS (SELECT 1 FROM breaches b WHERE b.ticket_id = t.id) AS breached" \
    " FROM tickets t WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR team = $2)" \
    "  AND (NOT $3::bool OR EXISTS (SELECT 1 FROM breaches b WHERE b.ticket_id = t.id))" \
    " ORDER BY id DESC LIMIT $4::bigint"

static const char *const list_sql = LIST_SQL;
static const char *const list_json_sql =
    "SELECT coalesce(json_agg(x ORDER BY x.id DESC), '[]') FROM (" LIST_SQL ") x";

int sg_view_tickets(PGconn *db, const sg_config *c, const sg_ticket_filter *f, int json, FILE *out, char **err)
{
    char limit[32];
    g_snprintf(limit, sizeof limit, "%lld", f->limit > 0 ? f->limit : (long long)G_MAXINT64);
    const char *p[] = { f->status, f->team, f->breached ? "t" : "f", limit, sg_config_str(c, SG_CFG_TAG_PREFIX) };
    PGresult *r = sg_db_exec(db, json ? list_json_sql : list_sql, 5, p, err);
    if (!r)
        return -1;
    if (json) {
        fprintf(out, "%s\n", PQgetvalue(r, 0, 0));
    } else {
        fprintf(out, "%-8s %-9s %-8s %-10s %-30s %-16s %s\n", "ID", "STATUS", "CHANNEL", "TEAM", "REQUESTER", "CREATED",
                "SUBJECT");
        for (int i = 0; i < PQntuples(r); i++)
            fprintf(out, "%-8s %-9s %-8s %-10s %-30.30s %-16.16s %s%s\n", PQgetvalue(r, i, 0), PQgetvalue(r, i, 2),
                    PQgetvalue(r, i, 3), PQgetvalue(r, i, 5), PQgetvalue(r, i, 7), PQgetvalue(r, i, 9),
                    PQgetvalue(r, i, 12)[0] == 't' ? "! " : "", PQgetvalue(r, i, 8));
    }
    PQclear(r);
    return 0;
}
