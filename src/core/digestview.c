/* digestview.c - a management digest's text and HTML made from plain figures: attainment, teams, worst tickets. */
#include "digestview.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "duration.h"
#include "phrase.h"

/* The column names of SG_PHRASE_DIGEST_COLUMNS, in its order. */
enum { C_SLA, C_MET, C_BREACHED, C_ATTAINED, C_PREVIOUS, C_TEAM, C_TICKET, C_OWNER, C_STATUS, C_LATE, C_SUBJECT,
       C_COUNT };

/* The colours of the team bars (met, breached) and the frame; the rendering test looks for the first two. */
#define MET_COLOUR "#2e7d32"
#define BREACHED_COLOUR "#c62828"
#define HEAD_COLOUR "#1f3a5f"
#define FONT "font-family:Arial,Helvetica,sans-serif;"
#define BAR_CELLS 20

/* A table as rows of N_COLS strings (the header first), and which columns are numbers (aligned right). */
typedef struct {
    GPtrArray *cells;
    size_t n_cols;
    const int *right;
    GArray *dir;  /* the SLA table: each row's direction against the previous period (enum direction) */
} table;

/* Which way attainment went; the HTML part shows it as a coloured arrow before the words. */
enum direction { DIR_NONE, DIR_UP, DIR_DOWN, DIR_SAME };

static void table_init(table *t, const char *const *head, const int *right, size_t n_cols)
{
    t->cells = g_ptr_array_new_with_free_func(g_free);
    t->n_cols = n_cols;
    t->right = right;
    t->dir = g_array_new(FALSE, TRUE, sizeof(int));
    for (size_t i = 0; i < n_cols; i++)
        g_ptr_array_add(t->cells, g_strdup(head[i] ? head[i] : ""));
}

static const char *cell(const table *t, size_t row, size_t col)
{
    return g_ptr_array_index(t->cells, row * t->n_cols + col);
}

static size_t table_rows(const table *t)
{
    return t->cells->len / t->n_cols;
}

char *sg_digestview_pct(long long met, long long breached, char *buf, size_t len)
{
    if (met + breached <= 0)
        g_strlcpy(buf, "-", len);
    else
        snprintf(buf, len, "%.1f%%", 100.0 * (double)met / (double)(met + breached));
    return buf;
}

/* Each column as wide as its widest cell, in characters (UTF-8), so that nothing shifts. */
static void text_table(GString *out, const table *t)
{
    size_t *w = g_new0(size_t, t->n_cols);
    for (size_t r = 0; r < table_rows(t); r++)
        for (size_t c = 0; c < t->n_cols; c++)
            w[c] = MAX(w[c], (size_t)g_utf8_strlen(cell(t, r, c), -1));
    for (size_t r = 0; r < table_rows(t); r++) {
        GString *line = g_string_new("  ");
        for (size_t c = 0; c < t->n_cols; c++) {
            const char *s = cell(t, r, c);
            size_t pad = w[c] - (size_t)g_utf8_strlen(s, -1);
            if (t->right[c])
                g_string_append_printf(line, "%*s%s", (int)pad, "", s);
            else
                g_string_append_printf(line, "%s%*s", s, c + 1 < t->n_cols ? (int)pad : 0, "");
            if (c + 1 < t->n_cols)
                g_string_append(line, "  ");
        }
        while (line->len && line->str[line->len - 1] == ' ')
            g_string_truncate(line, line->len - 1);
        g_string_append_printf(out, "%s\n", line->str);
        g_string_free(line, TRUE);
    }
    g_free(w);
}

/* OPEN, TEXT escaped, CLOSE. */
static void html_put(GString *html, const char *open, const char *text, const char *close)
{
    char *e = g_markup_escape_text(text, -1);
    g_string_append_printf(html, "%s%s%s", open, e, close);
    g_free(e);
}

static void html_heading(GString *html, const char *h)
{
    html_put(html, "<tr><td style=\"padding:18px 20px 6px 20px;" FONT "font-size:15px;font-weight:bold;color:"
             HEAD_COLOUR ";\">", h, "</td></tr>\n");
}

/* A coloured arrow (HTML entities: the part stays 7-bit) before a direction's words. */
static void html_arrow(GString *html, int dir)
{
    static const char *const arrow[] = { [DIR_UP] = "<span style=\"color:" MET_COLOUR ";\">&#9650;</span> ",
                                         [DIR_DOWN] = "<span style=\"color:" BREACHED_COLOUR ";\">&#9660;</span> ",
                                         [DIR_SAME] = "<span style=\"color:#52606d;\">&#9644;</span> " };
    if (dir != DIR_NONE)
        g_string_append(html, arrow[dir]);
}

