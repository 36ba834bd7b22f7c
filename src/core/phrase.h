/* phrase.h - the sentences the gateway writes itself, to customers and to staff, in each of their languages. */
#ifndef SG_PHRASE_H
#define SG_PHRASE_H

typedef enum {
    /* To customers, in the ticket's language. */
    SG_PHRASE_ETA_LABEL,  /* before an agent's #eta in the reply: no placeholders */
    SG_PHRASE_HOURS_NOTE, /* an escalated ticket's team is off shift: {{hours}} (sg_words_hours) */
    SG_PHRASE_NEWS_NOTE,  /* when the customer hears from us next: {{due}} and {{timezone}} (sg_words_when, _zone) */
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
    SG_PHRASE_DIGEST_SUBJECT,    /* {{schedule}} {{n}} {{from}} {{to}} */
    SG_PHRASE_DIGEST_TITLE,      /* {{from}} {{to}} {{timezone}} {{n}} {{prev}} */
    SG_PHRASE_DIGEST_NONE,       /* the one line of a digest without breaches */
    SG_PHRASE_DIGEST_BY_SLA,     /* heading */
    SG_PHRASE_DIGEST_WORST,      /* heading */
    SG_PHRASE_DIGEST_MIN,        /* minutes, after a number in a table cell */
    SG_PHRASE_DIGEST_MIN_LATE,   /* after a number of minutes */
    SG_PHRASE_DIGEST_COLUMNS,    /* the tables' column names, separated by '|': SLA|team|breaches|ticket|late|subject */
    SG_PHRASE_COUNT
} sg_phrase_id;

/* Phrase ID in LANG ("uk", "ru" or "en"; anything else, or NULL, gives English), its placeholders
 * filled from the NULL-terminated NAME, VALUE pairs that follow.  Returns a g_malloc'ed string. */
char *sg_phrase(const char *lang, sg_phrase_id id, ...);

/* Whether LANG is one the phrases are written in. */
int sg_phrase_has_lang(const char *lang);

#endif
