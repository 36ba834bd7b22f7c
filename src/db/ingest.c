/* ingest.c - records one received mail: threading, ticket, message, events and queued acknowledgement in one call. */
#include "ingest.h"

#include <glib.h>
#include <string.h>

#include "address.h"
#include "attachdb.h"
#include "classify.h"
#include "db.h"
#include "rfc3834.h"
#include "mailthread.h"
#include "owner.h"
#include "ticketdb.h"
#include "ticketmail.h"

/* Everything one ingest works with, so that steps stay short functions. */
typedef struct {
    PGconn *db;
    const sg_config *c;
    const sg_ingest_in *in;
    sg_ingest_out *out;
    const char *sender;   /* From address, else the envelope sender */
    const char *ack_rcpt; /* envelope sender, lower-case (g_free) */
    const char *machine;  /* why RFC 3834 says a machine sent it, or NULL for a person */
    char **err;
} ingest;

/* The columns of sg_intake() (sql/025_intake.sql). */
enum { I_KIND, I_TICKET, I_ROW, I_ACK, I_TEAM, I_ASSIGNEE, I_WATCHERS, I_OPENED, I_FOLLOWS, I_OVERFLOWED };

static const char *intake_sql =
    "SELECT * FROM sg_intake($1::double precision, $2, $3::bigint, $4::text[], $5::text[], $6::text[], $7::bigint,"
    " $8, $9::int, $10, $11, $12::bigint, $13::bigint, $14::int, $15, $16::int, $17, $18, $19::int, $20::bigint[],"
    " $21::bigint[], $22, $23, $24::text[], $25, $26, $27, $28::text[], $29, $30::bigint, $31::text[], $32::text[],"
    " $33::bigint[], $34, $35::text[])";

/* Why RFC 3834 says the mail came from a machine (an auto-reply, a bounce, a list, one of our own addresses), or
 * NULL for a person. */
static const char *machine_mail(const ingest *g)
{
    GPtrArray *own = sg_config_own_addresses(g->c);
    sg_auto_verdict v = sg_auto_decide(g->in->mail, g->in->envelope_sender, (const char *const *)own->pdata,
                                       sg_config_str(g->c, SG_CFG_SUPPORT_ADDRESS));
    g_ptr_array_free(own, TRUE);
    return v == SG_AUTO_OK ? NULL : sg_auto_verdict_name(v);
}

/* $1-$9: the record's moment, the key and what threading needs. */
static void thread_params(ingest *g, sg_params *p, GPtrArray *keep)
{
    const sg_mail *m = g->in->mail;
    /* The milter's clock (the simulated one in a test-clock build) is the record's moment: the clocks below are
     * computed from it before the ticket exists. */
    sg_time t = sg_test_clock();
    sg_param_real(p, t ? (double)t : (double)g_get_real_time() / G_USEC_PER_SEC);
    sg_param_text(p, g->out->message_id);
    sg_param_int(p, sg_thread_tag(sg_mail_subject(m), sg_config_str(g->c, SG_CFG_TAG_PREFIX)));
    const char *who[] = { g->sender, g->ack_rcpt };
    size_t n;
    const char *const *parents = sg_mail_parent_ids(m, &n);
    char *arrays[] = { sg_db_array(who, 2), sg_db_array(parents, n), sg_tdb_signed_parents(g->c, m, 0) };
    for (size_t i = 0; i < G_N_ELEMENTS(arrays); i++) {
        sg_param_text(p, arrays[i]);
        g_ptr_array_add(keep, arrays[i]);
    }
    sg_param_int(p, sg_config_num(g->c, SG_CFG_REOPEN_WINDOW));
    sg_param_text(p, g->machine);
    sg_param_int(p, sg_config_num(g->c, SG_CFG_ACK_LIMIT_PER_HOUR));
}

static char *intake_cc(ingest *g)
{
    size_t nt, nc;
    const char *const *to = sg_mail_to(g->in->mail, &nt);
    const char *const *cc = sg_mail_cc(g->in->mail, &nc);
    GPtrArray *keep = g_ptr_array_new();
    for (size_t i = 0; i < nt + nc; i++) {
        const char *a = i < nt ? to[i] : cc[i - nt];
        /* Our own addresses and the requester are not customer-side copies. */
        if (!sg_config_intake_find(g->c, a) && g_ascii_strcasecmp(a, g->sender) != 0 &&
            g_ascii_strcasecmp(a, sg_config_str(g->c, SG_CFG_SUPPORT_ADDRESS)) != 0)
            g_ptr_array_add(keep, (gpointer)a);
    }
    char *arr = sg_db_array((const char *const *)keep->pdata, keep->len);
    g_ptr_array_free(keep, TRUE);
    return arr;
}

