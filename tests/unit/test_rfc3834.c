/* test_rfc3834.c - which mail may get an automatic acknowledgement, and which never. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <gmime/gmime.h>
#include <string.h>

#include "mailparse.h"
#include "rfc3834.h"

static sg_mail *parse(const char *s)
{
    const char *err = NULL;
    sg_mail *m = sg_mail_parse(s, strlen(s), &err);
    assert_non_null(m);
    return m;
}

/* RFC 3834 ------------------------------------------------------------------------------------------ */

static sg_auto_verdict verdict(const char *headers, const char *sender)
{
    char *text = g_strdup_printf("From: someone@example.net\r\n%sSubject: x\r\n\r\nbody\r\n", headers);
    sg_mail *m = parse(text);
    const char *own[] = { "support@introserv.com", "support-bounces@introserv.com", NULL };
    sg_auto_verdict v = sg_auto_decide(m, sender, own, "support@introserv.com");
    sg_mail_free(m);
    g_free(text);
    return v;
}

static void rfc3834_decisions(void **state)
{
    (void)state;
    assert_int_equal(verdict("", "someone@example.net"), SG_AUTO_OK);
    assert_int_equal(verdict("Auto-Submitted: no\r\n", "someone@example.net"), SG_AUTO_OK);
    assert_int_equal(verdict("", ""), SG_AUTO_NULL_SENDER);
    assert_int_equal(verdict("Auto-Submitted: auto-replied (vacation)\r\n", "a@b.c"), SG_AUTO_AUTO_SUBMITTED);
    assert_int_equal(verdict("Content-Type: multipart/report; report-type=delivery-status; boundary=x\r\n", "a@b.c"),
                     SG_AUTO_AUTO_SUBMITTED);
    assert_int_equal(verdict("Precedence: Bulk\r\n", "a@b.c"), SG_AUTO_PRECEDENCE);
    assert_int_equal(verdict("List-Id: <list.example.net>\r\n", "a@b.c"), SG_AUTO_LIST);
    assert_int_equal(verdict("", "MAILER-DAEMON@mx.example.net"), SG_AUTO_SYSTEM_SENDER);
    assert_int_equal(verdict("", "owner-list@example.net"), SG_AUTO_SYSTEM_SENDER);
    assert_int_equal(verdict("", "list-request@example.net"), SG_AUTO_SYSTEM_SENDER);
    assert_int_equal(verdict("", "noreply@example.net"), SG_AUTO_SYSTEM_SENDER);
    assert_int_equal(verdict("", "Support@Introserv.com"), SG_AUTO_OWN_ADDRESS);
    assert_int_equal(verdict("X-Loop: other@x\r\nX-Loop: support@introserv.com\r\n", "a@b.c"), SG_AUTO_LOOP);
    assert_int_equal(verdict("X-Auto-Response-Suppress: DR, OOF\r\n", "a@b.c"), SG_AUTO_SUPPRESS);
    assert_int_equal(verdict("X-Autoreply: yes\r\n", "a@b.c"), SG_AUTO_SUPPRESS);
    assert_string_equal(sg_auto_verdict_name(SG_AUTO_LOOP), "loop");
}

int main(void)
{
    g_mime_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rfc3834_decisions),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    g_mime_shutdown();
    return rc;
}
