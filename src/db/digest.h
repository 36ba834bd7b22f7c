/* digest.h - management digests on a schedule: the period claimed, its figures read, the mail queued. */
#ifndef SG_DIGEST_H
#define SG_DIGEST_H

#include <libpq-fe.h>

#include "config.h"

/* For each configured schedule whose period has ended by NOW (NULL: the clock) and was not reported
 * yet, mail every manager one digest of the breaches before the period's end that no earlier digest of
 * the schedule took (recorded in digest_breaches), so each breach is in exactly one digest of each
 * schedule, however late its pass commits.  The mail reads as digestview.h renders it; with digest_skip_empty
 * an empty period is claimed but not mailed.  Returns the number of digests queued, or -1 with *ERR. */
int sg_digest_run(PGconn *db, const sg_config *c, const char *now, char **err);

#endif
