/* config.h - supportgate.conf: one table of keys, validation with file:line, immutable snapshots. */
#ifndef SG_CONFIG_H
#define SG_CONFIG_H

#include <glib.h>
#include <stddef.h>

#include "directive.h"
#include "team.h"

/* Every scalar key.  The table in config.c gives each its type, default, bounds and whether a running
 * daemon picks up a change on reload. */
typedef enum {
    SG_CFG_DATABASE,
    SG_CFG_MILTER_DATABASE,
    SG_CFG_SCHEDULER_DATABASE,
    SG_CFG_CLI_DATABASE,
    SG_CFG_MILTER_SOCKET,
    SG_CFG_MILTER_SOCKET_MODE,
    SG_CFG_SUPPORT_ADDRESS,
    SG_CFG_SUPPORT_NAME,
    SG_CFG_BOUNCE_ADDRESS,
    SG_CFG_TAG_PREFIX,
    SG_CFG_TEMPLATE_DIR,
    SG_CFG_SMTP_RELAY,
    SG_CFG_SMTP_TIMEOUT,
    SG_CFG_DB_TIMEOUT,
    SG_CFG_DB_POOL_SIZE,
    SG_CFG_ACK_LIMIT_PER_HOUR,
    SG_CFG_FIRST_RESPONSE_TARGET,
    SG_CFG_MAX_MESSAGE_SIZE,
    SG_CFG_DISPLAY_TIMEZONE,
    SG_CFG_RETRY_MIN,
    SG_CFG_RETRY_MAX,
    SG_CFG_RETRY_GIVE_UP,
    SG_CFG_SCHEDULER_POLL,
    SG_CFG_SEND_LEASE,
    SG_CFG_LOG_FACILITY,
    SG_CFG_CLOSE_AFTER,
    SG_CFG_REOPEN_WINDOW,
    SG_CFG_UPDATE_INTERVAL,
    SG_CFG_RESOLVE_SIMPLE,
    SG_CFG_RESOLVE_STANDARD,
    SG_CFG_WARN_AT,
    SG_CFG_AGENT_NETWORKS,
    SG_CFG_BREACH_NOTICE_MANAGERS,
    SG_CFG_STAFF_LANGUAGE,
    SG_CFG_REPLY_KEY_FILE,
    SG_CFG_REPLY_KEY_PREVIOUS_FILE,
    SG_CFG_REPLY_KEY_GRACE,
    SG_CFG_MILTER_INFLIGHT_LIMIT,
    SG_CFG_MILTER_STATS_FILE,
    SG_CFG_OVERLOAD_BACKLOG,
    SG_CFG_OVERLOAD_WAIT,
    SG_CFG_OVERLOAD_NOTIFY,
    SG_CFG_OVERFLOW_TEAM,
    SG_CFG_ATTACHMENT_MAX_FILE,
    SG_CFG_ATTACHMENT_MAX_MAIL,
    SG_CFG_ATTACHMENT_MAX_TICKET,
    SG_CFG_ATTACHMENT_REFUSE_TYPES,
    SG_CFG_ATTACHMENT_RETENTION,
    SG_CFG_INCIDENT_WATCH_TICKETS,
    SG_CFG_INCIDENT_WATCH_WINDOW,
    SG_CFG_INCIDENT_WATCH_CLUES,
    SG_CFG_INCIDENT_WATCH_KEYWORDS,
    SG_CFG_INCIDENT_WATCH_IGNORE,
    SG_CFG_APPROVAL_DUE,
    SG_CFG_APPROVAL_REMIND,
    SG_CFG_DB_STATEMENT_CACHE,
    SG_CFG_DIGEST_SKIP_EMPTY,
    SG_CFG_NKEYS
} sg_cfg_key;

typedef struct sg_config sg_config;

/* Load and validate PATH.  On error returns NULL and *ERR (g_free) reads "PATH:LINE: key: problem". */
sg_config *sg_config_load(const char *path, char **err);
/* Parse configuration text as if read from NAME (for tests and `config check`). */
sg_config *sg_config_parse(const char *text, const char *name, char **err);

