/* overload.h - when the first line's backlog makes an overload episode: the thresholds and the decision. */
#ifndef SG_OVERLOAD_H
#define SG_OVERLOAD_H

#include "sgtime.h"

/* The configured thresholds; 0 switches one off, both 0 switch overload detection off. */
typedef struct {
    long long backlog; /* tickets waiting for a first response */
    sg_time wait;      /* the oldest of them has waited this long */
} sg_overload_limits;

typedef enum {
    SG_OVERLOAD_QUIET, /* no episode, none begins */
    SG_OVERLOAD_BEGIN, /* an episode begins: tell the duty manager and the on-shift level-2 teams once */
    SG_OVERLOAD_GOING, /* the open episode goes on */
    SG_OVERLOAD_END    /* the backlog is back under both thresholds: the episode ends */
} sg_overload_step;

/* Whether a backlog of WAITING tickets, the oldest waiting OLDEST seconds, is over L. */
int sg_overload_over(const sg_overload_limits *l, long long waiting, sg_time oldest);

/* What a pass does, given the measure and whether an episode is OPEN. */
sg_overload_step sg_overload_decide(const sg_overload_limits *l, long long waiting, sg_time oldest, int open);

#endif
