/* test_compose.c - outgoing mail as written by sg_compose, read back with GMime: headers, encodings, parts, line ends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <gmime/gmime.h>
#include <string.h>

#include "compose.h"

/* An acknowledgement as the scheduler queues one: every optional header set. */
static sg_outgoing ack(void)
{
    static const char *const refs[] = {"root.1@example.net", "c1.2@example.net"};
    sg_outgoing o = {
        .from_addr = "support@introserv.com",
        .from_name = "INTROSERV Support",
        .to_addr = "ivan@example.net",
        .to_name = "Ivan Petrenko",
        .subject = "[INTROSERV #42] Printer on fire",
        .body = "We have your request.\n",
        .message_id = "sg.ack.42.abc@introserv.com",
        .in_reply_to = "c1.2@example.net",
        .references = refs,
        .n_references = 2,
        .auto_submitted = "auto-replied",
        .loop = "support@introserv.com",
        .ticket = "42",
    };
    return o;
}

/* The composed text of O; its length must be the one sg_compose reports. */
static char *compose(const sg_outgoing *o)
{
    size_t len = 0;
    char *s = sg_compose(o, &len);
    assert_non_null(s);
    assert_int_equal(len, strlen(s));
    return s;
}

static GMimeMessage *parse_back(const char *s)
{
    GMimeStream *in = g_mime_stream_mem_new_with_buffer(s, strlen(s));
    GMimeParser *p = g_mime_parser_new_with_stream(in);
    GMimeMessage *m = g_mime_parser_construct_message(p, NULL);
    g_object_unref(p);
    g_object_unref(in);
    assert_non_null(m);
    return m;
}

/* The raw value of the first NAME header in the header section of S, unfolded, or NULL (g_free). */
static char *raw_header(const char *s, const char *name)
{
    size_t n = strlen(name);
    for (const char *line = s; *line && strncmp(line, "\r\n", 2) != 0;) {
        const char *eol = strstr(line, "\r\n");
        assert_non_null(eol);
        if (g_ascii_strncasecmp(line, name, n) == 0 && line[n] == ':') {
            GString *v = g_string_new_len(line + n + 1, eol - line - n - 1);
            /* Continuation lines start with white space. */
            while (eol[2] == ' ' || eol[2] == '\t') {
                const char *next = strstr(eol + 2, "\r\n");
                assert_non_null(next);
                g_string_append_len(v, eol + 2, next - eol - 2);
                eol = next;
            }
            /* Folding may put a tab where a space was: compare with each run of white space as one space. */
            char **words = g_strsplit_set(g_strstrip(v->str), " \t", -1);
            GString *out = g_string_new(NULL);
            for (char **w = words; *w; w++)
                if (**w)
                    g_string_append_printf(out, "%s%s", out->len ? " " : "", *w);
            g_strfreev(words);
            g_string_free(v, TRUE);
            return g_string_free(out, FALSE);
        }
        line = eol + 2;
    }
    return NULL;
}

static void raw_header_is(const char *s, const char *name, const char *want)
{
    char *got = raw_header(s, name);
    if (!want) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_string_equal(got, want);
    g_free(got);
}

/* Whether S contains the RFC 2047 opening of a UTF-8 encoded word (the charset's case is the writer's choice). */
static int has_utf8_word(const char *s)
{
    char *low = g_ascii_strdown(s, -1);
    int found = strstr(low, "=?utf-8?") != NULL;
    g_free(low);
    return found;
}

static const char *mailbox_addr(InternetAddressList *l, int i)
{
    InternetAddress *a = internet_address_list_get_address(l, i);
    assert_true(INTERNET_ADDRESS_IS_MAILBOX(a));
    return internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
}

