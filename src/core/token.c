/* token.c - signed reply tokens: random nonces from the kernel, HMAC-SHA256 over ticket, kind and nonce, key files. */
#include "token.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define NONCE_BYTES 16
#define MAC_HEX 32     /* 128 of HMAC-SHA256's 256 bits: far beyond guessing, and the Message-ID stays short */
#define MAX_KIND 32
#define MAX_KEY_FILE 4096
/* Ticket numbers stay below 2^53 (mailthread.c); a longer number is not one of ours. */
#define MAX_TICKET_DIGITS 16

struct sg_token_keys {
    GBytes *key, *prev;
    long long prev_until;
};

sg_token_keys *sg_token_keys_new(const void *key, size_t len, const void *prev, size_t prev_len,
                                 long long prev_until)
{
    sg_token_keys *k = g_new0(sg_token_keys, 1);
    k->key = g_bytes_new(key, len);
    k->prev = prev ? g_bytes_new(prev, prev_len) : NULL;
    k->prev_until = prev_until;
    return k;
}

void sg_token_keys_free(sg_token_keys *k)
{
    if (!k)
        return;
    g_bytes_unref(k->key);
    if (k->prev)
        g_bytes_unref(k->prev);
    g_free(k);
}

/* The kernel's CSPRNG: GLib's own generator is a Mersenne Twister whose state its outputs give away.  getrandom
 * blocks only until the pool is first initialised and cannot fail for 16 bytes after that; without it there is
 * no safe way to go on, so a failure aborts. */
static void random_bytes(unsigned char *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = getrandom(buf + got, len - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            g_error("getrandom: %s", g_strerror(errno));
        got += (size_t)n;
    }
}

static char *hex(const unsigned char *b, size_t len)
{
    char *s = g_malloc(len * 2 + 1);
    for (size_t i = 0; i < len; i++)
        snprintf(s + 2 * i, 3, "%02x", b[i]);
    return s;
}

/* The MAC (MAC_HEX hex digits) of "KIND TICKET NONCE" under KEY; the separators keep fields from sliding. */
static void mac_of(GBytes *key, const char *kind, long long ticket, const char *nonce, char out[MAC_HEX + 1])
{
    gsize klen;
    const guchar *kb = g_bytes_get_data(key, &klen);
    GHmac *h = g_hmac_new(G_CHECKSUM_SHA256, kb, klen);
    char *msg = g_strdup_printf("supportgate-reply-token-v1\n%s\n%lld\n%s", kind, ticket, nonce);
    g_hmac_update(h, (const guchar *)msg, -1);
    g_strlcpy(out, g_hmac_get_string(h), MAC_HEX + 1);
    g_hmac_unref(h);
    g_free(msg);
}

static int valid_kind(const char *kind, size_t len)
{
    if (len == 0 || len > MAX_KIND)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!g_ascii_islower(kind[i]) && !g_ascii_isdigit(kind[i]) && kind[i] != '-' && kind[i] != '_')
            return 0;
    return 1;
}

char *sg_token_message_id(const sg_token_keys *k, const char *kind, long long ticket, const char *domain)
{
    g_return_val_if_fail(k && valid_kind(kind, strlen(kind)) && ticket >= 0, NULL);
    unsigned char raw[NONCE_BYTES];
    random_bytes(raw, sizeof raw);
    char *nonce = hex(raw, sizeof raw), mac[MAC_HEX + 1];
    mac_of(k->key, kind, ticket, nonce, mac);
    char *id = g_strdup_printf("sg.%s.%lld.%s.%s@%s", kind, ticket, nonce, mac, domain);
    g_free(nonce);
    return id;
}

/* The fields of a token-shaped ID: "sg", kind, ticket, nonce and MAC in W (g_strfreev). */
typedef struct {
    char **w;
    long long ticket;
} fields;

