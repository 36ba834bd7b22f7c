/* watch.c - possible incidents: new tickets from many customers that share a clue within minutes. */
#include "watch.h"

#include <glib.h>
#include <string.h>

#include "address.h"
#include "clue.h"
#include "compose.h"
#include "db.h"
#include "duration.h"
#include "mailthread.h"
#include "phrase.h"
#include "ticketdb.h"
#include "wording.h"

#define SCAN_BATCH 500      /* tickets read per pass: a burst is read over a few passes */
#define CLUES_PER_TICKET 8  /* a mail that names fifty hosts is a log, not a clue */
#define NOTICES_PER_PASS 10

/* Passes take turns, so that two schedulers neither read a ticket twice nor notice one group twice. */
static const char *lock_sql = "SELECT pg_advisory_xact_lock(hashtext('sg-incident-watch'))";

/* Switched off, the watch only keeps its place (no write while no ticket came), so that switching it on later
 * does not read the history. */
static const char *skip_sql =
    "UPDATE clue_scan SET last_ticket = m.id FROM (SELECT coalesce(max(id), 0) AS id FROM tickets) m"
    " WHERE clue_scan.last_ticket < m.id";

enum { S_ID, S_REQUESTER, S_TEAM, S_CATEGORY, S_SUBJECT, S_BODY, S_FRESH };

/* The new tickets and their first customer mail; S_FRESH: created within the window (older ones are passed). */
static const char *scan_sql =
    "SELECT t.id, t.requester, t.team, t.category, m.subject, m.body,"
    "  t.created_at > to_timestamp($1::bigint) - make_interval(secs => $2::double precision)"
    " FROM tickets t LEFT JOIN LATERAL (SELECT subject, body FROM messages WHERE ticket_id = t.id"
    "   AND direction = 'in' AND kind = 'customer' ORDER BY id LIMIT 1) m ON true"
    " WHERE t.id > (SELECT last_ticket FROM clue_scan) ORDER BY t.id LIMIT $3::int";

static const char *record_sql =
    "WITH x AS (INSERT INTO ticket_clues (ticket_id, clue, requester, created_at)"
    "   SELECT x.id, x.clue, t.requester, t.created_at FROM unnest($1::bigint[], $2::text[]) AS x (id, clue)"
    "   JOIN tickets t ON t.id = x.id ON CONFLICT DO NOTHING)"
    " UPDATE clue_scan SET last_ticket = greatest(last_ticket, $3::bigint)";

/* Clues older than two windows can join no group any more. */
static const char *purge_sql =
    "DELETE FROM ticket_clues WHERE created_at < to_timestamp($1::bigint) - make_interval(secs => 2 * $2::double precision)";

enum { G_CLUE, G_TICKETS, G_CUSTOMERS, G_COUNT };

/* Groups of open tickets, not yet in an incident, from at least $3 customers within the window before $1.  No
 * upper bound: a ticket of this very second may be newer than $1 (whole seconds), and it is read only once. */
static const char *groups_sql =
    "SELECT c.clue, array_agg(c.ticket_id ORDER BY c.ticket_id)::text, count(DISTINCT c.requester), count(*)"
    " FROM ticket_clues c JOIN tickets t ON t.id = c.ticket_id"
    " WHERE c.created_at > to_timestamp($1::bigint) - make_interval(secs => $2::double precision)"
    "  AND t.incident_id IS NULL AND t.status IN ('new', 'open', 'pending')"
    " GROUP BY c.clue HAVING count(DISTINCT c.requester) >= $3::int"
    " ORDER BY 3 DESC, 1 LIMIT $4::int";

/* A group that shares a ticket with a notice of the same clue, or with any notice of this window, is an
 * episode the first line already heard of (a host and its address in the same mails are one incident). */
static const char *claim_sql =
    "INSERT INTO possible_incidents (clue, noticed_at, tickets)"
    " SELECT $1, to_timestamp($2::bigint), $3::bigint[] WHERE NOT EXISTS (SELECT 1 FROM possible_incidents p"
    "   WHERE p.noticed_at > to_timestamp($2::bigint) - interval '1 day' AND p.tickets && $3::bigint[]"
    "   AND (p.clue = $1 OR p.noticed_at > to_timestamp($2::bigint) - make_interval(secs => $4::double precision)))"
    " RETURNING id";