static void from_to_and_cc_carry_names_and_addresses(void **state)
{
    (void)state;
    static const char *const cc[] = {"support-team@introserv.com", "lead@introserv.com"};
    sg_outgoing o = ack();
    o.from_name = "Olena — INTROSERV Support";
    o.to_name = "Оксана";
    o.cc = cc;
    o.n_cc = 2;
    char *s = compose(&o);
    GMimeMessage *m = parse_back(s);
    InternetAddressList *from = g_mime_message_get_from(m);
    assert_int_equal(internet_address_list_length(from), 1);
    assert_string_equal(mailbox_addr(from, 0), "support@introserv.com");
    assert_string_equal(internet_address_get_name(internet_address_list_get_address(from, 0)), "Olena — INTROSERV Support");
    InternetAddressList *to = g_mime_message_get_to(m);
    assert_int_equal(internet_address_list_length(to), 1);
    assert_string_equal(mailbox_addr(to, 0), "ivan@example.net");
    assert_string_equal(internet_address_get_name(internet_address_list_get_address(to, 0)), "Оксана");
    InternetAddressList *l = g_mime_message_get_cc(m);
    assert_int_equal(internet_address_list_length(l), 2);
    assert_string_equal(mailbox_addr(l, 0), "support-team@introserv.com");
    assert_string_equal(mailbox_addr(l, 1), "lead@introserv.com");
    /* The non-ASCII names travel as RFC 2047 UTF-8 words, never as raw 8-bit bytes. */
    char *raw = raw_header(s, "From");
    assert_true(has_utf8_word(raw));
    assert_non_null(strstr(raw, "<support@introserv.com>"));
    g_free(raw);
    raw = raw_header(s, "To");
    assert_true(has_utf8_word(raw));
    g_free(raw);
    g_object_unref(m);
    g_free(s);
}

static void no_cc_header_without_cc(void **state)
{
    (void)state;
    sg_outgoing o = ack();
    char *s = compose(&o);
    raw_header_is(s, "Cc", NULL);
    g_free(s);
}

static void ascii_subject_stays_as_written(void **state)
{
    (void)state;
    sg_outgoing o = ack();
    char *s = compose(&o);
    raw_header_is(s, "Subject", "[INTROSERV #42] Printer on fire");
    g_free(s);
}

static void non_ascii_subject_is_rfc2047_and_decodes_back(void **state)
{
    (void)state;
    sg_outgoing o = ack();
    o.subject = "[INTROSERV #42] Повільно працює VPS";
    char *s = compose(&o);
    char *raw = raw_header(s, "Subject");
    assert_non_null(raw);
    assert_true(has_utf8_word(raw));
    for (const char *p = raw; *p; p++)
        assert_true((unsigned char)*p < 0x80);
    g_free(raw);
    GMimeMessage *m = parse_back(s);
    assert_string_equal(g_mime_message_get_subject(m), "[INTROSERV #42] Повільно працює VPS");
    g_object_unref(m);
    g_free(s);
}

static void message_id_is_written_in_brackets(void **state)
{
    (void)state;
    sg_outgoing o = ack();
    char *s = compose(&o);
    raw_header_is(s, "Message-ID", "<sg.ack.42.abc@introserv.com>");
    GMimeMessage *m = parse_back(s);
    assert_string_equal(g_mime_message_get_message_id(m), "sg.ack.42.abc@introserv.com");
    g_object_unref(m);
    g_free(s);
}

static void in_reply_to_and_references_thread_the_reply(void **state)
{
    (void)state;
    sg_outgoing o = ack();
    char *s = compose(&o);
    raw_header_is(s, "In-Reply-To", "<c1.2@example.net>");
    raw_header_is(s, "References", "<root.1@example.net> <c1.2@example.net>");
    g_free(s);
}

static void no_threading_headers_for_a_new_thread(void **state)
{
    (void)state;
    sg_outgoing o = ack();
    o.in_reply_to = NULL;
    o.references = NULL;
    o.n_references = 0;
    char *s = compose(&o);
    raw_header_is(s, "In-Reply-To", NULL);
    raw_header_is(s, "References", NULL);
    g_free(s);
}

static void ids_that_could_break_a_header_are_left_out(void **state)
{
    (void)state;
    static const char *const refs[] = {"ok.1@example.net", "bad id@example.net", "bad>2@example.net",
                                       "bad\r\nBcc: x@evil.example@example.net", "ok.2@example.net"};
    sg_outgoing o = ack();
    o.in_reply_to = "<bracketed@example.net>";
    o.references = refs;
    o.n_references = 5;
    char *s = compose(&o);
    raw_header_is(s, "In-Reply-To", NULL);
    raw_header_is(s, "References", "<ok.1@example.net> <ok.2@example.net>");
    raw_header_is(s, "Bcc", NULL);
    g_free(s);

    /* Nothing usable left: no empty References header. */
    static const char *const only_bad[] = {"a b@example.net"};
    o.references = only_bad;
    o.n_references = 1;
    s = compose(&o);
    raw_header_is(s, "References", NULL);
    g_free(s);
}

