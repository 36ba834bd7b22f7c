/* text.h - the text conversions in one include (charset.h, html.h, lang.h), and one-line text. */
#ifndef SG_TEXT_H
#define SG_TEXT_H

#include "charset.h"
#include "html.h"
#include "lang.h"

/* Replace every control character (including CR, LF, TAB) in S by a space, collapse runs of spaces
 * and trim, in place.  Returns S. */
char *sg_text_one_line(char *s);

#endif
