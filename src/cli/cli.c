/* cli.c - supportgate: the operators' command line; one table of commands, a small dispatcher, short handlers. */
#include <errno.h>
#include <glib.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "duration.h"
#include "health.h"
#include "migrate.h"
#include "template.h"
#include "token.h"
#include "ticketview.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

#define EXIT_USAGE 2

/* Options a command may accept; its table entry lists which, so a stray one is an error, not ignored. */
enum {
    OPT_JSON = 1u << 0,
    OPT_STATUS = 1u << 1,
    OPT_TEAM = 1u << 2,
    OPT_BREACHED = 1u << 3,
    OPT_LIMIT = 1u << 4,
    OPT_SQL_DIR = 1u << 5,
    OPT_NAME = 1u << 6,
    OPT_LEAD = 1u << 7,
    OPT_SINCE = 1u << 8,
    OPT_UNTIL = 1u << 9,
};

#define MAX_ARGS 4

typedef struct {
    int json, breached, lead, help;
    const char *status, *team, *limit, *sql_dir, *name, *since, *until;
    const char *arg[MAX_ARGS]; /* positional arguments after the command words */
    int nargs;
} opts;

static const struct option_def {
    const char *flag;
    unsigned bit;
    size_t off;     /* where in opts */
    int takes_value; /* 1: a const char * that takes the next word; 0: an int set to 1 */
} option_defs[] = {
    { "--json", OPT_JSON, offsetof(opts, json), 0 },
    { "--status", OPT_STATUS, offsetof(opts, status), 1 },
    { "--team", OPT_TEAM, offsetof(opts, team), 1 },
    { "--breached", OPT_BREACHED, offsetof(opts, breached), 0 },
    { "--limit", OPT_LIMIT, offsetof(opts, limit), 1 },
    { "--sql-dir", OPT_SQL_DIR, offsetof(opts, sql_dir), 1 },
    { "--name", OPT_NAME, offsetof(opts, name), 1 },
    { "--lead", OPT_LEAD, offsetof(opts, lead), 0 },
    { "--since", OPT_SINCE, offsetof(opts, since), 1 },
    { "--until", OPT_UNTIL, offsetof(opts, until), 1 },
};

typedef struct command command;

/* What a handler gets: the loaded configuration, its table entry and the parsed options. */
typedef struct {
    const sg_config *cfg;
    const command *cmd;
    opts o;
} cmdctx;

/* A handler returns the exit status: 0, 1 (failed, already reported) or EXIT_USAGE. */
struct command {
    const char *name, *sub; /* "ticket", "show"; SUB is NULL for one-word commands ("status") */
    const char *args;       /* what follows the words in the usage line */
    unsigned accepts;       /* OPT_* */
    int min_args, max_args; /* positional arguments */
    int (*run)(cmdctx *x);
    const char *help;
};

/* Errors --------------------------------------------------------------------------------------------- */

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

static void command_usage(const command *c, FILE *f)
{
    fprintf(f, "usage: supportgate [-c FILE] %s%s%s%s%s\n", c->name, c->sub ? " " : "", c->sub ? c->sub : "",
            *c->args ? " " : "", c->args);
}

