/* scheduler.c - supportgate-scheduler: sends the outbox and records SLA breaches, woken by NOTIFY. */
#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <glib.h>
#include <gmime/gmime.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "approval.h"
#include "attachdb.h"
#include "backlog.h"
#include "config.h"
#include "daemon.h"
#include "db.h"
#include "digest.h"
#include "hold.h"
#include "log.h"
#include "notify.h"
#include "outbox.h"
#include "secret.h"
#include "sla.h"
#include "smtp.h"
#include "watch.h"

#define BATCH 50
/* Tickets whose clocks one statement reads: a few milliseconds' work, well inside db_timeout. */
#define CLOCK_BATCH 1000

static volatile sig_atomic_t want_reload, want_stop;
/* host:pid of a daemon (empty for --once): names it in scheduler_passes. */
static char instance[300];

static void on_signal(int sig)
{
    if (sig == SIGHUP)
        want_reload = 1;
    else
        want_stop = 1;
}

typedef struct {
    int sent, retried, failed, breaches;
} pass_stats;

static void report(const sg_outbox_result *r, void *ctx)
{
    pass_stats *st = ctx;
    switch (r->status) {
    case SG_SMTP_SENT:
        st->sent++;
        sg_log(LOG_INFO, "ticket %lld: %s to <%s> sent (outbox %lld, attempt %d): %s", r->ticket, r->kind, r->rcpt,
               r->id, r->attempts, r->detail);
        break;
    case SG_SMTP_TEMPORARY:
    case SG_SMTP_PERMANENT:
        if (r->gave_up || r->status == SG_SMTP_PERMANENT)
            st->failed++;
        else
            st->retried++;
        sg_log(r->gave_up || r->status == SG_SMTP_PERMANENT ? LOG_ERR : LOG_WARNING,
               "ticket %lld: %s to <%s> not sent (outbox %lld, attempt %d): %s%s", r->ticket, r->kind, r->rcpt,
               r->id, r->attempts, r->detail, r->gave_up || r->status == SG_SMTP_PERMANENT ? "; giving up" : "");
        break;
    }
}

/* Rows are claimed in batches small enough to be sent well within their lease even when every send
 * runs into smtp_timeout; otherwise another scheduler could take over rows still waiting here. */
static int batch_size(const sg_config *c)
{
    long long n = sg_config_num(c, SG_CFG_SEND_LEASE) / (2 * sg_config_num(c, SG_CFG_SMTP_TIMEOUT));
    return n < 1 ? 1 : n > BATCH ? BATCH : (int)n;
}

static int send_all(PGconn *db, const sg_config *c, sg_smtp *smtp, const char *now, pass_stats *st, char **err)
{
    int n, batch = batch_size(c);
    do
        n = sg_outbox_send_due(db, c, smtp, now, batch, report, st, err);
    while (n == batch && !want_stop);
    return n < 0 ? -1 : 0;
}

static int check_clocks(PGconn *db, const sg_config *c, const char *now, pass_stats *st, char **err)
{
    int n, b, w;
    do {
        b = w = 0;
        n = sg_sla_check_clocks(db, now, sg_config_num(c, SG_CFG_WARN_AT), CLOCK_BATCH, &b, &w, err);
        if (b > 0) {
            st->breaches += b;
            sg_log(LOG_NOTICE, "%d SLA breach(es) recorded", b);
        }
    } while (n == CLOCK_BATCH && !want_stop);
    return n < 0 ? -1 : 0;
}

/* Warnings and breach notices; those just queued go out in the same pass (those for a team off shift
 * wait in the outbox for its next shift). */
static int tell(PGconn *db, const sg_config *c, sg_smtp *smtp, const char *now, pass_stats *st, char **err)
{
    int warned = sg_notify_warnings(db, c, now, err);
    int told = warned < 0 ? -1 : sg_notify_breaches(db, c, now, err);
    /* After the breaches: a policy escalation of this pass has moved its ticket and told the customer. */
    int held = told < 0 ? -1 : sg_hold_remind(db, c, now, err);
    int digests = held < 0 ? -1 : sg_digest_run(db, c, now, err);
    int overload = digests < 0 ? -1 : sg_backlog_check(db, c, now, err);
    int watched = overload < 0 ? -1 : sg_watch_check(db, c, now, err);
    int approvals = watched < 0 ? -1 : sg_approval_check(db, c, now, err);
    if (approvals < 0)
        return -1;
    if (overload > 0)
        sg_log(LOG_WARNING, "the first line is overloaded: an episode began, the duty manager and level-2 teams told");
    if (watched > 0)
        sg_log(LOG_NOTICE, "%d possible incident(s): new tickets from several customers share a clue; the first line told",
               watched);
    if (warned > 0 || told > 0 || held > 0 || digests > 0)
        sg_log(LOG_INFO, "%d warning(s), %d breach(es), %d first-line reminder(s) and %d digest(s) reported", warned,
               told, held, digests);
    if (approvals > 0)
        sg_log(LOG_INFO, "%d approval reminder(s) or breach(es) of approvals not decided in time", approvals);
    return warned > 0 || told > 0 || held > 0 || digests > 0 || overload > 0 || watched > 0 || approvals > 0 ? send_all(db, c, smtp, now, st, err) : 0;
}

