/* milter.c - supportgate-milter: the libmilter shell that hands support mail to ingest and tags it. */
#include <arpa/inet.h>
#include <errno.h>
#include <glib.h>
#include <gmime/gmime.h>
#include <libmilter/mfapi.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "daemon.h"
#include "agent.h"
#include "approval.h"
#include "db.h"
#include "inflight.h"
#include "ingest.h"
#include "log.h"
#include "mailparse.h"
#include "session.h"
#include "mailthread.h"

#define TEMPFAIL_TEXT "Support system cannot record this message right now; please try again later"
#define BUSY_TEXT "Support system is busy with other mail; please try again later"
/* What parsing a message costs on top of its data: GMime's copy of it, the decoded text, the statement. */
#define PARSE_ROOM(len) (2 * (len))
/* How long the end of a message waits for a parse's room, well inside Postfix's content timeout. */
#define PARSE_WAIT_MS 20000
/* How often the in-flight figures are written for `supportgate metrics`. */
#define STATS_EVERY_S 2

/* Set once in main before libmilter starts its threads; the pool itself is locked. */
static sg_db_pool *pool;

#define FILTER_ACTIONS (SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_ADDRCPT)
/* Steps at which this filter never refuses anything, so the MTA need not wait for its answer. */
#define NO_REPLY_STEPS (SMFIP_NR_RCPT | SMFIP_NR_HDR | SMFIP_NR_EOH | SMFIP_NR_BODY)

static sg_session *session_of(SMFICTX *ctx) { return smfi_getpriv(ctx); }

/* The connection's state, created by whichever of negotiation and connect comes first. */
static sg_session *session_or_new(SMFICTX *ctx)
{
    sg_session *c = session_of(ctx);
    if (c)
        return c;
    c = sg_session_new(NULL);
    if (smfi_setpriv(ctx, c) != MI_SUCCESS) {
        sg_session_free(c);
        return NULL;
    }
    return c;
}

/* The answer at a step the MTA may have agreed not to wait for. */
static sfsistat go_on(const sg_session *c) { return c && sg_session_no_reply(c) ? SMFIS_NOREPLY : SMFIS_CONTINUE; }

static sfsistat tempfail(SMFICTX *ctx)
{
    smfi_setreply(ctx, "451", "4.3.0", TEMPFAIL_TEXT);
    return SMFIS_TEMPFAIL;
}

/* The client's address as text, for the agent_networks rule. */
static void client_address(const _SOCK_ADDR *addr, char *buf, size_t len)
{
    buf[0] = '\0';
    if (addr && addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)addr)->sin_addr, buf, (socklen_t)len);
    else if (addr && addr->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)addr)->sin6_addr, buf, (socklen_t)len);
}

/* By default Postfix sends every header and body chunk as a request of its own and waits for the answer
 * to each: a round trip apiece, in both processes.  None of those steps refuses anything here, so the MTA
 * is told not to wait for them, and not to send the steps this filter has no use for. */
static sfsistat cb_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1, unsigned long f2, unsigned long f3,
                             unsigned long *pf0, unsigned long *pf1, unsigned long *pf2, unsigned long *pf3)
{
    (void)f2;
    (void)f3;
    sg_session *c = (f0 & FILTER_ACTIONS) == FILTER_ACTIONS ? session_or_new(ctx) : NULL;
    if (!c)
        return SMFIS_REJECT; /* the MTA's milter_default_action applies */
    int no_reply = (f1 & NO_REPLY_STEPS) == NO_REPLY_STEPS;
    sg_session_set_no_reply(c, no_reply);
    *pf0 = FILTER_ACTIONS;
    *pf1 = (no_reply ? NO_REPLY_STEPS : 0) | (f1 & (SMFIP_NOHELO | SMFIP_NOUNKNOWN));
    *pf2 = *pf3 = 0;
    return SMFIS_CONTINUE;
}

static sfsistat cb_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *addr)
{
    (void)host;
    char client[INET6_ADDRSTRLEN];
    client_address(addr, client, sizeof client);
    sg_session *c = session_or_new(ctx);
    if (!c)
        return tempfail(ctx);
    sg_session_set_client(c, client);
    return SMFIS_CONTINUE;
}

static sfsistat cb_envfrom(SMFICTX *ctx, char **argv)
{
    sg_session *c = session_of(ctx);
    if (!c)
        return tempfail(ctx);
    sg_config *cfg = sg_config_acquire();
    sg_session_begin(c, cfg, argv[0], smfi_getsymval(ctx, "{auth_authen}"));
    sg_config_unref(cfg);
    return SMFIS_CONTINUE;
}

