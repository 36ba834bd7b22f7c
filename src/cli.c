/* cli.c - supportgate: the operators' and agents' command line (tickets, agents, teams, migrations, config). */
#include <glib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "duration.h"
#include "health.h"
#include "migrate.h"
#include "template.h"
#include "ticketview.h"

/* Options any command may take; each command reads the ones it knows. */
typedef struct {
    int json, lead, breached;
    const char *status, *team, *name, *sql_dir, *limit, *since;
    const char *pos[4];
    int npos;
} opts;

typedef struct {
    const sg_config *cfg;
    opts o;
} cmdctx;

typedef int (*handler)(cmdctx *x);

static int fail(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("supportgate: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 1;
}

/* The CLI's own connection (role cli_database); every command checks the schema first. */
static PGconn *connect_cli(const sg_config *c, int owner)
{
    char *err = NULL;
    PGconn *db = sg_db_connect(sg_config_str(c, owner ? SG_CFG_DATABASE : SG_CFG_CLI_DATABASE),
                               (int)sg_config_num(c, SG_CFG_DB_TIMEOUT), "supportgate",
                               sg_config_str(c, SG_CFG_DISPLAY_TIMEZONE), &err);
    if (db && !owner && sg_db_check_schema(db, &err) < 0) {
        PQfinish(db);
        db = NULL;
    }
    if (!db) {
        fail("database: %s", err);
        g_free(err);
    }
    return db;
}

static int run_db(cmdctx *x, int owner, int (*fn)(cmdctx *, PGconn *, char **))
{
    PGconn *db = connect_cli(x->cfg, owner);
    if (!db)
        return 1;
    char *err = NULL;
    int rc = fn(x, db, &err);
    if (rc < 0) {
        fail("%s", err ? err : "failed");
        rc = 1;
    }
    g_free(err);
    PQfinish(db);
    return rc;
}

static long long parse_id(const char *s)
{
    char *end;
    long long v = s ? g_ascii_strtoll(s, &end, 10) : 0;
    return s && *s && !*end && v > 0 ? v : 0;
}

/* ticket show N ------------------------------------------------------------------------------------- */
static int do_ticket_show(cmdctx *x, PGconn *db, char **err)
{
    long long id = parse_id(x->o.pos[0]);
    int found = sg_view_ticket(db, x->cfg, id, x->o.json, stdout, err);
    if (found == 0)
        return fail("ticket %s not found", x->o.pos[0]);
    return found < 0 ? -1 : 0;
}

static int cmd_ticket_show(cmdctx *x)
{
    if (x->o.npos != 1 || !parse_id(x->o.pos[0]))
        return fail("usage: ticket show N [--json]") + 1;
    return run_db(x, 0, do_ticket_show);
}

static int do_tickets_list(cmdctx *x, PGconn *db, char **err)
{
    sg_ticket_filter f = { x->o.status, x->o.team, x->o.breached, x->o.limit ? atoll(x->o.limit) : 0 };
    return sg_view_tickets(db, x->cfg, &f, x->o.json, stdout, err);
}

static int cmd_tickets_list(cmdctx *x)
{
    static const char *const statuses[] = { "new", "open", "pending", "resolved", "closed", NULL };
    if (x->o.status && !g_strv_contains(statuses, x->o.status))
        return fail("--status must be one of new, open, pending, resolved, closed") + 1;
    return run_db(x, 0, do_tickets_list);
}

/* db migrate / config check ----------------------------------------------------------------------- */
static int do_migrate(cmdctx *x, PGconn *db, char **err)
{
    char *dir = x->o.sql_dir ? g_strdup(x->o.sql_dir) : sg_migrate_default_dir();
    int rc = sg_migrate(db, dir, stdout, err);
    g_free(dir);
    return rc;
}

static int cmd_db_migrate(cmdctx *x) { return run_db(x, 1, do_migrate); }

/* Loading validated every key; the templates are checked too, since intake cannot work without them. */
static int cmd_config_check(cmdctx *x)
{
    static const char *const names[] = { "ack", "escalate", "eta" };
    int bad = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        char *err = NULL;
        char *tpl = sg_template_load(sg_config_str(x->cfg, SG_CFG_TEMPLATE_DIR), names[i], "en", &err);
        if (!tpl)
            bad = fail("%s: template_dir: %s", sg_config_path(x->cfg), err);
        g_free(tpl);
        g_free(err);
    }
    if (!bad)
        printf("%s: ok\n", sg_config_path(x->cfg));
    return bad;
}