/* A mistake in how the command was called: the message, then that command's usage; exit 2. */
static int usage_error(const cmdctx *x, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static int usage_error(const cmdctx *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("supportgate: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    command_usage(x->cmd, stderr);
    return EXIT_USAGE;
}

/* A JSON string literal for text that did not come from PostgreSQL's JSON functions. */
static void json_str(GString *s, const char *v)
{
    g_string_append_c(s, '"');
    for (; *v; v++) {
        unsigned char c = (unsigned char)*v;
        if (c == '"' || c == '\\')
            g_string_append_printf(s, "\\%c", c);
        else if (c < 0x20)
            g_string_append_printf(s, "\\u%04x", c);
        else
            g_string_append_c(s, (char)c);
    }
    g_string_append_c(s, '"');
}

/* Database --------------------------------------------------------------------------------------------- */

typedef enum { AS_CLI, AS_OWNER } db_role;

/* Say what to do about a schema the CLI cannot use, not just what PostgreSQL said. */
static void report_schema(const char *err)
{
    const char *state = sg_db_last_sqlstate();
    if (!strcmp(state, "42P01"))
        fail("the database has no supportgate schema yet: run `supportgate db migrate`");
    else if (!strcmp(state, "42501"))
        fail("%s may not read schema_version: run `supportgate db migrate`, which grants it (%s)",
             sg_config_key_name(SG_CFG_CLI_DATABASE), err);
    else
        fail("%s", err);
}

/* The CLI's own role for everything but migrations, which need the owner.  Times print in display_timezone. */
static PGconn *connect_as(const sg_config *c, db_role role)
{
    sg_cfg_key key = role == AS_OWNER ? SG_CFG_DATABASE : SG_CFG_CLI_DATABASE;
    char *err = NULL;
    PGconn *db = sg_db_connect(sg_config_str(c, key), (int)sg_config_num(c, SG_CFG_DB_TIMEOUT), "supportgate",
                               sg_config_str(c, SG_CFG_DISPLAY_TIMEZONE), &err);
    if (!db) {
        fail("cannot connect to the database (%s in %s): %s", sg_config_key_name(key), sg_config_path(c), err);
    } else if (role == AS_CLI && sg_db_check_schema(db, &err) < 0) {
        report_schema(err);
        PQfinish(db);
        db = NULL;
    }
    g_free(err);
    return db;
}

/* Connect, run FN, report its error.  FN returns 0, 1 (failed and reported) or -1 with *ERR. */
static int with_db(cmdctx *x, db_role role, int (*fn)(cmdctx *, PGconn *, char **))
{
    PGconn *db = connect_as(x->cfg, role);
    if (!db)
        return 1;
    char *err = NULL;
    int rc = fn(x, db, &err);
    if (rc < 0)
        rc = fail("%s", err ? err : "failed");
    g_free(err);
    PQfinish(db);
    return rc;
}

/* Argument checks ------------------------------------------------------------------------------------ */

static long long positive(const char *s)
{
    char *end = NULL;
    errno = 0;
    long long v = s && g_ascii_isdigit(*s) ? g_ascii_strtoll(s, &end, 10) : 0;
    return v > 0 && !errno && !*end ? v : 0;
}

static int is_address(const char *s)
{
    const char *at = strchr(s, '@');
    return at && at != s && at[1] && !strchr(at + 1, '@') && !strpbrk(s, " \t<>");
}

static const char *tag_prefix(const cmdctx *x)
{
    return sg_config_str(x->cfg, SG_CFG_TAG_PREFIX);
}

/* ticket show / tickets list ------------------------------------------------------------------------- */

static int do_ticket_show(cmdctx *x, PGconn *db, char **err)
{
    long long id = positive(x->o.arg[0]);
    int found = sg_view_ticket(db, tag_prefix(x), id, x->o.json, stdout, err);
    if (found == 0)
        return fail("ticket %lld not found", id);
    return found < 0 ? -1 : 0;
}

static int cmd_ticket_show(cmdctx *x)
{
    if (!positive(x->o.arg[0]))
        return usage_error(x, "not a ticket number: %s", x->o.arg[0]);
    return with_db(x, AS_CLI, do_ticket_show);
}

static int do_tickets_list(cmdctx *x, PGconn *db, char **err)
{
    sg_ticket_filter f = { x->o.status, x->o.team, x->o.breached, x->o.limit ? positive(x->o.limit) : 0 };
    return sg_view_tickets(db, tag_prefix(x), &f, x->o.json, stdout, err);
}

static int cmd_tickets_list(cmdctx *x)
{
    static const char *const statuses[] = { "new", "open", "pending", "resolved", "closed", NULL };
    if (x->o.status && !g_strv_contains(statuses, x->o.status))
        return usage_error(x, "--status must be one of new, open, pending, resolved, closed");
    if (x->o.limit && !positive(x->o.limit))
        return usage_error(x, "--limit must be a positive number");
    return with_db(x, AS_CLI, do_tickets_list);
}

/* db migrate / config check -------------------------------------------------------------------------- */

static int do_migrate(cmdctx *x, PGconn *db, char **err)
{
    char *dir = x->o.sql_dir ? g_strdup(x->o.sql_dir) : sg_migrate_default_dir();
    int rc = sg_migrate(db, dir, stdout, err);
    g_free(dir);
    return rc;
}

/* The daemons sign their Message-IDs with the reply key: a new installation gets one (0600) with its schema, and
 * a rotation (the old file moved to reply_key_previous_file) gets the next one, owned as the old one was. */
static int create_reply_key(const sg_config *c)
{
    char *path = sg_token_key_path(c, SG_CFG_REPLY_KEY_FILE), *like = sg_token_key_path(c, SG_CFG_REPLY_KEY_PREVIOUS_FILE);
    char *err = NULL;
    int rc = sg_token_key_create(path, like, &err);
    if (rc > 0)
        printf("created the reply key %s (mode 0600)\n", path);
    if (rc < 0)
        fail("%s: reply_key_file: %s", sg_config_path(c), err);
    g_free(err);
    g_free(path);
    g_free(like);
    return rc < 0;
}

static int cmd_db_migrate(cmdctx *x)
{
    int rc = with_db(x, AS_OWNER, do_migrate);
    return create_reply_key(x->cfg) || rc;
}

/* A daemon without a role of its own runs with the owner's rights, which may alter or drop every table: legal,
 * but worth saying. */
static void warn_owner_fallback(const sg_config *c)
{
    static const sg_cfg_key roles[] = { SG_CFG_MILTER_DATABASE, SG_CFG_SCHEDULER_DATABASE };
    for (size_t i = 0; i < G_N_ELEMENTS(roles); i++)
        if (!sg_config_key_line(c, roles[i]))
            fprintf(stderr, "supportgate: warning: %s: %s is not set, so that program connects with %s, the owner's"
                    " role, and may alter or drop every table\n", sg_config_path(c), sg_config_key_name(roles[i]),
                    sg_config_key_name(SG_CFG_DATABASE));
}

/* The reply key must be there, readable and private; so must the previous one while it lies beside it. */
static int check_reply_keys(const sg_config *c)
{
    static const sg_cfg_key keys[] = { SG_CFG_REPLY_KEY_FILE, SG_CFG_REPLY_KEY_PREVIOUS_FILE };
    int bad = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
        char *path = sg_token_key_path(c, keys[i]), *problem = NULL;
        if (i == 0 || (*path && g_file_test(path, G_FILE_TEST_EXISTS)))
            problem = sg_token_key_problem(path);
        if (problem)
            bad = fail("%s: %s: %s", sg_config_path(c), sg_config_key_name(keys[i]), problem);
        g_free(problem);
        g_free(path);
    }
    return bad;
}

/* Loading the file validated every key (main reports a bad one as FILE:LINE: key: problem); the
 * templates are read too, since intake cannot acknowledge anything without them. */
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
    bad |= check_reply_keys(x->cfg);
    warn_owner_fallback(x->cfg);
    if (!bad)
        printf("%s: ok\n", sg_config_path(x->cfg));
    return bad;
}

