/* base/bundle.c - reading and checking update bundles. Everything in
 * a bundle comes from outside (a USB stick, the network), so every length
 * is capped, the signature is checked before the manifest is parsed, and
 * nothing is written until bundle_extract, which hashes again. Making
 * bundles lives in bundle_make.c. */
#define _GNU_SOURCE             /* syncfs */
#include "base/bundle.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file.h"
#include "base/log.h"
#include "base/xmalloc.h"

#define CHUNK 65536
#define PATHBUF (1024 + BUNDLE_PATH_MAX)

struct bundle {
    int      fd;
    uint64_t payload_off;
    struct bundle_manifest *m;
};

err_code bundle_version_parse(const char *s, uint64_t *out)
{
    uint64_t v = 0;

    for (int part = 0; part < 3; part++) {
        unsigned long n = 0;
        int digits = 0;

        while (*s >= '0' && *s <= '9' && digits < 6) {
            n = n * 10 + (unsigned long)(*s++ - '0');
            digits++;
        }
        if (digits == 0 || n > 65535)
            return ERR_INVAL;
        v = (v << 16) | n;
        if (part < 2 && *s++ != '.')
            return ERR_INVAL;
    }
    if (*s != '\0')
        return ERR_INVAL;
    *out = v;
    return ERR_OK;
}

