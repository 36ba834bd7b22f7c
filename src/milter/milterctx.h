/* milterctx.h - what the milter collects about one SMTP connection and its current message. */
#ifndef SG_MILTERCTX_H
#define SG_MILTERCTX_H

#include <stddef.h>

#include "config.h"

typedef struct sg_conn sg_conn;

/* CLIENT is the SMTP client's address as text ("" when unknown, e.g. a unix socket); it may be set later. */
sg_conn *sg_conn_new(const char *client);
void sg_conn_set_client(sg_conn *c, const char *client);
const char *sg_conn_client(const sg_conn *c);
/* Whether the MTA agreed not to wait for an answer to recipients, headers, end of headers and body. */
void sg_conn_set_no_reply(sg_conn *c, int no_reply);
int sg_conn_no_reply(const sg_conn *c);
void sg_conn_free(sg_conn *c);

/* Start a message: forget the previous one, take a reference on the current configuration. */
void sg_conn_begin(sg_conn *c, sg_config *cfg, const char *sender, const char *auth_authen);
/* End the message (after eom or abort): drop its data and the configuration reference. */
void sg_conn_end(sg_conn *c);

/* Note one envelope recipient; remembers the intake address with the strictest acknowledgement target. */
void sg_conn_rcpt(sg_conn *c, const char *rcpt);
/* Append a header / end of headers / body chunk.  Beyond max_message_size the data is no longer kept
 * and sg_conn_too_big turns true. */
void sg_conn_header(sg_conn *c, const char *name, const char *value);
void sg_conn_end_headers(sg_conn *c);
void sg_conn_body(sg_conn *c, const unsigned char *data, size_t len);

const sg_config *sg_conn_config(const sg_conn *c);
const sg_intake *sg_conn_intake(const sg_conn *c);   /* NULL: not for us */
const char *sg_conn_sender(const sg_conn *c);        /* "" for <> */
const char *sg_conn_auth(const sg_conn *c);          /* SASL login or NULL */
int sg_conn_too_big(const sg_conn *c);
const char *sg_conn_data(const sg_conn *c, size_t *len);
/* How many X-Supportgate-Ticket headers arrived from outside (to be removed) and the raw Subject. */
int sg_conn_ticket_headers(const sg_conn *c);
const char *sg_conn_raw_subject(const sg_conn *c);

/* Strip one pair of angle brackets from an SMTP address (g_free). */
char *sg_conn_bare_address(const char *addr);

#endif
