/* attachdb.h - the files of recorded mail in PostgreSQL: each content once (SHA-256), listed per message, read back. */
#ifndef SG_ATTACHDB_H
#define SG_ATTACHDB_H

#include <glib.h>
#include <libpq-fe.h>
#include <stddef.h>

#include "config.h"
#include "mailparse.h"
#include "sgtime.h"

/* Record the files of M, which came (or went) as the message row MESSAGE of TICKET, inside the caller's transaction:
 * each content once, each file listed.  A file past attachment_max_file, _max_mail or _max_ticket is listed without
 * its content, and the ticket's history names it.  0, or -1 with *ERR. */
int sg_attach_record(PGconn *db, const sg_config *c, long long ticket, long long message, const sg_mail *m, char **err);

/* The JSON array of the files of the ticket whose id is the SQL expression TICKET, oldest first: shared by
 * `ticket attachments --json` and `ticket show --json`, so the two say the same. */
#define SG_ATTACH_JSON_SQL(ticket) \
    "SELECT coalesce(jsonb_agg(jsonb_build_object('id', a.id, 'filename', a.filename," \
    "  'content_type', a.content_type, 'size', a.size, 'sha256', encode(a.sha256, 'hex'), 'stored', a.stored," \
    "  'note', a.note, 'direction', m.direction, 'sender', m.sender, 'message_id', m.message_id, 'at', m.at," \
    "  'packed_in', a.packed_in, 'content_id', a.content_id) ORDER BY m.at, m.id, a.position), '[]')" \
    " FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.ticket_id = " ticket

/* The files of TICKET as a JSON array (g_free): as SG_ATTACH_JSON_SQL builds it; NULL with *ERR. */
char *sg_attach_list_json(PGconn *db, long long ticket, char **err);

/* The same as rows for a listing, columns in enum sg_attach_col order; NULL with *ERR. */
enum { SG_ATT_COL_ID, SG_ATT_COL_SIZE, SG_ATT_COL_TYPE, SG_ATT_COL_NAME, SG_ATT_COL_DIRECTION, SG_ATT_COL_SENDER,
       SG_ATT_COL_STORED, SG_ATT_COL_NOTE, SG_ATT_COL_PACKED_IN, SG_ATT_COL_SHA256 };
PGresult *sg_attach_rows(PGconn *db, long long ticket, char **err);

/* The bytes of file ID of TICKET into *DATA (PQfreemem) and *LEN: 0; 1 when the ticket has no such file or its content
 * is not kept, with *ERR saying which; -1 on a database error. */
int sg_attach_get(PGconn *db, long long ticket, long long id, unsigned char **data, size_t *len, char **err);

/* The kept files of TICKET to attach to a mail about it (a team's copy of the history), oldest first, each content
 * once, while their total stays within attachment_max_mail: an array of sg_attachment (freed with it).  Each file
 * left out is named on a line of *LEFT_OUT (g_free; NULL when none) with the command that fetches it.  NULL with
 * *ERR on a database error. */
GPtrArray *sg_attach_load(PGconn *db, const sg_config *c, long long ticket, char **left_out, char **err);

/* Drop the content of the files of tickets closed more than attachment_retention before NOW (a timestamp; NULL: the
 * clock).  Name, size and hash stay; a content another kept file shares stays too; each ticket gets an event.
 * Files purged, or -1. */
long long sg_attach_purge(PGconn *db, const sg_config *c, const char *now, char **err);

#endif
