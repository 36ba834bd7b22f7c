/* migrate.h - numbered SQL migrations (sql/NNN_name.sql) applied in order, each once, recorded in schema_version. */
#ifndef SG_MIGRATE_H
#define SG_MIGRATE_H

#include <libpq-fe.h>
#include <stdio.h>

/* Bring the database up to the newest migration in SQLDIR, connected as the database's owner.  Each
 * missing file runs in its own transaction; concurrent runs serialise on an advisory lock.  Writes
 * "applied NNN_name" per migration, or "schema is current (version N)", to OUT.  Refuses a database
 * whose version is newer than every file.  0, or -1 with *ERR (g_free). */
int sg_migrate(PGconn *owner, const char *sqldir, FILE *out, char **err);

/* The highest migration number in SQLDIR: 0 when it holds none, -1 when it cannot be read. */
int sg_migrate_latest(const char *sqldir);

/* Where the migrations are when no --sql-dir is given: $SUPPORTGATE_SQL_DIR, else PKGDATADIR/sql,
 * else the source tree's sql directory (SOURCE_SQLDIR, or ../sql and ../../sql from the executable,
 * for a program run from its build tree).  Never NULL; g_free. */
char *sg_migrate_default_dir(void);

#endif