/* agents and managers ---------------------------------------------------------------------------------- */

/* A listing query returns one JSON document (with --json) or rows printed in aligned columns. */
static int print_listing(PGconn *db, const char *sql, int json, char **err)
{
    PGresult *r = sg_db_exec(db, sql, 0, NULL, err);
    if (!r)
        return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        for (int k = 0; k < PQnfields(r); k++)
            printf(json || k + 1 == PQnfields(r) ? "%s" : "%-28s ", PQgetvalue(r, i, k));
        putchar('\n');
    }
    PQclear(r);
    return 0;
}

static int do_agent_add(cmdctx *x, PGconn *db, char **err)
{
    const char *p[] = { x->o.arg[0], x->o.name, x->o.team, x->o.lead ? "t" : "f" };
    PGresult *r = sg_db_exec(db,
        "INSERT INTO agents (address, name, team, lead) VALUES (lower($1), $2, $3, $4::bool)"
        " ON CONFLICT (address) DO UPDATE SET name = EXCLUDED.name, team = EXCLUDED.team, lead = EXCLUDED.lead"
        " RETURNING (xmax = 0)", 4, p, err);
    if (!r)
        return -1;
    printf("agent %s %s (%s%s)\n", x->o.arg[0], PQgetvalue(r, 0, 0)[0] == 't' ? "added" : "updated", x->o.team,
           x->o.lead ? ", lead" : "");
    PQclear(r);
    return 0;
}

/* Commands about one person named by a mail address (agents, managers). */
static int with_address(cmdctx *x, int (*fn)(cmdctx *, PGconn *, char **))
{
    if (!is_address(x->o.arg[0]))
        return usage_error(x, "not a mail address: %s", x->o.arg[0]);
    return with_db(x, AS_CLI, fn);
}

