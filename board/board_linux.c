/* board/board_linux.c - the real board (kiosk.board = linux). First cut:
 * only the clock; the scanner, backlight and watchdog follow. */
#include "board/board.h"

#include <stdlib.h>
#include <time.h>

#include "firmware/xmalloc.h"

struct linux_board {
    int unused;
};

static err_code lx_open(const struct config *cfg, void **priv)
{
    (void)cfg;
    *priv = xcalloc(1, sizeof(struct linux_board));
    return ERR_OK;
}

static void lx_close(void *priv)
{
    free(priv);
}

static uint64_t lx_now_ms(void *priv)
{
    struct timespec ts;

    (void)priv;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

const struct board_ops board_linux_ops = {
    .name = "linux",
    .open = lx_open,
    .close = lx_close,
    .now_ms = lx_now_ms,
};
