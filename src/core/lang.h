/* lang.h - the language of a customer's text: English, Ukrainian or Russian. */
#ifndef SG_LANG_H
#define SG_LANG_H

#include <stdint.h>

/* "en" unless at least a third of the letters in S are Cyrillic; then "ru" or "uk" by the letters only
 * one of them has (ы э ъ ё against і ї є ґ), by a few frequent words when there are none, else "uk". */
const char *sg_text_lang(const char *s);

/* Whether the code point C is in the Cyrillic blocks (U+0400 to U+052F). */
int sg_text_is_cyrillic(uint32_t c);

#endif
