/* board/board_lines.c - line assembly for scanner byte streams. Owns no
 * file descriptors: callers read into the space it hands out. */
#include "board/board_lines.h"

#include <string.h>

void board_lines_reset(struct board_lines *bl)
{
    bl->n = 0;
    bl->skipping = false;
}

char *board_lines_space(struct board_lines *bl, size_t *room)
{
    *room = sizeof bl->pend - bl->n;
    return bl->pend + bl->n;
}

void board_lines_commit(struct board_lines *bl, size_t n)
{
    bl->n += n;
}

static void drop_front(struct board_lines *bl, size_t k)
{
    memmove(bl->pend, bl->pend + k, bl->n - k);
    bl->n -= k;
}

/* Index of the first CR or LF, or n if none. */
static size_t find_eol(const struct board_lines *bl)
{
    size_t i = 0;

    while (i < bl->n && bl->pend[i] != '\n' && bl->pend[i] != '\r')
        i++;
    return i;
}

err_code board_lines_take(struct board_lines *bl, char *line, size_t cap,
                          size_t *len)
{
    for (;;) {
        size_t eol = find_eol(bl), k;

        if (eol == bl->n) {
            /* No end in a full buffer: the line is too long to be a scan. */
            if (bl->n == sizeof bl->pend) {
                bl->n = 0;
                bl->skipping = true;
            }
            return ERR_NOTFOUND;
        }
        if (bl->skipping || eol == 0) {
            bl->skipping = false;
            drop_front(bl, eol + 1);
            continue;
        }
        k = eol < cap - 1 ? eol : cap - 1;
        memcpy(line, bl->pend, k);
        line[k] = '\0';
        *len = k;
        drop_front(bl, eol + 1);
        return ERR_OK;
    }
}
