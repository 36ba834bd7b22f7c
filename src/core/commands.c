/* commands.c - the "#command" lines at the top of an agent's mail: parsed, validated, stripped. */
#include "commands.h"

#include <glib.h>
#include <string.h>

#include "domain.h"
#include "duration.h"

static void lower_inplace(char *s)
{
    for (; *s; s++)
        *s = g_ascii_tolower(*s);
}

struct sg_commands {
    GArray *cmds;    /* sg_command */
    GString *errors;
    char *rest;
};

static const char *const names[] = {
    [SG_CMD_STATUS] = "status", [SG_CMD_ESCALATE] = "escalate", [SG_CMD_ASSIGN] = "assign",
    [SG_CMD_ETA] = "eta", [SG_CMD_CATEGORY] = "category", [SG_CMD_INTERNAL] = "internal",
    [SG_CMD_MERGE] = "merge", [SG_CMD_LINK] = "link", [SG_CMD_INCIDENT] = "incident",
    [SG_CMD_APPROVE] = "approve",
};

/* "1042" or "#1042": a ticket id, or 0. */
static long long ticket_number(const char *s)
{
    if (*s == '#')
        s++;
    if (!g_ascii_isdigit(*s) || strspn(s, "0123456789") != strlen(s) || strlen(s) > 18)
        return 0;
    return g_ascii_strtoll(s, NULL, 10);
}

/* "5", "#5" or "INC-5": an incident id, or 0. */
static long long incident_number(const char *s)
{
    if (g_ascii_strncasecmp(s, "inc-", 4) == 0)
        s += 4;
    return ticket_number(s);
}

const char *sg_cmd_name(sg_cmd_kind kind) { return names[kind]; }

/* #status sets any status but new: a ticket is new only until it is first worked. */
static int settable_status(const char *v)
{
    int s = sg_status_parse(v);
    return s >= 0 && s != SG_STATUS_NEW;
}

/* An absolute #eta: "2026-11-25", "2026-11-25 17:00", "2026-11-25T17:00+01:00". */
static int looks_like_date(const char *s)
{
    return g_regex_match_simple("^\\d{4}-\\d{2}-\\d{2}([ T]\\d{2}:\\d{2}(:\\d{2})?)?([+-]\\d{2}(:?\\d{2})?|Z)?$", s, 0, 0);
}

static void add_error(sg_commands *c, int line, const char *word, const char *problem)
{
    g_string_append_printf(c->errors, "line %d: #%s: %s\n", line, word, problem);
}

static const char *check_args(sg_command *cmd)
{
    int has = cmd->arg && *cmd->arg;
    switch (cmd->kind) {
    case SG_CMD_STATUS:
        return has && settable_status(cmd->arg) ? NULL : "expects one of open, pending, resolved, closed";
    case SG_CMD_CATEGORY:
        return has && sg_category_parse(cmd->arg) >= 0 ? NULL : "expects one of simple, standard, complex, custom";
    case SG_CMD_ESCALATE:
        return has ? NULL : "expects a team name";
    case SG_CMD_ASSIGN:
        return has && strchr(cmd->arg, '@') ? NULL : "expects an agent's address";
    case SG_CMD_ETA:
        if (has && sg_duration_parse(cmd->arg, &cmd->seconds) == 0 && cmd->seconds > 0)
            return NULL;
        cmd->seconds = 0;
        return has && looks_like_date(cmd->arg) ? NULL : "expects a duration (2h, 1d) or a date (2026-11-25 17:00)";
    case SG_CMD_INTERNAL:
        return has ? "takes no argument" : NULL;
    case SG_CMD_MERGE:
    case SG_CMD_LINK:
        return has && (cmd->number = ticket_number(cmd->arg)) > 0 ? NULL : "expects a ticket number (1042)";
    case SG_CMD_INCIDENT:
        if (has && g_ascii_strcasecmp(cmd->arg, "new") == 0)
            return cmd->extra && *cmd->extra ? NULL : "new expects a title (#incident new Storage array down in DC2)";
        return has && (cmd->number = incident_number(cmd->arg)) > 0 && !(cmd->extra && *cmd->extra)
                   ? NULL : "expects new TITLE, or an incident's number (INC-5)";
    case SG_CMD_APPROVE:
        return has ? NULL : "expects what the approvers are asked (#approve downtime credit 20 EUR)";
    }
    return "unknown command";
}

