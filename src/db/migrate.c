/* migrate.c - numbered SQL migrations (sql/NNN_name.sql) applied in order, each once, recorded in schema_version;
 * then the current function definitions (sql/functions/NAME.sql), on every run. */
#include "migrate.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/share/supportgate"
#endif

typedef struct {
    int version;
    char *file; /* "001_schema.sql" */
} migration;

static void migration_clear(gpointer p)
{
    g_free(((migration *)p)->file);
}

/* "NNN_name.sql": digits, an underscore, a name, the suffix.  The number, or -1 for any other name. */
static int migration_number(const char *file)
{
    const char *p = file;
    while (g_ascii_isdigit(*p))
        p++;
    size_t len = strlen(file);
    if (p == file || p - file > 9 || *p != '_' || len < 6 || p + 1 >= file + len - 4 ||
        strcmp(file + len - 4, ".sql") != 0)
        return -1;
    return atoi(file);
}

static gint by_version(gconstpointer a, gconstpointer b)
{
    return ((const migration *)a)->version - ((const migration *)b)->version;
}

/* Two files with one number would make the order, and what "version N" means, ambiguous. */
static int check_unique(const GArray *list, const char *dir, char **err)
{
    for (guint i = 1; i < list->len; i++) {
        const migration *a = &g_array_index(list, migration, i - 1), *b = &g_array_index(list, migration, i);
        if (a->version == b->version) {
            *err = g_strdup_printf("%s: %s and %s have the same number", dir, a->file, b->file);
            return -1;
        }
    }
    return 0;
}

/* Every migration in DIR in numeric order.  A .sql file with another kind of name is an error rather
 * than skipped: a misnamed migration silently left out would leave the schema behind. */
static GArray *migration_list(const char *dir, char **err)
{
    GError *ge = NULL;
    GDir *d = g_dir_open(dir, 0, &ge);
    if (!d) {
        *err = g_strdup_printf("cannot read migrations: %s", ge->message);
        g_error_free(ge);
        return NULL;
    }
    GArray *list = g_array_new(FALSE, FALSE, sizeof(migration));
    g_array_set_clear_func(list, migration_clear);
    const char *name;
    char *bad = NULL;
    while (!bad && (name = g_dir_read_name(d))) {
        migration m = { migration_number(name), NULL };
        if (m.version >= 0) {
            m.file = g_strdup(name);
            g_array_append_val(list, m);
        } else if (g_str_has_suffix(name, ".sql")) {
            bad = g_strdup_printf("%s/%s: not a migration name (NNN_name.sql)", dir, name);
        }
    }
    g_dir_close(d);
    g_array_sort(list, by_version);
    if (bad)
        *err = bad;
    if (bad || check_unique(list, dir, err) < 0) {
        g_array_unref(list);
        return NULL;
    }
    return list;
}

int sg_migrate_latest(const char *sqldir)
{
    char *err = NULL;
    GArray *list = migration_list(sqldir, &err);
    g_free(err);
    if (!list)
        return -1;
    int v = list->len ? g_array_index(list, migration, list->len - 1).version : 0;
    g_array_unref(list);
    return v;
}

/* A directory counts only when it holds migrations: an empty PKGDATADIR/sql left by a half-removed
 * package must not hide the build tree's files. */
static char *if_migrations(char *dir)
{
    if (dir && sg_migrate_latest(dir) > 0)
        return dir;
    g_free(dir);
    return NULL;
}

/* A program run from its build tree (in the source tree, or one level below it as the sandbox builds). */
static char *next_to_executable(void)
{
    char *exe = g_file_read_link("/proc/self/exe", NULL);
    if (!exe)
        return NULL;
    char *bindir = g_path_get_dirname(exe), *found = NULL;
    static const char *const up[] = { "../sql", "../../sql", "sql" };
    for (size_t i = 0; i < G_N_ELEMENTS(up) && !found; i++)
        found = if_migrations(g_build_filename(bindir, up[i], NULL));
    g_free(bindir);
    g_free(exe);
    return found;
}

char *sg_migrate_default_dir(void)
{
    const char *env = getenv("SUPPORTGATE_SQL_DIR");
    if (env && *env)
        return g_strdup(env);
    char *dir = if_migrations(g_strdup(PKGDATADIR "/sql"));
#ifdef SOURCE_SQLDIR
    if (!dir)
        dir = if_migrations(g_strdup(SOURCE_SQLDIR));
#endif
    if (!dir)
        dir = next_to_executable();
    /* Nothing found: name the installed location, so the error says where files were expected. */
    return dir ? dir : g_strdup(PKGDATADIR "/sql");
}

/* Roll back whatever is open; quiet when nothing is (a failed COMMIT has already ended it). */
static void abort_tx(PGconn *db)
{
    if (PQtransactionStatus(db) != PQTRANS_IDLE)
        sg_db_rollback(db);
}

static int run_all(PGconn *db, const char *const *sql, size_t n, char **err)
{
    for (size_t i = 0; i < n; i++)
        if (sg_db_run(db, sql[i], 0, NULL, err) < 0)
            return -1;
    return 0;
}

