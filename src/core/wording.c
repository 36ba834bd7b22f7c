/* wording.c - what customer mail says in each of its languages: greetings, clock times, time zones, working hours. */
#include "wording.h"

#include <glib.h>
#include <string.h>

#include "calendar.h"

enum { EN, UK, RU, NLANGS };

static int lang_row(const char *lang)
{
    if (lang && strcmp(lang, "uk") == 0)
        return UK;
    if (lang && strcmp(lang, "ru") == 0)
        return RU;
    return EN;
}

/* Ukrainian given names and their vocative.  The vocative follows rules with many exceptions (Олег -> Олеже,
 * Ілля -> Ілле, Наталя -> Натале or Наталю), so only names written out here are ever put in it. */
static const char *const vocatives[][2] = {
    { "Оксана", "Оксано" }, { "Олена", "Олено" }, { "Ольга", "Ольго" }, { "Наталія", "Наталіє" },
    { "Марія", "Маріє" }, { "Ірина", "Ірино" }, { "Тетяна", "Тетяно" }, { "Світлана", "Світлано" },
    { "Юлія", "Юліє" }, { "Анна", "Анно" }, { "Ганна", "Ганно" }, { "Катерина", "Катерино" },
    { "Людмила", "Людмило" }, { "Галина", "Галино" }, { "Вікторія", "Вікторіє" }, { "Анастасія", "Анастасіє" },
    { "Дарина", "Дарино" }, { "Софія", "Софіє" }, { "Надія", "Надіє" }, { "Лариса", "Ларисо" },
    { "Валентина", "Валентино" }, { "Любов", "Любове" }, { "Інна", "Інно" }, { "Христина", "Христино" },
    { "Зоряна", "Зоряно" }, { "Віра", "Віро" }, { "Яна", "Яно" }, { "Богдана", "Богдано" },
    { "Іван", "Іване" }, { "Петро", "Петре" }, { "Андрій", "Андрію" }, { "Олександр", "Олександре" },
    { "Сергій", "Сергію" }, { "Микола", "Миколо" }, { "Михайло", "Михайле" }, { "Володимир", "Володимире" },
    { "Василь", "Василю" }, { "Олег", "Олеже" }, { "Ігор", "Ігорю" }, { "Юрій", "Юрію" },
    { "Дмитро", "Дмитре" }, { "Тарас", "Тарасе" }, { "Богдан", "Богдане" }, { "Віктор", "Вікторе" },
    { "Олексій", "Олексію" }, { "Максим", "Максиме" }, { "Роман", "Романе" }, { "Ярослав", "Ярославе" },
    { "Степан", "Степане" }, { "Павло", "Павле" }, { "Артем", "Артеме" }, { "Євген", "Євгене" },
    { "Анатолій", "Анатолію" }, { "Віталій", "Віталію" }, { "Денис", "Денисе" }, { "Остап", "Остапе" },
    { "Григорій", "Григорію" }, { "Антон", "Антоне" }, { "Руслан", "Руслане" }, { "Валерій", "Валерію" },
    { "Костянтин", "Костянтине" }, { "Вадим", "Вадиме" }, { "Назар", "Назаре" }, { "Кирило", "Кириле" },
    { "Станіслав", "Станіславе" }, { "Леонід", "Леоніде" }, { "Геннадій", "Геннадію" }, { "Орест", "Оресте" },
};

/* The vocative of the one word of NAME that is a known given name ("Мельник Оксана" -> "Оксано"), or NULL. */
static const char *vocative(const char *name)
{
    char **w = g_strsplit_set(name, " \t", -1);
    const char *found = NULL;
    int hits = 0;
    for (char **p = w; *p; p++) {
        if (!**p)
            continue;
        char *fold = g_utf8_casefold(*p, -1);
        for (size_t i = 0; i < G_N_ELEMENTS(vocatives); i++) {
            char *known = g_utf8_casefold(vocatives[i][0], -1);
            if (strcmp(fold, known) == 0 && found != vocatives[i][1]) {
                found = vocatives[i][1];
                hits++;
            }
            g_free(known);
        }
        g_free(fold);
    }
    g_strfreev(w);
    return hits == 1 ? found : NULL; /* two given names ("Іван Петро"): no guessing which */
}

/* A display name worth greeting: some letters, not an address, not a paragraph. */
static int greetable(const char *name)
{
    if (!name || strchr(name, '@') || g_utf8_strlen(name, -1) > 60)
        return 0;
    for (const char *p = name; *p; p = g_utf8_next_char(p))
        if (g_unichar_isalpha(g_utf8_get_char(p)))
            return 1;
    return 0;
}

char *sg_words_greeting(const char *lang, const char *name)
{
    char *n = name ? g_strstrip(g_strdup(name)) : NULL;
    int row = lang_row(lang), ok = n && greetable(n);
    char *out;
    if (row == UK) {
        const char *v = ok ? vocative(n) : NULL;
        out = v ? g_strdup_printf("Вітаємо, %s!", v) : g_strdup("Вітаємо!");
    } else if (row == RU) {
        /* Russian addresses a person in the nominative. */
        out = ok ? g_strdup_printf("Здравствуйте, %s!", n) : g_strdup("Здравствуйте!");
    } else {
        out = ok ? g_strdup_printf("Hello %s,", n) : g_strdup("Hello,");
    }
    g_free(n);
    return out;
}

