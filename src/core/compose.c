/* compose.c - renders outgoing mail with GMime: headers that thread, identify and stop loops. */
#include "compose.h"

#include <gmime/gmime.h>
#include <string.h>

/* Long References chains only grow; RFC 5322 lets us keep the first and the most recent ones. */
#define MAX_REFERENCES 20

char *sg_compose_message_id(const sg_token_keys *keys, const char *kind, long long ticket, const char *domain)
{
    /* A reply that quotes it joins the ticket, so it must be neither predictable nor forgeable: a signed token. */
    return sg_token_message_id(keys, kind, ticket, domain);
}

static char *bracket_list(const char *const *ids, size_t n)
{
    GString *s = g_string_new(NULL);
    size_t skip = n > MAX_REFERENCES ? n - MAX_REFERENCES + 1 : 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && i < skip)
            continue; /* keep the thread's root and the newest */
        if (strpbrk(ids[i], "<> \t\r\n"))
            continue; /* never copy anything that could break the header */
        g_string_append_printf(s, "%s<%s>", s->len ? " " : "", ids[i]);
    }
    return g_string_free(s, FALSE);
}

/* Names are encoded as UTF-8: left to itself GMime picks the smallest legacy charset that fits. */
static void add_mailbox(GMimeMessage *m, GMimeAddressType type, const char *name, const char *addr)
{
    InternetAddress *a = internet_address_mailbox_new(name ? name : "", addr);
    internet_address_set_charset(a, "utf-8");
    internet_address_list_add(g_mime_message_get_addresses(m, type), a);
    g_object_unref(a);
}

static void set_threading(GMimeObject *obj, const sg_outgoing *o)
{
    if (o->in_reply_to && !strpbrk(o->in_reply_to, "<> \t\r\n")) {
        char *v = g_strdup_printf("<%s>", o->in_reply_to);
        g_mime_object_set_header(obj, "In-Reply-To", v, NULL);
        g_free(v);
    }
    if (o->n_references) {
        char *v = bracket_list(o->references, o->n_references);
        if (*v)
            g_mime_object_set_header(obj, "References", v, NULL);
        g_free(v);
    }
}

/* An attached mail travels as message/rfc822 (which RFC 2046 forbids to base64), its parts encoded as needed. */
static GMimeObject *message_file(const sg_attachment *a)
{
    GMimeStream *s = g_mime_stream_mem_new_with_buffer((const char *)a->data, a->size);
    GMimeParser *p = g_mime_parser_new_with_stream(s);
    GMimeMessage *inner = g_mime_parser_construct_message(p, NULL);
    g_object_unref(p);
    g_object_unref(s);
    if (!inner)
        return NULL;
    GMimeMessagePart *mp = g_mime_message_part_new_with_message("rfc822", inner);
    g_object_unref(inner);
    return GMIME_OBJECT(mp);
}

/* A file as it came: its bytes in base64, its type, its name (GMime writes RFC 2231 for names beyond ASCII), its
 * Content-ID and disposition, so an inline image an HTML part shows by cid: still shows. */
static GMimeObject *file_part(const sg_attachment *a)
{
    GMimeObject *obj = g_ascii_strcasecmp(a->content_type, "message/rfc822") == 0 ? message_file(a) : NULL;
    if (!obj) {
        const char *slash = strchr(a->content_type, '/');
        char *type = slash ? g_strndup(a->content_type, (gsize)(slash - a->content_type)) : g_strdup("application");
        GMimePart *part = g_mime_part_new_with_type(type, slash && slash[1] ? slash + 1 : "octet-stream");
        g_free(type);
        GMimeStream *s = g_mime_stream_mem_new_with_buffer((const char *)a->data, a->size);
        GMimeDataWrapper *w = g_mime_data_wrapper_new_with_stream(s, GMIME_CONTENT_ENCODING_DEFAULT);
        g_mime_part_set_content(part, w);
        g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
        g_object_unref(w);
        g_object_unref(s);
        obj = GMIME_OBJECT(part);
    }
    GMimeContentDisposition *cd = g_mime_content_disposition_new();
    g_mime_content_disposition_set_disposition(cd, a->is_inline ? "inline" : "attachment");
    if (*a->filename)
        g_mime_content_disposition_set_parameter(cd, "filename", a->filename);
    g_mime_object_set_content_disposition(obj, cd);
    g_object_unref(cd);
    if (*a->filename)
        g_mime_object_set_content_type_parameter(obj, "name", a->filename);
    if (a->content_id)
        g_mime_object_set_content_id(obj, a->content_id);
    return obj;
}

