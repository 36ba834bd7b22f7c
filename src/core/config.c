/* config.c - reads supportgate.conf against the key table and hands out immutable snapshots. */
#include "config.h"
#include "address.h"
#include "clue.h"
#include "duration.h"
#include "phrase.h"
#include "secret.h"
#include "text.h"
#include "token.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#ifndef PKGDATADIR
#define PKGDATADIR "/usr/share/supportgate"
#endif

typedef enum { T_STR, T_INT, T_DURATION, T_SIZE, T_MODE, T_ADDR, T_URL, T_NETS, T_BOOL, T_LANG, T_FACILITY } key_type;

typedef struct {
    const char *name;
    key_type type;
    const char *def;
    long long min, max; /* bounds for numbers; ignored for strings */
    int reloadable;
} key_def;

static const key_def keys[SG_CFG_NKEYS] = {
    [SG_CFG_DATABASE] = { "database", T_STR, "dbname=supportgate", 0, 0, 0 },
    [SG_CFG_MILTER_DATABASE] = { "milter_database", T_STR, "", 0, 0, 0 },
    [SG_CFG_SCHEDULER_DATABASE] = { "scheduler_database", T_STR, "", 0, 0, 0 },
    [SG_CFG_CLI_DATABASE] = { "cli_database", T_STR, "", 0, 0, 0 },
    [SG_CFG_MILTER_SOCKET] = { "milter_socket", T_STR, "unix:/run/supportgate/milter.sock", 0, 0, 0 },
    [SG_CFG_MILTER_SOCKET_MODE] = { "milter_socket_mode", T_MODE, "0660", 0, 0777, 0 },
    [SG_CFG_SUPPORT_ADDRESS] = { "support_address", T_ADDR, "support@introserv.com", 0, 0, 1 },
    [SG_CFG_SUPPORT_NAME] = { "support_name", T_STR, "INTROSERV Support", 0, 0, 1 },
    [SG_CFG_BOUNCE_ADDRESS] = { "bounce_address", T_ADDR, "support-bounces@introserv.com", 0, 0, 1 },
    [SG_CFG_TAG_PREFIX] = { "tag_prefix", T_STR, "INTROSERV", 0, 0, 1 },
    [SG_CFG_TEMPLATE_DIR] = { "template_dir", T_STR, PKGDATADIR "/templates", 0, 0, 1 },
    [SG_CFG_SMTP_RELAY] = { "smtp_relay", T_URL, "smtp://127.0.0.1:10026", 0, 0, 1 },
    [SG_CFG_SMTP_TIMEOUT] = { "smtp_timeout", T_DURATION, "10s", 1, 300, 1 },
    /* Well under Postfix's milter command timeout (30 s) and content timeout (end of message; 60 s in the snippet). */
    [SG_CFG_DB_TIMEOUT] = { "db_timeout", T_DURATION, "5s", 1, 20, 0 },
    [SG_CFG_DB_POOL_SIZE] = { "db_pool_size", T_INT, "8", 1, 100, 0 },
    [SG_CFG_ACK_LIMIT_PER_HOUR] = { "ack_limit_per_hour", T_INT, "5", 0, 100000, 1 },
    [SG_CFG_FIRST_RESPONSE_TARGET] = { "first_response_target", T_DURATION, "10m", 60, 86400 * 7, 1 },
    [SG_CFG_MAX_MESSAGE_SIZE] = { "max_message_size", T_SIZE, "25M", 1024, 1024LL * 1024 * 1024, 1 },
    [SG_CFG_DISPLAY_TIMEZONE] = { "display_timezone", T_STR, "UTC", 0, 0, 1 },
    [SG_CFG_RETRY_MIN] = { "retry_min", T_DURATION, "30s", 1, 3600, 1 },
    [SG_CFG_RETRY_MAX] = { "retry_max", T_DURATION, "30m", 1, 86400, 1 },
    [SG_CFG_RETRY_GIVE_UP] = { "retry_give_up", T_DURATION, "5d", 60, 86400 * 30, 1 },
    [SG_CFG_SCHEDULER_POLL] = { "scheduler_poll", T_DURATION, "5s", 1, 3600, 1 },
    [SG_CFG_SEND_LEASE] = { "send_lease", T_DURATION, "2m", 30, 3600, 1 },
    [SG_CFG_LOG_FACILITY] = { "log_facility", T_FACILITY, "mail", 0, 0, 0 },
    [SG_CFG_CLOSE_AFTER] = { "close_after", T_DURATION, "3d", 3600, 86400 * 90, 1 },
    /* How long after closing a customer's reply still reopens the ticket; later it opens a new, linked one. */
    [SG_CFG_REOPEN_WINDOW] = { "reopen_window", T_DURATION, "14d", 0, 86400 * 365, 1 },
    [SG_CFG_UPDATE_INTERVAL] = { "update_interval", T_DURATION, "2h", 300, 86400 * 7, 1 },
    [SG_CFG_RESOLVE_SIMPLE] = { "resolve_simple", T_DURATION, "30m", 60, 86400 * 30, 1 },
    [SG_CFG_RESOLVE_STANDARD] = { "resolve_standard", T_DURATION, "2h", 60, 86400 * 30, 1 },
    /* Percent of a deadline's span after which the assignee (or team) is warned; 0 turns warnings off. */
    [SG_CFG_WARN_AT] = { "warn_at", T_INT, "80", 0, 99, 1 },
    /* Networks whose mail is trusted to come from the agent its From names, without SASL: empty = none. */
    [SG_CFG_AGENT_NETWORKS] = { "agent_networks", T_NETS, "", 0, 0, 1 },
    /* Managers hear of each breach at once; with "no" they read breaches only in the digests. */
    [SG_CFG_BREACH_NOTICE_MANAGERS] = { "breach_notice_managers", T_BOOL, "yes", 0, 1, 1 },
    /* What the gateway writes to staff (notices, digests, team copies, refusals) is in this language. */
    [SG_CFG_STAFF_LANGUAGE] = { "staff_language", T_LANG, "en", 0, 0, 1 },
    /* The secret that signs outgoing Message-IDs, and the one it replaced, which verifies for the grace period
     * after the rotation (the current file's modification time); relative paths are beside this file. */
    [SG_CFG_REPLY_KEY_FILE] = { "reply_key_file", T_STR, "reply.key", 0, 0, 1 },
    [SG_CFG_REPLY_KEY_PREVIOUS_FILE] = { "reply_key_previous_file", T_STR, "reply.key.previous", 0, 0, 1 },
    [SG_CFG_REPLY_KEY_GRACE] = { "reply_key_grace", T_DURATION, "30d", 0, 86400 * 365, 1 },
    /* The mail all the milter's sessions may hold at once; past it a message is tempfailed (451 4.3.2). */
    [SG_CFG_MILTER_INFLIGHT_LIMIT] = { "milter_inflight_limit", T_SIZE, "256M", 16LL << 20, 64LL << 30, 1 },
    /* Where the milter writes its in-flight figures for `supportgate metrics`; empty: nowhere. */
    [SG_CFG_MILTER_STATS_FILE] = { "milter_stats_file", T_STR, "/run/supportgate/milter.stats", 0, 0, 1 },
    /* The first line is overloaded when this many tickets wait for a first response, or the oldest has waited
     * this long; 0 switches a threshold off (both 0: no overload detection). */
    [SG_CFG_OVERLOAD_BACKLOG] = { "overload_backlog", T_INT, "0", 0, 1000000, 1 },
    [SG_CFG_OVERLOAD_WAIT] = { "overload_wait", T_DURATION, "0s", 0, 86400 * 7, 1 },
    /* Who hears of an overload besides the on-shift level-2 teams (the duty manager); empty: the managers. */
    [SG_CFG_OVERLOAD_NOTIFY] = { "overload_notify", T_STR, "", 0, 0, 1 },
    /* While the first line is overloaded, new standard tickets go to this team; empty: they stay. */
    [SG_CFG_OVERFLOW_TEAM] = { "overflow_team", T_STR, "", 0, 0, 1 },
    /* The files kept on a ticket: a file, all of one mail's, all of a ticket's.  Past a limit the mail is still
     * recorded and delivered; the ticket's history names the file whose content was not kept.  An agent's file
     * past the file or mail limit is not sent: the agent is told and the customer gets nothing. */
    [SG_CFG_ATTACHMENT_MAX_FILE] = { "attachment_max_file", T_SIZE, "25M", 0, 1024LL * 1024 * 1024, 1 },
    [SG_CFG_ATTACHMENT_MAX_MAIL] = { "attachment_max_mail", T_SIZE, "50M", 0, 1024LL * 1024 * 1024, 1 },
    [SG_CFG_ATTACHMENT_MAX_TICKET] = { "attachment_max_ticket", T_SIZE, "200M", 0, 64LL * 1024 * 1024 * 1024, 1 },
    /* Types of file an agent's reply may not carry to a customer ("type/subtype", or "type/" for a whole type; space-separated). */
    [SG_CFG_ATTACHMENT_REFUSE_TYPES] = { "attachment_refuse_types", T_STR,
        "application/x-msdownload application/x-dosexec application/x-msdos-program", 0, 0, 1 },
    /* How long after a ticket closed its files' content is kept (name, size and hash stay); 0: for ever. */
    [SG_CFG_ATTACHMENT_RETENTION] = { "attachment_retention", T_DURATION, "0s", 0, 86400 * 3650, 1 },
    /* A possible incident: this many new tickets from distinct customers within the window that share a clue
     * (a host name, an address, the classification, a keyword) get the on-shift first line one notice listing
     * them; 0 switches the watch off.  The notice links nothing: an agent decides. */
    [SG_CFG_INCIDENT_WATCH_TICKETS] = { "incident_watch_tickets", T_INT, "0", 0, 10000, 1 },
    [SG_CFG_INCIDENT_WATCH_WINDOW] = { "incident_watch_window", T_DURATION, "10m", 60, 86400, 1 },
    /* Which clues count: hosts, addresses, category, keywords (space-separated). */
    [SG_CFG_INCIDENT_WATCH_CLUES] = { "incident_watch_clues", T_STR, "hosts addresses", 0, 0, 1 },
    /* Words or phrases, comma-separated, matched whole and in any case ("outage, 502, недоступний"). */
    [SG_CFG_INCIDENT_WATCH_KEYWORDS] = { "incident_watch_keywords", T_STR, "", 0, 0, 1 },
    /* Host names no incident is about (space-separated, each with its subdomains), besides the support domain. */
    [SG_CFG_INCIDENT_WATCH_IGNORE] = { "incident_watch_ignore", T_STR, "", 0, 0, 1 },
    /* How long the approvers have to answer an agent's #approve before it is a breach (sla "approval"), and how
     * long before that they are reminded (0s: no reminder).  Wall-clock time: management answers any day. */
    [SG_CFG_APPROVAL_DUE] = { "approval_due", T_DURATION, "4h", 600, 86400 * 30, 1 },
    [SG_CFG_APPROVAL_REMIND] = { "approval_remind", T_DURATION, "1h", 0, 86400 * 30, 1 },
    /* The milter prepares the statements it runs once per connection.  A pooler in transaction mode (pgbouncer
     * pool_mode = transaction) gives each transaction any server session, where those names are unknown: no. */
    [SG_CFG_DB_STATEMENT_CACHE] = { "db_statement_cache", T_BOOL, "yes", 0, 1, 0 },
    /* A digest whose period took no breach and saw no overload is not sent (the period still counts as reported). */
    [SG_CFG_DIGEST_SKIP_EMPTY] = { "digest_skip_empty", T_BOOL, "no", 0, 1, 1 },
};