/* BEGIN, then the lock every migrating supportgate takes (key: "sgmigrat" in ASCII), held to the end
 * of the transaction.  A second `db migrate` waits here for the first, then sees its work recorded. */
static int begin_locked(PGconn *db, char **err)
{
    static const char *const sql[] = {
        "BEGIN",
        /* Migrations may legitimately run long, and an operator is watching. */
        "SET LOCAL statement_timeout = 0",
        "SET LOCAL lock_timeout = '5min'",
        "SELECT pg_advisory_xact_lock(x'73676d6967726174'::bigint)",
        /* Back to the session's short lock_timeout: DDL queued behind a long transaction would block
         * intake for as long, so it is better to fail and be retried. */
        "SET LOCAL lock_timeout TO DEFAULT",
    };
    if (run_all(db, sql, G_N_ELEMENTS(sql), err) == 0)
        return 0;
    abort_tx(db);
    return -1;
}

static int commit(PGconn *db, char **err)
{
    if (sg_db_commit(db, err) == 0)
        return 0;
    abort_tx(db);
    return -1;
}

/* Create schema_version if missing; the versions recorded, ascending, or NULL with *ERR. */
static GArray *recorded_versions(PGconn *db, char **err)
{
    if (begin_locked(db, err) < 0)
        return NULL;
    PGresult *r = NULL;
    if (sg_db_run(db, "CREATE TABLE IF NOT EXISTS schema_version (version int PRIMARY KEY, name text NOT NULL,"
                      " applied_at timestamptz NOT NULL DEFAULT now())", 0, NULL, err) < 0 ||
        !(r = sg_db_exec(db, "SELECT version FROM schema_version ORDER BY version", 0, NULL, err))) {
        abort_tx(db);
        return NULL;
    }
    if (commit(db, err) < 0) {
        PQclear(r);
        return NULL;
    }
    GArray *v = g_array_new(FALSE, FALSE, sizeof(int));
    for (int i = 0; i < PQntuples(r); i++) {
        int n = atoi(PQgetvalue(r, i, 0));
        g_array_append_val(v, n);
    }
    PQclear(r);
    return v;
}

static int recorded(const GArray *versions, int version)
{
    for (guint i = 0; i < versions->len; i++)
        if (g_array_index(versions, int, i) == version)
            return 1;
    return 0;
}

/* Under the lock: 1 when another migrate recorded VERSION meanwhile, 0 when not, -1 with *ERR. */
static int recorded_now(PGconn *db, int version, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, version);
    PGresult *r = sg_db_exec_params(db, "SELECT 1 FROM schema_version WHERE version = $1::int", &p, err);
    if (!r)
        return -1;
    int n = PQntuples(r);
    PQclear(r);
    return n > 0;
}

/* Run the file's text whole: it is our own file, not input, so several statements in one PQexec are fine. */
static int run_file(PGconn *db, const char *file, const char *sql, char **err)
{
    PGresult *r = PQexec(db, sql);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(db);
        *err = g_strchomp(g_strdup_printf("%s: %s", file, msg && *msg ? msg : "failed"));
        PQclear(r);
        return -1;
    }
    PQclear(r);
    /* A file that ends the transaction itself would be recorded apart from its own changes. */
    if (PQtransactionStatus(db) != PQTRANS_INTRANS) {
        *err = g_strdup_printf("%s: ends its transaction itself (remove its BEGIN/COMMIT)", file);
        return -1;
    }
    return 0;
}

static int record(PGconn *db, const migration *m, char **err)
{
    char *name = g_strndup(m->file, strlen(m->file) - 4);
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, m->version);
    sg_param_text(&p, name);
    int rc = sg_db_run_params(db, "INSERT INTO schema_version (version, name) VALUES ($1::int, $2)", &p, err);
    g_free(name);
    return rc;
}

/* One migration in its own transaction.  1 when applied, 0 when another migrate had done it, -1. */
static int apply(PGconn *db, const char *dir, const migration *m, char **err)
{
    char *path = g_build_filename(dir, m->file, NULL), *sql = NULL;
    GError *ge = NULL;
    int rc = -1;
    if (!g_file_get_contents(path, &sql, NULL, &ge)) {
        *err = g_strdup(ge->message);
        g_error_free(ge);
    } else if (begin_locked(db, err) == 0) {
        int already = recorded_now(db, m->version, err);
        if (already == 0)
            rc = run_file(db, m->file, sql, err) < 0 || record(db, m, err) < 0 ? -1 : 1;
        else
            rc = already < 0 ? -1 : 0;
        if (rc < 0)
            abort_tx(db);
        else if (commit(db, err) < 0)
            rc = -1;
    }
    g_free(sql);
    g_free(path);
    return rc;
}

