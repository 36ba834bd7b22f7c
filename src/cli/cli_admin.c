/* cli_admin.c - `db migrate`, `config check`, `status` and `metrics`: setting an installation up and watching it. */
#include "cli.h"
#include "db.h"
#include "health.h"
#include "migrate.h"
#include "template.h"
#include "token.h"

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

int cmd_db_migrate(cmdctx *x)
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
int cmd_config_check(cmdctx *x)
{
    static const char *const names[] = { "ack", "escalate", "escalate_note", "eta", "merged", "incident",
                                         "incident_resolved" };
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
int cmd_status(cmdctx *x)
{
    char *err = NULL;
    PGconn *db = cli_connect(x->cfg, SG_CFG_CLI_DATABASE, &err);
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

int cmd_metrics(cmdctx *x)
{
    return with_db(x, AS_CLI, do_metrics);
}