/* Relative, [A-Za-z0-9._-] components, no empty, "." or ".." parts. */
static bool path_ok(const char *p)
{
    size_t n = strlen(p);
    const char *c = p;

    if (n == 0 || n >= BUNDLE_PATH_MAX || p[0] == '/' || p[n - 1] == '/' ||
        strcmp(p, BUNDLE_MANIFEST_NAME) == 0)
        return false;
    for (; *c != '\0'; c++) {
        if (!(*c == '/' || *c == '.' || *c == '_' || *c == '-' ||
              (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
              (*c >= '0' && *c <= '9')))
            return false;
    }
    for (c = p; c != NULL; c = strchr(c, '/')) {
        if (*c == '/')
            c++;
        if (*c == '/' || strncmp(c, "./", 2) == 0 || strcmp(c, ".") == 0 ||
            strncmp(c, "../", 3) == 0 || strcmp(c, "..") == 0)
            return false;
    }
    return true;
}

static int nibble(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Exactly 2n lower-case hex digits. */
static bool hex_decode(const char *hex, uint8_t *out, size_t n)
{
    if (strlen(hex) != 2 * n)
        return false;
    for (size_t i = 0; i < n; i++) {
        int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);

        if (hi < 0 || lo < 0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

/* "file MODE SIZE HASH PATH" */
static err_code parse_file(struct bundle_manifest *m, char *rest,
                           char *msg, size_t cap)
{
    struct bundle_file *f;
    char mode[8], size[24], hash[2 * SIG_HASH_LEN + 2], path[BUNDLE_PATH_MAX];
    char *end;
    int used = -1;

    if (m->nfiles >= BUNDLE_MAX_FILES)
        return err_msg(msg, cap, ERR_CORRUPT, "bundle has too many files");
    if (m->nfiles == m->files_cap) {
        m->files_cap = m->files_cap ? 2 * m->files_cap : 16;
        m->files = xrealloc(m->files, m->files_cap * sizeof *m->files);
    }
    if (sscanf(rest, "%7s %23s %65s %191s%n", mode, size, hash, path,
               &used) != 4 || used < 0 || rest[used] != '\0')
        return err_msg(msg, cap, ERR_CORRUPT, "bad file line in manifest");
    f = &m->files[m->nfiles];
    f->mode = strcmp(mode, "755") == 0 ? 0755
            : strcmp(mode, "644") == 0 ? 0644 : 0;
    f->size = strtoull(size, &end, 10);
    if (f->mode == 0 || *end != '\0' || size[0] == '-' ||
        f->size > BUNDLE_FILE_MAX || !hex_decode(hash, f->sha256, SIG_HASH_LEN))
        return err_msg(msg, cap, ERR_CORRUPT, "bad file line in manifest");
    if (!path_ok(path))
        return err_msg(msg, cap, ERR_CORRUPT, "unsafe path in manifest");
    if (m->nfiles > 0 && strcmp(m->files[m->nfiles - 1].path, path) >= 0)
        return err_msg(msg, cap, ERR_CORRUPT, "manifest paths out of order");
    str_copy(f->path, sizeof f->path, path);
    m->total += f->size;
    if (m->total > BUNDLE_TOTAL_MAX)
        return err_msg(msg, cap, ERR_CORRUPT, "bundle is too large");
    m->nfiles++;
    return ERR_OK;
}

static err_code parse_version(const char *v, char *dst, uint64_t *num,
                              char *msg, size_t cap)
{
    if (str_copy(dst, BUNDLE_VERSION_MAX, v) != 0 ||
        bundle_version_parse(v, num) != ERR_OK)
        return err_msg(msg, cap, ERR_CORRUPT, "bad version \"%.24s\"", v);
    return ERR_OK;
}

/* One line; *seen counts header lines, which come first and in order. */
static err_code parse_line(struct bundle_manifest *m, char *line, int *seen,
                           char *msg, size_t cap)
{
    static const char *const head[] = { "kiosk-bundle 1", "product ",
                                        "version ", "min_version " };
    size_t klen;

    if (*seen < 4) {
        klen = strlen(head[*seen]);
        if (strncmp(line, head[*seen], klen) != 0)
            return err_msg(msg, cap, ERR_CORRUPT,
                           "manifest: expected \"%s\"", head[*seen]);
        (*seen)++;
        if (*seen == 1)
            return line[klen] == '\0' ? ERR_OK
                : err_msg(msg, cap, ERR_CORRUPT, "unknown bundle format");
        if (*seen == 2)
            return str_copy(m->product, sizeof m->product, line + klen) == 0
                ? ERR_OK : err_msg(msg, cap, ERR_CORRUPT, "bad product");
        if (*seen == 3)
            return parse_version(line + klen, m->version, &m->version_num,
                                 msg, cap);
        return parse_version(line + klen, m->min_version,
                             &m->min_version_num, msg, cap);
    }
    if (strncmp(line, "file ", 5) != 0)
        return err_msg(msg, cap, ERR_CORRUPT, "manifest: unknown line");
    return parse_file(m, line + 5, msg, cap);
}

err_code bundle_manifest_parse(const char *text, size_t len,
                               struct bundle_manifest **out,
                               char *msg, size_t cap)
{
    struct bundle_manifest *m = xcalloc(1, sizeof *m);
    size_t pos = 0;
    int seen = 0;
    err_code e = ERR_OK;

    *out = NULL;
    if (len > BUNDLE_MANIFEST_MAX || memchr(text, '\0', len) != NULL ||
        len == 0 || text[len - 1] != '\n') {
        e = err_msg(msg, cap, ERR_CORRUPT, "manifest is malformed");
        goto fail;
    }
    m->text = xmalloc(len + 1);
    memcpy(m->text, text, len);
    m->text[len] = '\0';
    m->text_len = len;
    while (pos < len && e == ERR_OK) {
        char line[512];
        size_t n = (size_t)((char *)memchr(text + pos, '\n', len - pos) -
                            (text + pos));

        if (n >= sizeof line) {
            e = err_msg(msg, cap, ERR_CORRUPT, "manifest line too long");
            break;
        }
        memcpy(line, text + pos, n);
        line[n] = '\0';
        pos += n + 1;
        e = parse_line(m, line, &seen, msg, cap);
    }
    if (e == ERR_OK && seen < 4)
        e = err_msg(msg, cap, ERR_CORRUPT, "manifest is incomplete");
    if (e == ERR_OK && m->min_version_num > m->version_num)
        e = err_msg(msg, cap, ERR_CORRUPT, "min_version above version");
    if (e != ERR_OK)
        goto fail;
    *out = m;
    return ERR_OK;
fail:
    bundle_manifest_free(m);
    return e;
}

void bundle_manifest_free(struct bundle_manifest *m)
{
    if (m == NULL)
        return;
    free(m->text);
    free(m->files);
    free(m);
}

/* Read exactly n bytes at off; ERR_CORRUPT if the file ends first. */
static err_code read_at(int fd, uint64_t off, void *buf, size_t n)
{
    size_t got = 0;

    while (got < n) {
        ssize_t r = pread(fd, (char *)buf + got, n - got, (off_t)(off + got));

        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            log_error("bundle: read: %s", strerror(errno));
            return ERR_IO;
        }
        if (r == 0)
            return ERR_CORRUPT;
        got += (size_t)r;
    }
    return ERR_OK;
}

static err_code write_all(int fd, const void *buf, size_t n)
{
    size_t put = 0;

    while (put < n) {
        ssize_t w = write(fd, (const char *)buf + put, n - put);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            log_error("bundle: write: %s", strerror(errno));
            return ERR_IO;
        }
        put += (size_t)w;
    }
    return ERR_OK;
}

/* Header, signature, manifest: in that order, so nothing unsigned is
 * parsed beyond two lengths. */
static err_code open_checked(struct bundle *b, uint64_t size,
                             const char *pub_key, char *msg, size_t cap)
{
    unsigned char hdr[BUNDLE_HEADER_LEN], sig[SIG_MAX_LEN];
    uint8_t hash[SIG_HASH_LEN];
    uint32_t mlen;
    uint16_t slen;
    char *text;
    err_code e;

    if (size < BUNDLE_HEADER_LEN || read_at(b->fd, 0, hdr, sizeof hdr) != 0 ||
        memcmp(hdr, BUNDLE_MAGIC, BUNDLE_MAGIC_LEN) != 0)
        return err_msg(msg, cap, ERR_CORRUPT, "not an update bundle");
    mlen = (uint32_t)hdr[8] << 24 | (uint32_t)hdr[9] << 16 |
           (uint32_t)hdr[10] << 8 | hdr[11];
    slen = (uint16_t)(hdr[12] << 8 | hdr[13]);
    if (slen == 0)
        return err_msg(msg, cap, ERR_DENIED, "bundle is not signed");
    if (mlen == 0 || mlen > BUNDLE_MANIFEST_MAX || slen > SIG_MAX_LEN)
        return err_msg(msg, cap, ERR_CORRUPT, "bundle header is damaged");
    b->payload_off = BUNDLE_HEADER_LEN + (uint64_t)mlen + slen;
    if (size < b->payload_off)
        return err_msg(msg, cap, ERR_CORRUPT, "bundle is truncated");
    text = xmalloc(mlen);
    e = read_at(b->fd, BUNDLE_HEADER_LEN, text, mlen);
    if (e == ERR_OK)
        e = read_at(b->fd, BUNDLE_HEADER_LEN + mlen, sig, slen);
    if (e != ERR_OK) {
        free(text);
        return err_msg(msg, cap, e, "cannot read the bundle");
    }
    sig_sha256(text, mlen, hash);
    e = sig_verify(pub_key, hash, sig, slen);
    if (e == ERR_OK)
        e = bundle_manifest_parse(text, mlen, &b->m, msg, cap);
    else if (e == ERR_DENIED)
        err_msg(msg, cap, e, "bundle is not signed by the release key");
    else
        err_msg(msg, cap, e, "cannot use the release key %s", pub_key);
    free(text);
    return e;
}

err_code bundle_open(const char *path, const char *pub_key,
                     struct bundle **out, char *msg, size_t cap)
{
    struct bundle *b = xcalloc(1, sizeof *b);
    struct stat st;
    uint64_t want;
    err_code e;

    *out = NULL;
    b->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (b->fd < 0 || fstat(b->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        e = err_msg(msg, cap, ERR_IO, "cannot read %s: %s", path,
                    b->fd < 0 ? strerror(errno) : "not a regular file");
        goto fail;
    }
    e = open_checked(b, (uint64_t)st.st_size, pub_key, msg, cap);
    if (e != ERR_OK)
        goto fail;
    want = b->payload_off + b->m->total;
    if ((uint64_t)st.st_size != want) {
        e = err_msg(msg, cap, ERR_CORRUPT, (uint64_t)st.st_size < want
                ? "bundle is truncated" : "bundle has data after its end");
        goto fail;
    }
    *out = b;
    return ERR_OK;
fail:
    bundle_close(b);
    return e;
}

void bundle_close(struct bundle *b)
{
    if (b == NULL)
        return;
    if (b->fd >= 0)
        close(b->fd);
    bundle_manifest_free(b->m);
    free(b);
}

const struct bundle_manifest *bundle_manifest(const struct bundle *b)
{
    return b->m;
}

/* Create the directories leading to dest/path. */
static err_code make_parents(const char *dest, const char *path)
{
    char dir[PATHBUF];
    const char *slash = path;

    while ((slash = strchr(slash, '/')) != NULL) {
        snprintf(dir, sizeof dir, "%s/%.*s", dest, (int)(slash - path), path);
        if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
            log_error("bundle: mkdir %s: %s", dir, strerror(errno));
            return ERR_IO;
        }
        slash++;
    }
    return ERR_OK;
}

static int create_file(const char *dest, const struct bundle_file *f)
{
    char path[PATHBUF];
    int fd;

    if (make_parents(dest, f->path) != ERR_OK)
        return -1;
    snprintf(path, sizeof path, "%s/%s", dest, f->path);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, f->mode);
    if (fd < 0)
        log_error("bundle: create %s: %s", path, strerror(errno));
    else if (fchmod(fd, f->mode) != 0)
        log_warn("bundle: chmod %s: %s", path, strerror(errno));
    return fd;
}

struct walk {
    struct bundle *b;
    struct sig_hash *h;
    unsigned char *buf;
    uint64_t off, done;
    bundle_progress_fn fn;
    void *ctx;
};

/* Hash one file's bytes (and copy them to out when out >= 0). */
static err_code walk_file(struct walk *w, const struct bundle_file *f,
                          int out, char *msg, size_t cap)
{
    uint8_t got[SIG_HASH_LEN];
    uint64_t left = f->size;

    while (left > 0) {
        size_t n = left < CHUNK ? (size_t)left : CHUNK;
        err_code e = read_at(w->b->fd, w->off, w->buf, n);

        if (e != ERR_OK)
            return err_msg(msg, cap, e, "bundle changed while being read");
        sig_hash_update(w->h, w->buf, n);
        if (out >= 0 && write_all(out, w->buf, n) != ERR_OK)
            return err_msg(msg, cap, ERR_IO, "cannot write %s", f->path);
        w->off += n;
        w->done += n;
        left -= n;
        if (w->fn)
            w->fn(w->ctx, w->done, w->b->m->total);
    }
    sig_hash_finish(w->h, got);
    if (memcmp(got, f->sha256, SIG_HASH_LEN) != 0)
        return err_msg(msg, cap, ERR_CORRUPT,
                       "%s in the bundle was altered (hash mismatch)", f->path);
    if (out >= 0 && fsync(out) != 0)
        return err_msg(msg, cap, ERR_IO, "cannot flush %s", f->path);
    return ERR_OK;
}

static err_code walk(struct bundle *b, const char *dest,
                     bundle_progress_fn fn, void *ctx, char *msg, size_t cap)
{
    struct walk w = { .b = b, .off = b->payload_off, .fn = fn, .ctx = ctx };
    err_code e = ERR_OK;

    sig_hash_create(&w.h);
    w.buf = xmalloc(CHUNK);
    if (fn)
        fn(ctx, 0, b->m->total);
    for (size_t i = 0; i < b->m->nfiles && e == ERR_OK; i++) {
        int out = -1;

        if (dest != NULL && (out = create_file(dest, &b->m->files[i])) < 0) {
            e = err_msg(msg, cap, ERR_IO, "cannot create %s",
                        b->m->files[i].path);
            break;
        }
        e = walk_file(&w, &b->m->files[i], out, msg, cap);
        if (out >= 0)
            close(out);
    }
    free(w.buf);
    sig_hash_destroy(w.h);
    return e;
}

err_code bundle_check(struct bundle *b, bundle_progress_fn fn, void *ctx,
                      char *msg, size_t cap)
{
    return walk(b, NULL, fn, ctx, msg, cap);
}

static err_code write_manifest(const char *dest,
                               const struct bundle_manifest *m)
{
    char path[PATHBUF];
    int fd;
    err_code e;

    snprintf(path, sizeof path, "%s/%s", dest, BUNDLE_MANIFEST_NAME);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return ERR_IO;
    e = write_all(fd, m->text, m->text_len);
    if (e == ERR_OK && fsync(fd) != 0)
        e = ERR_IO;
    close(fd);
    return e;
}

err_code bundle_extract(struct bundle *b, const char *dest,
                        bundle_progress_fn fn, void *ctx,
                        char *msg, size_t cap)
{
    err_code e;
    int dfd;

    if (mkdir(dest, 0755) != 0)
        return err_msg(msg, cap, ERR_IO, "cannot create %s: %s", dest,
                       strerror(errno));
    e = walk(b, dest, fn, ctx, msg, cap);
    if (e == ERR_OK && write_manifest(dest, b->m) != ERR_OK)
        e = err_msg(msg, cap, ERR_IO, "cannot write the manifest in %s", dest);
    /* Directory entries too must reach the disk before the switch. */
    dfd = open(dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (e == ERR_OK && (dfd < 0 || syncfs(dfd) != 0))
        e = err_msg(msg, cap, ERR_IO, "cannot flush %s", dest);
    if (dfd >= 0)
        close(dfd);
    return e;
}

/* Read a whole small file (at most max bytes) into a new buffer; an empty
 * or oversized one is ERR_CORRUPT, as nothing we wrote looks like that. */
static err_code slurp(const char *path, size_t max, char **out, size_t *len)
{
    err_code e = file_read_capped(path, max, out, len);

    if (e == ERR_OK && *len == 0) {
        free(*out);
        *out = NULL;
        e = ERR_CORRUPT;
    }
    return e == ERR_INVAL ? ERR_CORRUPT : e;
}

static err_code hash_installed(const char *dir, const struct bundle_file *f,
                               struct sig_hash *h, unsigned char *buf)
{
    char path[PATHBUF];
    uint8_t got[SIG_HASH_LEN];
    struct stat st;
    uint64_t off = 0;
    int fd;
    err_code e = ERR_OK;

    snprintf(path, sizeof path, "%s/%s", dir, f->path);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0 || (uint64_t)st.st_size != f->size) {
        if (fd >= 0)
            close(fd);
        return ERR_CORRUPT;
    }
    while (off < f->size && e == ERR_OK) {
        size_t n = f->size - off < CHUNK ? (size_t)(f->size - off) : CHUNK;

        e = read_at(fd, off, buf, n);
        sig_hash_update(h, buf, n);
        off += n;
    }
    close(fd);
    sig_hash_finish(h, got);
    if (e == ERR_OK && memcmp(got, f->sha256, SIG_HASH_LEN) != 0)
        e = ERR_CORRUPT;
    return e;
}

err_code bundle_check_dir(const char *dir, struct bundle_manifest **out,
                          char *msg, size_t cap)
{
    char path[PATHBUF];
    struct bundle_manifest *m = NULL;
    struct sig_hash *h;
    unsigned char *buf;
    char *text;
    size_t len;
    err_code e;

    if (out)
        *out = NULL;
    snprintf(path, sizeof path, "%s/%s", dir, BUNDLE_MANIFEST_NAME);
    e = slurp(path, BUNDLE_MANIFEST_MAX, &text, &len);
    if (e != ERR_OK)
        return err_msg(msg, cap, e, "%s has no readable manifest", dir);
    e = bundle_manifest_parse(text, len, &m, msg, cap);
    free(text);
    if (e != ERR_OK)
        return e;
    sig_hash_create(&h);
    buf = xmalloc(CHUNK);
    for (size_t i = 0; i < m->nfiles && e == ERR_OK; i++) {
        e = hash_installed(dir, &m->files[i], h, buf);
        if (e != ERR_OK)
            err_msg(msg, cap, e, "installed %s is damaged", m->files[i].path);
    }
    free(buf);
    sig_hash_destroy(h);
    if (e == ERR_OK && out)
        *out = m;
    else
        bundle_manifest_free(m);
    return e;
}
