/* backlog.c - the first line's backlog on every pass: an overload episode begins, is told once, and ends. */
#include "backlog.h"

#include <glib.h>
#include <string.h>

#include "address.h"
#include "compose.h"
#include "db.h"
#include "duration.h"
#include "mailthread.h"
#include "overload.h"
#include "phrase.h"
#include "ticketdb.h"
#include "wording.h"

#define LONGEST 10 /* waits listed in the notice */

/* Schedulers take turns here, so two passes cannot both find no episode open and each open one. */
static const char *lock_sql = "SELECT pg_advisory_xact_lock(hashtext('sg-overload'))";

enum { M_WAITING, M_OLDEST, M_NOW, M_OPEN };

static const char *measure_sql =
    "SELECT count(t.id), greatest(0, coalesce(extract(epoch FROM n.at - min(t.created_at))::bigint, 0)),"
    "  extract(epoch FROM n.at)::bigint, coalesce((SELECT id FROM overload_episodes WHERE ended_at IS NULL), 0)"
    " FROM (SELECT coalesce($1::timestamptz, now()) AS at) n LEFT JOIN tickets t ON " SG_AWAITING_FIRST_RESPONSE
    " GROUP BY n.at";

enum { L_ID, L_WAIT, L_REQUESTER, L_SUBJECT };

static const char *longest_sql =
    "SELECT t.id, greatest(0, extract(epoch FROM to_timestamp($1::bigint) - t.created_at))::bigint, t.requester,"
    "  t.subject FROM tickets t WHERE " SG_AWAITING_FIRST_RESPONSE " ORDER BY t.created_at, t.id LIMIT $2::int";

/* Who hears of the episode: the duty manager (else the managers) and every level-2 team at work at NOW. */
static GPtrArray *recipients(PGconn *db, const sg_config *c, sg_time now, char **err)
{
    GPtrArray *to = g_ptr_array_new_with_free_func(g_free);
    char **words = g_strsplit_set(sg_config_str(c, SG_CFG_OVERLOAD_NOTIFY), " \t,", -1);
    for (int i = 0; words[i]; i++)
        if (*words[i])
            g_ptr_array_add(to, sg_address_lower(words[i]));
    g_strfreev(words);
    if (to->len == 0) {
        PGresult *r = sg_db_exec(db, "SELECT address FROM managers ORDER BY address", 0, NULL, err);
        if (!r) {
            g_ptr_array_free(to, TRUE);
            return NULL;
        }
        for (int i = 0; i < PQntuples(r); i++)
            g_ptr_array_add(to, g_strdup(PQgetvalue(r, i, 0)));
        PQclear(r);
    }
    for (size_t i = 0; i < sg_config_team_count(c); i++) {
        const sg_team *t = sg_config_team(c, i);
        if (t->level == 2 && sg_team_on_shift(t, now))
            g_ptr_array_add(to, g_strdup(t->mailbox));
    }
    return to;
}

/* "[INTROSERV #12]  42 min  customer@example.net  Subject", a line per ticket that has waited longest. */
static char *longest_list(PGconn *db, const sg_config *c, sg_time now, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, now);
    sg_param_int(&p, LONGEST);
    PGresult *r = sg_db_exec_params(db, longest_sql, &p, err);
    if (!r)
        return NULL;
    GString *s = g_string_new(NULL);
    const char *lang = sg_config_str(c, SG_CFG_STAFF_LANGUAGE);
    for (int i = 0; i < PQntuples(r); i++) {
        char *tag = sg_thread_tag_make(sg_config_str(c, SG_CFG_TAG_PREFIX), sg_db_int(r, i, L_ID));
        char wait[48];
        g_string_append_printf(s, "  %s  %s  %s  %s\n", tag,
                               sg_duration_hm_lang(sg_db_int(r, i, L_WAIT), lang, wait, sizeof wait),
                               PQgetvalue(r, i, L_REQUESTER), PQgetvalue(r, i, L_SUBJECT));
        g_free(tag);
    }
    PQclear(r);
    return g_string_free(s, FALSE);
}

/* The threshold the backlog reached, in words. */
static char *threshold_words(const sg_config *c, long long waiting)
{
    const char *lang = sg_config_str(c, SG_CFG_STAFF_LANGUAGE);
    long long n = sg_config_num(c, SG_CFG_OVERLOAD_BACKLOG);
    if (n > 0 && waiting >= n) {
        char num[24];
        g_snprintf(num, sizeof num, "%lld", n);
        return sg_phrase(lang, SG_PHRASE_OVERLOAD_THRESHOLD_N, "n", num, NULL);
    }
    char wait[48];
    sg_duration_hm_lang(sg_config_num(c, SG_CFG_OVERLOAD_WAIT), lang, wait, sizeof wait);
    return sg_phrase(lang, SG_PHRASE_OVERLOAD_THRESHOLD_WAIT, "wait", wait, NULL);
}