static void html_table(GString *html, const table *t)
{
    g_string_append(html, "<tr><td style=\"padding:0 20px;\"><table role=\"presentation\" width=\"100%\""
                          " cellpadding=\"0\" cellspacing=\"0\" style=\"border-collapse:collapse;" FONT "font-size:13px;\">\n");
    for (size_t r = 0; r < table_rows(t); r++) {
        g_string_append(html, "<tr>");
        for (size_t c = 0; c < t->n_cols; c++) {
            const char *align = t->right[c] ? "right" : "left";
            if (r == 0)
                g_string_append_printf(html, "<th align=\"%s\" style=\"padding:6px 8px;background:#eef1f4;color:#52606d;"
                                             "font-weight:bold;border-bottom:1px solid #d9dee3;\">", align);
            else
                g_string_append_printf(html, "<td align=\"%s\" style=\"padding:6px 8px;border-bottom:1px solid #eef1f4;"
                                             "color:#1f2933;%s\">", align,
                                       c == 0 || t->right[c] ? "white-space:nowrap;" : "");
            if (r > 0 && c + 1 == t->n_cols && r - 1 < t->dir->len)
                html_arrow(html, g_array_index(t->dir, int, r - 1));
            html_put(html, "", cell(t, r, c), r == 0 ? "</th>\n" : "</td>\n");
        }
        g_string_append(html, "</tr>\n");
    }
    g_string_append(html, "</table></td></tr>\n");
}

static void table_free(table *t)
{
    g_ptr_array_unref(t->cells);
    g_array_free(t->dir, TRUE);
}

static void add_cell(table *t, char *s)
{
    g_ptr_array_add(t->cells, s);
}

/* "up from 91.0%", "down from ...", "unchanged at ...", or that there is nothing to compare with; *DIR which. */
static char *trend(const char *lang, const sg_dv_sla *s, int *dir)
{
    char prev[32];
    *dir = DIR_NONE;
    if (!s->has_prev || s->prev_met + s->prev_breached <= 0 || s->met + s->breached <= 0)
        return sg_phrase(lang, SG_PHRASE_DIGEST_NO_PREV, NULL);
    double now = (double)s->met / (double)(s->met + s->breached);
    double before = (double)s->prev_met / (double)(s->prev_met + s->prev_breached);
    sg_digestview_pct(s->prev_met, s->prev_breached, prev, sizeof prev);
    *dir = now > before + 0.0005 ? DIR_UP : now < before - 0.0005 ? DIR_DOWN : DIR_SAME;
    sg_phrase_id id = *dir == DIR_UP ? SG_PHRASE_DIGEST_UP : *dir == DIR_DOWN ? SG_PHRASE_DIGEST_DOWN : SG_PHRASE_DIGEST_SAME;
    return sg_phrase(lang, id, "prev", prev, NULL);
}

/* A row's first cells: its NAME, the met and breached clocks and the attainment. */
static void add_figures(table *t, const char *name, long long met, long long breached)
{
    char pct[32];
    add_cell(t, g_strdup(name));
    add_cell(t, g_strdup_printf("%lld", met));
    add_cell(t, g_strdup_printf("%lld", breached));
    add_cell(t, g_strdup(sg_digestview_pct(met, breached, pct, sizeof pct)));
}

/* The met share of a team's clocks in SCALE parts, rounded; 0 when it had none. */
static int met_share(const sg_dv_team *s, int scale)
{
    long long all = s->met + s->breached;
    return all > 0 ? (int)((s->met * scale + all / 2) / all) : 0;
}

static void sla_table(table *t, const sg_digest_view *v, char **col)
{
    static const int right[] = { 0, 1, 1, 1, 0 };
    const char *head[] = { col[C_SLA], col[C_MET], col[C_BREACHED], col[C_ATTAINED], col[C_PREVIOUS] };
    table_init(t, head, right, G_N_ELEMENTS(head));
    for (size_t i = 0; i < v->n_slas; i++) {
        const sg_dv_sla *s = &v->slas[i];
        add_figures(t, s->name, s->met, s->breached);
        int dir;
        add_cell(t, trend(v->lang, s, &dir));
        g_array_append_val(t->dir, dir);
    }
}

/* "[###############.....]": a team's met and breached share, for the text part. */
static char *text_bar(const sg_dv_team *s)
{
    int met = met_share(s, BAR_CELLS);
    char bar[BAR_CELLS + 3] = "[";
    for (int k = 0; k < BAR_CELLS; k++)
        bar[k + 1] = s->met + s->breached == 0 ? ' ' : k < met ? '#' : '.';
    bar[BAR_CELLS + 1] = ']';
    return g_strdup(bar);
}

