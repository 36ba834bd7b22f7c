/* sla.c - SLA clocks: breaches and warnings recorded once, quiet tickets closed, scheduler heartbeats. */
#include "sla.h"

#include <glib.h>
#include <stdlib.h>

#include "db.h"

/* One statement, so that every breach and warning is read at one time and the tickets read are marked checked
 * up to that time: only tickets whose next_check has come are read (the tickets_next_check index), so a pass
 * costs in proportion to the clocks due, not to the clocks running or already breached.
 * UNIQUE (ticket_id, sla, due) makes a second scheduler's pass a no-op.  The time is written out in k rather
 * than taken from t, and the tickets are read in next_check order up to LIMIT, so that the planner takes the
 * index whatever its statistics say, and one statement stays short however much falls due at once. */
int sg_sla_check_clocks(PGconn *db, const char *now, long long percent, int limit, int *breaches, int *warnings,
                        char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_text(&p, now);
    sg_param_int(&p, percent);
    sg_param_int(&p, limit);
    enum { NEW_BREACHES, NEW_WARNINGS, TICKETS_READ };
    PGresult *r = sg_db_exec_params(db,
        "WITH t AS (SELECT coalesce($1::timestamptz, now()) AS now),"
        " k AS (SELECT tk.id, tk.team, tk.status, tk.acked_at, tk.due_ack, tk.first_response_at, tk.due_first_response,"
        "   tk.warn_first_response, tk.due_update, tk.warn_update, tk.due_resolution, tk.warn_resolution,"
        "   tk.eta, tk.warn_eta"
        "   FROM tickets tk WHERE tk.next_check <= coalesce($1::timestamptz, now())"
        "   ORDER BY tk.next_check LIMIT $3::int),"
        " due AS ("
        "  SELECT id, 'ack' AS sla, due_ack AS due FROM k, t WHERE acked_at IS NULL AND due_ack < t.now"
        "  UNION ALL"
        "  SELECT id, 'first_response', due_first_response FROM k, t"
        "   WHERE first_response_at IS NULL AND due_first_response < t.now AND status NOT IN ('resolved', 'closed')"
        "  UNION ALL"
        "  SELECT id, 'update', due_update FROM k, t WHERE due_update < t.now AND status IN ('new', 'open')"
        "  UNION ALL"
        "  SELECT id, 'resolution', due_resolution FROM k, t WHERE due_resolution < t.now AND status IN ('new', 'open')"
        "  UNION ALL"
        "  SELECT id, 'eta', eta FROM k, t WHERE eta < t.now AND status IN ('new', 'open')),"
        " b AS (INSERT INTO breaches (ticket_id, sla, due, at, team)"
        "   SELECT due.id, due.sla, due.due, t.now, k.team FROM due JOIN k ON k.id = due.id, t"
        "   ON CONFLICT DO NOTHING RETURNING ticket_id, sla, due, at),"
        " e AS (INSERT INTO events (ticket_id, at, type, detail)"
        "   SELECT ticket_id, at, 'breach', sla || ': due ' || due || ', not met by ' || at FROM b),"
        " c AS ("
        "  SELECT id, 'first_response' AS sla, due_first_response AS d FROM k, t"
        "   WHERE first_response_at IS NULL AND warn_first_response <= t.now AND status NOT IN ('resolved', 'closed')"
        "  UNION ALL"
        "  SELECT id, 'update', due_update FROM k, t WHERE warn_update <= t.now AND status IN ('new', 'open')"
        "  UNION ALL"
        "  SELECT id, 'resolution', due_resolution FROM k, t WHERE warn_resolution <= t.now AND status IN ('new', 'open')"
        "  UNION ALL"
        "  SELECT id, 'eta', eta FROM k, t WHERE warn_eta <= t.now AND status IN ('new', 'open')),"
        " w AS (INSERT INTO warnings (ticket_id, sla, due, at) SELECT c.id, c.sla, c.d, t.now FROM c, t"
        "   WHERE $2::int > 0 AND t.now < c.d ON CONFLICT DO NOTHING RETURNING 1),"
        " m AS (UPDATE tickets SET checked_until = t.now FROM k, t WHERE tickets.id = k.id)"
        " SELECT (SELECT count(*) FROM b), (SELECT count(*) FROM w), (SELECT count(*) FROM k)", &p, err);
    if (!r)
        return -1;
    *breaches = atoi(PQgetvalue(r, 0, NEW_BREACHES));
    *warnings = atoi(PQgetvalue(r, 0, NEW_WARNINGS));
    int read = atoi(PQgetvalue(r, 0, TICKETS_READ));
    PQclear(r);
    return read;
}

int sg_sla_close_quiet(PGconn *db, const char *now, long long after, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_text(&p, now);
    sg_param_int(&p, after);
    PGresult *r = sg_db_exec_params(db,
        "WITH t AS (SELECT coalesce($1::timestamptz, now()) AS now),"
        " c AS (UPDATE tickets SET status = 'closed', updated_at = t.now, closed_at = t.now FROM t"
        "   WHERE status = 'resolved' AND resolved_at < t.now - make_interval(secs => $2::double precision)"
        "   RETURNING id, t.now),"
        " e AS (INSERT INTO events (ticket_id, at, type, detail)"
        "   SELECT id, now, 'status', 'resolved -> closed: no reply within the quiet period' FROM c)"
        " SELECT count(*) FROM c", &p, err);
    if (!r)
        return -1;
    int n = atoi(PQgetvalue(r, 0, 0));
    PQclear(r);
    return n;
}

int sg_sla_publish_teams(PGconn *db, const sg_config *c, char **err)
{
    for (size_t i = 0; i < sg_config_team_count(c); i++) {
        const sg_team *t = sg_config_team(c, i);
        sg_params p;
        sg_params_init(&p);
        sg_param_text(&p, t->name);
        sg_param_int(&p, t->level);
        sg_param_text(&p, t->mailbox);
        if (sg_db_run_params(db, "INSERT INTO teams (name, level, mailbox) VALUES ($1, $2::int, $3)"
                          " ON CONFLICT (name) DO UPDATE SET level = EXCLUDED.level, mailbox = EXCLUDED.mailbox,"
                          "  updated_at = now()"
                          " WHERE (teams.level, teams.mailbox) IS DISTINCT FROM (EXCLUDED.level, EXCLUDED.mailbox)",
                      &p, err) < 0)
            return -1;
    }
    return 0;
}

int sg_sla_heartbeat(PGconn *db, const char *instance, const char *error, char **err)
{
    const char *p[] = { instance, error };
    /* Instances gone for a day (restarted, moved) stop being reported. */
    if (sg_db_run(db, "DELETE FROM scheduler_passes WHERE last_pass_at < now() - interval '1 day'", 0, NULL, err) < 0)
        return -1;
    return sg_db_run(db, "INSERT INTO scheduler_passes (instance, last_error) VALUES ($1, $2)"
                         " ON CONFLICT (instance) DO UPDATE SET last_pass_at = now(), last_error = EXCLUDED.last_error",
                     2, p, err);
}