static char *clock_array(const sg_config *c, const sg_team *team, const char *category, sg_time now)
{
    long long v[6];
    sg_tdb_new_clocks(c, team, category, now, v);
    return g_strdup_printf("{%lld,%lld,%lld,%lld,%lld,%lld}", v[0], v[1], v[2], v[3], v[4], v[5]);
}

/* $10-$21: a new ticket's intake, team and clocks.  Classification rules may send it straight to a specialist
 * team, the first line takes it otherwise; while the first line is overloaded (backlog.c keeps the episode) a
 * standard request it would take goes to the overflow team, which the function decides. */
static void ticket_params(ingest *g, sg_params *p, sg_time now, GPtrArray *keep)
{
    const sg_mail *m = g->in->mail;
    const char *team_name = NULL, *category = sg_category_name(SG_CATEGORY_STANDARD);
    sg_rules_match(sg_config_rules(g->c), sg_mail_subject(m), sg_mail_text(m), &team_name, &category);
    const sg_team *first = sg_config_first_line(g->c);
    const sg_team *team = team_name ? sg_config_team_find(g->c, team_name) : first;
    const sg_team *spill = sg_config_team_find(g->c, sg_config_str(g->c, SG_CFG_OVERFLOW_TEAM));
    if (!spill || team != first || strcmp(category, sg_category_name(SG_CATEGORY_STANDARD)))
        spill = NULL;
    sg_param_text(p, g->in->intake->address);
    sg_param_text(p, g->in->intake->channel);
    sg_param_int(p, g->in->intake->ack_target);
    sg_param_int(p, sg_config_num(g->c, SG_CFG_FIRST_RESPONSE_TARGET));
    sg_param_int(p, sg_config_num(g->c, SG_CFG_WARN_AT));
    sg_param_text(p, team ? team->name : "support");
    sg_param_int(p, team ? team->level : 1);
    sg_param_text(p, category);
    sg_param_text(p, spill ? spill->name : NULL);
    sg_param_int(p, spill ? spill->level : 0);
    char *clocks = clock_array(g->c, team, category, now), *spilled = clock_array(g->c, spill, category, now);
    sg_param_text(p, clocks);
    sg_param_text(p, spilled);
    g_ptr_array_add(keep, clocks);
    g_ptr_array_add(keep, spilled);
}

/* $22-$33: the requester and the message row, with its files' names, types and sizes. */
static void message_params(ingest *g, sg_params *p, GPtrArray *keep)
{
    const sg_mail *m = g->in->mail;
    size_t nt, nc, na = sg_mail_attachment_count(m);
    const char *const *to = sg_mail_to(m, &nt);
    const char *const *cc = sg_mail_cc(m, &nc);
    GPtrArray *rcpts = g_ptr_array_new(), *names = g_ptr_array_new(), *types = g_ptr_array_new(),
              *sizes = g_ptr_array_new_with_free_func(g_free);
    for (size_t i = 0; i < nt + nc; i++)
        g_ptr_array_add(rcpts, (gpointer)(i < nt ? to[i] : cc[i - nt]));
    for (size_t i = 0; i < na; i++) {
        const sg_attachment *a = sg_mail_attachment(m, i);
        g_ptr_array_add(names, (gpointer)a->filename);
        g_ptr_array_add(types, (gpointer)a->content_type);
        g_ptr_array_add(sizes, g_strdup_printf("%zu", a->size));
    }
    char *cc_kept = intake_cc(g);
    char *arrays[] = { sg_db_array((const char *const *)rcpts->pdata, rcpts->len),
                       sg_db_array((const char *const *)names->pdata, na),
                       sg_db_array((const char *const *)types->pdata, na),
                       sg_db_array((const char *const *)sizes->pdata, na) };
    sg_param_text(p, g->sender);
    sg_param_text(p, sg_mail_from_name(m));
    sg_param_text(p, cc_kept);
    sg_param_text(p, sg_mail_lang(m));
    sg_param_text(p, sg_mail_subject(m));
    sg_param_text(p, g->in->queue_id);
    sg_param_text(p, arrays[0]);
    sg_param_text(p, sg_mail_text(m));
    sg_param_int(p, (long long)g->in->raw_len);
    for (size_t i = 1; i < G_N_ELEMENTS(arrays); i++)
        sg_param_text(p, arrays[i]);
    g_ptr_array_add(keep, cc_kept);
    for (size_t i = 0; i < G_N_ELEMENTS(arrays); i++)
        g_ptr_array_add(keep, arrays[i]);
    g_ptr_array_free(rcpts, TRUE);
    g_ptr_array_free(names, TRUE);
    g_ptr_array_free(types, TRUE);
    g_ptr_array_free(sizes, TRUE);
}

