/* rfc3834.h - whether a mail may be answered automatically (RFC 3834 and loop prevention). */
#ifndef SG_RFC3834_H
#define SG_RFC3834_H

#include <stddef.h>
#include "mailparse.h"

typedef enum {
    SG_AUTO_OK = 0,          /* an acknowledgement may be sent */
    SG_AUTO_NULL_SENDER,     /* envelope sender <> */
    SG_AUTO_AUTO_SUBMITTED,  /* Auto-Submitted other than "no" */
    SG_AUTO_PRECEDENCE,      /* Precedence: bulk, junk or list */
    SG_AUTO_LIST,            /* List-Id or another List-* header */
    SG_AUTO_SYSTEM_SENDER,   /* MAILER-DAEMON, postmaster, owner-*, *-request, noreply senders */
    SG_AUTO_OWN_ADDRESS,     /* sent by one of the gateway's own addresses */
    SG_AUTO_LOOP,            /* carries our X-Loop */
    SG_AUTO_SUPPRESS,        /* X-Auto-Response-Suppress, X-Autoreply, X-Autorespond */
} sg_auto_verdict;

/* Decide for mail M received with envelope sender SENDER ("" for <>).  OWN is a NULL-terminated list
 * of the gateway's own addresses (lower-case); LOOP is the X-Loop value the gateway stamps. */
sg_auto_verdict sg_auto_decide(const sg_mail *m, const char *sender, const char *const *own,
                               const char *loop);

/* A short stable name for the verdict ("ok", "null-sender", "auto-submitted", ...). */
const char *sg_auto_verdict_name(sg_auto_verdict v);

#endif
