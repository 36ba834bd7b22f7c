/* session.c - what the milter collects about one SMTP session (a connection) and its current message. */
#include "session.h"

#include <glib.h>
#include <string.h>

#include "address.h"
#include "inflight.h"

/* A buffer kept for the next message of the connection; a larger one goes back after its message. */
#define KEEP_BUFFER (64u << 10)

struct sg_session {
    char *client;            /* the SMTP client's address, for agent_networks */
    int no_reply;            /* negotiated: the MTA does not wait for answers to RCPT, headers and body */
    sg_config *cfg;          /* snapshot for the current message */
    char *sender, *auth;
    const sg_intake *intake;
    char *data;              /* the message as received, CRLF; its capacity is held in the in-flight budget */
    size_t len, cap;
    size_t limit;            /* max_message_size */
    size_t inflight_limit;   /* milter_inflight_limit */
    int too_big;
    int busy;                /* the in-flight budget had no room: the message is not kept, and is tempfailed */
    int ticket_headers;
    char *raw_subject;
};

sg_session *sg_session_new(const char *client)
{
    sg_session *c = g_new0(sg_session, 1);
    c->client = g_strdup(client ? client : "");
    return c;
}

/* Free the message buffer and give its bytes back to the budget. */
static void drop_data(sg_session *c)
{
    g_free(c->data);
    sg_inflight_give(c->cap);
    c->data = NULL;
    c->len = c->cap = 0;
}

void sg_session_end(sg_session *c)
{
    sg_config_unref(c->cfg);
    c->cfg = NULL;
    g_free(c->sender);
    g_free(c->auth);
    g_free(c->raw_subject);
    c->sender = c->auth = c->raw_subject = NULL;
    c->intake = NULL;
    c->too_big = c->busy = c->ticket_headers = 0;
    /* Give memory back after a big mail; keep a small buffer for the next. */
    if (c->cap > KEEP_BUFFER)
        drop_data(c);
    c->len = 0;
    sg_inflight_trim();
}

void sg_session_free(sg_session *c)
{
    if (!c)
        return;
    sg_session_end(c);
    drop_data(c);
    g_free(c->client);
    g_free(c);
}

void sg_session_begin(sg_session *c, sg_config *cfg, const char *sender, const char *auth_authen)
{
    sg_session_end(c);
    c->cfg = cfg ? sg_config_ref(cfg) : NULL;
    c->sender = sg_address_bare(sender);
    c->auth = auth_authen && *auth_authen ? g_strdup(auth_authen) : NULL;
    c->limit = cfg ? (size_t)sg_config_num(cfg, SG_CFG_MAX_MESSAGE_SIZE) : 0;
    c->inflight_limit = cfg ? (size_t)sg_config_num(cfg, SG_CFG_MILTER_INFLIGHT_LIMIT) : 0;
}

void sg_session_rcpt(sg_session *c, const char *rcpt)
{
    if (!c->cfg)
        return;
    char *bare = sg_address_bare(rcpt);
    const sg_intake *in = sg_config_intake_find(c->cfg, bare);
    /* One mail to support@ and chat@ is one ticket; it gets the stricter promise. */
    if (in && (!c->intake || in->ack_target < c->intake->ack_target))
        c->intake = in;
    g_free(bare);
}

/* Room for NEED bytes: the capacity doubles (never past max_message_size + 1), each growth taken from the
 * budget first.  0 when the budget has no room. */
static int grow(sg_session *c, size_t need)
{
    size_t cap = MAX(need, MIN(MAX(c->cap * 2, (size_t)4096), c->limit + 1));
    if (!sg_inflight_take(cap - c->cap, c->inflight_limit))
        return 0;
    c->data = g_realloc(c->data, cap);
    c->cap = cap;
    return 1;
}

static void append(sg_session *c, const char *s, size_t len)
{
    if (c->too_big || c->busy)
        return;
    if (c->len + len > c->limit) {
        c->too_big = 1;
        drop_data(c); /* refused at the end anyway: hold nothing meanwhile */
        return;
    }
    if (c->len + len + 1 > c->cap && !grow(c, c->len + len + 1)) {
        c->busy = 1;
        drop_data(c);
        return;
    }
    memcpy(c->data + c->len, s, len);
    c->len += len;
    c->data[c->len] = '\0';
}

void sg_session_header(sg_session *c, const char *name, const char *value)
{
    if (g_ascii_strcasecmp(name, "X-Supportgate-Ticket") == 0)
        c->ticket_headers++;
    if (g_ascii_strcasecmp(name, "Subject") == 0 && !c->raw_subject)
        c->raw_subject = g_strdup(value);
    append(c, name, strlen(name));
    append(c, ": ", 2);
    append(c, value, strlen(value));
    append(c, "\r\n", 2);
}

void sg_session_end_headers(sg_session *c) { append(c, "\r\n", 2); }
void sg_session_body(sg_session *c, const unsigned char *data, size_t len) { append(c, (const char *)data, len); }

const sg_config *sg_session_config(const sg_session *c) { return c->cfg; }
const char *sg_session_client(const sg_session *c) { return c->client; }
int sg_session_no_reply(const sg_session *c) { return c->no_reply; }
void sg_session_set_no_reply(sg_session *c, int no_reply) { c->no_reply = no_reply; }

void sg_session_set_client(sg_session *c, const char *client)
{
    g_free(c->client);
    c->client = g_strdup(client ? client : "");
}
const sg_intake *sg_session_intake(const sg_session *c) { return c->intake; }
const char *sg_session_sender(const sg_session *c) { return c->sender ? c->sender : ""; }
const char *sg_session_auth(const sg_session *c) { return c->auth; }
int sg_session_too_big(const sg_session *c) { return c->too_big; }
int sg_session_busy(const sg_session *c) { return c->busy; }
int sg_session_ticket_headers(const sg_session *c) { return c->ticket_headers; }
const char *sg_session_raw_subject(const sg_session *c) { return c->raw_subject; }

const char *sg_session_data(const sg_session *c, size_t *len)
{
    *len = c->len;
    return c->data ? c->data : "";
}