/* The text, then each file, in one multipart/mixed. */
static GMimeObject *with_files(const sg_outgoing *o, GMimeObject *body)
{
    if (o->n_files == 0)
        return g_object_ref(body);
    GMimeMultipart *mixed = g_mime_multipart_new_with_subtype("mixed");
    g_mime_multipart_add(mixed, body);
    for (size_t i = 0; i < o->n_files; i++) {
        GMimeObject *f = file_part(o->files[i]);
        g_mime_multipart_add(mixed, f);
        g_object_unref(f);
    }
    return GMIME_OBJECT(mixed);
}

static GMimeMessage *build(const sg_outgoing *o)
{
    GMimeMessage *m = g_mime_message_new(TRUE);
    GMimeObject *obj = GMIME_OBJECT(m);
    add_mailbox(m, GMIME_ADDRESS_TYPE_FROM, o->from_name, o->from_addr);
    add_mailbox(m, GMIME_ADDRESS_TYPE_TO, o->to_name, o->to_addr);
    for (size_t i = 0; i < o->n_cc; i++)
        add_mailbox(m, GMIME_ADDRESS_TYPE_CC, NULL, o->cc[i]);
    g_mime_message_set_subject(m, o->subject, "utf-8");
    GDateTime *now = g_date_time_new_now_local();
    g_mime_message_set_date(m, now);
    g_date_time_unref(now);
    g_mime_message_set_message_id(m, o->message_id);
    set_threading(obj, o);
    if (o->auto_submitted) {
        g_mime_object_set_header(obj, "Auto-Submitted", o->auto_submitted, NULL);
        /* Ask Exchange and friends not to answer our automatic mail with their own. */
        g_mime_object_set_header(obj, "X-Auto-Response-Suppress", "All", NULL);
    }
    if (o->loop)
        g_mime_object_set_header(obj, "X-Loop", o->loop, NULL);
    if (o->ticket)
        g_mime_object_set_header(obj, "X-Supportgate-Ticket", o->ticket, NULL);

    GMimeTextPart *text = g_mime_text_part_new_with_subtype("plain");
    g_mime_text_part_set_text(text, o->body ? o->body : "");
    GMimeObject *body = GMIME_OBJECT(text);
    if (o->html) {
        /* Plain text first: clients show the last alternative they understand. */
        GMimeMultipart *alt = g_mime_multipart_new_with_subtype("alternative");
        GMimeTextPart *html = g_mime_text_part_new_with_subtype("html");
        g_mime_text_part_set_text(html, o->html);
        g_mime_multipart_add(alt, GMIME_OBJECT(text));
        g_mime_multipart_add(alt, GMIME_OBJECT(html));
        g_object_unref(html);
        body = GMIME_OBJECT(alt);
        g_object_unref(text);
    }
    GMimeObject *top = with_files(o, body);
    g_mime_message_set_mime_part(m, top);
    g_object_unref(top);
    g_object_unref(body);
    return m;
}

char *sg_compose(const sg_outgoing *o, size_t *len)
{
    GMimeMessage *m = build(o);
    GMimeFormatOptions *fo = g_mime_format_options_new();
    g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_DOS);
    GMimeStream *out = g_mime_stream_mem_new();
    g_mime_object_encode(GMIME_OBJECT(m), GMIME_ENCODING_CONSTRAINT_7BIT);
    g_mime_object_write_to_stream(GMIME_OBJECT(m), fo, out);
    GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
    *len = bytes->len;
    char *data = g_malloc(bytes->len + 1);
    memcpy(data, bytes->data, bytes->len);
    data[bytes->len] = '\0';
    g_object_unref(out);
    g_mime_format_options_free(fo);
    g_object_unref(m);
    return data;
}