static gint by_name(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .sql files of DIR/functions, sorted by name; NULL with *ERR when the directory cannot be read: the
 * functions are part of the schema, so a tree without them is incomplete rather than merely older. */
static GPtrArray *function_files(const char *dir, char **err)
{
    char *sub = g_build_filename(dir, "functions", NULL);
    GError *ge = NULL;
    GDir *d = g_dir_open(sub, 0, &ge);
    if (!d) {
        *err = g_strdup_printf("cannot read the functions: %s", ge->message);
        g_error_free(ge);
        g_free(sub);
        return NULL;
    }
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    while ((name = g_dir_read_name(d)))
        if (g_str_has_suffix(name, ".sql"))
            g_ptr_array_add(files, g_build_filename(sub, name, NULL));
    g_dir_close(d);
    g_free(sub);
    g_ptr_array_sort(files, by_name);
    return files;
}

/* The current definition of every function a later version may change (CREATE OR REPLACE), in one
 * transaction under the lock, after the numbered migrations: a changed function is edited where it is
 * rather than copied whole into a new migration, and a new migration marks the version that needs it. */
static int apply_functions(PGconn *db, const char *dir, char **err)
{
    GPtrArray *files = function_files(dir, err);
    if (!files)
        return -1;
    int rc = begin_locked(db, err);
    for (guint i = 0; i < files->len && rc == 0; i++) {
        const char *path = g_ptr_array_index(files, i);
        char *sql = NULL, *file = g_path_get_basename(path);
        GError *ge = NULL;
        if (!g_file_get_contents(path, &sql, NULL, &ge)) {
            *err = g_strdup(ge->message);
            g_error_free(ge);
            rc = -1;
        } else {
            char *shown = g_strconcat("functions/", file, NULL);
            rc = run_file(db, shown, sql, err);
            g_free(shown);
        }
        g_free(sql);
        g_free(file);
    }
    if (rc < 0)
        abort_tx(db);
    else
        rc = commit(db, err);
    g_ptr_array_unref(files);
    return rc;
}

/* Every program checks the schema version when it starts, so each role must read schema_version.
 * Roles are created by the first migration: grant on every run, to whichever exist by then. */
static int grant_readers(PGconn *db, char **err)
{
    static const struct {
        const char *role, *grant;
    } readers[] = {
        { "supportgate_milter", "GRANT SELECT ON schema_version TO supportgate_milter" },
        { "supportgate_scheduler", "GRANT SELECT ON schema_version TO supportgate_scheduler" },
        { "supportgate_cli", "GRANT SELECT ON schema_version TO supportgate_cli" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(readers); i++) {
        const char *p[] = { readers[i].role };
        PGresult *r = sg_db_exec(db, "SELECT 1 FROM pg_roles WHERE rolname = $1", 1, p, err);
        if (!r)
            return -1;
        int exists = PQntuples(r) > 0;
        PQclear(r);
        if (exists && sg_db_run(db, readers[i].grant, 0, NULL, err) < 0)
            return -1;
    }
    return 0;
}

/* Grant, under the lock (concurrent GRANTs on one table can fail), and read the version reached. */
static int finish(PGconn *db, char **err)
{
    if (begin_locked(db, err) < 0)
        return -1;
    PGresult *r = NULL;
    if (grant_readers(db, err) < 0 ||
        !(r = sg_db_exec(db, "SELECT coalesce(max(version), 0) FROM schema_version", 0, NULL, err))) {
        abort_tx(db);
        return -1;
    }
    int v = atoi(PQgetvalue(r, 0, 0));
    PQclear(r);
    return commit(db, err) < 0 ? -1 : v;
}

static int newest(const GArray *versions)
{
    return versions->len ? g_array_index(versions, int, versions->len - 1) : 0;
}

static int migrate_list(PGconn *db, const char *dir, const GArray *list, FILE *out, char **err)
{
    int latest = g_array_index(list, migration, list->len - 1).version, applied = 0;
    GArray *have = recorded_versions(db, err);
    if (!have)
        return -1;
    int rc = 0;
    if (newest(have) > latest) {
        *err = g_strdup_printf("database schema version %d is newer than this supportgate (%d): upgrade supportgate",
                               newest(have), latest);
        rc = -1;
    }
    for (guint i = 0; i < list->len && rc == 0; i++) {
        const migration *m = &g_array_index(list, migration, i);
        if (recorded(have, m->version))
            continue;
        int done = apply(db, dir, m, err);
        if (done > 0) {
            fprintf(out, "applied %.*s\n", (int)strlen(m->file) - 4, m->file);
            fflush(out);
            applied++;
        }
        rc = done < 0 ? -1 : 0;
    }
    g_array_unref(have);
    if (rc == 0)
        rc = apply_functions(db, dir, err);
    int version = rc == 0 ? finish(db, err) : -1;
    if (version >= 0 && !applied)
        fprintf(out, "schema is current (version %d)\n", version);
    return version < 0 ? -1 : 0;
}

int sg_migrate(PGconn *owner, const char *sqldir, FILE *out, char **err)
{
    GArray *list = migration_list(sqldir, err);
    if (!list)
        return -1;
    int rc;
    if (list->len == 0) {
        *err = g_strdup_printf("no migrations (NNN_name.sql) in %s", sqldir);
        rc = -1;
    } else {
        rc = migrate_list(owner, sqldir, list, out, err);
    }
    g_array_unref(list);
    return rc;
}
