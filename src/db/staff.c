/* staff.c - the people the gateway knows: agents (by team, some leads), managers and approvers, as operators keep them. */
#include "staff.h"

#include <stdlib.h>

#include "db.h"

/* The statements for each kind of person.  Both lists read as (address, name, team, lead), so one reader serves. */
static const struct {
    const char *put, *remove, *list, *json;
} kind_sql[] = {
    [SG_STAFF_AGENT] = {
        NULL, /* sg_staff_put_agent: an agent has a team */
        "DELETE FROM agents WHERE address = lower($1)",
        "SELECT address, name, team, lead FROM agents ORDER BY team, address",
        "SELECT coalesce(json_agg(json_build_object('address', address, 'name', name, 'team', team, 'lead', lead)"
        " ORDER BY team, address), '[]') FROM agents",
    },
    [SG_STAFF_MANAGER] = {
        "INSERT INTO managers (address, name) VALUES (lower($1), $2)"
        " ON CONFLICT (address) DO UPDATE SET name = EXCLUDED.name",
        "DELETE FROM managers WHERE address = lower($1)",
        "SELECT address, name, NULL::text, false FROM managers ORDER BY address",
        "SELECT coalesce(json_agg(json_build_object('address', address, 'name', name) ORDER BY address), '[]')"
        " FROM managers",
    },
    [SG_STAFF_APPROVER] = {
        "INSERT INTO approvers (address, name) VALUES (lower($1), $2)"
        " ON CONFLICT (address) DO UPDATE SET name = EXCLUDED.name",
        "DELETE FROM approvers WHERE address = lower($1)",
        "SELECT address, name, NULL::text, false FROM approvers ORDER BY address",
        "SELECT coalesce(json_agg(json_build_object('address', address, 'name', name) ORDER BY address), '[]')"
        " FROM approvers",
    },
};

enum { COL_ADDRESS, COL_NAME, COL_TEAM, COL_LEAD };
enum { COL_TS_TEAM, COL_TS_AGENTS, COL_TS_LEADS };

int sg_staff_put_agent(PGconn *db, const char *address, const char *name, const char *team, int lead, char **err)
{
    const char *p[] = { address, name, team, lead ? "t" : "f" };
    PGresult *r = sg_db_exec(db,
        "INSERT INTO agents (address, name, team, lead) VALUES (lower($1), $2, $3, $4::bool)"
        " ON CONFLICT (address) DO UPDATE SET name = EXCLUDED.name, team = EXCLUDED.team, lead = EXCLUDED.lead"
        " RETURNING (xmax = 0)", 4, p, err);
    if (!r)
        return -1;
    /* xmax is 0 on a row the statement inserted, and set on one it updated. */
    int added = PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    return added;
}

int sg_staff_put_named(PGconn *db, sg_staff_kind kind, const char *address, const char *name, char **err)
{
    const char *p[] = { address, name };
    return sg_db_run(db, kind_sql[kind].put, 2, p, err);
}

int sg_staff_remove(PGconn *db, sg_staff_kind kind, const char *address, char **err)
{
    const char *p[] = { address };
    PGresult *r = sg_db_exec(db, kind_sql[kind].remove, 1, p, err);
    if (!r)
        return -1;
    int n = atoi(PQcmdTuples(r));
    PQclear(r);
    return n > 0;
}

static void person_free(gpointer p)
{
    sg_person *s = p;
    g_free(s->address);
    g_free(s->name);
    g_free(s->team);
    g_free(s);
}

static gpointer person_read(const PGresult *r, int i)
{
    sg_person *s = g_new0(sg_person, 1);
    s->address = g_strdup(PQgetvalue(r, i, COL_ADDRESS));
    s->name = g_strdup(PQgetvalue(r, i, COL_NAME));
    s->team = PQgetisnull(r, i, COL_TEAM) ? NULL : g_strdup(PQgetvalue(r, i, COL_TEAM));
    s->lead = PQgetvalue(r, i, COL_LEAD)[0] == 't';
    return s;
}

GPtrArray *sg_staff_list(PGconn *db, sg_staff_kind kind, char **err)
{
    return sg_db_rows(db, kind_sql[kind].list, 0, NULL, person_read, person_free, err);
}

char *sg_staff_list_json(PGconn *db, sg_staff_kind kind, char **err)
{
    PGresult *r = sg_db_exec(db, kind_sql[kind].json, 0, NULL, err);
    char *doc = r ? g_strdup(PQgetvalue(r, 0, 0)) : NULL;
    PQclear(r);
    return doc;
}

static void team_staff_free(gpointer p)
{
    sg_team_staff *t = p;
    g_free(t->team);
    g_free(t);
}

static gpointer team_staff_read(const PGresult *r, int i)
{
    sg_team_staff *t = g_new0(sg_team_staff, 1);
    t->team = g_strdup(PQgetvalue(r, i, COL_TS_TEAM));
    t->agents = g_ascii_strtoll(PQgetvalue(r, i, COL_TS_AGENTS), NULL, 10);
    t->leads = g_ascii_strtoll(PQgetvalue(r, i, COL_TS_LEADS), NULL, 10);
    return t;
}

GPtrArray *sg_staff_teams(PGconn *db, char **err)
{
    return sg_db_rows(db, "SELECT team, count(*), count(*) FILTER (WHERE lead) FROM agents GROUP BY team", 0, NULL,
                      team_staff_read, team_staff_free, err);
}