/* agents and managers ------------------------------------------------------------------------------ */
static int print_people(PGconn *db, const char *sql, int json, char **err)
{
    PGresult *r = sg_db_exec(db, sql, 0, NULL, err);
    if (!r)
        return -1;
    if (json) {
        printf("%s\n", PQgetvalue(r, 0, 0));
    } else {
        for (int i = 0; i < PQntuples(r); i++) {
            for (int k = 0; k < PQnfields(r); k++)
                printf("%s%-28s", k ? " " : "", PQgetvalue(r, i, k));
            printf("\n");
        }
    }
    PQclear(r);
    return 0;
}

static int do_agent_add(cmdctx *x, PGconn *db, char **err)
{
    const char *p[] = { x->o.pos[0], x->o.name, x->o.team, x->o.lead ? "t" : "f" };
    PGresult *r = sg_db_exec(db,
        "INSERT INTO agents (address, name, team, lead) VALUES (lower($1), $2, $3, $4::bool)"
        " ON CONFLICT (address) DO UPDATE SET name = EXCLUDED.name, team = EXCLUDED.team, lead = EXCLUDED.lead"
        " RETURNING (xmax = 0)", 4, p, err);
    if (!r)
        return -1;
    printf("agent %s %s (%s%s)\n", x->o.pos[0], PQgetvalue(r, 0, 0)[0] == 't' ? "added" : "updated", x->o.team,
           x->o.lead ? ", lead" : "");
    PQclear(r);
    return 0;
}

static int cmd_agent_add(cmdctx *x)
{
    if (x->o.npos != 1 || !strchr(x->o.pos[0], '@') || !x->o.name || !x->o.team)
        return fail("usage: agent add ADDR --name NAME --team TEAM [--lead]") + 1;
    if (!sg_config_team_find(x->cfg, x->o.team))
        return fail("no team \"%s\" in %s (see: supportgate team list)", x->o.team, sg_config_path(x->cfg));
    return run_db(x, 0, do_agent_add);
}

static int do_remove(cmdctx *x, PGconn *db, const char *sql, const char *what, char **err)
{
    const char *p[] = { x->o.pos[0] };
    PGresult *r = sg_db_exec(db, sql, 1, p, err);
    if (!r)
        return -1;
    int n = atoi(PQcmdTuples(r));
    PQclear(r);
    if (!n)
        return fail("no %s %s", what, x->o.pos[0]);
    printf("%s %s removed\n", what, x->o.pos[0]);
    return 0;
}

static int do_agent_remove(cmdctx *x, PGconn *db, char **err)
{
    return do_remove(x, db, "DELETE FROM agents WHERE address = lower($1)", "agent", err);
}

static int do_agent_list(cmdctx *x, PGconn *db, char **err)
{
    return print_people(db, x->o.json
        ? "SELECT coalesce(json_agg(json_build_object('address', address, 'name', name, 'team', team, 'lead', lead)"
          " ORDER BY team, address), '[]') FROM agents"
        : "SELECT address, name, team || CASE WHEN lead THEN ' (lead)' ELSE '' END FROM agents ORDER BY team, address",
        x->o.json, err);
}

static int one_address(cmdctx *x, const char *usage)
{
    return x->o.npos == 1 && strchr(x->o.pos[0], '@') ? 0 : fail("usage: %s", usage) + 1;
}

static int cmd_agent_remove(cmdctx *x)
{
    return one_address(x, "agent remove ADDR") ?: run_db(x, 0, do_agent_remove);
}

static int cmd_agent_list(cmdctx *x) { return run_db(x, 0, do_agent_list); }

static int do_manager_add(cmdctx *x, PGconn *db, char **err)
{
    const char *p[] = { x->o.pos[0], x->o.name };
    if (sg_db_run(db, "INSERT INTO managers (address, name) VALUES (lower($1), $2)"
                      " ON CONFLICT (address) DO UPDATE SET name = EXCLUDED.name", 2, p, err) < 0)
        return -1;
    printf("manager %s added\n", x->o.pos[0]);
    return 0;
}

