/* test_mailparse.c - real and hostile mail reduced to subject, text, addresses and attachments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <gmime/gmime.h>
#include <string.h>

#include "mailparse.h"

#define HDR "From: a@b.c\r\nTo: support@introserv.com\r\nSubject: x\r\n"

static sg_mail *parse_len(const char *s, size_t len)
{
    const char *err = NULL;
    sg_mail *m = sg_mail_parse(s, len, &err);
    assert_non_null(m);
    return m;
}

static sg_mail *parse(const char *s)
{
    return parse_len(s, strlen(s));
}

static void subject_is(const char *mail, const char *want)
{
    sg_mail *m = parse(mail);
    assert_string_equal(sg_mail_subject(m), want);
    sg_mail_free(m);
}

static void text_is(const char *mail, const char *want)
{
    sg_mail *m = parse(mail);
    assert_string_equal(sg_mail_text(m), want);
    assert_true(g_utf8_validate(sg_mail_text(m), -1, NULL));
    sg_mail_free(m);
}

/* Subjects and names -------------------------------------------------------------------------------- */

static void utf8_encoded_word_subjects_decode(void **state)
{
    (void)state;
    subject_is("From: a@b.c\r\nSubject: =?UTF-8?B?0J/RgNC40LLRltGCLCDRgdCy0ZbRgg==?=\r\n\r\nx\r\n", "Привіт, світ");
    subject_is("From: a@b.c\r\nSubject: =?utf-8?Q?=D0=9F=D1=80=D0=B8=D0=B2=D1=96=D1=82_VPS?=\r\n\r\nx\r\n",
               "Привіт VPS");
    subject_is("From: a@b.c\r\nSubject: Re: =?utf-8?B?0J/RgNC4?=\r\n =?utf-8?B?0LLRltGC?= there\r\n\r\nx\r\n",
               "Re: Привіт there");
}

static void legacy_charset_encoded_word_subjects_decode(void **state)
{
    (void)state;
    /* "Повільно працює" in windows-1251 and koi8-u. */
    subject_is("From: a@b.c\r\nSubject: =?windows-1251?B?z+7is+v87e4g7/Dg9v66?=\r\n\r\nx\r\n", "Повільно працює");
    subject_is("From: a@b.c\r\nSubject: =?koi8-u?B?8M/XpszYzs8g0NLBw8Ck?=\r\n\r\nx\r\n", "Повільно працює");
    subject_is("From: a@b.c\r\nSubject: =?windows-1251?Q?=CF=F0=E8=E2=B3=F2?=\r\n\r\nx\r\n", "Привіт");
}

static void raw_8bit_subjects_are_guessed(void **state)
{
    (void)state;
    subject_is("From: a@b.c\r\nSubject: \xcf\xee\xe2\xb3\xeb\xfc\xed\xee \xef\xf0\xe0\xf6\xfe\xba\r\n\r\nx\r\n",
               "Повільно працює");
    subject_is("From: a@b.c\r\nSubject: \xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd1\x96\xd1\x82\r\n\r\nx\r\n", "Привіт");
}

static void injected_line_breaks_stay_on_one_line(void **state)
{
    (void)state;
    sg_mail *m = parse("From: \"Evil\r\n Bcc: x@y\" <e@v.il>\r\n"
                       "Subject: =?utf-8?Q?a=0D=0ABcc:_x@y=09z=1B?=\r\n\tcontinued\r\n\r\nhi\r\n");
    assert_string_equal(sg_mail_subject(m), "a Bcc: x@y z continued");
    assert_null(strpbrk(sg_mail_from_name(m), "\r\n"));
    sg_mail_free(m);
}

static void display_names_and_addresses_are_decoded(void **state)
{
    (void)state;
    sg_mail *m = parse("From: =?windows-1251?B?zuvl7eA=?= <Olena@Example.UA>\r\n"
                       "To: Support <SUPPORT@introserv.com>, \"X\" <x@y.z>, team: g1@a.b, g2@a.b;\r\n"
                       "Cc: boss@example.ua\r\nSubject: s\r\n\r\nbody\r\n");
    assert_string_equal(sg_mail_from_name(m), "Олена");
    assert_string_equal(sg_mail_from_addr(m), "olena@example.ua");
    size_t n;
    const char *const *to = sg_mail_to(m, &n);
    assert_int_equal(n, 4);
    assert_string_equal(to[0], "support@introserv.com");
    assert_string_equal(to[1], "x@y.z");
    assert_string_equal(to[3], "g2@a.b");
    assert_null(to[4]);
    assert_string_equal(sg_mail_cc(m, &n)[0], "boss@example.ua");
    assert_int_equal(n, 1);
    sg_mail_free(m);
}

