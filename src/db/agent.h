/* agent.h - an agent's emailed reply: commands applied to the ticket, the text re-sent to the customer from support@. */
#ifndef SG_AGENT_H
#define SG_AGENT_H

#include <libpq-fe.h>
#include <stddef.h>

#include "config.h"
#include "mailparse.h"

/* The registered agent whose address is LOGIN (case-insensitive): 1 and *NAME (g_free) when found, 0 when
 * not an agent, -1 with *ERR on a database error. */
int sg_agent_find(PGconn *db, const char *login, char **name, char **err);

typedef struct {
    const char *queue_id;
    const char *agent;       /* the authenticated agent's address */
    const char *agent_name;
    const sg_mail *mail;
} sg_agent_in;

typedef enum {
    SG_AGENT_REPLIED,        /* text re-sent to the customer (and commands applied) */
    SG_AGENT_UPDATED,        /* commands only, or an internal note: nothing to the customer */
    SG_AGENT_REFUSED,        /* no ticket or invalid commands: the agent got an error reply, nothing changed */
    SG_AGENT_DUPLICATE,      /* recorded before */
} sg_agent_kind;

typedef struct {
    sg_agent_kind kind;
    long long ticket;        /* 0 when no ticket was found */
    char message_id[256];
} sg_agent_out;

/* Handle the mail in one transaction.  -1 with *ERR when nothing could be recorded (tempfail). */
int sg_agent_reply(PGconn *db, const sg_config *c, const sg_agent_in *in, sg_agent_out *out, char **err);

#endif
