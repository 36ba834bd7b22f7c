/* escalate.c - handing a ticket to another team: it moves, the team gets its history on shift, the customer is told. */
#include "escalate.h"

#include <glib.h>
#include <string.h>

#include "db.h"
#include "ticketdb.h"

/* When the customer hears from us next: the update deadline just computed in the new team's hours (0: none). */
static int news_due(PGconn *db, const sg_tmail *t, sg_time *due, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, sg_tmail_ticket(t));
    PGresult *r = sg_db_exec_params(db, "SELECT extract(epoch FROM due_update)::bigint FROM tickets WHERE id = $1",
                                    &p, err);
    if (!r)
        return -1;
    *due = PQntuples(r) == 1 ? sg_db_time(r, 0, 0) : 0;
    PQclear(r);
    return 0;
}

/* "You will hear from us by": the escalation notice tells the customer the new update deadline, a promise. */
static int promise_news(PGconn *db, const sg_tmail *t, sg_time due, sg_time now, char **err)
{
    return due ? sg_tdb_promise(db, sg_tmail_ticket(t), SG_SLA_UPDATE, due, now, now, err) : 0;
}

/* The ticket becomes the new team's: nobody in it is named yet, so its mailbox answers for the deadlines; the
 * former assignee stays informed as a watcher but is no longer responsible. */
static int move(PGconn *db, const sg_tmail *t, const sg_team *to, const char *detail, sg_time now, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, sg_tmail_ticket(t));
    sg_param_text(&p, to->name);
    sg_param_int(&p, to->level);
    sg_param_time(&p, now);
    sg_param_text(&p, detail);
    return sg_db_run_params(db,
        "WITH u AS (UPDATE tickets SET team = $2, level = $3::int, escalated_at = to_timestamp($4::bigint),"
        "   paused_seconds = 0, updated_at = to_timestamp($4::bigint), assignee = NULL,"
        "   watchers = CASE WHEN assignee IS NULL OR assignee = ANY(watchers) THEN watchers"
        "    ELSE watchers || assignee END WHERE id = $1::bigint RETURNING 1),"
        " old AS (SELECT assignee FROM tickets WHERE id = $1::bigint AND assignee IS NOT NULL),"
        " e AS (INSERT INTO events (ticket_id, at, type, detail)"
        "   VALUES ($1::bigint, to_timestamp($4::bigint), 'escalated', $5))"
        " INSERT INTO events (ticket_id, at, type, detail) SELECT $1::bigint, to_timestamp($4::bigint) + interval '1 microsecond',"
        "  'assigned', 'unassigned ' || assignee || ' (now a watcher) at the escalation' FROM old, u",
        &p, err);
}

int sg_escalate_move(PGconn *db, const sg_config *c, sg_tmail *t, const sg_team *to, const char *by,
                     const char *reason, sg_time now, char **headline, char **err)
{
    *headline = g_strdup_printf("%s -> %s by %s%s%s", sg_tmail_team(t), to->name, by, *reason ? ": " : "", reason);
    int rc = move(db, t, to, *headline, now, err);
    if (rc == 0) {
        sg_tmail_moved(t, to->name);
        rc = sg_tdb_recompute_due(db, c, sg_tmail_ticket(t), err);
    }
    return rc;
}

char *sg_escalate_letter(PGconn *db, const sg_config *c, const sg_tmail *t, const sg_team *to, const char *reason,
                         sg_time now, const char *name, char **subject, char **err)
{
    sg_tmail_vars v = { .team = to, .reason = reason, .now = now };
    *subject = NULL;
    if (news_due(db, t, &v.news_due, err) < 0 || promise_news(db, t, v.news_due, now, err) < 0)
        return NULL;
    return sg_tmail_render(c, t, name, &v, subject, err);
}

int sg_escalate_tell_team(PGconn *db, const sg_config *c, const sg_tmail *t, const sg_team *to, const char *headline,
                          sg_time now, char **err)
{
    sg_time shift = sg_team_next_start(to, now);
    return sg_tmail_to_team(db, c, t, to, headline, shift > now ? shift : 0, err);
}

int sg_escalate(PGconn *db, const sg_config *c, sg_tmail *t, const sg_team *to, const char *by, const char *reason,
                sg_time now, char **err)
{
    char *headline = NULL;
    int rc = sg_escalate_move(db, c, t, to, by, reason, now, &headline, err);
    if (rc == 0)
        rc = sg_escalate_tell_team(db, c, t, to, headline, now, err);
    sg_tmail_vars v = { .team = to, .reason = reason, .now = now };
    if (rc == 0)
        rc = news_due(db, t, &v.news_due, err);
    if (rc == 0)
        rc = promise_news(db, t, v.news_due, now, err);
    if (rc == 0)
        rc = sg_tmail_to_customer(db, c, t, "escalate", &v, err);
    g_free(headline);
    return rc;
}