static int cmd_agent_add(cmdctx *x)
{
    if (!x->o.name || !x->o.team)
        return usage_error(x, "--name and --team are required");
    if (!sg_config_team_find(x->cfg, x->o.team))
        return fail("no team \"%s\" in %s (see: supportgate team list)", x->o.team, sg_config_path(x->cfg));
    return with_address(x, do_agent_add);
}

/* Delete the person named by the first argument; WHAT is "agent" or "manager". */
static int remove_person(cmdctx *x, PGconn *db, const char *sql, const char *what, char **err)
{
    const char *p[] = { x->o.arg[0] };
    PGresult *r = sg_db_exec(db, sql, 1, p, err);
    if (!r)
        return -1;
    int n = atoi(PQcmdTuples(r));
    PQclear(r);
    if (!n)
        return fail("no %s %s", what, x->o.arg[0]);
    printf("%s %s removed\n", what, x->o.arg[0]);
    return 0;
}

static int do_agent_remove(cmdctx *x, PGconn *db, char **err)
{
    return remove_person(x, db, "DELETE FROM agents WHERE address = lower($1)", "agent", err);
}

static int cmd_agent_remove(cmdctx *x)
{
    return with_address(x, do_agent_remove);
}

static int do_agent_list(cmdctx *x, PGconn *db, char **err)
{
    return print_listing(db, x->o.json
        ? "SELECT coalesce(json_agg(json_build_object('address', address, 'name', name, 'team', team, 'lead', lead)"
          " ORDER BY team, address), '[]') FROM agents"
        : "SELECT address, name, team || CASE WHEN lead THEN ' (lead)' ELSE '' END FROM agents ORDER BY team, address",
        x->o.json, err);
}

static int cmd_agent_list(cmdctx *x)
{
    return with_db(x, AS_CLI, do_agent_list);
}

static int do_manager_add(cmdctx *x, PGconn *db, char **err)
{
    const char *p[] = { x->o.arg[0], x->o.name };
    if (sg_db_run(db, "INSERT INTO managers (address, name) VALUES (lower($1), $2)"
                      " ON CONFLICT (address) DO UPDATE SET name = EXCLUDED.name", 2, p, err) < 0)
        return -1;
    printf("manager %s added\n", x->o.arg[0]);
    return 0;
}

static int cmd_manager_add(cmdctx *x)
{
    if (!x->o.name)
        return usage_error(x, "--name is required");
    return with_address(x, do_manager_add);
}

static int do_manager_remove(cmdctx *x, PGconn *db, char **err)
{
    return remove_person(x, db, "DELETE FROM managers WHERE address = lower($1)", "manager", err);
}

static int cmd_manager_remove(cmdctx *x)
{
    return with_address(x, do_manager_remove);
}

static int do_manager_list(cmdctx *x, PGconn *db, char **err)
{
    return print_listing(db, x->o.json
        ? "SELECT coalesce(json_agg(json_build_object('address', address, 'name', name) ORDER BY address), '[]')"
          " FROM managers"
        : "SELECT address, name FROM managers ORDER BY address", x->o.json, err);
}

static int cmd_manager_list(cmdctx *x)
{
    return with_db(x, AS_CLI, do_manager_list);
}

/* team list ------------------------------------------------------------------------------------------- */

/* The number of agents (column 1) or leads (column 2) of TEAM in R, as text. */
static const char *team_count(const PGresult *r, const char *team, int column)
{
    for (int k = 0; k < PQntuples(r); k++)
        if (!strcmp(PQgetvalue(r, k, 0), team))
            return PQgetvalue(r, k, column);
    return "0";
}

static void team_json(GString *s, const sg_team *t, const char *hours, const PGresult *r)
{
    g_string_append(s, s->len > 1 ? ",{\"name\":" : "{\"name\":");
    json_str(s, t->name);
    g_string_append_printf(s, ",\"level\":%d,\"mailbox\":", t->level);
    json_str(s, t->mailbox);
    g_string_append(s, ",\"hours\":");
    json_str(s, hours);
    g_string_append_printf(s, ",\"agents\":%s,\"leads\":%s}", team_count(r, t->name, 1), team_count(r, t->name, 2));
}

