/* lang.c - the language of a customer's text: English, Ukrainian or Russian. */
#include "lang.h"

#include <glib.h>
#include <string.h>

int sg_text_is_cyrillic(uint32_t c) { return c >= 0x0400 && c <= 0x052F; }

/* Letters only one of the two languages has: і ї є ґ are Ukrainian, ы э ъ ё Russian.  Any sentence of
 * a few words has some; for the rare one that has none, a few frequent words decide, and Ukrainian
 * (the company's language) wins a tie. */
static int ru_uk_letter(gunichar c)
{
    switch (g_unichar_tolower(c)) {
    case 0x0456: case 0x0457: case 0x0454: case 0x0491: return -1;
    case 0x044B: case 0x044D: case 0x044A: case 0x0451: return 1;
    default: return 0;
    }
}

static int ru_uk_word(const char *w)
{
    static const char *const ru[] = { "здравствуйте", "добрый", "спасибо", "что", "как", "это", "или", "где",
                                      "когда", "нет", "привет" };
    static const char *const uk[] = { "вітаю", "добрий", "дякую", "що", "як", "це", "або", "де", "коли", "немає",
                                      "привіт" };
    for (size_t i = 0; i < G_N_ELEMENTS(ru); i++)
        if (strcmp(w, ru[i]) == 0)
            return 1;
    for (size_t i = 0; i < G_N_ELEMENTS(uk); i++)
        if (strcmp(w, uk[i]) == 0)
            return -1;
    return 0;
}

/* Positive for Russian, negative for Ukrainian: distinctive letters, else distinctive words. */
static long ru_uk_score(const char *s)
{
    long letters = 0, words = 0;
    GString *w = g_string_new(NULL);
    for (const char *p = s;; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c && g_unichar_isalpha(c)) {
            letters += ru_uk_letter(c);
            g_string_append_unichar(w, g_unichar_tolower(c));
            continue;
        }
        if (w->len)
            words += ru_uk_word(w->str);
        g_string_truncate(w, 0);
        if (!c)
            break;
    }
    g_string_free(w, TRUE);
    return letters ? letters : words;
}

const char *sg_text_lang(const char *s)
{
    long cyr = 0, letters = 0;
    for (const char *p = s ? s : ""; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (!g_unichar_isalpha(c))
            continue;
        letters++;
        cyr += sg_text_is_cyrillic(c);
    }
    if (cyr == 0 || cyr * 3 < letters)
        return "en";
    return ru_uk_score(s) > 0 ? "ru" : "uk";
}
