/* log.h - one syslog line per event for the daemons, optionally mirrored to stderr. */
#ifndef SG_LOG_H
#define SG_LOG_H

#include <syslog.h>

/* Open the log as IDENT with FACILITY ("mail", "daemon", "local0".."local7"); TO_STDERR mirrors lines. */
void sg_log_open(const char *ident, const char *facility, int to_stderr);

/* Lines start with the queue id and ticket id where there are ones ("4XyZ12: ticket 42: ..."). */
void sg_log(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
