/* mailthread.c - subject tags and Message-ID lists: the pure half of threading a mail to its ticket. */
#include "mailthread.h"

#include <glib.h>
#include <string.h>

/* Ticket numbers stay below 2^53 so they survive JSON and double conversions unchanged. */
#define MAX_TICKET 9007199254740992LL

/* Parse "[PREFIX #N]" (MARK "#") or "[PREFIX INC-N]" (MARK "INC-") at P (P points at '['); returns N or 0. */
static long long tag_at(const char *p, const char *prefix, const char *mark)
{
    size_t plen = strlen(prefix);
    p++;
    while (*p == ' ')
        p++;
    if (g_ascii_strncasecmp(p, prefix, plen) != 0)
        return 0;
    p += plen;
    while (*p == ' ')
        p++;
    if (g_ascii_strncasecmp(p, mark, strlen(mark)) != 0)
        return 0;
    p += strlen(mark);
    while (*p == ' ' && *mark == '#')
        p++;
    if (!g_ascii_isdigit(*p))
        return 0;
    long long n = 0;
    for (; g_ascii_isdigit(*p); p++) {
        n = n * 10 + (*p - '0');
        if (n > MAX_TICKET)
            return 0;
    }
    while (*p == ' ')
        p++;
    return *p == ']' ? n : 0;
}

static long long find_tag(const char *subject, const char *prefix, const char *mark)
{
    if (!subject || !prefix || !*prefix)
        return 0;
    for (const char *p = strchr(subject, '['); p; p = strchr(p + 1, '[')) {
        long long n = tag_at(p, prefix, mark);
        if (n > 0)
            return n;
    }
    return 0;
}

long long sg_thread_tag(const char *subject, const char *prefix) { return find_tag(subject, prefix, "#"); }

long long sg_thread_incident_tag(const char *subject, const char *prefix) { return find_tag(subject, prefix, "INC-"); }

char *sg_thread_incident_tag_make(const char *prefix, long long id)
{
    return g_strdup_printf("[%s INC-%lld]", prefix, id);
}

long long sg_thread_approval_tag(const char *subject, const char *prefix) { return find_tag(subject, prefix, "APR-"); }

char *sg_thread_approval_tag_make(const char *prefix, long long id)
{
    return g_strdup_printf("[%s APR-%lld]", prefix, id);
}

char *sg_thread_tag_make(const char *prefix, long long id)
{
    return g_strdup_printf("[%s #%lld]", prefix, id);
}

char *sg_thread_tag_subject(const char *subject, const char *prefix, long long id)
{
    char *tag = sg_thread_tag_make(prefix, id);
    if (!subject || !*subject)
        return tag;
    if (sg_thread_tag(subject, prefix) == id) {
        g_free(tag);
        return g_strdup(subject);
    }
    char *s = g_strdup_printf("%s %s", tag, subject);
    g_free(tag);
    return s;
}

const char *sg_thread_skip_comment(const char *p)
{
    int depth = 0;
    for (; *p; p++) {
        if (*p == '\\' && p[1])
            p++;
        else if (*p == '(')
            depth++;
        else if (*p == ')' && --depth == 0)
            return p + 1;
    }
    return p;
}

/* Ids end up in PostgreSQL text columns and in our own References headers: printable, valid UTF-8
 * (RFC 6532 allows it), within the line length limit. */
static int usable_id(const char *id)
{
    if (strlen(id) > 900 || !g_utf8_validate(id, -1, NULL))
        return 0;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        if (*p <= ' ' || *p == 0x7f || *p == '<' || *p == '>')
            return 0;
    return 1;
}

char **sg_thread_msgids(const char *header)
{
    GPtrArray *ids = g_ptr_array_new();
    const char *p = header ? header : "";
    while (*p) {
        if (*p == '(') {
            p = sg_thread_skip_comment(p);
            continue;
        }
        if (g_ascii_isspace(*p) || *p == ',') {
            p++;
            continue;
        }
        int bracket = *p == '<';
        const char *start = p + bracket;
        const char *end = start + strcspn(start, bracket ? ">" : " \t\r\n,(<");
        /* Without brackets only something that looks like local@domain counts. */
        if (end > start && (bracket || memchr(start, '@', end - start))) {
            char *id = g_strndup(start, end - start);
            if (usable_id(id))
                g_ptr_array_add(ids, id);
            else
                g_free(id);
        }
        p = *end ? end + 1 : end;
    }
    g_ptr_array_add(ids, NULL);
    return (char **)g_ptr_array_free(ids, FALSE);
}