static int cmd_manager_add(cmdctx *x)
{
    if (x->o.npos != 1 || !strchr(x->o.pos[0], '@') || !x->o.name)
        return fail("usage: manager add ADDR --name NAME") + 1;
    return run_db(x, 0, do_manager_add);
}

static int do_manager_remove(cmdctx *x, PGconn *db, char **err)
{
    return do_remove(x, db, "DELETE FROM managers WHERE address = lower($1)", "manager", err);
}

static int cmd_manager_remove(cmdctx *x)
{
    return one_address(x, "manager remove ADDR") ?: run_db(x, 0, do_manager_remove);
}

static int do_manager_list(cmdctx *x, PGconn *db, char **err)
{
    return print_people(db, x->o.json
        ? "SELECT coalesce(json_agg(json_build_object('address', address, 'name', name) ORDER BY address), '[]')"
          " FROM managers"
        : "SELECT address, name FROM managers ORDER BY address", x->o.json, err);
}

static int cmd_manager_list(cmdctx *x) { return run_db(x, 0, do_manager_list); }

/* Teams come from the configuration (with their hours); agents from the database. */
static int do_team_list(cmdctx *x, PGconn *db, char **err)
{
    PGresult *r = sg_db_exec(db, "SELECT team, count(*), count(*) FILTER (WHERE lead) FROM agents GROUP BY team",
                             0, NULL, err);
    if (!r)
        return -1;
    GString *json = g_string_new("[");
    for (size_t i = 0; i < sg_config_team_count(x->cfg); i++) {
        const sg_team *t = sg_config_team(x->cfg, i);
        const char *agents = "0", *leads = "0";
        for (int k = 0; k < PQntuples(r); k++)
            if (strcmp(PQgetvalue(r, k, 0), t->name) == 0) {
                agents = PQgetvalue(r, k, 1);
                leads = PQgetvalue(r, k, 2);
            }
        char *hours = sg_team_hours(t);
        if (x->o.json) {
            char *h = g_strescape(hours, NULL);
            g_string_append_printf(json, "%s{\"name\":\"%s\",\"level\":%d,\"mailbox\":\"%s\",\"hours\":\"%s\","
                                   "\"agents\":%s,\"leads\":%s}", i ? "," : "", t->name, t->level, t->mailbox, h,
                                   agents, leads);
            g_free(h);
        } else {
            printf("%-12s level %d  %-28s %s agent(s)  %s\n", t->name, t->level, t->mailbox, agents, hours);
        }
        g_free(hours);
    }
    if (x->o.json)
        printf("%s]\n", json->str);
    g_string_free(json, TRUE);
    PQclear(r);
    return 0;
}

static int cmd_team_list(cmdctx *x) { return run_db(x, 0, do_team_list); }

/* sla report ---------------------------------------------------------------------------------------- */
#define SLA_REPORT_SQL \
    "WITH t AS (SELECT * FROM tickets WHERE created_at >= $1::timestamptz)," \
    " m AS (" \
    "  SELECT 'ack' AS sla, team, id, acked_at IS NOT NULL AS done, extract(epoch FROM acked_at - created_at) AS secs" \
    "   FROM t WHERE due_ack IS NOT NULL" \
    "  UNION ALL SELECT 'first_response', team, id, first_response_at IS NOT NULL," \
    "   extract(epoch FROM first_response_at - created_at) FROM t WHERE due_first_response IS NOT NULL" \
    "  UNION ALL SELECT 'update', team, id, false, NULL FROM t WHERE due_update IS NOT NULL" \
    "   OR EXISTS (SELECT 1 FROM breaches b WHERE b.ticket_id = t.id AND b.sla = 'update')" \
    "  UNION ALL SELECT 'resolution', team, id, resolved_at IS NOT NULL OR status = 'closed'," \
    "   extract(epoch FROM resolved_at - created_at) FROM t WHERE due_resolution IS NOT NULL OR resolved_at IS NOT NULL)," \
    " r AS (SELECT sla, team, count(*) AS tickets," \
    "   count(*) FILTER (WHERE done AND NOT EXISTS (SELECT 1 FROM breaches b WHERE b.ticket_id = m.id AND b.sla = m.sla))" \
    "     AS met," \
    "   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM breaches b WHERE b.ticket_id = m.id AND b.sla = m.sla)) AS breached," \
    "   round(percentile_cont(0.5) WITHIN GROUP (ORDER BY secs)::numeric, 1) AS median_seconds," \
    "   round(percentile_cont(0.95) WITHIN GROUP (ORDER BY secs)::numeric, 1) AS p95_seconds" \
    "  FROM m GROUP BY sla, team)"

