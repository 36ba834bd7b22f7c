/* overload.c - when the first line's backlog makes an overload episode: the thresholds and the decision. */
#include "overload.h"

int sg_overload_over(const sg_overload_limits *l, long long waiting, sg_time oldest)
{
    if (waiting <= 0)
        return 0;
    return (l->backlog > 0 && waiting >= l->backlog) || (l->wait > 0 && oldest >= l->wait);
}

sg_overload_step sg_overload_decide(const sg_overload_limits *l, long long waiting, sg_time oldest, int open)
{
    /* Switched off while an episode is open (a reload): the episode ends rather than staying open for ever. */
    int over = sg_overload_over(l, waiting, oldest);
    if (open)
        return over ? SG_OVERLOAD_GOING : SG_OVERLOAD_END;
    return over ? SG_OVERLOAD_BEGIN : SG_OVERLOAD_QUIET;
}