static sfsistat cb_envrcpt(SMFICTX *ctx, char **argv)
{
    sg_session *c = session_of(ctx);
    sg_session_rcpt(c, argv[0]);
    return go_on(c);
}

/* Mail for nobody we serve is accepted at DATA, so the rest of it never passes through us. */
static sfsistat cb_data(SMFICTX *ctx)
{
    return sg_session_intake(session_of(ctx)) ? SMFIS_CONTINUE : SMFIS_ACCEPT;
}

/* The same at the headers, for an MTA that skipped DATA and waits for answers here. */
static sfsistat cb_header(SMFICTX *ctx, char *name, char *value)
{
    sg_session *c = session_of(ctx);
    if (!sg_session_intake(c))
        return sg_session_no_reply(c) ? SMFIS_NOREPLY : SMFIS_ACCEPT;
    sg_session_header(c, name, value);
    return go_on(c);
}

static sfsistat cb_eoh(SMFICTX *ctx)
{
    sg_session *c = session_of(ctx);
    if (!sg_session_intake(c))
        return sg_session_no_reply(c) ? SMFIS_NOREPLY : SMFIS_ACCEPT;
    sg_session_end_headers(c);
    return go_on(c);
}

static sfsistat cb_body(SMFICTX *ctx, unsigned char *chunk, size_t len)
{
    sg_session *c = session_of(ctx);
    sg_session_body(c, chunk, len);
    return go_on(c);
}

/* The support mailbox's copy says which ticket it belongs to; nobody outside can set that header. */
static void tag_copy(SMFICTX *ctx, sg_session *c, const sg_ingest_out *out, const char *qid)
{
    const char *prefix = sg_config_str(sg_session_config(c), SG_CFG_TAG_PREFIX);
    for (int i = sg_session_ticket_headers(c); i > 0; i--)
        smfi_chgheader(ctx, "X-Supportgate-Ticket", i, NULL);
    char id[32];
    snprintf(id, sizeof id, "%lld", out->ticket);
    if (smfi_addheader(ctx, "X-Supportgate-Ticket", id) != MI_SUCCESS)
        sg_log(LOG_WARNING, "%s: ticket %lld: could not add X-Supportgate-Ticket", qid, out->ticket);
    const char *raw = sg_session_raw_subject(c);
    if (raw && sg_thread_tag(raw, prefix) == out->ticket)
        return;
    char *tag = sg_thread_tag_make(prefix, out->ticket);
    char *subject = raw ? g_strdup_printf("%s %s", tag, raw) : g_strdup(tag);
    g_strdelimit(subject, "\r\n", ' ');
    /* A header line may not exceed 998 octets; the X-Supportgate-Ticket header still identifies the mail. */
    if (strlen(subject) < 980)
        (raw ? smfi_chgheader(ctx, "Subject", 1, subject) : smfi_addheader(ctx, "Subject", subject));
    g_free(tag);
    g_free(subject);
}

/* Those who answer for the ticket read the customer's mail in their own mailboxes, tagged so that their answer
 * threads: the owning team and the first line for a new ticket, the assignee, team and watchers for a follow-up. */
static void copy_to_owners(SMFICTX *ctx, const char *qid, const sg_ingest_out *out)
{
    for (char **a = out->copies; a && *a; a++) {
        char *rcpt = g_strdup_printf("<%s>", *a);
        if (smfi_addrcpt(ctx, rcpt) != MI_SUCCESS)
            sg_log(LOG_WARNING, "%s: ticket %lld: could not copy to %s", qid, out->ticket, *a);
        g_free(rcpt);
    }
}

static void log_result(const char *qid, sg_session *c, const sg_ingest_out *out)
{
    static const char *kinds[] = { "new ticket", "threaded", "duplicate, already recorded" };
    sg_log(LOG_INFO, "%s: ticket %lld: %s, from=<%s> via %s, message-id=<%s>, ack=%s", qid, out->ticket,
           kinds[out->kind], sg_session_sender(c), sg_session_intake(c)->address, out->message_id,
           out->ack_queued ? "queued" : out->ack_skipped ? out->ack_skipped : "none");
}

