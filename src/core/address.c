/* address.c - mail addresses (addr-specs): angle brackets, case, validity, the local and the domain part. */
#include "address.h"

#include <glib.h>
#include <string.h>

char *sg_address_bare(const char *addr)
{
    char *s = g_strstrip(g_strdup(addr ? addr : ""));
    size_t n = strlen(s);
    if (n >= 2 && s[0] == '<' && s[n - 1] == '>') {
        memmove(s, s + 1, n - 2);
        s[n - 2] = '\0';
    }
    return s;
}

char *sg_address_lower(const char *addr)
{
    return g_ascii_strdown(addr ? addr : "", -1);
}

int sg_address_same(const char *a, const char *b)
{
    return a && b && *a && g_ascii_strcasecmp(a, b) == 0;
}

int sg_address_valid(const char *s)
{
    const char *at = s ? strchr(s, '@') : NULL;
    return at && at != s && at[1] && !strchr(at + 1, '@') && !strpbrk(s, " \t<>,;\"\\");
}

const char *sg_address_domain(const char *address)
{
    const char *at = strrchr(address, '@');
    return at ? at + 1 : address;
}

char *sg_address_local(const char *addr)
{
    const char *a = addr ? addr : "";
    const char *at = strrchr(a, '@');
    return g_ascii_strdown(a, at ? at - a : -1);
}