/* "#escalate sysadmins firewall rules" -> kind, arg "sysadmins", extra "firewall rules". */
static void parse_command(sg_commands *c, const char *line, int lineno)
{
    const char *p = line + 1;
    const char *end = p;
    while (*end && !g_ascii_isspace(*end))
        end++;
    char *word = g_ascii_strdown(p, end - p);
    int kind = -1;
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
        if (strcmp(word, names[i]) == 0)
            kind = (int)i;
    if (kind < 0) {
        add_error(c, lineno, word, "unknown command (known: status, escalate, assign, eta, category, internal, merge, link, incident, approve)");
        g_free(word);
        return;
    }
    sg_command cmd = { .kind = kind, .line = lineno };
    char *args = g_strstrip(g_strdup(end));
    if (kind == SG_CMD_ETA || kind == SG_CMD_INTERNAL || kind == SG_CMD_APPROVE) {
        cmd.arg = args; /* the whole rest: a date may contain a space */
    } else {
        char **two = g_strsplit_set(args, " \t", 2);
        cmd.arg = g_strdup(two[0] ? two[0] : "");
        cmd.extra = g_strstrip(g_strdup(two[0] && two[1] ? two[1] : ""));
        g_strfreev(two);
        g_free(args);
    }
    if (kind == SG_CMD_STATUS || kind == SG_CMD_CATEGORY || kind == SG_CMD_ASSIGN)
        lower_inplace(cmd.arg);
    const char *problem = check_args(&cmd);
    if (problem) {
        add_error(c, lineno, word, problem);
        g_free(cmd.arg);
        g_free(cmd.extra);
    } else {
        g_array_append_val(c->cmds, cmd);
    }
    g_free(word);
}

sg_commands *sg_commands_parse(const char *text)
{
    sg_commands *c = g_new0(sg_commands, 1);
    c->cmds = g_array_new(FALSE, TRUE, sizeof(sg_command));
    c->errors = g_string_new(NULL);
    const char *p = text ? text : "";
    int lineno = 0;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char *line = g_strstrip(g_strndup(p, len));
        lineno++;
        int is_cmd = line[0] == '#' && line[1] && !g_ascii_isspace(line[1]);
        if (is_cmd)
            parse_command(c, line, lineno);
        g_free(line);
        if (!is_cmd && len > 0 && strspn(p, " \t\r") < len)
            break; /* first line of text */
        p = nl ? nl + 1 : p + len;
    }
    while (*p == '\n' || *p == '\r')
        p++;
    c->rest = g_strdup(p);
    return c;
}

void sg_commands_free(sg_commands *c)
{
    if (!c)
        return;
    for (guint i = 0; i < c->cmds->len; i++) {
        sg_command *cmd = &g_array_index(c->cmds, sg_command, i);
        g_free(cmd->arg);
        g_free(cmd->extra);
    }
    g_array_free(c->cmds, TRUE);
    g_string_free(c->errors, TRUE);
    g_free(c->rest);
    g_free(c);
}

size_t sg_commands_count(const sg_commands *c) { return c->cmds->len; }

const sg_command *sg_commands_get(const sg_commands *c, size_t i)
{
    return i < c->cmds->len ? &g_array_index(c->cmds, sg_command, i) : NULL;
}

const sg_command *sg_commands_find(const sg_commands *c, sg_cmd_kind kind)
{
    for (guint i = 0; i < c->cmds->len; i++)
        if (g_array_index(c->cmds, sg_command, i).kind == kind)
            return &g_array_index(c->cmds, sg_command, i);
    return NULL;
}

const char *sg_commands_errors(const sg_commands *c) { return c->errors->len ? c->errors->str : NULL; }
const char *sg_commands_rest(const sg_commands *c) { return c->rest; }
