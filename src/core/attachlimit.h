/* attachlimit.h - which files of a mail are kept on the ticket and which may go to a customer, by the configured limits. */
#ifndef SG_ATTACHLIMIT_H
#define SG_ATTACHLIMIT_H

#include "config.h"
#include "mailparse.h"

typedef enum {
    SG_ATT_OK,
    SG_ATT_OVER_FILE,    /* larger than attachment_max_file */
    SG_ATT_OVER_MAIL,    /* with the files before it, more than attachment_max_mail */
    SG_ATT_OVER_TICKET,  /* with what the ticket holds, more than attachment_max_ticket (keeping only) */
    SG_ATT_TYPE_REFUSED, /* a type in attachment_refuse_types (sending only) */
} sg_att_verdict;

/* One verdict per file of M, in order, into OUT (sg_mail_attachment_count entries).  Only a file that passes counts
 * against the mail's total and, from TICKET_USED bytes on, the ticket's: one huge file does not cost the small
 * ones after it their place.  SENDING judges an agent's reply to a customer (types refused, the ticket's limit
 * not applied: what the agent sends is the agent's call); otherwise what is kept of received mail. */
void sg_attach_judge(const sg_config *c, const sg_mail *m, long long ticket_used, int sending, sg_att_verdict *out);

/* Whether "type/subtype" TYPE is one the configuration refuses to send ("type/subtype", or "type/" for all). */
int sg_attach_type_refused(const sg_config *c, const char *type);

/* A sentence in English naming file A, its size and the limit it passed under verdict V (g_free); NULL for OK. */
char *sg_attach_why(const sg_config *c, const sg_attachment *a, sg_att_verdict v);

#endif
