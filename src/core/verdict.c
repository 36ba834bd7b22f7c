/* verdict.c - an approver's answer: "approve" or "deny" as its first word, and the reason that follows. */
#include "verdict.h"

#include <glib.h>
#include <string.h>

#define REASON_MAX 500

static const struct {
    const char *word;
    sg_verdict v;
} words[] = {
    { "approve", SG_VERDICT_APPROVE }, { "approved", SG_VERDICT_APPROVE },
    { "deny", SG_VERDICT_DENY },       { "denied", SG_VERDICT_DENY },
};

const char *sg_verdict_status(sg_verdict v)
{
    return v == SG_VERDICT_APPROVE ? "approved" : v == SG_VERDICT_DENY ? "denied" : "pending";
}

/* Where the answer's own words end: quoted text, an attribution ("On ... wrote:", "... пише:") or a signature. */
static int ends_answer(const char *line)
{
    const char *l = line + strspn(line, " \t");
    if (*l == '>' || !strcmp(line, "-- ") || !strcmp(line, "--"))
        return 1;
    size_t n = strlen(l);
    while (n && (l[n - 1] == ' ' || l[n - 1] == '\r'))
        n--;
    return n > 0 && l[n - 1] == ':' && (g_strstr_len(l, n, "wrote") || g_strstr_len(l, n, "пише") ||
                                        g_strstr_len(l, n, "писал") || g_strstr_len(l, n, "написа"));
}

/* The lines after the first word, up to the end of the answer, joined by spaces. */
static char *reason_of(char **lines, int first, const char *after_word)
{
    GString *s = g_string_new(after_word);
    for (int i = first + 1; lines[i] && !ends_answer(lines[i]); i++)
        g_string_append_printf(s, " %s", lines[i]);
    char *r = g_strstrip(g_string_free(s, FALSE));
    /* "approve: within the policy", "deny - no outage recorded": the separator is not part of the reason. */
    size_t skip = strspn(r, ":;,.-!– ");
    memmove(r, r + skip, strlen(r + skip) + 1);
    g_strstrip(r);
    for (char *p = r; *p; p++)
        if (*p == '\t' || *p == '\r')
            *p = ' ';
    if (strlen(r) > REASON_MAX) {
        const char *end = r + REASON_MAX;
        if (!g_utf8_validate(r, REASON_MAX, &end))
            r[end - r] = '\0';
        else
            r[REASON_MAX] = '\0';
    }
    return r;
}

sg_verdict sg_verdict_read(const char *text, char **reason)
{
    *reason = g_strdup("");
    char **lines = g_strsplit(text ? text : "", "\n", -1);
    int first = 0;
    while (lines[first] && !*g_strstrip(lines[first]))
        first++;
    sg_verdict v = SG_VERDICT_NONE;
    if (lines[first] && !ends_answer(lines[first])) {
        const char *l = lines[first];
        size_t n = 0;
        while (g_ascii_isalpha(l[n]))
            n++;
        char *w = g_ascii_strdown(l, n);
        for (size_t i = 0; i < G_N_ELEMENTS(words) && v == SG_VERDICT_NONE; i++)
            if (!strcmp(w, words[i].word) && !(l[n] & 0x80))
                v = words[i].v;
        g_free(w);
        if (v != SG_VERDICT_NONE) {
            g_free(*reason);
            *reason = reason_of(lines, first, l + n);
        }
    }
    g_strfreev(lines);
    return v;
}
