/* fuzz_mail.c - libFuzzer target over everything that reads untrusted mail: MIME parsing, threading, RFC 3834, commands. */
#include <gmime/gmime.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "commands.h"
#include "mailparse.h"
#include "rfc3834.h"
#include "text.h"
#include "mailthread.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    g_mime_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *err = NULL;
    sg_mail *m = sg_mail_parse((const char *)data, size, &err);
    if (!m)
        return 0;
    /* Everything the gateway later copies into a header must stay on one line. */
    if (strpbrk(sg_mail_subject(m), "\r\n") || !g_utf8_validate(sg_mail_text(m), -1, NULL))
        __builtin_trap();
    const char *own[] = { "support@introserv.com", NULL };
    sg_auto_decide(m, "a@b.c", own, "support@introserv.com");
    sg_thread_tag(sg_mail_subject(m), "INTROSERV");
    char **ids = sg_thread_msgids(sg_mail_header(m, "References"));
    g_strfreev(ids);
    sg_commands *c = sg_commands_parse(sg_mail_text(m));
    sg_commands_free(c);
    char *html = sg_text_from_html(sg_mail_text(m));
    g_free(html);
    sg_mail_free(m);
    return 0;
}
