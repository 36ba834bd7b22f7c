/* calendar.c - a team's working hours in its own time zone: on shift or not, and deadlines counted in working time. */
#include "calendar.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

/* A year of days without a single working hour means a calendar that never opens: stop there. */
#define MAX_DAYS 3660

struct sg_calendar {
    int always;
    GTimeZone *tz;
    int days;            /* bit 0 = Monday ... bit 6 = Sunday */
    int open, close;     /* minutes after local midnight */
    GHashTable *holidays; /* "YYYY-MM-DD" */
    char *desc;
};

static const char *const day_names[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

static int day_index(const char *s)
{
    for (int i = 0; i < 7; i++)
        if (g_ascii_strncasecmp(s, day_names[i], 3) == 0 && strlen(s) == 3)
            return i;
    return -1;
}

/* "Mon-Fri", "Sat,Sun", "Mon-Wed,Fri" -> bit set; 0 when malformed. */
static int parse_days(const char *spec)
{
    int bits = 0;
    char **parts = g_strsplit(spec, ",", -1);
    for (char **p = parts; *p; p++) {
        char **range = g_strsplit(*p, "-", 2);
        int a = day_index(range[0]), b = range[1] ? day_index(range[1]) : a;
        g_strfreev(range);
        if (a < 0 || b < 0) {
            bits = 0;
            break;
        }
        for (int d = a;; d = (d + 1) % 7) {
            bits |= 1 << d;
            if (d == b)
                break;
        }
    }
    g_strfreev(parts);
    return bits;
}

static int parse_hhmm(const char *s, int *minutes)
{
    int h, m;
    char extra;
    if (sscanf(s, "%d:%d%c", &h, &m, &extra) != 2 || h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m))
        return -1;
    *minutes = h * 60 + m;
    return 0;
}

static GTimeZone *zone_ok(const char *name)
{
    GTimeZone *tz = g_time_zone_new_identifier(name);
    /* GLib falls back silently for unknown names in older versions; insist on a real zone. */
    if (tz && strcmp(g_time_zone_get_identifier(tz), name) != 0) {
        g_time_zone_unref(tz);
        tz = NULL;
    }
    return tz;
}

sg_calendar *sg_calendar_parse(const char *spec, char **err)
{
    sg_calendar *c = g_new0(sg_calendar, 1);
    c->holidays = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    c->desc = g_strstrip(g_strdup(spec));
    if (strcmp(c->desc, "24/7") == 0) {
        c->always = 1;
        return c;
    }
    char **f = g_strsplit_set(c->desc, " \t", -1);
    GPtrArray *w = g_ptr_array_new();
    for (char **p = f; *p; p++)
        if (**p)
            g_ptr_array_add(w, *p);
    char **hours = w->len == 3 ? g_strsplit(w->pdata[2], "-", 2) : NULL;
    const char *problem = NULL;
    if (w->len != 3 || !hours[1])
        problem = "expects \"24/7\" or \"ZONE DAYS HH:MM-HH:MM\" (e.g. Europe/Amsterdam Mon-Fri 09:00-18:00)";
    else if (!(c->tz = zone_ok(w->pdata[0])))
        problem = "unknown time zone";
    else if (!(c->days = parse_days(w->pdata[1])))
        problem = "days must be like Mon-Fri or Mon,Wed,Fri";
    else if (parse_hhmm(hours[0], &c->open) < 0 || parse_hhmm(hours[1], &c->close) < 0 || c->open >= c->close)
        problem = "hours must be HH:MM-HH:MM with the start before the end";
    if (!problem) {
        g_free(c->desc);
        c->desc = g_strdup_printf("%s %s %s", (char *)w->pdata[1], (char *)w->pdata[2], (char *)w->pdata[0]);
    }
    g_strfreev(hours);
    g_ptr_array_free(w, TRUE);
    g_strfreev(f);
    if (problem) {
        *err = g_strdup_printf("%s: \"%s\"", problem, spec);
        sg_calendar_free(c);
        return NULL;
    }
    return c;
}

void sg_calendar_free(sg_calendar *c)
{
    if (!c)
        return;
    if (c->tz)
        g_time_zone_unref(c->tz);
    g_hash_table_destroy(c->holidays);
    g_free(c->desc);
    g_free(c);
}

int sg_calendar_add_holiday(sg_calendar *c, const char *date)
{
    int y, m, d;
    char extra;
    if (sscanf(date, "%d-%d-%d%c", &y, &m, &d, &extra) != 3 || !g_date_valid_dmy(d, m, y))
        return -1;
    g_hash_table_add(c->holidays, g_strdup_printf("%04d-%02d-%02d", y, m, d));
    return 0;
}

const char *sg_calendar_describe(const sg_calendar *c) { return c->desc; }
int sg_calendar_is_always(const sg_calendar *c) { return c->always; }

