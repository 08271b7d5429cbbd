/* board/board.c - picks the board the config names and wraps its table,
 * so callers never test for a NULL entry themselves. */
#include "board/board.h"

#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xmalloc.h"

struct board {
    const struct board_ops *ops;
    void                   *priv;
};

static const struct board_ops *const boards[] = {
    &board_sim_ops,
    &board_linux_ops,
};

err_code board_open(const struct config *cfg, struct board **out)
{
    *out = NULL;
    for (size_t i = 0; i < sizeof boards / sizeof boards[0]; i++) {
        struct board *b;
        err_code e;

        if (strcmp(boards[i]->name, cfg->board) != 0)
            continue;
        b = xcalloc(1, sizeof *b);
        b->ops = boards[i];
        e = b->ops->open(cfg, &b->priv);
        if (e != ERR_OK) {
            log_error("board %s: open failed: %s", cfg->board, err_str(e));
            free(b);
            return e;
        }
        *out = b;
        return ERR_OK;
    }
    log_error("board %s: no such board", cfg->board);
    return ERR_UNSUPPORTED;
}

void board_close(struct board *b)
{
    if (b == NULL)
        return;
    if (b->ops->close)
        b->ops->close(b->priv);
    free(b);
}

const char *board_name(const struct board *b) { return b->ops->name; }
void *board_priv(struct board *b)             { return b->priv; }

err_code board_scan_poll(struct board *b, char *line, size_t cap, size_t *len)
{
    if (b->ops->scan_poll == NULL)
        return ERR_UNSUPPORTED;
    return b->ops->scan_poll(b->priv, line, cap, len);
}

int board_scan_fd(struct board *b)
{
    return b->ops->scan_fd ? b->ops->scan_fd(b->priv) : -1;
}

err_code board_backlight_set(struct board *b, int percent)
{
    if (b->ops->backlight_set == NULL)
        return ERR_UNSUPPORTED;
    return b->ops->backlight_set(b->priv, percent);
}

err_code board_watchdog_kick(struct board *b)
{
    if (b->ops->watchdog_kick == NULL)
        return ERR_UNSUPPORTED;
    return b->ops->watchdog_kick(b->priv);
}

err_code board_signal(struct board *b, enum board_signal sig)
{
    if (b->ops->signal == NULL)
        return ERR_UNSUPPORTED;
    return b->ops->signal(b->priv, sig);
}

uint64_t board_now_ms(struct board *b)
{
    return b->ops->now_ms(b->priv);
}

err_code board_tap_poll(struct board *b, int *x, int *y)
{
    if (b->ops->tap_poll == NULL)
        return ERR_UNSUPPORTED;
    return b->ops->tap_poll(b->priv, x, y);
}

err_code board_scan_inject(struct board *b, const char *line)
{
    if (b->ops->scan_inject == NULL)
        return ERR_UNSUPPORTED;
    return b->ops->scan_inject(b->priv, line);
}

err_code board_print(struct board *b, const uint8_t *bytes, size_t len)
{
    if (b->ops->print == NULL)
        return ERR_UNSUPPORTED;
    return b->ops->print(b->priv, bytes, len);
}
