/* charset.h - any charset to UTF-8: declared labels checked, undeclared ones guessed. */
#ifndef SG_CHARSET_H
#define SG_CHARSET_H

#include <stddef.h>

/* Convert LEN bytes declared as CHARSET (may be NULL or unknown) to newly allocated valid UTF-8
 * (g_free).  When the declared charset is missing, unknown or the bytes do not convert cleanly, the
 * bytes are tried as UTF-8, then guessed between windows-1251 and koi8-u by letter frequency, then
 * latin-1.  Labels known to lie are overruled: valid non-ASCII UTF-8 under an 8-bit label stays UTF-8,
 * Cyrillic labelled latin-1 (or cp1251 labelled koi8, and back) is read as what it is, koi8-r is read
 * as koi8-u.  NUL bytes are dropped.  Never returns NULL. */
char *sg_text_to_utf8(const char *data, size_t len, const char *charset);
/* The same, and *NOTE (g_free; NULL when none) says so when a declared CHARSET could not be used for non-ASCII
 * text (unknown, or the bytes are not in it) and the text was guessed. */
char *sg_text_to_utf8_noted(const char *data, size_t len, const char *charset, char **note);

#endif
