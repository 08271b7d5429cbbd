/* firmware/receipt.h - a printed receipt described as data, and its
 * encoding as ESC/POS bytes for the 58 mm and 80 mm thermal printers
 * fitted to Chinese self-service terminals (board_print sends them).
 *
 * What the bytes use, so any such printer (and the test renderer,
 * tests/support/escpos_render.c) understands them: ESC @ (reset), FS &
 * (Chinese mode: text in GB18030), ESC a (alignment), GS ! (character
 * size), GS ( k (QR code: model 2, module size, error level M, store,
 * print), ESC d (feed) and GS V 66 (feed and cut). Font A: an ASCII
 * character is 12 dots wide, a Chinese one 24, so a 384-dot line holds
 * 32 columns and a CJK character takes two. Lines are wrapped here, not
 * by the printer, so a word or a number is never cut in two and the
 * printer never wraps mid-character.
 *
 * A screen prints one like this (the ticket stays valid without it):
 *
 *     struct receipt_line l[] = { { app_s(a, "ticket.type"), type } };
 *     struct receipt r = { .station = a->cfg.station_name, .title = ...,
 *                          .ticket = no, .when = when, .lines = l,
 *                          .n_lines = 1, .qr = no, .next = ... };
 *     uint8_t *bytes;
 *     size_t len;
 *     err_code e = receipt_escpos(&r, receipt_dots(a->cfg.printer_paper),
 *                                 &bytes, &len);
 *     if (e == ERR_OK && a->board)
 *         e = board_print(a->board, bytes, len);
 *     free(bytes);
 *     ERR_UNSUPPORTED or ERR_IO: tell the resident to note the number. */
#ifndef RECEIPT_H
#define RECEIPT_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define RECEIPT_DOTS_58MM 384
#define RECEIPT_DOTS_80MM 576
#define RECEIPT_MAX_LINES 16        /* label/value lines at most */
#define RECEIPT_TEXT_MAX  1024      /* bytes of one field, UTF-8 */
#define RECEIPT_QR_MAX    256       /* bytes of the QR payload */

struct receipt_line {
    const char *label;              /* "类型", "Type" */
    const char *value;              /* "设施维修" */
};

/* Every text is UTF-8; NULL or "" leaves that part out. Control
 * characters in a text are printed as spaces: a field can never carry
 * a printer command. */
struct receipt {
    const char *station;            /* centred, at the top */
    const char *title;              /* centred, double size */
    const char *ticket;             /* centred, double size: "HQ01-0042" */
    const char *when;               /* centred: "2026-11-23 09:30" */
    const struct receipt_line *lines;
    size_t      n_lines;            /* at most RECEIPT_MAX_LINES */
    const char *qr;                 /* the QR code's payload (the ticket) */
    const char *next;               /* "what happens next", a paragraph */
    const char *footer;             /* centred, at the bottom */
};

/* Printer width in dots for paper "58" or "80" (mm), as config names
 * it (board.printer_paper); 0 for anything else. */
int receipt_dots(const char *paper_mm);

/* Encode r for a printer dots wide (RECEIPT_DOTS_58MM or _80MM) into a
 * new buffer *out of *len bytes; the caller frees it. ERR_INVAL: another
 * width, too many lines, a field over RECEIPT_TEXT_MAX or not UTF-8, a
 * QR payload over RECEIPT_QR_MAX. */
err_code receipt_escpos(const struct receipt *r, int dots, uint8_t **out,
                        size_t *len);

/* Columns a UTF-8 text takes on the printer at normal size (ASCII 1,
 * everything else 2), for callers laying out their own values. */
size_t receipt_columns(const char *utf8);

#endif
