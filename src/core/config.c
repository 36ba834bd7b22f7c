/* config.c - reads supportgate.conf against the key table and hands out immutable snapshots. */
#include "config.h"
#include "calendar.h"
#include "classify.h"
#include "duration.h"
#include "phrase.h"
#include "secret.h"
#include "token.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#ifndef PKGDATADIR
#define PKGDATADIR "/usr/share/supportgate"
#endif

typedef enum { T_STR, T_INT, T_DURATION, T_SIZE, T_MODE, T_ADDR, T_URL, T_NETS, T_BOOL, T_LANG } key_type;

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
    [SG_CFG_LOG_FACILITY] = { "log_facility", T_STR, "mail", 0, 0, 0 },
    [SG_CFG_CLOSE_AFTER] = { "close_after", T_DURATION, "3d", 3600, 86400 * 90, 1 },
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
};

struct sg_config {
    int refs; /* atomic */
    char *path;
    char *str[SG_CFG_NKEYS];
    long long num[SG_CFG_NKEYS];
    int line[SG_CFG_NKEYS]; /* where a key was set, 0 for defaults */
    GArray *intakes;        /* sg_intake with g_strdup'ed strings */
    GArray *teams;          /* sg_team with g_strdup'ed strings */
    GPtrArray *calendars;   /* per team (parallel to teams): a GPtrArray of sg_calendar */
    sg_rules *rules;
    GArray *digests;        /* sg_digest with g_strdup'ed strings */
    GArray *escalations;    /* sg_escalation_rule with g_strdup'ed strings */
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

static int valid_address(const char *s)
{
    const char *at = strchr(s, '@');
    return at && at != s && at[1] && !strchr(at + 1, '@') && !strpbrk(s, " \t<>,;\"\\");
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

/* Check VALUE against the key's type and bounds; store it.  Returns NULL or a problem text. */
static const char *set_value(sg_config *c, int k, const char *value)
{
    const key_def *d = &keys[k];
    long long n = 0;
    switch (d->type) {
    case T_STR:
        break;
    case T_ADDR:
        if (!valid_address(value))
            return "not a mail address (local@domain)";
        break;
    case T_URL:
        if (strncmp(value, "smtp://", 7) != 0 && strncmp(value, "smtps://", 8) != 0)
            return "must be an smtp:// or smtps:// URL";
        break;
    case T_LANG:
        if (!sg_phrase_has_lang(value))
            return "must be en, uk or ru";
        break;
    case T_NETS:
        if (!valid_networks(value))
            return "expects networks like 10.0.0.0/8 192.168.1.0/24 2001:db8::/32, separated by blanks";
        break;
    case T_INT: {
        char *end;
        errno = 0;
        n = strtoll(value, &end, 10);
        if (errno || end == value || *end)
            return "not a whole number";
        break;
    }
    case T_DURATION:
        if (sg_duration_parse(value, &n) < 0)
            return "not a duration (e.g. 30s, 2m, 1h30m, 1d)";
        break;
    case T_SIZE:
        if (sg_size_parse(value, &n) < 0)
            return "not a size (e.g. 25M)";
        break;
    case T_MODE: {
        char *end;
        n = strtoll(value, &end, 8);
        if (end == value || *end)
            return "not an octal file mode (e.g. 0660)";
        break;
    }
    case T_BOOL:
        if ((n = parse_bool(value)) < 0)
            return "expects yes or no";
        break;
    }
    if ((d->type == T_INT || d->type == T_DURATION || d->type == T_SIZE || d->type == T_MODE) &&
        (n < d->min || n > d->max))
        return "out of range";
    g_free(c->str[k]);
    c->str[k] = d->type == T_ADDR ? g_ascii_strdown(value, -1) : g_strdup(value);
    c->num[k] = n;
    return NULL;
}

/* The words of a list value, separated by any run of blanks (g_strfreev). */
static char **words(const char *value, guint *n)
{
    char **all = g_strsplit_set(value, " \t", -1);
    guint k = 0;
    for (char **p = all; *p; p++) {
        if (**p)
            all[k++] = *p;
        else
            g_free(*p);
    }
    all[k] = NULL;
    *n = k;
    return all;
}

static const char *add_intake(sg_config *c, const char *value)
{
    guint n;
    char **w = words(value, &n);
    const char *problem = NULL;
    long long target = 0;
    if (n != 3)
        problem = "expects: ADDRESS CHANNEL ACK_TARGET (e.g. support@example.com email 2m)";
    else if (!valid_address(w[0]))
        problem = "not a mail address (local@domain)";
    else if (sg_duration_parse(w[2], &target) < 0 || target < 10 || target > 86400)
        problem = "acknowledgement target must be a duration between 10s and 1d";
    else if (sg_config_intake_find(c, w[0]))
        problem = "address listed twice";
    if (!problem) {
        sg_intake in = { g_ascii_strdown(w[0], -1), g_strdup(w[1]), target };
        g_array_append_val(c->intakes, in);
    }
    g_strfreev(w);
    return problem;
}

static const char *add_team(sg_config *c, const char *value)
{
    guint n;
    char **w = words(value, &n);
    const char *problem = NULL;
    char *end = NULL;
    long level = n == 3 ? strtol(w[1], &end, 10) : 0;
    if (n != 3)
        problem = "expects: NAME LEVEL MAILBOX (e.g. billing 2 billing@example.com)";
    else if (!g_regex_match_simple("^[a-z][a-z0-9_-]*$", w[0], 0, 0))
        problem = "team names are lower-case letters, digits, '-' and '_'";
    else if (*end || level < 1 || level > 3)
        problem = "level must be 1, 2 or 3";
    else if (!valid_address(w[2]))
        problem = "mailbox is not a mail address";
    else if (sg_config_team_find(c, w[0]))
        problem = "team listed twice";
    if (!problem) {
        sg_team t = { g_strdup(w[0]), (int)level, g_ascii_strdown(w[2], -1), NULL, 0 };
        g_array_append_val(c->teams, t);
        g_ptr_array_add(c->calendars, g_ptr_array_new_with_free_func((GDestroyNotify)sg_calendar_free));
    }
    g_strfreev(w);
    return problem;
}

/* "NAME PERIOD [HH:MM ZONE]": a report every PERIOD, or each day at HH:MM in ZONE. */
static const char *add_digest(sg_config *c, const char *value)
{
    guint n;
    char **w = words(value, &n);
    const char *problem = NULL;
    long long period = 0;
    int h = -1, m = -1;
    char extra;
    if (n != 2 && n != 4)
        problem = "expects: NAME PERIOD [HH:MM ZONE] (e.g. hourly 1h, or daily 1d 08:00 Europe/Amsterdam)";
    else if (sg_duration_parse(w[1], &period) < 0 || period < 300)
        problem = "the period must be a duration of at least 5m";
    else if (n == 4 && (sscanf(w[2], "%d:%d%c", &h, &m, &extra) != 2 || h < 0 || h > 23 || m < 0 || m > 59))
        problem = "the report time must be HH:MM";
    else if (n == 4 && period != 86400)
        problem = "a report time needs a period of 1d";
    else if (n == 4 && sg_period_end(864000, period, h * 60 + m, w[3]) == 0)
        problem = "unknown time zone";
    if (!problem) {
        sg_digest d = { g_strdup(w[0]), period, n == 4 ? h * 60 + m : -1, n == 4 ? g_strdup(w[3]) : NULL };
        g_array_append_val(c->digests, d);
    }
    g_strfreev(w);
    return problem;
}

static int team_index(const sg_config *c, const char *name)
{
    for (guint i = 0; i < c->teams->len; i++)
        if (strcmp(g_array_index(c->teams, sg_team, i).name, name) == 0)
            return (int)i;
    return -1;
}

/* "calendar = TEAM SPEC": several lines for one team (one per data centre) mean on shift when any is. */
static char *add_calendar(sg_config *c, const char *value)
{
    char *name = g_strdup(value), *spec = name + strcspn(name, " \t");
    if (*spec)
        *spec++ = '\0';
    int i = team_index(c, name);
    char *problem = NULL, *cerr = NULL;
    sg_calendar *cal = i < 0 ? NULL : sg_calendar_parse(spec, &cerr);
    if (i < 0)
        problem = g_strdup_printf("no team \"%s\" declared above", name);
    else if (!cal)
        problem = cerr;
    else
        g_ptr_array_add(g_ptr_array_index(c->calendars, i), cal);
    if (problem && cerr != problem)
        g_free(cerr);
    g_free(name);
    return problem;
}

/* "holiday = TEAM YYYY-MM-DD": applies to every calendar the team has so far. */
static char *add_holiday(sg_config *c, const char *value)
{
    char **w = g_strsplit_set(value, " \t", 2);
    int i = w[0] ? team_index(c, w[0]) : -1;
    char *problem = NULL;
    GPtrArray *cals = i >= 0 ? g_ptr_array_index(c->calendars, i) : NULL;
    if (!cals || !w[1])
        problem = g_strdup("expects: TEAM YYYY-MM-DD, after the team's calendar lines");
    else if (cals->len == 0)
        problem = g_strdup_printf("team \"%s\" works around the clock: give it a calendar first", w[0]);
    for (guint k = 0; !problem && k < cals->len; k++)
        if (sg_calendar_add_holiday(g_ptr_array_index(cals, k), g_strstrip(w[1])) < 0)
            problem = g_strdup_printf("not a date: \"%s\"", w[1]);
    g_strfreev(w);
    return problem;
}

static int one_of(const char *w, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(w, *set) == 0)
            return 1;
    return 0;
}

/* "escalation = SLA TEAM CATEGORY escalate TEAM2 | notify ADDRESS". */
static char *add_escalation(sg_config *c, const char *value)
{
    static const char *const slas[] = { "*", "ack", "first_response", "update", "resolution", NULL };
    static const char *const categories[] = { "*", "simple", "standard", "complex", "custom", NULL };
    guint n;
    char **w = words(value, &n);
    char *problem = NULL;
    if (n != 5 || (strcmp(w[3], "escalate") != 0 && strcmp(w[3], "notify") != 0))
        problem = g_strdup("expects: SLA TEAM CATEGORY escalate TEAM | notify ADDRESS"
                           " (e.g. resolution support standard escalate sysadmins)");
    else if (!one_of(w[0], slas))
        problem = g_strdup_printf("unknown SLA \"%s\" (ack, first_response, update, resolution or *)", w[0]);
    else if (strcmp(w[1], "*") != 0 && team_index(c, w[1]) < 0)
        problem = g_strdup_printf("no team \"%s\" declared above", w[1]);
    else if (!one_of(w[2], categories))
        problem = g_strdup_printf("unknown category \"%s\" (simple, standard, complex, custom or *)", w[2]);
    else if (w[3][0] == 'e' && team_index(c, w[4]) < 0)
        problem = g_strdup_printf("no team \"%s\" declared above", w[4]);
    else if (w[3][0] == 'n' && !valid_address(w[4]))
        problem = g_strdup_printf("not a mail address: \"%s\"", w[4]);
    if (!problem) {
        sg_escalation_rule r = { g_strdup(w[0]), g_strdup(w[1]), g_strdup(w[2]),
                                 w[3][0] == 'e' ? SG_ESC_ESCALATE : SG_ESC_NOTIFY,
                                 w[3][0] == 'e' ? g_strdup(w[4]) : g_ascii_strdown(w[4], -1) };
        g_array_append_val(c->escalations, r);
    }
    g_strfreev(w);
    return problem;
}

static sg_config *config_new(const char *name)
{
    sg_config *c = g_new0(sg_config, 1);
    c->refs = 1;
    c->path = g_strdup(name);
    c->intakes = g_array_new(FALSE, FALSE, sizeof(sg_intake));
    c->teams = g_array_new(FALSE, FALSE, sizeof(sg_team));
    c->calendars = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    c->rules = sg_rules_new();
    c->digests = g_array_new(FALSE, FALSE, sizeof(sg_digest));
    c->escalations = g_array_new(FALSE, FALSE, sizeof(sg_escalation_rule));
    for (int k = 0; k < SG_CFG_NKEYS; k++) {
        const char *problem = set_value(c, k, keys[k].def);
        g_assert(problem == NULL); /* a bad default is a programming error */
    }
    return c;
}

/* One "key = value" line.  Returns NULL or an allocated error. */
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
    if (strcmp(key, "intake") == 0) {
        const char *p = add_intake(c, value);
        return p ? errorf("%s:%d: intake: %s", name, lineno, p) : NULL;
    }
    if (strcmp(key, "team") == 0) {
        const char *p = add_team(c, value);
        return p ? errorf("%s:%d: team: %s", name, lineno, p) : NULL;
    }
    if (strcmp(key, "digest") == 0) {
        const char *p = add_digest(c, value);
        return p ? errorf("%s:%d: digest: %s", name, lineno, p) : NULL;
    }
    if (strcmp(key, "classify") == 0) {
        char *p = NULL;
        char **w = g_strsplit_set(value, " \t", 2);
        if (w[0] && team_index(c, w[0]) < 0)
            p = g_strdup_printf("no team \"%s\" declared above", w[0]);
        g_strfreev(w);
        if (!p)
            sg_rules_add(c->rules, value, &p);
        char *e = p ? errorf("%s:%d: classify: %s", name, lineno, p) : NULL;
        g_free(p);
        return e;
    }
    if (strcmp(key, "calendar") == 0 || strcmp(key, "holiday") == 0 || strcmp(key, "escalation") == 0) {
        char *p = key[0] == 'c' ? add_calendar(c, value) : key[0] == 'h' ? add_holiday(c, value)
                                                                          : add_escalation(c, value);
        char *e = p ? errorf("%s:%d: %s: %s", name, lineno, key, p) : NULL;
        g_free(p);
        return e;
    }
    int k = key_lookup(key);
    if (k < 0)
        return errorf("%s:%d: %s: unknown key", name, lineno, key);
    if (c->line[k])
        return errorf("%s:%d: %s: already set at line %d", name, lineno, key, c->line[k]);
    const char *p = set_value(c, k, value);
    /* A URL may hold a password (smtp://user:secret@host), which must not reach a terminal or syslog. */
    if (p && keys[k].type == T_URL)
        return errorf("%s:%d: %s: %s", name, lineno, key, p);
    if (p)
        return errorf("%s:%d: %s: %s: \"%s\"", name, lineno, key, p, value);
    c->line[k] = lineno;
    return NULL;
}