enum { L_ID, L_CREATED, L_REQUESTER, L_SUBJECT };

static const char *list_sql =
    "SELECT id, extract(epoch FROM created_at)::bigint, requester, subject FROM tickets"
    " WHERE id = ANY ($1::bigint[]) ORDER BY created_at, id";

/* "team/category" when the rules classified the ticket; NULL for the first line's default. */
static char *classification(const sg_config *c, const PGresult *r, int i)
{
    const sg_team *first = sg_config_first_line(c);
    const char *team = PQgetvalue(r, i, S_TEAM), *category = PQgetvalue(r, i, S_CATEGORY);
    if (!strcmp(category, "standard") && (!first || !strcmp(first->name, team)))
        return NULL;
    return g_strdup_printf("%s/%s", team, category);
}

static sg_clue_rules *rules_of(const sg_config *c)
{
    char *bad = NULL;
    int kinds = sg_clue_kinds_parse(sg_config_str(c, SG_CFG_INCIDENT_WATCH_CLUES), &bad);
    g_free(bad); /* config check refused it already */
    const char *support = sg_address_domain(sg_config_str(c, SG_CFG_SUPPORT_ADDRESS));
    char *ignore = g_strdup_printf("%s %s", support ? support : "", sg_config_str(c, SG_CFG_INCIDENT_WATCH_IGNORE));
    sg_clue_rules *r = sg_clue_rules_new(kinds < 0 ? 0 : kinds, sg_config_str(c, SG_CFG_INCIDENT_WATCH_KEYWORDS),
                                         ignore);
    g_free(ignore);
    return r;
}

/* Read the clues of the tickets since the last pass.  Returns the number of tickets read, -1 with *ERR. */
static int scan(PGconn *db, const sg_config *c, sg_time now, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_time(&p, now);
    sg_param_int(&p, sg_config_num(c, SG_CFG_INCIDENT_WATCH_WINDOW));
    sg_param_int(&p, SCAN_BATCH);
    PGresult *r = sg_db_exec_params(db, scan_sql, &p, err);
    if (!r)
        return -1;
    int n = PQntuples(r);
    if (n == 0) {
        PQclear(r);
        return 0;
    }
    sg_clue_rules *rules = rules_of(c);
    GPtrArray *ids = g_ptr_array_new_with_free_func(g_free), *clues = g_ptr_array_new_with_free_func(g_free);
    for (int i = 0; i < n; i++) {
        if (PQgetisnull(r, i, S_SUBJECT) || strcmp(PQgetvalue(r, i, S_FRESH), "t"))
            continue;
        char *cls = classification(c, r, i);
        GPtrArray *found = sg_clues_find(rules, PQgetvalue(r, i, S_SUBJECT), PQgetvalue(r, i, S_BODY), cls,
                                         CLUES_PER_TICKET);
        for (guint k = 0; k < found->len; k++) {
            g_ptr_array_add(ids, g_strdup(PQgetvalue(r, i, S_ID)));
            g_ptr_array_add(clues, g_strdup(found->pdata[k]));
        }
        g_ptr_array_unref(found);
        g_free(cls);
    }
    char *id_array = sg_db_array((const char *const *)ids->pdata, ids->len);
    char *clue_array = sg_db_array((const char *const *)clues->pdata, clues->len);
    sg_params q;
    sg_params_init(&q);
    sg_param_text(&q, id_array);
    sg_param_text(&q, clue_array);
    sg_param_text(&q, PQgetvalue(r, n - 1, S_ID));
    int rc = sg_db_run_params(db, record_sql, &q, err);
    g_free(id_array);
    g_free(clue_array);
    g_ptr_array_unref(ids);
    g_ptr_array_unref(clues);
    sg_clue_rules_free(rules);
    PQclear(r);
    return rc < 0 ? -1 : n;
}

