/* domain.h - the words of the ticket domain (status, category, SLA, message, outbox and event kinds) as enums. */
#ifndef SG_DOMAIN_H
#define SG_DOMAIN_H

/* Each enum has a name table: the names are what the database stores (the CHECK constraints of the migrations
 * say the same), what the command line and #commands accept and what the views show.  A _name function gives
 * the name of a value (NULL for a value outside the enum); a _parse function the value of an exact name, or -1. */

typedef enum {
    SG_STATUS_NEW,
    SG_STATUS_OPEN,
    SG_STATUS_PENDING,     /* on the customer: the update and resolution clocks stop */
    SG_STATUS_RESOLVED,
    SG_STATUS_CLOSED,
    SG_STATUS_N
} sg_status;

typedef enum {
    SG_CATEGORY_SIMPLE,
    SG_CATEGORY_STANDARD,  /* what a new ticket is unless a classification rule says otherwise */
    SG_CATEGORY_COMPLEX,
    SG_CATEGORY_CUSTOM,    /* resolved by an #eta agreed with the customer */
    SG_CATEGORY_N
} sg_category;

/* The deadlines the service promises. */
typedef enum {
    SG_SLA_ACK,
    SG_SLA_FIRST_RESPONSE,
    SG_SLA_UPDATE,
    SG_SLA_RESOLUTION,
    SG_SLA_ETA,            /* the estimate an agent gave the customer (#eta) */
    SG_SLA_N
} sg_sla;

/* What a message on a ticket is: the customer's, an agent's reply re-sent, the acknowledgement, a notice to the
 * customer (escalation, estimate), or staff-only mail and notes. */
typedef enum {
    SG_MSG_CUSTOMER,
    SG_MSG_AGENT,
    SG_MSG_ACK,
    SG_MSG_NOTICE,
    SG_MSG_INTERNAL,
    SG_MSG_N
} sg_msg_kind;

/* What a queued mail is; a filed one is also an outgoing message of that kind, so each name is a message kind.
 * Internal comes first: a mail queued without a kind of its own is staff mail, which never stamps an
 * acknowledgement nor counts as news for the customer. */
typedef enum {
    SG_OUT_INTERNAL,
    SG_OUT_NOTICE,
    SG_OUT_AGENT,
    SG_OUT_ACK,
    SG_OUT_N
} sg_outbox_kind;

/* A line of a ticket's history. */
typedef enum {
    SG_EVENT_CREATED,
    SG_EVENT_ACKED,
    SG_EVENT_REPLIED,
    SG_EVENT_ESCALATED,
    SG_EVENT_STATUS,
    SG_EVENT_BREACH,
    SG_EVENT_NOTIFIED,
    SG_EVENT_CATEGORY,     /* #category */
    SG_EVENT_ASSIGNED,     /* #assign */
    SG_EVENT_ETA,          /* #eta */
    SG_EVENT_LINKED,       /* #merge, #link */
    SG_EVENT_ATTACHMENT,   /* a file whose content was not kept */
    SG_EVENT_APPROVAL,     /* #approve, and the approvers' answers */
    SG_EVENT_N
} sg_event_type;

const char *sg_status_name(sg_status s);
int sg_status_parse(const char *name);
const char *sg_category_name(sg_category c);
int sg_category_parse(const char *name);
const char *sg_sla_name(sg_sla s);
int sg_sla_parse(const char *name);
const char *sg_msg_kind_name(sg_msg_kind k);
int sg_msg_kind_parse(const char *name);
const char *sg_outbox_kind_name(sg_outbox_kind k);
int sg_outbox_kind_parse(const char *name);
const char *sg_event_type_name(sg_event_type t);
int sg_event_type_parse(const char *name);

/* The type an event is reported as where only the first seven types are known (`ticket show --json`): a change of
 * category, assignee, estimate or relation, or a file not kept, is a change of the ticket's state, SG_EVENT_STATUS; any other type is
 * itself. */
sg_event_type sg_event_family(sg_event_type t);

/* A ticket whose deadlines run (new or open); one that is done (resolved or closed). */
int sg_status_running(sg_status s);
int sg_status_done(sg_status s);

#endif
