/* test_attachments.c - files in mail: decoded bytes and names, winmail.dat unpacked, limits, and files re-sent by compose. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <gmime/gmime.h>
#include <string.h>

#include "attachlimit.h"
#include "compose.h"
#include "config.h"
#include "duration.h"
#include "mailparse.h"
#include "tnef.h"

#define HDR "From: a@b.c\r\nTo: support@introserv.com\r\nSubject: files\r\nMIME-Version: 1.0\r\n"
#define MIXED "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee the files\r\n"

static sg_mail *parse(const char *s, size_t len)
{
    sg_mail *m = sg_mail_parse(s, len, NULL);
    assert_non_null(m);
    return m;
}

static void decoded_bytes_and_rfc2231_names(void **state)
{
    (void)state;
    const char *mail = HDR MIXED
        "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n"
        "Content-Disposition: attachment;\r\n filename*0*=utf-8''%D0%B7%D0%B2%D1%96%D1%82;\r\n filename*1*=.bin\r\n\r\n"
        "AAEC/w==\r\n"
        "--b\r\nContent-Type: image/png; name=\"=?utf-8?B?0YTQvtGC0L4ucG5n?=\"\r\nContent-ID: <img1@x>\r\n"
        "Content-Disposition: inline\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw==\r\n--b--\r\n";
    sg_mail *m = parse(mail, strlen(mail));
    assert_int_equal(sg_mail_attachment_count(m), 2);
    const sg_attachment *a = sg_mail_attachment(m, 0);
    assert_string_equal(a->filename, "звіт.bin");
    assert_int_equal(a->size, 4);
    assert_memory_equal(a->data, "\x00\x01\x02\xff", 4);
    assert_null(a->content_id);
    assert_false(a->is_inline);
    const sg_attachment *b = sg_mail_attachment(m, 1);
    assert_string_equal(b->filename, "фото.png");
    assert_string_equal(b->content_type, "image/png");
    assert_string_equal(b->content_id, "img1@x");
    assert_true(b->is_inline);
    assert_memory_equal(b->data, "\x89PNG", 4);
    sg_mail_free(m);
}

/* A TNEF stream (MS-OXTNEF) as Outlook writes it: signature, key, attributes with checksums. */
static void attr(GByteArray *s, guint8 level, guint32 id, const void *data, guint32 len)
{
    guint16 sum = 0;
    for (guint32 i = 0; i < len; i++)
        sum = (guint16)(sum + ((const guint8 *)data)[i]);
    guint8 head[9] = { level, id & 0xff, (id >> 8) & 0xff, (id >> 16) & 0xff, id >> 24,
                       len & 0xff, (len >> 8) & 0xff, (len >> 16) & 0xff, len >> 24 };
    g_byte_array_append(s, head, 9);
    g_byte_array_append(s, data, len);
    guint8 tail[2] = { sum & 0xff, sum >> 8 };
    g_byte_array_append(s, tail, 2);
}

static GByteArray *tnef_with(const char *title, const char *data)
{
    GByteArray *s = g_byte_array_new();
    const guint8 head[6] = { 0x78, 0x9f, 0x3e, 0x22, 0x01, 0x00 };
    g_byte_array_append(s, head, 6);
    const guint8 version[4] = { 0, 0, 1, 0 }, rend[14] = { 1, 0, 0xff, 0xff, 0xff, 0xff };
    attr(s, 1, 0x00089006, version, 4);
    attr(s, 1, 0x00078008, "IPM.Microsoft Mail.Note", 24);
    attr(s, 2, 0x00069002, rend, 14);
    attr(s, 2, 0x00018010, title, (guint32)strlen(title) + 1);
    attr(s, 2, 0x0006800F, data, (guint32)strlen(data));
    return s;
}

