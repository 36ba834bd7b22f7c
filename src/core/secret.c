/* secret.c - finds the passwords in connection strings and URLs without asking libpq or libcurl (this module is
 * part of the pure library); the rules follow libpq's conninfo_parse and conninfo_uri_parse. */
#include "secret.h"

#include <glib.h>
#include <string.h>

static const char *skip_blanks(const char *p)
{
    while (g_ascii_isspace(*p))
        p++;
    return p;
}

/* One value of a keyword=value string, unquoted and unescaped into OUT; NULL at a quote never closed. */
static const char *read_value(const char *p, GString *out)
{
    g_string_truncate(out, 0);
    if (*p != '\'') {
        for (; *p && !g_ascii_isspace(*p); p++) {
            if (*p == '\\' && p[1])
                p++;
            g_string_append_c(out, *p);
        }
        return p;
    }
    for (p++; *p != '\''; p++) {
        if (!*p)
            return NULL;
        if (*p == '\\' && p[1])
            p++;
        g_string_append_c(out, *p);
    }
    return p + 1;
}

static int is_uri(const char *s)
{
    return g_str_has_prefix(s, "postgresql://") || g_str_has_prefix(s, "postgres://");
}

/* libpq expands a dbname that looks like a connection string of its own: its password counts too. */
static int expands(const char *dbname)
{
    return is_uri(dbname) || strchr(dbname, '=') != NULL;
}

static int conninfo_check(const char *s, int depth);

/* The keywords whose values are secrets: the role's password and the one that unlocks the client's TLS key. */
static int secret_name(const char *name)
{
    return !strcmp(name, "password") || !strcmp(name, "sslpassword");
}

/* 1 with a password, 0 without, -1 when the string is malformed. */
static int keyword_check(const char *s, int depth)
{
    GString *name = g_string_new(NULL), *value = g_string_new(NULL);
    int found = 0;
    const char *p = skip_blanks(s);
    while (*p && !found) {
        g_string_truncate(name, 0);
        for (; *p && *p != '=' && !g_ascii_isspace(*p); p++)
            g_string_append_c(name, *p);
        p = skip_blanks(p);
        if (*p != '=' || !(p = read_value(skip_blanks(p + 1), value))) {
            found = -1;
            break;
        }
        if (secret_name(name->str) && value->len)
            found = 1;
        else if (!strcmp(name->str, "dbname") && depth == 0 && expands(value->str))
            found = conninfo_check(value->str, depth + 1);
        p = skip_blanks(p);
    }
    g_string_free(name, TRUE);
    g_string_free(value, TRUE);
    return found;
}

/* A query parameter's name with %XX decoded ("pass%77ord" is "password" to libpq). */
static char *decode_name(const char *s, size_t n)
{
    GString *out = g_string_sized_new(n);
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (s[i] == '%' && i + 2 < n && (hi = g_ascii_xdigit_value(s[i + 1])) >= 0 &&
            (lo = g_ascii_xdigit_value(s[i + 2])) >= 0) {
            g_string_append_c(out, (char)(hi * 16 + lo));
            i += 2;
        } else {
            g_string_append_c(out, s[i]);
        }
    }
    return g_string_free(out, FALSE);
}

static int query_has_password(const char *q)
{
    int found = 0;
    while (q && *q && !found) {
        const char *end = q + strcspn(q, "&"), *eq = memchr(q, '=', (size_t)(end - q));
        if (eq && eq + 1 < end) {
            char *name = decode_name(q, (size_t)(eq - q));
            found = secret_name(name);
            g_free(name);
        }
        q = *end ? end + 1 : NULL;
    }
    return found;
}

/* postgresql://[user[:password]@][netloc][/dbname][?param=value&...]: libpq looks for the @ before the first /. */
static int uri_check(const char *s)
{
    const char *start = strstr(s, "://") + 3, *p = start + strcspn(start, "@/");
    if (*p == '@') {
        const char *colon = memchr(start, ':', (size_t)(p - start));
        if (colon && colon + 1 < p)
            return 1;
    }
    const char *query = strchr(start, '?');
    return query_has_password(query ? query + 1 : NULL);
}

static int conninfo_check(const char *s, int depth)
{
    return is_uri(s) ? uri_check(s) : keyword_check(s, depth);
}

int sg_conninfo_has_password(const char *conninfo)
{
    if (!conninfo)
        return 0;
    int found = conninfo_check(conninfo, 0);
    /* libpq would refuse a malformed string, but only when it connects: until then keep it secret. */
    return found < 0 ? strstr(conninfo, "password") != NULL : found;
}

/* Where URL's user information is: [*USER, *AT) with *AT the '@' before the host; 0 when it has none. */
static int userinfo(const char *url, const char **user, const char **at)
{
    const char *s = strstr(url, "://");
    if (!s)
        return 0;
    s += 3;
    const char *end = s + strcspn(s, "/?#"), *last = NULL;
    for (const char *p = s; p < end; p++)
        if (*p == '@')
            last = p;
    if (!last)
        return 0;
    *user = s;
    *at = last;
    return 1;
}

/* The ':' that starts the password in URL's user information, or NULL when there is no password. */
static const char *password_colon(const char *url, const char **at)
{
    const char *user;
    if (!userinfo(url, &user, at))
        return NULL;
    const char *colon = memchr(user, ':', (size_t)(*at - user));
    return colon && colon + 1 < *at ? colon : NULL;
}

int sg_url_has_password(const char *url)
{
    const char *at;
    return url && password_colon(url, &at) != NULL;
}

char *sg_url_redact(const char *url)
{
    const char *at, *colon = url ? password_colon(url, &at) : NULL;
    if (!colon)
        return g_strdup(url);
    return g_strdup_printf("%.*s:***%s", (int)(colon - url), url, at);
}
