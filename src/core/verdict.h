/* verdict.h - an approver's answer: "approve" or "deny" as its first word, and the reason that follows. */
#ifndef SG_VERDICT_H
#define SG_VERDICT_H

typedef enum { SG_VERDICT_NONE, SG_VERDICT_APPROVE, SG_VERDICT_DENY } sg_verdict;

/* The verdict TEXT (an answer's plain text, UTF-8) opens with: "approve"/"approved" or "deny"/"denied", in any
 * case, as the first word.  *REASON (g_free; "" when none) is what follows on the answer's own lines, up to
 * quoted text, an attribution line ("On ... wrote:") or the signature, as one line of at most 500 bytes. */
sg_verdict sg_verdict_read(const char *text, char **reason);

/* "approved" / "denied" / "pending", as the records say it. */
const char *sg_verdict_status(sg_verdict v);

#endif