/* An agent's mail (SASL login of a registered agent): commands and a reply re-sent to the customer. */
static int record_agent(PGconn *db, sg_session *c, const char *qid, sg_mail *m, const char *agent, const char *name,
                        sg_ingest_out *out, char **err)
{
    sg_agent_in in = { .queue_id = qid, .agent = agent, .agent_name = name, .mail = m };
    sg_agent_out ao;
    int rc = sg_agent_reply(db, sg_session_config(c), &in, &ao, err);
    if (rc == 0) {
        static const char *kinds[] = { "reply sent to the customer", "ticket updated", "refused, agent told why",
                                       "duplicate, already recorded" };
        sg_log(LOG_INFO, "%s: ticket %lld: agent %s: %s, message-id=<%s>", qid, ao.ticket, in.agent, kinds[ao.kind],
               ao.message_id);
        out->ticket = ao.ticket;
        out->kind = SG_INGEST_THREADED;
        g_strlcpy(out->message_id, ao.message_id, sizeof out->message_id);
    }
    return rc;
}

static int record_customer(PGconn *db, sg_session *c, const char *qid, sg_mail *m, sg_ingest_out *out, char **err)
{
    size_t len;
    const char *data = sg_session_data(c, &len);
    sg_ingest_in in = { .queue_id = qid, .envelope_sender = sg_session_sender(c), .intake = sg_session_intake(c),
                        .mail = m, .raw = data, .raw_len = len };
    int rc = sg_ingest(db, sg_session_config(c), &in, out, err);
    if (rc == 0)
        log_result(qid, c, out);
    return rc;
}

/* An answer to an approval request ([PREFIX APR-N] in the subject): 1 when it was one (recorded, decided or
 * refused), 0 when no such approval exists (the mail is handled as any other), -1 on error. */
static int record_approval(PGconn *db, sg_session *c, const char *qid, sg_mail *m, long long approval,
                           sg_ingest_out *out, char **err)
{
    sg_approval_in in = { .queue_id = qid, .approval = approval, .login = sg_session_auth(c),
                          .sender = sg_session_sender(c), .mail = m };
    sg_approval_out ao;
    if (sg_approval_answer(db, sg_session_config(c), &in, &ao, err) < 0)
        return -1;
    if (ao.kind == SG_APPROVAL_UNKNOWN)
        return 0;
    static const char *kinds[] = { "", "decided, agent told", "refused, sender told why", "duplicate, already recorded" };
    sg_log(LOG_INFO, "%s: ticket %lld: answer to approval %lld from %s%s: %s, message-id=<%s>", qid, ao.ticket,
           approval, in.login ? in.login : sg_mail_from_addr(m) ? sg_mail_from_addr(m) : "?",
           in.login ? "" : " (no login)", kinds[ao.kind], ao.message_id);
    out->ticket = ao.ticket;
    out->kind = SG_INGEST_THREADED;
    g_strlcpy(out->message_id, ao.message_id, sizeof out->message_id);
    return 1;
}

/* Who the agent is: the SASL login when there is one; without SASL, the From address only when the
 * client is in agent_networks.  A From header from anywhere else never makes a mail an agent's. */
static const char *agent_identity(sg_session *c, sg_mail *m)
{
    if (sg_session_auth(c))
        return sg_session_auth(c);
    if (sg_mail_from_addr(m) && sg_config_agent_network(sg_session_config(c), sg_session_client(c)))
        return sg_mail_from_addr(m);
    return NULL;
}

static int record(sg_session *c, const char *qid, sg_mail *m, sg_ingest_out *out)
{
    char *err = NULL, *agent_name = NULL;
    PGconn *db = sg_db_pool_get(pool, &err);
    const char *agent = agent_identity(c, m);
    long long approval = sg_thread_approval_tag(sg_mail_subject(m), sg_config_str(sg_session_config(c), SG_CFG_TAG_PREFIX));
    int rc = db ? 0 : -1, is_agent = 0, answered = 0;
    if (db && approval > 0)
        rc = answered = record_approval(db, c, qid, m, approval, out, &err);
    if (rc == 0 && db && agent)
        rc = is_agent = sg_agent_find(db, agent, &agent_name, &err);
    if (rc >= 0 && !answered)
        rc = is_agent ? record_agent(db, c, qid, m, agent, agent_name, out, &err)
                      : record_customer(db, c, qid, m, out, &err);
    if (db)
        sg_db_pool_put(pool, db, rc < 0);
    if (rc < 0)
        sg_log(LOG_ERR, "%s: not recorded, tempfailing: %s", qid, err ? err : "unknown error");
    g_free(err);
    g_free(agent_name);
    return rc < 0 ? -1 : 0;
}

