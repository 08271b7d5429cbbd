/* base/xmalloc.c - aborting allocators and a bounded string copy. */
#include "base/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *check(void *p)
{
    if (p == NULL) {
        fputs("out of memory\n", stderr);
        abort();
    }
    return p;
}

void *xmalloc(size_t n)           { return check(malloc(n ? n : 1)); }
void *xcalloc(size_t c, size_t n) { return check(calloc(c ? c : 1, n ? n : 1)); }
void *xrealloc(void *p, size_t n) { return check(realloc(p, n ? n : 1)); }
char *xstrdup(const char *s)      { return check(strdup(s)); }

int str_copy(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);

    if (n < cap) {
        memcpy(dst, src, n + 1);
        return 0;
    }
    n = cap - 1;
    /* Step back over UTF-8 continuation bytes so a cut never splits a
     * Chinese character. */
    while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
        n--;
    memcpy(dst, src, n);
    dst[n] = '\0';
    return 1;
}