/* Teams come from the configuration (with their hours); their agents from the database. */
static int do_team_list(cmdctx *x, PGconn *db, char **err)
{
    PGresult *r = sg_db_exec(db, "SELECT team, count(*), count(*) FILTER (WHERE lead) FROM agents GROUP BY team",
                             0, NULL, err);
    if (!r)
        return -1;
    GString *json = g_string_new("[");
    for (size_t i = 0; i < sg_config_team_count(x->cfg); i++) {
        const sg_team *t = sg_config_team(x->cfg, i);
        char *hours = sg_team_hours(t);
        if (x->o.json)
            team_json(json, t, hours, r);
        else
            printf("%-12s level %d  %-28s %s agent(s)  %s\n", t->name, t->level, t->mailbox,
                   team_count(r, t->name, 1), hours);
        g_free(hours);
    }
    if (x->o.json)
        printf("%s]\n", json->str);
    g_string_free(json, TRUE);
    PQclear(r);
    return 0;
}

static int cmd_team_list(cmdctx *x)
{
    return with_db(x, AS_CLI, do_team_list);
}

/* sla report -------------------------------------------------------------------------------------------- */

/* c: each SLA a ticket ran under its current team, whether that clock is done and how long it took: ack and
 * first response around the clock; update the longest wait for news, and resolution the time to it, both
 * measured in the owning team's working hours without the time pending on the customer.  b: the breaches, under
 * the team that missed them, which stay there after an escalation. */
#define SLA_REPORT_SQL \
    "WITH t AS (SELECT * FROM tickets WHERE created_at >= $1::timestamptz" \
    "  AND ($2::timestamptz IS NULL OR created_at < $2::timestamptz))," \
    " c AS (" \
    "  SELECT 'ack' AS sla, team, id, acked_at IS NOT NULL AS done, extract(epoch FROM acked_at - created_at) AS secs" \
    "   FROM t WHERE due_ack IS NOT NULL" \
    "  UNION ALL SELECT 'first_response', team, id, first_response_at IS NOT NULL," \
    "   extract(epoch FROM first_response_at - created_at) FROM t WHERE due_first_response IS NOT NULL" \
    "  UNION ALL SELECT 'update', team, id, status IN ('resolved', 'closed'), update_longest FROM t" \
    "   WHERE due_update IS NOT NULL OR update_since IS NOT NULL OR update_longest IS NOT NULL" \
    "  UNION ALL SELECT 'resolution', team, id, status IN ('resolved', 'closed'), resolution_seconds FROM t" \
    "   WHERE due_resolution IS NOT NULL OR resolved_at IS NOT NULL OR resolution_seconds IS NOT NULL)," \
    " b AS (SELECT DISTINCT b.sla, b.team, b.ticket_id AS id FROM breaches b JOIN t ON t.id = b.ticket_id)," \
    " m AS (SELECT c.sla, c.team, c.id, c.done, c.secs, b.id IS NOT NULL AS missed FROM c LEFT JOIN b USING (sla, team, id)" \
    "  UNION ALL SELECT b.sla, b.team, b.id, false, NULL, true FROM b" \
    "   WHERE NOT EXISTS (SELECT 1 FROM c WHERE c.sla = b.sla AND c.team = b.team AND c.id = b.id))," \
    " r AS (SELECT sla, team, count(*) AS tickets, count(*) FILTER (WHERE done AND NOT missed) AS met," \
    "   count(*) FILTER (WHERE missed) AS breached," \
    "   round(percentile_cont(0.5) WITHIN GROUP (ORDER BY secs)::numeric, 1) AS median_seconds," \
    "   round(percentile_cont(0.95) WITHIN GROUP (ORDER BY secs)::numeric, 1) AS p95_seconds" \
    "  FROM m GROUP BY sla, team)"

static const char *const sla_text_sql = SLA_REPORT_SQL
    " SELECT sla, team, tickets, met, breached, coalesce(median_seconds::text, '-'), coalesce(p95_seconds::text, '-')"
    " FROM r ORDER BY array_position(ARRAY['ack', 'first_response', 'update', 'resolution'], sla), team";
static const char *const sla_json_sql = SLA_REPORT_SQL
    " SELECT json_build_object('since', $1::timestamptz, 'until', $2::timestamptz, 'rows', coalesce(json_agg(r ORDER BY"
    "  array_position(ARRAY['ack', 'first_response', 'update', 'resolution'], sla), team), '[]')) FROM r";

