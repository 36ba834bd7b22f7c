/* calendar.h - a team's working hours in its own time zone: on shift or not, and deadlines counted in working time. */
#ifndef SG_CALENDAR_H
#define SG_CALENDAR_H

#include <stdint.h>

typedef struct sg_calendar sg_calendar;

/* Parse "24/7" or "ZONE DAYS HH:MM-HH:MM", e.g. "Europe/Amsterdam Mon-Fri 09:00-18:00" or
 * "Asia/Singapore Mon,Tue,Thu 08:00-17:00".  ZONE is an IANA name.  NULL with *ERR (g_free) when invalid. */
sg_calendar *sg_calendar_parse(const char *spec, char **err);
void sg_calendar_free(sg_calendar *c);

/* Add a public holiday "YYYY-MM-DD" (a local date of the calendar's zone).  -1 when malformed. */
int sg_calendar_add_holiday(sg_calendar *c, const char *date);

/* Times are Unix seconds. */
int sg_calendar_on_shift(const sg_calendar *c, int64_t t);
/* T itself when on shift, else the start of the next shift. */
int64_t sg_calendar_next_start(const sg_calendar *c, int64_t t);
/* The moment WORK seconds of working time have passed since START. */
int64_t sg_calendar_add(const sg_calendar *c, int64_t start, int64_t work);
/* The end of the first working day after the local day of T ("next business day"); T + 1 day for 24/7. */
int64_t sg_calendar_next_day_end(const sg_calendar *c, int64_t t);
/* The latest moment <= T that ends a reporting period of PERIOD seconds.  With ANCHOR_MIN >= 0 (minutes
 * after local midnight in ZONE, an IANA name) the periods are days ending at that local time, e.g. 08:00
 * Europe/Amsterdam; otherwise they are aligned to the Unix epoch (whole hours for 3600).  0 when ZONE is
 * unknown. */
int64_t sg_period_end(int64_t t, int64_t period, int anchor_min, const char *zone);

/* Working seconds between A and B (0 when B <= A). */
int64_t sg_calendar_between(const sg_calendar *c, int64_t a, int64_t b);
/* "24/7" or "Mon-Fri 09:00-18:00 Europe/Amsterdam", as configured. */
const char *sg_calendar_describe(const sg_calendar *c);
int sg_calendar_is_always(const sg_calendar *c);

#endif