const char *sg_calendar_shape(const sg_calendar *c, int *days, int *open, int *close)
{
    *days = c->always ? 0x7f : c->days;
    *open = c->always ? 0 : c->open;
    *close = c->always ? 1440 : c->close;
    return c->tz ? g_time_zone_get_identifier(c->tz) : "UTC";
}

/* The shift of the local day containing T (shifted by OFFSET days): [*open, *close) in Unix time, or
 * 0 when that day has no shift.  GDateTime resolves DST: 09:00 is 09:00 local on either side. */
static int shift_of_day(const sg_calendar *c, sg_time t, int offset, sg_time *open, sg_time *close)
{
    GDateTime *base = g_date_time_new_from_unix_utc(t);
    GDateTime *local = g_date_time_to_timezone(base, c->tz);
    GDateTime *day = g_date_time_add_days(local, offset);
    int y, m, d;
    g_date_time_get_ymd(day, &y, &m, &d);
    int wd = g_date_time_get_day_of_week(day) - 1; /* 0 = Monday */
    char key[16];
    g_snprintf(key, sizeof key, "%04d-%02d-%02d", y, m, d);
    int works = (c->days & (1 << wd)) && !g_hash_table_contains(c->holidays, key);
    if (works) {
        GDateTime *o = g_date_time_new(c->tz, y, m, d, c->open / 60, c->open % 60, 0);
        GDateTime *e = c->close == 1440 ? g_date_time_new(c->tz, y, m, d, 23, 59, 59)
                                        : g_date_time_new(c->tz, y, m, d, c->close / 60, c->close % 60, 0);
        *open = g_date_time_to_unix(o);
        *close = g_date_time_to_unix(e) + (c->close == 1440 ? 1 : 0);
        g_date_time_unref(o);
        g_date_time_unref(e);
    }
    g_date_time_unref(day);
    g_date_time_unref(local);
    g_date_time_unref(base);
    return works;
}

int sg_calendar_on_shift(const sg_calendar *c, sg_time t)
{
    sg_time o, e;
    return c->always || (shift_of_day(c, t, 0, &o, &e) && t >= o && t < e);
}

sg_time sg_calendar_next_start(const sg_calendar *c, sg_time t)
{
    if (c->always)
        return t;
    for (int i = 0; i < MAX_DAYS; i++) {
        sg_time o, e;
        if (shift_of_day(c, t, i, &o, &e) && t < e)
            return t > o ? t : o;
    }
    return SG_TIME_NEVER;
}

sg_time sg_calendar_add(const sg_calendar *c, sg_time start, long long work)
{
    if (c->always)
        return start + work;
    sg_time t = start;
    for (int i = 0; i < MAX_DAYS; i++) {
        sg_time o, e;
        if (!shift_of_day(c, start, i, &o, &e) || t >= e)
            continue;
        if (t < o)
            t = o;
        if (t + work <= e)
            return t + work;
        work -= e - t;
        t = e;
    }
    return SG_TIME_NEVER;
}

long long sg_calendar_between(const sg_calendar *c, sg_time a, sg_time b)
{
    if (b <= a)
        return 0;
    if (c->always)
        return b - a;
    long long sum = 0;
    for (int i = 0; i < MAX_DAYS; i++) {
        sg_time o, e;
        if (!shift_of_day(c, a, i, &o, &e))
            continue;
        if (o >= b)
            break;
        sg_time from = MAX(o, a), to = MIN(e, b);
        if (to > from)
            sum += to - from;
    }
    return sum;
}

sg_time sg_calendar_next_day_end(const sg_calendar *c, sg_time t)
{
    if (c->always)
        return t + 86400;
    for (int i = 1; i < MAX_DAYS; i++) {
        sg_time o, e;
        if (shift_of_day(c, t, i, &o, &e))
            return e;
    }
    return SG_TIME_NEVER;
}

sg_time sg_period_end(sg_time t, long long period, int anchor_min, const char *zone)
{
    if (anchor_min < 0 || !zone)
        return period > 0 ? t - ((t % period) + period) % period : t;
    GTimeZone *tz = zone_ok(zone);
    if (!tz)
        return 0;
    GDateTime *utc = g_date_time_new_from_unix_utc(t), *local = g_date_time_to_timezone(utc, tz);
    int y, m, d;
    g_date_time_get_ymd(local, &y, &m, &d);
    GDateTime *at = g_date_time_new(tz, y, m, d, anchor_min / 60, anchor_min % 60, 0);
    sg_time end = g_date_time_to_unix(at);
    if (end > t) {
        /* Today's report time is still ahead: the period ended at yesterday's. */
        GDateTime *prev = g_date_time_add_days(local, -1);
        g_date_time_get_ymd(prev, &y, &m, &d);
        GDateTime *yat = g_date_time_new(tz, y, m, d, anchor_min / 60, anchor_min % 60, 0);
        end = g_date_time_to_unix(yat);
        g_date_time_unref(yat);
        g_date_time_unref(prev);
    }
    g_date_time_unref(at);
    g_date_time_unref(local);
    g_date_time_unref(utc);
    g_time_zone_unref(tz);
    return end;
}
