/* retry.h - how long the scheduler waits before it offers a mail to the relay again. */
#ifndef SG_RETRY_H
#define SG_RETRY_H

/* The wait in seconds after the ATTEMPTS-th failed attempt (1 = the first): MIN, doubled per further attempt,
 * never more than MAX.  No jitter: the relay's answer, not the clock, spreads the rows, and a fixed schedule
 * keeps retry_give_up predictable. */
long long sg_retry_delay(long long min, long long max, int attempts);

#endif
