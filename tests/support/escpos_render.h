/* tests/support/escpos_render.h - draws ESC/POS bytes as a thermal
 * printer would, so receipt tests can compare pictures: the subset
 * firmware/receipt.c emits (ESC @, FS & and FS ., ESC a, GS !, ESC d,
 * GS V, GS ( k for a QR code, LF), text decoded from GB18030 back to
 * UTF-8 and drawn with the kiosk's font (SDL2_ttf) on the printer's
 * grid (12-dot ASCII, 24-dot CJK columns, 30-dot lines), the QR code
 * redrawn from its stored payload with libqrencode, a cut as a dashed
 * line. Any other command is an error: a receipt must not hold bytes a
 * printer would read differently. */
#ifndef ESCPOS_RENDER_H
#define ESCPOS_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "base/err.h"

#define ESCPOS_TEXT_MAX 8192

struct escpos_page {
    SDL_Surface *img;              /* ARGB8888, dots wide; caller frees */
    char  text[ESCPOS_TEXT_MAX];   /* every printed line, UTF-8, '\n' ended */
    char  qr[512];                 /* the last QR code's payload */
    int   qr_module, qr_level;     /* its module size in dots, 48 + L/M/Q/H */
    int   widest;                  /* widest printed line, in dots */
    int   cuts;
};

/* Render len bytes for a printer dots wide. ERR_PROTO (msg says where)
 * for a command outside the subset or bytes that do not decode. */
err_code escpos_render(const uint8_t *b, size_t len, int dots,
                       const char *font_path, struct escpos_page *out,
                       char *msg, size_t cap);

#endif
