/* text.h - text conversions: any charset to UTF-8, HTML to readable text, language guess. */
#ifndef SG_TEXT_H
#define SG_TEXT_H

#include <stddef.h>

/* Convert LEN bytes declared as CHARSET (may be NULL or unknown) to newly allocated valid UTF-8
 * (g_free).  When the declared charset is missing, unknown or the bytes do not convert cleanly, the
 * bytes are tried as UTF-8, then guessed between windows-1251 and koi8-u by letter frequency, then
 * latin-1.  Labels known to lie are overruled: valid non-ASCII UTF-8 under an 8-bit label stays UTF-8,
 * Cyrillic labelled latin-1 (or cp1251 labelled koi8, and back) is read as what it is, koi8-r is read
 * as koi8-u.  NUL bytes are dropped.  Never returns NULL. */
char *sg_text_to_utf8(const char *data, size_t len, const char *charset);

/* Readable plain text (g_free) from UTF-8 HTML: tags removed, script/style dropped, block elements and
 * <br> become line breaks, entities decoded, runs of blank lines collapsed. */
char *sg_text_from_html(const char *html);

/* "en" unless at least a third of the letters in S are Cyrillic; then "ru" or "uk" by the letters only
 * one of them has (ы э ъ ё against і ї є ґ), by a few frequent words when there are none, else "uk". */
const char *sg_text_lang(const char *s);

/* Replace every control character (including CR, LF, TAB) in S by a space, collapse runs of spaces
 * and trim, in place.  Returns S. */
char *sg_text_one_line(char *s);

#endif
