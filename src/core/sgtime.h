/* sgtime.h - the one type for a moment in time: Unix seconds, as the calendars, the deadlines and the database count it. */
#ifndef SG_SGTIME_H
#define SG_SGTIME_H

#include <limits.h>
#include <time.h>

/* A moment as seconds since the Unix epoch (UTC).  Where a field or parameter says so, 0 means none (no
 * such moment): a NULL timestamp in the database.  Spans of time are plain long long seconds. */
typedef long long sg_time;

/* Later than any moment: what a calendar that never opens answers. */
#define SG_TIME_NEVER LLONG_MAX

#ifdef SG_TEST_CLOCK
/* The moment SUPPORTGATE_TEST_CLOCK's file holds, 0 when it holds none (testclock.c, --enable-test-clock only). */
sg_time sg_test_clock(void);
#else
static inline sg_time sg_test_clock(void)
{
    return 0;
}
#endif

/* The wall clock, for code that is not handed the time of a pass; in a test-clock build, the simulated one. */
static inline sg_time sg_time_now(void)
{
    sg_time t = sg_test_clock();
    return t ? t : (sg_time)time(NULL);
}

#endif
