/* board/board_keys.c - the keyboard-wedge decoder. Pure: it sees events,
 * never a device, so tests drive it with made-up timings. Scanners type
 * in a US layout whatever the system's, so the map below is fixed. */
#include "board/board_keys.h"

#include <string.h>

struct keymap { unsigned short code; char plain, shifted; };

static const struct keymap keys[] = {
    { KEY_1, '1', '!' }, { KEY_2, '2', '@' }, { KEY_3, '3', '#' },
    { KEY_4, '4', '$' }, { KEY_5, '5', '%' }, { KEY_6, '6', '^' },
    { KEY_7, '7', '&' }, { KEY_8, '8', '*' }, { KEY_9, '9', '(' },
    { KEY_0, '0', ')' }, { KEY_MINUS, '-', '_' }, { KEY_EQUAL, '=', '+' },
    { KEY_Q, 'q', 'Q' }, { KEY_W, 'w', 'W' }, { KEY_E, 'e', 'E' },
    { KEY_R, 'r', 'R' }, { KEY_T, 't', 'T' }, { KEY_Y, 'y', 'Y' },
    { KEY_U, 'u', 'U' }, { KEY_I, 'i', 'I' }, { KEY_O, 'o', 'O' },
    { KEY_P, 'p', 'P' }, { KEY_LEFTBRACE, '[', '{' },
    { KEY_RIGHTBRACE, ']', '}' }, { KEY_A, 'a', 'A' }, { KEY_S, 's', 'S' },
    { KEY_D, 'd', 'D' }, { KEY_F, 'f', 'F' }, { KEY_G, 'g', 'G' },
    { KEY_H, 'h', 'H' }, { KEY_J, 'j', 'J' }, { KEY_K, 'k', 'K' },
    { KEY_L, 'l', 'L' }, { KEY_SEMICOLON, ';', ':' },
    { KEY_APOSTROPHE, '\'', '"' }, { KEY_GRAVE, '`', '~' },
    { KEY_BACKSLASH, '\\', '|' }, { KEY_Z, 'z', 'Z' }, { KEY_X, 'x', 'X' },
    { KEY_C, 'c', 'C' }, { KEY_V, 'v', 'V' }, { KEY_B, 'b', 'B' },
    { KEY_N, 'n', 'N' }, { KEY_M, 'm', 'M' }, { KEY_COMMA, ',', '<' },
    { KEY_DOT, '.', '>' }, { KEY_SLASH, '/', '?' }, { KEY_SPACE, ' ', ' ' },
    { KEY_KP0, '0', '0' }, { KEY_KP1, '1', '1' }, { KEY_KP2, '2', '2' },
    { KEY_KP3, '3', '3' }, { KEY_KP4, '4', '4' }, { KEY_KP5, '5', '5' },
    { KEY_KP6, '6', '6' }, { KEY_KP7, '7', '7' }, { KEY_KP8, '8', '8' },
    { KEY_KP9, '9', '9' }, { KEY_KPMINUS, '-', '-' },
    { KEY_KPPLUS, '+', '+' }, { KEY_KPDOT, '.', '.' },
    { KEY_KPSLASH, '/', '/' }, { KEY_KPASTERISK, '*', '*' },
};

void board_keys_init(struct board_keys *k, unsigned gap_ms)
{
    memset(k, 0, sizeof *k);
    k->gap_ms = gap_ms;
}

static char key_char(unsigned short code, bool shift)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (keys[i].code == code)
            return shift ? keys[i].shifted : keys[i].plain;
    }
    return '\0';
}

static uint64_t event_us(const struct input_event *ev)
{
    return (uint64_t)ev->input_event_sec * 1000000u +
           (uint64_t)ev->input_event_usec;
}

static void restart(struct board_keys *k)
{
    k->n = 0;
    k->overflow = false;
}

/* Enter ends a burst: hand the line out if it looks like a scan. */
static err_code finish(struct board_keys *k, char *line, size_t cap,
                       size_t *len)
{
    bool good = k->n >= BOARD_KEYS_MIN_LEN && !k->overflow;
    size_t n = k->n < cap - 1 ? k->n : cap - 1;

    restart(k);
    if (!good)
        return ERR_NOTFOUND;
    memcpy(line, k->buf, n);
    line[n] = '\0';
    *len = n;
    return ERR_OK;
}

err_code board_keys_feed(struct board_keys *k, const struct input_event *ev,
                         char *line, size_t cap, size_t *len)
{
    uint64_t t;
    char c;

    if (ev->type != EV_KEY)
        return ERR_NOTFOUND;
    if (ev->code == KEY_LEFTSHIFT || ev->code == KEY_RIGHTSHIFT) {
        k->shift = ev->value != 0;
        return ERR_NOTFOUND;
    }
    if (ev->value != 1)                     /* releases and autorepeat */
        return ERR_NOTFOUND;
    t = event_us(ev);
    if (k->n > 0 && t - k->last_us > (uint64_t)k->gap_ms * 1000u)
        restart(k);                         /* too slow: a person typing */
    k->last_us = t;
    if (ev->code == KEY_ENTER || ev->code == KEY_KPENTER)
        return finish(k, line, cap, len);
    c = key_char(ev->code, k->shift);
    if (c == '\0') {
        restart(k);                         /* not scanner output */
        return ERR_NOTFOUND;
    }
    if (k->n < sizeof k->buf - 1)
        k->buf[k->n++] = c;
    else
        k->overflow = true;
    return ERR_NOTFOUND;
}
