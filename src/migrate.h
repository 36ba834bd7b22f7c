/* migrate.h - numbered SQL migrations applied in order, each once, recorded in schema_version. */
#ifndef SG_MIGRATE_H
#define SG_MIGRATE_H

#include <libpq-fe.h>
#include <stdio.h>

/* Apply every migration in SQLDIR newer than the database, as its owner.  Reports one line per
 * migration to OUT.  Refuses a database newer than the files.  0, or -1 with *ERR (g_free). */
int sg_migrate(PGconn *owner, const char *sqldir, FILE *out, char **err);

/* The highest migration number in SQLDIR (0 when none). */
int sg_migrate_latest(const char *sqldir);

/* Where the migrations are: $SUPPORTGATE_SQL_DIR, PKGDATADIR/sql, else next to the program (a build
 * tree).  g_free. */
char *sg_migrate_default_dir(void);

#endif
