/* attachdb.c - the files of recorded mail in PostgreSQL: each content once (SHA-256), listed per message, read back. */
#include "attachdb.h"

#include <glib.h>
#include <string.h>

#include "attachlimit.h"
#include "db.h"
#include "domain.h"
#include "duration.h"
#include "ticketdb.h"

/* Below this a content is sent with its row at once; above it a lookup first spares sending again what is kept. */
#define DEDUP_LOOKUP_SIZE (64 * 1024)

static long long ticket_used(PGconn *db, long long ticket, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, ticket);
    return sg_tdb_first_id(sg_db_exec_params(db,
        "SELECT coalesce(sum(a.size), 0) FROM attachments a JOIN messages m ON m.id = a.message_id"
        " WHERE m.ticket_id = $1 AND a.stored", &p, err));
}

static void digest(const sg_attachment *a, guint8 out[32])
{
    GChecksum *h = g_checksum_new(G_CHECKSUM_SHA256);
    g_checksum_update(h, a->data, (gssize)a->size);
    gsize n = 32;
    g_checksum_get_digest(h, out, &n);
    g_checksum_free(h);
}

/* 1 when the content is kept already. */
static int blob_kept(PGconn *db, const guint8 sha[32], char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_bytes(&p, sha, 32);
    return (int)sg_tdb_first_id(sg_db_exec_params(db,
        "SELECT 1 FROM blobs WHERE sha256 = $1 AND content IS NOT NULL", &p, err));
}

static int put_blob(PGconn *db, const guint8 sha[32], const sg_attachment *a, char **err)
{
    if (a->size > DEDUP_LOOKUP_SIZE) {
        int kept = blob_kept(db, sha, err);
        if (kept != 0)
            return kept < 0 ? -1 : 0;
    }
    sg_params p;
    sg_params_init(&p);
    sg_param_bytes(&p, sha, 32);
    sg_param_int(&p, (long long)a->size);
    sg_param_bytes(&p, a->data, a->size);
    /* A content purged before and sent again is kept again. */
    return sg_db_run_params(db,
        "INSERT INTO blobs (sha256, size, content) VALUES ($1, $2, $3)"
        " ON CONFLICT (sha256) DO UPDATE SET content = EXCLUDED.content, stored_at = sg_now()"
        "  WHERE blobs.content IS NULL", &p, err);
}

static int list_file(PGconn *db, long long message, size_t pos, const sg_attachment *a, const guint8 sha[32],
                     const char *note, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, message);
    sg_param_int(&p, (long long)pos);
    sg_param_text(&p, a->filename);
    sg_param_text(&p, a->content_type);
    sg_param_int(&p, (long long)a->size);
    sg_param_bytes(&p, sha, 32);
    sg_param_text(&p, a->content_id);
    sg_param_bool(&p, a->is_inline);
    sg_param_text(&p, a->packed_in);
    sg_param_bool(&p, note == NULL);
    sg_param_text(&p, note);
    return sg_db_run_params(db,
        "INSERT INTO attachments (message_id, position, filename, content_type, size, sha256, content_id, is_inline,"
        "  packed_in, stored, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)", &p, err);
}

static int record_one(PGconn *db, const sg_config *c, long long ticket, long long message, size_t i,
                      const sg_attachment *a, sg_att_verdict v, char **err)
{
    guint8 sha[32];
    digest(a, sha);
    char *why = sg_attach_why(c, a, v);
    char *note = why ? g_strconcat("content not kept: ", why, NULL) : NULL;
    int rc = !why ? put_blob(db, sha, a, err) : 0;
    if (rc == 0)
        rc = list_file(db, message, i, a, sha, note, err);
    if (rc == 0 && note)
        rc = sg_tdb_event(db, ticket, SG_EVENT_ATTACHMENT, note, err);
    g_free(why);
    g_free(note);
    return rc;
}

