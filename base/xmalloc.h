/* base/xmalloc.h - allocation that aborts on failure. An out-of-memory
 * kiosk can do nothing useful; the watchdog restarts it and sqlite keeps
 * the data, so callers never check for NULL. */
#ifndef XMALLOC_H
#define XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* Copy src into dst of size cap, always terminated; returns 1 when src
 * did not fit (the copy is then cut at a UTF-8 character boundary). */
int str_copy(char *dst, size_t cap, const char *src);

#endif
