/* tnef.c - the files inside an Outlook TNEF stream (winmail.dat), read with libytnef. */
#include "tnef.h"

#include <glib.h>
#include <stdio.h> /* ytnef.h uses FILE without including it */
#include <string.h>
#include <ytnef.h>

/* libytnef answers a missing property with this sentinel, not NULL. */
#define NOT_FOUND(v) ((v) == NULL || (v) == MAPI_UNDEFINED)

static const variableLength *mapi(Attachment *a, unsigned type, unsigned id)
{
    variableLength *v = MAPIFindProperty(&a->MAPI, PROP_TAG(type, id));
    return NOT_FOUND(v) || v->size <= 0 ? NULL : v;
}

/* Text that is UTF-8 already: valid, and without the control bytes UTF-16 of any script is full of. */
static int plain_utf8(const char *s, size_t n)
{
    if (!g_utf8_validate(s, (gssize)n, NULL))
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20)
            return 0;
    return 1;
}

/* A Unicode property as UTF-8: libytnef converts PT_UNICODE values to UTF-8 itself (recent releases) or hands over
 * the UTF-16LE of the stream (older ones); either is read.  The terminating NUL(s) are not part of the name. */
static char *unicode_value(const variableLength *v)
{
    size_t n = (size_t)v->size;
    const char *s = (const char *)v->data;
    size_t text = strnlen(s, n);
    if (text > 0 && plain_utf8(s, text))
        return g_strndup(s, text);
    while (n >= 2 && s[n - 1] == 0 && s[n - 2] == 0)
        n -= 2;
    return g_convert(s, (gssize)(n & ~(size_t)1), "UTF-8", "UTF-16LE", NULL, NULL, NULL);
}

/* The long name (Unicode or 8-bit), else the 8.3 title.  Outlook's 8-bit names are in the sender's code page,
 * which the stream does not reliably say: bytes that are not UTF-8 are read as Windows-1252, the common case. */
static char *file_name(Attachment *a)
{
    const variableLength *v = mapi(a, PT_UNICODE, PR_ATTACH_LONG_FILENAME);
    char *u = v ? unicode_value(v) : NULL;
    if (u && *u)
        return g_strstrip(u);
    g_free(u);
    v = mapi(a, PT_STRING8, PR_ATTACH_LONG_FILENAME);
    if (!v && a->Title.size > 0)
        v = &a->Title;
    if (!v)
        return g_strdup("");
    char *raw = g_strndup((const char *)v->data, (gsize)v->size);
    u = g_utf8_validate(raw, -1, NULL) ? g_strdup(raw) : g_convert(raw, -1, "UTF-8", "WINDOWS-1252", NULL, NULL, NULL);
    g_free(raw);
    return g_strstrip(u ? u : g_strdup(""));
}

static char *mime_tag(Attachment *a)
{
    const variableLength *v = mapi(a, PT_STRING8, PR_ATTACH_MIME_TAG);
    char *t = v ? g_strstrip(g_ascii_strdown((const char *)v->data, strnlen((const char *)v->data, v->size))) : NULL;
    if (t && strchr(t, '/') && !strpbrk(t, " \t\r\n;") && g_utf8_validate(t, -1, NULL))
        return t;
    g_free(t);
    return g_strdup("application/octet-stream");
}

/* The file's bytes: the attachment data attribute, else the MAPI data object. */
static const variableLength *file_data(Attachment *a)
{
    if (a->FileData.size > 0 && a->FileData.data)
        return &a->FileData;
    return mapi(a, PT_BINARY, PR_ATTACH_DATA_OBJ);
}

size_t sg_tnef_unpack(const void *data, size_t len, void (*found)(void *ctx, sg_tnef_file *f), void *ctx)
{
    if (!data || len < 6 || len > G_MAXINT)
        return 0;
    TNEFStruct t;
    TNEFInitialize(&t);
    t.Debug = 0;
    size_t n = 0;
    /* libytnef reads its input through a non-const pointer without writing it: hand it a private copy anyway. */
    unsigned char *copy = g_memdup2(data, len);
    if (TNEFParseMemory(copy, (long)len, &t) == 0) {
        for (Attachment *a = t.starting_attach.next; a; a = a->next) {
            const variableLength *v = file_data(a);
            if (!v)
                continue;
            sg_tnef_file f = { file_name(a), mime_tag(a), g_memdup2(v->data, v->size), (size_t)v->size };
            found(ctx, &f);
            n++;
        }
    }
    TNEFFree(&t);
    g_free(copy);
    return n;
}
