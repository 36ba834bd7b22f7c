/* inflight.h - the bytes of mail the milter holds across all sessions, bounded by milter_inflight_limit. */
#ifndef SG_INFLIGHT_H
#define SG_INFLIGHT_H

#include <stddef.h>

/* Hold N more bytes if that keeps the total within LIMIT: 1, or 0 (nothing taken). */
int sg_inflight_take(size_t n, size_t limit);
void sg_inflight_give(size_t n);

/* The room a parse needs (N bytes) on top of the data it reads.  Waits up to TIMEOUT_MS for the total to fit
 * LIMIT while another parse runs; with none running it is granted at once, whatever the total, so that one
 * parse always makes progress: the total passes LIMIT by one parse's room at most.  1 granted, 0 timed out. */
int sg_inflight_take_parse(size_t n, size_t limit, int timeout_ms);
void sg_inflight_give_parse(size_t n);

/* A message tempfailed because the limit was reached. */
void sg_inflight_count_refusal(void);

typedef struct {
    size_t bytes, peak;       /* now, and the most since the start */
    unsigned long long refused;
} sg_inflight_stats;

void sg_inflight_get(sg_inflight_stats *s);

/* Once at the start, before any thread: large buffers as mappings of their own, so freeing returns them. */
void sg_inflight_init(void);

/* Hand freed memory back to the kernel when little is held any more (after a burst of large mail). */
void sg_inflight_trim(void);

/* Write "bytes peak limit refused" atomically to PATH (for `supportgate metrics`); 0 or -1. */
int sg_inflight_write(const char *path, size_t limit);

#endif