/* The syslog facilities src/daemon/log.c maps to its codes (keep the two lists alike): any other name is
 * refused at load, so a mistyped facility is not logged to "mail" unnoticed. */
static const char *const facilities[] = { "mail", "daemon", "user", "local0", "local1", "local2", "local3",
                                          "local4", "local5", "local6", "local7", NULL };

struct sg_config {
    int refs; /* atomic */
    char *path;
    char *str[SG_CFG_NKEYS];
    long long num[SG_CFG_NKEYS];
    int line[SG_CFG_NKEYS]; /* where a key was set, 0 for defaults */
    sg_directives *lines;   /* what the intake, team, calendar, ... lines declared */
    sg_token_keys *tokens;  /* set by a daemon before publishing, or NULL */
};

static char *errorf(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static char *errorf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return s;
}

static int key_lookup(const char *name)
{
    for (int i = 0; i < SG_CFG_NKEYS; i++)
        if (strcmp(keys[i].name, name) == 0)
            return i;
    return -1;
}

/* GIO parses address masks ("10.0.0.0/8", "::1/128"), so nothing hand-made decides who is trusted. */
static int net_matches(const char *list, GInetAddress *addr)
{
    char **nets = g_strsplit_set(list, " \t,", -1);
    int hit = -1;
    for (char **n = nets; *n && hit != 1; n++) {
        if (!**n)
            continue;
        GInetAddressMask *m = g_inet_address_mask_new_from_string(*n, NULL);
        if (!m) {
            hit = -2;
            break;
        }
        if (addr && g_inet_address_mask_matches(m, addr))
            hit = 1;
        g_object_unref(m);
    }
    g_strfreev(nets);
    return hit;
}

