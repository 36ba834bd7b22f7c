/* phrase.c - the few sentences the gateway writes to customers itself, in each of their languages. */
#include "phrase.h"

#include <glib.h>
#include <stdarg.h>
#include <string.h>

#include "template.h"

/* Whole mails are operator-editable templates; these sentences are only pieces of them, chosen by
 * the ticket's state, so they live here, one row per language, English first as the fallback. */
static const struct {
    const char *lang;
    const char *text[3];
} phrases[] = {
    { "en", { "Estimated resolution",
              "The team works {{hours}}; they will take up your request at the start of their next shift.\n\n",
              "You will hear from us about the progress by {{due}} ({{timezone}}) at the latest.\n\n" } },
    { "uk", { "Орієнтовний час розв'язання",
              "Команда працює: {{hours}}. Вона візьметься за ваш запит на початку наступної зміни.\n\n",
              "Наступну звістку про хід роботи ви отримаєте не пізніше {{due}} ({{timezone}}).\n\n" } },
    { "ru", { "Ориентировочное время решения",
              "Команда работает: {{hours}}. Она займётся вашим запросом в начале следующей смены.\n\n",
              "Следующее сообщение о ходе работы вы получите не позднее {{due}} ({{timezone}}).\n\n" } },
};

static const char *pair_lookup(const char *name, void *ctx)
{
    const char *const *pairs = ctx;
    for (; pairs[0]; pairs += 2)
        if (strcmp(pairs[0], name) == 0)
            return pairs[1];
    return NULL;
}

char *sg_phrase(const char *lang, sg_phrase_id id, ...)
{
    size_t row = 0;
    for (size_t i = 0; lang && i < G_N_ELEMENTS(phrases); i++)
        if (strcmp(phrases[i].lang, lang) == 0)
            row = i;
    GPtrArray *pairs = g_ptr_array_new();
    va_list ap;
    va_start(ap, id);
    for (const char *name; (name = va_arg(ap, const char *));) {
        g_ptr_array_add(pairs, (gpointer)name);
        g_ptr_array_add(pairs, (gpointer)va_arg(ap, const char *));
    }
    va_end(ap);
    g_ptr_array_add(pairs, NULL);
    char *out = sg_template_render(phrases[row].text[id], pair_lookup, pairs->pdata);
    g_ptr_array_free(pairs, TRUE);
    return out;
}
