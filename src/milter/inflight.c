/* inflight.c - one budget for the mail all sessions hold, so memory follows the configuration, not the senders. */
#include "inflight.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

/* Below this much held, a burst is over and its freed memory may go back to the kernel.  Ordinary mail (a
 * few KB) stays under it, so malloc_trim runs only after large mail or a heavy parse (a 10,000-part mail). */
#define TRIM_BELOW (256u << 10)

static struct {
    pthread_mutex_t lock;
    pthread_cond_t room;      /* signalled whenever bytes are given back */
    size_t bytes, peak, since_trim;
    int parses;               /* parses running */
    unsigned long long refused;
} b = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, 0, 0 };

static void add(size_t n)
{
    b.bytes += n;
    if (b.bytes > b.peak)
        b.peak = b.bytes;
    if (b.bytes > b.since_trim)
        b.since_trim = b.bytes;
}

int sg_inflight_take(size_t n, size_t limit)
{
    pthread_mutex_lock(&b.lock);
    int ok = b.bytes + n <= limit;
    if (ok)
        add(n);
    pthread_mutex_unlock(&b.lock);
    return ok;
}

void sg_inflight_give(size_t n)
{
    pthread_mutex_lock(&b.lock);
    b.bytes = n < b.bytes ? b.bytes - n : 0;
    pthread_cond_broadcast(&b.room);
    pthread_mutex_unlock(&b.lock);
}

int sg_inflight_take_parse(size_t n, size_t limit, int timeout_ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&b.lock);
    int rc = 0;
    while (b.parses > 0 && b.bytes + n > limit && rc == 0)
        rc = pthread_cond_timedwait(&b.room, &b.lock, &until);
    int ok = b.parses == 0 || b.bytes + n <= limit;
    if (ok) {
        add(n);
        b.parses++;
    }
    pthread_mutex_unlock(&b.lock);
    return ok;
}

void sg_inflight_give_parse(size_t n)
{
    pthread_mutex_lock(&b.lock);
    b.parses--;
    pthread_mutex_unlock(&b.lock);
    sg_inflight_give(n);
}

void sg_inflight_count_refusal(void)
{
    pthread_mutex_lock(&b.lock);
    b.refused++;
    pthread_mutex_unlock(&b.lock);
}

void sg_inflight_get(sg_inflight_stats *s)
{
    pthread_mutex_lock(&b.lock);
    s->bytes = b.bytes;
    s->peak = b.peak;
    s->refused = b.refused;
    pthread_mutex_unlock(&b.lock);
}

/* glibc raises its mmap threshold after each large free (up to 32 MiB), and its trim threshold with it: a
 * 20 MB buffer then comes from a thread's arena, whose top glibc neither returns on free nor on malloc_trim.
 * After a burst of 20 MB mail the milter stayed at 133 MiB that way; with the threshold fixed, every buffer over
 * 256 KiB is a mapping of its own, unmapped when freed. */
void sg_inflight_init(void)
{
    mallopt(M_MMAP_THRESHOLD, 256 << 10);
}

/* glibc keeps what large mail freed in its arenas (one per thread, up to 8 per core) and raises its mmap
 * threshold after each large free, so after a burst the process would stay at its peak.  malloc_trim returns
 * the free pages of every arena; it runs once per burst, when the held bytes fall back below TRIM_BELOW
 * after they were above it. */
void sg_inflight_trim(void)
{
    pthread_mutex_lock(&b.lock);
    int due = b.bytes < TRIM_BELOW && b.since_trim >= TRIM_BELOW;
    if (due)
        b.since_trim = b.bytes;
    pthread_mutex_unlock(&b.lock);
    if (due)
        malloc_trim(0);
}

int sg_inflight_write(const char *path, size_t limit)
{
    sg_inflight_stats s;
    sg_inflight_get(&s);
    char *text = g_strdup_printf("%zu %zu %zu %llu\n", s.bytes, s.peak, limit, s.refused);
    /* g_file_set_contents writes a temporary file and renames it: a reader sees the old line or the new. */
    int rc = g_file_set_contents(path, text, -1, NULL) ? 0 : -1;
    g_free(text);
    return rc;
}
