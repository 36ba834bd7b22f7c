/* smtp.h - hands one message to an SMTP relay with libcurl and says whether to retry. */
#ifndef SG_SMTP_H
#define SG_SMTP_H

#include <stddef.h>

typedef enum {
    SG_SMTP_SENT,       /* the relay accepted the message */
    SG_SMTP_TEMPORARY,  /* 4xx, connection trouble, timeout: try again later */
    SG_SMTP_PERMANENT,  /* 5xx: retrying cannot help */
} sg_smtp_status;

typedef struct sg_smtp sg_smtp;

/* A sender bound to RELAY (smtp://host:port), every transaction bounded by TIMEOUT_S.  One per thread;
 * it keeps the connection open between messages.  curl_global_init must have run. */
sg_smtp *sg_smtp_new(const char *relay, int timeout_s);
void sg_smtp_free(sg_smtp *s);

/* Send DATA (CRLF line ends) from ENV_FROM ("" for the null sender) to RCPT.  *DETAIL (g_free) holds
 * the relay's code and text or the transport error. */
sg_smtp_status sg_smtp_send(sg_smtp *s, const char *env_from, const char *rcpt, const char *data, size_t len,
                            char **detail);

#endif
