/* deadline.h - a ticket's update and resolution deadlines, counted in its owning team's working hours. */
#ifndef SG_DEADLINE_H
#define SG_DEADLINE_H

#include "config.h"
#include "domain.h"
#include "sgtime.h"

typedef struct {
    const sg_team *team;   /* owning team (NULL: around the clock) */
    sg_category category;
    sg_status status;
    sg_time created;       /* 0 = none */
    sg_time escalated;     /* when the owning team received it by escalation (its resolution clock starts), else 0 */
    sg_time last_update;   /* our last message to the customer (reply or notice), else 0; the update clock
                            * runs from the latest of it, the escalation and the creation */
    sg_time eta;           /* agreed estimate, else 0 */
    long long paused;      /* working seconds spent pending on the customer since the resolution clock started */
    sg_time resumed;       /* when the ticket last left pending, else 0: the update clock runs from it too */
} sg_deadline_in;

typedef struct {
    sg_time update;        /* 0 = no update clock running */
    sg_time resolution;    /* 0 = none applies */
    sg_time warn_update;   /* when warn_at percent of each span has passed, in the team's working time; */
    sg_time warn_resolution; /* 0 = no warning (warn_at 0, or no deadline) */
    sg_time update_from;   /* where the running update clock starts (0 = none running) */
} sg_deadline_out;

/* Pending-on-customer, resolved and closed tickets run no clocks.  Resolution: simple and standard by
 * their configured targets, complex by the end of the team's next business day, custom by the #eta;
 * counted from the escalation to the owning team when there was one, else from the ticket's creation, and
 * (except the agreed #eta) moved on by the working time spent pending. */
void sg_deadline_compute(const sg_config *c, const sg_deadline_in *in, sg_deadline_out *out);

/* Working seconds from A to B in the team's hours (B - A around the clock; with several sites, the site that
 * worked longest); 0 when B <= A. */
long long sg_deadline_work(const sg_team *t, sg_time a, sg_time b);

/* Pending-on-customer, before the deadlines are computed.  *PENDING_SINCE is when the ticket went pending (0 =
 * not pending).  A ticket now pending starts its pause at NOW; one that has left pending adds the pause's
 * working time (counted from the resolution clock's start at the earliest) to IN->paused and restarts its
 * update clock at NOW (IN->resumed). */
void sg_deadline_pause(sg_deadline_in *in, sg_time now, sg_time *pending_since);

/* What the service measured, for the SLA report: the longest wait for news and the time to resolution, both in
 * the owning team's working seconds with pending time left out. */
typedef struct {
    sg_time update_since;  /* where the update clock ran from at the last change, 0 = none running */
    long long update_longest; /* the longest wait for news that has ended, -1 = none yet */
    long long resolution;  /* from the resolution clock's start to the resolution, -1 = not resolved */
} sg_deadline_times;

/* After a change with deadlines OUT at NOW: a wait for news ends when the update clock restarts or stops; a
 * resolved or closed ticket gets its time to resolution once (RESOLVED_AT, or NOW when 0); a reopened ticket
 * loses it. */
void sg_deadline_measure(const sg_deadline_in *in, const sg_deadline_out *out, sg_time now, sg_time resolved_at,
                         sg_deadline_times *m);

#endif