static int valid_networks(const char *list)
{
    return net_matches(list, NULL) != -2;
}

static int parse_bool(const char *v)
{
    static const char *const yes[] = { "yes", "true", "on", "1" }, *const no[] = { "no", "false", "off", "0" };
    for (size_t i = 0; i < G_N_ELEMENTS(yes); i++) {
        if (g_ascii_strcasecmp(v, yes[i]) == 0)
            return 1;
        if (g_ascii_strcasecmp(v, no[i]) == 0)
            return 0;
    }
    return -1;
}

/* The problem with VALUE for a key of a text TYPE, or NULL. */
static const char *text_problem(key_type type, const char *value)
{
    switch (type) {
    case T_ADDR:
        return sg_address_valid(value) ? NULL : "not a mail address (local@domain)";
    case T_URL:
        return strncmp(value, "smtp://", 7) == 0 || strncmp(value, "smtps://", 8) == 0
                   ? NULL : "must be an smtp:// or smtps:// URL";
    case T_LANG:
        return sg_phrase_has_lang(value) ? NULL : "must be en, uk or ru";
    case T_NETS:
        return valid_networks(value)
                   ? NULL : "expects networks like 10.0.0.0/8 192.168.1.0/24 2001:db8::/32, separated by blanks";
    case T_FACILITY:
        return g_strv_contains(facilities, value)
                   ? NULL : "must be one of mail, daemon, user, local0, local1, local2, local3, local4, local5, "
                            "local6, local7";
    default:
        return NULL;
    }
}

