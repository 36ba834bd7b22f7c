/* token.h - signed reply tokens: the Message-IDs the gateway sends, which a reply may quote to join a ticket. */
#ifndef SG_TOKEN_H
#define SG_TOKEN_H

#include <stddef.h>

#include "config.h"

/* Shortest key accepted: 256 bits, the size of the HMAC-SHA256 block's useful key. */
#define SG_TOKEN_KEY_MIN 32

/* The current signing key and, during a rotation, the previous one with the Unix time it stops verifying. */
typedef struct sg_token_keys sg_token_keys;

/* Keys from memory (for tests): KEY signs and verifies; PREV (may be NULL) verifies until PREV_UNTIL. */
sg_token_keys *sg_token_keys_new(const void *key, size_t len, const void *prev, size_t prev_len,
                                 long long prev_until);
void sg_token_keys_free(sg_token_keys *k);

/* "sg.KIND.TICKET.NONCE.MAC@DOMAIN" (without brackets; g_free): NONCE is 128 bits from getrandom(2), MAC the
 * HMAC-SHA256 (truncated to 128 bits) of kind, ticket and nonce under the current key.  KIND is a word of
 * letters, digits, '-' and '_'. */
char *sg_token_message_id(const sg_token_keys *k, const char *kind, long long ticket, const char *domain);

/* Whether ID has the shape of a token ("sg.KIND.TICKET.NONCE.MAC@..."), signed or not. */
int sg_token_shaped(const char *id);

/* 1 when ID is a token signed by the current key, or by the previous one before its end (NOW, Unix time);
 * then *TICKET is the ticket it names.  0 for anything else: other shapes, a changed byte, a foreign key. */
int sg_token_verify(const sg_token_keys *k, const char *id, long long now, long long *ticket);

/* Key files -------------------------------------------------------------------------------------------- */

/* The path of the file key K (reply_key_file, reply_key_previous_file) names: a relative value is taken from
 * the directory of C's configuration file (g_free). */
char *sg_token_key_path(const sg_config *c, sg_cfg_key k);

/* The keys C names: the current file must exist and be private (see sg_token_key_problem); the previous file
 * is optional and verifies for reply_key_grace after the current file's modification time (the rotation).
 * NULL and *ERR (g_free) when the current key cannot be used. */
sg_token_keys *sg_token_keys_load(const sg_config *c, char **err);

/* Why the key file PATH cannot be used (missing, unreadable, readable by group or others, too short), or
 * NULL when it can (g_free). */
char *sg_token_key_problem(const char *path);

/* Create PATH with a new random key, mode 0600, unless it exists.  A new file takes the owner of LIKE (the
 * previous key file, when there is one and we may chown), so that a rotation done as root keeps the key
 * readable by the daemons' user.  1 created, 0 already there, -1 with *ERR (g_free). */
int sg_token_key_create(const char *path, const char *like, char **err);

#endif
