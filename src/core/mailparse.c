/* mailparse.c - one RFC 5322 message reduced to the facts supportgate stores (parsed with GMime). */
#include "mailparse.h"

#include <gmime/gmime.h>
#include <string.h>

#include "mailthread.h"
#include "text.h"
#include "tnef.h"

/* Hostile mail nests parts without end: stop descending and counting where no real mail goes. */
#define MAX_DEPTH 64
#define MAX_PARTS 10000
/* Groups inside groups are not valid RFC 5322, but GMime accepts them. */
#define MAX_GROUP_DEPTH 4

struct sg_mail {
    char *subject, *message_id, *from_addr, *from_name, *text, *content_type;
    const char *lang;
    GPtrArray *hnames, *hvalues;  /* headers of the message and its top-level part, unfolded */
    GPtrArray *parents, *to, *cc; /* NULL-terminated string arrays */
    GArray *attachments;          /* sg_attachment with g_strdup'ed strings */
};

/* State of one walk over the MIME tree. */
typedef struct {
    sg_mail *m;
    char *plain, *html; /* the first of each, converted to UTF-8 */
    char *plain_note, *html_note; /* why the charset of each was guessed (sg_text_to_utf8_noted), or NULL */
    int parts;
} walk;

/* Headers ------------------------------------------------------------------------------------------- */

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
    GMimeHeaderList *hl = obj ? g_mime_object_get_header_list(obj) : NULL;
    int n = hl ? g_mime_header_list_get_count(hl) : 0;
    for (int i = 0; i < n; i++) {
        GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
        g_ptr_array_add(m->hnames, g_strdup(g_mime_header_get_name(h)));
        g_ptr_array_add(m->hvalues, unfold(g_mime_header_get_raw_value(h)));
    }
}

/* Valid one-line UTF-8 from whatever a header decoder produced (g_free). */
static char *clean_line(const char *s)
{
    char *u = sg_text_to_utf8(s ? s : "", s ? strlen(s) : 0, "utf-8");
    return sg_text_one_line(u);
}

/* A raw header in 8-bit bytes that are not UTF-8: GMime would read them as latin-1, so convert them with
 * our charset guess instead (g_free).  NULL when GMime's own decoding is right. */
static char *raw_8bit(const sg_mail *m, const char *name)
{
    const char *raw = sg_mail_header(m, name);
    if (!raw || g_str_is_ascii(raw) || g_utf8_validate(raw, -1, NULL))
        return NULL;
    return sg_text_to_utf8(raw, strlen(raw), NULL);
}

static char *decode_subject(const sg_mail *m, GMimeMessage *msg)
{
    char *raw = raw_8bit(m, "Subject");
    if (!raw)
        return clean_line(g_mime_message_get_subject(msg));
    char *decoded = g_mime_utils_header_decode_text(NULL, raw);
    char *s = clean_line(decoded);
    g_free(decoded);
    g_free(raw);
    return s;
}

/* Addresses ----------------------------------------------------------------------------------------- */

static void add_mailboxes(GPtrArray *out, InternetAddressList *list, char **first_name, int depth)
{
    int n = list ? internet_address_list_length(list) : 0;
    for (int i = 0; i < n; i++) {
        InternetAddress *a = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_GROUP(a)) {
            if (depth < MAX_GROUP_DEPTH)
                add_mailboxes(out, internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a)), first_name,
                              depth + 1);
            continue;
        }
        const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
        if (!addr || !*addr || strpbrk(addr, " \t\r\n<>\"") || !g_utf8_validate(addr, -1, NULL))
            continue;
        if (first_name && out->len == 0) {
            *first_name = clean_line(internet_address_get_name(a));
            if (!**first_name)
                g_clear_pointer(first_name, g_free);
        }
        g_ptr_array_add(out, g_utf8_strdown(addr, -1));
    }
}

/* Lower-cased addr-specs of LIST as a NULL-terminated array; the first display name into FIRST_NAME. */
static GPtrArray *addresses(InternetAddressList *list, char **first_name)
{
    GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
    add_mailboxes(a, list, first_name, 0);
    g_ptr_array_add(a, NULL);
    return a;
}

static void collect_from(sg_mail *m, GMimeMessage *msg)
{
    char *raw = raw_8bit(m, "From");
    InternetAddressList *parsed = raw ? internet_address_list_parse(NULL, raw) : NULL;
    GPtrArray *from = addresses(parsed ? parsed : g_mime_message_get_from(msg), &m->from_name);
    m->from_addr = from->len > 1 ? g_strdup(from->pdata[0]) : NULL;
    g_ptr_array_free(from, TRUE);
    if (parsed)
        g_object_unref(parsed);
    g_free(raw);
}

