/* mailparse.c - one RFC 5322 message reduced to the facts supportgate stores (parsed with GMime). */
#include "mailparse.h"

#include <gmime/gmime.h>
#include <string.h>

#include "text.h"
#include "thread.h"

/* Hostile mail nests parts without end: stop descending and counting where no real mail goes. */
#define MAX_DEPTH 64
#define MAX_PARTS 10000

struct sg_mail {
    char *subject, *message_id, *from_addr, *from_name, *text, *content_type;
    const char *lang;
    GPtrArray *hnames, *hvalues; /* top-level headers, unfolded */
    GPtrArray *parents, *to, *cc; /* NULL-terminated string arrays */
    GArray *attachments;          /* sg_attachment with g_strdup'ed strings */
};

typedef struct {
    sg_mail *m;
    char *plain, *html;
    int parts;
} walk;

static char *unfold(const char *raw)
{
    GString *s = g_string_new(NULL);
    for (const char *p = raw ? raw : ""; *p; p++)
        if (*p != '\r' && *p != '\n')
            g_string_append_c(s, *p == '\t' ? ' ' : *p);
    return g_strstrip(g_string_free(s, FALSE));
}

static void collect_headers(sg_mail *m, GMimeObject *obj)
{
    GMimeHeaderList *hl = g_mime_object_get_header_list(obj);
    int n = hl ? g_mime_header_list_get_count(hl) : 0;
    for (int i = 0; i < n; i++) {
        GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
        g_ptr_array_add(m->hnames, g_strdup(g_mime_header_get_name(h)));
        g_ptr_array_add(m->hvalues, unfold(g_mime_header_get_raw_value(h)));
    }
}

/* Valid one-line UTF-8 from whatever a header decoder produced. */
static char *clean_line(const char *s)
{
    char *u = sg_text_to_utf8(s ? s : "", s ? strlen(s) : 0, "utf-8");
    return sg_text_one_line(u);
}

static void add_mailboxes(GPtrArray *out, InternetAddressList *list, char **first_name, int depth)
{
    int n = list ? internet_address_list_length(list) : 0;
    for (int i = 0; i < n && depth < 4; i++) {
        InternetAddress *a = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_GROUP(a)) {
            add_mailboxes(out, internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a)), first_name, depth + 1);
            continue;
        }
        const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
        if (!addr || !*addr || strpbrk(addr, " \t\r\n<>\"") || !g_utf8_validate(addr, -1, NULL))
            continue;
        if (first_name && out->len == 0)
            *first_name = internet_address_get_name(a) ? clean_line(internet_address_get_name(a)) : NULL;
        g_ptr_array_add(out, g_utf8_strdown(addr, -1));
    }
}

static GPtrArray *addresses(InternetAddressList *list, char **first_name)
{
    GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
    add_mailboxes(a, list, first_name, 0);
    g_ptr_array_add(a, NULL);
    return a;
}

static void add_parent(GPtrArray *p, const char *id)
{
    for (guint i = 0; i < p->len; i++)
        if (strcmp(p->pdata[i], id) == 0)
            return;
    g_ptr_array_add(p, g_strdup(id));
}

static void collect_parents(sg_mail *m)
{
    m->parents = g_ptr_array_new_with_free_func(g_free);
    char **irt = sg_thread_msgids(sg_mail_header(m, "In-Reply-To"));
    char **refs = sg_thread_msgids(sg_mail_header(m, "References"));
    for (char **p = irt; *p; p++)
        add_parent(m->parents, *p);
    for (int i = (int)g_strv_length(refs) - 1; i >= 0; i--)
        add_parent(m->parents, refs[i]);
    g_strfreev(irt);
    g_strfreev(refs);
    g_ptr_array_add(m->parents, NULL);
}

/* The decoded bytes of a leaf part (transfer encoding removed). */
static GByteArray *part_bytes(GMimePart *part)
{
    GMimeDataWrapper *w = g_mime_part_get_content(part);
    GByteArray *out = g_byte_array_new();
    if (w) {
        GMimeStream *mem = g_mime_stream_mem_new_with_byte_array(out);
        g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
        g_mime_data_wrapper_write_to_stream(w, mem);
        g_object_unref(mem);
    }
    return out;
}