/* The problem with VALUE for a key of a numeric TYPE, or NULL with the number in *N. */
static const char *number_problem(key_type type, const char *value, long long *n)
{
    char *end;
    switch (type) {
    case T_INT:
        errno = 0;
        *n = strtoll(value, &end, 10);
        return errno || end == value || *end ? "not a whole number" : NULL;
    case T_DURATION:
        return sg_duration_parse(value, n) < 0 ? "not a duration (e.g. 30s, 2m, 1h30m, 1d)" : NULL;
    case T_SIZE:
        return sg_size_parse(value, n) < 0 ? "not a size (e.g. 25M)" : NULL;
    case T_MODE:
        *n = strtoll(value, &end, 8);
        return end == value || *end ? "not an octal file mode (e.g. 0660)" : NULL;
    case T_BOOL:
        return (*n = parse_bool(value)) < 0 ? "expects yes or no" : NULL;
    default:
        return NULL;
    }
}

static const char out_of_range[] = "out of range";

/* "1s to 30s", "1 to 64": key K's bounds as its values are written.  g_free. */
static char *allowed_range(int k)
{
    const key_def *d = &keys[k];
    char lo[32], hi[32];
    if (d->type == T_DURATION)
        return g_strdup_printf("%s to %s", sg_duration_format(d->min, lo, sizeof lo),
                               sg_duration_format(d->max, hi, sizeof hi));
    if (d->type == T_MODE)
        return g_strdup_printf("%04llo to %04llo", d->min, d->max);
    return g_strdup_printf("%lld to %lld", d->min, d->max);
}

