/* queue.c - the desk's queue: open tickets in the order their next deadline falls. */
#include "queue.h"

#include "db.h"

/* The customer has waited since their first mail after the last answer an agent sent them. */
#define QUEUE_SQL \
    "WITH q AS (SELECT t.id, t.team, t.assignee, t.status, t.subject, " SG_NEXT_DUE_SQL " AS next_due," \
    "  (SELECT min(m.at) FROM messages m WHERE m.ticket_id = t.id AND m.direction = 'in' AND m.kind = 'customer'" \
    "   AND m.at > coalesce((SELECT max(a.at) FROM messages a WHERE a.ticket_id = t.id AND a.direction = 'out'" \
    "    AND a.kind = 'agent'), '-infinity')) AS waiting_since" \
    " FROM tickets t WHERE t.status NOT IN ('resolved', 'closed') AND ($1::text IS NULL OR t.team = $1))," \
    " r AS (SELECT id, team, assignee, status, subject, next_due," \
    "  coalesce(floor(extract(epoch FROM now() - waiting_since))::bigint, 0) AS waiting_s FROM q)"
#define QUEUE_ORDER "next_due NULLS LAST, id"

static const char *const rows_sql = QUEUE_SQL
    " SELECT id, team, coalesce(assignee, ''), status, coalesce(to_char(next_due, 'YYYY-MM-DD HH24:MI:SSOF'), '-'),"
    " waiting_s, subject FROM r ORDER BY " QUEUE_ORDER;
static const char *const json_sql = QUEUE_SQL
    " SELECT json_build_object('tickets', coalesce(json_agg(json_build_object('id', id, 'team', team,"
    "  'assignee', assignee, 'status', status, 'next_due', next_due, 'waiting_s', waiting_s, 'subject', subject)"
    "  ORDER BY " QUEUE_ORDER "), '[]')) FROM r";

enum { COL_ID, COL_TEAM, COL_ASSIGNEE, COL_STATUS, COL_DUE, COL_WAITING, COL_SUBJECT };

static void queue_row_free(gpointer p)
{
    sg_queue_row *q = p;
    g_free(q->team);
    g_free(q->assignee);
    g_free(q->status);
    g_free(q->next_due);
    g_free(q->subject);
    g_free(q);
}

static gpointer queue_row_read(const PGresult *r, int i)
{
    sg_queue_row *q = g_new0(sg_queue_row, 1);
    q->id = g_ascii_strtoll(PQgetvalue(r, i, COL_ID), NULL, 10);
    q->team = g_strdup(PQgetvalue(r, i, COL_TEAM));
    q->assignee = g_strdup(PQgetvalue(r, i, COL_ASSIGNEE));
    q->status = g_strdup(PQgetvalue(r, i, COL_STATUS));
    q->next_due = g_strdup(PQgetvalue(r, i, COL_DUE));
    q->waiting_s = g_ascii_strtoll(PQgetvalue(r, i, COL_WAITING), NULL, 10);
    q->subject = g_strdup(PQgetvalue(r, i, COL_SUBJECT));
    return q;
}

GPtrArray *sg_queue_rows(PGconn *db, const char *team, char **err)
{
    const char *p[] = { team };
    return sg_db_rows(db, rows_sql, 1, p, queue_row_read, queue_row_free, err);
}

char *sg_queue_json(PGconn *db, const char *team, char **err)
{
    const char *p[] = { team };
    PGresult *r = sg_db_exec(db, json_sql, 1, p, err);
    char *doc = r ? g_strdup(PQgetvalue(r, 0, 0)) : NULL;
    PQclear(r);
    return doc;
}
