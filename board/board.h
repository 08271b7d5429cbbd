/* board/board.h - the hardware layer: one small table of functions per
 * board, chosen by the config's kiosk.board. Callers use the wrappers,
 * which return ERR_UNSUPPORTED for an entry a board leaves NULL. */
#ifndef BOARD_H
#define BOARD_H

#include <stddef.h>
#include <stdint.h>

#include "firmware/config.h"
#include "base/err.h"

enum board_signal { BOARD_SIGNAL_OK, BOARD_SIGNAL_ERROR };

#define BOARD_LINE_MAX 512          /* a longer scanner line is cut: garbage */

struct board_ops {
    const char *name;
    err_code (*open)(const struct config *cfg, void **priv);
    void     (*close)(void *priv);
    /* ERR_OK with a whole line (no newline) when one is ready, ERR_NOTFOUND
     * when none is; never blocks. */
    err_code (*scan_poll)(void *priv, char *line, size_t cap, size_t *len);
    /* A file descriptor that becomes readable when a line may be ready,
     * so the UI can sleep; -1 if the board has none. */
    int      (*scan_fd)(void *priv);
    err_code (*backlight_set)(void *priv, int percent);
    err_code (*watchdog_kick)(void *priv);
    err_code (*signal)(void *priv, enum board_signal sig);   /* LED, buzzer */
    uint64_t (*now_ms)(void *priv);         /* every timer reads this clock */
    /* Scripted input, for boards that have it (the sim board's FIFO and
     * the keyboard standing in for a scanner on a PC): a touch that is
     * waiting (ERR_NOTFOUND when none), and a line to hand back from the
     * next scan_poll as if scanned. */
    err_code (*tap_poll)(void *priv, int *x, int *y);
    err_code (*scan_inject)(void *priv, const char *line);
    /* Send bytes (ESC/POS, firmware/receipt.h) to the receipt printer,
     * after checking that it can print. ERR_UNSUPPORTED: no printer
     * fitted (board.printer empty); ERR_IO: one is fitted but cannot
     * print now (out of paper, cover open, offline, unplugged, or the
     * write failed), and nothing should be taken as printed. */
    err_code (*print)(void *priv, const uint8_t *bytes, size_t len);
};

extern const struct board_ops board_sim_ops, board_linux_ops;

struct board;

/* Open the board the config names. */
err_code board_open(const struct config *cfg, struct board **out);
void     board_close(struct board *b);                  /* NULL is a no-op */
const char *board_name(const struct board *b);

err_code board_scan_poll(struct board *b, char *line, size_t cap, size_t *len);
int      board_scan_fd(struct board *b);
err_code board_backlight_set(struct board *b, int percent);
err_code board_watchdog_kick(struct board *b);
err_code board_signal(struct board *b, enum board_signal sig);
uint64_t board_now_ms(struct board *b);
err_code board_tap_poll(struct board *b, int *x, int *y);
err_code board_scan_inject(struct board *b, const char *line);
/* Print a receipt's bytes; ERR_UNSUPPORTED (no printer) and ERR_IO (out
 * of paper, offline) as board_ops.print says. On the linux board it
 * blocks while the status is asked (up to 2 x 300 ms when the printer
 * does not answer) and the bytes go out (a 1-2 KB receipt: 1-2 s at 9600
 * baud, the close waiting for the serial line to drain; USB is faster),
 * never past BOARD_PRINTER_WRITE_MS for the write. Show "printing" first. */
err_code board_print(struct board *b, const uint8_t *bytes, size_t len);
/* The implementation's private state, for board-specific calls such as
 * board_sim_* in board_sim.h. */
void    *board_priv(struct board *b);

#endif