static void long_reference_chains_keep_the_root_and_the_newest(void **state)
{
    (void)state;
    char *ids[30];
    const char *refs[30];
    for (int i = 0; i < 30; i++)
        refs[i] = ids[i] = g_strdup_printf("r%d@example.net", i);
    sg_outgoing o = ack();
    o.references = refs;
    o.n_references = 30;
    char *s = compose(&o);
    /* The root, then the 19 newest: 20 in all. */
    GString *want = g_string_new("<r0@example.net>");
    for (int i = 11; i < 30; i++)
        g_string_append_printf(want, " <r%d@example.net>", i);
    raw_header_is(s, "References", want->str);
    g_string_free(want, TRUE);
    g_free(s);
    for (int i = 0; i < 30; i++)
        g_free(ids[i]);
}

static void automatic_mail_is_marked_and_loop_headers_are_set(void **state)
{
    (void)state;
    sg_outgoing o = ack();
    char *s = compose(&o);
    raw_header_is(s, "Auto-Submitted", "auto-replied");
    raw_header_is(s, "X-Auto-Response-Suppress", "All");
    raw_header_is(s, "X-Loop", "support@introserv.com");
    raw_header_is(s, "X-Supportgate-Ticket", "42");
    g_free(s);

    o.auto_submitted = "auto-generated";
    s = compose(&o);
    raw_header_is(s, "Auto-Submitted", "auto-generated");
    g_free(s);
}

static void a_human_reply_has_no_automatic_headers(void **state)
{
    (void)state;
    sg_outgoing o = ack();
    o.auto_submitted = NULL;
    o.loop = NULL;
    o.ticket = NULL;
    char *s = compose(&o);
    raw_header_is(s, "Auto-Submitted", NULL);
    raw_header_is(s, "X-Auto-Response-Suppress", NULL);
    raw_header_is(s, "X-Loop", NULL);
    raw_header_is(s, "X-Supportgate-Ticket", NULL);
    g_free(s);
}

static void date_is_now_and_mime_version_is_set(void **state)
{
    (void)state;
    sg_outgoing o = ack();
    GDateTime *before = g_date_time_new_now_utc();
    char *s = compose(&o);
    GDateTime *after = g_date_time_new_now_utc();
    raw_header_is(s, "MIME-Version", "1.0");
    GMimeMessage *m = parse_back(s);
    GDateTime *date = g_mime_message_get_date(m);
    assert_non_null(date);
    /* The header has whole seconds: it lies between the second before and the second after. */
    gint64 t = g_date_time_to_unix(date);
    assert_true(t >= g_date_time_to_unix(before) - 1);
    assert_true(t <= g_date_time_to_unix(after) + 1);
    g_date_time_unref(before);
    g_date_time_unref(after);
    g_object_unref(m);
    g_free(s);
}

static void text_only_mail_is_one_7bit_utf8_plain_part(void **state)
{
    (void)state;
    sg_outgoing o = ack();
    o.body = "Вітаємо! Ми отримали ваш запит.\nA line that starts with From the left.\n";
    char *s = compose(&o);
    for (const char *p = s; *p; p++)
        assert_true((unsigned char)*p < 0x80);
    GMimeMessage *m = parse_back(s);
    GMimeObject *part = g_mime_message_get_mime_part(m);
    assert_true(GMIME_IS_TEXT_PART(part));
    GMimeContentType *ct = g_mime_object_get_content_type(part);
    assert_true(g_mime_content_type_is_type(ct, "text", "plain"));
    assert_int_equal(g_ascii_strcasecmp(g_mime_content_type_get_parameter(ct, "charset"), "utf-8"), 0);
    char *text = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
    char **lines = g_strsplit(text, "\r\n", -1);
    char *lf = g_strjoinv("\n", lines);
    assert_string_equal(lf, o.body);
    g_free(lf);
    g_strfreev(lines);
    g_free(text);
    g_object_unref(m);
    g_free(s);
}

