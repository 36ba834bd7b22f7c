/* html.h - HTML to readable text. */
#ifndef SG_HTML_H
#define SG_HTML_H

/* Readable plain text (g_free) from UTF-8 HTML: tags removed, script/style dropped, block elements and
 * <br> become line breaks, entities decoded, runs of blank lines collapsed. */
char *sg_text_from_html(const char *html);

#endif
