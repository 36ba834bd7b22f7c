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

#define CUSTOMER "someone@example.net"
#define LOOP "support@introserv.com"

/* The verdict for a mail with HEADERS (CRLF-terminated lines) and the given From and envelope sender. */
static sg_auto_verdict verdict_from(const char *headers, const char *from, const char *sender)
{
    char *text = g_strdup_printf("From: %s\r\nTo: support@introserv.com\r\n%sSubject: x\r\n\r\nbody\r\n", from,
                                 headers);
    const char *err = NULL;
    sg_mail *m = sg_mail_parse(text, strlen(text), &err);
    assert_non_null(m);
    const char *own[] = { "support@introserv.com", "support-bounces@introserv.com", NULL };
    sg_auto_verdict v = sg_auto_decide(m, sender, own, LOOP);
    sg_mail_free(m);
    g_free(text);
    return v;
}

static sg_auto_verdict verdict(const char *headers, const char *sender)
{
    return verdict_from(headers, CUSTOMER, sender);
}

static void a_normal_mail_may_be_acknowledged(void **state)
{
    (void)state;
    assert_int_equal(verdict("", CUSTOMER), SG_AUTO_OK);
    assert_int_equal(verdict("Auto-Submitted: no\r\n", CUSTOMER), SG_AUTO_OK);
    assert_int_equal(verdict("Auto-Submitted: No (a person wrote this)\r\n", CUSTOMER), SG_AUTO_OK);
    assert_int_equal(verdict("Precedence: first-class\r\n", CUSTOMER), SG_AUTO_OK);
    assert_int_equal(verdict("X-Auto-Response-Suppress: DR, RN, NRN\r\n", CUSTOMER), SG_AUTO_OK);
    assert_int_equal(verdict("X-Loop: someone-else@example.net\r\n", CUSTOMER), SG_AUTO_OK);
    assert_int_equal(verdict("", "<someone@example.net>"), SG_AUTO_OK);
}

static void null_sender_is_never_answered(void **state)
{
    (void)state;
    assert_int_equal(verdict("", ""), SG_AUTO_NULL_SENDER);
    assert_int_equal(verdict("", "<>"), SG_AUTO_NULL_SENDER);
    assert_int_equal(verdict("", NULL), SG_AUTO_NULL_SENDER);
    /* It outranks every later reason. */
    assert_int_equal(verdict("Auto-Submitted: auto-replied\r\nList-Id: <l.x>\r\n", ""), SG_AUTO_NULL_SENDER);
}

static void auto_submitted_other_than_no_is_not_answered(void **state)
{
    (void)state;
    assert_int_equal(verdict("Auto-Submitted: auto-replied\r\n", CUSTOMER), SG_AUTO_AUTO_SUBMITTED);
    assert_int_equal(verdict("Auto-Submitted: Auto-Generated; reason=x\r\n", CUSTOMER), SG_AUTO_AUTO_SUBMITTED);
    assert_int_equal(verdict("Auto-Submitted: auto-notified (vacation)\r\n", CUSTOMER), SG_AUTO_AUTO_SUBMITTED);
    assert_int_equal(verdict("Auto-Submitted: (comment) auto-replied\r\n", CUSTOMER), SG_AUTO_AUTO_SUBMITTED);
    assert_int_equal(verdict("Auto-Submitted: nope\r\n", CUSTOMER), SG_AUTO_AUTO_SUBMITTED);
    assert_int_equal(verdict("Auto-Submitted: auto-replied\r\nPrecedence: bulk\r\n", CUSTOMER),
                     SG_AUTO_AUTO_SUBMITTED);
}

static void delivery_reports_count_as_auto_submitted(void **state)
{
    (void)state;
    assert_int_equal(verdict("Content-Type: multipart/report; report-type=delivery-status; boundary=x\r\n", CUSTOMER),
                     SG_AUTO_AUTO_SUBMITTED);
    assert_int_equal(verdict("Content-Type: Multipart/Report; boundary=x\r\n", CUSTOMER), SG_AUTO_AUTO_SUBMITTED);
}

static void bulk_junk_and_list_precedence_are_not_answered(void **state)
{
    (void)state;
    assert_int_equal(verdict("Precedence: bulk\r\n", CUSTOMER), SG_AUTO_PRECEDENCE);
    assert_int_equal(verdict("Precedence: JUNK\r\n", CUSTOMER), SG_AUTO_PRECEDENCE);
    assert_int_equal(verdict("Precedence:   List (mailman)\r\n", CUSTOMER), SG_AUTO_PRECEDENCE);
    assert_int_equal(verdict("Precedence: bulk\r\nList-Id: <l.x>\r\n", CUSTOMER), SG_AUTO_PRECEDENCE);
}

static void mailing_list_headers_are_not_answered(void **state)
{
    (void)state;
    assert_int_equal(verdict("List-Id: <list.example.net>\r\n", CUSTOMER), SG_AUTO_LIST);
    assert_int_equal(verdict("List-Unsubscribe: <mailto:u@x>\r\n", CUSTOMER), SG_AUTO_LIST);
    assert_int_equal(verdict("List-Post: <mailto:l@x>\r\n", CUSTOMER), SG_AUTO_LIST);
    assert_int_equal(verdict("list-archive: <https://x>\r\n", CUSTOMER), SG_AUTO_LIST);
    assert_int_equal(verdict("List-Id: <l.x>\r\n", "owner-l@x"), SG_AUTO_LIST);
}

