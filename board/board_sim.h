/* board/board_sim.h - controls of the simulated board (kiosk.board = sim)
 * for tests and the desktop demo. Every function takes a board opened as
 * "sim"; passing another board is a bug (assert).
 *
 * Scans come from two places: lines a script writes into the FIFO at
 * board.scanner (created if missing), and lines injected here. A FIFO line
 * "tap X Y" is a scripted touch instead of a scan (board_sim_tap_poll).
 *
 * The receipt printer (board.printer) is a file each print's bytes are
 * appended to; empty: no printer fitted (ERR_UNSUPPORTED). It is out of
 * paper (ERR_IO, nothing written) while board_sim_paper_out says so or a
 * file named like it plus ".paperout" exists (for shell scripts). */
#ifndef BOARD_SIM_H
#define BOARD_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "board/board.h"

#define BOARD_SIM_QUEUE  32    /* pending scans (and taps) kept at most */
#define BOARD_SIM_SIGNALS 64   /* signals remembered for tests */

/* The board calls board_sim_fail_next can make fail. */
enum board_sim_call {
    BOARD_SIM_SCAN,            /* scan_poll */
    BOARD_SIM_BACKLIGHT,       /* backlight_set */
    BOARD_SIM_WATCHDOG,        /* watchdog_kick */
    BOARD_SIM_SIGNAL,          /* signal */
    BOARD_SIM_PRINT,           /* print */
    BOARD_SIM_CALLS
};

/* Queue a scanned line, as if the scanner had read it. ERR_BUSY when
 * BOARD_SIM_QUEUE lines are already waiting; ERR_INVAL if the line holds a
 * line break. A line longer than BOARD_LINE_MAX - 1 is cut. */
err_code board_sim_inject_scan(struct board *b, const char *line);

/* Take the next scripted touch; ERR_NOTFOUND when there is none. */
err_code board_sim_tap_poll(struct board *b, int *x, int *y);

/* Switch to a manual clock reading ms; from then on only these two move
 * it. advance on a board still on the real clock starts the manual clock
 * at the current reading. Until either is called, board_now_ms reads
 * CLOCK_MONOTONIC. */
void board_sim_set_clock_ms(struct board *b, uint64_t ms);
void board_sim_advance_ms(struct board *b, uint64_t ms);

/* The last backlight percentage set, or -1 if none was. */
int board_sim_backlight(struct board *b);

/* Make the next call of that kind return e (once). */
void board_sim_fail_next(struct board *b, enum board_sim_call call,
                         err_code e);

/* Signals given so far, oldest first: copies up to cap of the first
 * BOARD_SIM_SIGNALS into out and returns how many were given in all. */
size_t board_sim_signals(struct board *b, enum board_signal *out,
                         size_t cap);

/* Take the paper out (true) or put it back. */
void board_sim_paper_out(struct board *b, bool out);

/* How many times the watchdog was kicked successfully. */
unsigned board_sim_watchdog_kicks(struct board *b);

#endif
