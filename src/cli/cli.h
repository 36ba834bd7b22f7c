/* cli.h - what the command families of the command line share: parsed options, the command table's entry, errors. */
#ifndef SG_CLI_H
#define SG_CLI_H

#include <glib.h>
#include <libpq-fe.h>
#include <stdio.h>

#include "config.h"

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
    OPT_REQUESTER = 1u << 10,
    OPT_SEARCH = 1u << 11,
    OPT_BY = 1u << 12,
    OPT_FULL = 1u << 13,
};

#define MAX_ARGS 4

typedef struct {
    int json, breached, lead, help, full;
    const char *status, *team, *limit, *sql_dir, *name, *since, *until, *requester, *search, *by;
    const char *arg[MAX_ARGS]; /* positional arguments after the command words */
    int nargs;
} opts;

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

/* cli_common.c: errors, the database connection, argument checks. */

/* "supportgate: MESSAGE" on stderr; returns 1, the exit status of a failed command. */
int fail(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void command_usage(const command *c, FILE *f);
/* A mistake in how the command was called: the message, then that command's usage; returns EXIT_USAGE. */
int usage_error(const cmdctx *x, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* A JSON string literal for text that did not come from PostgreSQL's JSON functions. */
void json_str(GString *s, const char *v);
/* Print DOC, a JSON document (or any text) of the database layer, on a line and g_free it: 0, or -1 when DOC is
 * NULL (its error is in the caller's *ERR). */
int print_document(char *doc);

/* A connection with the role of configuration key KEY, its timeout and display time zone; NULL with *ERR. */
PGconn *cli_connect(const sg_config *c, sg_cfg_key key, char **err);
typedef enum { AS_CLI, AS_OWNER } db_role;
/* Connect as ROLE, run FN, report its error.  FN returns 0, 1 (failed and reported) or -1 with *ERR. */
int with_db(cmdctx *x, db_role role, int (*fn)(cmdctx *, PGconn *, char **));

/* S as a number above 0, else 0. */
long long positive(const char *s);

/* The handlers of the command table, by family. */
int cmd_ticket_show(cmdctx *x);      /* cli_ticket.c */
int cmd_tickets_list(cmdctx *x);
int cmd_ticket_attachments(cmdctx *x);
int cmd_incidents_list(cmdctx *x);
int cmd_ticket_attachment_get(cmdctx *x);
int cmd_agent_add(cmdctx *x);        /* cli_staff.c */
int cmd_named_add(cmdctx *x);
int cmd_person_remove(cmdctx *x);
int cmd_person_list(cmdctx *x);
int cmd_team_list(cmdctx *x);
int cmd_sla_report(cmdctx *x);       /* cli_sla.c */
int cmd_queue(cmdctx *x);            /* cli_queue.c */
int cmd_db_migrate(cmdctx *x);       /* cli_admin.c */
int cmd_config_check(cmdctx *x);
int cmd_status(cmdctx *x);
int cmd_metrics(cmdctx *x);

#endif