/* The one mail of an episode, to every recipient at once, internal (no ticket). */
static int tell(PGconn *db, const sg_config *c, long long episode, long long waiting, sg_time oldest, sg_time now,
                char **err)
{
    GPtrArray *to = recipients(db, c, now, err);
    char *list = to ? longest_list(db, c, now, err) : NULL;
    int rc = list ? 0 : -1;
    if (rc == 0 && to->len > 0) {
        const char *lang = sg_config_str(c, SG_CFG_STAFF_LANGUAGE), *support = sg_config_str(c, SG_CFG_SUPPORT_ADDRESS);
        const sg_team *overflow = sg_config_team_find(c, sg_config_str(c, SG_CFG_OVERFLOW_TEAM));
        char n[24], wait[48];
        g_snprintf(n, sizeof n, "%lld", waiting);
        sg_duration_hm_lang(oldest, lang, wait, sizeof wait);
        char *threshold = threshold_words(c, waiting), *since = sg_words_stamp(sg_config_str(c, SG_CFG_DISPLAY_TIMEZONE), now);
        char *spill = overflow ? sg_phrase(lang, SG_PHRASE_OVERFLOW_ON, "team", sg_team_title(overflow, lang), NULL)
                               : sg_phrase(lang, SG_PHRASE_OVERFLOW_OFF, NULL);
        char *subject = sg_phrase(lang, SG_PHRASE_OVERLOAD_SUBJECT, "n", n, "oldest", wait, NULL);
        char *body = sg_phrase(lang, SG_PHRASE_OVERLOAD_BODY, "n", n, "oldest", wait, "threshold", threshold,
                               "since", since, "timezone", sg_config_str(c, SG_CFG_DISPLAY_TIMEZONE),
                               "overflow", spill, "list", list, NULL);
        char *mid = sg_compose_message_id(sg_config_tokens(c), "overload", episode, sg_address_domain(support));
        sg_outgoing o = { .from_addr = support, .from_name = sg_config_str(c, SG_CFG_SUPPORT_NAME),
                          .to_addr = to->pdata[0], .cc = (const char *const *)to->pdata + 1, .n_cc = to->len - 1,
                          .subject = subject, .body = body, .message_id = mid, .auto_submitted = "auto-generated",
                          .loop = support };
        sg_envelope q = { .kind = SG_OUT_INTERNAL, .rcpts = (const char *const *)to->pdata, .n_rcpts = to->len };
        rc = sg_tdb_compose_queue(db, c, &q, &o, err);
        g_free(mid); g_free(body); g_free(subject); g_free(spill); g_free(since); g_free(threshold);
    }
    g_free(list);
    if (to)
        g_ptr_array_free(to, TRUE);
    return rc;
}

/* Record the step the measure calls for; returns 1 when an episode began. */
static int step(PGconn *db, const sg_config *c, PGresult *m, char **err)
{
    const sg_overload_limits l = { .backlog = sg_config_num(c, SG_CFG_OVERLOAD_BACKLOG),
                                   .wait = sg_config_num(c, SG_CFG_OVERLOAD_WAIT) };
    long long waiting = sg_db_int(m, 0, M_WAITING), open = sg_db_int(m, 0, M_OPEN);
    sg_time oldest = sg_db_int(m, 0, M_OLDEST), now = sg_db_time(m, 0, M_NOW);
    sg_params p;
    sg_params_init(&p);
    switch (sg_overload_decide(&l, waiting, oldest, open > 0)) {
    case SG_OVERLOAD_BEGIN: {
        sg_param_time(&p, now);
        sg_param_int(&p, waiting);
        sg_param_int(&p, oldest);
        sg_param_text(&p, *sg_config_str(c, SG_CFG_OVERFLOW_TEAM) ? sg_config_str(c, SG_CFG_OVERFLOW_TEAM) : NULL);
        PGresult *r = sg_db_exec_params(db,
            "INSERT INTO overload_episodes (started_at, backlog, oldest_wait_s, peak_backlog, overflow_team)"
            " VALUES (to_timestamp($1::bigint), $2::int, $3::bigint, $2::int, $4) RETURNING id", &p, err);
        long long id = r && PQntuples(r) == 1 ? sg_db_int(r, 0, 0) : 0;
        PQclear(r);
        return id > 0 && tell(db, c, id, waiting, oldest, now, err) == 0 ? 1 : -1;
    }
    case SG_OVERLOAD_GOING:
        sg_param_int(&p, open);
        sg_param_int(&p, waiting);
        return sg_db_run_params(db, "UPDATE overload_episodes SET peak_backlog = greatest(peak_backlog, $2::int)"
                                    " WHERE id = $1::bigint", &p, err);
    case SG_OVERLOAD_END:
        sg_param_int(&p, open);
        sg_param_time(&p, now);
        return sg_db_run_params(db, "UPDATE overload_episodes SET ended_at = greatest(started_at, to_timestamp($2::bigint))"
                                    " WHERE id = $1::bigint", &p, err);
    case SG_OVERLOAD_QUIET:
        break;
    }
    return 0;
}

int sg_backlog_check(PGconn *db, const sg_config *c, const char *now, char **err)
{
    /* Switched off, a pass reads no ticket (it stays proportional to the clocks due); an episode a reload left
     * open just ends. */
    if (sg_config_num(c, SG_CFG_OVERLOAD_BACKLOG) == 0 && sg_config_num(c, SG_CFG_OVERLOAD_WAIT) == 0) {
        const char *p[] = { now };
        return sg_db_run(db, "UPDATE overload_episodes SET ended_at = greatest(started_at, coalesce($1::timestamptz, now()))"
                             " WHERE ended_at IS NULL", 1, p, err);
    }
    if (sg_db_begin(db, err) < 0)
        return -1;
    sg_params p;
    sg_params_init(&p);
    sg_param_text(&p, now);
    PGresult *m = sg_db_run(db, lock_sql, 0, NULL, err) < 0 ? NULL : sg_db_exec_params(db, measure_sql, &p, err);
    int rc = m && PQntuples(m) == 1 ? step(db, c, m, err) : -1;
    PQclear(m);
    if (rc >= 0 && sg_db_commit(db, err) == 0)
        return rc;
    sg_db_rollback(db);
    return -1;
}
