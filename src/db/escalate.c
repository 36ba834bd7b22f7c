/* escalate.c - handing a ticket to another team: it moves, the team gets its history on shift, the customer is told. */
#include "escalate.h"

#include <glib.h>
#include <string.h>

#include "db.h"
#include "phrase.h"
#include "ticketdb.h"

/* Outside the team's hours the customer learns when they work, so silence until then is no surprise. */
static char *hours_note(const sg_team *t, const char *lang, sg_time now)
{
    if (sg_team_on_shift(t, now))
        return g_strdup("");
    char *hours = sg_team_hours(t);
    char *note = sg_phrase(lang, SG_PHRASE_HOURS_NOTE, "hours", hours, NULL);
    g_free(hours);
    return note;
}

/* When the customer hears from us next: the update deadline just computed in the new team's hours. */
static char *news_note(PGconn *db, const sg_config *c, const sg_tmail *t, char **err)
{
    const char *zone = sg_config_str(c, SG_CFG_DISPLAY_TIMEZONE);
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, sg_tmail_ticket(t));
    sg_param_text(&p, zone);
    PGresult *r = sg_db_exec_params(db, "SELECT to_char(due_update AT TIME ZONE $2, 'YYYY-MM-DD HH24:MI') FROM tickets"
                                        " WHERE id = $1 AND due_update IS NOT NULL", &p, err);
    if (!r)
        return NULL;
    char *note = g_strdup("");
    if (PQntuples(r) == 1) {
        g_free(note);
        note = sg_phrase(sg_tmail_lang(t), SG_PHRASE_NEWS_NOTE, "due", PQgetvalue(r, 0, 0), "timezone", zone, NULL);
    }
    PQclear(r);
    return note;
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
        "  'status', 'unassigned ' || assignee || ' (now a watcher) at the escalation' FROM old, u",
        &p, err);
}

int sg_escalate(PGconn *db, const sg_config *c, sg_tmail *t, const sg_team *to, const char *by, const char *reason,
                sg_time now, char **err)
{
    char *detail = g_strdup_printf("%s -> %s by %s%s%s", sg_tmail_team(t), to->name, by, *reason ? ": " : "", reason);
    int rc = move(db, t, to, detail, now, err);
    if (rc == 0) {
        sg_tmail_moved(t, to->name);
        rc = sg_tdb_recompute_due(db, c, sg_tmail_ticket(t), err);
    }
    sg_time shift = sg_team_next_start(to, now);
    if (rc == 0)
        rc = sg_tmail_to_team(db, c, t, to, detail, shift > now ? shift : 0, err);
    char *hours = hours_note(to, sg_tmail_lang(t), now), *news = rc == 0 ? news_note(db, c, t, err) : NULL;
    if (rc == 0 && !news)
        rc = -1;
    sg_tmail_vars v = { .team = to->name, .reason = reason, .hours_note = hours, .news_note = news };
    if (rc == 0)
        rc = sg_tmail_to_customer(db, c, t, "escalate", &v, err);
    g_free(hours); g_free(news); g_free(detail);
    return rc;
}