/* $34-$35: the acknowledgement's envelope sender and References (the customer's chain and this mail), from
 * which the scheduler composes it. */
static void ack_params(ingest *g, sg_params *p, GPtrArray *keep)
{
    char **refs = sg_thread_msgids(sg_mail_header(g->in->mail, "References"));
    GPtrArray *chain = g_ptr_array_new();
    for (char **r = refs; r && *r; r++)
        g_ptr_array_add(chain, *r);
    g_ptr_array_add(chain, g->out->message_id);
    char *arr = sg_db_array((const char *const *)chain->pdata, chain->len);
    sg_param_text(p, sg_config_str(g->c, SG_CFG_BOUNCE_ADDRESS));
    sg_param_text(p, arr);
    g_ptr_array_add(keep, arr);
    g_ptr_array_free(chain, TRUE);
    g_strfreev(refs);
}

static PGresult *call_intake(ingest *g)
{
    sg_params p;
    sg_params_init(&p);
    GPtrArray *keep = g_ptr_array_new_with_free_func(g_free);
    thread_params(g, &p, keep);
    ticket_params(g, &p, (sg_time)g_ascii_strtoll(p.v[0], NULL, 10), keep);
    message_params(g, &p, keep);
    ack_params(g, &p, keep);
    PGresult *r = sg_db_exec_params(g->db, intake_sql, &p, g->err);
    g_ptr_array_unref(keep);
    return r;
}

/* A copy goes to each address once, never back to the sender or to an intake address (the mail is there). */
static void add_copy(ingest *g, GPtrArray *a, const char *addr)
{
    if (!addr || !*addr || !g_ascii_strcasecmp(addr, g->sender) || sg_config_intake_find(g->c, addr))
        return;
    for (guint i = 0; i < a->len; i++)
        if (!g_ascii_strcasecmp(a->pdata[i], addr))
            return;
    g_ptr_array_add(a, g_ascii_strdown(addr, -1));
}

/* Who reads the customer's mail besides the intake mailbox.  A mail that opened the ticket goes to the owning
 * team and to the first line, which sees every new ticket; a follow-up to whoever answers for the ticket, to
 * those kept informed, and to the first line while the owning team is off shift.  From the ticket as the call
 * left it (or as a retry already recorded found it). */
static void collect_copies(ingest *g, const PGresult *r)
{
    GPtrArray *a = g_ptr_array_new();
    const sg_team *team = sg_config_team_find(g->c, PQgetvalue(r, 0, I_TEAM)), *first = sg_config_first_line(g->c);
    int opened = PQgetvalue(r, 0, I_OPENED)[0] == 't';
    if (!opened)
        add_copy(g, a, PQgetvalue(r, 0, I_ASSIGNEE));
    add_copy(g, a, team ? team->mailbox : NULL);
    /* While the owning team is away the first line holds the ticket, so it reads the follow-up too. */
    if (opened || (sg_owner_first_line_holds(first, team) && !sg_team_on_shift(team, sg_time_now())))
        add_copy(g, a, first ? first->mailbox : NULL);
    char **watchers = opened ? NULL : g_strsplit(PQgetvalue(r, 0, I_WATCHERS), " ", -1);
    for (char **w = watchers; w && *w; w++)
        add_copy(g, a, *w);
    g_strfreev(watchers);
    g_ptr_array_add(a, NULL);
    g->out->copies = (char **)g_ptr_array_free(a, FALSE);
}

