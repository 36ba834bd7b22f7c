/* db.c - PostgreSQL connections with bounded waits, a small thread-safe pool and checked queries. */
#include "db.h"

#include <glib.h>
#include <libpq-events.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static __thread char last_sqlstate[6];

static char *conn_error(PGconn *c)
{
    const char *m = c ? PQerrorMessage(c) : "out of memory";
    char *s = g_strdup(m && *m ? m : "unknown error");
    return g_strchomp(s);
}

PGconn *sg_db_connect(const char *conninfo, int timeout_s, const char *appname, char **err)
{
    char timeout[16], options[160];
    snprintf(timeout, sizeof timeout, "%d", timeout_s);
    /* Server-side bounds so that no statement or lock wait outlives the caller's budget. */
    snprintf(options, sizeof options,
             "-c statement_timeout=%d -c lock_timeout=%d -c idle_in_transaction_session_timeout=%d"
             " -c client_min_messages=warning",
             timeout_s * 1000, timeout_s * 1000, timeout_s * 4000);
    const char *k[] = { "dbname", "connect_timeout", "application_name", "options", NULL };
    const char *v[] = { conninfo, timeout, appname, options, NULL };
    PGconn *c = PQconnectdbParams(k, v, 1);
    /* pgbouncer before 1.20 refuses the options startup parameter: connect without it (the bounds then come from
     * the role's own settings, ALTER ROLE ... SET statement_timeout; doc/operations.md). */
    if (c && PQstatus(c) != CONNECTION_OK && strstr(PQerrorMessage(c), "unsupported startup parameter: options")) {
        PQfinish(c);
        k[3] = NULL;
        c = PQconnectdbParams(k, v, 1);
    }
    if (!c || PQstatus(c) != CONNECTION_OK) {
        *err = conn_error(c);
        PQfinish(c);
        return NULL;
    }
    return c;
}

/* Named server-side statements per connection, for connections that run the same few statements all day
 * (the milter's pool): PostgreSQL then parses and plans each once per connection instead of once per mail.
 * The cache hangs off the connection as libpq event instance data, so it dies and resets with it. */
#define STMT_CACHE_MAX 256 /* beyond this, statements run unnamed: SQL built at run time must not grow it */

typedef struct {
    GHashTable *names; /* SQL text -> statement name, both owned */
    unsigned next;
    int lost;          /* a name prepared here was unknown later: the server session is not ours alone */
} stmt_cache;

static int stmt_event(PGEventId id, void *info, void *pass)
{
    (void)pass;
    PGconn *c = id == PGEVT_REGISTER     ? ((PGEventRegister *)info)->conn
                : id == PGEVT_CONNRESET  ? ((PGEventConnReset *)info)->conn
                : id == PGEVT_CONNDESTROY ? ((PGEventConnDestroy *)info)->conn
                                          : NULL;
    stmt_cache *sc = c ? PQinstanceData(c, stmt_event) : NULL;
    if (id == PGEVT_REGISTER && c) {
        sc = g_new0(stmt_cache, 1);
        sc->names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        return PQsetInstanceData(c, stmt_event, sc);
    }
    if (id == PGEVT_CONNRESET && sc) /* a new session knows none of the old names */
        g_hash_table_remove_all(sc->names);
    if (id == PGEVT_CONNDESTROY && sc) {
        g_hash_table_destroy(sc->names);
        g_free(sc);
    }
    return 1;
}

int sg_db_prepare_statements(PGconn *db)
{
    /* Each run is still planned for its own values: a generic plan, chosen once while a table is small,
     * could outlive the table's growth; what the cache saves is the parsing and rewriting. */
    char *err = NULL;
    if (sg_db_run(db, "SET plan_cache_mode = force_custom_plan", 0, NULL, &err) < 0) {
        g_free(err);
        return -1;
    }
    return PQregisterEventProc(db, stmt_event, "supportgate statement cache", NULL) ? 0 : -1;
}

/* The cached statement's name for SQL, preparing it on first use; NULL to run it unnamed (no cache, or the
 * cache full).  A failed prepare leaves its result in *FAILED: that error is the statement's. */
