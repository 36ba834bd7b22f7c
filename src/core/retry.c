/* retry.c - the relay's exponential backoff, pure so its schedule can be tested without a relay. */
#include "retry.h"

long long sg_retry_delay(long long min, long long max, int attempts)
{
    long long d = min > 0 ? min : 1;
    /* Stop doubling at MAX: a mail that failed thousands of times must not overflow the wait. */
    for (int i = 1; i < attempts && d < max; i++)
        d *= 2;
    return d < max ? d : max;
}