/* "unknown key", and the nearest known key or directive when KEY looks like a slip of the keyboard.  g_free. */
static char *unknown_key(const char *key, const char *name, int lineno)
{
    const char *names[SG_CFG_NKEYS + 16];
    for (int i = 0; i < SG_CFG_NKEYS; i++)
        names[i] = keys[i].name;
    size_t n = SG_CFG_NKEYS + sg_directive_names(names + SG_CFG_NKEYS, G_N_ELEMENTS(names) - SG_CFG_NKEYS);
    const char *near = sg_text_nearest(key, names, n);
    if (near)
        return errorf("%s:%d: %s: unknown key (did you mean '%s'?)", name, lineno, key, near);
    return errorf("%s:%d: %s: unknown key", name, lineno, key);
}

/* KEY's value VALUE outside its bounds, and the bounds.  g_free. */
static char *range_error(int k, const char *value, const char *name, int lineno)
{
    char *range = allowed_range(k);
    char *e = errorf("%s:%d: %s: out of range: \"%s\" (allowed: %s)", name, lineno, keys[k].name, value, range);
    g_free(range);
    return e;
}

/* Check VALUE against the key's type and bounds; store it.  Returns NULL or a problem text. */
static const char *set_value(sg_config *c, int k, const char *value)
{
    const key_def *d = &keys[k];
    long long n = 0;
    const char *problem = text_problem(d->type, value);
    if (!problem)
        problem = number_problem(d->type, value, &n);
    if (problem)
        return problem;
    if ((d->type == T_INT || d->type == T_DURATION || d->type == T_SIZE || d->type == T_MODE) &&
        (n < d->min || n > d->max))
        return out_of_range;
    g_free(c->str[k]);
    c->str[k] = d->type == T_ADDR ? sg_address_lower(value) : g_strdup(value);
    c->num[k] = n;
    return NULL;
}

static sg_config *config_new(const char *name)
{
    sg_config *c = g_new0(sg_config, 1);
    c->refs = 1;
    c->path = g_strdup(name);
    c->lines = sg_directives_new();
    for (int k = 0; k < SG_CFG_NKEYS; k++) {
        const char *problem = set_value(c, k, keys[k].def);
        g_assert(problem == NULL); /* a bad default is a programming error */
    }
    return c;
}

/* A scalar "key = value" line.  Returns NULL or an allocated error. */
static char *set_key(sg_config *c, const char *key, const char *value, const char *name, int lineno)
{
    int k = key_lookup(key);
    if (k < 0)
        return unknown_key(key, name, lineno);
    if (c->line[k])
        return errorf("%s:%d: %s: already set at line %d", name, lineno, key, c->line[k]);
    const char *p = set_value(c, k, value);
    /* A URL may hold a password (smtp://user:secret@host), which must not reach a terminal or syslog. */
    if (p == out_of_range)
        return range_error(k, value, name, lineno);
    if (p && keys[k].type == T_URL)
        return errorf("%s:%d: %s: %s", name, lineno, key, p);
    if (p)
        return errorf("%s:%d: %s: %s: \"%s\"", name, lineno, key, p, value);
    c->line[k] = lineno;
    return NULL;
}

/* One line: a comment, a directive or a key.  Returns NULL or an allocated error. */
static char *parse_line(sg_config *c, char *line, const char *name, int lineno)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    g_strstrip(line);
    if (!*line)
        return NULL;
    char *eq = strchr(line, '=');
    if (!eq)
        return errorf("%s:%d: expected \"key = value\"", name, lineno);
    *eq = '\0';
    char *key = g_strstrip(line), *value = g_strstrip(eq + 1);
    char *problem = NULL;
    if (!sg_directive_read(c->lines, key, value, &problem))
        return set_key(c, key, value, name, lineno);
    char *e = problem ? errorf("%s:%d: %s: %s", name, lineno, key, problem) : NULL;
    g_free(problem);
    return e;
}

