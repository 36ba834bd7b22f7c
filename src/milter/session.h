/* session.h - what the milter collects about one SMTP session (a connection) and its current message. */
#ifndef SG_SESSION_H
#define SG_SESSION_H

#include <stddef.h>

#include "config.h"

typedef struct sg_session sg_session;

/* CLIENT is the SMTP client's address as text ("" when unknown, e.g. a unix socket); it may be set later. */
sg_session *sg_session_new(const char *client);
void sg_session_set_client(sg_session *c, const char *client);
const char *sg_session_client(const sg_session *c);
/* Whether the MTA agreed not to wait for an answer to recipients, headers, end of headers and body. */
void sg_session_set_no_reply(sg_session *c, int no_reply);
int sg_session_no_reply(const sg_session *c);
void sg_session_free(sg_session *c);

/* Start a message: forget the previous one, take a reference on the current configuration. */
void sg_session_begin(sg_session *c, sg_config *cfg, const char *sender, const char *auth_authen);
/* End the message (after eom or abort): drop its data and the configuration reference. */
void sg_session_end(sg_session *c);

/* Note one envelope recipient; remembers the intake address with the strictest acknowledgement target. */
void sg_session_rcpt(sg_session *c, const char *rcpt);
/* Append a header / end of headers / body chunk.  Beyond max_message_size the data is no longer kept
 * and sg_session_too_big turns true; when milter_inflight_limit leaves no room for it (all sessions' data
 * together), the data is dropped too and sg_session_busy turns true. */
void sg_session_header(sg_session *c, const char *name, const char *value);
void sg_session_end_headers(sg_session *c);
void sg_session_body(sg_session *c, const unsigned char *data, size_t len);

const sg_config *sg_session_config(const sg_session *c);
const sg_intake *sg_session_intake(const sg_session *c);   /* NULL: not for us */
const char *sg_session_sender(const sg_session *c);        /* "" for <> */
const char *sg_session_auth(const sg_session *c);          /* SASL login or NULL */
int sg_session_too_big(const sg_session *c);
int sg_session_busy(const sg_session *c);
const char *sg_session_data(const sg_session *c, size_t *len);
/* How many X-Supportgate-Ticket headers arrived from outside (to be removed) and the raw Subject. */
int sg_session_ticket_headers(const sg_session *c);
const char *sg_session_raw_subject(const sg_session *c);

#endif
