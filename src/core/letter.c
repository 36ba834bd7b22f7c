/* letter.c - customer mail from the operator's templates: a ticket's facts in the words of the customer's language. */
#include "letter.h"

#include <glib.h>
#include <string.h>

#include "duration.h"
#include "phrase.h"
#include "template.h"
#include "wording.h"

/* Each placeholder's value, worked out once before rendering. */
enum {
    V_GREETING, V_NAME_COMMA, V_FRT, V_FRT_UK, V_FRT_RU, V_FRT_BY, V_TEAM, V_HOURS_NOTE, V_NEWS_NOTE, V_ETA,
    V_ETA_NOTE, V_TIMEZONE, V_COUNT
};

static const char *const names[V_COUNT] = {
    [V_GREETING] = "greeting", [V_NAME_COMMA] = "name_comma", [V_FRT] = "first_response_target",
    [V_FRT_UK] = "first_response_target_uk", [V_FRT_RU] = "first_response_target_ru",
    [V_FRT_BY] = "first_response_by", [V_TEAM] = "team", [V_HOURS_NOTE] = "hours_note",
    [V_NEWS_NOTE] = "news_note", [V_ETA] = "eta", [V_ETA_NOTE] = "eta_note", [V_TIMEZONE] = "timezone",
};

typedef struct {
    const sg_letter *l;
    char *v[V_COUNT];
} values;

static const char *zone(const sg_letter *l) { return sg_config_str(l->c, SG_CFG_DISPLAY_TIMEZONE); }

/* " Ivan Petrenko," or ",": kept for templates written before {{greeting}}. */
static char *name_comma(const char *name)
{
    return g_strdup_printf("%s%s,", name && *name ? " " : "", name ? name : "");
}

static char *duration(long long seconds, const char *lang)
{
    char buf[64];
    return g_strdup(sg_duration_words(seconds, lang, buf, sizeof buf));
}

/* "19:02 (Kyiv time)": a time with its zone, as the acknowledgement promises it. */
static char *when_with_zone(const sg_letter *l, sg_time t)
{
    char *when = sg_words_when(l->lang, zone(l), t, l->now), *z = sg_words_zone(l->lang, zone(l), t);
    char *out = g_strdup_printf("%s (%s)", when, z);
    g_free(when);
    g_free(z);
    return out;
}

/* Outside the team's hours the customer learns when they work, so silence until then is no surprise. */
static char *hours_note(const sg_letter *l)
{
    if (!l->team || sg_team_on_shift(l->team, l->now))
        return g_strdup("");
    char *hours = sg_words_hours(l->lang, l->team, zone(l), l->now);
    char *note = sg_phrase(l->lang, SG_PHRASE_HOURS_NOTE, "hours", hours, NULL);
    g_free(hours);
    return note;
}

/* A sentence of phrase ID naming moment T on the customer's clock as NAME, with {{timezone}}; nothing when T is 0:
 * when the customer hears from us next (news_note), the estimate they were told (eta_note). */
static char *time_note(const sg_letter *l, sg_phrase_id id, const char *name, sg_time t)
{
    if (!t)
        return g_strdup("");
    char *when = sg_words_when(l->lang, zone(l), t, l->now), *z = sg_words_zone(l->lang, zone(l), t);
    char *note = sg_phrase(l->lang, id, name, when, "timezone", z, NULL);
    g_free(when);
    g_free(z);
    return note;
}

static void prepare(values *v)
{
    const sg_letter *l = v->l;
    long long frt = sg_config_num(l->c, SG_CFG_FIRST_RESPONSE_TARGET);
    v->v[V_GREETING] = sg_words_greeting(l->lang, l->name);
    v->v[V_NAME_COMMA] = name_comma(l->name);
    v->v[V_FRT] = duration(frt, "en");
    v->v[V_FRT_UK] = duration(frt, "uk");
    v->v[V_FRT_RU] = duration(frt, "ru");
    v->v[V_FRT_BY] = l->first_response_due ? when_with_zone(l, l->first_response_due) : g_strdup("");
    v->v[V_TEAM] = g_strdup(l->team ? sg_team_title(l->team, l->lang) : "");
    v->v[V_HOURS_NOTE] = hours_note(l);
    v->v[V_NEWS_NOTE] = time_note(l, SG_PHRASE_NEWS_NOTE, "due", l->news_due);
    v->v[V_ETA] = l->eta ? sg_words_when(l->lang, zone(l), l->eta, l->now) : g_strdup("");
    v->v[V_ETA_NOTE] = time_note(l, SG_PHRASE_ETA_NOTE, "eta", l->eta);
    v->v[V_TIMEZONE] = sg_words_zone(l->lang, zone(l), l->eta ? l->eta : l->now);
}

static const char *lookup(const char *name, void *ctx)
{
    const values *v = ctx;
    const sg_letter *l = v->l;
    for (int i = 0; i < V_COUNT; i++)
        if (strcmp(name, names[i]) == 0)
            return v->v[i];
    if (!strcmp(name, "tag")) return l->tag;
    if (!strcmp(name, "subject")) return l->subject;
    if (!strcmp(name, "reason")) return l->reason ? l->reason : "";
    if (!strcmp(name, "into_tag")) return l->into_tag ? l->into_tag : "";
    if (!strcmp(name, "incident_title")) return l->incident_title ? l->incident_title : "";
    if (!strcmp(name, "update")) return l->update ? l->update : "";
    if (!strcmp(name, "support_name")) return sg_config_str(l->c, SG_CFG_SUPPORT_NAME);
    return NULL;
}

char *sg_letter_render(const sg_letter *l, const char *tpl)
{
    values v = { .l = l };
    prepare(&v);
    char *out = sg_template_render(tpl, lookup, &v);
    for (int i = 0; i < V_COUNT; i++)
        g_free(v.v[i]);
    return out;
}
