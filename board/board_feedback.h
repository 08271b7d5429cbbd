/* board/board_feedback.h - scan feedback on an LED and an active buzzer
 * driven through files that take 0 or 1: a GPIO LED-class device
 * (/sys/class/leds/NAME/brightness, from the gpio-led overlay) or a
 * sysfs GPIO value. Patterns are timed without blocking: start one, then
 * call board_feedback_service from the main loop (the linux board does
 * so from scan_poll and watchdog_kick).
 *   OK:    buzzer one pulse, LED lit for five pulses
 *   ERROR: both on-off-on-off-on, one pulse each */
#ifndef BOARD_FEEDBACK_H
#define BOARD_FEEDBACK_H

#include <stdbool.h>
#include <stdint.h>

#include "board/board.h"

#define BOARD_FEEDBACK_PULSE_MS 80

struct board_feedback {
    char     led[CONFIG_STR], buzzer[CONFIG_STR];
    unsigned pulse_ms;
    bool     active;
    enum board_signal sig;
    uint64_t start_ms;
    int      led_on, buzzer_on;        /* last written; -1: unknown */
};

/* Empty paths mean "not fitted". Both outputs are switched off. */
void board_feedback_init(struct board_feedback *f, const char *led,
                         const char *buzzer, unsigned pulse_ms);
bool board_feedback_fitted(const struct board_feedback *f);
/* Start a pattern (replacing one under way). ERR_UNSUPPORTED when neither
 * output is fitted; ERR_IO when an output cannot be written. */
err_code board_feedback_start(struct board_feedback *f,
                              enum board_signal sig, uint64_t now_ms);
/* Advance the pattern to now_ms; both outputs off once it is over. */
void board_feedback_service(struct board_feedback *f, uint64_t now_ms);

#endif