static const char *const sla_text_sql = SLA_REPORT_SQL
    " SELECT sla, team, tickets, met, breached, coalesce(median_seconds::text, '-'), coalesce(p95_seconds::text, '-')"
    " FROM r ORDER BY array_position(ARRAY['ack', 'first_response', 'update', 'resolution'], sla), team";
static const char *const sla_json_sql = SLA_REPORT_SQL
    " SELECT json_build_object('since', $1::timestamptz, 'rows', coalesce(json_agg(r ORDER BY"
    "  array_position(ARRAY['ack', 'first_response', 'update', 'resolution'], sla), team), '[]')) FROM r";

/* --since 24h (a duration back from now) or a date; a week by default. */
static char *since_timestamp(const char *since)
{
    long long secs;
    if (!since)
        since = "7d";
    if (sg_duration_parse(since, &secs) == 0) {
        GDateTime *now = g_date_time_new_now_utc(), *then = g_date_time_add_seconds(now, -(double)secs);
        char *s = g_date_time_format_iso8601(then);
        g_date_time_unref(now);
        g_date_time_unref(then);
        return s;
    }
    return g_strdup(since);
}

static int do_sla_report(cmdctx *x, PGconn *db, char **err)
{
    char *since = since_timestamp(x->o.since);
    const char *p[] = { since };
    PGresult *r = sg_db_exec(db, x->o.json ? sla_json_sql : sla_text_sql, 1, p, err);
    g_free(since);
    if (!r)
        return -1;
    if (x->o.json) {
        printf("%s\n", PQgetvalue(r, 0, 0));
    } else {
        printf("%-15s %-12s %8s %8s %8s %10s %10s\n", "SLA", "TEAM", "TICKETS", "MET", "BREACHED", "MEDIAN s",
               "P95 s");
        for (int i = 0; i < PQntuples(r); i++)
            printf("%-15s %-12s %8s %8s %8s %10s %10s\n", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1),
                   PQgetvalue(r, i, 2), PQgetvalue(r, i, 3), PQgetvalue(r, i, 4), PQgetvalue(r, i, 5),
                   PQgetvalue(r, i, 6));
    }
    PQclear(r);
    return 0;
}

static int cmd_sla_report(cmdctx *x) { return run_db(x, 0, do_sla_report); }

/* status and metrics --------------------------------------------------------------------------------- */
static int cmd_status(cmdctx *x)
{
    char *err = NULL;
    /* Unreachable is itself the answer here, in the same shape as the rest. */
    PGconn *db = sg_db_connect(sg_config_str(x->cfg, SG_CFG_CLI_DATABASE), (int)sg_config_num(x->cfg, SG_CFG_DB_TIMEOUT),
                               "supportgate", sg_config_str(x->cfg, SG_CFG_DISPLAY_TIMEZONE), &err);
    int problems = db ? sg_health_status(db, x->o.json, stdout, &err) : -1;
    if (problems < 0) {
        char *e = g_strescape(err ? err : "unknown error", NULL);
        if (x->o.json)
            printf("{\"database\" : \"unreachable\", \"error\" : \"%s\", \"ok\" : false,"
                   " \"problems\" : [\"database unreachable\"]}\n", e);
        else
            printf("database: UNREACHABLE: %s\nstatus: NEEDS ATTENTION\n", err ? err : "unknown error");
        g_free(e);
    }
    g_free(err);
    PQfinish(db);
    return problems != 0 ? 1 : 0;
}

static int do_metrics(cmdctx *x, PGconn *db, char **err)
{
    (void)x;
    return sg_health_metrics(db, stdout, err);
}

static int cmd_metrics(cmdctx *x) { return run_db(x, 0, do_metrics); }

