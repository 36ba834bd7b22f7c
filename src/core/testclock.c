/* testclock.c - the sandbox's simulated clock: the moment named in SUPPORTGATE_TEST_CLOCK's file (--enable-test-clock). */
#include "sgtime.h"

#include <glib.h>
#include <stdlib.h>

/* The file is read at every call, so an e2e test moves time by rewriting it between two mails.  It holds Unix
 * seconds; a missing, empty or unreadable file is the real clock.  Only built with --enable-test-clock: a release
 * never lets its environment move time. */
sg_time sg_test_clock(void)
{
    const char *path = getenv("SUPPORTGATE_TEST_CLOCK");
    char *text = NULL;
    if (!path || !*path || !g_file_get_contents(path, &text, NULL, NULL))
        return 0;
    char *end = NULL;
    long long t = g_ascii_strtoll(g_strstrip(text), &end, 10);
    int ok = end && *end == '\0' && t > 0;
    g_free(text);
    return ok ? (sg_time)t : 0;
}