int sg_attach_record(PGconn *db, const sg_config *c, long long ticket, long long message, const sg_mail *m, char **err)
{
    size_t n = sg_mail_attachment_count(m);
    if (n == 0)
        return 0;
    long long used = ticket_used(db, ticket, err);
    if (used < 0)
        return -1;
    sg_att_verdict *v = g_new(sg_att_verdict, n);
    sg_attach_judge(c, m, used, 0, v);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = record_one(db, c, ticket, message, i, sg_mail_attachment(m, i), v[i], err);
    g_free(v);
    return rc;
}

char *sg_attach_list_json(PGconn *db, long long ticket, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, ticket);
    PGresult *r = sg_db_exec_params(db, SG_ATTACH_JSON_SQL("$1::bigint"), &p, err);
    char *json = r ? g_strdup(PQgetvalue(r, 0, 0)) : NULL;
    PQclear(r);
    return json;
}

PGresult *sg_attach_rows(PGconn *db, long long ticket, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, ticket);
    return sg_db_exec_params(db,
        "SELECT a.id, a.size, a.content_type, a.filename, m.direction, m.sender, a.stored, coalesce(a.note, ''),"
        "  coalesce(a.packed_in, ''), encode(a.sha256, 'hex')"
        " FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.ticket_id = $1"
        " ORDER BY m.at, m.id, a.position", &p, err);
}

int sg_attach_get(PGconn *db, long long ticket, long long id, unsigned char **data, size_t *len, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, ticket);
    sg_param_int(&p, id);
    PGresult *r = sg_db_exec_params(db,
        "SELECT a.filename, a.note, b.content IS NOT NULL, b.content FROM attachments a"
        " JOIN messages m ON m.id = a.message_id LEFT JOIN blobs b ON b.sha256 = a.sha256 AND a.stored"
        " WHERE m.ticket_id = $1 AND a.id = $2", &p, err);
    if (!r)
        return -1;
    int rc = 1;
    if (PQntuples(r) == 0) {
        *err = g_strdup_printf("ticket %lld has no attachment %lld (supportgate ticket attachments %lld lists them)",
                               ticket, id, ticket);
    } else if (PQgetvalue(r, 0, 2)[0] != 't') {
        const char *note = PQgetvalue(r, 0, 1);
        *err = g_strdup_printf("the content of \"%s\" is not kept%s%s", PQgetvalue(r, 0, 0), *note ? ": " : "",
                               *note ? note : "");
    } else {
        *data = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 3), len);
        rc = *data ? 0 : -1;
        if (!*data)
            *err = g_strdup("out of memory reading the attachment");
    }
    PQclear(r);
    return rc;
}

static void loaded_free(gpointer p)
{
    sg_attachment *a = p;
    g_free((char *)a->filename);
    g_free((char *)a->content_type);
    g_free((char *)a->content_id);
    PQfreemem((unsigned char *)a->data);
    g_free(a);
}

/* The content of kept file ID, or NULL with *ERR. */
static unsigned char *content_of(PGconn *db, long long id, size_t *len, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, id);
    PGresult *r = sg_db_exec_params(db,
        "SELECT b.content FROM attachments a JOIN blobs b ON b.sha256 = a.sha256 WHERE a.id = $1", &p, err);
    unsigned char *data = r && PQntuples(r) == 1 ? PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 0), len) : NULL;
    if (r && !data)
        *err = g_strdup_printf("the content of attachment %lld is gone", id);
    PQclear(r);
    return data;
}

enum { LOAD_ID, LOAD_NAME, LOAD_TYPE, LOAD_SIZE, LOAD_CID, LOAD_INLINE };

static sg_attachment *load_one(PGconn *db, const PGresult *r, int i, char **err)
{
    size_t len = 0;
    unsigned char *data = content_of(db, sg_db_int(r, i, LOAD_ID), &len, err);
    if (!data)
        return NULL;
    sg_attachment *a = g_new0(sg_attachment, 1);
    a->filename = g_strdup(PQgetvalue(r, i, LOAD_NAME));
    a->content_type = g_strdup(PQgetvalue(r, i, LOAD_TYPE));
    a->content_id = PQgetisnull(r, i, LOAD_CID) ? NULL : g_strdup(PQgetvalue(r, i, LOAD_CID));
    a->is_inline = PQgetvalue(r, i, LOAD_INLINE)[0] == 't';
    a->data = data;
    a->size = len;
    return a;
}

