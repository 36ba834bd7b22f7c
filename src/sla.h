/* sla.h - SLA clocks that ran out: each breach recorded once, with an event on its ticket. */
#ifndef SG_SLA_H
#define SG_SLA_H

#include <libpq-fe.h>

/* Record every acknowledgement and first-response deadline passed by NOW (a timestamp, or NULL for the
 * clock) without the awaited mail.  Returns the number of new breaches, or -1 with *ERR. */
int sg_sla_record_breaches(PGconn *db, const char *now, char **err);

#endif
