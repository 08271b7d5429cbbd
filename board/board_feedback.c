/* board/board_feedback.c - LED and buzzer patterns over 0/1 files. Only
 * writes when an output changes, so servicing every frame costs nothing
 * between patterns. */
#include "board/board_feedback.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/xmalloc.h"
#include "board/board_gpio.h"

#define PATTERN_PULSES 5

static err_code put(const char *path, struct board_gpio *g, int on,
                    int *last)
{
    int fd;
    ssize_t w;

    if (*last == on)
        return ERR_OK;
    if (g != NULL) {
        err_code e = board_gpio_set(g, on);
        if (e == ERR_OK)
            *last = on;
        return e;
    }
    if (path[0] == '\0')
        return ERR_OK;
    fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0) {
        log_error("board: %s: %s", path, strerror(errno));
        return ERR_IO;
    }
    w = write(fd, on ? "1\n" : "0\n", 2);
    close(fd);
    if (w != 2)
        return ERR_IO;
    *last = on;
    return ERR_OK;
}

/* What each output shows `pulse` pulses into a pattern. */
static void pattern(enum board_signal sig, uint64_t pulse, int *led,
                    int *buzz)
{
    if (pulse >= PATTERN_PULSES) {
        *led = *buzz = 0;
    } else if (sig == BOARD_SIGNAL_OK) {
        *led = 1;
        *buzz = pulse == 0;
    } else {
        *led = *buzz = pulse % 2 == 0;
    }
}

static err_code apply(struct board_feedback *f, uint64_t now_ms)
{
    uint64_t pulse = (now_ms - f->start_ms) / f->pulse_ms;
    int led, buzz;
    err_code a, b;

    pattern(f->sig, pulse, &led, &buzz);
    a = put(f->led, f->led_gpio, led, &f->led_on);
    b = put(f->buzzer, f->buzzer_gpio, buzz, &f->buzzer_on);
    if (pulse >= PATTERN_PULSES)
        f->active = false;
    return a != ERR_OK ? a : b;
}

void board_feedback_init(struct board_feedback *f, const char *led,
                         const char *buzzer, unsigned pulse_ms)
{
    memset(f, 0, sizeof *f);
    str_copy(f->led, sizeof f->led, led);
    str_copy(f->buzzer, sizeof f->buzzer, buzzer);
    f->pulse_ms = pulse_ms ? pulse_ms : BOARD_FEEDBACK_PULSE_MS;
    f->led_on = f->buzzer_on = -1;
    put(f->led, NULL, 0, &f->led_on);
    put(f->buzzer, NULL, 0, &f->buzzer_on);
}

static err_code gpio_output(const char *chip, int line, const char *name,
                            struct board_gpio **g, char *path, int *last)
{
    if (line < 0)
        return ERR_OK;
    path[0] = '\0';                     /* the line replaces the file */
    err_code e = board_gpio_open(chip, line, name, g);
    *last = e == ERR_OK ? 0 : -1;       /* requested low */
    return e;
}

err_code board_feedback_use_gpio(struct board_feedback *f, const char *chip,
                                 int led_line, int buzzer_line)
{
    err_code a = gpio_output(chip, led_line, "kiosk-led", &f->led_gpio,
                             f->led, &f->led_on);
    err_code b = gpio_output(chip, buzzer_line, "kiosk-buzzer",
                             &f->buzzer_gpio, f->buzzer, &f->buzzer_on);
    return a != ERR_OK ? a : b;
}

void board_feedback_close(struct board_feedback *f)
{
    if (f->led_gpio)
        board_gpio_set(f->led_gpio, false);
    if (f->buzzer_gpio)
        board_gpio_set(f->buzzer_gpio, false);
    board_gpio_close(f->led_gpio);
    board_gpio_close(f->buzzer_gpio);
    f->led_gpio = f->buzzer_gpio = NULL;
}

bool board_feedback_fitted(const struct board_feedback *f)
{
    return f->led[0] != '\0' || f->buzzer[0] != '\0' || f->led_gpio ||
           f->buzzer_gpio;
}

err_code board_feedback_start(struct board_feedback *f,
                              enum board_signal sig, uint64_t now_ms)
{
    if (!board_feedback_fitted(f))
        return ERR_UNSUPPORTED;
    f->sig = sig;
    f->start_ms = now_ms;
    f->active = true;
    return apply(f, now_ms);
}

void board_feedback_service(struct board_feedback *f, uint64_t now_ms)
{
    if (f->active)
        apply(f, now_ms);
}