static void winmail_dat_is_unpacked(void **state)
{
    (void)state;
    GByteArray *t = tnef_with("notes.txt", "packed by Outlook\n");
    gchar *b64 = g_base64_encode(t->data, t->len);
    gchar *mail = g_strdup_printf(HDR MIXED "--b\r\nContent-Type: application/ms-tnef; name=\"winmail.dat\"\r\n"
                                  "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n--b--\r\n", b64);
    sg_mail *m = parse(mail, strlen(mail));
    assert_int_equal(sg_mail_attachment_count(m), 1);
    const sg_attachment *a = sg_mail_attachment(m, 0);
    assert_string_equal(a->filename, "notes.txt");
    assert_string_equal(a->packed_in, "winmail.dat");
    assert_int_equal(a->size, strlen("packed by Outlook\n"));
    assert_memory_equal(a->data, "packed by Outlook\n", a->size);
    sg_mail_free(m);
    g_free(mail);
    g_free(b64);
    g_byte_array_unref(t);
}

static void count_file(void *ctx, sg_tnef_file *f)
{
    (*(int *)ctx)++;
    g_free(f->filename);
    g_free(f->content_type);
    g_free(f->data);
}

static void broken_tnef_stays_one_file(void **state)
{
    (void)state;
    int n = 0;
    assert_int_equal(sg_tnef_unpack("not tnef at all", 15, count_file, &n), 0);
    GByteArray *t = tnef_with("cut.txt", "this stream is cut short");
    for (guint len = 0; len < t->len; len += 7)
        sg_tnef_unpack(t->data, len, count_file, &n); /* never reads past LEN (ASan would say) */
    g_byte_array_unref(t);
    const char *mail = HDR MIXED "--b\r\nContent-Type: application/ms-tnef; name=\"winmail.dat\"\r\n\r\ngarbage\r\n--b--\r\n";
    sg_mail *m = parse(mail, strlen(mail));
    assert_int_equal(sg_mail_attachment_count(m), 1);
    assert_string_equal(sg_mail_attachment(m, 0)->filename, "winmail.dat");
    assert_null(sg_mail_attachment(m, 0)->packed_in);
    sg_mail_free(m);
}

static sg_config *config(const char *text)
{
    char *err = NULL;
    char *all = g_strconcat("intake = support@introserv.com email 2m\n", text, NULL);
    sg_config *c = sg_config_parse(all, "test.conf", &err);
    g_free(all);
    if (!c)
        fail_msg("%s", err);
    return c;
}

/* Three files of 600, 1500 and 300 bytes against a file limit of 1K and a mail limit of 1K. */
static sg_mail *three_files(void)
{
    GString *s = g_string_new(HDR MIXED);
    const size_t sizes[] = { 600, 1500, 300 };
    for (size_t i = 0; i < 3; i++) {
        g_string_append_printf(s, "--b\r\nContent-Type: application/x-dosexec\r\n"
                                  "Content-Disposition: attachment; filename=\"f%zu\"\r\n\r\n", i);
        for (size_t k = 0; k < sizes[i]; k++)
            g_string_append_c(s, 'x');
        g_string_append(s, "\r\n");
    }
    g_string_append(s, "--b--\r\n");
    sg_mail *m = parse(s->str, s->len);
    g_string_free(s, TRUE);
    return m;
}

static void limits_judge_each_file(void **state)
{
    (void)state;
    sg_config *c = config("attachment_max_file = 1K\nattachment_max_mail = 1K\nattachment_max_ticket = 2K\n");
    sg_mail *m = three_files();
    sg_att_verdict v[3];
    sg_attach_judge(c, m, 0, 0, v);
    assert_int_equal(v[0], SG_ATT_OK);
    assert_int_equal(v[1], SG_ATT_OVER_FILE);
    assert_int_equal(v[2], SG_ATT_OK); /* the huge one did not cost the small one its place */
    sg_attach_judge(c, m, 1500, 0, v);
    assert_int_equal(v[0], SG_ATT_OVER_TICKET);
    assert_int_equal(v[2], SG_ATT_OK);
    sg_attach_judge(c, m, 1500, 1, v); /* sending: the default refused types, no ticket limit */
    assert_int_equal(v[0], SG_ATT_TYPE_REFUSED);
    char *why = sg_attach_why(c, sg_mail_attachment(m, 1), SG_ATT_OVER_FILE);
    assert_string_equal(why, "\"f1\" (1.5 KB) is larger than attachment_max_file (1 KB)");
    g_free(why);
    assert_null(sg_attach_why(c, sg_mail_attachment(m, 0), SG_ATT_OK));
    sg_mail_free(m);
    sg_config_unref(c);
}

