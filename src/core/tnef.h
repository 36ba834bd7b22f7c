/* tnef.h - the files inside an Outlook TNEF stream (winmail.dat), read with libytnef. */
#ifndef SG_TNEF_H
#define SG_TNEF_H

#include <stddef.h>

typedef struct {
    char *filename;      /* UTF-8 as stored (the long name where there is one), "" when unnamed */
    char *content_type;  /* the MIME tag Outlook recorded, lower-case, else "application/octet-stream" */
    unsigned char *data; /* the file's bytes */
    size_t size;
} sg_tnef_file;

/* Call FOUND for each file packed in the LEN bytes of DATA, in order, handing over the file (the callee owns its
 * strings and bytes).  Returns how many files were found; 0 when DATA is no TNEF stream or holds no file, which
 * leaves the caller to keep the stream as one opaque attachment. */
size_t sg_tnef_unpack(const void *data, size_t len, void (*found)(void *ctx, sg_tnef_file *f), void *ctx);

#endif
