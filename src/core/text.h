/* text.h - the text conversions in one include (charset.h, html.h, lang.h), and one-line text. */
#ifndef SG_TEXT_H
#define SG_TEXT_H

#include <stddef.h>

#include "charset.h"
#include "html.h"
#include "lang.h"

/* Replace every control character (including CR, LF, TAB) in S by a space, collapse runs of spaces
 * and trim, in place.  Returns S. */
char *sg_text_one_line(char *s);

/* The edit distance (insertions, deletions, substitutions) between A and B. */
size_t sg_text_distance(const char *a, const char *b);

/* The one of the N NAMES nearest WORD, or whose beginning is (for a word of four letters or more), when close enough to be a slip of the keyboard (a third of WORD's length
 * at most, at least 1); else NULL.  For "did you mean" hints. */
const char *sg_text_nearest(const char *word, const char *const *names, size_t n);

#endif
