/* base/bundle_make.c - making a signed bundle from a directory tree,
 * for the release tool (kiosk-bundle make). Runs on a build machine, not
 * on the kiosk; it still checks every name with the same rules the kiosk
 * applies, so a bundle it makes is never refused for its paths. */
#include "base/bundle.h"

#include <dirent.h>
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

#define PATHBUF (1024 + BUNDLE_PATH_MAX)

struct tree {
    char  (*paths)[BUNDLE_PATH_MAX];
    size_t n;
    char   *msg;
    size_t  cap;
};

static err_code fail(struct tree *t, err_code e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static err_code fail(struct tree *t, err_code e, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(t->msg, t->cap, fmt, ap);
    va_end(ap);
    return e;
}

static err_code add_entry(struct tree *t, const char *root, const char *rel);

/* List the regular files under root/rel (rel "" for the top). */
static err_code list_dir(struct tree *t, const char *root, const char *rel)
{
    char path[PATHBUF], sub[BUNDLE_PATH_MAX];
    DIR *d;
    struct dirent *de;
    err_code e = ERR_OK;

    snprintf(path, sizeof path, "%s/%s", root, rel);
    d = opendir(path);
    if (d == NULL)
        return fail(t, ERR_IO, "cannot list %s: %s", path, strerror(errno));
    while (e == ERR_OK && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (strlen(rel) + strlen(de->d_name) + 2 > sizeof sub) {
            e = fail(t, ERR_INVAL, "path too long: %s/%s", rel, de->d_name);
            break;
        }
        strcpy(sub, rel);
        if (rel[0] != '\0')
            strcat(sub, "/");
        strcat(sub, de->d_name);
        e = add_entry(t, root, sub);
    }
    closedir(d);
    return e;
}

static err_code add_entry(struct tree *t, const char *root, const char *rel)
{
    char path[PATHBUF];
    struct stat st;

    snprintf(path, sizeof path, "%s/%s", root, rel);
    if (lstat(path, &st) != 0)
        return fail(t, ERR_IO, "%s: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return list_dir(t, root, rel);
    if (!S_ISREG(st.st_mode))
        return fail(t, ERR_INVAL, "%s is not a regular file", path);
    if (t->n >= BUNDLE_MAX_FILES)
        return fail(t, ERR_INVAL, "more than %d files", BUNDLE_MAX_FILES);
    str_copy(t->paths[t->n++], BUNDLE_PATH_MAX, rel);
    return ERR_OK;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* Hash one file; "file MODE SIZE HASH PATH\n" appended to text. */
static err_code describe(struct tree *t, const char *root, const char *rel,
                         char *text, size_t cap, size_t *len)
{
    char path[PATHBUF], hex[2 * SIG_HASH_LEN + 1];
    uint8_t hash[SIG_HASH_LEN];
    struct stat st;
    struct sig_hash *h;
    unsigned char buf[8192];
    size_t got;
    FILE *fp;
    int n;

    snprintf(path, sizeof path, "%s/%s", root, rel);
    fp = fopen(path, "rb");
    if (fp == NULL || fstat(fileno(fp), &st) != 0 ||
        (uint64_t)st.st_size > BUNDLE_FILE_MAX) {
        if (fp)
            fclose(fp);
        return fail(t, ERR_IO, "cannot read %s (or too large)", path);
    }
    sig_hash_create(&h);
    while ((got = fread(buf, 1, sizeof buf, fp)) > 0)
        sig_hash_update(h, buf, got);
    sig_hash_finish(h, hash);
    sig_hash_destroy(h);
    if (ferror(fp) || ftell(fp) != (long)st.st_size) {
        fclose(fp);
        return fail(t, ERR_IO, "%s changed while being read", path);
    }
    fclose(fp);
    for (int i = 0; i < SIG_HASH_LEN; i++)
        snprintf(hex + 2 * i, 3, "%02x", hash[i]);
    n = snprintf(text + *len, cap - *len, "file %s %lld %s %s\n",
                 (st.st_mode & 0100) ? "755" : "644", (long long)st.st_size,
                 hex, rel);
    if (n < 0 || (size_t)n >= cap - *len)
        return fail(t, ERR_INVAL, "manifest too large");
    *len += (size_t)n;
    return ERR_OK;
}

static err_code write_header(struct file_atomic *out, size_t mlen,
                             size_t slen)
{
    unsigned char hdr[BUNDLE_HEADER_LEN];

    memcpy(hdr, BUNDLE_MAGIC, BUNDLE_MAGIC_LEN);
    hdr[8] = (unsigned char)(mlen >> 24);
    hdr[9] = (unsigned char)(mlen >> 16);
    hdr[10] = (unsigned char)(mlen >> 8);
    hdr[11] = (unsigned char)mlen;
    hdr[12] = (unsigned char)(slen >> 8);
    hdr[13] = (unsigned char)slen;
    return file_atomic_write(out, hdr, sizeof hdr);
}

static err_code copy_file(struct file_atomic *out, const char *root,
                          const char *rel)
{
    char path[PATHBUF], buf[8192];
    FILE *in;
    size_t n;
    err_code e = ERR_OK;

    snprintf(path, sizeof path, "%s/%s", root, rel);
    in = fopen(path, "rb");
    if (in == NULL)
        return ERR_IO;
    while (e == ERR_OK && (n = fread(buf, 1, sizeof buf, in)) > 0)
        e = file_atomic_write(out, buf, n);
    if (ferror(in))
        e = ERR_IO;
    fclose(in);
    return e;
}

/* Header, manifest, signature, files, to a temporary name renamed into
 * place, so a half-written bundle never carries the final name. */
static err_code write_bundle(struct tree *t, const char *root,
                             const char *text, size_t len,
                             const uint8_t *sig, size_t slen,
                             const char *out_path)
{
    struct file_atomic *out;
    err_code e = file_atomic_open(out_path, 0644, &out);

    if (e != ERR_OK)
        return fail(t, e, "cannot create %s", out_path);
    e = write_header(out, len, slen);
    if (e == ERR_OK)
        e = file_atomic_write(out, text, len);
    if (e == ERR_OK)
        e = file_atomic_write(out, sig, slen);
    for (size_t i = 0; i < t->n && e == ERR_OK; i++)
        e = copy_file(out, root, t->paths[i]);
    if (e == ERR_OK)
        e = file_atomic_commit(out);
    else
        file_atomic_abort(out);
    if (e != ERR_OK)
        return fail(t, e, "cannot write %s", out_path);
    return ERR_OK;
}

/* The manifest text of the sorted tree. */
static err_code manifest_text(struct tree *t, const char *src_dir,
                              const char *product, const char *version,
                              const char *min_version, char *text,
                              size_t *len)
{
    struct bundle_manifest *m;
    err_code e = ERR_OK;
    int n;

    n = snprintf(text, BUNDLE_MANIFEST_MAX,
                 "kiosk-bundle 1\nproduct %s\nversion %s\nmin_version %s\n",
                 product, version, min_version);
    if (n < 0 || n > 1024)
        return fail(t, ERR_INVAL, "product or version too long");
    *len = (size_t)n;
    for (size_t i = 0; i < t->n && e == ERR_OK; i++)
        e = describe(t, src_dir, t->paths[i], text, BUNDLE_MANIFEST_MAX, len);
    if (e != ERR_OK)
        return e;
    /* What the kiosk would refuse is refused here, with its message. */
    e = bundle_manifest_parse(text, *len, &m, t->msg, t->cap);
    bundle_manifest_free(m);
    return e;
}

err_code bundle_make(const char *src_dir, const char *product,
                     const char *version, const char *min_version,
                     const char *priv_key, const char *out_path,
                     char *msg, size_t cap)
{
    struct tree t = { .msg = msg, .cap = cap };
    uint8_t hash[SIG_HASH_LEN], sig[SIG_MAX_LEN];
    size_t len = 0, slen = 0;
    char *text = xmalloc(BUNDLE_MANIFEST_MAX);
    err_code e;

    t.paths = xcalloc(BUNDLE_MAX_FILES, sizeof *t.paths);
    e = list_dir(&t, src_dir, "");
    if (e == ERR_OK) {
        qsort(t.paths, t.n, sizeof *t.paths, by_path);
        e = manifest_text(&t, src_dir, product, version, min_version, text,
                          &len);
    }
    if (e == ERR_OK) {
        sig_sha256(text, len, hash);
        e = sig_sign(priv_key, hash, sig, sizeof sig, &slen);
        if (e != ERR_OK)
            fail(&t, e, "cannot sign with %s", priv_key);
    }
    if (e == ERR_OK)
        e = write_bundle(&t, src_dir, text, len, sig, slen, out_path);
    free(t.paths);
    free(text);
    return e;
}