/* --since/--until 24h (a duration back from now) or a date, as PostgreSQL reads it.  g_free. */
static char *report_timestamp(const char *since)
{
    long long secs;
    if (sg_duration_parse(since, &secs) < 0)
        return g_strdup(since);
    GDateTime *now = g_date_time_new_now_utc(), *then = g_date_time_add_seconds(now, -(double)secs);
    char *s = g_date_time_format_iso8601(then);
    g_date_time_unref(now);
    g_date_time_unref(then);
    return s;
}

static void print_sla_rows(const PGresult *r)
{
    printf("%-15s %-12s %8s %8s %8s %10s %10s\n", "SLA", "TEAM", "TICKETS", "MET", "BREACHED", "MEDIAN s", "P95 s");
    for (int i = 0; i < PQntuples(r); i++)
        printf("%-15s %-12s %8s %8s %8s %10s %10s\n", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2),
               PQgetvalue(r, i, 3), PQgetvalue(r, i, 4), PQgetvalue(r, i, 5), PQgetvalue(r, i, 6));
}

static int do_sla_report(cmdctx *x, PGconn *db, char **err)
{
    char *since = report_timestamp(x->o.since ? x->o.since : "7d"); /* a week by default */
    char *until = x->o.until ? report_timestamp(x->o.until) : NULL;
    const char *p[] = { since, until };
    PGresult *r = sg_db_exec(db, x->o.json ? sla_json_sql : sla_text_sql, 2, p, err);
    g_free(since);
    g_free(until);
    if (!r)
        return -1;
    if (x->o.json)
        printf("%s\n", PQgetvalue(r, 0, 0));
    else
        print_sla_rows(r);
    PQclear(r);
    return 0;
}

static int cmd_sla_report(cmdctx *x)
{
    return with_db(x, AS_CLI, do_sla_report);
}

/* status and metrics ------------------------------------------------------------------------------------ */

/* A database status cannot read is itself the answer, in the same shape as a healthy one: unreachable, the
 * schema missing (not migrated yet) or a permission error each name their own fix. */
static void print_db_failure(const char *state, const char *problem, const char *err, int json)
{
    if (!json) {
        char *upper = g_ascii_strup(state, -1);
        printf("database: %s: %s\nPROBLEM: %s\nstatus: NEEDS ATTENTION\n", upper, err, problem);
        g_free(upper);
        return;
    }
    GString *s = g_string_new("{\"database\": ");
    json_str(s, state);
    g_string_append(s, ", \"error\": ");
    json_str(s, err);
    g_string_append(s, ", \"ok\": false, \"problems\": [");
    json_str(s, problem);
    g_string_append(s, "]}");
    printf("%s\n", s->str);
    g_string_free(s, TRUE);
}

/* Connects without the schema check: a wrong schema is one of the problems status reports. */
static int cmd_status(cmdctx *x)
{
    char *err = NULL;
    PGconn *db = sg_db_connect(sg_config_str(x->cfg, SG_CFG_CLI_DATABASE),
                               (int)sg_config_num(x->cfg, SG_CFG_DB_TIMEOUT), "supportgate",
                               sg_config_str(x->cfg, SG_CFG_DISPLAY_TIMEZONE), &err);
    int problems = db ? sg_health_status(db, x->o.json, stdout, &err) : -1;
    if (problems < 0) {
        const char *state = "unreachable", *problem = "database unreachable";
        if (db && PQstatus(db) == CONNECTION_OK)
            sg_health_db_state(sg_db_last_sqlstate(), &state, &problem);
        print_db_failure(state, problem, err ? err : "unknown error", x->o.json);
    }
    g_free(err);
    PQfinish(db);
    return problems != 0 ? 1 : 0;
}

static int do_metrics(cmdctx *x, PGconn *db, char **err)
{
    int rc = sg_health_metrics(db, stdout, err);
    if (rc == 0)
        sg_health_milter_metrics(sg_config_str(x->cfg, SG_CFG_MILTER_STATS_FILE), stdout);
    return rc;
}

static int cmd_metrics(cmdctx *x)
{
    return with_db(x, AS_CLI, do_metrics);
}

/* The table ------------------------------------------------------------------------------------------- */

