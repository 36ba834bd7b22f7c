/* ackmail.c - a new ticket's acknowledgement, composed from the recorded ticket when the scheduler first takes it. */
#include "ackmail.h"

#include <glib.h>
#include <stdio.h>

#include "address.h"
#include "compose.h"
#include "db.h"
#include "letter.h"
#include "mailthread.h"
#include "template.h"

/* The operator's template for the channel (ack.chat.uk.txt), else the plain one (ack.uk.txt). */
static char *render(const sg_config *c, const sg_ack_facts *f, char **subject, char **err)
{
    char *tag = sg_thread_tag_make(sg_config_str(c, SG_CFG_TAG_PREFIX), f->ticket);
    sg_letter l = { .c = c, .lang = f->lang, .tag = tag, .subject = f->subject, .name = f->name, .now = f->created,
                    .first_response_due = f->first_response_due };
    char *tpl = sg_template_load_for(sg_config_str(c, SG_CFG_TEMPLATE_DIR), "ack", f->channel, f->lang, err);
    char *body = NULL;
    if (tpl) {
        char *text = sg_letter_render(&l, tpl);
        body = sg_template_split_subject(text, subject);
        if (!*subject)
            *subject = sg_thread_tag_subject(f->subject, sg_config_str(c, SG_CFG_TAG_PREFIX), f->ticket);
        g_free(text);
    }
    g_free(tpl);
    g_free(tag);
    return body;
}

static char *compose(const sg_config *c, const sg_ack_facts *f, const char *mid, const char *subject,
                     const char *body, size_t *len)
{
    char **refs = g_strsplit(f->refs, " ", -1);
    guint n = g_strv_length(refs);
    char ticket[32];
    snprintf(ticket, sizeof ticket, "%lld", f->ticket);
    const char *support = sg_config_str(c, SG_CFG_SUPPORT_ADDRESS);
    sg_outgoing o = {
        .from_addr = support, .from_name = sg_config_str(c, SG_CFG_SUPPORT_NAME),
        /* The name only helps when the acknowledgement goes to the From address. */
        .to_addr = f->rcpt, .to_name = g_ascii_strcasecmp(f->rcpt, f->requester) == 0 ? f->name : NULL,
        .subject = subject, .body = body, .message_id = mid,
        .in_reply_to = n ? refs[n - 1] : NULL,
        .references = (const char *const *)refs, .n_references = n,
        .auto_submitted = "auto-replied", .loop = support, .ticket = ticket,
    };
    char *data = sg_compose(&o, len);
    g_strfreev(refs);
    return data;
}

/* Its message row and the bytes every attempt sends, in one call (sg_ack_store, sql/functions/outbox.sql). */
static int store(PGconn *db, const sg_config *c, const sg_ack_facts *f, const char *mid, const char *subject,
                 const char *body, const char *data, char **err)
{
    sg_params p;
    sg_params_init(&p);
    sg_param_int(&p, f->ticket);
    sg_param_text(&p, mid);
    sg_param_text(&p, sg_config_str(c, SG_CFG_SUPPORT_ADDRESS));
    sg_param_text(&p, f->rcpt);
    sg_param_text(&p, subject);
    sg_param_text(&p, body);
    sg_param_text(&p, data);
    sg_param_int(&p, f->outbox);
    return sg_db_run_params(db, "SELECT sg_ack_store($1, $2, $3, $4, $5, $6, $7, $8)", &p, err);
}

char *sg_ack_compose(PGconn *db, const sg_config *c, const sg_ack_facts *f, size_t *len, char **err)
{
    char *subject = NULL, *body = render(c, f, &subject, err);
    if (!body)
        return NULL;
    const char *support = sg_config_str(c, SG_CFG_SUPPORT_ADDRESS);
    char *mid = sg_compose_message_id(sg_config_tokens(c), "ack", f->ticket, sg_address_domain(support));
    char *data = compose(c, f, mid, subject, body, len);
    if (store(db, c, f, mid, subject, body, data, err) < 0) {
        g_free(data);
        data = NULL;
    }
    g_free(mid);
    g_free(subject);
    g_free(body);
    return data;
}