static void system_senders_are_not_answered(void **state)
{
    (void)state;
    const char *senders[] = { "MAILER-DAEMON@mx.example.net", "postmaster@example.net", "owner-list@example.net",
                              "list-request@example.net", "noreply@example.net", "No-Reply@example.net",
                              "do-not-reply@example.net", "DoNotReply@example.net", "<mailer-daemon@x>" };
    for (size_t i = 0; i < G_N_ELEMENTS(senders); i++)
        assert_int_equal(verdict("", senders[i]), SG_AUTO_SYSTEM_SENDER);
    /* A no-reply From behind an ordinary bounce address. */
    assert_int_equal(verdict_from("", "Shop <noreply@shop.example>", "bounces+123@shop.example"),
                     SG_AUTO_SYSTEM_SENDER);
    assert_int_equal(verdict("", "replyno@example.net"), SG_AUTO_OK);
    assert_int_equal(verdict("", "requester@example.net"), SG_AUTO_OK);
}

static void own_addresses_are_not_answered(void **state)
{
    (void)state;
    assert_int_equal(verdict("", "Support@Introserv.com"), SG_AUTO_OWN_ADDRESS);
    assert_int_equal(verdict("", "support-bounces@introserv.com"), SG_AUTO_OWN_ADDRESS);
    assert_int_equal(verdict_from("", "INTROSERV <support@introserv.com>", CUSTOMER), SG_AUTO_OWN_ADDRESS);
}

static void our_loop_header_is_not_answered(void **state)
{
    (void)state;
    assert_int_equal(verdict("X-Loop: support@introserv.com\r\n", CUSTOMER), SG_AUTO_LOOP);
    assert_int_equal(verdict("X-Loop: other@x\r\nX-Loop:  SUPPORT@introserv.com \r\n", CUSTOMER), SG_AUTO_LOOP);
    assert_int_equal(verdict("X-Loop: support@introserv.com\r\nX-Autoreply: yes\r\n", CUSTOMER), SG_AUTO_LOOP);
}

static void suppression_headers_are_honoured(void **state)
{
    (void)state;
    assert_int_equal(verdict("X-Auto-Response-Suppress: All\r\n", CUSTOMER), SG_AUTO_SUPPRESS);
    assert_int_equal(verdict("X-Auto-Response-Suppress: DR, OOF\r\n", CUSTOMER), SG_AUTO_SUPPRESS);
    assert_int_equal(verdict("X-Auto-Response-Suppress: autoreply\r\n", CUSTOMER), SG_AUTO_SUPPRESS);
    assert_int_equal(verdict("X-Autoreply: yes\r\n", CUSTOMER), SG_AUTO_SUPPRESS);
    assert_int_equal(verdict("X-Autorespond: 1\r\n", CUSTOMER), SG_AUTO_SUPPRESS);
    assert_int_equal(verdict("X-Autogenerated: Reply\r\n", CUSTOMER), SG_AUTO_SUPPRESS);
}

static void verdicts_have_stable_names(void **state)
{
    (void)state;
    assert_string_equal(sg_auto_verdict_name(SG_AUTO_OK), "ok");
    assert_string_equal(sg_auto_verdict_name(SG_AUTO_NULL_SENDER), "null-sender");
    assert_string_equal(sg_auto_verdict_name(SG_AUTO_AUTO_SUBMITTED), "auto-submitted");
    assert_string_equal(sg_auto_verdict_name(SG_AUTO_PRECEDENCE), "precedence");
    assert_string_equal(sg_auto_verdict_name(SG_AUTO_LIST), "mailing-list");
    assert_string_equal(sg_auto_verdict_name(SG_AUTO_SYSTEM_SENDER), "system-sender");
    assert_string_equal(sg_auto_verdict_name(SG_AUTO_OWN_ADDRESS), "own-address");
    assert_string_equal(sg_auto_verdict_name(SG_AUTO_LOOP), "loop");
    assert_string_equal(sg_auto_verdict_name(SG_AUTO_SUPPRESS), "suppressed");
    assert_string_equal(sg_auto_verdict_name((sg_auto_verdict)99), "unknown");
}

int main(void)
{
    g_mime_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_normal_mail_may_be_acknowledged),
        cmocka_unit_test(null_sender_is_never_answered),
        cmocka_unit_test(auto_submitted_other_than_no_is_not_answered),
        cmocka_unit_test(delivery_reports_count_as_auto_submitted),
        cmocka_unit_test(bulk_junk_and_list_precedence_are_not_answered),
        cmocka_unit_test(mailing_list_headers_are_not_answered),
        cmocka_unit_test(system_senders_are_not_answered),
        cmocka_unit_test(own_addresses_are_not_answered),
        cmocka_unit_test(our_loop_header_is_not_answered),
        cmocka_unit_test(suppression_headers_are_honoured),
        cmocka_unit_test(verdicts_have_stable_names),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    g_mime_shutdown();
    return rc;
}