static const command commands[] = {
    { "ticket", "show", "N [--json]", OPT_JSON, 1, 1, cmd_ticket_show,
      "one ticket: header, messages, events, breaches" },
    { "tickets", "list", "[--status S] [--team T] [--breached] [--limit N] [--json]",
      OPT_STATUS | OPT_TEAM | OPT_BREACHED | OPT_LIMIT | OPT_JSON, 0, 0, cmd_tickets_list, "tickets, newest first" },
    { "sla", "report", "[--since DURATION|DATE] [--until DURATION|DATE] [--json]", OPT_SINCE | OPT_UNTIL | OPT_JSON, 0, 0, cmd_sla_report,
      "per SLA and team: met, breached, median, p95 (default --since 7d)" },
    { "db", "migrate", "[--sql-dir DIR]", OPT_SQL_DIR, 0, 0, cmd_db_migrate,
      "apply missing schema migrations (connects as `database`, the owner)" },
    { "config", "check", "", 0, 0, 0, cmd_config_check, "validate the configuration, its templates and the reply key" },
    { "agent", "add", "ADDR --name NAME --team TEAM [--lead]", OPT_NAME | OPT_TEAM | OPT_LEAD, 1, 1, cmd_agent_add,
      "add or update an agent" },
    { "agent", "remove", "ADDR", 0, 1, 1, cmd_agent_remove, "remove an agent" },
    { "agent", "list", "[--json]", OPT_JSON, 0, 0, cmd_agent_list, "agents by team" },
    { "manager", "add", "ADDR --name NAME", OPT_NAME, 1, 1, cmd_manager_add, "add or update a manager" },
    { "manager", "remove", "ADDR", 0, 1, 1, cmd_manager_remove, "remove a manager" },
    { "manager", "list", "[--json]", OPT_JSON, 0, 0, cmd_manager_list, "managers" },
    { "team", "list", "[--json]", OPT_JSON, 0, 0, cmd_team_list, "teams with levels, hours and agents" },
    { "status", NULL, "[--json]", OPT_JSON, 0, 0, cmd_status,
      "health; exits non-zero when something needs an operator" },
    { "metrics", NULL, "", 0, 0, 0, cmd_metrics, "metrics in the Prometheus text format" },
};

/* The dispatcher ---------------------------------------------------------------------------------------- */

static char *command_words(const command *c)
{
    char *w = g_strjoin(" ", c->name, c->sub ? c->sub : c->args, c->sub ? c->args : NULL, NULL);
    return g_strstrip(w);
}

static void usage(FILE *f)
{
    int width = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++) {
        char *w = command_words(&commands[i]);
        width = MAX(width, (int)strlen(w));
        g_free(w);
    }
    fprintf(f, "usage: supportgate [-c FILE] COMMAND [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++) {
        char *w = command_words(&commands[i]);
        fprintf(f, "  %-*s  %s\n", width, w, commands[i].help);
        g_free(w);
    }
    fprintf(f, "\noptions:\n  -c FILE     configuration (default: %s)\n"
               "  -h, --help  this help (after a command: that command's usage)\n  --version   the version\n",
            sg_config_default_path());
}

static int global_usage_error(const char *what, const char *arg)
{
    fail("%s%s", what, arg);
    usage(stderr);
    return EXIT_USAGE;
}

/* Options before the command.  The index of the command's first word, or -1 to exit with *RC. */
static int global_options(int argc, char **argv, const char **path, int *rc)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        int config = !strcmp(a, "-c") || !strcmp(a, "--config");
        if (config && i + 1 < argc) {
            *path = argv[++i];
            continue;
        }
        *rc = 0;
        if (!strcmp(a, "-h") || !strcmp(a, "--help"))
            usage(stdout);
        else if (!strcmp(a, "--version"))
            printf("supportgate %s\n", PACKAGE_VERSION);
        else
            *rc = config ? global_usage_error(a, " needs a file") : global_usage_error("unknown option ", a);
        return -1;
    }
    if (i >= argc) {
        *rc = global_usage_error("no command given", "");
        return -1;
    }
    return i;
}

