/* daemon.h - what the milter and the scheduler share at start and on reload: the configuration, the log, alike. */
#ifndef SG_DAEMON_H
#define SG_DAEMON_H

#include "config.h"

/* The configuration at PATH, with the log opened as PROG in its facility (TO_STDERR mirrors lines).  On an
 * error it says why on stderr, prefixed with PROG, and returns NULL: the caller exits with EX_CONFIG. */
sg_config *sg_daemon_start(const char *prog, const char *path, int to_stderr);

/* CUR's file read again.  The new snapshot, logged with the keys that only a restart applies; or NULL, logged as
 * refused, when the file does not load: the daemon keeps CUR.  CUR is left to the caller. */
sg_config *sg_daemon_reload(const sg_config *cur);

#endif