static size_t part_size(GMimePart *part)
{
    GMimeDataWrapper *w = g_mime_part_get_content(part);
    if (!w)
        return 0;
    GMimeStream *null = g_mime_stream_null_new();
    g_mime_data_wrapper_write_to_stream(w, null);
    size_t n = GMIME_STREAM_NULL(null)->written;
    g_object_unref(null);
    return n;
}

static void add_attachment(sg_mail *m, const char *filename, GMimeContentType *ct, size_t size)
{
    char *type = ct ? g_mime_content_type_get_mime_type(ct) : g_strdup("application/octet-stream");
    sg_attachment a = { clean_line(filename), g_ascii_strdown(type, -1), size };
    g_free(type);
    g_array_append_val(m->attachments, a);
}

static void leaf(walk *w, GMimeObject *obj)
{
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    GMimeContentDisposition *cd = g_mime_object_get_content_disposition(obj);
    const char *filename = g_mime_part_get_filename(GMIME_PART(obj));
    int is_text = !ct || g_mime_content_type_is_type(ct, "text", "*");
    int attached = (cd && g_mime_content_disposition_is_attachment(cd)) || (filename && *filename) || !is_text;
    if (attached) {
        add_attachment(w->m, filename, ct, part_size(GMIME_PART(obj)));
        return;
    }
    int plain = !ct || g_mime_content_type_is_type(ct, "text", "plain");
    int html = ct && g_mime_content_type_is_type(ct, "text", "html");
    if ((plain && w->plain) || (html && w->html) || (!plain && !html))
        return;
    GByteArray *b = part_bytes(GMIME_PART(obj));
    const char *charset = g_mime_object_get_content_type_parameter(obj, "charset");
    char *text = sg_text_to_utf8((const char *)b->data, b->len, charset);
    g_byte_array_unref(b);
    if (plain)
        w->plain = text;
    else
        w->html = text;
}

static void descend(walk *w, GMimeObject *obj, int depth)
{
    if (!obj || depth > MAX_DEPTH || ++w->parts > MAX_PARTS)
        return;
    if (GMIME_IS_MULTIPART(obj)) {
        GMimeMultipart *mp = GMIME_MULTIPART(obj);
        int n = g_mime_multipart_get_count(mp);
        for (int i = 0; i < n && w->parts <= MAX_PARTS; i++)
            descend(w, g_mime_multipart_get_part(mp, i), depth + 1);
    } else if (GMIME_IS_MESSAGE_PART(obj)) {
        /* A forwarded mail is the customer's evidence, not their words: list it, do not read it. */
        add_attachment(w->m, g_mime_object_get_content_disposition_parameter(obj, "filename"),
                       g_mime_object_get_content_type(obj), 0);
    } else if (GMIME_IS_PART(obj)) {
        leaf(w, obj);
    }
}

static void collect_body(sg_mail *m, GMimeMessage *msg)
{
    walk w = { .m = m };
    GMimeObject *top = g_mime_message_get_mime_part(msg);
    GMimeContentType *ct = top ? g_mime_object_get_content_type(top) : NULL;
    char *type = ct ? g_mime_content_type_get_mime_type(ct) : g_strdup("text/plain");
    m->content_type = g_ascii_strdown(type, -1);
    g_free(type);
    descend(&w, top, 0);
    if (w.plain)
        m->text = w.plain;
    else if (w.html)
        m->text = sg_text_from_html(w.html);
    else
        m->text = g_strdup("");
    g_free(w.html);
}

static void collect_identity(sg_mail *m, GMimeMessage *msg)
{
    m->subject = clean_line(g_mime_message_get_subject(msg));
    const char *mid = g_mime_message_get_message_id(msg);
    if (mid && *mid && strlen(mid) < 250 && !strpbrk(mid, " \t\r\n<>") && g_utf8_validate(mid, -1, NULL))
        m->message_id = g_strdup(mid);
    GPtrArray *from = addresses(g_mime_message_get_from(msg), &m->from_name);
    m->from_addr = from->len > 1 ? g_strdup(from->pdata[0]) : NULL;
    g_ptr_array_free(from, TRUE);
    m->to = addresses(g_mime_message_get_to(msg), NULL);
    m->cc = addresses(g_mime_message_get_cc(msg), NULL);
}

