/* queue.h - the desk's queue: open tickets in the order their next deadline falls. */
#ifndef SG_QUEUE_H
#define SG_QUEUE_H

#include <glib.h>
#include <libpq-fe.h>

/* The next deadline of ticket t among the clocks that run: acknowledgement and first response until they happen,
 * update, resolution and the estimate the customer was told (#eta, an incident's) while the ticket waits on us
 * (pending waits on the customer).  NULL when none runs. */
#define SG_NEXT_DUE_SQL \
    "least(CASE WHEN t.acked_at IS NULL THEN t.due_ack END," \
    " CASE WHEN t.first_response_at IS NULL THEN t.due_first_response END," \
    " CASE WHEN t.status IN ('new', 'open') THEN t.due_update END," \
    " CASE WHEN t.status IN ('new', 'open') THEN t.due_resolution END," \
    " CASE WHEN t.status IN ('new', 'open') THEN t.eta END)"

/* One open ticket of the queue. */
typedef struct {
    long long id;
    char *team, *assignee, *status; /* assignee "" when nobody holds it */
    char *next_due;                 /* in the session's TimeZone with its offset, "-" when no clock runs */
    long long waiting_s;            /* since the customer's first mail no agent has answered yet; 0 when answered */
    char *subject;
} sg_queue_row;

/* The open tickets of TEAM (NULL: every team), next deadline first and those without one last (sg_queue_row,
 * g_ptr_array_unref frees them).  NULL with *ERR (g_free). */
GPtrArray *sg_queue_rows(PGconn *db, const char *team, char **err);

/* The same as the `queue --json` document, {"tickets": [...]}, built by PostgreSQL (g_free); NULL with *ERR. */
char *sg_queue_json(PGconn *db, const char *team, char **err);

#endif