/* What the call answered, into OUT. */
static void read_result(ingest *g, const PGresult *r)
{
    sg_ingest_out *out = g->out;
    const char *kind = PQgetvalue(r, 0, I_KIND);
    out->kind = !strcmp(kind, "new") ? SG_INGEST_NEW : !strcmp(kind, "threaded") ? SG_INGEST_THREADED
                                                                                 : SG_INGEST_DUPLICATE;
    out->ticket = sg_db_int(r, 0, I_TICKET);
    if (out->kind == SG_INGEST_NEW) {
        int skipped = !PQgetisnull(r, 0, I_ACK);
        out->ack_queued = !skipped;
        out->ack_skipped = !skipped ? NULL : g->machine ? g->machine : "rate-limit";
        g_strlcpy(out->team, PQgetvalue(r, 0, I_TEAM), sizeof out->team);
    }
    collect_copies(g, r);
}

/* Those who read the new ticket see what was said last in the one it follows up. */
static int follow_up_note(ingest *g, long long follows)
{
    sg_tmail *t = sg_tmail_load(g->db, g->c, g->out->ticket, g->err);
    int rc = t ? sg_tmail_follow_up_note(g->db, g->c, t, follows, g->err) : -1;
    sg_tmail_free(t);
    return rc;
}

/* After the call, in its transaction: a follow-up's clocks, the note for a ticket that follows a closed one, and
 * the files. */
static int complete(ingest *g, const PGresult *r)
{
    const sg_ingest_out *out = g->out;
    if (out->kind == SG_INGEST_DUPLICATE)
        return 0;
    if (out->kind == SG_INGEST_THREADED && sg_tdb_recompute_due(g->db, g->c, out->ticket, g->err) < 0)
        return -1;
    long long follows = sg_db_int(r, 0, I_FOLLOWS);
    if (follows > 0 && follow_up_note(g, follows) < 0)
        return -1;
    return sg_attach_record(g->db, g->c, out->ticket, sg_db_int(r, 0, I_ROW), g->in->mail, g->err);
}

/* Whether the call alone is the whole record: a mail with no tag and no parent can only open a ticket (or be a
 * duplicate), and without files nothing follows it. */
static int one_call(const ingest *g)
{
    size_t n;
    sg_mail_parent_ids(g->in->mail, &n);
    return n == 0 && sg_mail_attachment_count(g->in->mail) == 0 &&
           sg_thread_tag(sg_mail_subject(g->in->mail), sg_config_str(g->c, SG_CFG_TAG_PREFIX)) == 0;
}

/* 1 recorded (or found recorded), 0 a delivery of the same mail recorded it meanwhile (call again), -1 error. */
static int record(ingest *g)
{
    int alone = one_call(g);
    if (!alone && sg_db_begin(g->db, g->err) < 0)
        return -1;
    PGresult *r = call_intake(g);
    int rc = r ? 1 : strcmp(sg_db_last_sqlstate(), "SGDUP") == 0 ? 0 : -1;
    if (r) {
        read_result(g, r);
        if (!alone && (complete(g, r) < 0 || sg_db_commit(g->db, g->err) < 0))
            rc = -1;
    }
    if (rc < 1 && !alone)
        sg_db_rollback(g->db);
    PQclear(r);
    if (rc < 1) {
        g_strfreev(g->out->copies);
        g->out->copies = NULL;
    }
    return rc;
}

int sg_ingest(PGconn *db, const sg_config *c, const sg_ingest_in *in, sg_ingest_out *out, char **err)
{
    memset(out, 0, sizeof *out);
    *err = NULL;
    sg_tdb_message_key(in->mail, in->envelope_sender, c, out->message_id, sizeof out->message_id);
    const char *from = sg_mail_from_addr(in->mail);
    char *rcpt = g_ascii_strdown(in->envelope_sender, -1);
    ingest g = { .db = db, .c = c, .in = in, .out = out, .ack_rcpt = rcpt, .err = err,
                 .sender = from && *from ? from : rcpt };
    g.machine = machine_mail(&g);
    int rc = record(&g);
    if (rc == 0) { /* the other delivery committed: this call finds its ticket */
        g_free(*err);
        *err = NULL;
        rc = record(&g);
    }
    g_free(rcpt);
    return rc == 1 ? 0 : -1;
}