/* The clue as the notice says it: "the server web12.example.net". */
static char *clue_words(const char *clue, const char *lang)
{
    static const struct {
        const char *prefix;
        sg_phrase_id phrase;
    } kinds[] = { { "host:", SG_PHRASE_CLUE_HOST }, { "ip:", SG_PHRASE_CLUE_IP }, { "word:", SG_PHRASE_CLUE_WORD },
                  { "class:", SG_PHRASE_CLUE_CLASS } };
    for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++)
        if (g_str_has_prefix(clue, kinds[i].prefix))
            return sg_phrase(lang, kinds[i].phrase, "what", clue + strlen(kinds[i].prefix), NULL);
    return g_strdup(clue);
}

/* The first line's mailboxes: the level-1 teams at work at NOW, else every level-1 team (its mail waits). */
static GPtrArray *first_line(const sg_config *c, sg_time now)
{
    GPtrArray *on = g_ptr_array_new_with_free_func(g_free), *all = g_ptr_array_new_with_free_func(g_free);
    for (size_t i = 0; i < sg_config_team_count(c); i++) {
        const sg_team *t = sg_config_team(c, i);
        if (t->level != 1)
            continue;
        g_ptr_array_add(all, g_strdup(t->mailbox));
        if (sg_team_on_shift(t, now))
            g_ptr_array_add(on, g_strdup(t->mailbox));
    }
    GPtrArray *keep = on->len ? on : all;
    g_ptr_array_unref(keep == on ? all : on);
    return keep;
}

/* "  [INTROSERV #12]  2026-12-05 19:02  customer@example.net  Subject", a line per ticket; *TAGS "#12, #13". */
static char *ticket_lines(PGconn *db, const sg_config *c, const char *tickets, GString *tags, char **err)
{
    const char *p[] = { tickets };
    PGresult *r = sg_db_exec(db, list_sql, 1, p, err);
    if (!r)
        return NULL;
    GString *s = g_string_new(NULL);
    for (int i = 0; i < PQntuples(r); i++) {
        char *tag = sg_thread_tag_make(sg_config_str(c, SG_CFG_TAG_PREFIX), sg_db_int(r, i, L_ID));
        char *at = sg_words_stamp(sg_config_str(c, SG_CFG_DISPLAY_TIMEZONE), sg_db_int(r, i, L_CREATED));
        g_string_append_printf(s, "  %s  %s  %s  %s\n", tag, at, PQgetvalue(r, i, L_REQUESTER),
                               PQgetvalue(r, i, L_SUBJECT));
        g_string_append_printf(tags, "%s#%s", i ? ", " : "", PQgetvalue(r, i, L_ID));
        g_free(at);
        g_free(tag);
    }
    PQclear(r);
    return g_string_free(s, FALSE);
}

/* Each listed ticket's history says the first line heard of the group. */
static int note_on_tickets(PGconn *db, const char *tickets, const char *detail, sg_time now, char **err)
{
    char **ids = g_strsplit_set(tickets, "{},", -1);
    int rc = 0;
    for (int i = 0; ids[i] && rc == 0; i++)
        if (*ids[i])
            rc = sg_tdb_event_at(db, g_ascii_strtoll(ids[i], NULL, 10), SG_EVENT_NOTIFIED, detail, now, err);
    g_strfreev(ids);
    return rc;
}