static void missing_headers_do_not_crash(void **state)
{
    (void)state;
    sg_mail *m = parse("X-Nothing: here\r\n\r\nbody only\r\n");
    assert_string_equal(sg_mail_subject(m), "");
    assert_null(sg_mail_from_addr(m));
    assert_null(sg_mail_from_name(m));
    assert_null(sg_mail_message_id(m));
    assert_null(sg_mail_header(m, "Date"));
    size_t n = 9;
    assert_non_null(sg_mail_to(m, &n));
    assert_int_equal(n, 0);
    sg_mail_parent_ids(m, &n);
    assert_int_equal(n, 0);
    assert_string_equal(sg_mail_text(m), "body only\r\n");
    assert_int_equal(sg_mail_attachment_count(m), 0);
    assert_null(sg_mail_attachment(m, 0));
    sg_mail_free(m);
    m = parse("From: \r\nFrom: <>\r\nMessage-ID: \r\n\r\n");
    assert_null(sg_mail_from_addr(m));
    assert_null(sg_mail_message_id(m));
    sg_mail_free(m);
}

/* Threading headers --------------------------------------------------------------------------------- */

static void message_ids_lose_their_brackets(void **state)
{
    (void)state;
    sg_mail *m = parse("From: a@b.c\r\nMessage-ID:\r\n <m1@example.ua> (comment)\r\n\r\nhi\r\n");
    assert_string_equal(sg_mail_message_id(m), "m1@example.ua");
    sg_mail_free(m);
}

static void parent_ids_come_reply_first_then_newest_reference(void **state)
{
    (void)state;
    sg_mail *m = parse("From: a@b.c\r\nIn-Reply-To: <p3@x>\r\nReferences: <p1@x> <p2@x>\r\n <p3@x>\r\n\r\nhi\r\n");
    size_t n;
    const char *const *ids = sg_mail_parent_ids(m, &n);
    assert_int_equal(n, 3);
    assert_string_equal(ids[0], "p3@x");
    assert_string_equal(ids[1], "p2@x");
    assert_string_equal(ids[2], "p1@x");
    assert_null(ids[3]);
    sg_mail_free(m);
}

static void raw_headers_are_unfolded_and_first_wins(void **state)
{
    (void)state;
    sg_mail *m = parse("From: a@b.c\r\nX-Loop: other@x\r\nx-loop:  Support@Introserv.com \r\n"
                       "References: <a@x>\r\n\t<b@x>\r\nSubject: =?utf-8?Q?raw?=\r\nList-Id: <l.x>\r\n\r\nhi\r\n");
    assert_string_equal(sg_mail_header(m, "X-LOOP"), "other@x");
    assert_string_equal(sg_mail_header(m, "references"), "<a@x> <b@x>");
    assert_string_equal(sg_mail_header(m, "Subject"), "=?utf-8?Q?raw?=");
    assert_true(sg_mail_header_has_value(m, "X-Loop", "support@introserv.com"));
    assert_false(sg_mail_header_has_value(m, "X-Loop", "nobody@x"));
    assert_true(sg_mail_has_header(m, "list-id"));
    assert_false(sg_mail_has_header(m, "List-Post"));
    assert_true(sg_mail_has_header_prefix(m, "list-"));
    assert_false(sg_mail_has_header_prefix(m, "X-Auto"));
    sg_mail_free(m);
}

/* Body text ----------------------------------------------------------------------------------------- */

/* "Добрий день" in windows-1251 and koi8-u. */
#define CP1251_BODY "\xc4\xee\xe1\xf0\xe8\xe9 \xe4\xe5\xed\xfc\r\n"
#define KOI8U_BODY "\xe4\xcf\xc2\xd2\xc9\xca \xc4\xc5\xce\xd8\r\n"

