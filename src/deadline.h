/* deadline.h - a ticket's update and resolution deadlines, counted in its owning team's working hours. */
#ifndef SG_DEADLINE_H
#define SG_DEADLINE_H

#include <stdint.h>

#include "config.h"

typedef struct {
    const sg_team *team;   /* owning team (NULL: around the clock) */
    const char *category;  /* simple, standard, complex, custom */
    const char *status;    /* new, open, pending, resolved, closed */
    int64_t created;       /* Unix times; 0 = none */
    int64_t escalated;     /* when the owning team received it by escalation (its resolution clock starts), else 0 */
    int64_t last_update;   /* our last message to the customer (reply or notice), else 0; the update clock
                            * runs from the latest of it, the escalation and the creation */
    int64_t eta;           /* agreed estimate, else 0 */
} sg_deadline_in;

typedef struct {
    int64_t update;        /* 0 = no update clock running */
    int64_t resolution;    /* 0 = none applies */
    int64_t warn_update;   /* when warn_at percent of each span has passed, in the team's working time; */
    int64_t warn_resolution; /* 0 = no warning (warn_at 0, or no deadline) */
} sg_deadline_out;

/* Pending-on-customer, resolved and closed tickets run no clocks.  Resolution: simple and standard by
 * their configured targets, complex by the end of the team's next business day, custom by the #eta;
 * counted from the escalation to the owning team when there was one, else from the ticket's creation. */
void sg_deadline_compute(const sg_config *c, const sg_deadline_in *in, sg_deadline_out *out);

#endif