static sg_mail *mail_new(void)
{
    sg_mail *m = g_new0(sg_mail, 1);
    m->hnames = g_ptr_array_new_with_free_func(g_free);
    m->hvalues = g_ptr_array_new_with_free_func(g_free);
    m->attachments = g_array_new(FALSE, TRUE, sizeof(sg_attachment));
    return m;
}

sg_mail *sg_mail_parse(const char *data, size_t len, const char **err)
{
    if (!data || len == 0) {
        *err = "empty message";
        return NULL;
    }
    sg_mail *m = mail_new();
    GMimeStream *s = g_mime_stream_mem_new_with_buffer(data, len);
    GMimeParser *p = g_mime_parser_new_with_stream(s);
    GMimeMessage *msg = g_mime_parser_construct_message(p, NULL);
    if (msg) {
        collect_headers(m, GMIME_OBJECT(msg));
        collect_identity(m, msg);
        collect_body(m, msg);
        g_object_unref(msg);
    } else {
        /* Not even a header block: keep the bytes as the text so nothing the customer wrote is lost. */
        m->subject = g_strdup("");
        m->content_type = g_strdup("text/plain");
        m->to = addresses(NULL, NULL);
        m->cc = addresses(NULL, NULL);
        m->text = sg_text_to_utf8(data, len, NULL);
    }
    g_object_unref(p);
    g_object_unref(s);
    collect_parents(m);
    char *both = g_strconcat(m->subject, " ", m->text, NULL);
    m->lang = sg_text_lang(both);
    g_free(both);
    return m;
}

void sg_mail_free(sg_mail *m)
{
    if (!m)
        return;
    g_free(m->subject); g_free(m->message_id); g_free(m->content_type); g_free(m->from_addr); g_free(m->from_name); g_free(m->text);
    g_ptr_array_free(m->hnames, TRUE);
    g_ptr_array_free(m->hvalues, TRUE);
    g_ptr_array_free(m->parents, TRUE);
    g_ptr_array_free(m->to, TRUE);
    g_ptr_array_free(m->cc, TRUE);
    for (guint i = 0; i < m->attachments->len; i++) {
        sg_attachment *a = &g_array_index(m->attachments, sg_attachment, i);
        g_free((char *)a->filename);
        g_free((char *)a->content_type);
    }
    g_array_free(m->attachments, TRUE);
    g_free(m);
}

const char *sg_mail_subject(const sg_mail *m) { return m->subject; }
const char *sg_mail_message_id(const sg_mail *m) { return m->message_id; }
const char *sg_mail_from_addr(const sg_mail *m) { return m->from_addr; }
const char *sg_mail_from_name(const sg_mail *m) { return m->from_name; }
const char *sg_mail_text(const sg_mail *m) { return m->text; }
const char *sg_mail_lang(const sg_mail *m) { return m->lang; }
const char *sg_mail_content_type(const sg_mail *m) { return m->content_type; }
size_t sg_mail_attachment_count(const sg_mail *m) { return m->attachments->len; }

static const char *const *strv(const GPtrArray *a, size_t *n)
{
    *n = a->len - 1;
    return (const char *const *)a->pdata;
}

const char *const *sg_mail_parent_ids(const sg_mail *m, size_t *n) { return strv(m->parents, n); }
const char *const *sg_mail_to(const sg_mail *m, size_t *n) { return strv(m->to, n); }
const char *const *sg_mail_cc(const sg_mail *m, size_t *n) { return strv(m->cc, n); }

const sg_attachment *sg_mail_attachment(const sg_mail *m, size_t i)
{
    return i < m->attachments->len ? &g_array_index(m->attachments, sg_attachment, i) : NULL;
}

const char *sg_mail_header(const sg_mail *m, const char *name)
{
    for (guint i = 0; i < m->hnames->len; i++)
        if (g_ascii_strcasecmp(m->hnames->pdata[i], name) == 0)
            return m->hvalues->pdata[i];
    return NULL;
}

int sg_mail_has_header(const sg_mail *m, const char *name) { return sg_mail_header(m, name) != NULL; }

int sg_mail_header_has_value(const sg_mail *m, const char *name, const char *value)
{
    for (guint i = 0; i < m->hnames->len; i++)
        if (g_ascii_strcasecmp(m->hnames->pdata[i], name) == 0 &&
            g_ascii_strcasecmp(m->hvalues->pdata[i], value) == 0)
            return 1;
    return 0;
}