static int close_quiet(PGconn *db, const sg_config *c, const char *now, char **err)
{
    int closed = sg_sla_close_quiet(db, now, sg_config_num(c, SG_CFG_CLOSE_AFTER), err);
    if (closed > 0)
        sg_log(LOG_INFO, "%d resolved ticket(s) closed after the quiet period", closed);
    if (closed < 0)
        return -1;
    long long purged = sg_attach_purge(db, c, now, err);
    if (purged > 0)
        sg_log(LOG_INFO, "content of %lld file(s) of tickets closed longer than attachment_retention purged", purged);
    return purged < 0 ? -1 : 0;
}

/* A busy scheduler passes many times a second: a heartbeat every few seconds is enough. */
static void heartbeat(PGconn *db, const char *error)
{
    static gint64 last_beat;
    gint64 mono = g_get_monotonic_time();
    if (!instance[0] || (!error && mono - last_beat < 5 * G_USEC_PER_SEC))
        return;
    last_beat = mono;
    char *err = NULL;
    if (sg_sla_heartbeat(db, instance, error, &err) < 0) {
        sg_log(LOG_WARNING, "cannot record the pass: %s", err);
        g_free(err);
    }
}

/* The SLA clocks: record the deadlines that ran out, tell people, close quiet tickets. */
static int read_clocks(PGconn *db, const sg_config *c, sg_smtp *smtp, const char *now, pass_stats *st, char **err)
{
    int rc = check_clocks(db, c, now, st, err);
    if (rc == 0)
        rc = tell(db, c, smtp, now, st, err);
    if (rc == 0)
        rc = close_quiet(db, c, now, err);
    return rc;
}

/* One pass: send what is due and, with CLOCKS, read the SLA clocks.  NOW may be NULL (the clock). */
static int pass(PGconn *db, const sg_config *c, sg_smtp *smtp, const char *now, int clocks, pass_stats *st)
{
    char *err = NULL;
    int rc = send_all(db, c, smtp, now, st, &err);
    if (rc == 0 && clocks)
        rc = read_clocks(db, c, smtp, now, st, &err);
    heartbeat(db, rc < 0 ? (err ? err : "failed") : NULL);
    if (rc < 0) {
        sg_log(LOG_ERR, "pass failed: %s", err);
        g_free(err);
    }
    return rc;
}

/* DAEMON: the connection lives for many passes, so it keeps its statements prepared (db_statement_cache): a
 * mail's claim, composition and record are parsed once per connection.  A --once pass would only pay for the
 * preparing. */
static PGconn *connect_db(const sg_config *c, int daemon)
{
    char *err = NULL;
    PGconn *db = sg_db_connect(sg_config_str(c, SG_CFG_SCHEDULER_DATABASE), (int)sg_config_num(c, SG_CFG_DB_TIMEOUT),
                               "supportgate-scheduler", &err);
    if (db && daemon && sg_config_num(c, SG_CFG_DB_STATEMENT_CACHE) && sg_db_prepare_statements(db) < 0) {
        PQfinish(db);
        db = NULL;
        err = g_strdup("could not set up the statement cache");
    }
    if (db && (sg_db_check_schema(db, &err) < 0 || sg_db_run(db, "LISTEN supportgate_outbox", 0, NULL, &err) < 0 ||
               sg_sla_publish_teams(db, c, &err) < 0)) {
        PQfinish(db);
        db = NULL;
    }
    if (!db) {
        sg_log(LOG_ERR, "database unavailable: %s", err);
        g_free(err);
    }
    return db;
}

/* Sleep until NOTIFY, the next due row, the poll interval, CLOCKS_DUE seconds (when not negative) or a
 * signal, whichever comes first. */
static void wait_for_work(PGconn *db, const sg_config *c, double clocks_due)
{
    char *err = NULL;
    double due = sg_outbox_next_due(db, &err);
    g_free(err);
    double limit = (double)sg_config_num(c, SG_CFG_SCHEDULER_POLL);
    if (clocks_due >= 0 && clocks_due < limit)
        limit = clocks_due;
    if (due >= 0 && due < limit)
        limit = due;
    struct pollfd p = { .fd = PQsocket(db), .events = POLLIN };
    if (limit > 0 && p.fd >= 0)
        poll(&p, 1, (int)(limit * 1000) + 1);
    PQconsumeInput(db);
    PGnotify *n;
    while ((n = PQnotifies(db)))
        PQfreemem(n);
}

