/* incident.c - incidents: one problem behind many customers' tickets, each customer told in their own thread. */
#include "incident.h"

#include <glib.h>
#include <string.h>

#include "db.h"
#include "domain.h"
#include "mailthread.h"
#include "ticketdb.h"
#include "wording.h"

enum { I_TITLE, I_TEAM, I_STATUS, I_LAST_UPDATE, I_ETA };

int sg_incident_load(PGconn *db, long long id, sg_incident *i, char **err)
{
    memset(i, 0, sizeof *i);
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, id);
    PGresult *r = sg_db_exec_params(db,
        "SELECT title, team, status, last_update, extract(epoch FROM eta)::bigint FROM incidents WHERE id = $1 FOR UPDATE",
        &p, err);
    if (!r)
        return -1;
    int found = PQntuples(r) == 1;
    if (found) {
        i->id = id;
        i->title = g_strdup(PQgetvalue(r, 0, I_TITLE));
        i->team = g_strdup(PQgetvalue(r, 0, I_TEAM));
        i->status = g_strdup(PQgetvalue(r, 0, I_STATUS));
        i->last_update = PQgetisnull(r, 0, I_LAST_UPDATE) ? NULL : g_strdup(PQgetvalue(r, 0, I_LAST_UPDATE));
        i->eta = PQgetisnull(r, 0, I_ETA) ? 0 : sg_db_time(r, 0, I_ETA);
    }
    PQclear(r);
    return found;
}

void sg_incident_clear(sg_incident *i)
{
    g_free(i->title);
    g_free(i->team);
    g_free(i->status);
    g_free(i->last_update);
    memset(i, 0, sizeof *i);
}

long long sg_incident_create(PGconn *db, const char *title, const char *team, const char *by, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_text(&p, title);
    sg_param_text(&p, team);
    sg_param_text(&p, by);
    long long id = sg_tdb_first_id(sg_db_exec_params(db,
        "INSERT INTO incidents (title, team, created_by) VALUES ($1, $2, $3) RETURNING id", &p, err));
    return id > 0 ? id : -1;
}

static char *incident_tag(const sg_config *c, long long id)
{
    return sg_thread_incident_tag_make(sg_config_str(c, SG_CFG_TAG_PREFIX), id);
}

/* The incident's estimate ETA, just told to the customer of TICKET, as that ticket's estimate and promise. */
static int estimate(PGconn *db, const sg_config *c, long long ticket, sg_time eta, const char *by, char **err)
{
    const char *zone = sg_config_str(c, SG_CFG_DISPLAY_TIMEZONE);
    char *stamp = sg_words_stamp(zone, eta), *shown = g_strdup_printf("%s (%s)", stamp, zone);
    sg_time now = sg_time_now();
    int rc = sg_tdb_estimate(db, ticket, eta, sg_config_num(c, SG_CFG_WARN_AT), now, now, shown, by, err);
    g_free(stamp);
    g_free(shown);
    return rc;
}

/* The incident's latest words to a customer who joins after them, as a notice from the support address. */
static int send_latest(PGconn *db, const sg_config *c, const sg_tmail *t, const sg_incident *i, char **err)
{
    sg_time now = sg_time_now();
    sg_tmail_vars v = { .now = now, .incident_title = i->title, .update = i->last_update,
                        .eta = i->eta > now ? i->eta : 0 };
    return sg_tmail_to_customer(db, c, t, "incident", &v, err);
}

int sg_incident_join(PGconn *db, const sg_config *c, const sg_tmail *t, const sg_incident *i, const char *by, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, sg_tmail_ticket(t));
    sg_param_int(&p, i->id);
    if (sg_db_run_params(db, "UPDATE tickets SET incident_id = $2, updated_at = sg_now() WHERE id = $1", &p, err) < 0)
        return -1;
    char *tag = incident_tag(c, i->id);
    char *d = g_strdup_printf("joined incident %s: %s (by %s)", tag, i->title, by);
    int rc = sg_tdb_event(db, sg_tmail_ticket(t), SG_EVENT_LINKED, d, err);
    g_free(d);
    g_free(tag);
    if (rc == 0 && i->last_update)
        rc = send_latest(db, c, t, i, err);
    if (rc == 0 && i->last_update && i->eta > sg_time_now())
        rc = estimate(db, c, sg_tmail_ticket(t), i->eta, by, err);
    return rc;
}

static int resolve_ticket(PGconn *db, const sg_config *c, long long ticket, const char *tag, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, ticket);
    PGresult *r = sg_db_exec_params(db,
        "UPDATE tickets t SET status = 'resolved', resolved_at = sg_now(), updated_at = sg_now()"
        " FROM (SELECT status FROM tickets WHERE id = $1) old WHERE t.id = $1 AND t.status <> 'resolved'"
        " RETURNING old.status", &p, err);
    if (!r)
        return -1;
    char *d = PQntuples(r) == 1 ? g_strdup_printf("%s -> resolved: incident %s resolved", PQgetvalue(r, 0, 0), tag)
                                 : NULL;
    PQclear(r);
    int rc = d ? sg_tdb_event(db, ticket, SG_EVENT_STATUS, d, err) : 0;
    g_free(d);
    return rc == 0 ? sg_tdb_recompute_due(db, c, ticket, err) : rc;
}

