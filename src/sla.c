/* sla.c - SLA clocks that ran out: each breach recorded once, with an event on its ticket. */
#include "sla.h"

#include <glib.h>
#include <stdlib.h>

#include "db.h"

/* The partial indexes on due_ack / due_first_response keep this proportional to the clocks running,
 * and UNIQUE (ticket_id, sla, due) makes a second scheduler's pass a no-op. */
int sg_sla_record_breaches(PGconn *db, const char *now, char **err)
{
    const char *p[] = { now };
    PGresult *r = sg_db_exec(db,
        "WITH t AS (SELECT coalesce($1::timestamptz, now()) AS now),"
        " due AS ("
        "  SELECT id, 'ack' AS sla, due_ack AS due FROM tickets, t"
        "   WHERE acked_at IS NULL AND due_ack IS NOT NULL AND due_ack < t.now"
        "  UNION ALL"
        "  SELECT id, 'first_response', due_first_response FROM tickets, t"
        "   WHERE first_response_at IS NULL AND due_first_response IS NOT NULL AND due_first_response < t.now"
        "     AND status NOT IN ('resolved', 'closed')),"
        " b AS (INSERT INTO breaches (ticket_id, sla, due, at) SELECT due.id, due.sla, due.due, t.now FROM due, t"
        "   ON CONFLICT DO NOTHING RETURNING ticket_id, sla, due, at),"
        " e AS (INSERT INTO events (ticket_id, at, type, detail)"
        "   SELECT ticket_id, at, 'breach', sla || ': due ' || due || ', not met by ' || at FROM b)"
        " SELECT count(*) FROM b", 1, p, err);
    if (!r)
        return -1;
    int n = atoi(PQgetvalue(r, 0, 0));
    PQclear(r);
    return n;
}
