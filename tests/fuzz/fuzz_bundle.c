/* tests/fuzz/fuzz_bundle.c - libFuzzer target for update bundles
 * (base/bundle.c), which come from a USB stick or the network. The
 * input is first a manifest for the strict parser; one that parses and
 * names a few small files is then signed with a key made at start-up,
 * framed as a bundle of zero-filled files and taken through bundle_open
 * and bundle_check, which must agree with the hashes it names. An input
 * that starts with the magic is also opened as a whole bundle file (its
 * header and lengths; its signature never checks). No input may crash,
 * and nothing the parser accepts may break its own rules. */
#define _GNU_SOURCE             /* memfd_create */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/bundle.h"
#include "base/log.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TINY_FILES 4
#define TINY_TOTAL 4096

static char dir[64], priv[128], pub[128], path[64];
static int fd = -1;

static void remove_keys(void)
{
    unlink(priv);
    unlink(pub);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    log_set_level(LOG_LVL_ERROR);
    strcpy(dir, "/tmp/fuzz-bundle.XXXXXX");
    if (mkdtemp(dir) == NULL)
        abort();
    snprintf(priv, sizeof priv, "%s/release.pem", dir);
    snprintf(pub, sizeof pub, "%s/release.pub", dir);
    atexit(remove_keys);
    fd = memfd_create("fuzz-bundle", 0);
    if (fd < 0 || sig_keygen(priv, pub) != ERR_OK)
        abort();
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    return 0;
}

static void put(const void *data, size_t size)
{
    if (ftruncate(fd, 0) != 0 ||
        (size && pwrite(fd, data, size, 0) != (ssize_t)size))
        abort();
}

/* What the parser accepted keeps its own rules. */
static void check_manifest(const struct bundle_manifest *m)
{
    uint64_t total = 0;

    if (m->nfiles > BUNDLE_MAX_FILES || m->min_version_num > m->version_num)
        abort();
    for (size_t i = 0; i < m->nfiles; i++) {
        const struct bundle_file *f = &m->files[i];

        total += f->size;
        size_t len = strlen(f->path);

        /* ".." as a whole component is a way up; "..n" is a name. */
        if (f->path[0] == '/' || strcmp(f->path, "..") == 0 ||
            strncmp(f->path, "../", 3) == 0 || strstr(f->path, "/../") ||
            (len >= 3 && strcmp(f->path + len - 3, "/..") == 0) ||
            strstr(f->path, "//") ||
            (f->mode != 0644 && f->mode != 0755) ||
            (i > 0 && strcmp(m->files[i - 1].path, f->path) >= 0))
            abort();
    }
    if (total != m->total || total > BUNDLE_TOTAL_MAX)
        abort();
}

/* Does the manifest name zero-filled files, as the framed bundle has? */
static bool hashes_match(const struct bundle_manifest *m)
{
    static const uint8_t zeros[TINY_TOTAL];
    uint8_t h[SIG_HASH_LEN];

    for (size_t i = 0; i < m->nfiles; i++) {
        sig_sha256(zeros, m->files[i].size, h);
        if (memcmp(h, m->files[i].sha256, sizeof h) != 0)
            return false;
    }
    return true;
}

/* header, manifest, signature, then total zero bytes. */
static void frame(const uint8_t *text, size_t mlen, uint64_t total)
{
    static uint8_t buf[BUNDLE_HEADER_LEN + BUNDLE_MANIFEST_MAX + SIG_MAX_LEN
                       + TINY_TOTAL];
    uint8_t hash[SIG_HASH_LEN], *sig;
    size_t slen, off = BUNDLE_HEADER_LEN + mlen;

    sig = buf + off;
    sig_sha256(text, mlen, hash);
    if (sig_sign(priv, hash, sig, SIG_MAX_LEN, &slen) != ERR_OK)
        abort();
    memcpy(buf, BUNDLE_MAGIC, BUNDLE_MAGIC_LEN);
    buf[8] = (uint8_t)(mlen >> 24);
    buf[9] = (uint8_t)(mlen >> 16);
    buf[10] = (uint8_t)(mlen >> 8);
    buf[11] = (uint8_t)mlen;
    buf[12] = (uint8_t)(slen >> 8);
    buf[13] = (uint8_t)slen;
    memcpy(buf + BUNDLE_HEADER_LEN, text, mlen);
    memset(buf + off + slen, 0, total);
    put(buf, off + slen + total);
}

static void open_signed(const uint8_t *data, size_t size,
                        const struct bundle_manifest *m)
{
    struct bundle *b;
    char msg[256];
    err_code e;

    if (m->nfiles > TINY_FILES || m->total > TINY_TOTAL)
        return;
    frame(data, size, m->total);
    if (bundle_open(path, pub, &b, msg, sizeof msg) != ERR_OK)
        abort();                      /* signed and framed right */
    e = bundle_check(b, NULL, NULL, msg, sizeof msg);
    if ((e == ERR_OK) != hashes_match(m) ||
        (e != ERR_OK && e != ERR_CORRUPT))
        abort();
    bundle_close(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bundle_manifest *m;
    struct bundle *b;
    char msg[256];

    if (size >= BUNDLE_MAGIC_LEN &&
        memcmp(data, BUNDLE_MAGIC, BUNDLE_MAGIC_LEN) == 0) {
        put(data, size);
        if (bundle_open(path, pub, &b, msg, sizeof msg) == ERR_OK)
            abort();                  /* nothing here was signed */
        return 0;
    }
    if (bundle_manifest_parse((const char *)data, size, &m, msg,
                              sizeof msg) != ERR_OK)
        return 0;
    check_manifest(m);
    open_signed(data, size, m);
    bundle_manifest_free(m);
    return 0;
}
