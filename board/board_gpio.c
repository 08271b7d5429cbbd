/* board/board_gpio.c - one output line per struct, each with its own chip
 * handle, so the LED and the buzzer may sit on different chips. */
#include "board/board_gpio.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gpiod.h>

#include "base/log.h"
#include "base/xmalloc.h"

struct board_gpio {
    struct gpiod_chip *chip;
    struct gpiod_line *line;
};

err_code board_gpio_open(const char *chip, int offset, const char *consumer,
                         struct board_gpio **out)
{
    struct board_gpio *g;

    *out = NULL;
    if (chip == NULL || chip[0] == '\0' || offset < 0) {
        log_error("board: GPIO line %d of chip '%s': not configured",
                  offset, chip ? chip : "");
        return ERR_NOTFOUND;
    }
    g = xcalloc(1, sizeof *g);
    g->chip = gpiod_chip_open_lookup(chip);
    if (g->chip == NULL) {
        log_error("board: GPIO chip %s: %s", chip, strerror(errno));
        free(g);
        return ERR_NOTFOUND;
    }
    g->line = gpiod_chip_get_line(g->chip, (unsigned)offset);
    if (g->line == NULL) {
        log_error("board: GPIO chip %s has no line %d", chip, offset);
        board_gpio_close(g);
        return ERR_NOTFOUND;
    }
    if (gpiod_line_request_output(g->line, consumer, 0) != 0) {
        log_error("board: GPIO %s line %d: %s", chip, offset,
                  strerror(errno));
        g->line = NULL;
        board_gpio_close(g);
        return ERR_IO;
    }
    *out = g;
    return ERR_OK;
}

void board_gpio_close(struct board_gpio *g)
{
    if (g == NULL)
        return;
    if (g->line)
        gpiod_line_release(g->line);
    if (g->chip)
        gpiod_chip_close(g->chip);
    free(g);
}

err_code board_gpio_set(struct board_gpio *g, bool on)
{
    return gpiod_line_set_value(g->line, on ? 1 : 0) == 0 ? ERR_OK : ERR_IO;
}

bool board_gpio_is_sysfs(const char *path)
{
    return strncmp(path, "/sys/class/gpio/", 16) == 0 ||
           (strncmp(path, "/sys/devices/", 13) == 0 &&
            strstr(path, "/gpio/") != NULL);
}
