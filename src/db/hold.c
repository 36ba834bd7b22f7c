/* hold.c - the first line holds the customer-facing clocks while the team that owns a ticket is off shift. */
#include "hold.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "address.h"
#include "compose.h"
#include "db.h"
#include "mailthread.h"
#include "owner.h"
#include "phrase.h"
#include "ticketdb.h"
#include "wording.h"

#define BATCH 100

enum { H_ID, H_TEAM, H_SUBJECT, H_REQUESTER, H_UNANSWERED, H_DUE_TEXT, H_DUE, H_THREAD, H_NOW };

static const char *claim_sql =
    "SELECT t.id, t.team, t.subject, t.requester, t.first_response_at IS NULL,"
    "  to_char(t.hold_due AT TIME ZONE $3, 'YYYY-MM-DD HH24:MI'), extract(epoch FROM t.hold_due)::bigint,"
    "  (SELECT string_agg(message_id, ' ' ORDER BY at, id) FROM messages m WHERE m.ticket_id = t.id"
    "    AND m.kind = 'customer'), extract(epoch FROM coalesce($1::timestamptz, now()))::bigint"
    " FROM tickets t WHERE t.hold_due <= coalesce($1::timestamptz, now()) AND t.status IN ('new', 'open')"
    " ORDER BY t.hold_due LIMIT $2::int FOR UPDATE OF t SKIP LOCKED";

/* The reminder to the first line's mailbox, threaded under the customer's request, internal (no news). */
static int queue_reminder(PGconn *db, const sg_config *c, PGresult *r, int i, const sg_team *first, const char *back,
                          sg_time now, char **err)
{
    long long ticket = sg_db_int(r, i, H_ID);
    const char *lang = sg_config_str(c, SG_CFG_STAFF_LANGUAGE), *zone = sg_config_str(c, SG_CFG_DISPLAY_TIMEZONE);
    const char *support = sg_config_str(c, SG_CFG_SUPPORT_ADDRESS), *team = PQgetvalue(r, i, H_TEAM);
    char *tag = sg_thread_tag_make(sg_config_str(c, SG_CFG_TAG_PREFIX), ticket);
    char *subject = sg_phrase(lang, SG_PHRASE_HOLD_SUBJECT, "tag", tag, "team", team, "back", back, NULL);
    sg_phrase_id which = PQgetvalue(r, i, H_UNANSWERED)[0] == 't' ? SG_PHRASE_HOLD_FIRST : SG_PHRASE_HOLD_NEWS;
    char *headline = sg_phrase(lang, which, "tag", tag, "team", team, "back", back, "timezone", zone, NULL);
    char *body = sg_phrase(lang, SG_PHRASE_NOTICE_BODY, "headline", headline, "due", PQgetvalue(r, i, H_DUE_TEXT),
                           "timezone", zone, "team", team, "requester", PQgetvalue(r, i, H_REQUESTER),
                           "subject", PQgetvalue(r, i, H_SUBJECT), "id", PQgetvalue(r, i, H_ID), NULL);
    char *mid = sg_compose_message_id(sg_config_tokens(c), "reminder", ticket, sg_address_domain(support));
    char **refs = g_strsplit(PQgetvalue(r, i, H_THREAD), " ", -1);
    guint n = g_strv_length(refs);
    sg_outgoing o = { .from_addr = support, .from_name = sg_config_str(c, SG_CFG_SUPPORT_NAME),
                      .to_addr = first->mailbox, .subject = subject, .body = body, .message_id = mid,
                      .in_reply_to = n ? refs[n - 1] : NULL, .references = (const char *const *)refs,
                      .n_references = n, .auto_submitted = "auto-generated", .loop = support };
    sg_time start = sg_team_next_start(first, now);
    sg_envelope q = { .ticket = ticket, .kind = SG_OUT_INTERNAL, .rcpts = &first->mailbox, .n_rcpts = 1,
                      .not_before = start > now ? start : 0 };
    int rc = sg_tdb_compose_queue(db, c, &q, &o, err);
    g_strfreev(refs);
    g_free(mid); g_free(body); g_free(headline); g_free(subject); g_free(tag);
    return rc;
}

/* One ticket: remind the first line when the owner is away, and set the next reminder time either way. */
static int hold_one(PGconn *db, const sg_config *c, PGresult *r, int i, int *told, char **err)
{
    const sg_team *team = sg_config_team_find(c, PQgetvalue(r, i, H_TEAM)), *first = sg_config_first_line(c);
    sg_time now = sg_db_time(r, i, H_NOW), due = sg_db_time(r, i, H_DUE);
    int holds = sg_owner_first_line_holds(first, team);
    int rc = 0;
    if (holds && !sg_team_on_shift(team, now)) {
        char *back = sg_words_stamp(sg_config_str(c, SG_CFG_DISPLAY_TIMEZONE), sg_team_next_start(team, now));
        rc = queue_reminder(db, c, r, i, first, back, now, err);
        char *detail = g_strdup_printf("first line %s (%s) reminded to write to the customer (%s): %s off shift until %s",
                                       first->mailbox, first->name,
                                       PQgetvalue(r, i, H_UNANSWERED)[0] == 't' ? "no first response yet" : "news due",
                                       team->name, back);
        if (rc == 0)
            rc = sg_tdb_event_at(db, sg_db_int(r, i, H_ID), SG_EVENT_NOTIFIED, detail, now, err);
        *told += rc == 0;
        g_free(detail);
        g_free(back);
    }
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, sg_db_int(r, i, H_ID));
    sg_param_time(&p, holds ? sg_owner_hold_next(first, due, sg_config_num(c, SG_CFG_UPDATE_INTERVAL), now) : 0);
    if (rc == 0)
        rc = sg_db_run_params(db, "UPDATE tickets SET hold_due = to_timestamp($2::bigint) WHERE id = $1::bigint", &p, err);
    return rc;
}

int sg_hold_remind(PGconn *db, const sg_config *c, const char *now, char **err)
{
    if (sg_db_begin(db, err) < 0)
        return -1;
    sg_params p;
    sg_params_init(&p);
    sg_param_text(&p, now);
    sg_param_int(&p, BATCH);
    sg_param_text(&p, sg_config_str(c, SG_CFG_DISPLAY_TIMEZONE));
    PGresult *r = sg_db_exec_params(db, claim_sql, &p, err);
    int n = r ? PQntuples(r) : -1, rc = r ? 0 : -1, told = 0;
    for (int i = 0; i < n && rc == 0; i++)
        rc = hold_one(db, c, r, i, &told, err);
    PQclear(r);
    if (rc == 0 && sg_db_commit(db, err) == 0)
        return told;
    sg_db_rollback(db);
    return -1;
}