/* One customer's copy of the news, in their language, as the agent's answer on their ticket. */
static int tell_one(PGconn *db, const sg_config *c, long long ticket, const sg_incident *i, const sg_incident_news *n,
                    const char *origin, const char *tag, char **err)
{
    sg_tmail *t = sg_tmail_load(db, c, ticket, err);
    if (!t)
        return -1;
    sg_time now = sg_time_now(), eta = n->resolve ? 0 : n->eta ? n->eta : i->eta > now ? i->eta : 0;
    sg_tmail_vars v = { .now = now, .incident_title = i->title, .update = n->text, .eta = eta };
    char *subject = NULL, *mid = NULL;
    char *body = sg_tmail_render(c, t, n->resolve ? "incident_resolved" : "incident", &v, &subject, err);
    int rc = body ? 0 : -1;
    if (rc == 0) {
        sg_tmail_answer_in a = { .agent = n->agent, .agent_name = n->agent_name, .subject = subject, .body = body,
                                 .origin = origin };
        rc = sg_tmail_answer(db, c, t, &a, &mid, err);
    }
    char *d = g_strdup_printf("agent %s wrote to the customer about incident %s", n->agent, tag);
    if (rc == 0)
        rc = sg_tdb_event(db, ticket, SG_EVENT_REPLIED, d, err);
    /* The customer was just told the incident's new estimate: it is their ticket's, and a promise. */
    if (rc == 0 && n->eta && !n->resolve)
        rc = estimate(db, c, ticket, n->eta, n->agent, err);
    if (rc == 0)
        rc = n->resolve ? resolve_ticket(db, c, ticket, tag, err) : sg_tdb_recompute_due(db, c, ticket, err);
    g_free(d); g_free(body); g_free(subject); g_free(mid);
    sg_tmail_free(t);
    return rc;
}

static int record_news(PGconn *db, const sg_incident *i, const sg_incident_news *n, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, i->id);
    sg_param_text(&p, n->text);
    sg_param_text(&p, n->agent);
    sg_param_bool(&p, n->resolve);
    sg_param_time(&p, n->eta);
    return sg_db_run_params(db,
        "UPDATE incidents SET last_update = $2, last_update_at = sg_now(), last_update_by = $3,"
        " eta = CASE WHEN $5::bigint > 0 THEN to_timestamp($5::bigint) ELSE eta END,"
        " status = CASE WHEN $4::bool THEN 'resolved' ELSE status END,"
        " resolved_at = CASE WHEN $4::bool THEN sg_now() ELSE resolved_at END WHERE id = $1", &p, err);
}

int sg_incident_tell(PGconn *db, const sg_config *c, const sg_incident *i, const sg_incident_news *n, long long *told,
                     char **err)
{
    *told = 0;
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, i->id);
    PGresult *r = sg_db_exec_params(db,
        "SELECT id FROM tickets WHERE incident_id = $1 AND status <> 'closed' AND merged_into IS NULL ORDER BY id",
        &p, err);
    if (!r)
        return -1;
    char *tag = incident_tag(c, i->id);
    int rc = 0;
    for (int k = 0; k < PQntuples(r) && rc == 0; k++) {
        /* The agent's Message-ID is unique among the messages: the first copy carries it, so a resent mail is
         * recognised as recorded and tells nobody twice. */
        rc = tell_one(db, c, sg_db_int(r, k, 0), i, n, k == 0 ? n->origin : NULL, tag, err);
        if (rc == 0)
            (*told)++;
    }
    PQclear(r);
    g_free(tag);
    /* Words nobody read are not the incident's news. */
    return rc == 0 && *told > 0 ? record_news(db, i, n, err) : rc;
}

#define INCIDENT_COUNTS \
    "(SELECT count(*) FROM tickets t WHERE t.incident_id = i.id) AS tickets," \
    " (SELECT count(*) FROM tickets t WHERE t.incident_id = i.id AND t.status IN ('new', 'open', 'pending')) AS open"

static const char *const list_json_sql =
    "SELECT coalesce(json_agg(json_build_object('id', x.id, 'tag', '[' || $1 || ' INC-' || x.id || ']',"
    "  'title', x.title, 'team', x.team, 'status', x.status, 'created_at', x.created_at, 'created_by', x.created_by,"
    "  'resolved_at', x.resolved_at, 'eta', x.eta, 'tickets', x.tickets, 'open_tickets', x.open,"
    "  'last_update_at', x.last_update_at)"
    "  ORDER BY x.id DESC), '[]')"
    " FROM (SELECT i.*, " INCIDENT_COUNTS " FROM incidents i) x";

static const char *const list_text_sql =
    "SELECT 'INC-' || i.id, i.status, i.team, " INCIDENT_COUNTS ", to_char(i.created_at, 'YYYY-MM-DD HH24:MI'),"
    " coalesce(to_char(i.last_update_at, 'YYYY-MM-DD HH24:MI'), '-'), i.title FROM incidents i ORDER BY i.id DESC";

int sg_incidents_print(PGconn *db, const char *tag_prefix, int json, FILE *out, char **err)
{
    const char *p[] = { tag_prefix };
    PGresult *r = sg_db_exec(db, json ? list_json_sql : list_text_sql, json ? 1 : 0, p, err);
    if (!r)
        return -1;
    if (json)
        fprintf(out, "%s\n", PQgetvalue(r, 0, 0));
    else if (PQntuples(r) == 0)
        fprintf(out, "no incidents\n");
    else
        fprintf(out, "%-8s  %-8s  %-12s  %7s  %4s  %-16s  %-16s  %s\n", "ID", "STATUS", "TEAM", "TICKETS", "OPEN",
                "OPENED", "LAST UPDATE", "TITLE");
    for (int i = 0; !json && i < PQntuples(r); i++)
        fprintf(out, "%-8s  %-8s  %-12s  %7s  %4s  %-16s  %-16s  %s\n", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1),
                PQgetvalue(r, i, 2), PQgetvalue(r, i, 3), PQgetvalue(r, i, 4), PQgetvalue(r, i, 5),
                PQgetvalue(r, i, 6), PQgetvalue(r, i, 7));
    PQclear(r);
    return 0;
}
