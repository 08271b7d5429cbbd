/* base/file.h - reading a small file whole, and replacing a file so that a
 * power cut at any moment leaves either the old or the new content under
 * its name, never a mix or nothing. Replacing means: a temporary file in
 * the same directory, flushed, renamed over the target, and then the
 * directory flushed too, since until then the rename itself may be lost. */
#ifndef FILE_H
#define FILE_H

#include <stddef.h>

#include "base/err.h"

/* Read all of path into a new buffer with a NUL after the last byte (so
 * text can be used as a string; *len does not count it). The caller frees
 * *data. An empty file is fine. ERR_NOTFOUND when path does not exist,
 * ERR_INVAL when it holds more than cap bytes, ERR_IO for anything else;
 * on failure *data is NULL. */
err_code file_read_capped(const char *path, size_t cap, char **data,
                          size_t *len);

/* Replace path with the len bytes at data. The new file is created with
 * mode as open(2) does (less the umask; never wider than asked, so 0600
 * for keys holds from the first byte), whatever the old one had. On
 * failure the old content is untouched and no temporary file is left; an
 * ERR_IO after the rename (the directory would not flush) means the new
 * content is in place but may not survive a power cut. */
err_code file_write_atomic(const char *path, const void *data, size_t len,
                           int mode);

/* Replace an existing file keeping its mode exactly and, when run as root,
 * its owner and group (a config file edited by a tool). ERR_NOTFOUND when
 * path does not exist. */
err_code file_replace_same(const char *path, const void *data, size_t len);

/* As file_write_atomic, but refuse (ERR_IO, logged) when path exists: for
 * keys, which must never be overwritten. The content appears whole. */
err_code file_write_new(const char *path, const void *data, size_t len,
                        int mode);

/* The same, for content written in pieces (copies of large files):
 * open, write as often as needed, then commit or abort. A failed write is
 * remembered: commit then fails too, so callers may check once at the
 * end. Commit and abort both free f and remove the temporary file unless
 * it became path; abort of NULL is a no-op. */
struct file_atomic;
err_code file_atomic_open(const char *path, int mode,
                          struct file_atomic **out);
err_code file_atomic_write(struct file_atomic *f, const void *data,
                           size_t len);
err_code file_atomic_commit(struct file_atomic *f);
void     file_atomic_abort(struct file_atomic *f);

/* rename(from, to) (files, directories or symlinks), then flush the
 * directory of to, and of from when it is another one. */
err_code file_rename(const char *from, const char *to);

/* Flush a directory's entries (after a create, rename or unlink in it). */
err_code file_sync_dir(const char *dir);

#endif
