/* test_mailparse.c - real and hostile mail reduced to subject, text, addresses and attachments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <gmime/gmime.h>
#include <string.h>

#include "mailparse.h"

static sg_mail *parse(const char *s)
{
    const char *err = NULL;
    sg_mail *m = sg_mail_parse(s, strlen(s), &err);
    assert_non_null(m);
    return m;
}

static void encoded_subjects_and_names_decode(void **state)
{
    (void)state;
    sg_mail *m = parse("From: =?windows-1251?B?zuvl7eA=?= <Olena@Example.UA>\r\n"
                       "To: support@introserv.com, \"X\" <x@y.z>\r\nCc: boss@example.ua\r\n"
                       "Subject: =?koi8-u?B?8M/XpszYzs8=?= VPS =?utf-8?Q?=D0=BF=D1=80=D0=B0=D1=86=D1=8E=D1=94?=\r\n"
                       "Message-ID: <m1@example.ua>\r\n\r\nbody\r\n");
    assert_string_equal(sg_mail_subject(m), "Повільно VPS працює");
    assert_string_equal(sg_mail_from_name(m), "Олена");
    assert_string_equal(sg_mail_from_addr(m), "olena@example.ua");
    assert_string_equal(sg_mail_message_id(m), "m1@example.ua");
    size_t n;
    const char *const *to = sg_mail_to(m, &n);
    assert_int_equal(n, 2);
    assert_string_equal(to[1], "x@y.z");
    assert_string_equal(sg_mail_cc(m, &n)[0], "boss@example.ua");
    assert_string_equal(sg_mail_lang(m), "uk");
    sg_mail_free(m);
}

static void bodies_in_legacy_charsets_become_utf8(void **state)
{
    (void)state;
    sg_mail *m = parse("From: a@b.c\r\nSubject: x\r\nContent-Type: text/plain; charset=windows-1251\r\n"
                       "Content-Transfer-Encoding: 8bit\r\n\r\n\xc4\xee\xe1\xf0\xe8\xe9 \xe4\xe5\xed\xfc\r\n");
    assert_string_equal(sg_mail_text(m), "Добрий день\r\n");
    sg_mail_free(m);
    m = parse("From: a@b.c\r\nSubject: x\r\n\r\n\xe4\xcf\xc2\xd2\xc9\xca \xc4\xc5\xce\xd8\r\n");
    assert_string_equal(sg_mail_text(m), "Добрий день\r\n");
    sg_mail_free(m);
}

static void alternative_prefers_plain_and_html_only_is_converted(void **state)
{
    (void)state;
    sg_mail *m = parse("From: a@b.c\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
                       "Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n"
                       "--b\r\nContent-Type: text/html\r\n\r\n<p>HTML</p>\r\n"
                       "--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                       "Pl=C3=A4in\r\n--b--\r\n");
    assert_string_equal(sg_mail_text(m), "Pläin");
    sg_mail_free(m);
    m = parse("From: a@b.c\r\nSubject: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
              "<b>Site</b> is&nbsp;down<script>x()</script>\r\n");
    assert_string_equal(sg_mail_text(m), "Site is down\n");
    sg_mail_free(m);
}

static void attachments_are_named_and_sized(void **state)
{
    (void)state;
    sg_mail *m = parse("From: a@b.c\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
                       "--b\r\nContent-Type: text/plain\r\n\r\nsee log\r\n"
                       "--b\r\nContent-Type: application/octet-stream\r\n"
                       "Content-Disposition: attachment; filename*=utf-8''%D0%BB%D0%BE%D0%B3.txt\r\n"
                       "Content-Transfer-Encoding: base64\r\n\r\nAAAAAAAA\r\n--b--\r\n");
    assert_int_equal(sg_mail_attachment_count(m), 1);
    const sg_attachment *a = sg_mail_attachment(m, 0);
    assert_string_equal(a->filename, "лог.txt");
    assert_string_equal(a->content_type, "application/octet-stream");
    assert_int_equal(a->size, 6);
    assert_string_equal(sg_mail_text(m), "see log");
    sg_mail_free(m);
}

static void threading_headers_are_collected_newest_first(void **state)
{
    (void)state;
    sg_mail *m = parse("From: a@b.c\r\nIn-Reply-To: <p3@x>\r\nReferences: <p1@x> <p2@x>\r\n <p3@x>\r\n\r\nhi\r\n");
    size_t n;
    const char *const *ids = sg_mail_parent_ids(m, &n);
    assert_int_equal(n, 3);
    assert_string_equal(ids[0], "p3@x");
    assert_string_equal(ids[1], "p2@x");
    assert_string_equal(ids[2], "p1@x");
    assert_null(sg_mail_message_id(m));
    sg_mail_free(m);
}

static void injected_line_breaks_stay_on_one_line(void **state)
{
    (void)state;
    sg_mail *m = parse("From: \"Evil\r\n Bcc: x@y\" <e@v.il>\r\nSubject: =?utf-8?Q?a=0D=0ABcc:_x@y?=\r\n\r\nhi\r\n");
    assert_null(strchr(sg_mail_subject(m), '\n'));
    assert_null(strchr(sg_mail_subject(m), '\r'));
    assert_null(strchr(sg_mail_from_name(m), '\n'));
    sg_mail_free(m);
}

static void broken_structures_still_give_text(void **state)
{
    (void)state;
    sg_mail *m = parse("From: a@b.c\r\nContent-Type: multipart/mixed; boundary=\"missing\"\r\n\r\ntext without parts\r\n");
    assert_non_null(sg_mail_text(m));
    sg_mail_free(m);
    m = parse("From: a@b.c\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n"
              "Content-Transfer-Encoding: base64\r\n\r\n!!!not base64\r\n");
    assert_true(g_utf8_validate(sg_mail_text(m), -1, NULL));
    sg_mail_free(m);
    const char *err = NULL;
    assert_null(sg_mail_parse("", 0, &err));
    assert_non_null(err);
    char nul[] = "From: a@b.c\r\nSubject: x\0y\r\n\r\nbo\0dy\r\n";
    m = sg_mail_parse(nul, sizeof nul - 1, &err);
    assert_non_null(m);
    assert_true(g_utf8_validate(sg_mail_text(m), -1, NULL));
    sg_mail_free(m);
}

static void deep_nesting_and_many_parts_finish(void **state)
{
    (void)state;
    GString *s = g_string_new("From: a@b.c\r\nSubject: deep\r\n");
    for (int i = 0; i < 100; i++)
        g_string_append_printf(s, "Content-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n--b%d\r\n", i, i);
    g_string_append(s, "Content-Type: text/plain\r\n\r\ndeepest\r\n");
    sg_mail *m = parse(s->str);
    sg_mail_free(m);
    g_string_assign(s, "From: a@b.c\r\nSubject: wide\r\nContent-Type: multipart/mixed; boundary=\"w\"\r\n\r\n");
    for (int i = 0; i < 10000; i++)
        g_string_append(s, "--w\r\nContent-Type: application/x-part\r\n\r\nx\r\n");
    g_string_append(s, "--w--\r\n");
    m = parse(s->str);
    assert_true(sg_mail_attachment_count(m) <= 10000);
    sg_mail_free(m);
    g_string_free(s, TRUE);
}

int main(void)
{
    g_mime_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(encoded_subjects_and_names_decode),
        cmocka_unit_test(bodies_in_legacy_charsets_become_utf8),
        cmocka_unit_test(alternative_prefers_plain_and_html_only_is_converted),
        cmocka_unit_test(attachments_are_named_and_sized),
        cmocka_unit_test(threading_headers_are_collected_newest_first),
        cmocka_unit_test(injected_line_breaks_stay_on_one_line),
        cmocka_unit_test(broken_structures_still_give_text),
        cmocka_unit_test(deep_nesting_and_many_parts_finish),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    g_mime_shutdown();
    return rc;
}
