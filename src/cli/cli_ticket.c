/* cli_ticket.c - `ticket show`, `ticket attachments`, `tickets list` and `incidents list`: tickets as operators read them. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attachdb.h"
#include "cli.h"
#include "db.h"
#include "domain.h"
#include "duration.h"
#include "incident.h"
#include "ticketview.h"

static const char *tag_prefix(const cmdctx *x)
{
    return sg_config_str(x->cfg, SG_CFG_TAG_PREFIX);
}

static int do_ticket_show(cmdctx *x, PGconn *db, char **err)
{
    long long id = positive(x->o.arg[0]);
    int found = sg_view_ticket(db, tag_prefix(x), id, x->o.json, x->o.full, stdout, err);
    if (found == 0)
        return fail("ticket %lld not found", id);
    return found < 0 ? -1 : 0;
}

int cmd_ticket_show(cmdctx *x)
{
    if (!positive(x->o.arg[0]))
        return usage_error(x, "not a ticket number: %s", x->o.arg[0]);
    return with_db(x, AS_CLI, do_ticket_show);
}

static int do_tickets_list(cmdctx *x, PGconn *db, char **err)
{
    sg_ticket_filter f = { x->o.status, x->o.team, x->o.breached, x->o.limit ? positive(x->o.limit) : 0,
                           x->o.requester, x->o.search };
    return sg_view_tickets(db, tag_prefix(x), &f, x->o.json, stdout, err);
}

int cmd_tickets_list(cmdctx *x)
{
    if (x->o.status && sg_status_parse(x->o.status) < 0)
        return usage_error(x, "--status must be one of new, open, pending, resolved, closed");
    if (x->o.limit && !positive(x->o.limit))
        return usage_error(x, "--limit must be a positive number");
    return with_db(x, AS_CLI, do_tickets_list);
}

static long long ticket_arg(const cmdctx *x, int i)
{
    return positive(x->o.arg[i]);
}

/* One line per file: id, size, type, name and who sent it; under it why its content is not kept, where it is not. */
static int do_ticket_attachments(cmdctx *x, PGconn *db, char **err)
{
    long long t = ticket_arg(x, 0);
    if (x->o.json) {
        char *json = sg_attach_list_json(db, t, err);
        return json ? print_document(json) : -1;
    }
    PGresult *r = sg_attach_rows(db, t, err);
    if (!r)
        return -1;
    if (PQntuples(r) == 0)
        printf("ticket %lld has no attachments\n", t);
    for (int i = 0; i < PQntuples(r); i++) {
        char size[32];
        sg_size_format(sg_db_int(r, i, SG_ATT_COL_SIZE), size, sizeof size);
        const char *dir = PQgetvalue(r, i, SG_ATT_COL_DIRECTION), *packed = PQgetvalue(r, i, SG_ATT_COL_PACKED_IN);
        printf("%6s  %10s  %-28s  %s  (%s %s%s%s)\n", PQgetvalue(r, i, SG_ATT_COL_ID), size,
               PQgetvalue(r, i, SG_ATT_COL_TYPE), PQgetvalue(r, i, SG_ATT_COL_NAME),
               strcmp(dir, "in") == 0 ? "from" : "to the customer, by", PQgetvalue(r, i, SG_ATT_COL_SENDER),
               *packed ? ", unpacked from " : "", packed);
        if (PQgetvalue(r, i, SG_ATT_COL_STORED)[0] != 't')
            printf("        %s\n", PQgetvalue(r, i, SG_ATT_COL_NOTE));
    }
    PQclear(r);
    return 0;
}

int cmd_ticket_attachments(cmdctx *x)
{
    if (!ticket_arg(x, 0))
        return usage_error(x, "not a ticket number: %s", x->o.arg[0]);
    return with_db(x, AS_CLI, do_ticket_attachments);
}

static int do_attachment_get(cmdctx *x, PGconn *db, char **err)
{
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = sg_attach_get(db, ticket_arg(x, 1), positive(x->o.arg[2]), &data, &len, err);
    if (rc != 0)
        return rc > 0 ? fail("%s", *err) : rc;
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(STDOUT_FILENO, data + off, len - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    PQfreemem(data);
    if (off < len)
        return fail("writing the attachment to standard output failed after %zu of %zu bytes", off, len);
    return 0;
}

int cmd_ticket_attachment_get(cmdctx *x)
{
    if (strcmp(x->o.arg[0], "get") != 0)
        return usage_error(x, "ticket attachment: the only action is get (ticket attachment get N ID)");
    if (!ticket_arg(x, 1))
        return usage_error(x, "not a ticket number: %s", x->o.arg[1]);
    if (!positive(x->o.arg[2]))
        return usage_error(x, "not an attachment id: %s (ticket attachments %s lists them)", x->o.arg[2], x->o.arg[1]);
    return with_db(x, AS_CLI, do_attachment_get);
}

static int do_incidents_list(cmdctx *x, PGconn *db, char **err)
{
    return sg_incidents_print(db, tag_prefix(x), x->o.json, stdout, err);
}

int cmd_incidents_list(cmdctx *x)
{
    return with_db(x, AS_CLI, do_incidents_list);
}