static int lower_hex(const char *s, size_t len)
{
    if (strlen(s) != len)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!g_ascii_isdigit(s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
            return 0;
    return 1;
}

static int decimal(const char *s)
{
    size_t len = strlen(s);
    return len > 0 && len <= MAX_TICKET_DIGITS && strspn(s, "0123456789") == len && (s[0] != '0' || len == 1);
}

/* 1 and F filled (fields_clear when done) when ID has the shape of a token; 0 otherwise. */
static int parse(const char *id, fields *f)
{
    const char *at = id ? strchr(id, '@') : NULL;
    f->w = NULL;
    if (!at || strncmp(id, "sg.", 3) != 0)
        return 0;
    char *local = g_strndup(id, at - id);
    char **w = g_strsplit(local, ".", 6);
    g_free(local);
    if (g_strv_length(w) != 5 || !valid_kind(w[1], strlen(w[1])) || !decimal(w[2]) ||
        !lower_hex(w[3], NONCE_BYTES * 2) || !lower_hex(w[4], MAC_HEX)) {
        g_strfreev(w);
        return 0;
    }
    f->w = w;
    f->ticket = g_ascii_strtoll(w[2], NULL, 10);
    return 1;
}

int sg_token_shaped(const char *id)
{
    fields f;
    int ok = parse(id, &f);
    g_strfreev(f.w);
    return ok;
}

/* Compare without an early exit, so the time taken says nothing about how many leading digits were right. */
static int same(const char *a, const char *b, size_t len)
{
    unsigned char d = 0;
    for (size_t i = 0; i < len; i++)
        d |= (unsigned char)(a[i] ^ b[i]);
    return d == 0;
}

static int signed_by(GBytes *key, const fields *f)
{
    char mac[MAC_HEX + 1];
    mac_of(key, f->w[1], f->ticket, f->w[3], mac);
    return same(mac, f->w[4], MAC_HEX);
}

int sg_token_verify(const sg_token_keys *k, const char *id, long long now, long long *ticket)
{
    fields f;
    if (!k || !parse(id, &f))
        return 0;
    int ok = signed_by(k->key, &f) || (k->prev && now < k->prev_until && signed_by(k->prev, &f));
    if (ok && ticket)
        *ticket = f.ticket;
    g_strfreev(f.w);
    return ok;
}

/* Key files ----------------------------------------------------------------------------------------------- */

char *sg_token_key_path(const sg_config *c, sg_cfg_key k)
{
    const char *v = sg_config_str(c, k);
    if (!*v || g_path_is_absolute(v))
        return g_strdup(v);
    char *dir = g_path_get_dirname(sg_config_path(c));
    char *p = g_build_filename(dir, v, NULL);
    g_free(dir);
    return p;
}

/* Read the key at PATH into *KEY (trailing blanks dropped) and its modification time into *MTIME. */
static char *read_key(const char *path, GBytes **key, long long *mtime)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return g_strdup_printf("%s: cannot read: %s", path, g_strerror(errno));
    struct stat st;
    char buf[MAX_KEY_FILE + 1];
    ssize_t n = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? read(fd, buf, sizeof buf) : -2;
    close(fd);
    if (n == -2)
        return g_strdup_printf("%s: not a regular file", path);
    if (n < 0)
        return g_strdup_printf("%s: cannot read: %s", path, g_strerror(errno));
    if (st.st_mode & (S_IRWXG | S_IRWXO))
        return g_strdup_printf("%s: the reply key is open to group or others (mode %04o): chmod 0600 %s", path,
                               (unsigned)(st.st_mode & 07777), path);
    while (n > 0 && g_ascii_isspace(buf[n - 1]))
        n--;
    if (n < SG_TOKEN_KEY_MIN || n > MAX_KEY_FILE)
        return g_strdup_printf("%s: the reply key must be %d to %d bytes", path, SG_TOKEN_KEY_MIN, MAX_KEY_FILE);
    if (key)
        *key = g_bytes_new(buf, (gsize)n);
    if (mtime)
        *mtime = (long long)st.st_mtime;
    explicit_bzero(buf, sizeof buf);
    return NULL;
}

char *sg_token_key_problem(const char *path)
{
    return read_key(path, NULL, NULL);
}

/* The previous key, when its file exists: verifying until GRACE after ROTATED. */
static char *load_previous(const sg_config *c, sg_token_keys *k, long long rotated)
{
    char *path = sg_token_key_path(c, SG_CFG_REPLY_KEY_PREVIOUS_FILE);
    char *err = NULL;
    if (*path && g_file_test(path, G_FILE_TEST_EXISTS)) {
        err = read_key(path, &k->prev, NULL);
        k->prev_until = rotated + sg_config_num(c, SG_CFG_REPLY_KEY_GRACE);
    }
    g_free(path);
    return err;
}

sg_token_keys *sg_token_keys_load(const sg_config *c, char **err)
{
    char *path = sg_token_key_path(c, SG_CFG_REPLY_KEY_FILE);
    sg_token_keys *k = g_new0(sg_token_keys, 1);
    long long rotated = 0;
    *err = read_key(path, &k->key, &rotated);
    if (!*err)
        *err = load_previous(c, k, rotated);
    g_free(path);
    if (*err) {
        sg_token_keys_free(k);
        return NULL;
    }
    return k;
}

/* A new file first takes LIKE's owner, before any key byte is in it. */
static int take_owner(int fd, const char *like)
{
    struct stat st;
    if (!like || !*like || geteuid() != 0 || g_stat(like, &st) < 0)
        return 0;
    return fchown(fd, st.st_uid, st.st_gid);
}

static int write_all(int fd, const char *s, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, s, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        s += n;
        len -= (size_t)n;
    }
    return 0;
}

int sg_token_key_create(const char *path, const char *like, char **err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0 && errno == EEXIST)
        return 0;
    if (fd < 0) {
        *err = g_strdup_printf("%s: cannot create: %s", path, g_strerror(errno));
        return -1;
    }
    unsigned char raw[32];
    random_bytes(raw, sizeof raw);
    char *text = hex(raw, sizeof raw), *line = g_strconcat(text, "\n", NULL);
    int rc = fchmod(fd, 0600) == 0 && take_owner(fd, like) == 0 && write_all(fd, line, strlen(line)) == 0 &&
             fsync(fd) == 0 ? 1 : -1;
    if (rc < 0) {
        *err = g_strdup_printf("%s: cannot write: %s", path, g_strerror(errno));
        unlink(path);
    }
    close(fd);
    explicit_bzero(raw, sizeof raw);
    explicit_bzero(line, strlen(line));
    explicit_bzero(text, strlen(text));
    g_free(line);
    g_free(text);
    return rc;
}