static void collect_identity(sg_mail *m, GMimeMessage *msg)
{
    m->subject = decode_subject(m, msg);
    /* The raw header, read like References, so an id GMime would reject still threads the same way. */
    char **ids = sg_thread_msgids(sg_mail_header(m, "Message-ID"));
    if (ids[0] && strlen(ids[0]) < 250)
        m->message_id = g_strdup(ids[0]);
    g_strfreev(ids);
    collect_from(m, msg);
    m->to = addresses(g_mime_message_get_to(msg), NULL);
    m->cc = addresses(g_mime_message_get_cc(msg), NULL);
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
    for (guint i = g_strv_length(refs); i > 0; i--)
        add_parent(m->parents, refs[i - 1]);
    g_strfreev(irt);
    g_strfreev(refs);
    g_ptr_array_add(m->parents, NULL);
}

/* Body and attachments ------------------------------------------------------------------------------ */

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

/* A text part's bytes.  Base64 of 4n + 1 characters (white space aside) is no base64 at all: a mailer labelled
 * plain words so, and decoding them would turn the customer's text into noise; they are read as written. */
static GByteArray *text_bytes(GMimePart *part)
{
    GMimeDataWrapper *w = g_mime_part_get_content(part);
    GMimeStream *encoded = w ? g_mime_data_wrapper_get_stream(w) : NULL;
    if (!encoded || g_mime_data_wrapper_get_encoding(w) != GMIME_CONTENT_ENCODING_BASE64)
        return part_bytes(part);
    GByteArray *raw = g_byte_array_new();
    GMimeStream *mem = g_mime_stream_mem_new_with_byte_array(raw);
    g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
    g_mime_stream_reset(encoded);
    g_mime_stream_write_to_stream(encoded, mem);
    g_mime_stream_reset(encoded);
    g_object_unref(mem);
    size_t significant = 0;
    for (guint i = 0; i < raw->len; i++)
        significant += !g_ascii_isspace(raw->data[i]);
    if (significant % 4 == 1)
        return raw;
    g_byte_array_unref(raw);
    return part_bytes(part);
}

/* Bytes OBJ decodes to (a leaf) or serialises to (an attached message). */
static GByteArray *object_bytes(GMimeObject *obj)
{
    if (GMIME_IS_PART(obj))
        return part_bytes(GMIME_PART(obj));
    GByteArray *out = g_byte_array_new();
    GMimeMessage *inner = GMIME_IS_MESSAGE_PART(obj) ? g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj)) : NULL;
    if (inner) {
        GMimeStream *mem = g_mime_stream_mem_new_with_byte_array(out);
        g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
        g_mime_object_write_to_stream(GMIME_OBJECT(inner), NULL, mem);
        g_object_unref(mem);
    }
    return out;
}

static const char *object_filename(GMimeObject *obj)
{
    if (GMIME_IS_PART(obj))
        return g_mime_part_get_filename(GMIME_PART(obj));
    const char *f = g_mime_object_get_content_disposition_parameter(obj, "filename");
    return f ? f : g_mime_object_get_content_type_parameter(obj, "name");
}

static char *mime_type(GMimeObject *obj)
{
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    char *type = ct ? g_mime_content_type_get_mime_type(ct) : g_strdup("application/octet-stream");
    char *lower = g_ascii_strdown(type, -1);
    g_free(type);
    return lower;
}

static char *content_id(GMimeObject *obj)
{
    const char *cid = g_mime_object_get_content_id(obj);
    return cid && *cid ? clean_line(cid) : NULL;
}

/* Take over F: a file unpacked from the TNEF stream named in CTX's last entry. */
static void add_tnef_file(void *ctx, sg_tnef_file *f)
{
    GArray *list = ctx;
    sg_attachment a = { sg_text_one_line(f->filename), f->content_type, f->size, f->data, NULL, 0, NULL };
    g_array_append_val(list, a);
}

static int is_tnef(const char *type, const char *filename)
{
    return !g_ascii_strcasecmp(type, "application/ms-tnef") || !g_ascii_strcasecmp(type, "application/vnd.ms-tnef") ||
           (filename && !g_ascii_strcasecmp(filename, "winmail.dat"));
}

/* Outlook's winmail.dat is read for the files it carries, which take its place; one that holds none (or cannot
 * be read) stays as it came. */