GPtrArray *sg_attach_load(PGconn *db, const sg_config *c, long long ticket, char **left_out, char **err)
{
    *left_out = NULL;
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, ticket);
    /* Each content once (the first file that has it): the same invoice sent twice is attached once. */
    PGresult *r = sg_db_exec_params(db,
        "SELECT id, filename, content_type, size, content_id, is_inline FROM ("
        "  SELECT DISTINCT ON (a.sha256) a.*, m.at, m.id AS mid FROM attachments a"
        "   JOIN messages m ON m.id = a.message_id JOIN blobs b ON b.sha256 = a.sha256"
        "  WHERE m.ticket_id = $1 AND a.stored AND b.content IS NOT NULL ORDER BY a.sha256, m.at, m.id, a.position) f"
        " ORDER BY at, mid, position", &p, err);
    if (!r)
        return NULL;
    GPtrArray *files = g_ptr_array_new_with_free_func(loaded_free);
    GString *out = g_string_new(NULL);
    long long budget = sg_config_num(c, SG_CFG_ATTACHMENT_MAX_MAIL);
    for (int i = 0; i < PQntuples(r) && files; i++) {
        long long size = sg_db_int(r, i, LOAD_SIZE);
        if (size > budget) {
            char human[32];
            g_string_append_printf(out, "%s (%s): supportgate ticket attachment get %lld %s\n",
                                   PQgetvalue(r, i, LOAD_NAME), sg_size_format(size, human, sizeof human), ticket,
                                   PQgetvalue(r, i, LOAD_ID));
            continue;
        }
        sg_attachment *a = load_one(db, r, i, err);
        if (!a)
            g_clear_pointer(&files, g_ptr_array_unref);
        else {
            g_ptr_array_add(files, a);
            budget -= size;
        }
    }
    PQclear(r);
    *left_out = files && out->len ? g_string_free(out, FALSE) : (g_string_free(out, TRUE), NULL);
    return files;
}

long long sg_attach_purge(PGconn *db, const sg_config *c, const char *now, char **err)
{
    long long keep = sg_config_num(c, SG_CFG_ATTACHMENT_RETENTION);
    if (keep <= 0)
        return 0;
    char span[32];
    sg_duration_format(keep, span, sizeof span);
    char *note = g_strdup_printf("content purged: the ticket closed longer ago than attachment_retention (%s)", span);
    sg_params p;
    sg_params_init(&p);
    sg_param_text(&p, now);
    sg_param_int(&p, keep);
    sg_param_text(&p, note);
    /* One statement marks the files, records one event per ticket and drops the contents no kept file still uses:
     * the events and the blob update read the marked rows from the CTE, not from the table (same snapshot). */
    PGresult *r = sg_db_exec_params(db,
        "WITH gone AS ("
        "  UPDATE attachments a SET stored = false, note = $3 FROM messages m, tickets t"
        "   WHERE a.message_id = m.id AND m.ticket_id = t.id AND a.stored AND t.status = 'closed'"
        "     AND t.closed_at < coalesce($1::timestamptz, now()) - make_interval(secs => $2::double precision)"
        "   RETURNING a.id, a.sha256, a.size, m.ticket_id),"
        " ev AS (INSERT INTO events (ticket_id, at, type, detail)"
        "   SELECT ticket_id, coalesce($1::timestamptz, now()), 'attachment', count(*) || ' file(s), ' ||"
        "     pg_size_pretty(sum(size)) || ': ' || $3 FROM gone GROUP BY ticket_id),"
        " freed AS (UPDATE blobs b SET content = NULL WHERE b.content IS NOT NULL"
        "   AND b.sha256 IN (SELECT sha256 FROM gone)"
        "   AND NOT EXISTS (SELECT 1 FROM attachments x WHERE x.sha256 = b.sha256 AND x.stored"
        "     AND x.id NOT IN (SELECT id FROM gone)))"
        " SELECT count(*) FROM gone", &p, err);
    g_free(note);
    return sg_tdb_first_id(r);
}
