/* duration.c - parsing and formatting of durations and sizes used by the configuration and commands. */
#include "duration.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

static long long unit_seconds(char u)
{
    switch (u) {
    case 's': return 1;
    case 'm': return 60;
    case 'h': return 3600;
    case 'd': return 86400;
    case 'w': return 604800;
    default: return 0;
    }
}

/* Read one run of digits; refuses overflow so a typo cannot wrap into a tiny value. */
static const char *read_number(const char *p, long long *v)
{
    if (!isdigit((unsigned char)*p))
        return NULL;
    long long n = 0;
    for (; isdigit((unsigned char)*p); p++) {
        if (n > (LLONG_MAX - 9) / 10)
            return NULL;
        n = n * 10 + (*p - '0');
    }
    *v = n;
    return p;
}

int sg_duration_parse(const char *s, long long *out)
{
    if (!s || !*s)
        return -1;
    long long total = 0;
    int parts = 0;
    const char *p = s;
    for (; *p; parts++) {
        long long n;
        p = read_number(p, &n);
        if (!p)
            return -1;
        long long unit = 1;
        if (*p) {
            unit = unit_seconds((char)tolower((unsigned char)*p));
            if (!unit)
                return -1;
            p++;
        } else if (parts > 0) {
            return -1; /* "1h30" is ambiguous */
        }
        if (n > (LLONG_MAX - total) / unit)
            return -1;
        total += n * unit;
    }
    *out = total;
    return 0;
}

int sg_size_parse(const char *s, long long *out)
{
    long long n;
    const char *p = s ? read_number(s, &n) : NULL;
    if (!p)
        return -1;
    long long mult = 1;
    switch (toupper((unsigned char)*p)) {
    case '\0': break;
    case 'K': mult = 1024LL; p++; break;
    case 'M': mult = 1024LL * 1024; p++; break;
    case 'G': mult = 1024LL * 1024 * 1024; p++; break;
    default: return -1;
    }
    if (*p == 'B' || *p == 'b')
        p++;
    if (*p || n > LLONG_MAX / mult)
        return -1;
    *out = n * mult;
    return 0;
}

char *sg_duration_format(long long seconds, char *buf, unsigned long len)
{
    static const struct { char u; long long s; } units[] = {
        { 'd', 86400 }, { 'h', 3600 }, { 'm', 60 }, { 's', 1 },
    };
    size_t used = 0;
    buf[0] = '\0';
    if (seconds <= 0) {
        snprintf(buf, len, "0s");
        return buf;
    }
    for (size_t i = 0; i < sizeof units / sizeof units[0] && used < len; i++) {
        long long n = seconds / units[i].s;
        if (n == 0)
            continue;
        seconds -= n * units[i].s;
        int w = snprintf(buf + used, len - used, "%lld%c", n, units[i].u);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return buf;
}

/* Ukrainian genitive after "протягом": singular for 1, 21, 31... (not 11), plural otherwise. */
static const char *uk_unit(long long n, const char *sing, const char *plur)
{
    return (n % 10 == 1 && n % 100 != 11) ? sing : plur;
}

char *sg_duration_words(long long seconds, const char *lang, char *buf, unsigned long len)
{
    int uk = lang && strcmp(lang, "uk") == 0;
    long long n;
    if (seconds >= 86400 && seconds % 86400 == 0) {
        n = seconds / 86400;
        snprintf(buf, len, "%lld %s", n, uk ? uk_unit(n, "доби", "діб") : (n == 1 ? "day" : "days"));
    } else if (seconds >= 3600 && seconds % 3600 == 0) {
        n = seconds / 3600;
        snprintf(buf, len, "%lld %s", n, uk ? uk_unit(n, "години", "годин") : (n == 1 ? "hour" : "hours"));
    } else if (seconds >= 60) {
        n = (seconds + 59) / 60;
        snprintf(buf, len, "%lld %s", n, uk ? uk_unit(n, "хвилини", "хвилин") : (n == 1 ? "minute" : "minutes"));
    } else {
        n = seconds;
        snprintf(buf, len, "%lld %s", n, uk ? uk_unit(n, "секунди", "секунд") : (n == 1 ? "second" : "seconds"));
    }
    return buf;
}
