/* ticketmail.h - mail about one ticket: to its customer from a template, to a team with its history, threaded under the request. */
#ifndef SG_TICKETMAIL_H
#define SG_TICKETMAIL_H

#include <glib.h>
#include <libpq-fe.h>

#include "compose.h"
#include "config.h"
#include "sgtime.h"

typedef struct sg_tmail sg_tmail;

/* What mail about TICKET needs, read with the row locked (FOR UPDATE) for the caller's transaction.
 * NULL with *ERR on a database error; NULL without *ERR when there is no such ticket. */
sg_tmail *sg_tmail_load(PGconn *db, const sg_config *c, long long ticket, char **err);
void sg_tmail_free(sg_tmail *t);

long long sg_tmail_ticket(const sg_tmail *t);
const char *sg_tmail_tag(const sg_tmail *t);          /* "[INTROSERV #42]" */
const char *sg_tmail_subject(const sg_tmail *t);
const char *sg_tmail_requester(const sg_tmail *t);
const char *sg_tmail_requester_name(const sg_tmail *t);
const char *sg_tmail_lang(const sg_tmail *t);         /* template language: "uk" or "en" */
const char *sg_tmail_team(const sg_tmail *t);
const char *sg_tmail_category(const sg_tmail *t);
/* The ticket now belongs to TEAM (after an escalation in the same transaction). */
void sg_tmail_moved(sg_tmail *t, const char *team);

/* In-Reply-To and References that file O under the customer's request; *REFS holds them (g_strfreev). */
void sg_tmail_thread(const sg_tmail *t, sg_outgoing *o, char ***refs);
/* The requester, then every Cc kept on the ticket (the array's strings belong to T). */
GPtrArray *sg_tmail_customer_rcpts(const sg_tmail *t);

/* What a letter says beyond the ticket's own facts (sg_letter): times are Unix seconds, 0 where none applies. */
typedef struct {
    const sg_team *team;  /* the team that has the ticket */
    const char *reason;   /* an escalation's reason, or NULL */
    sg_time now, news_due, eta;
    const char *into_tag; /* merged: the tag of the ticket it went into, or NULL */
    const char *incident_title, *update; /* incident notices: the incident's title, the agent's words */
} sg_tmail_vars;

/* Template NAME (escalate, escalate_note, eta...) rendered in the ticket's language with the customer's greeting:
 * the body, and in *SUBJECT (g_free) its Subject line or NULL.  NULL with *ERR when the template is unreadable. */
char *sg_tmail_render(const sg_config *c, const sg_tmail *t, const char *name, const sg_tmail_vars *v, char **subject,
                      char **err);

/* Template NAME in the ticket's language to the requester and Cc, as a notice; none (an event says so) when the
 * mail that opened the ticket came from a machine (RFC 3834: a bounce, an auto-reply, a list). */
int sg_tmail_to_customer(PGconn *db, const sg_config *c, const sg_tmail *t, const char *name,
                         const sg_tmail_vars *v, char **err);

/* An agent's answer to the ticket's customer: what it says, who wrote it. */
typedef struct {
    const char *agent, *agent_name;     /* the agent's address (filed as by_agent) and display name */
    const char *subject, *body;
    const char *origin;                 /* the agent's own Message-ID behind it (a resent mail is seen), or NULL */
    const sg_attachment *const *files;  /* files the agent attached, sent with it */
    size_t n_files;
} sg_tmail_answer_in;

/* A's words to the requester and the kept Cc from the support address under "Agent Name — support_name",
 * threaded under the request and filed as the agent's answer: it stops the first-response clock and turns a new
 * ticket open.  *MESSAGE_ID (g_free) names the mail sent.  0, or -1 with *ERR. */
int sg_tmail_answer(PGconn *db, const sg_config *c, const sg_tmail *t, const sg_tmail_answer_in *a, char **message_id,
                    char **err);

/* TEAM's mailbox gets HEADLINE, the ticket and its whole history, as internal mail leaving at NOT_BEFORE. */
/* The owning team and the first line learn that ticket T follows up OLD, closed longer than reopen_window ago:
 * one internal mail, threaded with the customer's, that quotes OLD's last exchange (the customer's last mail and
 * the last answer they got). */
int sg_tmail_follow_up_note(PGconn *db, const sg_config *c, const sg_tmail *t, long long old, char **err);

int sg_tmail_to_team(PGconn *db, const sg_config *c, const sg_tmail *t, const sg_team *team, const char *headline,
                     sg_time not_before, char **err);

#endif
