/* cli.c - supportgate: the operators' command line; main, one table of commands and a small dispatcher (the
 * handlers are in cli_*.c, one file per command family). */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "config.h"

/* The e2e suite asks whether this build may be given a simulated time; a release says nothing of it. */
#ifdef SG_TEST_CLOCK
#define SG_BUILT_WITH " (built with the test clock: SUPPORTGATE_TEST_CLOCK)"
#else
#define SG_BUILT_WITH ""
#endif
#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

/* Each option bound to its field in opts, so one parser fills them all. */
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
    { "--requester", OPT_REQUESTER, offsetof(opts, requester), 1 },
    { "--search", OPT_SEARCH, offsetof(opts, search), 1 },
    { "--by", OPT_BY, offsetof(opts, by), 1 },
    { "--full", OPT_FULL, offsetof(opts, full), 0 },
};

/* The table ------------------------------------------------------------------------------------------- */

static const command commands[] = {
    { "ticket", "show", "N [--full] [--json]", OPT_FULL | OPT_JSON, 1, 1, cmd_ticket_show,
      "one ticket: the conversation with the customer and the key events; --full: every message, event, breach" },
    { "ticket", "attachments", "N [--json]", OPT_JSON, 1, 1, cmd_ticket_attachments,
      "the files of a ticket's mail: id, size, type, name, who sent them, whether the content is kept" },
    { "ticket", "attachment", "get N ID", 0, 3, 3, cmd_ticket_attachment_get,
      "the bytes of one file of a ticket on stdout" },
    { "incidents", "list", "[--json]", OPT_JSON, 0, 0, cmd_incidents_list,
      "incidents, newest first: status, owning team, tickets joined and still open, last update" },
    { "tickets", "list", "[--status S] [--team T] [--breached] [--requester ADDR] [--search TEXT] [--limit N] [--json]",
      OPT_STATUS | OPT_TEAM | OPT_BREACHED | OPT_REQUESTER | OPT_SEARCH | OPT_LIMIT | OPT_JSON, 0, 0, cmd_tickets_list, "tickets, newest first" },
    { "queue", NULL, "[TEAM] [--json]", OPT_JSON, 0, 1, cmd_queue,
      "open tickets, next deadline first, with who holds them and how long the customer has waited" },
    { "sla", "report", "[--since DURATION|DATE] [--until DURATION|DATE] [--by team|category|agent] [--json]",
      OPT_SINCE | OPT_UNTIL | OPT_BY | OPT_JSON, 0, 0, cmd_sla_report,
      "per SLA and team: met, breached, median, p95 (default --since 7d)" },
    { "db", "migrate", "[--sql-dir DIR]", OPT_SQL_DIR, 0, 0, cmd_db_migrate,
      "apply missing schema migrations (connects as `database`, the owner)" },
    { "config", "check", "", 0, 0, 0, cmd_config_check, "validate the configuration, its templates and the reply key" },
    { "agent", "add", "ADDR --name NAME --team TEAM [--lead]", OPT_NAME | OPT_TEAM | OPT_LEAD, 1, 1, cmd_agent_add,
      "add or update an agent" },
    { "agent", "remove", "ADDR", 0, 1, 1, cmd_person_remove, "remove an agent" },
    { "agent", "list", "[--json]", OPT_JSON, 0, 0, cmd_person_list, "agents by team" },
    { "manager", "add", "ADDR --name NAME", OPT_NAME, 1, 1, cmd_named_add, "add or update a manager" },
    { "manager", "remove", "ADDR", 0, 1, 1, cmd_person_remove, "remove a manager" },
    { "manager", "list", "[--json]", OPT_JSON, 0, 0, cmd_person_list, "managers" },
    { "approver", "add", "ADDR --name NAME", OPT_NAME, 1, 1, cmd_named_add, "add or update an approver (#approve)" },
    { "approver", "remove", "ADDR", 0, 1, 1, cmd_person_remove, "remove an approver" },
    { "approver", "list", "[--json]", OPT_JSON, 0, 0, cmd_person_list, "approvers" },
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
            printf("supportgate %s%s\n", PACKAGE_VERSION, SG_BUILT_WITH);
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