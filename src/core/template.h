/* template.h - operator-editable message templates with {{name}} placeholders. */
#ifndef SG_TEMPLATE_H
#define SG_TEMPLATE_H

typedef const char *(*sg_template_lookup)(const char *name, void *ctx);

/* Expand every {{name}} in TPL (spaces inside the braces allowed) with LOOKUP(name, CTX); an unknown
 * name (LOOKUP returns NULL) expands to "".  Returns a g_malloc'ed string. */
char *sg_template_render(const char *tpl, sg_template_lookup lookup, void *ctx);

/* Read DIR/NAME.LANG.txt, falling back to DIR/NAME.en.txt.  Returns g_malloc'ed text or NULL with
 * *ERR (g_free) saying which file could not be read. */
char *sg_template_load(const char *dir, const char *name, const char *lang, char **err);
/* The same for a VARIANT of NAME (an intake channel: "ack.chat.uk.txt"), tried in the order NAME.VARIANT.LANG,
 * NAME.LANG, NAME.VARIANT.en, NAME.en; a NULL or empty VARIANT is sg_template_load. */
char *sg_template_load_for(const char *dir, const char *name, const char *variant, const char *lang, char **err);

/* Split a rendered template into its first line, when it starts with "Subject: ", and the rest.
 * *SUBJECT and the return value are g_malloc'ed; *SUBJECT is NULL without such a line. */
char *sg_template_split_subject(const char *rendered, char **subject);

#endif