/* incident_watch_clues names kinds of clue; keywords need the kind that reads them. */
static char *watch_problem(const sg_config *c, const char *name)
{
    char *bad = NULL;
    int kinds = sg_clue_kinds_parse(c->str[SG_CFG_INCIDENT_WATCH_CLUES], &bad);
    char *e = kinds < 0 ? errorf("%s:%d: incident_watch_clues: not a kind of clue (hosts, addresses, category,"
                                 " keywords): \"%s\"", name, c->line[SG_CFG_INCIDENT_WATCH_CLUES], bad)
                        : NULL;
    g_free(bad);
    if (!e && kinds == 0 && c->num[SG_CFG_INCIDENT_WATCH_TICKETS] > 0)
        e = errorf("%s:%d: incident_watch_clues: empty, so incident_watch_tickets = %lld watches nothing", name,
                   MAX(c->line[SG_CFG_INCIDENT_WATCH_CLUES], c->line[SG_CFG_INCIDENT_WATCH_TICKETS]),
                   c->num[SG_CFG_INCIDENT_WATCH_TICKETS]);
    if (!e && *c->str[SG_CFG_INCIDENT_WATCH_KEYWORDS] && kinds > 0 && !(kinds & SG_CLUE_KEYWORDS))
        e = errorf("%s:%d: incident_watch_keywords: set, but incident_watch_clues has no \"keywords\"", name,
                   c->line[SG_CFG_INCIDENT_WATCH_KEYWORDS]);
    return e;
}

/* overload_notify holds addresses; overflow_team names a team other than the first line, which it relieves. */
static char *overload_problem(const sg_config *c, const char *name)
{
    char **words = g_strsplit_set(c->str[SG_CFG_OVERLOAD_NOTIFY], " \t,", -1);
    char *e = NULL;
    for (int i = 0; words[i] && !e; i++)
        if (*words[i] && !sg_address_valid(words[i]))
            e = errorf("%s:%d: overload_notify: not a mail address (local@domain): \"%s\"", name,
                       c->line[SG_CFG_OVERLOAD_NOTIFY], words[i]);
    g_strfreev(words);
    const char *team = c->str[SG_CFG_OVERFLOW_TEAM];
    const sg_team *first = sg_config_first_line(c);
    if (!e && *team && !sg_config_team_find(c, team))
        e = errorf("%s:%d: overflow_team: no such team: \"%s\"", name, c->line[SG_CFG_OVERFLOW_TEAM], team);
    else if (!e && *team && first && strcmp(first->name, team) == 0)
        e = errorf("%s:%d: overflow_team: \"%s\" is the first line, the team an overflow relieves", name,
                   c->line[SG_CFG_OVERFLOW_TEAM], team);
    return e;
}

/* Cross-key rules, checked once every line is read. */
static char *finish(sg_config *c, const char *name)
{
    static const sg_cfg_key dbs[] = { SG_CFG_MILTER_DATABASE, SG_CFG_SCHEDULER_DATABASE, SG_CFG_CLI_DATABASE };
    for (size_t i = 0; i < G_N_ELEMENTS(dbs); i++)
        if (!*c->str[dbs[i]])
            set_value(c, dbs[i], c->str[SG_CFG_DATABASE]);
    const char *problem, *missing = sg_directives_missing(c->lines, &problem);
    if (missing)
        return errorf("%s: %s: %s", name, missing, problem);
    if (c->num[SG_CFG_RETRY_MIN] > c->num[SG_CFG_RETRY_MAX])
        return errorf("%s:%d: retry_min: larger than retry_max (%lld s)", name,
                      MAX(c->line[SG_CFG_RETRY_MIN], c->line[SG_CFG_RETRY_MAX]), c->num[SG_CFG_RETRY_MAX]);
    if (c->num[SG_CFG_MAX_MESSAGE_SIZE] > c->num[SG_CFG_MILTER_INFLIGHT_LIMIT])
        return errorf("%s:%d: max_message_size: larger than milter_inflight_limit (%lld bytes): no such mail could be held",
                      name, MAX(c->line[SG_CFG_MAX_MESSAGE_SIZE], c->line[SG_CFG_MILTER_INFLIGHT_LIMIT]),
                      c->num[SG_CFG_MILTER_INFLIGHT_LIMIT]);
    char *e = overload_problem(c, name);
    if (!e)
        e = watch_problem(c, name);
    if (!e && c->num[SG_CFG_APPROVAL_REMIND] >= c->num[SG_CFG_APPROVAL_DUE])
        e = errorf("%s:%d: approval_remind: not shorter than approval_due (%lld s): the reminder would come before"
                   " the request", name, MAX(c->line[SG_CFG_APPROVAL_REMIND], c->line[SG_CFG_APPROVAL_DUE]),
                   c->num[SG_CFG_APPROVAL_DUE]);
    if (e)
        return e;
    if (sg_config_intake_find(c, c->str[SG_CFG_BOUNCE_ADDRESS]))
        return errorf("%s:%d: bounce_address: must not be an intake address (bounces would loop)", name,
                      c->line[SG_CFG_BOUNCE_ADDRESS] ? c->line[SG_CFG_BOUNCE_ADDRESS] : 1);
    return NULL;
}

