/* migrate.c - numbered SQL migrations applied in order, each once, recorded in schema_version. */
#include "migrate.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/share/supportgate"
#endif

static gint by_name(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Files "NNN_name.sql", sorted by number. */
static GPtrArray *migration_files(const char *dir, char **err)
{
    GError *ge = NULL;
    GDir *d = g_dir_open(dir, 0, &ge);
    if (!d) {
        *err = g_strdup_printf("cannot read migrations in %s: %s", dir, ge->message);
        g_error_free(ge);
        return NULL;
    }
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    while ((name = g_dir_read_name(d)))
        if (g_ascii_isdigit(name[0]) && g_str_has_suffix(name, ".sql") && strchr(name, '_'))
            g_ptr_array_add(files, g_strdup(name));
    g_dir_close(d);
    g_ptr_array_sort(files, by_name);
    return files;
}

int sg_migrate_latest(const char *sqldir)
{
    char *err = NULL;
    GPtrArray *files = migration_files(sqldir, &err);
    g_free(err);
    int v = files && files->len ? atoi(files->pdata[files->len - 1]) : 0;
    if (files)
        g_ptr_array_free(files, TRUE);
    return v;
}

char *sg_migrate_default_dir(void)
{
    const char *env = getenv("SUPPORTGATE_SQL_DIR");
    if (env && *env)
        return g_strdup(env);
    if (g_file_test(PKGDATADIR "/sql", G_FILE_TEST_IS_DIR))
        return g_strdup(PKGDATADIR "/sql");
    /* Run from a build tree (in-tree or one level down, as the sandbox does). */
    char *exe = g_file_read_link("/proc/self/exe", NULL);
    char *dir = exe ? g_path_get_dirname(exe) : g_strdup(".");
    const char *up[] = { "sql", "../sql", "../../sql" };
    char *found = NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(up) && !found; i++) {
        char *p = g_build_filename(dir, up[i], "001_schema.sql", NULL);
        if (g_file_test(p, G_FILE_TEST_EXISTS))
            found = g_build_filename(dir, up[i], NULL);
        g_free(p);
    }
    g_free(exe);
    g_free(dir);
#ifdef SOURCE_SQLDIR
    /* An uninstalled build anywhere: the source tree it was configured from. */
    if (!found && g_file_test(SOURCE_SQLDIR, G_FILE_TEST_IS_DIR))
        found = g_strdup(SOURCE_SQLDIR);
#endif
    return found ? found : g_strdup(PKGDATADIR "/sql");
}

static int current_version(PGconn *db, char **err)
{
    PGresult *r = sg_db_exec(db, "SELECT coalesce(max(version), 0) FROM schema_version", 0, NULL, err);
    if (!r)
        return -1;
    int v = atoi(PQgetvalue(r, 0, 0));
    PQclear(r);
    return v;
}

/* One file in its own transaction, recorded with its number; our own file, so PQexec may run it whole. */
static int apply(PGconn *db, const char *dir, const char *file, char **err)
{
    char *path = g_build_filename(dir, file, NULL), *sql = NULL;
    GError *ge = NULL;
    int rc = -1;
    if (!g_file_get_contents(path, &sql, NULL, &ge)) {
        *err = g_strdup_printf("%s: %s", path, ge->message);
        g_error_free(ge);
    } else if (sg_db_begin(db, err) == 0) {
        PGresult *r = PQexec(db, sql);
        if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
            *err = g_strdup_printf("%s: %s", file, g_strchomp(g_strdup(PQresultErrorMessage(r))));
            PQclear(r);
            sg_db_rollback(db);
        } else {
            PQclear(r);
            char num[16];
            g_snprintf(num, sizeof num, "%d", atoi(file));
            char *name = g_strndup(file, strlen(file) - 4);
            const char *p[] = { num, name };
            rc = sg_db_run(db, "INSERT INTO schema_version (version, name) VALUES ($1::int, $2)", 2, p, err);
            rc = rc == 0 ? sg_db_commit(db, err) : (sg_db_rollback(db), -1);
            g_free(name);
        }
    }
    g_free(sql);
    g_free(path);
    return rc;
}

static int bootstrap(PGconn *db, char **err)
{
    return sg_db_run(db,
        "CREATE TABLE IF NOT EXISTS schema_version (version int PRIMARY KEY, name text NOT NULL,"
        " applied_at timestamptz NOT NULL DEFAULT now())", 0, NULL, err);
}

/* Every program checks the schema version at start: each role may read it. */
static int grant_version(PGconn *db, char **err)
{
    return sg_db_run(db,
        "DO $$ DECLARE r text; BEGIN"
        " FOREACH r IN ARRAY ARRAY['supportgate_milter', 'supportgate_scheduler', 'supportgate_cli'] LOOP"
        "  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN"
        "   EXECUTE format('GRANT SELECT ON schema_version TO %I', r);"
        "  END IF; END LOOP; END $$", 0, NULL, err);
}

int sg_migrate(PGconn *db, const char *sqldir, FILE *out, char **err)
{
    GPtrArray *files = migration_files(sqldir, err);
    if (!files)
        return -1;
    int latest = files->len ? atoi(files->pdata[files->len - 1]) : 0, applied = 0, rc = -1;
    /* Two operators migrating at once: the second waits, then finds nothing left to do. */
    if (bootstrap(db, err) < 0 || sg_db_run(db, "SELECT pg_advisory_lock(hashtext('supportgate-migrate'))", 0, NULL, err) < 0)
        goto done;
    int have = current_version(db, err);
    if (have < 0)
        goto unlock;
    if (have > latest) {
        *err = g_strdup_printf("database schema version %d is newer than this supportgate (%d): upgrade supportgate",
                               have, latest);
        goto unlock;
    }
    for (guint i = 0; i < files->len; i++) {
        const char *f = files->pdata[i];
        if (atoi(f) <= have)
            continue;
        if (apply(db, sqldir, f, err) < 0)
            goto unlock;
        fprintf(out, "applied %.*s\n", (int)(strlen(f) - 4), f);
        applied++;
    }
    if (grant_version(db, err) < 0)
        goto unlock;
    if (!applied)
        fprintf(out, "schema is current (version %d)\n", have);
    rc = 0;
unlock:
    PQclear(PQexec(db, "SELECT pg_advisory_unlock(hashtext('supportgate-migrate'))"));
done:
    g_ptr_array_free(files, TRUE);
    return rc;
}