/* The notice of one group (claimed as possible incident ID) to the first line. */
static int tell(PGconn *db, const sg_config *c, const PGresult *g, int i, long long id, sg_time now, char **err)
{
    const char *lang = sg_config_str(c, SG_CFG_STAFF_LANGUAGE), *support = sg_config_str(c, SG_CFG_SUPPORT_ADDRESS);
    const char *tickets = PQgetvalue(g, i, G_TICKETS);
    GString *tags = g_string_new(NULL);
    char *list = ticket_lines(db, c, tickets, tags, err);
    GPtrArray *to = first_line(c, now);
    int rc = list ? 0 : -1;
    if (rc == 0 && to->len > 0) {
        char window[48];
        sg_duration_hm_lang(sg_config_num(c, SG_CFG_INCIDENT_WATCH_WINDOW), lang, window, sizeof window);
        char *clue = clue_words(PQgetvalue(g, i, G_CLUE), lang);
        const char *n = PQgetvalue(g, i, G_COUNT), *customers = PQgetvalue(g, i, G_CUSTOMERS);
        char *subject = sg_phrase(lang, SG_PHRASE_WATCH_SUBJECT, "customers", customers, "clue", clue, "window",
                                  window, NULL);
        char *body = sg_phrase(lang, SG_PHRASE_WATCH_BODY, "n", n, "customers", customers, "clue", clue, "window",
                               window, "list", list, "timezone", sg_config_str(c, SG_CFG_DISPLAY_TIMEZONE), NULL);
        char *mid = sg_compose_message_id(sg_config_tokens(c), "watch", id, sg_address_domain(support));
        sg_outgoing o = { .from_addr = support, .from_name = sg_config_str(c, SG_CFG_SUPPORT_NAME),
                          .to_addr = to->pdata[0], .cc = (const char *const *)to->pdata + 1, .n_cc = to->len - 1,
                          .subject = subject, .body = body, .message_id = mid, .auto_submitted = "auto-generated",
                          .loop = support };
        sg_envelope q = { .kind = SG_OUT_INTERNAL, .rcpts = (const char *const *)to->pdata, .n_rcpts = to->len };
        char *detail = g_strdup_printf("possible incident: %s tickets (%s) from %s customers mention %s; %s told",
                                       n, tags->str, customers, PQgetvalue(g, i, G_CLUE), (char *)to->pdata[0]);
        rc = sg_tdb_compose_queue(db, c, &q, &o, err);
        if (rc == 0)
            rc = note_on_tickets(db, tickets, detail, now, err);
        g_free(detail); g_free(mid); g_free(body); g_free(subject); g_free(clue);
    }
    g_ptr_array_unref(to);
    g_free(list);
    g_string_free(tags, TRUE);
    return rc;
}

/* Claim and tell each new group.  Returns the number of notices, -1 with *ERR. */
static int notice_groups(PGconn *db, const sg_config *c, sg_time now, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_time(&p, now);
    sg_param_int(&p, sg_config_num(c, SG_CFG_INCIDENT_WATCH_WINDOW));
    sg_param_int(&p, sg_config_num(c, SG_CFG_INCIDENT_WATCH_TICKETS));
    sg_param_int(&p, NOTICES_PER_PASS);
    PGresult *g = sg_db_exec_params(db, groups_sql, &p, err);
    if (!g)
        return -1;
    int told = 0;
    for (int i = 0; i < PQntuples(g) && told >= 0; i++) {
        sg_params q;
        sg_params_init(&q);
        sg_param_text(&q, PQgetvalue(g, i, G_CLUE));
        sg_param_time(&q, now);
        sg_param_text(&q, PQgetvalue(g, i, G_TICKETS));
        sg_param_int(&q, sg_config_num(c, SG_CFG_INCIDENT_WATCH_WINDOW));
        PGresult *r = sg_db_exec_params(db, claim_sql, &q, err);
        long long id = r && PQntuples(r) == 1 ? sg_db_int(r, 0, 0) : 0;
        if (!r)
            told = -1;
        else if (id > 0)
            told = tell(db, c, g, i, id, now, err) < 0 ? -1 : told + 1;
        PQclear(r);
    }
    PQclear(g);
    return told;
}

static int watch(PGconn *db, const sg_config *c, sg_time now, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_time(&p, now);
    sg_param_int(&p, sg_config_num(c, SG_CFG_INCIDENT_WATCH_WINDOW));
    if (sg_db_run(db, lock_sql, 0, NULL, err) < 0 || sg_db_run_params(db, purge_sql, &p, err) < 0)
        return -1;
    int read = scan(db, c, now, err);
    return read < 0 ? -1 : read == 0 ? 0 : notice_groups(db, c, now, err);
}

int sg_watch_check(PGconn *db, const sg_config *c, const char *now, char **err)
{
    if (sg_config_num(c, SG_CFG_INCIDENT_WATCH_TICKETS) == 0)
        return sg_db_run(db, skip_sql, 0, NULL, err);
    sg_time t;
    if (sg_db_moment(db, now, &t, err) < 0 || sg_db_begin(db, err) < 0)
        return -1;
    int rc = watch(db, c, t, err);
    if (rc >= 0 && sg_db_commit(db, err) == 0)
        return rc;
    sg_db_rollback(db);
    return -1;
}