static const char *prepared(PGconn *db, const char *sql, int n, PGresult **failed)
{
    stmt_cache *sc = n > 0 ? PQinstanceData(db, stmt_event) : NULL;
    if (!sc || sc->lost)
        return NULL;
    const char *name = g_hash_table_lookup(sc->names, sql);
    if (name || g_hash_table_size(sc->names) >= STMT_CACHE_MAX)
        return name;
    char *fresh = g_strdup_printf("sg%u", sc->next++);
    PGresult *r = PQprepare(db, fresh, sql, n, NULL);
    if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
        *failed = r ? r : PQmakeEmptyPGresult(db, PGRES_FATAL_ERROR);
        g_free(fresh);
        return NULL;
    }
    PQclear(r);
    g_hash_table_insert(sc->names, g_strdup(sql), fresh);
    return fresh;
}

/* A prepared statement whose result columns changed under it (a migration while the milter runs) fails
 * once with "cached plan must not change result type"; forget it so that the next use prepares it anew. */
static void forget_stale(PGconn *db, const char *sql, const char *name, const char *state)
{
    stmt_cache *sc = name ? PQinstanceData(db, stmt_event) : NULL;
    if (sc && state && strcmp(state, "0A000") == 0)
        g_hash_table_remove(sc->names, sql); /* the server drops the old name with the session */
}

/* LENS and FMTS: NULL when every parameter is text. */
static PGresult *exec_with(PGconn *db, const char *sql, int n, const char *const *params, const int *lens,
                           const int *fmts, char **err)
{
    PGresult *r = NULL;
    const char *name = prepared(db, sql, n, &r);
    int preparing = r != NULL; /* R is the PREPARE's own failure */
    if (!r)
        r = name ? PQexecPrepared(db, name, n, params, lens, fmts, 0)
                 : PQexecParams(db, sql, n, NULL, params, lens, fmts, 0);
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
        last_sqlstate[0] = '\0';
        return r;
    }
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    g_strlcpy(last_sqlstate, state ? state : "", sizeof last_sqlstate);
    forget_stale(db, sql, name, state);
    const char *msg = r ? PQresultErrorMessage(r) : NULL;
    *err = msg && *msg ? g_strchomp(g_strdup(msg)) : conn_error(db);
    /* Names prepared on one server session and used on another: a pooler hands out sessions per transaction,
     * so a name may be unknown (26000) or, when another client's connection prepared the same name on the
     * session, taken (42P05).  This connection stops preparing; a statement that failed outside a transaction
     * did nothing, so it runs again unnamed, and inside one the caller's transaction fails once (the mail is
     * tempfailed and retried). */
    if (state && ((name && strcmp(state, "26000") == 0) || (preparing && strcmp(state, "42P05") == 0))) {
        stmt_cache *sc = PQinstanceData(db, stmt_event);
        sc->lost = 1;
        g_hash_table_remove_all(sc->names);
        if (PQtransactionStatus(db) == PQTRANS_IDLE) {
            PQclear(r);
            g_clear_pointer(err, g_free);
            return exec_with(db, sql, n, params, lens, fmts, err);
        }
        char *more = g_strconcat(*err, " (behind a connection pooler in transaction mode: this connection no longer"
                                 " prepares statements; db_statement_cache = no avoids this)", NULL);
        g_free(*err);
        *err = more;
    }
    PQclear(r);
    return NULL;
}

PGresult *sg_db_exec(PGconn *db, const char *sql, int n, const char *const *params, char **err)
{
    return exec_with(db, sql, n, params, NULL, NULL, err);
}

int sg_db_run(PGconn *db, const char *sql, int n, const char *const *params, char **err)
{
    PGresult *r = sg_db_exec(db, sql, n, params, err);
    PQclear(r);
    return r ? 0 : -1;
}

void sg_params_init(sg_params *p)
{
    p->n = 0;
    p->overflow = 0;
    p->binary = 0;
}

/* The index of the next slot, or -1 when the set is full: running it then fails rather than binding too few. */
static int next_slot(sg_params *p)
{
    if (p->n >= SG_PARAMS_MAX) {
        p->overflow = 1;
        return -1;
    }
    return p->n++;
}

void sg_param_text(sg_params *p, const char *s)
{
    int i = next_slot(p);
    if (i >= 0) {
        p->v[i] = s;
        p->len[i] = 0;
        p->fmt[i] = 0;
    }
}

