/* letter.h - customer mail from the operator's templates: a ticket's facts in the words of the customer's language. */
#ifndef SG_LETTER_H
#define SG_LETTER_H

#include "config.h"
#include "sgtime.h"

/* What one letter to a customer is about.  Times are Unix seconds; 0 where a time does not apply. */
typedef struct {
    const sg_config *c;
    const char *lang;            /* the ticket's: "uk", "ru" or "en" */
    const char *tag, *subject;   /* the ticket's tag and subject */
    const char *name;            /* the customer's display name, or NULL */
    sg_time now;                 /* the moment the letter is written, for "today" and shifts */
    sg_time first_response_due;  /* ack: a person answers by then */
    const sg_team *team;         /* escalate, eta: the team that has the ticket, or NULL */
    const char *reason;          /* escalate: the agent's words after the team's name, or NULL */
    sg_time news_due;            /* escalate: the customer hears from us by then */
    sg_time eta;                 /* eta: the estimated resolution */
    const char *into_tag;        /* merged: the tag of the ticket this one went into, or NULL */
    const char *incident_title;  /* incident, incident_resolved: the incident's title, or NULL */
    const char *update;          /* incident, incident_resolved: the agent's words for all its customers, or NULL */
} sg_letter;

/* TPL with every placeholder of supportgate.conf(5) TEMPLATES filled for L: {{greeting}}, {{team}} (the team's
 * team_name in L's language), {{first_response_by}}, {{hours_note}} (the team's hours when it is off shift at
 * NOW), {{news_note}}, {{eta}}, {{timezone}} (display_timezone in words), {{into_tag}} and the rest.  g_free. */
char *sg_letter_render(const sg_letter *l, const char *tpl);

#endif
