/* base/file.c - whole-file reads with a size cap and crash-safe file
 * replacement. errno is translated and logged here; callers add what the
 * file was for. Temporary names are unique, so two writers of one file
 * cannot rename each other's half-written copy. */
#include "base/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/xmalloc.h"

struct file_atomic {
    char    *path;
    char    *tmp;
    int      fd;
    err_code e;                         /* the first failure; sticky */
};

/* Read until EOF into a buffer grown up to cap + 1 bytes; one byte past
 * cap proves the file too large without reading the rest of it. */
static err_code read_all(int fd, size_t cap, size_t hint, char **data,
                         size_t *len)
{
    size_t room = (hint < cap ? hint : cap) + 1, n = 0;
    char *buf = xmalloc(room + 1);

    for (;;) {
        ssize_t r;

        if (n == room) {
            if (room > cap) {
                free(buf);
                return ERR_INVAL;
            }
            room = room > cap / 2 ? cap + 1 : room * 2;
            buf = xrealloc(buf, room + 1);
        }
        r = read(fd, buf + n, room - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            free(buf);
            return ERR_IO;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return ERR_OK;
}

err_code file_read_capped(const char *path, size_t cap, char **data,
                          size_t *len)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    err_code e = ERR_IO;

    *data = NULL;
    *len = 0;
    if (cap > SIZE_MAX / 4)
        cap = SIZE_MAX / 4;
    if (fd < 0) {
        if (errno == ENOENT)
            return ERR_NOTFOUND;
        log_error("file: cannot open %s: %s", path, strerror(errno));
        return ERR_IO;
    }
    if (fstat(fd, &st) == 0) {
        /* /proc and pipes report size 0: the read loop still caps them. */
        if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > cap)
            e = ERR_INVAL;
        else
            e = read_all(fd, cap, S_ISREG(st.st_mode) ? (size_t)st.st_size
                                                      : 0, data, len);
    }
    if (e == ERR_IO)
        log_error("file: cannot read %s: %s", path, strerror(errno));
    else if (e == ERR_INVAL)
        log_warn("file: %s is larger than %zu bytes", path, cap);
    close(fd);
    return e;
}

err_code file_sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc;

    if (fd < 0) {
        log_error("file: cannot open directory %s: %s", dir, strerror(errno));
        return ERR_IO;
    }
    rc = fsync(fd);
    if (rc != 0)
        log_error("file: cannot flush directory %s: %s", dir,
                  strerror(errno));
    close(fd);
    return rc == 0 ? ERR_OK : ERR_IO;
}

/* The directory holding path, as a new string ("." for a bare name). */
static char *dir_of(const char *path)
{
    char *dir = xstrdup(path), *slash = strrchr(dir, '/');

    if (slash == NULL)
        str_copy(dir, strlen(dir) + 1, ".");
    else if (slash == dir)
        slash[1] = '\0';
    else
        *slash = '\0';
    return dir;
}

static err_code sync_dir_of(const char *path)
{
    char *dir = dir_of(path);
    err_code e = file_sync_dir(dir);

    free(dir);
    return e;
}

err_code file_rename(const char *from, const char *to)
{
    char *a, *b;
    err_code e;

    if (rename(from, to) != 0) {
        log_error("file: cannot rename %s to %s: %s", from, to,
                  strerror(errno));
        return ERR_IO;
    }
    a = dir_of(from);
    b = dir_of(to);
    e = file_sync_dir(b);
    if (e == ERR_OK && strcmp(a, b) != 0)
        e = file_sync_dir(a);
    free(a);
    free(b);
    return e;
}

/* A new file next to path, named path.tmp.PID.N: unique among writers
 * alive now; a name left by a crash (pids repeat after a reboot) is
 * skipped. O_EXCL with mode, so umask applies as it does to open(2). */
static int create_tmp(const char *path, int mode, char **tmp)
{
    static atomic_uint counter;
    size_t cap = strlen(path) + 40;
    int fd = -1;

    *tmp = xmalloc(cap);
    for (int i = 0; i < 100 && fd < 0; i++) {
        snprintf(*tmp, cap, "%s.tmp.%ld.%u", path, (long)getpid(),
                 atomic_fetch_add(&counter, 1));
        fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                  (mode_t)mode);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    return fd;
}

err_code file_atomic_open(const char *path, int mode,
                          struct file_atomic **out)
{
    struct file_atomic *f = xcalloc(1, sizeof *f);