/* Over milter_inflight_limit the mail is not held but deferred: the sender keeps it and tries again. */
static sfsistat busy(SMFICTX *ctx, const char *qid, const char *when)
{
    long long limit = sg_config_num(sg_session_config(session_of(ctx)), SG_CFG_MILTER_INFLIGHT_LIMIT);
    sg_log(LOG_NOTICE, "%s: tempfailed: milter_inflight_limit (%lld bytes) reached %s", qid, limit, when);
    sg_inflight_count_refusal();
    smfi_setreply(ctx, "451", "4.3.2", BUSY_TEXT);
    return SMFIS_TEMPFAIL;
}

/* Parse and record within the budget: the parse's room is held until the mail is recorded. */
static sfsistat parse_and_record(SMFICTX *ctx, sg_session *c, const char *qid);

static sfsistat process(SMFICTX *ctx, sg_session *c, const char *qid)
{
    if (sg_session_busy(c))
        return busy(ctx, qid, "while the message arrived");
    size_t len;
    sg_session_data(c, &len);
    size_t limit = (size_t)sg_config_num(sg_session_config(c), SG_CFG_MILTER_INFLIGHT_LIMIT);
    if (!sg_session_too_big(c) && !sg_inflight_take_parse(PARSE_ROOM(len), limit, PARSE_WAIT_MS))
        return busy(ctx, qid, "before the message could be parsed");
    sfsistat r = parse_and_record(ctx, c, qid);
    if (!sg_session_too_big(c))
        sg_inflight_give_parse(PARSE_ROOM(len));
    return r;
}

static sfsistat parse_and_record(SMFICTX *ctx, sg_session *c, const char *qid)
{
    if (sg_session_too_big(c)) {
        long long limit = sg_config_num(sg_session_config(c), SG_CFG_MAX_MESSAGE_SIZE);
        sg_log(LOG_NOTICE, "%s: refused: larger than max_message_size (%lld bytes)", qid, limit);
        smfi_setreply(ctx, "552", "5.3.4", "Message too big for the support system");
        return SMFIS_REJECT;
    }
    size_t len;
    const char *perr = NULL, *data = sg_session_data(c, &len);
    sg_mail *m = sg_mail_parse(data, len, &perr);
    if (!m) {
        sg_log(LOG_ERR, "%s: cannot parse, tempfailing: %s", qid, perr ? perr : "unknown");
        return tempfail(ctx);
    }
    sg_ingest_out out;
    memset(&out, 0, sizeof out);
    int rc = record(c, qid, m, &out);
    sg_mail_free(m);
    if (rc == 0 && out.ticket > 0)
        tag_copy(ctx, c, &out, qid);
    if (rc == 0)
        copy_to_owners(ctx, qid, &out);
    g_strfreev(out.copies);
    return rc < 0 ? tempfail(ctx) : SMFIS_CONTINUE;
}

static sfsistat cb_eom(SMFICTX *ctx)
{
    sg_session *c = session_of(ctx);
    const char *qid = smfi_getsymval(ctx, "i");
    sfsistat r = sg_session_intake(c) ? process(ctx, c, qid ? qid : "NOQUEUE") : SMFIS_CONTINUE;
    sg_session_end(c);
    return r;
}

static sfsistat cb_abort(SMFICTX *ctx)
{
    sg_session *c = session_of(ctx);
    if (c)
        sg_session_end(c);
    return SMFIS_CONTINUE;
}

static sfsistat cb_close(SMFICTX *ctx)
{
    sg_session_free(session_of(ctx));
    smfi_setpriv(ctx, NULL);
    return SMFIS_CONTINUE;
}

static struct smfiDesc filter = {
    .xxfi_name = "supportgate",
    .xxfi_version = SMFI_VERSION,
    .xxfi_flags = FILTER_ACTIONS,
    .xxfi_connect = cb_connect,
    .xxfi_envfrom = cb_envfrom,
    .xxfi_envrcpt = cb_envrcpt,
    .xxfi_data = cb_data,
    .xxfi_header = cb_header,
    .xxfi_eoh = cb_eoh,
    .xxfi_body = cb_body,
    .xxfi_eom = cb_eom,
    .xxfi_abort = cb_abort,
    .xxfi_close = cb_close,
    .xxfi_negotiate = cb_negotiate,
};

/* The in-flight figures for `supportgate metrics`, when milter_stats_file names a file. */
static void write_stats(void)
{
    sg_config *c = sg_config_acquire();
    const char *path = c ? sg_config_str(c, SG_CFG_MILTER_STATS_FILE) : "";
    if (*path && sg_inflight_write(path, (size_t)sg_config_num(c, SG_CFG_MILTER_INFLIGHT_LIMIT)) < 0)
        sg_log(LOG_WARNING, "cannot write milter_stats_file %s", path);
    sg_config_unref(c);
}