sg_config *sg_config_parse(const char *text, const char *name, char **err)
{
    sg_config *c = config_new(name);
    char **lines = g_strsplit(text, "\n", -1);
    char *e = NULL;
    for (int i = 0; lines[i] && !e; i++)
        e = parse_line(c, lines[i], name, i + 1);
    g_strfreev(lines);
    if (!e)
        e = finish(c, name);
    if (e) {
        *err = e;
        sg_config_unref(c);
        return NULL;
    }
    return c;
}

static char *world_readable(const char *path, const sg_config *c, sg_cfg_key k)
{
    return errorf("%s:%d: %s: holds a password but the file is world-readable (chmod o-r %s)", path, c->line[k],
                  keys[k].name, path);
}

/* A password in a file anyone can read is a leaked secret: refuse it, whether it sits in a connection
 * string (keyword=value or URI) or in the relay's URL. */
static char *check_secret_mode(const sg_config *c, const char *path)
{
    static const sg_cfg_key dbs[] = { SG_CFG_DATABASE, SG_CFG_MILTER_DATABASE, SG_CFG_SCHEDULER_DATABASE,
                                      SG_CFG_CLI_DATABASE };
    struct stat st;
    if (stat(path, &st) < 0 || !(st.st_mode & S_IROTH))
        return NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(dbs); i++)
        if (c->line[dbs[i]] && sg_conninfo_has_password(c->str[dbs[i]]))
            return world_readable(path, c, dbs[i]);
    if (sg_url_has_password(c->str[SG_CFG_SMTP_RELAY]))
        return world_readable(path, c, SG_CFG_SMTP_RELAY);
    return NULL;
}

sg_config *sg_config_load(const char *path, char **err)
{
    gchar *text = NULL;
    GError *ge = NULL;
    if (!g_file_get_contents(path, &text, NULL, &ge)) {
        *err = errorf("%s: cannot read: %s", path, ge->message);
        g_error_free(ge);
        return NULL;
    }
    sg_config *c = sg_config_parse(text, path, err);
    g_free(text);
    if (c && (*err = check_secret_mode(c, path))) {
        sg_config_unref(c);
        return NULL;
    }
    return c;
}

sg_config *sg_config_ref(sg_config *c)
{
    g_atomic_int_inc(&c->refs);
    return c;
}

void sg_config_unref(sg_config *c)
{
    if (!c || !g_atomic_int_dec_and_test(&c->refs))
        return;
    for (int k = 0; k < SG_CFG_NKEYS; k++)
        g_free(c->str[k]);
    sg_directives_free(c->lines);
    sg_token_keys_free(c->tokens);
    g_free(c->path);
    g_free(c);
}

const char *sg_config_str(const sg_config *c, sg_cfg_key k) { return c->str[k]; }
long long sg_config_num(const sg_config *c, sg_cfg_key k) { return c->num[k]; }
const char *sg_config_key_name(sg_cfg_key k) { return keys[k].name; }
int sg_config_key_reloadable(sg_cfg_key k) { return keys[k].reloadable; }
const char *sg_config_path(const sg_config *c) { return c->path; }

void sg_config_set_tokens(sg_config *c, sg_token_keys *k)
{
    sg_token_keys_free(c->tokens);
    c->tokens = k;
}

