/* board/board_linux.h - extra controls of the real board (kiosk.board =
 * linux), for diagnostics and for tests that must not wait for the
 * production timings. Every function takes a board opened as "linux".
 *
 * board.scanner names the scanner: "serial:PATH[@BAUD]", "evdev:PATH", or
 * a bare PATH, which is an evdev node if it answers EVIOCGVERSION and a
 * serial line otherwise (default 9600 baud; USB CDC scanners ignore it).
 * board.backlight_dir is a sysfs backlight (brightness, max_brightness).
 * board.watchdog is "none", "systemd" (sd_notify over $NOTIFY_SOCKET) or
 * a watchdog device such as /dev/watchdog. board.led and board.buzzer are
 * files taking 0/1 (board/board_feedback.h) for scan feedback. */
#ifndef BOARD_LINUX_H
#define BOARD_LINUX_H

#include <stdbool.h>

#include "board/board.h"

struct board_linux_tuning {
    unsigned reconnect_ms;     /* between attempts to reopen the scanner */
    unsigned kick_ms;          /* watchdog kicks closer than this are one */
    unsigned burst_gap_ms;     /* keyboard-wedge: max gap inside a scan */
    unsigned pulse_ms;         /* LED/buzzer pattern unit */
};

#define BOARD_LINUX_RECONNECT_MS 1000
#define BOARD_LINUX_KICK_MS      1000

void board_linux_tune(struct board *b, const struct board_linux_tuning *t);

/* Whether the scanner is open now (for the technician screen). */
bool board_linux_scanner_connected(struct board *b);

#endif
