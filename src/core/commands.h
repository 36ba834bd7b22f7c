/* commands.h - the "#command" lines at the top of an agent's mail: parsed, validated, stripped. */
#ifndef SG_COMMANDS_H
#define SG_COMMANDS_H

#include <stddef.h>

typedef enum {
    SG_CMD_STATUS,    /* arg: open|pending|resolved|closed */
    SG_CMD_ESCALATE,  /* arg: team, extra: reason (may be "") */
    SG_CMD_ASSIGN,    /* arg: agent address */
    SG_CMD_ETA,       /* arg: as written; seconds > 0 for a duration, or at: ISO date/time text */
    SG_CMD_CATEGORY,  /* arg: simple|standard|complex|custom */
    SG_CMD_INTERNAL,  /* no arg */
    SG_CMD_MERGE,     /* arg: the ticket this one merges into ("1042" or "#1042"); number: its id */
    SG_CMD_LINK,      /* arg: the ticket this one is linked with; number: its id */
    SG_CMD_INCIDENT,  /* "new TITLE": arg "new", extra the title; "ID": number the incident's id ("5", "INC-5") */
    SG_CMD_APPROVE,   /* arg: the whole request ("downtime credit 20 EUR") for the approvers */
} sg_cmd_kind;

typedef struct {
    sg_cmd_kind kind;
    char *arg;
    char *extra;
    long long seconds; /* #eta given as a duration */
    long long number;  /* #merge, #link: the other ticket's id */
    int line;          /* 1-based line in the text */
} sg_command;

typedef struct sg_commands sg_commands;

/* Parse the leading command block of TEXT (UTF-8).  Blank lines before and between commands are
 * allowed; the block ends at the first line not starting with '#'.  Quoted text ("> ...") ends it too.
 * Never NULL. */
sg_commands *sg_commands_parse(const char *text);
void sg_commands_free(sg_commands *c);

size_t sg_commands_count(const sg_commands *c);
const sg_command *sg_commands_get(const sg_commands *c, size_t i);
/* The first command of KIND, or NULL. */
const sg_command *sg_commands_find(const sg_commands *c, sg_cmd_kind kind);
/* Problems found, one line each ("line 2: #stauts: unknown command"); NULL when all were valid. */
const char *sg_commands_errors(const sg_commands *c);
/* TEXT without the command block and leading blank lines: what the customer may read.  "" when the
 * mail held only commands. */
const char *sg_commands_rest(const sg_commands *c);

const char *sg_cmd_name(sg_cmd_kind kind);

#endif