static void team_table(table *t, const sg_digest_view *v, char **col)
{
    static const int right[] = { 0, 1, 1, 1, 0 };
    const char *head[] = { col[C_TEAM], col[C_MET], col[C_BREACHED], col[C_ATTAINED], "" };
    table_init(t, head, right, G_N_ELEMENTS(head));
    for (size_t i = 0; i < v->n_teams; i++) {
        add_figures(t, v->teams[i].title, v->teams[i].met, v->teams[i].breached);
        add_cell(t, text_bar(&v->teams[i]));
    }
}

/* "billing department, agent@example.com" or the team alone. */
static char *owner_of(const sg_dv_ticket *k)
{
    return k->assignee && *k->assignee ? g_strdup_printf("%s, %s", k->owner, k->assignee) : g_strdup(k->owner);
}

static void worst_table(table *t, const sg_digest_view *v, char **col)
{
    static const int right[] = { 0, 0, 0, 0, 1, 0 };
    const char *head[] = { col[C_TICKET], col[C_SLA], col[C_OWNER], col[C_STATUS], col[C_LATE], col[C_SUBJECT] };
    table_init(t, head, right, G_N_ELEMENTS(head));
    for (size_t i = 0; i < v->n_worst; i++) {
        const sg_dv_ticket *k = &v->worst[i];
        char late[64];
        add_cell(t, g_strdup_printf("[%s #%lld]", v->tag_prefix, k->id));
        add_cell(t, g_strdup(k->sla));
        add_cell(t, owner_of(k));
        add_cell(t, g_strdup(k->status));
        add_cell(t, g_strdup(sg_duration_hm_lang(k->late_s, v->lang, late, sizeof late)));
        add_cell(t, g_strdup(k->subject ? k->subject : ""));
    }
}

static char *overload_line(const sg_digest_view *v)
{
    char n[32], peak[32], wait[64];
    snprintf(n, sizeof n, "%lld", v->overload.count);
    snprintf(peak, sizeof peak, "%lld", v->overload.peak_backlog);
    sg_duration_hm_lang(v->overload.oldest_wait_s, v->lang, wait, sizeof wait);
    return sg_phrase(v->lang, SG_PHRASE_DIGEST_OVERLOAD, "n", n, "peak", peak, "wait", wait, NULL);
}

static char *title_of(const sg_digest_view *v)
{
    char n[32];
    snprintf(n, sizeof n, "%lld", v->breaches);
    return sg_phrase(v->lang, SG_PHRASE_DIGEST_TITLE, "from", v->from, "to", v->to, "timezone", v->timezone, "n", n,
                     "prev", v->prev, NULL);
}

int sg_digestview_empty(const sg_digest_view *v)
{
    return v->breaches == 0 && v->overload.count == 0;
}

/* Which sections the digest has: attainment and teams when a clock fell due, the worst tickets when one was late. */
typedef void (*section_fill)(table *, const sg_digest_view *, char **);
typedef struct {
    sg_phrase_id heading;
    section_fill fill;
    int shown;
} section;

static size_t sections_of(const sg_digest_view *v, section *s)
{
    s[0] = (section){ SG_PHRASE_DIGEST_ATTAINMENT, sla_table, v->n_slas > 0 };
    s[1] = (section){ SG_PHRASE_DIGEST_BY_TEAM, team_table, v->n_teams > 0 };
    s[2] = (section){ SG_PHRASE_DIGEST_WORST, worst_table, v->breaches > 0 && v->n_worst > 0 };
    return 3;
}

/* One cell of a bar, WIDTH percent of it, in COLOUR; none for 0. */
static void bar_part(GString *html, int width, const char *colour)
{
    if (width > 0)
        g_string_append_printf(html, "<td width=\"%d%%\" style=\"width:%d%%;height:14px;background:%s;"
                                     "font-size:0;line-height:0;\">&nbsp;</td>\n", width, width, colour);
}

/* One row per team: its name, a bar of its met (green) and breached (red) share, the percentage. */
static void html_bars(GString *html, const sg_digest_view *v)
{
    g_string_append(html, "<tr><td style=\"padding:8px 20px 0 20px;\"><table role=\"presentation\" width=\"100%\""
                          " cellpadding=\"0\" cellspacing=\"0\" style=\"" FONT "font-size:13px;\">\n");
    for (size_t i = 0; i < v->n_teams; i++) {
        const sg_dv_team *s = &v->teams[i];
        int met = met_share(s, 100);
        char pct[32];
        html_put(html, "<tr><td width=\"170\" style=\"width:170px;padding:4px 8px 4px 0;color:#1f2933;\">", s->title,
                 "</td>\n<td style=\"padding:4px 0;\"><table role=\"presentation\" width=\"100%\" cellpadding=\"0\""
                 " cellspacing=\"0\" style=\"background:#e4e7eb;\"><tr>");
        if (s->met + s->breached > 0) {
            bar_part(html, met, MET_COLOUR);
            bar_part(html, 100 - met, BREACHED_COLOUR);
        } else {
            g_string_append(html, "<td style=\"height:14px;font-size:0;line-height:0;\">&nbsp;</td>");
        }
        html_put(html, "</tr></table></td>\n<td width=\"70\" align=\"right\" style=\"width:70px;padding:4px 0 4px 8px;"
                 "color:#1f2933;font-weight:bold;\">", sg_digestview_pct(s->met, s->breached, pct, sizeof pct),
                 "</td></tr>\n");
    }
    g_string_append(html, "</table></td></tr>\n");
}