/* Commands are one word ("status") or two ("ticket show"); *WORDS says which. */
static const command *find_command(int argc, char **argv, int *words)
{
    for (size_t k = 0; k < G_N_ELEMENTS(commands); k++) {
        const command *c = &commands[k];
        if (strcmp(c->name, argv[0]) != 0)
            continue;
        if (!c->sub || (argc > 1 && !strcmp(c->sub, argv[1]))) {
            *words = c->sub ? 2 : 1;
            return c;
        }
    }
    return NULL;
}

static int unknown_command(int argc, char **argv)
{
    int known = 0;
    for (size_t k = 0; k < G_N_ELEMENTS(commands); k++)
        known |= !strcmp(commands[k].name, argv[0]);
    if (!known) {
        fail("unknown command: %s", argv[0]);
        usage(stderr);
        return EXIT_USAGE;
    }
    if (argc > 1)
        fail("unknown command: %s %s", argv[0], argv[1]);
    else
        fail("%s: which one?", argv[0]);
    for (size_t k = 0; k < G_N_ELEMENTS(commands); k++)
        if (!strcmp(commands[k].name, argv[0]))
            command_usage(&commands[k], stderr);
    return EXIT_USAGE;
}

static const struct option_def *option_find(const char *word, size_t len)
{
    for (size_t k = 0; k < G_N_ELEMENTS(option_defs); k++)
        if (strlen(option_defs[k].flag) == len && !strncmp(option_defs[k].flag, word, len))
            return &option_defs[k];
    return NULL;
}

/* One option at ARGV[*I] ("--team T" or "--team=T"); 0, or EXIT_USAGE after saying why. */
static int take_option(cmdctx *x, int argc, char **argv, int *i)
{
    const char *a = argv[*i], *eq = strchr(a, '=');
    const struct option_def *d = option_find(a, eq ? (size_t)(eq - a) : strlen(a));
    if (!strcmp(a, "-h") || !strcmp(a, "--help"))
        return x->o.help = 1, 0;
    if (!d || !(x->cmd->accepts & d->bit))
        return usage_error(x, "%s: unknown option for this command", a);
    if (!d->takes_value) {
        if (eq)
            return usage_error(x, "%.*s takes no value", (int)(eq - a), a);
        *(int *)((char *)&x->o + d->off) = 1;
        return 0;
    }
    if (!eq && *i + 1 >= argc)
        return usage_error(x, "%s needs a value", a);
    *(const char **)((char *)&x->o + d->off) = eq ? eq + 1 : argv[++*i];
    return 0;
}

/* Options may come anywhere after the command words; "--" ends them. */
static int parse_args(cmdctx *x, int argc, char **argv)
{
    int only_args = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!only_args && !strcmp(a, "--")) {
            only_args = 1;
        } else if (!only_args && a[0] == '-' && a[1]) {
            if (take_option(x, argc, argv, &i))
                return EXIT_USAGE;
        } else if (x->o.nargs < MAX_ARGS) {
            x->o.arg[x->o.nargs++] = a;
        } else {
            return usage_error(x, "too many arguments");
        }
    }
    if (x->o.help)
        return 0;
    if (x->o.nargs < x->cmd->min_args)
        return usage_error(x, "missing argument");
    if (x->o.nargs > x->cmd->max_args)
        return usage_error(x, "unexpected argument: %s", x->o.arg[x->cmd->max_args]);
    return 0;
}

static int run(cmdctx *x, const char *path)
{
    char *err = NULL;
    sg_config *cfg = sg_config_load(path, &err);
    if (!cfg) {
        fail("%s", err);
        g_free(err);
        return 1;
    }
    x->cfg = cfg;
    int rc = x->cmd->run(x);
    sg_config_unref(cfg);
    return rc;
}

int main(int argc, char **argv)
{
    const char *path = sg_config_default_path();
    int rc = 0, words = 0;
    int i = global_options(argc, argv, &path, &rc);
    if (i < 0)
        return rc;
    cmdctx x = { .cmd = find_command(argc - i, argv + i, &words) };
    if (!x.cmd)
        return unknown_command(argc - i, argv + i);
    if ((rc = parse_args(&x, argc - i - words, argv + i + words)) != 0)
        return rc;
    if (x.o.help) {
        command_usage(x.cmd, stdout);
        return 0;
    }
    rc = run(&x, path);
    /* A listing cut short (disk full, closed pipe) must not look like success to a script. */
    if (fflush(stdout) != 0 || ferror(stdout))
        rc = fail("cannot write the output: %s", g_strerror(errno));
    return rc;
}
