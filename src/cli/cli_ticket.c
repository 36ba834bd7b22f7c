/* cli_ticket.c - `ticket show` and `tickets list`: tickets as operators read them. */
#include "cli.h"
#include "domain.h"
#include "ticketview.h"

static const char *tag_prefix(const cmdctx *x)
{
    return sg_config_str(x->cfg, SG_CFG_TAG_PREFIX);
}

static int do_ticket_show(cmdctx *x, PGconn *db, char **err)
{
    long long id = positive(x->o.arg[0]);
    int found = sg_view_ticket(db, tag_prefix(x), id, x->o.json, stdout, err);
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
