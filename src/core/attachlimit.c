/* attachlimit.c - which files of a mail are kept on the ticket and which may go to a customer, by the configured limits. */
#include "attachlimit.h"

#include <glib.h>
#include <string.h>

#include "duration.h"

int sg_attach_type_refused(const sg_config *c, const char *type)
{
    char **list = g_strsplit_set(sg_config_str(c, SG_CFG_ATTACHMENT_REFUSE_TYPES), " \t,", -1);
    int refused = 0;
    for (char **t = list; *t && !refused; t++) {
        size_t n = strlen(*t);
        if (n == 0)
            continue;
        refused = (*t)[n - 1] == '/' ? g_ascii_strncasecmp(type, *t, n) == 0 : g_ascii_strcasecmp(type, *t) == 0;
    }
    g_strfreev(list);
    return refused;
}

void sg_attach_judge(const sg_config *c, const sg_mail *m, long long ticket_used, int sending, sg_att_verdict *out)
{
    long long max_file = sg_config_num(c, SG_CFG_ATTACHMENT_MAX_FILE);
    long long max_mail = sg_config_num(c, SG_CFG_ATTACHMENT_MAX_MAIL);
    long long max_ticket = sg_config_num(c, SG_CFG_ATTACHMENT_MAX_TICKET);
    long long mail_used = 0;
    for (size_t i = 0; i < sg_mail_attachment_count(m); i++) {
        const sg_attachment *a = sg_mail_attachment(m, i);
        long long size = (long long)a->size;
        if (sending && sg_attach_type_refused(c, a->content_type))
            out[i] = SG_ATT_TYPE_REFUSED;
        else if (size > max_file)
            out[i] = SG_ATT_OVER_FILE;
        else if (mail_used + size > max_mail)
            out[i] = SG_ATT_OVER_MAIL;
        else if (!sending && ticket_used + size > max_ticket)
            out[i] = SG_ATT_OVER_TICKET;
        else
            out[i] = SG_ATT_OK;
        if (out[i] == SG_ATT_OK) {
            mail_used += size;
            ticket_used += size;
        }
    }
}

char *sg_attach_why(const sg_config *c, const sg_attachment *a, sg_att_verdict v)
{
    char size[32], limit[32];
    const char *name = *a->filename ? a->filename : "(unnamed)";
    sg_size_format((long long)a->size, size, sizeof size);
    switch (v) {
    case SG_ATT_OVER_FILE:
        return g_strdup_printf("\"%s\" (%s) is larger than attachment_max_file (%s)", name, size,
                               sg_size_format(sg_config_num(c, SG_CFG_ATTACHMENT_MAX_FILE), limit, sizeof limit));
    case SG_ATT_OVER_MAIL:
        return g_strdup_printf("\"%s\" (%s) takes the mail's files past attachment_max_mail (%s)", name, size,
                               sg_size_format(sg_config_num(c, SG_CFG_ATTACHMENT_MAX_MAIL), limit, sizeof limit));
    case SG_ATT_OVER_TICKET:
        return g_strdup_printf("\"%s\" (%s) takes the ticket's files past attachment_max_ticket (%s)", name, size,
                               sg_size_format(sg_config_num(c, SG_CFG_ATTACHMENT_MAX_TICKET), limit, sizeof limit));
    case SG_ATT_TYPE_REFUSED:
        return g_strdup_printf("\"%s\" is of type %s, which attachment_refuse_types does not let go to customers",
                               name, a->content_type);
    case SG_ATT_OK:
        break;
    }
    return NULL;
}
