/* cli_staff.c - `agent`, `manager`, `approver` and `team list`: the people who work tickets and their teams. */
#include <string.h>

#include "address.h"
#include "cli.h"
#include "staff.h"

/* The agent, manager and approver commands share their handlers; the command's first word says whom they are about. */
static sg_staff_kind staff_kind(const cmdctx *x)
{
    return !strcmp(x->cmd->name, "manager") ? SG_STAFF_MANAGER
           : !strcmp(x->cmd->name, "approver") ? SG_STAFF_APPROVER : SG_STAFF_AGENT;
}

/* Commands about one person named by a mail address (agents, managers). */
static int with_address(cmdctx *x, int (*fn)(cmdctx *, PGconn *, char **))
{
    if (!sg_address_valid(x->o.arg[0]))
        return usage_error(x, "not a mail address: %s", x->o.arg[0]);
    return with_db(x, AS_CLI, fn);
}

static int do_agent_add(cmdctx *x, PGconn *db, char **err)
{
    int added = sg_staff_put_agent(db, x->o.arg[0], x->o.name, x->o.team, x->o.lead, err);
    if (added < 0)
        return -1;
    printf("agent %s %s (%s%s)\n", x->o.arg[0], added ? "added" : "updated", x->o.team, x->o.lead ? ", lead" : "");
    return 0;
}

int cmd_agent_add(cmdctx *x)
{
    if (!x->o.name || !x->o.team)
        return usage_error(x, "--name and --team are required");
    if (!sg_config_team_find(x->cfg, x->o.team))
        return fail("no team \"%s\" in %s (see: supportgate team list)", x->o.team, sg_config_path(x->cfg));
    return with_address(x, do_agent_add);
}

static int do_named_add(cmdctx *x, PGconn *db, char **err)
{
    if (sg_staff_put_named(db, staff_kind(x), x->o.arg[0], x->o.name, err) < 0)
        return -1;
    printf("%s %s added\n", x->cmd->name, x->o.arg[0]);
    return 0;
}

/* `manager add` and `approver add`: a person with a name and no team. */
int cmd_named_add(cmdctx *x)
{
    if (!x->o.name)
        return usage_error(x, "--name is required");
    return with_address(x, do_named_add);
}

static int do_person_remove(cmdctx *x, PGconn *db, char **err)
{
    int removed = sg_staff_remove(db, staff_kind(x), x->o.arg[0], err);
    if (removed < 0)
        return -1;
    if (!removed)
        return fail("no %s %s", x->cmd->name, x->o.arg[0]);
    printf("%s %s removed\n", x->cmd->name, x->o.arg[0]);
    return 0;
}

int cmd_person_remove(cmdctx *x)
{
    return with_address(x, do_person_remove);
}

/* Aligned columns: address and name, and an agent's team, "(lead)" after a lead's. */
static void print_person(const sg_person *p)
{
    printf("%-28s ", p->address);
    if (p->team)
        printf("%-28s %s%s\n", p->name, p->team, p->lead ? " (lead)" : "");
    else
        printf("%s\n", p->name);
}

static int do_person_list(cmdctx *x, PGconn *db, char **err)
{
    if (x->o.json)
        return print_document(sg_staff_list_json(db, staff_kind(x), err));
    GPtrArray *people = sg_staff_list(db, staff_kind(x), err);
    if (!people)
        return -1;
    for (guint i = 0; i < people->len; i++)
        print_person(g_ptr_array_index(people, i));
    g_ptr_array_unref(people);
    return 0;
}

int cmd_person_list(cmdctx *x)
{
    return with_db(x, AS_CLI, do_person_list);
}

/* TEAM's agents and leads in TEAMS (the teams that have agents), or none. */
static const sg_team_staff *team_staff(const GPtrArray *teams, const char *team)
{
    static const sg_team_staff none = { NULL, 0, 0 };
    for (guint k = 0; k < teams->len; k++) {
        const sg_team_staff *t = g_ptr_array_index(teams, k);
        if (!strcmp(t->team, team))
            return t;
    }
    return &none;
}

static void team_json(GString *s, const sg_team *t, const char *hours, const sg_team_staff *staff)
{
    g_string_append(s, s->len > 1 ? ",{\"name\":" : "{\"name\":");
    json_str(s, t->name);
    g_string_append_printf(s, ",\"level\":%d,\"mailbox\":", t->level);
    json_str(s, t->mailbox);
    g_string_append(s, ",\"hours\":");
    json_str(s, hours);
    g_string_append_printf(s, ",\"agents\":%lld,\"leads\":%lld}", staff->agents, staff->leads);
}

/* Teams come from the configuration (with their hours); their agents from the database. */
static int do_team_list(cmdctx *x, PGconn *db, char **err)
{
    GPtrArray *teams = sg_staff_teams(db, err);
    if (!teams)
        return -1;
    GString *json = g_string_new("[");
    for (size_t i = 0; i < sg_config_team_count(x->cfg); i++) {
        const sg_team *t = sg_config_team(x->cfg, i);
        const sg_team_staff *staff = team_staff(teams, t->name);
        char *hours = sg_team_hours(t);
        if (x->o.json)
            team_json(json, t, hours, staff);
        else
            printf("%-12s level %d  %-28s %lld agent(s)  %s\n", t->name, t->level, t->mailbox, staff->agents, hours);
        g_free(hours);
    }
    if (x->o.json)
        printf("%s]\n", json->str);
    g_string_free(json, TRUE);
    g_ptr_array_unref(teams);
    return 0;
}

int cmd_team_list(cmdctx *x)
{
    return with_db(x, AS_CLI, do_team_list);
}
