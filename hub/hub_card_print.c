/* hub/hub_card_print.c - cards on paper: a QR code per card as a PNG
 * (libqrencode, libpng) and an HTML sheet to print and cut. Part of the
 * hub_card module. Must not: sign or change any state. */
#include "hub/hub_card.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>
#include <qrencode.h>

#include "base/log.h"
#include "base/xmalloc.h"

#define QUIET 4                         /* modules of white around */
#define QR_VERSION_MAX 10

static void write_rows(png_structp png, const QRcode *qr, int scale,
                       png_bytep row)
{
    int side = (qr->width + 2 * QUIET) * scale;

    for (int y = 0; y < side; y++) {
        int my = y / scale - QUIET;

        for (int x = 0; x < side; x++) {
            int mx = x / scale - QUIET;
            int dark = mx >= 0 && my >= 0 && mx < qr->width &&
                       my < qr->width &&
                       (qr->data[my * qr->width + mx] & 1);
            row[x] = dark ? 0 : 255;
        }
        png_write_row(png, row);
    }
}

/* libpng reports errors by longjmp; everything it touches is set up
 * before the setjmp so nothing leaks when it jumps. */
static err_code write_png(FILE *f, const QRcode *qr, int scale)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL,
                                              NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    int side = (qr->width + 2 * QUIET) * scale;
    png_bytep row;

    if (info == NULL) {
        png_destroy_write_struct(&png, NULL);
        return ERR_IO;
    }
    row = xmalloc((size_t)side);
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(row);
        return ERR_IO;
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)side, (png_uint_32)side, 8,
                 PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    write_rows(png, qr, scale, row);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(row);
    return ERR_OK;
}

/* The code for text, or NULL (logged) when it does not fit. */
static QRcode *encode(const char *text, int scale)
{
    QRcode *qr;

    if (scale < 1 || scale > 32 || strlen(text) > CARD_TEXT_MAX)
        return NULL;
    qr = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
    if (qr == NULL || qr->version > QR_VERSION_MAX) {
        log_error("hub_card: card does not fit a version %d QR code",
                  QR_VERSION_MAX);
        QRcode_free(qr);
        return NULL;
    }
    return qr;
}

err_code hub_card_qr_png_write(const char *text, int scale, FILE *f)
{
    QRcode *qr = encode(text, scale);
    err_code e;

    if (qr == NULL)
        return ERR_INVAL;
    e = write_png(f, qr, scale);
    QRcode_free(qr);
    return e;
}

err_code hub_card_qr_png(const char *text, int scale, const char *path)
{
    QRcode *qr = encode(text, scale);
    FILE *f;
    err_code e;

    if (qr == NULL)
        return ERR_INVAL;
    f = fopen(path, "wb");
    if (f == NULL) {
        log_error("hub_card: cannot write %s: %s", path, strerror(errno));
        QRcode_free(qr);
        return ERR_IO;
    }
    e = write_png(f, qr, scale);
    if (fclose(f) != 0)
        e = ERR_IO;
    QRcode_free(qr);
    if (e != ERR_OK)
        log_error("hub_card: cannot write %s", path);
    return e;
}

static void put_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<':  fputs("&lt;", f); break;
        case '>':  fputs("&gt;", f); break;
        case '&':  fputs("&amp;", f); break;
        case '"':  fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default:   fputc(*s, f);
        }
    }
}

static const char sheet_head[] =
    "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\n"
    "<style>@page{size:A4;margin:10mm}body{font-family:sans-serif}\n"
    ".card{display:inline-block;width:85mm;height:54mm;margin:2mm;"
    "border:1px dashed #888;padding:3mm;box-sizing:border-box;"
    "page-break-inside:avoid;vertical-align:top}\n"
    ".card img{float:right;width:40mm;height:40mm}"
    ".name{font-size:16pt;font-weight:bold}.small{font-size:9pt}</style>\n";

static const char *const kind_label[] = {
    ['M'] = "党员卡 Member card",
    ['R'] = "报到卡 Registration",
    ['T'] = "技术员卡 Technician",
};

static void put_card(FILE *f, const struct hub_card_print *it)
{
    char exp[11];

    card_ymd(it->card->expires_day, exp);
    fputs("<div class=\"card\"><img alt=\"QR\" src=\"", f);
    put_escaped(f, it->png);
    fputs("\"><div class=\"name\">", f);
    put_escaped(f, it->name);
    fputs("</div><div>", f);
    put_escaped(f, it->member_no);
    fprintf(f, "</div><div class=\"small\">%s</div>"
            "<div class=\"small\">有效期至 valid to %s</div>"
            "<div class=\"small\">", kind_label[it->card->kind], exp);
    put_escaped(f, it->card->scope);
    fprintf(f, " &middot; no. %u</div></div>\n", (unsigned)it->card->serial);
}

err_code hub_card_sheet_html(const char *path, const char *title,
                             const struct hub_card_print *items, size_t n)
{
    FILE *f = fopen(path, "w");

    if (f == NULL) {
        log_error("hub_card: cannot write %s: %s", path, strerror(errno));
        return ERR_IO;
    }
    fputs(sheet_head, f);
    fputs("<title>", f);
    put_escaped(f, title);
    fputs("</title></head><body>\n", f);
    for (size_t i = 0; i < n; i++)
        put_card(f, &items[i]);
    fputs("</body></html>\n", f);
    if (fclose(f) != 0) {
        log_error("hub_card: cannot write %s", path);
        return ERR_IO;
    }
    return ERR_OK;
}