/* Zones by the name people use for them: in each language the full phrase and the short one that follows a
 * second time ("10:00–19:00 за київським"). */
static const struct {
    const char *ids; /* blank-separated IANA names, each between blanks */
    const char *text[NLANGS][2];
} zones[] = {
    { " Europe/Kyiv Europe/Kiev ",
      { { "Kyiv time", "Kyiv time" }, { "за київським часом", "за київським" }, { "по киевскому времени", "по киевскому" } } },
    { " Europe/Amsterdam Europe/Berlin Europe/Paris Europe/Brussels Europe/Luxembourg Europe/Vienna Europe/Zurich"
      " Europe/Prague Europe/Warsaw Europe/Budapest Europe/Bratislava Europe/Copenhagen Europe/Stockholm Europe/Oslo"
      " Europe/Madrid Europe/Rome CET ",
      { { "Central European Time", "Central European Time" },
        { "за центральноєвропейським часом", "за центральноєвропейським" },
        { "по центральноевропейскому времени", "по центральноевропейскому" } } },
    { " Europe/London ",
      { { "UK time", "UK time" }, { "за лондонським часом", "за лондонським" }, { "по лондонскому времени", "по лондонскому" } } },
    { " America/New_York ",
      { { "New York time", "New York time" }, { "за нью-йоркським часом", "за нью-йоркським" },
        { "по нью-йоркскому времени", "по нью-йоркскому" } } },
    { " UTC Etc/UTC ", { { "UTC", "UTC" }, { "за часом UTC", "за часом UTC" }, { "по времени UTC", "по времени UTC" } } },
};

static int zone_row(const char *zone)
{
    char *key = g_strdup_printf(" %s ", zone ? zone : "UTC");
    int row = -1;
    for (size_t i = 0; row < 0 && i < G_N_ELEMENTS(zones); i++)
        if (strstr(zones[i].ids, key))
            row = (int)i;
    g_free(key);
    return row;
}

static GTimeZone *zone_of(const char *zone)
{
    GTimeZone *tz = zone ? g_time_zone_new_identifier(zone) : NULL;
    return tz ? tz : g_time_zone_new_utc();
}

char *sg_words_stamp(const char *zone, sg_time t)
{
    GTimeZone *tz = zone_of(zone);
    GDateTime *utc = g_date_time_new_from_unix_utc(t), *d = g_date_time_to_timezone(utc, tz);
    char *s = g_date_time_format(d, "%Y-%m-%d %H:%M");
    g_date_time_unref(d);
    g_date_time_unref(utc);
    g_time_zone_unref(tz);
    return s;
}

/* "UTC+4", "UTC+5:30", "UTC-3": the offset ZONE has at AT. */
static char *offset_name(const char *zone, sg_time at)
{
    GTimeZone *tz = zone_of(zone);
    int off = g_time_zone_get_offset(tz, g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, at));
    g_time_zone_unref(tz);
    int a = ABS(off) / 60;
    return a % 60 ? g_strdup_printf("UTC%c%d:%02d", off < 0 ? '-' : '+', a / 60, a % 60)
                  : g_strdup_printf("UTC%c%d", off < 0 ? '-' : '+', a / 60);
}

static char *zone_words(const char *lang, const char *zone, sg_time at, int brief)
{
    int z = zone_row(zone), row = lang_row(lang);
    if (z >= 0)
        return g_strdup(zones[z].text[row][brief]);
    char *off = offset_name(zone, at);
    char *out = row == UK ? g_strdup_printf("за часом %s", off)
              : row == RU ? g_strdup_printf("по времени %s", off) : g_strdup(off);
    g_free(off);
    return out;
}

char *sg_words_zone(const char *lang, const char *zone, sg_time at) { return zone_words(lang, zone, at, 0); }

/* Month names as a date needs them: the genitive in Ukrainian and Russian ("7 грудня"). */
static const char *const months[NLANGS][12] = {
    { "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
      "December" },
    { "січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня", "жовтня", "листопада",
      "грудня" },
    { "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября",
      "декабря" },
};

/* T on ZONE's clock; a time beyond what GDateTime holds (a calendar that never opens) reads as year 9999. */
static GDateTime *local_time(const char *zone, sg_time t)
{
    GTimeZone *tz = zone_of(zone);
    GDateTime *utc = g_date_time_new_from_unix_utc(CLAMP(t, 0, 253402214400LL)), *local = g_date_time_to_timezone(utc, tz);
    g_date_time_unref(utc);
    g_time_zone_unref(tz);
    return local;
}

