/* compose.h - building the RFC 5322 / RFC 3834 messages supportgate sends (with GMime). */
#ifndef SG_COMPOSE_H
#define SG_COMPOSE_H

#include <stddef.h>

#include "mailparse.h"
#include "token.h"

typedef struct {
    const char *from_addr, *from_name;  /* From: */
    const char *to_addr, *to_name;      /* To: (one recipient) */
    const char *const *cc;              /* Cc: addresses */
    size_t n_cc;
    const char *subject;                /* UTF-8, one line; encoded as RFC 2047 when needed */
    const char *body;                   /* UTF-8 text */
    const char *html;                   /* optional HTML alternative (multipart/alternative), or NULL */
    const char *message_id;             /* without brackets */
    const char *in_reply_to;            /* parent Message-ID without brackets, or NULL */
    const char *const *references;      /* parent's References then the parent itself, oldest first */
    size_t n_references;
    const char *auto_submitted;         /* "auto-replied", "auto-generated" or NULL for a human reply */
    const char *loop;                   /* X-Loop value, or NULL */
    const char *ticket;                 /* X-Supportgate-Ticket value, or NULL */
    const sg_attachment *const *files;  /* files to attach (multipart/mixed), with their names, types and Content-IDs */
    size_t n_files;
} sg_outgoing;

/* The whole message with CRLF line ends (g_free), *LEN its length. */
char *sg_compose(const sg_outgoing *o, size_t *len);

/* A new globally unique Message-ID (without brackets) in DOMAIN, naming its purpose KIND and TICKET (0 for
 * none): a reply token signed with KEYS (sg_token_message_id; g_free). */
char *sg_compose_message_id(const sg_token_keys *keys, const char *kind, long long ticket, const char *domain);

#endif
