/* digestview.h - a management digest's text and HTML made from plain figures: attainment, teams, worst tickets. */
#ifndef SG_DIGESTVIEW_H
#define SG_DIGESTVIEW_H

#include <stddef.h>

/* One SLA's clocks that fell due in the period: met in time or breached; the same for the previous period
 * when there was one (HAS_PREV). */
typedef struct {
    const char *name; /* ack, first_response, update, resolution */
    long long met, breached;
    int has_prev;
    long long prev_met, prev_breached;
} sg_dv_sla;

/* One team's clocks of the period, under its name in the staff language. */
typedef struct {
    const char *title;
    long long met, breached;
} sg_dv_team;

/* A breached ticket: how late in its team's working seconds, who owns it now and where it stands. */
typedef struct {
    long long id;
    const char *sla, *owner, *assignee, *status, *subject; /* ASSIGNEE NULL or "" for none */
    long long late_s;
} sg_dv_ticket;

/* Overload episodes that overlapped the period (COUNT 0: none). */
typedef struct {
    long long count, peak_backlog, oldest_wait_s;
} sg_dv_overload;

typedef struct {
    const char *lang;                   /* staff language */
    const char *tag_prefix;             /* "INTROSERV": ticket tags read [INTROSERV #12] */
    const char *from, *to, *timezone;   /* the period, as people read it */
    long long breaches;                 /* the breaches this digest took */
    const char *prev;                   /* the previous digest's count, or "none" */
    const sg_dv_sla *slas;
    size_t n_slas;
    const sg_dv_team *teams;
    size_t n_teams;
    const sg_dv_ticket *worst;          /* worst first */
    size_t n_worst;
    sg_dv_overload overload;
} sg_digest_view;

/* Whether the period has nothing to tell: no breach taken and no overload episode. */
int sg_digestview_empty(const sg_digest_view *v);

/* The text part: headings and columns aligned whatever the widths of ids, names and numbers (g_free). */
char *sg_digestview_text(const sg_digest_view *v);

/* The HTML part for mail clients: nested tables, inline styles only, no external resource, no script (g_free). */
char *sg_digestview_html(const sg_digest_view *v);

/* Attainment as people read it: "97.5%", or "-" when no clock fell due.  Returns BUF. */
char *sg_digestview_pct(long long met, long long breached, char *buf, size_t len);

#endif
