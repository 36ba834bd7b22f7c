/* text.c - one-line text: control characters and runs of blanks folded into single spaces. */
#include "text.h"

#include <stddef.h>

/* Bytes of the control character at P (C0, DEL, C1 and the Unicode line/paragraph separators, which
 * some clients treat as line breaks); 0 for anything else. */
static size_t control_len(const unsigned char *p)
{
    if (p[0] < 0x20 || p[0] == 0x7F)
        return 1;
    if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
        return 2;
    if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9))
        return 3;
    return 0;
}

char *sg_text_one_line(char *s)
{
    if (!s)
        return s;
    char *w = s;
    int space = 0;
    for (char *p = s; *p;) {
        size_t n = control_len((const unsigned char *)p);
        if (n || *p == ' ') {
            space = 1;
            p += n ? n : 1;
            continue;
        }
        if (space && w != s)
            *w++ = ' ';
        space = 0;
        *w++ = *p++;
    }
    *w = '\0';
    return s;
}