char *sg_words_when(const char *lang, const char *zone, sg_time t, sg_time now)
{
    GDateTime *at = local_time(zone, t), *today = local_time(zone, now);
    int y, m, d, ty, tm, td;
    g_date_time_get_ymd(at, &y, &m, &d);
    g_date_time_get_ymd(today, &ty, &tm, &td);
    char *clock = g_strdup_printf("%02d:%02d", g_date_time_get_hour(at), g_date_time_get_minute(at));
    char *out;
    if (y == ty && m == tm && d == td)
        out = g_strdup(clock);
    else if (y == ty)
        out = g_strdup_printf("%d %s, %s", d, months[lang_row(lang)][m - 1], clock);
    else
        out = g_strdup_printf("%d %s %d, %s", d, months[lang_row(lang)][m - 1], y, clock);
    g_free(clock);
    g_date_time_unref(at);
    g_date_time_unref(today);
    return out;
}

static const char *const day_words[NLANGS][7] = {
    { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday" },
    { "пн", "вт", "ср", "чт", "пт", "сб", "нд" },
    { "пн", "вт", "ср", "чт", "пт", "сб", "вс" },
};

/* The working days: "пн–пт", "Monday to Friday", "пн, ср, пт", "Saturday and Sunday", "щодня". */
static char *days_words(int row, int days)
{
    static const char *const every[NLANGS] = { "every day", "щодня", "ежедневно" };
    if (days == 0x7f)
        return g_strdup(every[row]);
    int first = 0, last = 6, n = 0;
    while (!(days & (1 << first)))
        first++;
    while (!(days & (1 << last)))
        last--;
    for (int i = 0; i < 7; i++)
        n += (days >> i) & 1;
    if (n == last - first + 1 && n >= 3)
        return g_strdup_printf(row == EN ? "%s to %s" : "%s–%s", day_words[row][first], day_words[row][last]);
    GString *s = g_string_new(NULL);
    for (int i = 0, k = 0; i < 7; i++) {
        if (!(days & (1 << i)))
            continue;
        k++;
        g_string_append_printf(s, "%s%s", k == 1 ? "" : row == EN && k == n ? " and " : ", ", day_words[row][i]);
    }
    return g_string_free(s, FALSE);
}

static char *span(int open, int close)
{
    return g_strdup_printf("%02d:%02d–%02d:%02d", open / 60, open % 60, close / 60, close % 60);
}

/* The shift that opens next after NOW on the customer's clock, in parentheses, or "" when it reads the same. */
static char *converted(int row, const sg_calendar *cal, const char *team_zone, const char *zone, sg_time now)
{
    int days, open, close;
    sg_calendar_shape(cal, &days, &open, &close);
    if (!zone || strcmp(team_zone, zone) == 0)
        return g_strdup("");
    GDateTime *start = local_time(team_zone, sg_calendar_next_start(cal, now));
    GDateTime *midnight = g_date_time_add_full(start, 0, 0, 0, -g_date_time_get_hour(start),
                                               -g_date_time_get_minute(start), -g_date_time_get_seconds(start));
    sg_time base = g_date_time_to_unix(midnight);
    GDateTime *o = local_time(zone, base + open * 60LL), *c = local_time(zone, base + close * 60LL);
    int lo = g_date_time_get_hour(o) * 60 + g_date_time_get_minute(o);
    int lc = g_date_time_get_hour(c) * 60 + g_date_time_get_minute(c);
    char *out = g_strdup("");
    if (lo != open || lc != close) {
        char *s = span(lo, lc), *words = zone_words(row == UK ? "uk" : row == RU ? "ru" : "en", zone, base, 1);
        g_free(out);
        out = g_strdup_printf(" (%s %s)", s, words);
        g_free(s);
        g_free(words);
    }
    g_date_time_unref(o);
    g_date_time_unref(c);
    g_date_time_unref(midnight);
    g_date_time_unref(start);
    return out;
}

static char *calendar_words(const char *lang, const sg_calendar *cal, const char *zone, sg_time now)
{
    int row = lang_row(lang), days, open, close;
    const char *team_zone = sg_calendar_shape(cal, &days, &open, &close);
    char *d = days_words(row, days), *s = span(open, close), *z = zone_words(lang, team_zone, now, 0);
    char *conv = converted(row, cal, team_zone, zone, now);
    char *out = g_strdup_printf(row == EN ? "%s, %s %s%s" : "%s %s %s%s", d, s, z, conv);
    g_free(d); g_free(s); g_free(z); g_free(conv);
    return out;
}

char *sg_words_hours(const char *lang, const sg_team *team, const char *zone, sg_time now)
{
    static const char *const always[NLANGS] = { "around the clock", "цілодобово", "круглосуточно" };
    static const char *const or[NLANGS] = { " or ", " або ", " или " };
    GString *s = g_string_new(NULL);
    for (size_t i = 0; i < team->n_calendars; i++) {
        if (sg_calendar_is_always(team->calendars[i]))
            continue;
        char *one = calendar_words(lang, team->calendars[i], zone, now);
        g_string_append_printf(s, "%s%s", s->len ? or[lang_row(lang)] : "", one);
        g_free(one);
    }
    if (!s->len)
        g_string_append(s, always[lang_row(lang)]);
    return g_string_free(s, FALSE);
}