static int add_unpacked(sg_mail *m, const sg_attachment *dat)
{
    GArray *files = g_array_new(FALSE, TRUE, sizeof(sg_attachment));
    size_t n = sg_tnef_unpack(dat->data, dat->size, add_tnef_file, files);
    for (size_t i = 0; i < n; i++) {
        sg_attachment *f = &g_array_index(files, sg_attachment, i);
        f->packed_in = g_strdup(*dat->filename ? dat->filename : "winmail.dat");
        g_array_append_val(m->attachments, *f);
    }
    g_array_free(files, TRUE);
    return n > 0;
}

static void free_attachment(sg_attachment *a)
{
    g_free((char *)a->filename);
    g_free((char *)a->content_type);
    g_free((unsigned char *)a->data);
    g_free((char *)a->content_id);
    g_free((char *)a->packed_in);
}

static void add_attachment(sg_mail *m, GMimeObject *obj)
{
    GByteArray *b = object_bytes(obj);
    GMimeContentDisposition *cd = g_mime_object_get_content_disposition(obj);
    const char *d = cd ? g_mime_content_disposition_get_disposition(cd) : NULL;
    sg_attachment a = { clean_line(object_filename(obj)), mime_type(obj), b->len, NULL, content_id(obj),
                        d && !g_ascii_strcasecmp(d, "inline"), NULL };
    a.data = g_byte_array_free(b, FALSE);
    if (is_tnef(a.content_type, a.filename) && add_unpacked(m, &a)) {
        free_attachment(&a);
        return;
    }
    g_array_append_val(m->attachments, a);
}

/* Read a text/plain or text/html leaf into the walk unless one of its kind was found before. */
static void read_text(walk *w, GMimeObject *obj, int html)
{
    char **slot = html ? &w->html : &w->plain;
    if (*slot)
        return;
    GByteArray *b = text_bytes(GMIME_PART(obj));
    const char *charset = g_mime_object_get_content_type_parameter(obj, "charset");
    *slot = sg_text_to_utf8_noted((const char *)b->data, b->len, charset, html ? &w->html_note : &w->plain_note);
    g_byte_array_unref(b);
}

/* Plain text, also as "Content-Type: text" without a subtype, which RFC 2045 readers take as text/plain and GMime
 * reads as application/octet-stream: the header itself still says text. */
static int is_plain(GMimeObject *obj, GMimeContentType *ct)
{
    if (!ct || g_mime_content_type_is_type(ct, "text", "plain"))
        return 1;
    const char *raw = g_mime_object_get_header(obj, "Content-Type");
    if (!raw || !g_mime_content_type_is_type(ct, "application", "octet-stream"))
        return 0;
    while (g_ascii_isspace(*raw))
        raw++;
    if (g_ascii_strncasecmp(raw, "text", 4) != 0)
        return 0;
    for (raw += 4; g_ascii_isspace(*raw); raw++)
        ;
    return *raw == '\0' || *raw == ';';
}

/* A part shown inline, or not said to be a file, is not offered as one: its name (some mailers name every part)
 * does not make it a file. */
static int shown_inline(GMimeContentDisposition *cd)
{
    const char *d = cd ? g_mime_content_disposition_get_disposition(cd) : NULL;
    return !d || g_ascii_strcasecmp(d, "inline") == 0;
}

static void leaf(walk *w, GMimeObject *obj, int depth)
{
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    GMimeContentDisposition *cd = g_mime_object_get_content_disposition(obj);
    const char *filename = g_mime_part_get_filename(GMIME_PART(obj));
    int plain = is_plain(obj, ct);
    int html = ct && g_mime_content_type_is_type(ct, "text", "html");
    /* The first inline text of its kind is the customer's words, named or not (as RFC 2183 readers take it); a
     * later named one is a file they sent. */
    int words = (plain || html) && shown_inline(cd) && !(html ? w->html : w->plain);
    /* Other text types (calendars, CSV, DSN headers) are not the customer's words: keep them listed. */
    int attached = (cd && g_mime_content_disposition_is_attachment(cd)) || (filename && *filename && !words) ||
                   (!plain && !html);
    if (attached)
        add_attachment(w->m, obj);
    /* A single-part message is the customer's text even when a mailer labelled it a file. */
    if ((plain || html) && (!attached || depth == 0))
        read_text(w, obj, html);
}

