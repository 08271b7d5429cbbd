/* board/board_feedback.h - scan feedback on an LED and an active buzzer,
 * each either a GPIO line (board_gpio.h, libgpiod) or a file that takes 0
 * or 1: an LED-class device (/sys/class/leds/NAME/brightness, from the
 * gpio-led overlay). Patterns are timed without blocking: start one, then
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

struct board_gpio;

struct board_feedback {
    char     led[CONFIG_STR], buzzer[CONFIG_STR];
    struct board_gpio *led_gpio, *buzzer_gpio;  /* used instead when set */
    unsigned pulse_ms;
    bool     active;
    enum board_signal sig;
    uint64_t start_ms;
    int      led_on, buzzer_on;        /* last written; -1: unknown */
};

/* Empty paths mean "not fitted". Both outputs are switched off. */
void board_feedback_init(struct board_feedback *f, const char *led,
                         const char *buzzer, unsigned pulse_ms);
/* Drive the LED and / or buzzer through GPIO lines of chip instead (a line
 * < 0 keeps that output as it is). ERR_NOTFOUND / ERR_IO as
 * board_gpio_open; the output is then not fitted. */
err_code board_feedback_use_gpio(struct board_feedback *f, const char *chip,
                                 int led_line, int buzzer_line);
/* Release the GPIO lines (outputs switched off first). */
void board_feedback_close(struct board_feedback *f);
bool board_feedback_fitted(const struct board_feedback *f);
/* Start a pattern (replacing one under way). ERR_UNSUPPORTED when neither
 * output is fitted; ERR_IO when an output cannot be written. */
err_code board_feedback_start(struct board_feedback *f,
                              enum board_signal sig, uint64_t now_ms);
/* Advance the pattern to now_ms; both outputs off once it is over. */
void board_feedback_service(struct board_feedback *f, uint64_t now_ms);

#endif