/* dispatch ------------------------------------------------------------------------------------------- */
static const struct command {
    const char *name, *sub;
    handler fn;
    const char *help;
} commands[] = {
    { "ticket", "show", cmd_ticket_show, "ticket show N [--json]" },
    { "tickets", "list", cmd_tickets_list, "tickets list [--status S] [--team T] [--breached] [--limit N] [--json]" },
    { "db", "migrate", cmd_db_migrate, "db migrate [--sql-dir DIR]" },
    { "config", "check", cmd_config_check, "config check" },
    { "agent", "add", cmd_agent_add, "agent add ADDR --name NAME --team TEAM [--lead]" },
    { "agent", "remove", cmd_agent_remove, "agent remove ADDR" },
    { "agent", "list", cmd_agent_list, "agent list [--json]" },
    { "manager", "add", cmd_manager_add, "manager add ADDR --name NAME" },
    { "manager", "remove", cmd_manager_remove, "manager remove ADDR" },
    { "manager", "list", cmd_manager_list, "manager list [--json]" },
    { "team", "list", cmd_team_list, "team list [--json]" },
    { "sla", "report", cmd_sla_report, "sla report [--since DURATION|DATE] [--json]" },
    { "status", NULL, cmd_status, "status [--json]" },
    { "metrics", NULL, cmd_metrics, "metrics" },
};

static void usage(FILE *f)
{
    fprintf(f, "usage: supportgate [-c FILE] COMMAND ...\n\ncommands:\n");
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
        fprintf(f, "  %s\n", commands[i].help);
    fprintf(f, "\n-c FILE: configuration (default %s)\n", sg_config_default_path());
}

/* Flags may come anywhere after the command words. */
static int parse_opts(int argc, char **argv, opts *o)
{
    static const struct { const char *flag; size_t off; } values[] = {
        { "--status", offsetof(opts, status) }, { "--team", offsetof(opts, team) },
        { "--name", offsetof(opts, name) },     { "--sql-dir", offsetof(opts, sql_dir) },
        { "--limit", offsetof(opts, limit) },     { "--since", offsetof(opts, since) },
    };
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        size_t k;
        for (k = 0; k < G_N_ELEMENTS(values) && strcmp(a, values[k].flag) != 0; k++)
            ;
        if (k < G_N_ELEMENTS(values)) {
            if (++i >= argc)
                return fail("%s needs a value", a);
            *(const char **)((char *)o + values[k].off) = argv[i];
        } else if (!strcmp(a, "--json")) {
            o->json = 1;
        } else if (!strcmp(a, "--lead")) {
            o->lead = 1;
        } else if (!strcmp(a, "--breached")) {
            o->breached = 1;
        } else if (a[0] == '-' && a[1]) {
            return fail("unknown option %s", a);
        } else if (o->npos < (int)G_N_ELEMENTS(o->pos)) {
            o->pos[o->npos++] = a;
        } else {
            return fail("too many arguments");
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *path = sg_config_default_path();
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-c") && i + 1 < argc)
            path = argv[++i];
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--version")) {
            printf("supportgate %s\n", PACKAGE_VERSION);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (argc - i < 1) {
        usage(stderr);
        return 2;
    }
    /* Commands are one word ("status") or two ("ticket show"). */
    const struct command *cmd = NULL;
    for (size_t k = 0; k < G_N_ELEMENTS(commands); k++)
        if (!strcmp(commands[k].name, argv[i]) &&
            (!commands[k].sub || (i + 1 < argc && !strcmp(commands[k].sub, argv[i + 1]))))
            cmd = &commands[k];
    if (!cmd) {
        fail("unknown command: %s%s%s", argv[i], i + 1 < argc ? " " : "", i + 1 < argc ? argv[i + 1] : "");
        usage(stderr);
        return 2;
    }
    int words = cmd->sub ? 2 : 1;
    cmdctx x = { 0 };
    if (parse_opts(argc - i - words, argv + i + words, &x.o))
        return 2;
    char *err = NULL;
    sg_config *cfg = sg_config_load(path, &err);
    if (!cfg) {
        fail("%s", err);
        g_free(err);
        return 1;
    }
    x.cfg = cfg;
    int rc = cmd->fn(&x);
    sg_config_unref(cfg);
    return rc;
}