/* libmilter owns SIGHUP/SIGTERM/SIGINT; reload lives on SIGUSR1, taken here synchronously.  Between signals
 * this thread writes the in-flight figures every STATS_EVERY_S seconds. */
static void *reload_thread(void *arg)
{
    sigset_t *set = arg;
    for (;;) {
        struct timespec every = { STATS_EVERY_S, 0 };
        if (sigtimedwait(set, NULL, &every) < 0) {
            write_stats();
            continue;
        }
        sg_config *cur = sg_config_acquire();
        sg_config *next = sg_daemon_reload(cur);
        if (next)
            sg_config_publish(next);
        sg_config_unref(cur);
    }
    return NULL;
}

/* The reload thread exists before smfi_main blocks SIGHUP, SIGTERM and SIGINT for libmilter's own signal
 * thread: left open to them, it could be where a SIGTERM lands and die of it instead of a clean stop.  So
 * it starts with all four blocked; the main thread, and every thread it starts later, blocks SIGUSR1. */
static int start_reload_thread(void)
{
    static sigset_t usr1;
    sigset_t all, old;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigemptyset(&all);
    sigaddset(&all, SIGUSR1);
    sigaddset(&all, SIGTERM);
    sigaddset(&all, SIGHUP);
    sigaddset(&all, SIGINT);
    if (pthread_sigmask(SIG_BLOCK, &all, &old) != 0)
        return -1;
    pthread_t t;
    int rc = pthread_create(&t, NULL, reload_thread, &usr1);
    sigaddset(&old, SIGUSR1);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0)
        return -1;
    pthread_detach(t);
    return 0;
}

static int open_socket(const sg_config *cfg)
{
    const char *sock = sg_config_str(cfg, SG_CFG_MILTER_SOCKET);
    mode_t old = umask(~(mode_t)sg_config_num(cfg, SG_CFG_MILTER_SOCKET_MODE) & 0777);
    int ok = smfi_setconn((char *)sock) == MI_SUCCESS && smfi_opensocket(1) == MI_SUCCESS;
    umask(old);
    if (!ok)
        fprintf(stderr, "supportgate-milter: cannot listen on %s\n", sock);
    return ok ? 0 : -1;
}

static void usage(void)
{
    fprintf(stderr, "usage: supportgate-milter [-c FILE] [-d]\n"
                    "  -c FILE  configuration (default %s)\n"
                    "  -d       also log to stderr\n", sg_config_default_path());
}

int main(int argc, char **argv)
{
    const char *path = sg_config_default_path();
    int to_stderr = 0, opt;
    while ((opt = getopt(argc, argv, "c:dh")) != -1) {
        switch (opt) {
        case 'c': path = optarg; break;
        case 'd': to_stderr = 1; break;
        default: usage(); return 2;
        }
    }
    sg_config *cfg = sg_daemon_start("supportgate-milter", path, to_stderr);
    if (!cfg)
        return 78; /* EX_CONFIG */
    sg_inflight_init();
    g_mime_init();
    pool = sg_db_pool_new(sg_config_str(cfg, SG_CFG_MILTER_DATABASE), (int)sg_config_num(cfg, SG_CFG_DB_POOL_SIZE),
                          (int)sg_config_num(cfg, SG_CFG_DB_TIMEOUT), "supportgate-milter",
                          (int)sg_config_num(cfg, SG_CFG_DB_STATEMENT_CACHE));
    sg_config_publish(cfg);
    cfg = sg_config_acquire();
    if (smfi_register(filter) != MI_SUCCESS || open_socket(cfg) < 0 || start_reload_thread() < 0) {
        fprintf(stderr, "supportgate-milter: cannot start the filter\n");
        return 1;
    }
    sg_log(LOG_INFO, "starting on %s with %lld database connections", sg_config_str(cfg, SG_CFG_MILTER_SOCKET),
           sg_config_num(cfg, SG_CFG_DB_POOL_SIZE));
#ifdef SG_TEST_CLOCK
    sg_log(LOG_WARNING, "built with the test clock: mail is recorded at the moment in SUPPORTGATE_TEST_CLOCK's file");
#endif
    sg_config_unref(cfg);
    int rc = smfi_main();
    sg_log(LOG_INFO, "stopped");
    sg_db_pool_free(pool);
    sg_config_publish(NULL);
    g_mime_shutdown();
    return rc == MI_SUCCESS ? 0 : 1;
}