static sg_config *reload(sg_config *c)
{
    sg_config *next = sg_daemon_reload(c);
    if (!next)
        return c;
    sg_config_unref(c);
    return next;
}

static int run_daemon(sg_config *c)
{
    struct sigaction sa = { .sa_handler = on_signal };
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sg_smtp *smtp = sg_smtp_new(sg_config_str(c, SG_CFG_SMTP_RELAY), (int)sg_config_num(c, SG_CFG_SMTP_TIMEOUT));
    PGconn *db = NULL;
    gint64 clocks_at = 0; /* when the daemon last looked at the SLA clocks (monotonic) */
    char host[256] = "localhost";
    gethostname(host, sizeof host - 1);
    snprintf(instance, sizeof instance, "%s:%d", host, (int)getpid());
    char *relay = sg_url_redact(sg_config_str(c, SG_CFG_SMTP_RELAY)); /* its password stays out of the log */
    sg_log(LOG_INFO, "starting as %s, relay %s", instance, relay);
    g_free(relay);
    while (!want_stop) {
        if (want_reload) {
            want_reload = 0;
            c = reload(c);
            char *err = NULL;
            if (db && sg_sla_publish_teams(db, c, &err) < 0) {
                sg_log(LOG_ERR, "cannot publish teams: %s", err);
                g_free(err);
            }
            sg_smtp_free(smtp);
            smtp = sg_smtp_new(sg_config_str(c, SG_CFG_SMTP_RELAY), (int)sg_config_num(c, SG_CFG_SMTP_TIMEOUT));
        }
        if (!db && !(db = connect_db(c, 1))) {
            sleep((unsigned)sg_config_num(c, SG_CFG_SCHEDULER_POLL));
            continue;
        }
        /* Every queued mail wakes the daemon; the clocks count whole seconds and cost a dozen statements
         * a look, so a stream of mail is sent as it comes and the clocks are read once a second. */
        gint64 mono = g_get_monotonic_time();
        int clocks = mono - clocks_at >= G_USEC_PER_SEC;
        if (clocks)
            clocks_at = mono;
        pass_stats st = { 0 };
        if (pass(db, c, smtp, NULL, clocks, &st) < 0 && PQstatus(db) != CONNECTION_OK) {
            PQfinish(db);
            db = NULL;
            continue;
        }
        wait_for_work(db, c, clocks ? -1 : (double)(clocks_at + G_USEC_PER_SEC - mono) / G_USEC_PER_SEC);
    }
    sg_log(LOG_INFO, "stopped");
    PQfinish(db);
    sg_smtp_free(smtp);
    sg_config_unref(c);
    return 0;
}

static int run_once(sg_config *c, const char *now)
{
    PGconn *db = connect_db(c, 0);
    if (!db) {
        sg_config_unref(c);
        return 1;
    }
    sg_smtp *smtp = sg_smtp_new(sg_config_str(c, SG_CFG_SMTP_RELAY), (int)sg_config_num(c, SG_CFG_SMTP_TIMEOUT));
    pass_stats st = { 0 };
    int rc = pass(db, c, smtp, now, 1, &st);
    printf("sent %d, retrying %d, failed %d, breaches %d\n", st.sent, st.retried, st.failed, st.breaches);
    sg_smtp_free(smtp);
    PQfinish(db);
    sg_config_unref(c);
    return rc < 0 ? 1 : 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: supportgate-scheduler [-c FILE] [-d] [--once [--now TIMESTAMP]]\n"
                    "  -c FILE          configuration (default %s)\n"
                    "  -d               also log to stderr\n"
                    "  --once           run one pass and exit\n"
                    "  --now TIMESTAMP  with --once: act as if it were TIMESTAMP (ISO 8601)\n",
            sg_config_default_path());
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "once", no_argument, NULL, 'o' }, { "now", required_argument, NULL, 'n' },
        { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
    };
    const char *path = sg_config_default_path(), *now = NULL;
    int to_stderr = 0, once = 0, opt;
    while ((opt = getopt_long(argc, argv, "c:dh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'c': path = optarg; break;
        case 'd': to_stderr = 1; break;
        case 'o': once = 1; break;
        case 'n': now = optarg; break;
        default: usage(); return 2;
        }
    }
    if ((now && !once) || optind != argc) {
        usage();
        return 2;
    }
    sg_config *c = sg_daemon_start("supportgate-scheduler", path, to_stderr || once);
    if (!c)
        return 78; /* EX_CONFIG */
    curl_global_init(CURL_GLOBAL_DEFAULT);
    g_mime_init(); /* notices are composed here */
    int rc = once ? run_once(c, now) : run_daemon(c);
    g_mime_shutdown();
    curl_global_cleanup();
    return rc;
}