static void html_makes_multipart_alternative_plain_first(void **state)
{
    (void)state;
    sg_outgoing o = ack();
    o.body = "3 breaches\n";
    o.html = "<p>3 breaches — see below</p>\n";
    char *s = compose(&o);
    GMimeMessage *m = parse_back(s);
    GMimeObject *top = g_mime_message_get_mime_part(m);
    assert_true(GMIME_IS_MULTIPART(top));
    assert_true(g_mime_content_type_is_type(g_mime_object_get_content_type(top), "multipart", "alternative"));
    GMimeMultipart *mp = GMIME_MULTIPART(top);
    assert_int_equal(g_mime_multipart_get_count(mp), 2);
    GMimeObject *plain = g_mime_multipart_get_part(mp, 0), *html = g_mime_multipart_get_part(mp, 1);
    assert_true(g_mime_content_type_is_type(g_mime_object_get_content_type(plain), "text", "plain"));
    assert_true(g_mime_content_type_is_type(g_mime_object_get_content_type(html), "text", "html"));
    char *t = g_mime_text_part_get_text(GMIME_TEXT_PART(plain));
    assert_non_null(strstr(t, "3 breaches"));
    g_free(t);
    t = g_mime_text_part_get_text(GMIME_TEXT_PART(html));
    assert_non_null(strstr(t, "<p>3 breaches — see below</p>"));
    g_free(t);
    g_object_unref(m);
    g_free(s);
}

static void every_line_ends_in_crlf(void **state)
{
    (void)state;
    sg_outgoing o = ack();
    o.subject = "[INTROSERV #42] Повільно працює VPS, a subject long enough that the header must be folded over lines";
    o.body = "one\ntwo\r\nthree\n";
    o.html = "<p>one</p>\n<p>two</p>\n";
    char *s = compose(&o);
    size_t len = strlen(s);
    assert_true(len > 2);
    assert_memory_equal(s + len - 2, "\r\n", 2);
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            assert_true(i > 0 && s[i - 1] == '\r');
        if (s[i] == '\r')
            assert_true(s[i + 1] == '\n');
    }
    /* The header section ends with an empty line before the body. */
    assert_non_null(strstr(s, "\r\n\r\n"));
    g_free(s);
}

/* Only the format: the signed part between the ticket and the domain is token.c's business (test_token.c). */
static void message_ids_name_kind_ticket_and_domain(void **state)
{
    (void)state;
    static const char key[] = "a key of at least thirty-two bytes, for the test";
    sg_token_keys *k = sg_token_keys_new(key, strlen(key), NULL, 0, 0);
    char *id = sg_compose_message_id(k, "ack", 42, "introserv.com");
    assert_true(g_str_has_prefix(id, "sg.ack.42."));
    assert_true(g_str_has_suffix(id, "@introserv.com"));
    const char *token = id + strlen("sg.ack.42.");
    size_t n = strlen(token) - strlen("@introserv.com");
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++)
        assert_true(g_ascii_isalnum(token[i]) || token[i] == '.' || token[i] == '-' || token[i] == '_');
    g_free(id);

    id = sg_compose_message_id(k, "breach", 7, "example.org");
    assert_true(g_str_has_prefix(id, "sg.breach.7."));
    assert_true(g_str_has_suffix(id, "@example.org"));
    assert_null(strpbrk(id, "<> \t\r\n"));
    assert_int_equal(strchr(id, '@') - id, strrchr(id, '@') - id);
    g_free(id);
    sg_token_keys_free(k);
}

int main(void)
{
    g_mime_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(from_to_and_cc_carry_names_and_addresses),
        cmocka_unit_test(no_cc_header_without_cc),
        cmocka_unit_test(ascii_subject_stays_as_written),
        cmocka_unit_test(non_ascii_subject_is_rfc2047_and_decodes_back),
        cmocka_unit_test(message_id_is_written_in_brackets),
        cmocka_unit_test(in_reply_to_and_references_thread_the_reply),
        cmocka_unit_test(no_threading_headers_for_a_new_thread),
        cmocka_unit_test(ids_that_could_break_a_header_are_left_out),
        cmocka_unit_test(long_reference_chains_keep_the_root_and_the_newest),
        cmocka_unit_test(automatic_mail_is_marked_and_loop_headers_are_set),
        cmocka_unit_test(a_human_reply_has_no_automatic_headers),
        cmocka_unit_test(date_is_now_and_mime_version_is_set),
        cmocka_unit_test(text_only_mail_is_one_7bit_utf8_plain_part),
        cmocka_unit_test(html_makes_multipart_alternative_plain_first),
        cmocka_unit_test(every_line_ends_in_crlf),
        cmocka_unit_test(message_ids_name_kind_ticket_and_domain),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    g_mime_shutdown();
    return rc;
}
