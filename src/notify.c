/* notify.c - telling people about deadlines: warnings before them, breaches after (leads on shift, managers at once). */
#include "notify.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "compose.h"
#include "db.h"
#include "thread.h"
#include "ticketdb.h"

#define BATCH 100

enum { B_ID, B_TICKET, B_SLA, B_DUE, B_TEAM, B_SUBJECT, B_REQUESTER, B_NOW, B_THREAD, B_LEADS, B_MANAGERS };

#define CLAIM_COLUMNS \
    "SELECT x.id, x.ticket_id, x.sla, to_char(x.due AT TIME ZONE $3, 'YYYY-MM-DD HH24:MI'), t.team, t.subject," \
    "  t.requester, extract(epoch FROM greatest(x.at, coalesce($1::timestamptz, now())))::bigint," \
    "  (SELECT string_agg(message_id, ' ' ORDER BY at, id) FROM messages m WHERE m.ticket_id = t.id" \
    "    AND m.kind = 'customer'),"

/* What is told, to whom, and where it is marked as told. */
typedef struct {
    const char *claim_sql;   /* columns in the order of the B_ enum; x = the breach or warning */
    const char *mark_sql;    /* $1 row id, $2 ticket, $3 event detail, $4 Unix time */
    const char *word;        /* "breach" or "warning" */
    int is_breach;
} notice_kind;

/* A breach goes to the team's leads and to every manager. */
static const notice_kind breach = {
    CLAIM_COLUMNS
    "  (SELECT string_agg(address, ' ' ORDER BY address) FROM agents a WHERE a.team = t.team AND a.lead),"
    "  (SELECT string_agg(address, ' ' ORDER BY address) FROM managers)"
    " FROM breaches x JOIN tickets t ON t.id = x.ticket_id"
    " WHERE x.notified_at IS NULL ORDER BY x.id LIMIT $2::int FOR UPDATE OF x SKIP LOCKED",
    "WITH u AS (UPDATE breaches SET notified_at = to_timestamp($4::bigint) WHERE id = $1::bigint)"
    " INSERT INTO events (ticket_id, at, type, detail) VALUES ($2::bigint, to_timestamp($4::bigint), 'notified', $3)",
    "breach", 1,
};

/* A warning goes to whoever works the ticket: its assignee, else its team. */
static const notice_kind warning = {
    CLAIM_COLUMNS
    "  coalesce(t.assignee, ''), ''"
    " FROM warnings x JOIN tickets t ON t.id = x.ticket_id"
    " WHERE x.notified_at IS NULL ORDER BY x.id LIMIT $2::int FOR UPDATE OF x SKIP LOCKED",
    "WITH u AS (UPDATE warnings SET notified_at = to_timestamp($4::bigint) WHERE id = $1::bigint)"
    " INSERT INTO events (ticket_id, at, type, detail) VALUES ($2::bigint, to_timestamp($4::bigint), 'notified', $3)",
    "warning", 0,
};

/* The earliest moment the team is at work, counting any of its sites. */
static long long team_next_start(const sg_team *t, long long now)
{
    if (!t || t->n_calendars == 0)
        return 0;
    long long best = G_MAXINT64;
    for (size_t i = 0; i < t->n_calendars; i++) {
        long long s = sg_calendar_next_start(t->calendars[i], now);
        best = s < best ? s : best;
    }
    return best <= now ? 0 : best;
}

