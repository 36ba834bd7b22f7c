/* nullmilter.c - the bench's yardstick filter: takes Postfix's whole milter conversation and does nothing, or one durable insert. */
/*
 * Not part of supportgate: contrib/bench builds it to measure what any libmilter filter costs Postfix on the
 * machine at hand, apart from what supportgate does.  It asks for the same steps and the same no-reply
 * agreement as supportgate-milter, reads every header and body chunk, and accepts every mail.  With -d it
 * first records each mail as one row in autocommit (a durable commit, as PostgreSQL is configured), from a
 * small locked pool of connections: the least any filter that never loses a mail must add.
 *
 * usage: nullmilter -s unix:PATH [-d CONNINFO] [-n CONNECTIONS]
 * The table for -d: CREATE TABLE bench_floor (id bigserial PRIMARY KEY, queue_id text, at timestamptz DEFAULT now())
 */
#include <libmilter/mfapi.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_CONNS 16
#define NO_REPLY_STEPS (SMFIP_NR_RCPT | SMFIP_NR_HDR | SMFIP_NR_EOH | SMFIP_NR_BODY)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t freed = PTHREAD_COND_INITIALIZER;
static PGconn *conns[MAX_CONNS];
static int idle[MAX_CONNS], n_conns;

static PGconn *take(void)
{
    pthread_mutex_lock(&lock);
    for (;;) {
        for (int i = 0; i < n_conns; i++)
            if (idle[i]) {
                idle[i] = 0;
                pthread_mutex_unlock(&lock);
                return conns[i];
            }
        pthread_cond_wait(&freed, &lock);
    }
}

static void give(PGconn *c)
{
    pthread_mutex_lock(&lock);
    for (int i = 0; i < n_conns; i++)
        if (conns[i] == c)
            idle[i] = 1;
    pthread_cond_signal(&freed);
    pthread_mutex_unlock(&lock);
}

static sfsistat cb_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1, unsigned long f2, unsigned long f3,
                             unsigned long *pf0, unsigned long *pf1, unsigned long *pf2, unsigned long *pf3)
{
    (void)ctx;
    (void)f0;
    (void)f2;
    (void)f3;
    *pf0 = 0;
    *pf1 = (f1 & NO_REPLY_STEPS) | (f1 & (SMFIP_NOHELO | SMFIP_NOUNKNOWN));
    *pf2 = *pf3 = 0;
    return SMFIS_CONTINUE;
}

/* Postfix 3 (milter_protocol = 6) offers every no-reply step asked for above; an MTA that did not would take
 * these answers as errors, which is acceptable in a bench tool that only runs against the sandbox's Postfix. */
static sfsistat no_reply(SMFICTX *ctx) { (void)ctx; return SMFIS_NOREPLY; }
static sfsistat cb_rcpt(SMFICTX *ctx, char **argv) { (void)argv; return no_reply(ctx); }
static sfsistat cb_header(SMFICTX *ctx, char *f, char *v) { (void)f; (void)v; return no_reply(ctx); }
static sfsistat cb_body(SMFICTX *ctx, unsigned char *b, size_t n) { (void)b; (void)n; return no_reply(ctx); }

static sfsistat cb_eom(SMFICTX *ctx)
{
    if (n_conns == 0)
        return SMFIS_ACCEPT;
    const char *qid = smfi_getsymval(ctx, "i");
    const char *p[] = { qid ? qid : "" };
    PGconn *c = take();
    PGresult *r = PQexecParams(c, "INSERT INTO bench_floor (queue_id) VALUES ($1)", 1, NULL, p, NULL, NULL, 0);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
        fprintf(stderr, "nullmilter: %s", PQerrorMessage(c));
    PQclear(r);
    give(c);
    return ok ? SMFIS_ACCEPT : SMFIS_TEMPFAIL;
}

int main(int argc, char **argv)
{
    const char *sock = NULL, *conninfo = NULL;
    int n = 4, opt;
    while ((opt = getopt(argc, argv, "s:d:n:")) != -1) {
        if (opt == 's')
            sock = optarg;
        else if (opt == 'd')
            conninfo = optarg;
        else if (opt == 'n')
            n = atoi(optarg);
        else
            return 2;
    }
    if (!sock || n < 1 || n > MAX_CONNS) {
        fprintf(stderr, "usage: nullmilter -s unix:PATH [-d CONNINFO] [-n 1..%d]\n", MAX_CONNS);
        return 2;
    }
    for (int i = 0; conninfo && i < n; i++, n_conns++) {
        conns[i] = PQconnectdb(conninfo);
        idle[i] = 1;
        if (PQstatus(conns[i]) != CONNECTION_OK) {
            fprintf(stderr, "nullmilter: %s", PQerrorMessage(conns[i]));
            return 1;
        }
    }
    struct smfiDesc d = {
        .xxfi_name = "nullmilter", .xxfi_version = SMFI_VERSION, .xxfi_negotiate = cb_negotiate,
        .xxfi_envrcpt = cb_rcpt, .xxfi_header = cb_header, .xxfi_eoh = no_reply, .xxfi_body = cb_body,
        .xxfi_eom = cb_eom,
    };
    if (smfi_register(d) != MI_SUCCESS || smfi_setconn((char *)sock) != MI_SUCCESS || smfi_opensocket(1) != MI_SUCCESS) {
        fprintf(stderr, "nullmilter: cannot listen on %s\n", sock);
        return 1;
    }
    return smfi_main() == MI_SUCCESS ? 0 : 1;
}
