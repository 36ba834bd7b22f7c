/* cli_sla.c - `sla report`: per SLA and team, met, breached, median and p95, as a table or one JSON document. */
#include <math.h>
#include <string.h>

#include "cli.h"
#include "duration.h"
#include "report.h"

/* --since/--until 24h (a duration back from now) or a date, as PostgreSQL reads it.  g_free. */
static char *report_timestamp(const char *since)
{
    long long secs;
    if (sg_duration_parse(since, &secs) < 0)
        return g_strdup(since);
    GDateTime *now = g_date_time_new_now_utc(), *then = g_date_time_add_seconds(now, -(double)secs);
    char *s = g_date_time_format_iso8601(then);
    g_date_time_unref(now);
    g_date_time_unref(then);
    return s;
}

#define SLA_ROW_FORMAT "%-15s %-12s %8s %8s %8s %14s %14s\n"

/* Hours and minutes ("2 h 27 min"), or "-" where no clock of the row has a duration; seconds stay in --json. */
static const char *duration_cell(char *buf, size_t size, double v)
{
    return isnan(v) ? "-" : sg_duration_hm((long long)v, buf, size);
}

static void print_sla_row(const sg_sla_row *s)
{
    char tickets[24], met[24], breached[24], median[32], p95[32];
    g_snprintf(tickets, sizeof tickets, "%lld", s->tickets);
    g_snprintf(met, sizeof met, "%lld", s->met);
    g_snprintf(breached, sizeof breached, "%lld", s->breached);
    printf(SLA_ROW_FORMAT, s->sla, s->team, tickets, met, breached, duration_cell(median, sizeof median, s->median_s),
           duration_cell(p95, sizeof p95, s->p95_s));
}

static int print_sla_table(PGconn *db, const char *since, const char *until, const char *by, char **err)
{
    GPtrArray *rows = sg_report_sla(db, since, until, by, err);
    if (!rows)
        return -1;
    char *title = g_ascii_strup(by, -1);
    printf(SLA_ROW_FORMAT, "SLA", title, "TICKETS", "MET", "BREACHED", "MEDIAN", "P95");
    g_free(title);
    for (guint i = 0; i < rows->len; i++)
        print_sla_row(g_ptr_array_index(rows, i));
    g_ptr_array_unref(rows);
    return 0;
}

static int print_sla_json(PGconn *db, const char *since, const char *until, const char *by, char **err)
{
    return print_document(sg_report_sla_json(db, since, until, by, err));
}

static int do_sla_report(cmdctx *x, PGconn *db, char **err)
{
    char *since = report_timestamp(x->o.since ? x->o.since : "7d"); /* a week by default */
    char *until = x->o.until ? report_timestamp(x->o.until) : NULL;
    int rc = (x->o.json ? print_sla_json : print_sla_table)(db, since, until, x->o.by ? x->o.by : "team", err);
    g_free(since);
    g_free(until);
    return rc;
}

int cmd_sla_report(cmdctx *x)
{
    if (x->o.by && strcmp(x->o.by, "team") && strcmp(x->o.by, "category") && strcmp(x->o.by, "agent"))
        return usage_error(x, "--by must be team, category or agent");
    return with_db(x, AS_CLI, do_sla_report);
}
