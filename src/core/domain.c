/* domain.c - the words of the ticket domain (status, category, SLA, message, outbox and event kinds) as enums. */
#include "domain.h"

#include <stddef.h>
#include <string.h>

static const char *const statuses[SG_STATUS_N] = {
    [SG_STATUS_NEW] = "new", [SG_STATUS_OPEN] = "open", [SG_STATUS_PENDING] = "pending",
    [SG_STATUS_RESOLVED] = "resolved", [SG_STATUS_CLOSED] = "closed",
};

static const char *const categories[SG_CATEGORY_N] = {
    [SG_CATEGORY_SIMPLE] = "simple", [SG_CATEGORY_STANDARD] = "standard", [SG_CATEGORY_COMPLEX] = "complex",
    [SG_CATEGORY_CUSTOM] = "custom",
};

static const char *const slas[SG_SLA_N] = {
    [SG_SLA_ACK] = "ack", [SG_SLA_FIRST_RESPONSE] = "first_response", [SG_SLA_UPDATE] = "update",
    [SG_SLA_RESOLUTION] = "resolution", [SG_SLA_ETA] = "eta",
};

static const char *const msg_kinds[SG_MSG_N] = {
    [SG_MSG_CUSTOMER] = "customer", [SG_MSG_AGENT] = "agent", [SG_MSG_ACK] = "ack", [SG_MSG_NOTICE] = "notice",
    [SG_MSG_INTERNAL] = "internal",
};

static const char *const outbox_kinds[SG_OUT_N] = {
    [SG_OUT_INTERNAL] = "internal", [SG_OUT_NOTICE] = "notice", [SG_OUT_AGENT] = "agent", [SG_OUT_ACK] = "ack",
};

static const char *const event_types[SG_EVENT_N] = {
    [SG_EVENT_CREATED] = "created", [SG_EVENT_ACKED] = "acked", [SG_EVENT_REPLIED] = "replied",
    [SG_EVENT_ESCALATED] = "escalated", [SG_EVENT_STATUS] = "status", [SG_EVENT_BREACH] = "breach",
    [SG_EVENT_NOTIFIED] = "notified", [SG_EVENT_CATEGORY] = "category", [SG_EVENT_ASSIGNED] = "assigned",
    [SG_EVENT_ETA] = "eta", [SG_EVENT_LINKED] = "linked", [SG_EVENT_ATTACHMENT] = "attachment",
    [SG_EVENT_APPROVAL] = "approval",
};

/* The casts to unsigned make a negative value (an enum variable holding -1 from a failed parse) out of range. */
static const char *name_of(const char *const *table, size_t n, unsigned v)
{
    return v < n ? table[v] : NULL;
}

static int parse_in(const char *const *table, size_t n, const char *name)
{
    for (size_t i = 0; name && i < n; i++)
        if (strcmp(name, table[i]) == 0)
            return (int)i;
    return -1;
}

#define TABLE(t) t, sizeof t / sizeof t[0]

const char *sg_status_name(sg_status s) { return name_of(TABLE(statuses), (unsigned)s); }
int sg_status_parse(const char *name) { return parse_in(TABLE(statuses), name); }
const char *sg_category_name(sg_category c) { return name_of(TABLE(categories), (unsigned)c); }
int sg_category_parse(const char *name) { return parse_in(TABLE(categories), name); }
const char *sg_sla_name(sg_sla s) { return name_of(TABLE(slas), (unsigned)s); }
int sg_sla_parse(const char *name) { return parse_in(TABLE(slas), name); }
const char *sg_msg_kind_name(sg_msg_kind k) { return name_of(TABLE(msg_kinds), (unsigned)k); }
int sg_msg_kind_parse(const char *name) { return parse_in(TABLE(msg_kinds), name); }
const char *sg_outbox_kind_name(sg_outbox_kind k) { return name_of(TABLE(outbox_kinds), (unsigned)k); }
int sg_outbox_kind_parse(const char *name) { return parse_in(TABLE(outbox_kinds), name); }
const char *sg_event_type_name(sg_event_type t) { return name_of(TABLE(event_types), (unsigned)t); }
int sg_event_type_parse(const char *name) { return parse_in(TABLE(event_types), name); }

sg_event_type sg_event_family(sg_event_type t)
{
    return t == SG_EVENT_CATEGORY || t == SG_EVENT_ASSIGNED || t == SG_EVENT_ETA || t == SG_EVENT_LINKED ||
                   t == SG_EVENT_ATTACHMENT || t == SG_EVENT_APPROVAL
               ? SG_EVENT_STATUS : t;
}

int sg_status_running(sg_status s) { return s == SG_STATUS_NEW || s == SG_STATUS_OPEN; }
int sg_status_done(sg_status s) { return s == SG_STATUS_RESOLVED || s == SG_STATUS_CLOSED; }
