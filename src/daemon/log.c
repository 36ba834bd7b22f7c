/* log.c - one syslog line per event for the daemons, optionally mirrored to stderr. */
#include "log.h"

#include <stdarg.h>
#include <string.h>

/* The names config.c lets log_facility have: it refuses any other at load. */
static int facility_code(const char *name)
{
    static const struct { const char *name; int code; } f[] = {
        { "mail", LOG_MAIL }, { "daemon", LOG_DAEMON }, { "user", LOG_USER }, { "local0", LOG_LOCAL0 },
        { "local1", LOG_LOCAL1 }, { "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 }, { "local4", LOG_LOCAL4 },
        { "local5", LOG_LOCAL5 }, { "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (strcmp(f[i].name, name) == 0)
            return f[i].code;
    return LOG_MAIL;
}

void sg_log_open(const char *ident, const char *facility, int to_stderr)
{
    openlog(ident, LOG_PID | LOG_NDELAY | (to_stderr ? LOG_PERROR : 0), facility_code(facility));
}

void sg_log(int priority, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsyslog(priority, fmt, ap);
    va_end(ap);
}
