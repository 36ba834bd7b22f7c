/* cli_queue.c - `queue`: a team's open tickets, next deadline first, as a table or one JSON document. */
#include <string.h>

#include "cli.h"
#include "duration.h"
#include "queue.h"
#include "text.h"

#define QUEUE_SUBJECT_MAX 50 /* characters; a longer subject is cut with an ellipsis */

/* The subject on one line, control characters gone (it comes from strangers), at most QUEUE_SUBJECT_MAX. */
static char *subject_cell(const char *subject)
{
    char *s = sg_text_one_line(g_utf8_make_valid(subject, -1));
    if (g_utf8_strlen(s, -1) <= QUEUE_SUBJECT_MAX)
        return s;
    char *head = g_utf8_substring(s, 0, QUEUE_SUBJECT_MAX - 1), *cut = g_strconcat(head, "\u2026", NULL);
    g_free(head);
    g_free(s);
    return cut;
}

/* Widths of the team, assignee and status columns: the longest value or the title. */
static void queue_widths(const GPtrArray *rows, int w[3])
{
    w[0] = 4, w[1] = 8, w[2] = 6;
    for (guint i = 0; i < rows->len; i++) {
        const sg_queue_row *q = g_ptr_array_index(rows, i);
        w[0] = MAX(w[0], (int)strlen(q->team));
        w[1] = MAX(w[1], (int)strlen(q->assignee));
        w[2] = MAX(w[2], (int)strlen(q->status));
    }
}

static void print_queue_row(const sg_queue_row *q, const int w[3])
{
    char waited[32], *subject = subject_cell(q->subject);
    sg_duration_hm(q->waiting_s, waited, sizeof waited);
    printf("%-6lld %-*s %-*s %-*s %-22s %-14s %s\n", q->id, w[0], q->team, w[1], *q->assignee ? q->assignee : "-",
           w[2], q->status, q->next_due, q->waiting_s ? waited : "-", subject);
    g_free(subject);
}

static int print_queue_table(PGconn *db, const char *team, char **err)
{
    GPtrArray *rows = sg_queue_rows(db, team, err);
    if (!rows)
        return -1;
    int w[3];
    queue_widths(rows, w);
    if (rows->len == 0)
        printf("no open tickets\n");
    else
        printf("%-6s %-*s %-*s %-*s %-22s %-14s %s\n", "ID", w[0], "TEAM", w[1], "ASSIGNEE", w[2], "STATUS",
               "NEXT DUE", "WAITING", "SUBJECT");
    for (guint i = 0; i < rows->len; i++)
        print_queue_row(g_ptr_array_index(rows, i), w);
    g_ptr_array_unref(rows);
    return 0;
}

static int do_queue(cmdctx *x, PGconn *db, char **err)
{
    const char *team = x->o.nargs ? x->o.arg[0] : NULL;
    return x->o.json ? print_document(sg_queue_json(db, team, err)) : print_queue_table(db, team, err);
}

int cmd_queue(cmdctx *x)
{
    if (x->o.nargs && !sg_config_team_find(x->cfg, x->o.arg[0]))
        return fail("no team \"%s\" in %s (see: supportgate team list)", x->o.arg[0], sg_config_path(x->cfg));
    return with_db(x, AS_CLI, do_queue);
}
