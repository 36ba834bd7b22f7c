/* duration.c - parsing and formatting of durations and sizes used by the configuration and commands. */
#include "duration.h"

#include <ctype.h>
#include <glib.h>
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

char *sg_size_format(long long bytes, char *buf, unsigned long len)
{
    static const char *const units[] = { "KB", "MB", "GB" };
    if (bytes < 1024) {
        snprintf(buf, len, "%lld bytes", bytes);
        return buf;
    }
    double v = (double)bytes / 1024;
    size_t u = 0;
    for (; v >= 1024 && u + 1 < sizeof units / sizeof units[0]; u++)
        v /= 1024;
    /* One decimal where it tells something ("12.3 MB"), none where it would be noise ("340 KB"). */
    snprintf(buf, len, v < 100 && v != (double)(long long)v ? "%.1f %s" : "%.0f %s", v, units[u]);
    return buf;
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

/* Unit words by language: singular and plural, or for Ukrainian and Russian the genitive singular and
 * plural they need after "протягом" / "в течение". */
static const struct {
    const char *lang;
    int slavic;
    const char *unit[4][2]; /* days, hours, minutes, seconds */
} unit_words[] = {
    { "en", 0, { { "day", "days" }, { "hour", "hours" }, { "minute", "minutes" }, { "second", "seconds" } } },
    { "uk", 1, { { "доби", "діб" }, { "години", "годин" }, { "хвилини", "хвилин" }, { "секунди", "секунд" } } },
    { "ru", 1, { { "суток", "суток" }, { "часа", "часов" }, { "минуты", "минут" }, { "секунды", "секунд" } } },
};

char *sg_duration_words(long long seconds, const char *lang, char *buf, unsigned long len)
{
    size_t row = 0;
    for (size_t i = 0; lang && i < G_N_ELEMENTS(unit_words); i++)
        if (strcmp(unit_words[i].lang, lang) == 0)
            row = i;
    int u;
    long long n;
    if (seconds >= 86400 && seconds % 86400 == 0)
        u = 0, n = seconds / 86400;
    else if (seconds >= 3600 && seconds % 3600 == 0)
        u = 1, n = seconds / 3600;
    else if (seconds >= 60)
        u = 2, n = (seconds + 59) / 60;
    else
        u = 3, n = seconds;
    /* Slavic genitive: singular for 1, 21, 31... (not 11); English: singular for 1 only. */
    int one = unit_words[row].slavic ? n % 10 == 1 && n % 100 != 11 : n == 1;
    snprintf(buf, len, "%lld %s", n, unit_words[row].unit[u][one ? 0 : 1]);
    return buf;
}

/* Whole minutes, rounded down: an operator reads "2 h 27 min" faster than 8820 seconds, and hours do not roll into
 * days so lateness in working time compares at a glance. */
char *sg_duration_hm(long long seconds, char *buf, unsigned long len)
{
    return sg_duration_hm_lang(seconds, "en", buf, len);
}

char *sg_duration_hm_lang(long long seconds, const char *lang, char *buf, unsigned long len)
{
    /* Abbreviations need no plural forms: "2 год 27 хв" reads right after any number. */
    const char *h = "h", *min = "min";
    if (lang && strcmp(lang, "uk") == 0)
        h = "год", min = "хв";
    else if (lang && strcmp(lang, "ru") == 0)
        h = "ч", min = "мин";
    const char *sign = seconds < 0 ? "-" : "";
    long long m = (seconds < 0 ? -seconds : seconds) / 60;
    if (m < 60)
        snprintf(buf, len, "%s%lld %s", sign, m, min);
    else if (m % 60 == 0)
        snprintf(buf, len, "%s%lld %s", sign, m / 60, h);
    else
        snprintf(buf, len, "%s%lld %s %lld %s", sign, m / 60, h, m % 60, min);
    return buf;
}
