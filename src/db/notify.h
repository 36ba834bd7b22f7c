/* notify.h - telling people about deadlines: warnings before them, breaches after, and the policy's escalations. */
#ifndef SG_NOTIFY_H
#define SG_NOTIFY_H

#include <libpq-fe.h>

#include "config.h"

/* Queue notices for up to a batch of breaches nobody has been told about yet, each exactly once even
 * with several schedulers (rows taken with SKIP LOCKED, marked in the same transaction): to the team's leads
 * on their shift and to every manager at once, and run the policy's escalation lines.  NOW is the pass's time
 * (NULL: the clock).  Returns the number of breaches handled, or -1 with *ERR. */
int sg_notify_breaches(PGconn *db, const sg_config *c, const char *now, char **err);

/* The same for warnings before a deadline: to the assignee, else the team mailbox, on the team's shift.
 * Either way a first-response or acknowledgement notice for a team off shift also reaches the first line at
 * once (sg_config_stand_in). */
int sg_notify_warnings(PGconn *db, const sg_config *c, const char *now, char **err);

#endif