const sg_token_keys *sg_config_tokens(const sg_config *c) { return c->tokens; }
int sg_config_key_line(const sg_config *c, sg_cfg_key k) { return c->line[k]; }

char *sg_config_restart_keys(const sg_config *old, const sg_config *next)
{
    GString *s = g_string_new(NULL);
    for (int k = 0; k < SG_CFG_NKEYS; k++)
        if (!keys[k].reloadable && strcmp(old->str[k], next->str[k]) != 0)
            g_string_append_printf(s, "%s%s", s->len ? ", " : "", keys[k].name);
    return g_string_free(s, s->len == 0);
}

/* The lists of the directive lines, kept by directive.c (the teams by team.c). */
GPtrArray *sg_config_own_addresses(const sg_config *c)
{
    GPtrArray *own = g_ptr_array_sized_new((guint)sg_config_intake_count(c) + 3);
    g_ptr_array_add(own, (gpointer)sg_config_str(c, SG_CFG_SUPPORT_ADDRESS));
    g_ptr_array_add(own, (gpointer)sg_config_str(c, SG_CFG_BOUNCE_ADDRESS));
    for (size_t i = 0; i < sg_config_intake_count(c); i++)
        g_ptr_array_add(own, (gpointer)sg_config_intake(c, i)->address);
    g_ptr_array_add(own, NULL);
    return own;
}

size_t sg_config_intake_count(const sg_config *c) { return sg_directives_intake_count(c->lines); }
const sg_intake *sg_config_intake(const sg_config *c, size_t i) { return sg_directives_intake(c->lines, i); }

const sg_intake *sg_config_intake_find(const sg_config *c, const char *addr)
{
    return sg_directives_intake_find(c->lines, addr);
}

size_t sg_config_team_count(const sg_config *c) { return sg_teams_count(sg_directives_teams(c->lines)); }
const sg_team *sg_config_team(const sg_config *c, size_t i) { return sg_teams_get(sg_directives_teams(c->lines), i); }

const sg_team *sg_config_team_find(const sg_config *c, const char *name)
{
    return sg_teams_find(sg_directives_teams(c->lines), name);
}

const sg_team *sg_config_first_line(const sg_config *c) { return sg_teams_first_line(sg_directives_teams(c->lines)); }

const sg_team *sg_config_stand_in(const sg_config *c, const sg_team *team, const char *sla, long long t)
{
    return sg_teams_stand_in(sg_directives_teams(c->lines), team, sla, t);
}

const sg_rules *sg_config_rules(const sg_config *c) { return sg_directives_rules(c->lines); }
size_t sg_config_digest_count(const sg_config *c) { return sg_directives_digest_count(c->lines); }
const sg_digest *sg_config_digest(const sg_config *c, size_t i) { return sg_directives_digest(c->lines, i); }
size_t sg_config_escalation_count(const sg_config *c) { return sg_directives_escalation_count(c->lines); }

const sg_escalation_rule *sg_config_escalation(const sg_config *c, size_t i)
{
    return sg_directives_escalation(c->lines, i);
}

int sg_config_agent_network(const sg_config *c, const char *addr)
{
    GInetAddress *a = addr ? g_inet_address_new_from_string(addr) : NULL;
    int hit = a && net_matches(c->str[SG_CFG_AGENT_NETWORKS], a) == 1;
    if (a)
        g_object_unref(a);
    return hit;
}

static pthread_mutex_t current_lock = PTHREAD_MUTEX_INITIALIZER;
static sg_config *current;

void sg_config_publish(sg_config *c)
{
    pthread_mutex_lock(&current_lock);
    sg_config *old = current;
    current = c;
    pthread_mutex_unlock(&current_lock);
    sg_config_unref(old);
}

sg_config *sg_config_acquire(void)
{
    pthread_mutex_lock(&current_lock);
    sg_config *c = current ? sg_config_ref(current) : NULL;
    pthread_mutex_unlock(&current_lock);
    return c;
}

const char *sg_config_default_path(void)
{
    const char *env = getenv("SUPPORTGATE_CONFIG");
    return env && *env ? env : SYSCONFDIR "/supportgate/supportgate.conf";
}