void sg_param_bytes(sg_params *p, const void *data, size_t len)
{
    int i = next_slot(p);
    if (i >= 0) {
        p->v[i] = data ? data : "";
        p->len[i] = (int)len;
        p->fmt[i] = 1;
        p->binary = 1;
    }
}

/* The next slot as a text parameter held in the set's own room for a number, or NULL when the set is full. */
static char *number_slot(sg_params *p)
{
    int i = next_slot(p);
    if (i < 0)
        return NULL;
    p->v[i] = p->num[i];
    p->len[i] = 0;
    p->fmt[i] = 0;
    return p->num[i];
}

void sg_param_int(sg_params *p, long long v)
{
    char *n = number_slot(p);
    if (n)
        snprintf(n, sizeof p->num[0], "%lld", v);
}

void sg_param_bool(sg_params *p, int b)
{
    sg_param_text(p, b ? "t" : "f");
}

void sg_param_real(sg_params *p, double v)
{
    char *n = number_slot(p);
    if (n)
        g_ascii_formatd(n, sizeof p->num[0], "%.6f", v);
}

void sg_param_time(sg_params *p, sg_time t)
{
    if (t)
        sg_param_int(p, t);
    else
        sg_param_text(p, NULL);
}

PGresult *sg_db_exec_params(PGconn *db, const char *sql, const sg_params *p, char **err)
{
    if (p->overflow) {
        *err = g_strdup_printf("a query with more than %d parameters", SG_PARAMS_MAX);
        return NULL;
    }
    if (!p->binary)
        return sg_db_exec(db, sql, p->n, p->v, err);
    return exec_with(db, sql, p->n, p->v, p->len, p->fmt, err);
}

int sg_db_run_params(PGconn *db, const char *sql, const sg_params *p, char **err)
{
    PGresult *r = sg_db_exec_params(db, sql, p, err);
    PQclear(r);
    return r ? 0 : -1;
}

long long sg_db_int(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? 0 : g_ascii_strtoll(PQgetvalue(r, row, col), NULL, 10);
}

sg_time sg_db_time(const PGresult *r, int row, int col)
{
    return (sg_time)sg_db_int(r, row, col);
}

/* A test-clock build records the transaction at the simulated moment: sg_now() (017_clock.sql) reads it. */
int sg_db_moment(PGconn *db, const char *now, sg_time *t, char **err)
{
    const char *p[] = { now };
    PGresult *r = sg_db_exec(db, "SELECT extract(epoch FROM coalesce($1::timestamptz, now()))::bigint", 1, p, err);
    if (!r)
        return -1;
    *t = sg_db_time(r, 0, 0);
    PQclear(r);
    return 0;
}

int sg_db_begin(PGconn *db, char **err)
{
    if (sg_db_run(db, "BEGIN", 0, NULL, err) < 0)
        return -1;
    sg_time t = sg_test_clock();
    if (!t)
        return 0;
    sg_params p;
    sg_params_init(&p);
    sg_param_time(&p, t);
    return sg_db_run_params(db, "SELECT set_config('supportgate.now', to_timestamp($1::bigint)::text, true)", &p, err);
}

int sg_db_commit(PGconn *db, char **err) { return sg_db_run(db, "COMMIT", 0, NULL, err); }

void sg_db_rollback(PGconn *db)
{
    PQclear(PQexec(db, "ROLLBACK"));
}

char *sg_db_array(const char *const *items, size_t n)
{
    GString *s = g_string_new("{");
    for (size_t i = 0; i < n; i++) {
        g_string_append(s, i ? ",\"" : "\"");
        for (const char *p = items[i]; *p; p++) {
            if (*p == '"' || *p == '\\')
                g_string_append_c(s, '\\');
            g_string_append_c(s, *p);
        }
        g_string_append_c(s, '"');
    }
    g_string_append_c(s, '}');
    return g_string_free(s, FALSE);
}

const char *sg_db_last_sqlstate(void) { return last_sqlstate; }

GPtrArray *sg_db_rows(PGconn *db, const char *sql, int n, const char *const *params,
                      gpointer (*read)(const PGresult *r, int row), GDestroyNotify free_row, char **err)
{
    PGresult *r = sg_db_exec(db, sql, n, params, err);
    if (!r)
        return NULL;
    GPtrArray *rows = g_ptr_array_new_full((guint)PQntuples(r), free_row);
    for (int i = 0; i < PQntuples(r); i++)
        g_ptr_array_add(rows, read(r, i));
    PQclear(r);
    return rows;
}

