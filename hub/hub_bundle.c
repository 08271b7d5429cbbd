/* hub/hub_bundle.c - storing update bundles at the hub and reading
 * them back in ranges. */
#include "hub/hub_bundle.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/bundle.h"
#include "base/file.h"
#include "base/sig_mbedtls.h"
#include "base/xmalloc.h"
#include "hub/hub_db_bundle.h"

static err_code say(char *msg, size_t cap, err_code e, const char *what)
{
    snprintf(msg, cap, "%s", what);
    return e;
}

bool hub_bundle_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n >= HUB_BUNDLE_NAME || name[0] == '.')
        return false;
    for (const char *p = name; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return false;
    }
    return true;
}

/* Without a key: the header and the manifest, parsed strictly. */
static err_code read_manifest(const char *file, struct bundle_manifest **m,
                              char *msg, size_t cap)
{
    unsigned char h[BUNDLE_HEADER_LEN];
    FILE *f = fopen(file, "rb");
    if (!f)
        return say(msg, cap, ERR_IO, "cannot read the bundle");
    err_code e = ERR_CORRUPT;
    char *text = NULL;
    if (fread(h, 1, sizeof h, f) != sizeof h ||
        memcmp(h, BUNDLE_MAGIC, BUNDLE_MAGIC_LEN) != 0) {
        fclose(f);
        return say(msg, cap, e, "not an update bundle");
    }
    uint32_t mlen = (uint32_t)h[8] << 24 | (uint32_t)h[9] << 16 |
                    (uint32_t)h[10] << 8 | h[11];
    if (mlen > 0 && mlen <= BUNDLE_MANIFEST_MAX) {
        text = xmalloc(mlen + 1);
        if (fread(text, 1, mlen, f) == mlen)
            e = bundle_manifest_parse(text, mlen, m, msg, cap);
        else
            say(msg, cap, e, "bundle is truncated");
    } else {
        say(msg, cap, e, "bundle header is damaged");
    }
    free(text);
    fclose(f);
    return e;
}

static err_code check(const char *file, const char *pub_key,
                      struct hub_bundle_info *out, char *msg, size_t cap)
{
    if (!pub_key) {
        struct bundle_manifest *m = NULL;
        err_code e = read_manifest(file, &m, msg, cap);
        if (e == ERR_OK)
            snprintf(out->version, sizeof out->version, "%s", m->version);
        if (e == ERR_OK && strcmp(m->product, "kiosk") != 0)
            e = say(msg, cap, ERR_DENIED, "not a kiosk bundle");
        bundle_manifest_free(m);
        return e;
    }
    struct bundle *b = NULL;
    err_code e = bundle_open(file, pub_key, &b, msg, cap);
    if (e == ERR_OK)
        e = bundle_check(b, NULL, NULL, msg, cap);
    if (e == ERR_OK) {
        const struct bundle_manifest *m = bundle_manifest(b);
        snprintf(out->version, sizeof out->version, "%s", m->version);
        if (strcmp(m->product, "kiosk") != 0)
            e = say(msg, cap, ERR_DENIED, "not a kiosk bundle");
    }
    bundle_close(b);
    return e;
}

/* Copy file to dest (through a temporary, flushed), hashing it. */
static err_code copy_hash(const char *file, const char *dest,
                          struct hub_bundle_info *out)
{
    FILE *in = fopen(file, "rb");
    struct file_atomic *o = NULL;
    struct sig_hash *h = NULL;
    err_code e = in ? file_atomic_open(dest, 0644, &o) : ERR_IO;
    char buf[65536];
    size_t n;
    out->size = 0;
    if (e == ERR_OK)
        e = sig_hash_create(&h);
    while (e == ERR_OK && (n = fread(buf, 1, sizeof buf, in)) > 0) {
        sig_hash_update(h, buf, n);
        out->size += n;
        e = file_atomic_write(o, buf, n);
    }
    if (e == ERR_OK && ferror(in))
        e = ERR_IO;
    if (in)
        fclose(in);
    uint8_t d[SIG_HASH_LEN];
    if (h)
        sig_hash_finish(h, d);
    sig_hash_destroy(h);
    for (int i = 0; e == ERR_OK && i < SIG_HASH_LEN; i++)
        snprintf(out->sha256 + 2 * i, 3, "%02x", d[i]);
    if (e == ERR_OK)
        return file_atomic_commit(o);
    file_atomic_abort(o);
    return e;
}

static err_code record(struct hub_db *db, const char *station,
                       const struct hub_bundle_info *in)
{
    uint64_t num = 0;
    if (bundle_version_parse(in->version, &num) != ERR_OK)
        return ERR_INVAL;
    return hub_db_bundle_put(db, station, in, num);
}

err_code hub_bundle_publish(struct hub_db *db, const char *hub_dir,
                            const char *file, const char *pub_key,
                            const char *station,
                            struct hub_bundle_info *out,
                            char *msg, size_t cap)
{
    memset(out, 0, sizeof *out);
    msg[0] = '\0';
    if (station && !hub_db_station_exists(db, station))
        return say(msg, cap, ERR_NOTFOUND, "unknown station");
    err_code e = check(file, pub_key, out, msg, cap);
    if (e != ERR_OK)
        return e;
    snprintf(out->name, sizeof out->name, "kiosk-%s", out->version);
    char dir[512], dest[600];
    snprintf(dir, sizeof dir, "%s/bundles", hub_dir);
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return say(msg, cap, ERR_IO, "cannot create the bundles directory");
    snprintf(dest, sizeof dest, "%s/%s.kbundle", dir, out->name);
    e = copy_hash(file, dest, out);
    if (e != ERR_OK)
        return say(msg, cap, e, "cannot store the bundle");
    e = record(db, station, out);
    return e == ERR_OK ? ERR_OK : say(msg, cap, e, "cannot record it");
}

err_code hub_bundle_read(const char *hub_dir, const char *name, uint64_t off,
                         size_t cap, char **buf, size_t *n)
{
    char path[600];
    *buf = NULL;
    *n = 0;
    if (!hub_bundle_name_ok(name))
        return ERR_INVAL;
    snprintf(path, sizeof path, "%s/bundles/%s.kbundle", hub_dir, name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return ERR_NOTFOUND;
    struct stat sb;
    err_code e = fstat(fd, &sb) == 0 ? ERR_OK : ERR_IO;
    if (e == ERR_OK && off >= (uint64_t)sb.st_size)
        e = ERR_INVAL;
    if (e == ERR_OK) {
        uint64_t left = (uint64_t)sb.st_size - off;
        size_t want = left < cap ? (size_t)left : cap;
        *buf = xmalloc(want + 1);
        ssize_t got = pread(fd, *buf, want, (off_t)off);
        if (got <= 0) {
            free(*buf);
            *buf = NULL;
            e = ERR_IO;
        } else {
            *n = (size_t)got;
        }
    }
    close(fd);
    return e;
}
