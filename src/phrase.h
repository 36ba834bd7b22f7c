/* phrase.h - the few sentences the gateway writes to customers itself, in each of their languages. */
#ifndef SG_PHRASE_H
#define SG_PHRASE_H

typedef enum {
    SG_PHRASE_ETA_LABEL,  /* before an agent's #eta in the reply: no placeholders */
    SG_PHRASE_HOURS_NOTE, /* an escalated ticket's team is off shift: {{hours}} */
    SG_PHRASE_NEWS_NOTE,  /* when the customer hears from us next: {{due}} and {{timezone}} */
} sg_phrase_id;

/* Phrase ID in LANG ("uk", "ru" or "en"; anything else, or NULL, gives English), its placeholders
 * filled from the NULL-terminated NAME, VALUE pairs that follow.  Returns a g_malloc'ed string. */
char *sg_phrase(const char *lang, sg_phrase_id id, ...);

#endif