/* Cross-key rules, checked once every line is read. */
static char *finish(sg_config *c, const char *name)
{
    static const sg_cfg_key dbs[] = { SG_CFG_MILTER_DATABASE, SG_CFG_SCHEDULER_DATABASE, SG_CFG_CLI_DATABASE };
    for (size_t i = 0; i < G_N_ELEMENTS(dbs); i++)
        if (!*c->str[dbs[i]])
            set_value(c, dbs[i], c->str[SG_CFG_DATABASE]);
    if (c->intakes->len == 0)
        return errorf("%s: intake: at least one intake address is required", name);
    for (guint i = 0; i < c->teams->len; i++) {
        /* The arrays are complete now: hand their final addresses to the team records. */
        GPtrArray *cals = g_ptr_array_index(c->calendars, i);
        sg_team *t = &g_array_index(c->teams, sg_team, i);
        t->calendars = (sg_calendar *const *)cals->pdata;
        t->n_calendars = cals->len;
    }
    if (c->num[SG_CFG_RETRY_MIN] > c->num[SG_CFG_RETRY_MAX])
        return errorf("%s:%d: retry_min: larger than retry_max (%lld s)", name,
                      MAX(c->line[SG_CFG_RETRY_MIN], c->line[SG_CFG_RETRY_MAX]), c->num[SG_CFG_RETRY_MAX]);
    if (c->num[SG_CFG_MAX_MESSAGE_SIZE] > c->num[SG_CFG_MILTER_INFLIGHT_LIMIT])
        return errorf("%s:%d: max_message_size: larger than milter_inflight_limit (%lld bytes): no such mail could be held",
                      name, MAX(c->line[SG_CFG_MAX_MESSAGE_SIZE], c->line[SG_CFG_MILTER_INFLIGHT_LIMIT]),
                      c->num[SG_CFG_MILTER_INFLIGHT_LIMIT]);
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
    for (guint i = 0; i < c->intakes->len; i++) {
        sg_intake *in = &g_array_index(c->intakes, sg_intake, i);
        g_free((char *)in->address);
        g_free((char *)in->channel);
    }
    g_array_free(c->intakes, TRUE);
    for (guint i = 0; i < c->teams->len; i++) {
        sg_team *t = &g_array_index(c->teams, sg_team, i);
        g_free((char *)t->name);
        g_free((char *)t->mailbox);
    }
    g_array_free(c->teams, TRUE);
    g_ptr_array_free(c->calendars, TRUE);
    sg_rules_free(c->rules);
    for (guint i = 0; i < c->digests->len; i++) {
        sg_digest *d = &g_array_index(c->digests, sg_digest, i);
        g_free((char *)d->name);
        g_free((char *)d->zone);
    }
    g_array_free(c->digests, TRUE);
    for (guint i = 0; i < c->escalations->len; i++) {
        sg_escalation_rule *r = &g_array_index(c->escalations, sg_escalation_rule, i);
        g_free((char *)r->sla);
        g_free((char *)r->team);
        g_free((char *)r->category);
        g_free((char *)r->target);
    }
    g_array_free(c->escalations, TRUE);
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
size_t sg_config_intake_count(const sg_config *c) { return c->intakes->len; }

const sg_intake *sg_config_intake(const sg_config *c, size_t i)
{
    return i < c->intakes->len ? &g_array_index(c->intakes, sg_intake, i) : NULL;
}

const sg_intake *sg_config_intake_find(const sg_config *c, const char *addr)
{
    if (!addr)
        return NULL;
    size_t len = strlen(addr);
    if (len >= 2 && addr[0] == '<' && addr[len - 1] == '>') {
        addr++;
        len -= 2;
    }
    for (guint i = 0; i < c->intakes->len; i++) {
        const sg_intake *in = &g_array_index(c->intakes, sg_intake, i);
        if (strlen(in->address) == len && g_ascii_strncasecmp(in->address, addr, len) == 0)
            return in;
    }
    return NULL;
}

size_t sg_config_team_count(const sg_config *c) { return c->teams->len; }

const sg_team *sg_config_team(const sg_config *c, size_t i)
{
    return i < c->teams->len ? &g_array_index(c->teams, sg_team, i) : NULL;
}

const sg_team *sg_config_team_find(const sg_config *c, const char *name)
{
    for (guint i = 0; name && i < c->teams->len; i++)
        if (strcmp(g_array_index(c->teams, sg_team, i).name, name) == 0)
            return &g_array_index(c->teams, sg_team, i);
    return NULL;
}

const sg_team *sg_config_first_line(const sg_config *c)
{
    for (guint i = 0; i < c->teams->len; i++)
        if (g_array_index(c->teams, sg_team, i).level == 1)
            return &g_array_index(c->teams, sg_team, i);
    return sg_config_team(c, 0);
}

const sg_rules *sg_config_rules(const sg_config *c) { return c->rules; }
size_t sg_config_digest_count(const sg_config *c) { return c->digests->len; }

const sg_digest *sg_config_digest(const sg_config *c, size_t i)
{
    return i < c->digests->len ? &g_array_index(c->digests, sg_digest, i) : NULL;
}

size_t sg_config_escalation_count(const sg_config *c) { return c->escalations->len; }

const sg_escalation_rule *sg_config_escalation(const sg_config *c, size_t i)
{
    return i < c->escalations->len ? &g_array_index(c->escalations, sg_escalation_rule, i) : NULL;
}

static int field_matches(const char *pattern, const char *value)
{
    return strcmp(pattern, "*") == 0 || (value && strcmp(pattern, value) == 0);
}

int sg_escalation_matches(const sg_escalation_rule *rule, const char *sla, const char *team, const char *category)
{
    return field_matches(rule->sla, sla) && field_matches(rule->team, team) && field_matches(rule->category, category);
}

int sg_config_agent_network(const sg_config *c, const char *addr)
{
    GInetAddress *a = addr ? g_inet_address_new_from_string(addr) : NULL;
    int hit = a && net_matches(c->str[SG_CFG_AGENT_NETWORKS], a) == 1;
    if (a)
        g_object_unref(a);
    return hit;
}

int sg_team_on_shift(const sg_team *team, long long t)
{
    if (team->n_calendars == 0)
        return 1;
    for (size_t i = 0; i < team->n_calendars; i++)
        if (sg_calendar_on_shift(team->calendars[i], t))
            return 1;
    return 0;
}

long long sg_team_next_start(const sg_team *team, long long t)
{
    if (team->n_calendars == 0)
        return t;
    long long best = G_MAXINT64;
    for (size_t i = 0; i < team->n_calendars; i++) {
        long long s = sg_calendar_next_start(team->calendars[i], t);
        best = s < best ? s : best;
    }
    return best;
}

/* Acknowledgement and first response are promised 24/7 whoever owns the ticket, so their warnings and
 * breaches cannot wait for an owning team's next shift: that would be after the deadline. */
const sg_team *sg_config_stand_in(const sg_config *c, const sg_team *team, const char *sla, long long t)
{
    const sg_team *first = sg_config_first_line(c);
    if (!team || !first || first == team || sg_team_on_shift(team, t))
        return NULL;
    return strcmp(sla, "ack") == 0 || strcmp(sla, "first_response") == 0 ? first : NULL;
}

char *sg_team_hours(const sg_team *team)
{
    if (team->n_calendars == 0)
        return g_strdup("24/7");
    GString *s = g_string_new(NULL);
    for (size_t i = 0; i < team->n_calendars; i++)
        g_string_append_printf(s, "%s%s", i ? "; " : "", sg_calendar_describe(team->calendars[i]));
    return g_string_free(s, FALSE);
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