static void descend(walk *w, GMimeObject *obj, int depth)
{
    if (!obj || depth > MAX_DEPTH || ++w->parts > MAX_PARTS)
        return;
    if (GMIME_IS_MULTIPART(obj)) {
        GMimeMultipart *mp = GMIME_MULTIPART(obj);
        int n = g_mime_multipart_get_count(mp);
        for (int i = 0; i < n && w->parts < MAX_PARTS; i++)
            descend(w, g_mime_multipart_get_part(mp, i), depth + 1);
        /* No boundary line found: GMime leaves the whole body in the prologue. */
        if (n == 0 && depth == 0 && !w->plain && g_mime_multipart_get_prologue(mp)) {
            const char *pro = g_mime_multipart_get_prologue(mp);
            w->plain = sg_text_to_utf8(pro, strlen(pro), g_mime_object_get_content_type_parameter(obj, "charset"));
        }
    } else if (GMIME_IS_MESSAGE_PART(obj)) {
        /* A forwarded mail is the customer's evidence, not their words: list it, do not read it. */
        add_attachment(w->m, obj);
    } else if (GMIME_IS_PART(obj)) {
        leaf(w, obj, depth);
    }
}

static int blank(const char *s)
{
    for (; *s; s++)
        if (!g_ascii_isspace(*s))
            return 0;
    return 1;
}

static void collect_body(sg_mail *m, GMimeMessage *msg)
{
    walk w = { .m = m };
    GMimeObject *top = g_mime_message_get_mime_part(msg);
    m->content_type = top ? mime_type(top) : g_strdup("text/plain");
    descend(&w, top, 0);
    /* An empty text/plain beside the real HTML is a common mailer habit. */
    if (w.plain && w.html && blank(w.plain))
        g_clear_pointer(&w.plain, g_free);
    const char *note = NULL;
    if (w.plain) {
        m->text = w.plain;
        note = w.plain_note;
    } else if (w.html) {
        m->text = sg_text_from_html(w.html);
        note = w.html_note;
    } else {
        m->text = g_strdup("");
    }
    /* Said where the agent reads the words, so that odd letters are not taken for the customer's. */
    if (note) {
        char *noted = g_strdup_printf("%s\n\n[supportgate: %s]", m->text, note);
        g_free(m->text);
        m->text = noted;
    }
    g_free(w.html);
    g_free(w.plain_note);
    g_free(w.html_note);
}

/* Parsing ------------------------------------------------------------------------------------------- */

static sg_mail *mail_new(void)
{
    sg_mail *m = g_new0(sg_mail, 1);
    m->hnames = g_ptr_array_new_with_free_func(g_free);
    m->hvalues = g_ptr_array_new_with_free_func(g_free);
    m->attachments = g_array_new(FALSE, TRUE, sizeof(sg_attachment));
    return m;
}

/* Not even a header block: keep the bytes as the text so nothing the customer wrote is lost. */
static void headerless(sg_mail *m, const char *data, size_t len)
{
    m->subject = g_strdup("");
    m->content_type = g_strdup("text/plain");
    m->to = addresses(NULL, NULL);
    m->cc = addresses(NULL, NULL);
    m->text = sg_text_to_utf8(data, len, NULL);
}

sg_mail *sg_mail_parse(const char *data, size_t len, const char **err)
{
    const char *ignored;
    err = err ? err : &ignored;
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
        collect_headers(m, g_mime_message_get_mime_part(msg));
        collect_identity(m, msg);
        collect_body(m, msg);
        g_object_unref(msg);
    } else {
        headerless(m, data, len);
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
    g_free(m->subject);
    g_free(m->message_id);
    g_free(m->content_type);
    g_free(m->from_addr);
    g_free(m->from_name);
    g_free(m->text);
    g_ptr_array_free(m->hnames, TRUE);
    g_ptr_array_free(m->hvalues, TRUE);
    g_ptr_array_free(m->parents, TRUE);
    g_ptr_array_free(m->to, TRUE);
    g_ptr_array_free(m->cc, TRUE);
    for (guint i = 0; i < m->attachments->len; i++)
        free_attachment(&g_array_index(m->attachments, sg_attachment, i));
    g_array_free(m->attachments, TRUE);
    g_free(m);
}

/* Accessors ----------------------------------------------------------------------------------------- */

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

int sg_mail_has_header_prefix(const sg_mail *m, const char *prefix)
{
    size_t n = strlen(prefix);
    for (guint i = 0; i < m->hnames->len; i++)
        if (g_ascii_strncasecmp(m->hnames->pdata[i], prefix, n) == 0)
            return 1;
    return 0;
}

int sg_mail_header_has_value(const sg_mail *m, const char *name, const char *value)
{
    char *want = g_strstrip(g_strdup(value ? value : ""));
    int found = 0;
    for (guint i = 0; i < m->hnames->len && !found; i++)
        found = g_ascii_strcasecmp(m->hnames->pdata[i], name) == 0 &&
                g_ascii_strcasecmp(m->hvalues->pdata[i], want) == 0;
    g_free(want);
    return found;
}
