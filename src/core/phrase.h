/* phrase.h - the sentences the gateway writes itself, to customers and to staff, in each of their languages. */
#ifndef SG_PHRASE_H
#define SG_PHRASE_H

typedef enum {
    /* To customers, in the ticket's language. */
    SG_PHRASE_ETA_LABEL,  /* before an agent's #eta in the reply: no placeholders */
    SG_PHRASE_HOURS_NOTE, /* an escalated ticket's team is off shift: {{hours}} (sg_words_hours) */
    SG_PHRASE_NEWS_NOTE,  /* when the customer hears from us next: {{due}} and {{timezone}} (sg_words_when, _zone) */
    SG_PHRASE_ETA_NOTE,   /* the incident's estimated resolution: {{eta}} and {{timezone}} */
    /* To staff, in staff_language.  {{tag}} is the ticket's subject tag, {{sla}} the SLA's name. */
    SG_PHRASE_BREACH_SUBJECT,    /* {{tag}} {{sla}} {{team}} */
    SG_PHRASE_BREACH_HEADLINE,   /* {{tag}} {{sla}} */
    SG_PHRASE_WARNING_SUBJECT,   /* {{tag}} {{sla}} {{team}} */
    SG_PHRASE_WARNING_HEADLINE,  /* {{tag}} {{sla}} */
    SG_PHRASE_REMINDER_SUBJECT,  /* {{tag}} {{team}} */
    SG_PHRASE_REMINDER_HEADLINE, /* {{tag}} */
    SG_PHRASE_HOLD_SUBJECT,      /* {{tag}} {{team}} {{back}}: the first line writes while the owning team is away */
    SG_PHRASE_HOLD_FIRST,        /* {{tag}} {{team}} {{back}} {{timezone}}: headline, no person has answered yet */
    SG_PHRASE_HOLD_NEWS,         /* {{tag}} {{team}} {{back}} {{timezone}}: headline, the customer waits for news */
    SG_PHRASE_NOTICE_BODY,       /* {{headline}} {{due}} {{timezone}} {{team}} {{requester}} {{subject}} {{id}} */
    SG_PHRASE_TEAM_COPY_BODY,    /* {{headline}} {{tag}} {{subject}} {{requester}} {{history}} */
    SG_PHRASE_TEAM_COPY_LEFT_OUT, /* {{files}}: lines "name (size): command", files too large to attach */
    SG_PHRASE_REFUSED_SUBJECT,   /* {{subject}} */
    SG_PHRASE_REFUSED_WHERE,     /* {{tag}}: which ticket an agent's refused mail was for */
    SG_PHRASE_REFUSED_BODY,      /* {{where}} (SG_PHRASE_REFUSED_WHERE, or empty) {{why}} */
    SG_PHRASE_ETA_OFF_SHIFT_SUBJECT, /* {{tag}} {{team}}: an agent's #eta falls outside the owning team's hours */
    SG_PHRASE_ETA_OFF_SHIFT_BODY,    /* {{tag}} {{team}} {{eta}} {{hours}} {{next}} {{timezone}} */
    SG_PHRASE_OVERLOAD_SUBJECT,  /* {{n}} {{oldest}}: the first line's backlog began an overload episode */
    SG_PHRASE_OVERLOAD_BODY,     /* {{n}} {{oldest}} {{threshold}} {{since}} {{timezone}} {{overflow}} {{list}} */
    SG_PHRASE_OVERLOAD_THRESHOLD_N,    /* {{n}}: the backlog threshold reached */
    SG_PHRASE_OVERLOAD_THRESHOLD_WAIT, /* {{wait}}: the wait threshold reached */
    SG_PHRASE_OVERFLOW_ON,       /* {{team}}: new standard tickets go to that team meanwhile */
    SG_PHRASE_OVERFLOW_OFF,      /* no overflow rule: new tickets stay with the first line */
    SG_PHRASE_WATCH_SUBJECT,     /* {{customers}} {{clue}} {{window}}: new tickets that share a clue, a possible incident */
    SG_PHRASE_WATCH_BODY,        /* {{n}} {{customers}} {{clue}} {{window}} {{list}} {{timezone}} */
    SG_PHRASE_CLUE_HOST,         /* {{what}}: a host name in the customers' words */
    SG_PHRASE_CLUE_IP,           /* {{what}}: an IP address */
    SG_PHRASE_CLUE_WORD,         /* {{what}}: a configured keyword */
    SG_PHRASE_CLUE_CLASS,        /* {{what}}: "team/category", the classification */
    SG_PHRASE_APPROVAL_SUBJECT,  /* {{apr}} {{text}} {{tag}}: an agent's #approve, to the approvers */
    SG_PHRASE_APPROVAL_BODY,     /* {{agent}} {{tag}} {{text}} {{requester}} {{subject}} {{due}} {{timezone}} */
    SG_PHRASE_APPROVAL_REMIND,   /* {{apr}} {{text}} {{due}}: the reminder's subject */
    SG_PHRASE_APPROVAL_DECIDED_SUBJECT, /* {{tag}} {{decision}} {{text}}: to the agent who asked */
    SG_PHRASE_APPROVAL_DECIDED_BODY,    /* {{approver}} {{decision}} {{apr}} {{text}} {{tag}} {{reason}} */
    SG_PHRASE_APPROVAL_APPROVED, /* the decision in a sentence */
    SG_PHRASE_APPROVAL_DENIED,
    SG_PHRASE_APPROVAL_NO_REASON, /* the reason line when the approver gave none */
    SG_PHRASE_APPROVAL_OVERDUE_SUBJECT, /* {{tag}} {{apr}} {{text}}: nobody decided in time */
    SG_PHRASE_APPROVAL_OVERDUE_BODY,    /* {{apr}} {{text}} {{tag}} {{due}} {{timezone}} {{approvers}} */
    SG_PHRASE_APPROVAL_REFUSED_BODY,    /* {{apr}} {{why}}: an answer that decided nothing */
    SG_PHRASE_FOLLOWS_SUBJECT,   /* {{tag}} {{old}}: a new ticket follows up a ticket closed too long ago */
    SG_PHRASE_FOLLOWS_BODY,      /* {{tag}} {{old}} {{closed}} {{timezone}} {{exchange}} */
    SG_PHRASE_FOLLOWS_WROTE,     /* {{at}} {{who}}: before a quoted mail of the customer's */
    SG_PHRASE_FOLLOWS_ANSWERED,  /* {{at}} {{who}}: before a quoted answer */
    SG_PHRASE_DIGEST_SUBJECT,    /* {{schedule}} {{n}} {{from}} {{to}} */
    SG_PHRASE_DIGEST_TITLE,      /* {{from}} {{to}} {{timezone}} {{n}} {{prev}} */
    SG_PHRASE_DIGEST_NONE,       /* the one line of a digest without breaches */
    SG_PHRASE_DIGEST_ATTAINMENT, /* heading: attainment per SLA of the clocks due in the period */
    SG_PHRASE_DIGEST_BY_TEAM,    /* heading */
    SG_PHRASE_DIGEST_WORST,      /* heading */
    SG_PHRASE_DIGEST_UP,         /* {{prev}}: attainment rose from the previous period's */
    SG_PHRASE_DIGEST_DOWN,       /* {{prev}}: it fell */
    SG_PHRASE_DIGEST_SAME,       /* {{prev}}: it stayed */
    SG_PHRASE_DIGEST_NO_PREV,    /* no previous figure to compare with */
    SG_PHRASE_DIGEST_OVERLOAD,   /* {{n}} {{peak}} {{wait}}: the overload episodes of the period */
    SG_PHRASE_DIGEST_COLUMNS,    /* the tables' column names, separated by '|':
                                  * SLA|met|breached|attained|previous|team|ticket|owner|status|late|subject */
    SG_PHRASE_COUNT
} sg_phrase_id;

/* Phrase ID in LANG ("uk", "ru" or "en"; anything else, or NULL, gives English), its placeholders
 * filled from the NULL-terminated NAME, VALUE pairs that follow.  Returns a g_malloc'ed string. */
char *sg_phrase(const char *lang, sg_phrase_id id, ...);

/* Whether LANG is one the phrases are written in. */
int sg_phrase_has_lang(const char *lang);

#endif
