/* db.h - bounded PostgreSQL access: connections with timeouts, a connection pool, checked queries. */
#ifndef SG_DB_H
#define SG_DB_H

#include <glib.h>
#include <libpq-fe.h>
#include <stddef.h>

#include "sgtime.h"

/* Connect with CONNINFO; every wait is bounded by TIMEOUT_S seconds (connect_timeout and
 * statement_timeout/lock_timeout on the session, unless a pooler refuses to pass them on).  APPNAME shows in
 * pg_stat_activity.  The session's time zone is PGTZ's, or the server's.  NULL with *ERR (g_free) on
 * failure; the message never contains the password. */
PGconn *sg_db_connect(const char *conninfo, int timeout_s, const char *appname, char **err);

/* Keep the parameterised statements DB runs as named server-side statements, parsed once per connection
 * and planned for each run's values (for long-lived connections running a fixed set of statements).  0, or
 * -1 when the server or libpq refuses. */
int sg_db_prepare_statements(PGconn *db);

/* Run SQL with N text parameters (NULL entries are SQL NULL).  Returns the result when it succeeded
 * (command or tuples), else NULL with *ERR (g_free) set to PostgreSQL's message. */
PGresult *sg_db_exec(PGconn *db, const char *sql, int n, const char *const *params, char **err);

/* Like sg_db_exec for statements whose result is not needed.  Returns 0 or -1 with *ERR. */
int sg_db_run(PGconn *db, const char *sql, int n, const char *const *params, char **err);

/* The parameters of one query, in the order of $1, $2, ...: numbers and times are written into the set
 * itself (no allocation, no format at the call site); text is referenced, so it must outlive the query.
 * The set points into itself: fill it where it is declared, never copy it. */
#define SG_PARAMS_MAX 40
typedef struct {
    int n;
    int overflow;                  /* more than SG_PARAMS_MAX were added: running it fails */
    const char *v[SG_PARAMS_MAX];  /* what sg_db_exec takes; v[i] may point into num[i] */
    char num[SG_PARAMS_MAX][24];   /* room for any long long in decimal */
    int len[SG_PARAMS_MAX];        /* byte length of a binary parameter */
    int fmt[SG_PARAMS_MAX];        /* 1 for a binary parameter (bytea), else 0 (text) */
    int binary;                    /* some parameter is binary */
} sg_params;

void sg_params_init(sg_params *p);
void sg_param_text(sg_params *p, const char *s);   /* NULL is SQL NULL */
void sg_param_int(sg_params *p, long long v);
void sg_param_bool(sg_params *p, int b);
/* LEN raw bytes for a bytea parameter, sent in binary: a file travels at its size, not as twice as much hex.
 * Referenced like text. */
void sg_param_bytes(sg_params *p, const void *data, size_t len);
/* Unix seconds, for to_timestamp($N::bigint); 0 (none) is SQL NULL, as sg_db_time reads it back. */
void sg_param_time(sg_params *p, sg_time t);
void sg_param_real(sg_params *p, double v); /* with microseconds, for a moment finer than sg_time */

/* sg_db_exec and sg_db_run with the parameters of P. */
PGresult *sg_db_exec_params(PGconn *db, const char *sql, const sg_params *p, char **err);
int sg_db_run_params(PGconn *db, const char *sql, const sg_params *p, char **err);

/* Row ROW, column COL of a result as a number (0 when NULL), and as a moment from an
 * extract(epoch FROM ...)::bigint column (0, none, when NULL). */
long long sg_db_int(const PGresult *r, int row, int col);
sg_time sg_db_time(const PGresult *r, int row, int col);

/* BEGIN / COMMIT / ROLLBACK.  Rollback never fails loudly: it is the error path already. */
/* The moment a pass runs at: NOW (a timestamp), or the database's clock when NULL, as Unix seconds in *T. */
int sg_db_moment(PGconn *db, const char *now, sg_time *t, char **err);

int sg_db_begin(PGconn *db, char **err);
int sg_db_commit(PGconn *db, char **err);
void sg_db_rollback(PGconn *db);

/* A PostgreSQL array literal of N strings ("{\"a\",\"b\"}", g_free) to pass as one text parameter
 * cast to text[]: values travel as parameters, never spliced into SQL. */
char *sg_db_array(const char *const *items, size_t n);

/* SQLSTATE of the last failed command's result, kept by sg_db_exec for the caller ("" if none). */
const char *sg_db_last_sqlstate(void);

/* Run SQL as sg_db_exec does and make each row of its result a typed one with READ: an array that frees its rows
 * with FREE_ROW (g_ptr_array_unref), or NULL with *ERR. */
GPtrArray *sg_db_rows(PGconn *db, const char *sql, int n, const char *const *params,
                      gpointer (*read)(const PGresult *r, int row), GDestroyNotify free_row, char **err);

/* A fixed-size pool shared by threads.  Connections are opened lazily and reopened when broken;
 * sg_db_pool_get waits at most the pool's timeout for a free one.  STATEMENT_CACHE: each connection prepares
 * the statements it runs (sg_db_prepare_statements); 0 behind a pooler that hands out server sessions per
 * transaction, where a name prepared in one session is unknown in the next. */
typedef struct sg_db_pool sg_db_pool;
sg_db_pool *sg_db_pool_new(const char *conninfo, int size, int timeout_s, const char *appname, int statement_cache);
PGconn *sg_db_pool_get(sg_db_pool *p, char **err);
/* Return a connection; BROKEN closes it (e.g. after an error that left it in an unknown state). */
void sg_db_pool_put(sg_db_pool *p, PGconn *db, int broken);
void sg_db_pool_free(sg_db_pool *p);

/* Schema version this build understands, and a check of the database's.  Returns 0 when equal,
 * else -1 with *ERR. */
#define SG_SCHEMA_VERSION 27
int sg_db_check_schema(PGconn *db, char **err);

#endif
