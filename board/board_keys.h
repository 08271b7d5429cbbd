/* board/board_keys.h - turns evdev key events from a keyboard-wedge
 * scanner into lines. A scanner types a whole code in a burst (a few ms
 * between keys) and ends it with Enter; a person types slower. Keys that
 * come further apart than the burst gap restart the line, so a person
 * pressing keys on that keyboard never produces a scan. */
#ifndef BOARD_KEYS_H
#define BOARD_KEYS_H

#include <linux/input.h>
#include <stdbool.h>
#include <stdint.h>

#include "board/board.h"
#include "base/err.h"

#define BOARD_KEYS_GAP_MS  40  /* scanners: 1-15 ms a key; people: 80+ */
#define BOARD_KEYS_MIN_LEN 3   /* shorter bursts are key rollover */

struct board_keys {
    char     buf[BOARD_LINE_MAX];
    size_t   n;
    bool     shift, overflow;
    uint64_t last_us;          /* time of the last key press */
    unsigned gap_ms;
};

void board_keys_init(struct board_keys *k, unsigned gap_ms);

/* Feed one event. ERR_OK when it completed a burst: the line (always
 * terminated, cut to cap - 1) is in line. ERR_NOTFOUND otherwise. */
err_code board_keys_feed(struct board_keys *k, const struct input_event *ev,
                         char *line, size_t cap, size_t *len);

#endif