static void refused_types_match_whole_types(void **state)
{
    (void)state;
    sg_config *c = config("attachment_refuse_types = video/ application/x-msdownload\n");
    assert_true(sg_attach_type_refused(c, "video/mp4"));
    assert_true(sg_attach_type_refused(c, "Application/X-MSDownload"));
    assert_false(sg_attach_type_refused(c, "application/pdf"));
    assert_false(sg_attach_type_refused(c, "videox/mp4"));
    sg_config_unref(c);
}

static void sizes_read_for_people(void **state)
{
    (void)state;
    char b[32];
    assert_string_equal(sg_size_format(512, b, sizeof b), "512 bytes");
    assert_string_equal(sg_size_format(1024, b, sizeof b), "1 KB");
    assert_string_equal(sg_size_format(3400, b, sizeof b), "3.3 KB");
    assert_string_equal(sg_size_format(340 * 1024, b, sizeof b), "340 KB");
    assert_string_equal(sg_size_format(12 * 1024 * 1024 + 300 * 1024, b, sizeof b), "12.3 MB");
}

static void compose_carries_files_as_they_came(void **state)
{
    (void)state;
    const unsigned char bin[] = { 0, 1, 2, 255, 10, 13, 0 };
    sg_attachment f1 = { "nftables.conf", "text/plain", 12, (const unsigned char *)"table inet\n\n", NULL, 0, NULL };
    sg_attachment f2 = { "рахунок.pdf", "application/pdf", sizeof bin, bin, "inv@x", 1, NULL };
    const sg_attachment *files[] = { &f1, &f2 };
    sg_outgoing o = { .from_addr = "support@introserv.com", .to_addr = "c@example.net", .subject = "Re: x",
                      .body = "attached", .message_id = "m1@introserv.com", .files = files, .n_files = 2 };
    size_t len;
    char *raw = sg_compose(&o, &len);
    for (size_t i = 0; i < len; i++)
        assert_true((unsigned char)raw[i] < 128); /* 7-bit: it travels through any relay */
    sg_mail *m = parse(raw, len);
    assert_string_equal(sg_mail_text(m), "attached");
    assert_int_equal(sg_mail_attachment_count(m), 2);
    const sg_attachment *a = sg_mail_attachment(m, 0), *b = sg_mail_attachment(m, 1);
    assert_string_equal(a->filename, "nftables.conf");
    assert_int_equal(a->size, 12);
    assert_memory_equal(a->data, "table inet\n\n", 12);
    assert_string_equal(b->filename, "рахунок.pdf");
    assert_string_equal(b->content_type, "application/pdf");
    assert_string_equal(b->content_id, "inv@x");
    assert_true(b->is_inline);
    assert_int_equal(b->size, sizeof bin);
    assert_memory_equal(b->data, bin, sizeof bin);
    sg_mail_free(m);
    g_free(raw);
}

int main(void)
{
    g_mime_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decoded_bytes_and_rfc2231_names),
        cmocka_unit_test(winmail_dat_is_unpacked),
        cmocka_unit_test(broken_tnef_stays_one_file),
        cmocka_unit_test(limits_judge_each_file),
        cmocka_unit_test(refused_types_match_whole_types),
        cmocka_unit_test(sizes_read_for_people),
        cmocka_unit_test(compose_carries_files_as_they_came),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    g_mime_shutdown();
    return rc;
}
