/* cli_common.c - what every command uses: error messages, the database connection, argument checks, JSON strings. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "cli.h"
#include "db.h"

/* "supportgate: " and the message, on stderr. */
static void say(const char *fmt, va_list ap)
{
    fputs("supportgate: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(fmt, ap);
    va_end(ap);
    return 1;
}

void command_usage(const command *c, FILE *f)
{
    fprintf(f, "usage: supportgate [-c FILE] %s%s%s%s%s\n", c->name, c->sub ? " " : "", c->sub ? c->sub : "",
            *c->args ? " " : "", c->args);
}

int usage_error(const cmdctx *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(fmt, ap);
    va_end(ap);
    command_usage(x->cmd, stderr);
    return EXIT_USAGE;
}

void json_str(GString *s, const char *v)
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

int print_document(char *doc)
{
    if (!doc)
        return -1;
    printf("%s\n", doc);
    g_free(doc);
    return 0;
}

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

PGconn *cli_connect(const sg_config *c, sg_cfg_key key, char **err)
{
    /* Times print in display_timezone.  Not SET TimeZone: through a pooler in transaction mode a session setting
     * stays behind on whichever server session ran it.  libpq sends PGTZ as a startup parameter, which pgbouncer
     * keeps for this client on every server session it lends it. */
    g_setenv("PGTZ", sg_config_str(c, SG_CFG_DISPLAY_TIMEZONE), TRUE);
    return sg_db_connect(sg_config_str(c, key), (int)sg_config_num(c, SG_CFG_DB_TIMEOUT), "supportgate", err);
}

/* The CLI's own role for everything but migrations, which need the owner.  Times print in display_timezone. */
static PGconn *connect_as(const sg_config *c, db_role role)
{
    sg_cfg_key key = role == AS_OWNER ? SG_CFG_DATABASE : SG_CFG_CLI_DATABASE;
    char *err = NULL;
    PGconn *db = cli_connect(c, key, &err);
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

int with_db(cmdctx *x, db_role role, int (*fn)(cmdctx *, PGconn *, char **))
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

long long positive(const char *s)
{
    char *end = NULL;
    errno = 0;
    long long v = s && g_ascii_isdigit(*s) ? g_ascii_strtoll(s, &end, 10) : 0;
    return v > 0 && !errno && !*end ? v : 0;
}
