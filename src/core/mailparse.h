/* mailparse.h - one RFC 5322 message reduced to the facts supportgate stores (parsed with GMime). */
#ifndef SG_MAILPARSE_H
#define SG_MAILPARSE_H

#include <stddef.h>

typedef struct sg_mail sg_mail;

/* Parse LEN bytes of a message (CRLF or LF line ends).  Never fails on broken MIME: whatever GMime
 * recovers is used.  Returns NULL only on out-of-memory or an empty input, with *ERR set to a static
 * message.  Requires g_mime_init() to have run. */
sg_mail *sg_mail_parse(const char *data, size_t len, const char **err);
void sg_mail_free(sg_mail *m);

/* Decoded (RFC 2047) subject as UTF-8, CR/LF/TAB and other controls folded to single spaces, trimmed;
 * never NULL ("" when absent). */
const char *sg_mail_subject(const sg_mail *m);
/* Message-ID without angle brackets; NULL when the message has none or it is unusable. */
const char *sg_mail_message_id(const sg_mail *m);
/* In-Reply-To and References message ids (no brackets), In-Reply-To first then References newest first,
 * duplicates removed.  *N receives the count. */
const char *const *sg_mail_parent_ids(const sg_mail *m, size_t *n);
/* First From mailbox: lower-cased addr-spec and decoded display name (UTF-8, controls removed).
 * Either may be NULL. */
const char *sg_mail_from_addr(const sg_mail *m);
const char *sg_mail_from_name(const sg_mail *m);
/* Addresses (lower-cased addr-specs) of To and Cc, in order. */
const char *const *sg_mail_to(const sg_mail *m, size_t *n);
const char *const *sg_mail_cc(const sg_mail *m, size_t *n);
/* Raw value of the first header NAME (case-insensitive), unfolded; NULL when absent. */
const char *sg_mail_header(const sg_mail *m, const char *name);
/* Whether some header NAME (case-insensitive) has exactly VALUE (case-insensitive, trimmed). */
int sg_mail_header_has_value(const sg_mail *m, const char *name, const char *value);
/* Whether any header NAME exists (case-insensitive). */
int sg_mail_has_header(const sg_mail *m, const char *name);
/* Whether any header's name starts with PREFIX (case-insensitive), e.g. "List-". */
int sg_mail_has_header_prefix(const sg_mail *m, const char *prefix);
/* The readable text of the message as valid UTF-8: the first non-attachment text/plain part, else the
 * first text/html part converted to text, else "".  Charsets are converted; undeclared, unknown or
 * lying charsets are guessed (UTF-8, windows-1251, koi8-u, then latin-1) so the result is always
 * valid UTF-8 without NUL bytes. */
const char *sg_mail_text(const sg_mail *m);
/* The top-level MIME type, lower-case ("text/plain", "multipart/report", ...). */
const char *sg_mail_content_type(const sg_mail *m);
/* The language of the subject and text: "en", "uk" or "ru" (sg_text_lang). */
const char *sg_mail_lang(const sg_mail *m);

typedef struct {
    const char *filename;       /* decoded UTF-8 (RFC 2231 or RFC 2047 names), "" when unnamed */
    const char *content_type;   /* "type/subtype", lower-case */
    size_t size;                /* decoded size in bytes */
    const unsigned char *data;  /* the SIZE decoded bytes (an attached message: as it was serialised) */
    const char *content_id;     /* Content-ID without brackets (an image an HTML part shows by cid:), or NULL */
    int is_inline;              /* Content-Disposition: inline */
    const char *packed_in;      /* the TNEF stream (winmail.dat) this file was unpacked from, or NULL */
} sg_attachment;

size_t sg_mail_attachment_count(const sg_mail *m);
const sg_attachment *sg_mail_attachment(const sg_mail *m, size_t i);

#endif