static void html_paragraph(GString *html, const char *text)
{
    html_put(html, "<tr><td style=\"padding:12px 20px;" FONT "font-size:14px;color:#1f2933;\">", text, "</td></tr>\n");
}

static void html_open(GString *html, const char *title)
{
    html_put(html, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>", title,
             "</title></head>\n<body style=\"margin:0;padding:0;background:#f4f5f7;\">\n"
             "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"background:#f4f5f7;\">"
             "<tr><td align=\"center\" style=\"padding:16px 8px;\">\n"
             "<table role=\"presentation\" width=\"640\" cellpadding=\"0\" cellspacing=\"0\" style=\"width:640px;"
             "max-width:100%;background:#ffffff;border:1px solid #d9dee3;\">\n");
    html_put(html, "<tr><td style=\"padding:16px 20px;background:" HEAD_COLOUR ";color:#ffffff;" FONT
             "font-size:17px;font-weight:bold;\">", title, "</td></tr>\n");
}

/* The text part's pieces. */
static void text_open(GString *out, const char *title)
{
    g_string_append_printf(out, "%s\n\n", title);
}

static void text_line(GString *out, const char *line)
{
    g_string_append_printf(out, "%s\n\n", line);
}

static void text_section(GString *out, const char *heading, const sg_digest_view *v, section_fill fill, char **col)
{
    table t;
    fill(&t, v, col);
    g_string_append_printf(out, "%s:\n", heading);
    text_table(out, &t);
    g_string_append_c(out, '\n');
    table_free(&t);
}

static void text_close(GString *out)
{
    g_string_append(out, "--\nsupportgate sla report --since 1d\n");
}

/* The HTML part's pieces: the teams as bars, the other sections as tables. */
static void html_section(GString *html, const char *heading, const sg_digest_view *v, section_fill fill, char **col)
{
    html_heading(html, heading);
    if (fill == team_table) {
        html_bars(html, v);
        return;
    }
    table t;
    fill(&t, v, col);
    html_table(html, &t);
    table_free(&t);
}

static void html_close(GString *html)
{
    g_string_append(html, "<tr><td style=\"padding:14px 20px;" FONT "font-size:12px;color:#7b8794;\">"
                          "supportgate sla report --since 1d</td></tr>\n</table>\n</td></tr></table>\n</body></html>\n");
}

/* How one part writes the title, a paragraph, a section and the end. */
typedef struct {
    void (*open)(GString *, const char *title);
    void (*line)(GString *, const char *text);
    void (*section)(GString *, const char *heading, const sg_digest_view *, section_fill, char **col);
    void (*close)(GString *);
} part_format;

static const part_format text_format = { text_open, text_line, text_section, text_close };
static const part_format html_format = { html_open, html_paragraph, html_section, html_close };

/* The title; the all-clear line when no breach was taken; the sections; the overload line. */
static char *render(const sg_digest_view *v, const part_format *f)
{
    GString *out = g_string_new(NULL);
    char *title = title_of(v), *cols = sg_phrase(v->lang, SG_PHRASE_DIGEST_COLUMNS, NULL);
    char **col = g_strsplit(cols, "|", C_COUNT);
    f->open(out, title);
    if (v->breaches == 0) {
        char *none = sg_phrase(v->lang, SG_PHRASE_DIGEST_NONE, NULL);
        f->line(out, none);
        g_free(none);
    }
    section s[3];
    for (size_t i = 0, n = sections_of(v, s); i < n && g_strv_length(col) == C_COUNT; i++) {
        if (!s[i].shown)
            continue;
        char *h = sg_phrase(v->lang, s[i].heading, NULL);
        f->section(out, h, v, s[i].fill, col);
        g_free(h);
    }
    if (v->overload.count > 0) {
        char *o = overload_line(v);
        f->line(out, o);
        g_free(o);
    }
    f->close(out);
    g_strfreev(col);
    g_free(cols);
    g_free(title);
    return g_string_free(out, FALSE);
}

char *sg_digestview_text(const sg_digest_view *v)
{
    return render(v, &text_format);
}

char *sg_digestview_html(const sg_digest_view *v)
{
    return render(v, &html_format);
}