int sg_db_check_schema(PGconn *db, char **err)
{
    PGresult *r = sg_db_exec(db, "SELECT coalesce(max(version), 0) FROM schema_version", 0, NULL, err);
    if (!r)
        return -1;
    int v = atoi(PQgetvalue(r, 0, 0));
    PQclear(r);
    if (v == SG_SCHEMA_VERSION)
        return 0;
    *err = g_strdup_printf("database schema is version %d, this program needs %d (%s)", v, SG_SCHEMA_VERSION,
                           v < SG_SCHEMA_VERSION ? "run: supportgate db migrate" : "upgrade supportgate");
    return -1;
}

struct sg_db_pool {
    pthread_mutex_t lock;
    pthread_cond_t freed;
    char *conninfo, *appname;
    int size, timeout_s;
    int cache;     /* each new connection gets the statement cache (sg_db_prepare_statements) */
    PGconn **idle; /* free connections (NULL = slot free but not yet connected) */
    int n_idle;    /* slots available: connected or not */
};

sg_db_pool *sg_db_pool_new(const char *conninfo, int size, int timeout_s, const char *appname, int statement_cache)
{
    sg_db_pool *p = g_new0(sg_db_pool, 1);
    p->cache = statement_cache;
    pthread_mutex_init(&p->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&p->freed, &ca);
    pthread_condattr_destroy(&ca);
    p->conninfo = g_strdup(conninfo);
    p->appname = g_strdup(appname);
    p->size = size;
    p->timeout_s = timeout_s;
    p->idle = g_new0(PGconn *, size);
    p->n_idle = size;
    return p;
}

/* Take a slot, waiting at most timeout_s: a caller never waits on the pool longer than on a query. */
static int take_slot(sg_db_pool *p, PGconn **c)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += p->timeout_s;
    pthread_mutex_lock(&p->lock);
    while (p->n_idle == 0)
        if (pthread_cond_timedwait(&p->freed, &p->lock, &until) != 0 && p->n_idle == 0) {
            pthread_mutex_unlock(&p->lock);
            return -1;
        }
    *c = p->idle[--p->n_idle];
    pthread_mutex_unlock(&p->lock);
    return 0;
}

PGconn *sg_db_pool_get(sg_db_pool *p, char **err)
{
    PGconn *c = NULL;
    if (take_slot(p, &c) < 0) {
        *err = g_strdup_printf("all %d database connections busy for %d s", p->size, p->timeout_s);
        return NULL;
    }
    /* An idle connection whose server went away has the termination notice and then end of file waiting
     * on its socket.  libpq notices the end of file only on the read after the one that returned the
     * notice, so read twice: the connection is found bad here, instead of failing the caller's first
     * query with a 451.  (Reads never block: libpq keeps its socket non-blocking.) */
    if (c && (PQconsumeInput(c) == 0 || PQconsumeInput(c) == 0 || PQstatus(c) != CONNECTION_OK)) {
        PQfinish(c);
        c = NULL;
    }
    if (!c && (c = sg_db_connect(p->conninfo, p->timeout_s, p->appname, err)) && p->cache &&
        sg_db_prepare_statements(c) < 0) {
        *err = g_strdup("cannot attach the statement cache to a new connection");
        PQfinish(c);
        c = NULL;
    }
    if (!c)
        sg_db_pool_put(p, NULL, 1); /* give the slot back */
    return c;
}

void sg_db_pool_put(sg_db_pool *p, PGconn *db, int broken)
{
    if (db && (broken || PQtransactionStatus(db) != PQTRANS_IDLE)) {
        PQfinish(db);
        db = NULL;
    }
    pthread_mutex_lock(&p->lock);
    p->idle[p->n_idle++] = db;
    pthread_cond_signal(&p->freed);
    pthread_mutex_unlock(&p->lock);
}

void sg_db_pool_free(sg_db_pool *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->n_idle; i++)
        PQfinish(p->idle[i]);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->freed);
    g_free(p->idle);
    g_free(p->conninfo);
    g_free(p->appname);
    g_free(p);
}
