/* calendar.h - a team's working hours in its own time zone: on shift or not, and deadlines counted in working time. */
#ifndef SG_CALENDAR_H
#define SG_CALENDAR_H

#include "sgtime.h"

typedef struct sg_calendar sg_calendar;

/* Parse "24/7" or "ZONE DAYS HH:MM-HH:MM", e.g. "Europe/Amsterdam Mon-Fri 09:00-18:00" or
 * "Asia/Singapore Mon,Tue,Thu 08:00-17:00".  ZONE is an IANA name.  NULL with *ERR (g_free) when invalid. */
sg_calendar *sg_calendar_parse(const char *spec, char **err);
void sg_calendar_free(sg_calendar *c);

/* Add a public holiday "YYYY-MM-DD" (a local date of the calendar's zone).  -1 when malformed. */
int sg_calendar_add_holiday(sg_calendar *c, const char *date);

/* Spans of time are in seconds.  A calendar that never opens answers SG_TIME_NEVER. */
int sg_calendar_on_shift(const sg_calendar *c, sg_time t);
/* T itself when on shift, else the start of the next shift. */
sg_time sg_calendar_next_start(const sg_calendar *c, sg_time t);
/* The moment WORK seconds of working time have passed since START. */
sg_time sg_calendar_add(const sg_calendar *c, sg_time start, long long work);
/* The end of the first working day after the local day of T ("next business day"); T + 1 day for 24/7. */
sg_time sg_calendar_next_day_end(const sg_calendar *c, sg_time t);
/* The latest moment <= T that ends a reporting period of PERIOD seconds.  With ANCHOR_MIN >= 0 (minutes
 * after local midnight in ZONE, an IANA name) the periods are days ending at that local time, e.g. 08:00
 * Europe/Amsterdam; otherwise they are aligned to the Unix epoch (whole hours for 3600).  0 when ZONE is
 * unknown. */
sg_time sg_period_end(sg_time t, long long period, int anchor_min, const char *zone);

/* Working seconds between A and B (0 when B <= A). */
long long sg_calendar_between(const sg_calendar *c, sg_time a, sg_time b);
/* "24/7" or "Mon-Fri 09:00-18:00 Europe/Amsterdam", as configured. */
const char *sg_calendar_describe(const sg_calendar *c);
int sg_calendar_is_always(const sg_calendar *c);
/* The parts of a calendar that are not 24/7, for wording it in a customer's language: *DAYS a bit set (bit 0 =
 * Monday), *OPEN and *CLOSE minutes after local midnight, and the IANA name of its zone (owned by C). */
const char *sg_calendar_shape(const sg_calendar *c, int *days, int *open, int *close);

#endif