static int queue_notice(PGconn *db, const sg_config *c, const notice_kind *k, PGresult *r, int i, char **to,
                        long long not_before, char **err)
{
    long long ticket = g_ascii_strtoll(PQgetvalue(r, i, B_TICKET), NULL, 10);
    const char *support = sg_config_str(c, SG_CFG_SUPPORT_ADDRESS);
    char *tag = sg_thread_tag_make(sg_config_str(c, SG_CFG_TAG_PREFIX), ticket);
    const char *sla = PQgetvalue(r, i, B_SLA);
    char *subject = g_strdup_printf("%s SLA %s: %s%s (%s)", tag, k->word, sla, k->is_breach ? "" : " due soon",
                                    PQgetvalue(r, i, B_TEAM));
    char *headline = k->is_breach ? g_strdup_printf("Ticket %s missed its %s target.", tag, sla)
                                  : g_strdup_printf("Ticket %s is close to its %s deadline.", tag, sla);
    char *body = g_strdup_printf(
        "%s\n\n  due:        %s (%s)\n  team:       %s\n  requester:  %s\n"
        "  subject:    %s\n\nDetails: supportgate ticket show %lld\n", headline,
        PQgetvalue(r, i, B_DUE), sg_config_str(c, SG_CFG_DISPLAY_TIMEZONE), PQgetvalue(r, i, B_TEAM),
        PQgetvalue(r, i, B_REQUESTER), PQgetvalue(r, i, B_SUBJECT), ticket);
    g_free(headline);
    char *mid = sg_compose_message_id("breach", ticket, sg_address_domain(support)), ticket_s[32];
    char **refs = g_strsplit(PQgetvalue(r, i, B_THREAD), " ", -1);
    snprintf(ticket_s, sizeof ticket_s, "%lld", ticket);
    guint n = g_strv_length(refs);
    sg_outgoing o = { .from_addr = support, .from_name = sg_config_str(c, SG_CFG_SUPPORT_NAME), .to_addr = to[0],
                      .cc = (const char *const *)to + 1, .n_cc = g_strv_length(to) - 1, .subject = subject,
                      .body = body, .message_id = mid, .in_reply_to = n ? refs[n - 1] : NULL,
                      .references = (const char *const *)refs, .n_references = n, .auto_submitted = "auto-generated",
                      .loop = support, .ticket = ticket_s };
    size_t len;
    char *data = sg_compose(&o, &len);
    /* Staff mail is internal: it must not count as an update to the customer. */
    sg_queued q = { .ticket = ticket, .kind = "internal", .message_id = mid, .from = support,
                    .rcpts = (const char *const *)to, .n_rcpts = g_strv_length(to), .subject = subject, .body = body,
                    .env_from = sg_config_str(c, SG_CFG_BOUNCE_ADDRESS), .data = data, .len = len,
                    .not_before = not_before };
    int rc = sg_tdb_queue(db, &q, err);
    g_free(data); g_free(mid); g_free(body); g_free(subject); g_free(tag);
    g_strfreev(refs);
    return rc;
}

static char **split_nonempty(const char *s)
{
    return *s ? g_strsplit(s, " ", -1) : g_new0(char *, 1);
}

/* The team side hears on its shift (the team mailbox when nobody is named); managers hear at once. */
static int notify_one(PGconn *db, const sg_config *c, const notice_kind *k, PGresult *r, int i, char **err)
{
    const sg_team *team = sg_config_team_find(c, PQgetvalue(r, i, B_TEAM));
    long long now = g_ascii_strtoll(PQgetvalue(r, i, B_NOW), NULL, 10);
    char **leads = split_nonempty(PQgetvalue(r, i, B_LEADS));
    char **managers = split_nonempty(PQgetvalue(r, i, B_MANAGERS));
    if (!leads[0] && team) {
        g_strfreev(leads);
        leads = g_new0(char *, 2);
        leads[0] = g_strdup(team->mailbox);
    }
    int rc = 0;
    if (leads[0])
        rc = queue_notice(db, c, k, r, i, leads, team_next_start(team, now), err);
    if (rc == 0 && managers[0])
        rc = queue_notice(db, c, k, r, i, managers, 0, err);
    char *leads_s = g_strjoinv(", ", leads), *managers_s = g_strjoinv(", ", managers);
    char *detail = g_strdup_printf("%s %s reported to %s%s%s", PQgetvalue(r, i, B_SLA),
                                   k->word,
                                   *leads_s ? leads_s : "nobody", *managers_s ? "; managers " : "", managers_s);
    const char *p[] = { PQgetvalue(r, i, B_ID), PQgetvalue(r, i, B_TICKET), detail, PQgetvalue(r, i, B_NOW) };
    if (rc == 0)
        rc = sg_db_run(db, k->mark_sql, 4, p, err);
    g_free(detail); g_free(leads_s); g_free(managers_s);
    g_strfreev(leads);
    g_strfreev(managers);
    return rc;
}

static int notify_all(PGconn *db, const sg_config *c, const notice_kind *k, const char *now, char **err)
{
    if (sg_db_begin(db, err) < 0)
        return -1;
    char batch[16];
    snprintf(batch, sizeof batch, "%d", BATCH);
    const char *p[] = { now, batch, sg_config_str(c, SG_CFG_DISPLAY_TIMEZONE) };
    PGresult *r = sg_db_exec(db, k->claim_sql, 3, p, err);
    int n = r ? PQntuples(r) : -1, rc = r ? 0 : -1;
    for (int i = 0; i < n && rc == 0; i++)
        rc = notify_one(db, c, k, r, i, err);
    PQclear(r);
    if (rc == 0 && sg_db_commit(db, err) == 0)
        return n;
    sg_db_rollback(db);
    return -1;
}

int sg_notify_breaches(PGconn *db, const sg_config *c, const char *now, char **err)
{
    return notify_all(db, c, &breach, now, err);
}

int sg_notify_warnings(PGconn *db, const sg_config *c, const char *now, char **err)
{
    return notify_all(db, c, &warning, now, err);
}