static void windows_1251_body_converts_declared_or_not(void **state)
{
    (void)state;
    text_is(HDR "Content-Type: text/plain; charset=windows-1251\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" CP1251_BODY,
            "Добрий день\r\n");
    text_is(HDR "Content-Type: text/plain\r\n\r\n" CP1251_BODY, "Добрий день\r\n");
    text_is(HDR "\r\n" CP1251_BODY, "Добрий день\r\n");
}

/* A charset iconv cannot use: the words are still read, and the recorded text says they were guessed. */
static void an_unusable_charset_is_noted_under_the_text(void **state)
{
    (void)state;
    text_is(HDR "Content-Type: text/plain; charset=x-mac-ukrainian-old\r\n\r\n" CP1251_BODY,
            "Добрий день\r\n\n\n[supportgate: the mail says its text is in \"x-mac-ukrainian-old\", which cannot be read"
            " as such; it was read in the most likely charset instead]");
}

/* Plain words under "base64" whose length no base64 has are read as written; real base64 is still decoded. */
static void words_mislabelled_base64_are_kept(void **state)
{
    (void)state;
    text_is(HDR "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            "the disk is full\r\n", "the disk is full\r\n");
    text_is(HDR "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            "bXkgZGlzayBpcyBmdWxs\r\n", "my disk is full");
}

static void koi8u_body_converts_declared_or_not(void **state)
{
    (void)state;
    text_is(HDR "Content-Type: text/plain; charset=koi8-u\r\n\r\n" KOI8U_BODY, "Добрий день\r\n");
    text_is(HDR "Content-Type: text/plain; charset=\"KOI8-R\"\r\n\r\n" KOI8U_BODY, "Добрий день\r\n");
    text_is(HDR "\r\n" KOI8U_BODY, "Добрий день\r\n");
}

static void utf8_ukrainian_body_is_kept(void **state)
{
    (void)state;
    text_is(HDR "Content-Type: text/plain; charset=utf-8\r\n\r\nЇжак їсть ґрунт, є і ї.\r\n", "Їжак їсть ґрунт, є і ї.\r\n");
    text_is(HDR "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                "0JTQvtCx0YDQuNC5INC00LXQvdGM\r\n",
            "Добрий день");
}

static void lying_charset_is_caught(void **state)
{
    (void)state;
    text_is(HDR "Content-Type: text/plain; charset=us-ascii\r\n\r\nДобрий день\r\n", "Добрий день\r\n");
    text_is(HDR "Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                "=D0=94=D0=BE=D0=B1=D1=80=D0=B8=D0=B9\r\n",
            "Добрий\r\n");
}

static void html_only_mail_becomes_readable_text(void **state)
{
    (void)state;
    sg_mail *m = parse(HDR "Content-Type: text/html; charset=utf-8\r\n\r\n"
                           "<html><head><style>p{color:red}</style><script>alert(1)</script></head><body>"
                           "<p>Hello &amp; welcome,</p><p>my site is <b>down</b>&nbsp;now &#8212; &#x43f;&#1086;</p>"
                           "</body></html>\r\n");
    const char *t = sg_mail_text(m);
    assert_string_equal(t, "Hello & welcome,\n\nmy site is down now — по\n");
    assert_null(strchr(t, '<'));
    assert_null(strstr(t, "alert"));
    assert_null(strstr(t, "color"));
    sg_mail_free(m);
}

static void html_in_a_legacy_charset_is_converted_first(void **state)
{
    (void)state;
    text_is(HDR "Content-Type: text/html; charset=windows-1251\r\n\r\n<p>" CP1251_BODY "</p>", "Добрий день\n");
}

static void alternative_prefers_plain_text(void **state)
{
    (void)state;
    text_is(HDR "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n"
                "--b\r\nContent-Type: text/html\r\n\r\n<p>HTML</p>\r\n"
                "--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                "Pl=C3=A4in\r\n--b--\r\n",
            "Pläin");
}

static void empty_plain_beside_html_uses_the_html(void **state)
{
    (void)state;
    text_is(HDR "Content-Type: multipart/alternative; boundary=b\r\n\r\n"
                "--b\r\nContent-Type: text/plain\r\n\r\n \r\n"
                "--b\r\nContent-Type: text/html\r\n\r\n<div>Real words</div>\r\n--b--\r\n",
            "Real words\n");
}

static void nested_multiparts_find_the_text(void **state)
{
    (void)state;
    text_is(HDR "Content-Type: multipart/mixed; boundary=o\r\n\r\n"
                "--o\r\nContent-Type: multipart/related; boundary=r\r\n\r\n"
                "--r\r\nContent-Type: multipart/alternative; boundary=a\r\n\r\n"
                "--a\r\nContent-Type: text/plain\r\n\r\ndeep text\r\n--a--\r\n"
                "--r\r\nContent-Type: image/png\r\n\r\nPNG\r\n--r--\r\n--o--\r\n",
            "deep text");
}

/* Attachments --------------------------------------------------------------------------------------- */

static void rfc2231_attachment_name_and_size_are_recorded(void **state)
{
    (void)state;
    sg_mail *m = parse(HDR "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
                           "--b\r\nContent-Type: text/plain\r\n\r\nsee log\r\n"
                           "--b\r\nContent-Type: Application/Octet-Stream\r\n"
                           "Content-Disposition: attachment; filename*=utf-8''%D0%BB%D0%BE%D0%B3.txt\r\n"
                           "Content-Transfer-Encoding: base64\r\n\r\nAAAAAAAA\r\n--b--\r\n");
    assert_int_equal(sg_mail_attachment_count(m), 1);
    const sg_attachment *a = sg_mail_attachment(m, 0);
    assert_string_equal(a->filename, "лог.txt");
    assert_string_equal(a->content_type, "application/octet-stream");
    assert_int_equal(a->size, 6);
    assert_string_equal(sg_mail_text(m), "see log");
    assert_string_equal(sg_mail_content_type(m), "multipart/mixed");
    sg_mail_free(m);
}

static void rfc2047_attachment_names_decode(void **state)
{
    (void)state;
    sg_mail *m = parse(HDR "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
                           "--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n"
                           "--b\r\nContent-Type: application/pdf; name=\"=?windows-1251?B?0+Pu5OA=?=.pdf\"\r\n"
                           "Content-Transfer-Encoding: quoted-printable\r\n\r\n%PDF=3D1\r\n"
                           "--b\r\nContent-Type: text/plain; name=\"=?utf-8?Q?=D0=BB=D0=BE=D0=B3?=\"\r\n"
                           "Content-Disposition: attachment\r\n\r\nlog line\r\n--b--\r\n");
    assert_int_equal(sg_mail_attachment_count(m), 2);
    assert_string_equal(sg_mail_attachment(m, 0)->filename, "Угода.pdf");
    assert_string_equal(sg_mail_attachment(m, 0)->content_type, "application/pdf");
    assert_int_equal(sg_mail_attachment(m, 0)->size, 6);
    assert_string_equal(sg_mail_attachment(m, 1)->filename, "лог");
    assert_string_equal(sg_mail_text(m), "hi");
    sg_mail_free(m);
}

static void inline_non_text_and_forwarded_mail_are_attachments(void **state)
{
    (void)state;
    sg_mail *m = parse(HDR "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
                           "--b\r\nContent-Type: image/png\r\n\r\nPNGDATA\r\n"
                           "--b\r\nContent-Type: text/plain\r\n\r\nthe text\r\n"
                           "--b\r\nContent-Type: message/rfc822\r\n\r\nFrom: x@y\r\nSubject: inner\r\n\r\ninner body\r\n"
                           "--b\r\nContent-Type: text/calendar\r\n\r\nBEGIN:VCALENDAR\r\n--b--\r\n");
    assert_int_equal(sg_mail_attachment_count(m), 3);
    assert_string_equal(sg_mail_attachment(m, 0)->content_type, "image/png");
    assert_string_equal(sg_mail_attachment(m, 0)->filename, "");
    assert_int_equal(sg_mail_attachment(m, 0)->size, 7);
    assert_string_equal(sg_mail_attachment(m, 1)->content_type, "message/rfc822");
    assert_true(sg_mail_attachment(m, 1)->size > 20);
    assert_string_equal(sg_mail_attachment(m, 2)->content_type, "text/calendar");
    assert_string_equal(sg_mail_text(m), "the text");
    sg_mail_free(m);
}

/* A text part shown inline is the customer's words even when the mailer gave it a file name (XEmacs VM does);
 * a second named one is a file the customer sent, listed rather than dropped. */
static void inline_named_text_is_the_text_and_later_ones_are_listed(void **state)
{
    (void)state;
    sg_mail *m = parse(HDR "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
                           "--b\r\nContent-Type: text/plain\r\nContent-Disposition: inline;\r\n\tfilename=\"msg.txt\"\r\n\r\n"
                           "the customer's words\r\n"
                           "--b\r\nContent-Type: text/plain\r\nContent-Disposition: inline; filename=\"dmesg.txt\"\r\n\r\n"
                           "kernel: oops\r\n"
                           "--b\r\nContent-Type: text/plain; name=\"notes.txt\"\r\n\r\nnotes\r\n--b--\r\n");
    assert_string_equal(sg_mail_text(m), "the customer's words");
    assert_int_equal(sg_mail_attachment_count(m), 2);
    assert_string_equal(sg_mail_attachment(m, 0)->filename, "dmesg.txt");
    assert_string_equal(sg_mail_attachment(m, 1)->filename, "notes.txt");
    sg_mail_free(m);
    /* Named in the Content-Type alone, without a disposition, the first text is read too. */
    m = parse(HDR "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
                  "--b\r\nContent-Type: text/plain; name=\"msg.txt\"\r\n\r\nmirror\r\n"
                  "--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=\"log.txt\"\r\n\r\nlog\r\n--b--\r\n");
    assert_string_equal(sg_mail_text(m), "mirror");
    assert_int_equal(sg_mail_attachment_count(m), 1);
    assert_string_equal(sg_mail_attachment(m, 0)->filename, "log.txt");
    sg_mail_free(m);
}

/* "Content-Type: text" with no subtype: RFC 2045 readers take it as plain text, and so does this one. */
static void text_without_a_subtype_is_plain_text(void **state)
{
    (void)state;
    text_is(HDR "MIME-Version: 1.0\r\nContent-Type: text; charset=us-ascii\r\n\r\nHi,\r\nno subtype here.\r\n",
            "Hi,\r\nno subtype here.\r\n");
}

/* Broken and hostile input -------------------------------------------------------------------------- */

static void missing_boundary_still_gives_text(void **state)
{
    (void)state;
    /* GMime keeps such a body as the multipart's prologue, with its own line ends. */
    sg_mail *m = parse("From: a@b.c\r\nContent-Type: multipart/mixed\r\n\r\ntext without parts\r\n");
    assert_true(g_str_has_prefix(sg_mail_text(m), "text without parts"));
    sg_mail_free(m);
    m = parse("From: a@b.c\r\nContent-Type: multipart/mixed; boundary=\"missing\"\r\n\r\nstill text\r\n");
    assert_true(g_str_has_prefix(sg_mail_text(m), "still text"));
    sg_mail_free(m);
}

static void truncated_mime_still_gives_text(void **state)
{
    (void)state;
    text_is(HDR "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
                "cut off in the mid",
            "cut off in the mid");
    sg_mail *m = parse(HDR "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/pl");
    assert_true(g_utf8_validate(sg_mail_text(m), -1, NULL));
    sg_mail_free(m);
    m = parse(HDR "Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64\r\n0J/R");
    assert_true(g_utf8_validate(sg_mail_text(m), -1, NULL));
    sg_mail_free(m);
}

static void every_prefix_of_a_mail_parses(void **state)
{
    (void)state;
    static const char mail[] = HDR "Message-ID: <m@x>\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                                   "--b\r\nContent-Type: text/plain; charset=koi8-u\r\n\r\n" KOI8U_BODY
                                   "--b\r\nContent-Type: application/zip; name*=utf-8''%D0%B0.zip\r\n"
                                   "Content-Transfer-Encoding: base64\r\n\r\nUEsDBA==\r\n--b--\r\n";
    for (size_t n = 1; n < sizeof mail; n++) {
        char *copy = g_memdup2(mail, n);
        sg_mail *m = parse_len(copy, n);
        assert_true(g_utf8_validate(sg_mail_text(m), -1, NULL));
        assert_null(strpbrk(sg_mail_subject(m), "\r\n"));
        sg_mail_free(m);
        g_free(copy);
    }
}

static void nul_bytes_do_not_crash(void **state)
{
    (void)state;
    static const char nul[] = "From: a@b.c\r\nSubject: x\0y\r\nX-After: 1\r\n\r\nbo\0dy\r\n\0";
    sg_mail *m = parse_len(nul, sizeof nul - 1);
    assert_true(g_utf8_validate(sg_mail_text(m), -1, NULL));
    assert_null(memchr(sg_mail_text(m), '\0', strlen(sg_mail_text(m))));
    assert_null(strpbrk(sg_mail_subject(m), "\r\n"));
    sg_mail_free(m);
    static const char zeros[64] = { 0 };
    m = parse_len(zeros, sizeof zeros);
    assert_string_equal(sg_mail_text(m), "");
    sg_mail_free(m);
}

static void empty_and_headerless_input(void **state)
{
    (void)state;
    const char *err = NULL;
    assert_null(sg_mail_parse("", 0, &err));
    assert_non_null(err);
    err = NULL;
    assert_null(sg_mail_parse(NULL, 10, &err));
    assert_non_null(err);
    assert_null(sg_mail_parse("", 0, NULL));
    sg_mail *m = parse("just some words\r\nwithout any header\r\n");
    assert_non_null(strstr(sg_mail_text(m), "just some words"));
    assert_string_equal(sg_mail_subject(m), "");
    assert_string_equal(sg_mail_content_type(m), "text/plain");
    sg_mail_free(m);
}

static void hundred_deep_nesting_finishes(void **state)
{
    (void)state;
    GString *s = g_string_new(HDR);
    for (int i = 0; i < 100; i++)
        g_string_append_printf(s, "Content-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n--b%d\r\n", i, i);
    g_string_append(s, "Content-Type: text/plain\r\n\r\ndeepest\r\n");
    for (int i = 99; i >= 0; i--)
        g_string_append_printf(s, "--b%d--\r\n", i);
    sg_mail *m = parse(s->str);
    assert_true(g_utf8_validate(sg_mail_text(m), -1, NULL));
    sg_mail_free(m);
    /* Shallow enough nesting is still read. */
    g_string_assign(s, HDR);
    for (int i = 0; i < 10; i++)
        g_string_append_printf(s, "Content-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n--b%d\r\n", i, i);
    g_string_append(s, "Content-Type: text/plain\r\n\r\nten deep\r\n");
    m = parse(s->str);
    assert_non_null(strstr(sg_mail_text(m), "ten deep"));
    sg_mail_free(m);
    g_string_free(s, TRUE);
}

static void ten_thousand_parts_finish(void **state)
{
    (void)state;
    GString *s = g_string_new(HDR "Content-Type: multipart/mixed; boundary=\"w\"\r\n\r\n"
                                  "--w\r\nContent-Type: text/plain\r\n\r\nfirst\r\n");
    for (int i = 0; i < 10000; i++)
        g_string_append(s, "--w\r\nContent-Type: application/x-part\r\n\r\nx\r\n");
    g_string_append(s, "--w--\r\n");
    sg_mail *m = parse(s->str);
    assert_string_equal(sg_mail_text(m), "first");
    assert_true(sg_mail_attachment_count(m) < 10000);
    assert_true(sg_mail_attachment_count(m) > 9000);
    sg_mail_free(m);
    g_string_free(s, TRUE);
}

/* Type and language --------------------------------------------------------------------------------- */

static void language_follows_subject_and_text(void **state)
{
    (void)state;
    sg_mail *m = parse("From: a@b.c\r\nSubject: =?utf-8?B?0J/RgNC40LLRltGC?=\r\n\r\nVPS\r\n");
    assert_string_equal(sg_mail_lang(m), "uk");
    sg_mail_free(m);
    m = parse("From: a@b.c\r\nSubject: Server down\r\n\r\nPlease help, it is down since yesterday\r\n");
    assert_string_equal(sg_mail_lang(m), "en");
    sg_mail_free(m);
    m = parse(HDR "\r\n" CP1251_BODY);
    assert_string_equal(sg_mail_lang(m), "uk");
    sg_mail_free(m);
}

static void content_type_is_lower_case(void **state)
{
    (void)state;
    sg_mail *m = parse("From: a@b.c\r\nContent-Type: Multipart/Report; report-type=delivery-status; boundary=z\r\n\r\n"
                       "--z\r\nContent-Type: text/plain\r\n\r\nDelivery failed\r\n"
                       "--z\r\nContent-Type: message/delivery-status\r\n\r\nAction: failed\r\n--z--\r\n");
    assert_string_equal(sg_mail_content_type(m), "multipart/report");
    assert_string_equal(sg_mail_text(m), "Delivery failed");
    sg_mail_free(m);
    m = parse("From: a@b.c\r\n\r\nx\r\n");
    assert_string_equal(sg_mail_content_type(m), "text/plain");
    sg_mail_free(m);
}

/* Postfix cuts headers at 60,000 bytes for milters, but a mail from a file or another MTA may carry longer ones. */
static void long_header_lines_parse(void **state)
{
    (void)state;
    for (size_t n = 102400; n <= 1048576; n *= 10) {
        GString *mail = g_string_new(HDR "X-Long: ");
        for (size_t i = 0; i < n; i++)
            g_string_append_c(mail, 'a');
        g_string_append(mail, "\r\n\r\nbody after the long line\r\n");
        sg_mail *m = parse_len(mail->str, mail->len);
        assert_string_equal(sg_mail_subject(m), "x");
        assert_non_null(strstr(sg_mail_text(m), "body after the long line"));
        sg_mail_free(m);
        g_string_free(mail, TRUE);
    }
}

int main(void)
{
    g_mime_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_encoded_word_subjects_decode),
        cmocka_unit_test(legacy_charset_encoded_word_subjects_decode),
        cmocka_unit_test(raw_8bit_subjects_are_guessed),
        cmocka_unit_test(injected_line_breaks_stay_on_one_line),
        cmocka_unit_test(display_names_and_addresses_are_decoded),
        cmocka_unit_test(missing_headers_do_not_crash),
        cmocka_unit_test(message_ids_lose_their_brackets),
        cmocka_unit_test(parent_ids_come_reply_first_then_newest_reference),
        cmocka_unit_test(raw_headers_are_unfolded_and_first_wins),
        cmocka_unit_test(windows_1251_body_converts_declared_or_not),
        cmocka_unit_test(an_unusable_charset_is_noted_under_the_text),
        cmocka_unit_test(words_mislabelled_base64_are_kept),
        cmocka_unit_test(koi8u_body_converts_declared_or_not),
        cmocka_unit_test(utf8_ukrainian_body_is_kept),
        cmocka_unit_test(lying_charset_is_caught),
        cmocka_unit_test(html_only_mail_becomes_readable_text),
        cmocka_unit_test(html_in_a_legacy_charset_is_converted_first),
        cmocka_unit_test(alternative_prefers_plain_text),
        cmocka_unit_test(empty_plain_beside_html_uses_the_html),
        cmocka_unit_test(nested_multiparts_find_the_text),
        cmocka_unit_test(rfc2231_attachment_name_and_size_are_recorded),
        cmocka_unit_test(rfc2047_attachment_names_decode),
        cmocka_unit_test(inline_non_text_and_forwarded_mail_are_attachments),
        cmocka_unit_test(inline_named_text_is_the_text_and_later_ones_are_listed),
        cmocka_unit_test(text_without_a_subtype_is_plain_text),
        cmocka_unit_test(missing_boundary_still_gives_text),
        cmocka_unit_test(truncated_mime_still_gives_text),
        cmocka_unit_test(every_prefix_of_a_mail_parses),
        cmocka_unit_test(nul_bytes_do_not_crash),
        cmocka_unit_test(empty_and_headerless_input),
        cmocka_unit_test(hundred_deep_nesting_finishes),
        cmocka_unit_test(ten_thousand_parts_finish),
        cmocka_unit_test(language_follows_subject_and_text),
        cmocka_unit_test(content_type_is_lower_case),
        cmocka_unit_test(long_header_lines_parse),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    g_mime_shutdown();
    return rc;
}
