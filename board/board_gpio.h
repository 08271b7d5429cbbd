/* board/board_gpio.h - output lines through the kernel's GPIO character
 * device (Debian's libgpiod, v1 API): the scan LED and buzzer wired to
 * header pins. sysfs GPIO (/sys/class/gpio) is deprecated and its numbers
 * change between kernels (Raspberry Pi OS renumbered them), so lines are
 * named by chip and offset, as `gpioinfo` lists them. */
#ifndef BOARD_GPIO_H
#define BOARD_GPIO_H

#include <stdbool.h>

#include "base/err.h"

struct board_gpio;

/* Request line `offset` of chip (a name like "gpiochip0", a path, a label
 * or a number, as gpiod_chip_open_lookup takes it) as an output, driven
 * low. ERR_NOTFOUND: no such chip or line; ERR_IO: the line is busy or
 * the request failed. Each is logged with the chip and line. */
err_code board_gpio_open(const char *chip, int offset, const char *consumer,
                         struct board_gpio **out);
void     board_gpio_close(struct board_gpio *g);       /* NULL is a no-op */
err_code board_gpio_set(struct board_gpio *g, bool on);

/* Whether path is a sysfs GPIO file: refused, use the chip and lines. */
bool     board_gpio_is_sysfs(const char *path);

#endif