    *out = NULL;
    f->path = xstrdup(path);
    f->fd = create_tmp(path, mode, &f->tmp);
    if (f->fd < 0) {
        log_error("file: cannot create %s: %s", f->tmp, strerror(errno));
        file_atomic_abort(f);
        return ERR_IO;
    }
    *out = f;
    return ERR_OK;
}

err_code file_atomic_write(struct file_atomic *f, const void *data,
                           size_t len)
{
    size_t put = 0;

    while (f->e == ERR_OK && put < len) {
        ssize_t w = write(f->fd, (const char *)data + put, len - put);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            log_error("file: cannot write %s: %s", f->tmp,
                      w < 0 ? strerror(errno) : "no progress");
            f->e = ERR_IO;
        } else {
            put += (size_t)w;
        }
    }
    return f->e;
}

void file_atomic_abort(struct file_atomic *f)
{
    if (f == NULL)
        return;
    if (f->fd >= 0) {
        close(f->fd);
        unlink(f->tmp);
    }
    free(f->tmp);
    free(f->path);
    free(f);
}

/* Flush and close the temporary; ERR_OK leaves it ready to be renamed. */
static err_code finish_tmp(struct file_atomic *f)
{
    if (f->e == ERR_OK && fsync(f->fd) != 0) {
        log_error("file: cannot flush %s: %s", f->tmp, strerror(errno));
        f->e = ERR_IO;
    }
    if (close(f->fd) != 0 && f->e == ERR_OK) {
        log_error("file: cannot close %s: %s", f->tmp, strerror(errno));
        f->e = ERR_IO;
    }
    f->fd = -1;
    if (f->e != ERR_OK)
        unlink(f->tmp);
    return f->e;
}

/* Rename the flushed temporary over path; it is gone either way. */
static err_code rename_tmp(struct file_atomic *f)
{
    if (rename(f->tmp, f->path) != 0) {
        log_error("file: cannot rename %s to %s: %s", f->tmp, f->path,
                  strerror(errno));
        unlink(f->tmp);
        return ERR_IO;
    }
    return ERR_OK;
}

err_code file_atomic_commit(struct file_atomic *f)
{
    err_code e = finish_tmp(f);

    if (e == ERR_OK)
        e = rename_tmp(f);
    if (e == ERR_OK)
        e = sync_dir_of(f->path);
    file_atomic_abort(f);
    return e;
}

err_code file_write_atomic(const char *path, const void *data, size_t len,
                           int mode)
{
    struct file_atomic *f;
    err_code e = file_atomic_open(path, mode, &f);

    if (e != ERR_OK)
        return e;
    file_atomic_write(f, data, len);
    return file_atomic_commit(f);
}

err_code file_replace_same(const char *path, const void *data, size_t len)
{
    struct file_atomic *f;
    struct stat st;
    err_code e;

    if (stat(path, &st) != 0) {
        log_error("file: %s: %s", path, strerror(errno));
        return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
    }
    e = file_atomic_open(path, (int)(st.st_mode & 07777), &f);
    if (e != ERR_OK)
        return e;
    /* The umask may have narrowed the mode, and a file root rewrites keeps
     * its owner (a config readable by the kiosk's group stays so). */
    if (fchmod(f->fd, st.st_mode & 07777) != 0 ||
        (geteuid() == 0 && fchown(f->fd, st.st_uid, st.st_gid) != 0)) {
        log_error("file: %s: %s", f->tmp, strerror(errno));
        file_atomic_abort(f);
        return ERR_IO;
    }
    file_atomic_write(f, data, len);
    return file_atomic_commit(f);
}

/* Claim the name with O_EXCL (which refuses an existing file, even on
 * filesystems without hard links), then rename the full copy over the
 * claim: a power cut in between leaves an empty file, never a partial. */
err_code file_write_new(const char *path, const void *data, size_t len,
                        int mode)
{
    struct file_atomic *f;
    err_code e = file_atomic_open(path, mode, &f);
    int fd;

    if (e != ERR_OK)
        return e;
    file_atomic_write(f, data, len);
    e = finish_tmp(f);
    if (e == ERR_OK) {
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
        if (fd < 0) {
            log_error("file: cannot create %s: %s", path, strerror(errno));
            unlink(f->tmp);
            e = ERR_IO;
        } else {
            close(fd);
            e = rename_tmp(f);
            if (e != ERR_OK)
                unlink(path);           /* drop the empty claim */
            else
                e = sync_dir_of(path);
        }
    }
    file_atomic_abort(f);
    return e;
}