sg_config *sg_config_ref(sg_config *c);
void sg_config_unref(sg_config *c);

const char *sg_config_str(const sg_config *c, sg_cfg_key k);
/* Integers, durations (seconds), sizes (bytes) and yes/no (1/0). */
long long sg_config_num(const sg_config *c, sg_cfg_key k);
const char *sg_config_key_name(sg_cfg_key k);
/* Whether a change of K takes effect on reload (otherwise it needs a restart). */
int sg_config_key_reloadable(sg_cfg_key k);
/* The restart-only keys whose values differ between OLD and NEXT ("db_pool_size, milter_socket"), for the
 * reload log line; NULL when none (g_free). */
char *sg_config_restart_keys(const sg_config *old, const sg_config *next);
/* Where the snapshot came from. */
const char *sg_config_path(const sg_config *c);
/* The line that set K, or 0 when K has its default (or, for the role databases, fell back to database). */
int sg_config_key_line(const sg_config *c, sg_cfg_key k);

/* What the directive lines declared (directive.h; teams and their shifts in team.h), as the snapshot holds it. */
size_t sg_config_team_count(const sg_config *c);
const sg_team *sg_config_team(const sg_config *c, size_t i);
const sg_team *sg_config_team_find(const sg_config *c, const char *name);
/* The team new tickets start with: the first level-1 team, else the first team; NULL without teams. */
const sg_team *sg_config_first_line(const sg_config *c);

/* The classification rules ("classify = TEAM CATEGORY PATTERN" lines), in order; never NULL. */
const sg_rules *sg_config_rules(const sg_config *c);

size_t sg_config_digest_count(const sg_config *c);
const sg_digest *sg_config_digest(const sg_config *c, size_t i);

size_t sg_config_escalation_count(const sg_config *c);
const sg_escalation_rule *sg_config_escalation(const sg_config *c, size_t i);

/* Whether the client address ADDR (text, IPv4 or IPv6) is in agent_networks. */
int sg_config_agent_network(const sg_config *c, const char *addr);

/* The team that must hear at once of a deadline SLA ("ack", "first_response", ...) nearly or actually
 * missed at Unix time T on a ticket of TEAM: the first line, when TEAM is off shift at T and SLA is one of
 * the round-the-clock promises (acknowledgement, first response); NULL otherwise, and when TEAM is the
 * first line itself. */
const sg_team *sg_config_stand_in(const sg_config *c, const sg_team *team, const char *sla, long long t);

size_t sg_config_intake_count(const sg_config *c);
/* The gateway's own addresses: the support and bounce addresses and every intake; NULL-terminated, for
 * sg_auto_decide (g_ptr_array_free (own, TRUE) frees the array, not the strings, which belong to C). */
GPtrArray *sg_config_own_addresses(const sg_config *c);
const sg_intake *sg_config_intake(const sg_config *c, size_t i);
/* The intake whose address equals ADDR (case-insensitive, angle brackets ignored), or NULL. */
const sg_intake *sg_config_intake_find(const sg_config *c, const char *addr);

/* The reply-token keys a daemon loaded for this snapshot (token.h), or NULL.  The setter takes ownership and
 * belongs before the snapshot is published. */
struct sg_token_keys;
void sg_config_set_tokens(sg_config *c, struct sg_token_keys *k);
const struct sg_token_keys *sg_config_tokens(const sg_config *c);

/* The process-wide current snapshot, swapped atomically on reload.  Readers take a reference for the
 * duration of one unit of work (a message, a pass) so a reload never changes values under them. */
void sg_config_publish(sg_config *c);   /* takes ownership of the caller's reference */
sg_config *sg_config_acquire(void);     /* a new reference; sg_config_unref when done */

/* Where programs look when no -c is given: $SUPPORTGATE_CONFIG, else SYSCONFDIR/supportgate/supportgate.conf. */
const char *sg_config_default_path(void);

#endif
