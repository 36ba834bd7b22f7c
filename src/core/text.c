/* text.c - one-line text: control characters and runs of blanks folded into single spaces. */
#include "text.h"

#include <glib.h>
#include <stddef.h>
#include <string.h>

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

/* Levenshtein distance by one rolling row: keys are short, so the quadratic cost does not matter.  PREFIX: the
 * distance from A to the nearest beginning of B instead, which the last row holds. */
static size_t distance(const char *a, const char *b, int prefix)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t *row = g_new(size_t, lb + 1);
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j], best = MIN(row[j - 1], up) + 1;
            row[j] = MIN(best, diag + (a[i - 1] != b[j - 1]));
            diag = up;
        }
    }
    size_t d = row[lb];
    for (size_t j = 0; prefix && j < lb; j++)
        d = MIN(d, row[j]);
    g_free(row);
    return d;
}

size_t sg_text_distance(const char *a, const char *b)
{
    return distance(a, b, 0);
}

const char *sg_text_nearest(const char *word, const char *const *names, size_t n)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1, limit = MAX((size_t)1, strlen(word) / 3);
    for (size_t i = 0; i < n; i++) {
        /* A word of four letters or more may also be the mistyped start of a long name ("ack_limt"). */
        size_t d = distance(word, names[i], strlen(word) >= 4);
        if (d < best_d)
            best = names[i], best_d = d;
    }
    return best_d <= limit ? best : NULL;
}
