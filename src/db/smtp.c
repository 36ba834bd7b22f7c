/* smtp.c - hands one message to an SMTP relay with libcurl and says whether to retry. */
#include "smtp.h"

#include <curl/curl.h>
#include <glib.h>
#include <string.h>

struct sg_smtp {
    CURL *curl;
    char *relay;
    int timeout_s;
};

typedef struct {
    const char *data;
    size_t len, off;
} upload;

static size_t read_cb(char *buf, size_t size, size_t nitems, void *ud)
{
    upload *u = ud;
    size_t n = MIN(size * nitems, u->len - u->off);
    memcpy(buf, u->data + u->off, n);
    u->off += n;
    return n;
}

sg_smtp *sg_smtp_new(const char *relay, int timeout_s)
{
    sg_smtp *s = g_new0(sg_smtp, 1);
    s->curl = curl_easy_init();
    s->relay = g_strdup(relay);
    s->timeout_s = timeout_s;
    return s;
}

void sg_smtp_free(sg_smtp *s)
{
    if (!s)
        return;
    curl_easy_cleanup(s->curl);
    g_free(s->relay);
    g_free(s);
}

static char *bracketed(const char *addr)
{
    return g_strdup_printf("<%s>", addr ? addr : "");
}

sg_smtp_status sg_smtp_send(sg_smtp *s, const char *env_from, const char *rcpt, const char *data, size_t len,
                            char **detail)
{
    if (!s->curl) {
        *detail = g_strdup("libcurl could not be initialised");
        return SG_SMTP_TEMPORARY;
    }
    upload u = { data, len, 0 };
    char *from = bracketed(env_from), *to = bracketed(rcpt);
    struct curl_slist *rcpts = curl_slist_append(NULL, to);
    CURL *c = s->curl;
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, s->relay);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)MIN(s->timeout_s, 10));
    curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)s->timeout_s);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(c, CURLOPT_READDATA, &u);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
    CURLcode rc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(rcpts);
    g_free(from);
    g_free(to);
    if (rc == CURLE_OK) {
        *detail = g_strdup_printf("%ld accepted", code ? code : 250);
        return SG_SMTP_SENT;
    }
    *detail = code ? g_strdup_printf("%ld %s", code, curl_easy_strerror(rc))
                   : g_strdup_printf("%s", curl_easy_strerror(rc));
    /* Only a definite 5xx from the relay is final; anything else may pass with time. */
    return code >= 500 && code < 600 ? SG_SMTP_PERMANENT : SG_SMTP_TEMPORARY;
}
