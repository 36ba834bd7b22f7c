/* mailthread.h - subject tags and Message-ID lists: the pure half of threading a mail to its ticket. */
#ifndef SG_MAILTHREAD_H
#define SG_MAILTHREAD_H

#include <stddef.h>

/* The ticket number in a subject tag "[PREFIX #N]" (PREFIX case-insensitive, spaces inside the brackets
 * tolerated), the first such tag wins; 0 when there is none or N does not fit in 1..2^53. */
long long sg_thread_tag(const char *subject, const char *prefix);
/* The incident an "[PREFIX INC-N]" tag in SUBJECT names (the first such tag), or 0; and the tag itself (g_free). */
long long sg_thread_incident_tag(const char *subject, const char *prefix);
char *sg_thread_incident_tag_make(const char *prefix, long long id);
/* The approval an "[PREFIX APR-N]" tag in SUBJECT names, or 0; and the tag itself (g_free). */
long long sg_thread_approval_tag(const char *subject, const char *prefix);
char *sg_thread_approval_tag_make(const char *prefix, long long id);

/* The tag "[PREFIX #N]" (g_free). */
char *sg_thread_tag_make(const char *prefix, long long id);

/* SUBJECT with "[PREFIX #ID]" prepended unless it already carries that exact tag (g_free).
 * An empty subject gives just the tag. */
char *sg_thread_tag_subject(const char *subject, const char *prefix, long long id);

/* Parse a Message-ID / In-Reply-To / References header value into ids without angle brackets
 * (a NULL-terminated g_strv, g_strfreev).  Tolerates comments, missing brackets and folding. */
char **sg_thread_msgids(const char *header);

/* Skip the RFC 5322 comment "(...)" starting at P (nested, with quoted pairs); returns the character
 * after it, or the end of the string when it is unterminated. */
const char *sg_thread_skip_comment(const char *p);

#endif
