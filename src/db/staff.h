/* staff.h - the people the gateway knows: agents (by team, some leads), managers and approvers, as operators keep them. */
#ifndef SG_STAFF_H
#define SG_STAFF_H

#include <glib.h>
#include <libpq-fe.h>

typedef enum { SG_STAFF_AGENT, SG_STAFF_MANAGER, SG_STAFF_APPROVER } sg_staff_kind;

/* One person.  Addresses are stored in lower case. */
typedef struct {
    char *address, *name;
    char *team; /* an agent's team; NULL for a manager or an approver */
    int lead;   /* an agent who leads the team */
} sg_person;

/* How many agents, and how many of them leads, a team has. */
typedef struct {
    char *team;
    long long agents, leads;
} sg_team_staff;

/* Add the agent ADDRESS, or update the one there is: 1 when added, 0 when updated, -1 with *ERR (g_free). */
int sg_staff_put_agent(PGconn *db, const char *address, const char *name, const char *team, int lead, char **err);

/* Add the manager or approver (KIND) ADDRESS, or update the one there is: 0, or -1 with *ERR. */
int sg_staff_put_named(PGconn *db, sg_staff_kind kind, const char *address, const char *name, char **err);

/* Remove the person of KIND at ADDRESS: 1 when removed, 0 when there was none, -1 with *ERR. */
int sg_staff_remove(PGconn *db, sg_staff_kind kind, const char *address, char **err);

/* The people of KIND (sg_person, g_ptr_array_unref frees them): agents by team and address, managers by
 * address.  NULL with *ERR. */
GPtrArray *sg_staff_list(PGconn *db, sg_staff_kind kind, char **err);

/* The same list as one JSON array, built by PostgreSQL (g_free), or NULL with *ERR. */
char *sg_staff_list_json(PGconn *db, sg_staff_kind kind, char **err);

/* Every team that has agents (sg_team_staff, g_ptr_array_unref frees them), or NULL with *ERR. */
GPtrArray *sg_staff_teams(PGconn *db, char **err);

#endif
