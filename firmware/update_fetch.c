/* firmware/update_fetch.c - a resumable download of a bundle from the hub
 * over a slow or flaky link. The transport (HTTP Range requests through
 * the sync module) is a callback; this file owns the partial file: bytes
 * are appended to root/incoming/NAME.part and flushed, a cut connection
 * or a reboot resumes from its size, and only a complete file is renamed
 * to NAME.kbundle. Nothing here trusts the bytes: update_install verifies
 * the result. */
#include "firmware/update_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file.h"
#include "base/log.h"
#include "base/xmalloc.h"

#define FETCH_CHUNK  (64 * 1024)
#define FETCH_NAME   64

/* Letters, digits, '.', '_' and '-' only: the name becomes a path. */
static bool name_ok(const char *name)
{
    size_t n = strlen(name);

    if (n == 0 || n >= FETCH_NAME || name[0] == '.')
        return false;
    for (; *name != '\0'; name++) {
        if (!(*name == '.' || *name == '_' || *name == '-' ||
              (*name >= 'a' && *name <= 'z') ||
              (*name >= 'A' && *name <= 'Z') ||
              (*name >= '0' && *name <= '9')))
            return false;
    }
    return true;
}

static err_code append(int fd, const unsigned char *buf, size_t n)
{
    size_t put = 0;

    while (put < n) {
        ssize_t w = write(fd, buf + put, n - put);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return ERR_IO;
        put += (size_t)w;
    }
    return ERR_OK;
}

/* Pull chunks from the offset the partial file has reached to the end. */
static err_code pull(const struct update_fetch *f, int fd, uint64_t have,
                     update_progress_fn fn, void *ctx)
{
    unsigned char *buf = xmalloc(FETCH_CHUNK);
    uint64_t total = f->size;
    err_code e = ERR_OK;

    while (have < total && e == ERR_OK) {
        size_t n = 0, want = total - have < FETCH_CHUNK
                                 ? (size_t)(total - have) : FETCH_CHUNK;

        e = f->get(f->ctx, have, buf, want, &n);
        if (e == ERR_OK && (n == 0 || n > want))
            e = ERR_PROTO;              /* no progress, or more than asked */
        if (e == ERR_OK)
            e = append(fd, buf, n);
        if (e == ERR_OK && fdatasync(fd) != 0)
            e = ERR_IO;
        if (e == ERR_OK) {
            have += n;
            if (fn)
                fn(ctx, UPDATE_COPY, have, total);
        }
    }
    free(buf);
    return e;
}

err_code update_fetch(const char *root, const struct update_fetch *f,
                      update_progress_fn fn, void *ctx,
                      char *path, size_t cap)
{
    char dir[UPDATE_PATH_MAX], part[UPDATE_PATH_MAX + FETCH_NAME + 16];
    struct stat st;
    err_code e;
    int fd;

    if (!name_ok(f->name) || f->size == 0 ||
        f->size > BUNDLE_TOTAL_MAX + BUNDLE_MANIFEST_MAX + 1024)
        return ERR_INVAL;
    snprintf(dir, sizeof dir, "%s/incoming", root);
    if (mkdir(root, 0755) != 0 && errno != EEXIST)
        return ERR_IO;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return ERR_IO;
    snprintf(part, sizeof part, "%s/%s.part", dir, f->name);
    fd = open(part, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0)
            close(fd);
        return ERR_IO;
    }
    /* Longer than announced: not the file we were getting; start over. */
    if ((uint64_t)st.st_size > f->size && ftruncate(fd, 0) == 0)
        st.st_size = 0;
    log_info("update: fetching %s from byte %lld of %llu", f->name,
             (long long)st.st_size, (unsigned long long)f->size);
    e = pull(f, fd, (uint64_t)st.st_size, fn, ctx);
    close(fd);
    if (e != ERR_OK)
        return e;                       /* the part stays for next time */
    snprintf(path, cap, "%s/%s.kbundle", dir, f->name);
    return file_rename(part, path);
}
