/* milterctx.c - what the milter collects about one SMTP connection and its current message. */
#include "milterctx.h"

#include <glib.h>
#include <string.h>

struct sg_conn {
    char *client;            /* the SMTP client's address, for agent_networks */
    int no_reply;            /* negotiated: the MTA does not wait for answers to RCPT, headers and body */
    sg_config *cfg;          /* snapshot for the current message */
    char *sender, *auth;
    const sg_intake *intake;
    GString *data;           /* the message as received, CRLF */
    size_t limit;
    int too_big;
    int ticket_headers;
    char *raw_subject;
};

sg_conn *sg_conn_new(const char *client)
{
    sg_conn *c = g_new0(sg_conn, 1);
    c->client = g_strdup(client ? client : "");
    c->data = g_string_new(NULL);
    return c;
}

void sg_conn_end(sg_conn *c)
{
    sg_config_unref(c->cfg);
    c->cfg = NULL;
    g_free(c->sender);
    g_free(c->auth);
    g_free(c->raw_subject);
    c->sender = c->auth = c->raw_subject = NULL;
    c->intake = NULL;
    c->too_big = c->ticket_headers = 0;
    /* Give memory back after a big mail; keep a small buffer for the next. */
    if (c->data->allocated_len > 1 << 20) {
        g_string_free(c->data, TRUE);
        c->data = g_string_new(NULL);
    } else {
        g_string_truncate(c->data, 0);
    }
}

void sg_conn_free(sg_conn *c)
{
    if (!c)
        return;
    sg_conn_end(c);
    g_string_free(c->data, TRUE);
    g_free(c->client);
    g_free(c);
}

char *sg_conn_bare_address(const char *addr)
{
    if (!addr)
        return g_strdup("");
    size_t n = strlen(addr);
    if (n >= 2 && addr[0] == '<' && addr[n - 1] == '>')
        return g_strndup(addr + 1, n - 2);
    return g_strdup(addr);
}

void sg_conn_begin(sg_conn *c, sg_config *cfg, const char *sender, const char *auth_authen)
{
    sg_conn_end(c);
    c->cfg = cfg ? sg_config_ref(cfg) : NULL;
    c->sender = sg_conn_bare_address(sender);
    c->auth = auth_authen && *auth_authen ? g_strdup(auth_authen) : NULL;
    c->limit = cfg ? (size_t)sg_config_num(cfg, SG_CFG_MAX_MESSAGE_SIZE) : 0;
}

void sg_conn_rcpt(sg_conn *c, const char *rcpt)
{
    if (!c->cfg)
        return;
    char *bare = sg_conn_bare_address(rcpt);
    const sg_intake *in = sg_config_intake_find(c->cfg, bare);
    /* One mail to support@ and chat@ is one ticket; it gets the stricter promise. */
    if (in && (!c->intake || in->ack_target < c->intake->ack_target))
        c->intake = in;
    g_free(bare);
}

static void append(sg_conn *c, const char *s, size_t len)
{
    if (c->too_big || c->data->len + len > c->limit) {
        c->too_big = 1;
        return;
    }
    g_string_append_len(c->data, s, (gssize)len);
}

void sg_conn_header(sg_conn *c, const char *name, const char *value)
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

void sg_conn_end_headers(sg_conn *c) { append(c, "\r\n", 2); }
void sg_conn_body(sg_conn *c, const unsigned char *data, size_t len) { append(c, (const char *)data, len); }

const sg_config *sg_conn_config(const sg_conn *c) { return c->cfg; }
const char *sg_conn_client(const sg_conn *c) { return c->client; }
int sg_conn_no_reply(const sg_conn *c) { return c->no_reply; }
void sg_conn_set_no_reply(sg_conn *c, int no_reply) { c->no_reply = no_reply; }

void sg_conn_set_client(sg_conn *c, const char *client)
{
    g_free(c->client);
    c->client = g_strdup(client ? client : "");
}
const sg_intake *sg_conn_intake(const sg_conn *c) { return c->intake; }
const char *sg_conn_sender(const sg_conn *c) { return c->sender ? c->sender : ""; }
const char *sg_conn_auth(const sg_conn *c) { return c->auth; }
int sg_conn_too_big(const sg_conn *c) { return c->too_big; }
int sg_conn_ticket_headers(const sg_conn *c) { return c->ticket_headers; }
const char *sg_conn_raw_subject(const sg_conn *c) { return c->raw_subject; }

const char *sg_conn_data(const sg_conn *c, size_t *len)
{
    *len = c->data->len;
    return c->data->str;
}
