/* tests/support/escpos_render.c - ESC/POS to pixels (escpos_render.h).
 * A two-pass-free renderer: it draws onto a tall page and crops it at
 * the end. Written against the Epson ESC/POS reference for the commands
 * receipt.c uses; what it does not know it refuses. */
#include "tests/support/escpos_render.h"

#include <iconv.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <SDL_ttf.h>
#include <qrencode.h>

#define PAGE_MAX_H  12000
#define COL_DOTS    12
#define LINE_DOTS   30
#define CHAR_DOTS   24

struct r {
    SDL_Surface *img;
    TTF_Font    *font;
    iconv_t      cd;
    int          dots, y, align, wmul, hmul;
    bool         chinese;
    uint8_t      line[1024];
    size_t       n;
    struct escpos_page *out;
    char         qr[512];
    int          qr_module, qr_level;
};

static void fill(struct r *r, int x, int y, int w, int h)
{
    SDL_Rect rc = { x, y, w, h };

    SDL_FillRect(r->img, &rc, SDL_MapRGB(r->img->format, 0, 0, 0));
}

/* One glyph centred in its cell, scaled to the cell's height. */
static void glyph(struct r *r, const char *utf8, int x, int cell_w)
{
    SDL_Color black = { 0, 0, 0, 255 };
    int px = CHAR_DOTS * r->hmul * 9 / 10;
    SDL_Surface *g;

    TTF_SetFontSize(r->font, px);
    g = TTF_RenderUTF8_Blended(r->font, utf8, black);
    if (g == NULL)
        return;
    /* A glyph wider than its cell is narrowed, as a printer's font is. */
    SDL_Rect dst = { x + (cell_w - g->w) / 2,
                     r->y + (CHAR_DOTS * r->hmul - g->h) / 2, g->w, g->h };
    if (g->w > cell_w) {
        dst.x = x;
        dst.w = cell_w;
        SDL_BlitScaled(g, NULL, r->img, &dst);
    } else {
        SDL_BlitSurface(g, NULL, r->img, &dst);
    }
    SDL_FreeSurface(g);
}

static err_code decode(struct r *r, char *out, size_t cap)
{
    char *in = (char *)r->line, *o = out;
    size_t il = r->n, ol = cap - 1;

    if (!r->chinese) {                 /* only ASCII outside FS & */
        for (size_t i = 0; i < r->n; i++)
            if (r->line[i] >= 0x80)
                return ERR_PROTO;
        memcpy(out, r->line, r->n);
        out[r->n] = '\0';
        return ERR_OK;
    }
    iconv(r->cd, NULL, NULL, NULL, NULL);
    if (iconv(r->cd, &in, &il, &o, &ol) == (size_t)-1)
        return ERR_PROTO;
    *o = '\0';
    return ERR_OK;
}

static size_t u8len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/* LF: print the line buffer on the grid, aligned; advance. */
static err_code print_line(struct r *r)
{
    char text[4096];
    int width = 0, x;

    if (decode(r, text, sizeof text) != ERR_OK)
        return ERR_PROTO;
    for (const char *p = text; *p; p += u8len((unsigned char)*p))
        width += (*p & 0x80 ? 2 : 1) * COL_DOTS * r->wmul;
    x = r->align == 1 ? (r->dots - width) / 2
      : r->align == 2 ? r->dots - width : 0;
    if (width > r->out->widest)
        r->out->widest = width;
    for (const char *p = text; *p;) {
        size_t k = u8len((unsigned char)*p);
        int w = (k > 1 ? 2 : 1) * COL_DOTS * r->wmul;
        char one[5] = { 0 };
        memcpy(one, p, k);
        if (one[0] != ' ')
            glyph(r, one, x, w);
        x += w;
        p += k;
    }
    strncat(r->out->text, text, ESCPOS_TEXT_MAX - strlen(r->out->text) - 2);
    strcat(r->out->text, "\n");
    r->y += (CHAR_DOTS * r->hmul) + (LINE_DOTS - CHAR_DOTS);
    r->n = 0;
    return ERR_OK;
}

static void print_qr(struct r *r)
{
    static const QRecLevel levels[4] = { QR_ECLEVEL_L, QR_ECLEVEL_M,
                                         QR_ECLEVEL_Q, QR_ECLEVEL_H };
    QRcode *q = QRcode_encodeString8bit(r->qr, 0,
                                        levels[(r->qr_level - 48) & 3]);
    int m = r->qr_module, side, x0;

    if (q == NULL)
        return;
    side = q->width * m;
    x0 = r->align == 1 ? (r->dots - side) / 2
       : r->align == 2 ? r->dots - side : 0;
    for (int y = 0; y < q->width; y++)
        for (int x = 0; x < q->width; x++)
            if (q->data[y * q->width + x] & 1)
                fill(r, x0 + x * m, r->y + y * m, m, m);
    r->y += side;
    QRcode_free(q);
    snprintf(r->out->qr, sizeof r->out->qr, "%s", r->qr);
    r->out->qr_module = m;
    r->out->qr_level = r->qr_level;
}

static void cut(struct r *r)
{
    r->y += 8;
    for (int x = 0; x < r->dots; x += 16)
        fill(r, x, r->y, 8, 2);
    r->y += 10;
    r->out->cuts++;
}

/* GS ( k pL pH cn fn [m] [data]: the QR functions of cn 49. */
static size_t gs_k(struct r *r, const uint8_t *b, size_t left,
                   char *msg, size_t cap)
{
    size_t n;

    if (left < 5)
        goto bad;
    n = b[0] | (size_t)b[1] << 8;
    if (left < 2 + n || n < 2 || b[2] != 49)
        goto bad;
    switch (b[3]) {
    case 65: break;                               /* model */
    case 67: r->qr_module = b[4]; break;          /* module size */
    case 69: r->qr_level = b[4]; break;           /* error level */
    case 80:                                      /* store */
        if (n - 3 >= sizeof r->qr)
            goto bad;
        memcpy(r->qr, b + 5, n - 3);
        r->qr[n - 3] = '\0';
        break;
    case 81: print_qr(r); break;                  /* print */
    default: goto bad;
    }
    return 2 + n;
bad:
    snprintf(msg, cap, "bad GS ( k");
    return 0;
}

/* One command at b (its first byte is ESC, FS or GS); bytes used, 0 if
 * it is not in the subset. */
static size_t command(struct r *r, const uint8_t *b, size_t left,
                      char *msg, size_t cap)
{
    if (left >= 2 && b[0] == 0x1b && b[1] == '@') {
        r->align = 0;
        r->wmul = r->hmul = 1;
        r->chinese = false;
        return 2;
    }
    if (left >= 2 && b[0] == 0x1c && (b[1] == '&' || b[1] == '.')) {
        r->chinese = b[1] == '&';
        return 2;
    }
    if (left >= 3 && b[0] == 0x1b && b[1] == 'a' && b[2] <= 2) {
        r->align = b[2];
        return 3;
    }
    if (left >= 3 && b[0] == 0x1d && b[1] == '!') {
        r->wmul = ((b[2] >> 4) & 7) + 1;
        r->hmul = (b[2] & 7) + 1;
        return 3;
    }
    if (left >= 3 && b[0] == 0x1b && b[1] == 'd') {
        r->y += b[2] * LINE_DOTS;
        return 3;
    }
    if (left >= 4 && b[0] == 0x1d && b[1] == 'V' && (b[2] == 65 ||
                                                    b[2] == 66)) {
        r->y += b[3] * LINE_DOTS / 8;
        cut(r);
        return 4;
    }
    if (left >= 3 && b[0] == 0x1d && b[1] == '(' && b[2] == 'k') {
        size_t n = gs_k(r, b + 3, left - 3, msg, cap);
        return n ? 3 + n : 0;
    }
    snprintf(msg, cap, "unknown command %02x %02x", b[0],
             left > 1 ? b[1] : 0);
    return 0;
}

static err_code run(struct r *r, const uint8_t *b, size_t len, char *msg,
                    size_t cap)
{
    for (size_t i = 0; i < len;) {
        if (b[i] == 0x0a) {
            if (print_line(r) != ERR_OK) {
                snprintf(msg, cap, "text at byte %zu does not decode", i);
                return ERR_PROTO;
            }
            i++;
        } else if (b[i] == 0x1b || b[i] == 0x1c || b[i] == 0x1d) {
            if (r->n) {
                snprintf(msg, cap, "command inside a line at byte %zu", i);
                return ERR_PROTO;
            }
            size_t k = command(r, b + i, len - i, msg, cap);
            if (k == 0)
                return ERR_PROTO;
            i += k;
        } else if (b[i] < 0x20) {
            snprintf(msg, cap, "control byte %02x at %zu", b[i], i);
            return ERR_PROTO;
        } else if (r->n < sizeof r->line) {
            r->line[r->n++] = b[i++];
        } else {
            snprintf(msg, cap, "line too long at byte %zu", i);
            return ERR_PROTO;
        }
        if (r->y > PAGE_MAX_H - 600) {
            snprintf(msg, cap, "receipt longer than %d dots", PAGE_MAX_H);
            return ERR_PROTO;
        }
    }
    return ERR_OK;
}

err_code escpos_render(const uint8_t *b, size_t len, int dots,
                       const char *font_path, struct escpos_page *out,
                       char *msg, size_t cap)
{
    struct r r = { .dots = dots, .wmul = 1, .hmul = 1, .out = out,
                   .qr_module = 3, .qr_level = 48 };
    err_code e = ERR_IO;

    memset(out, 0, sizeof *out);
    snprintf(msg, cap, "ok");
    if (!TTF_WasInit() && TTF_Init() != 0)
        return ERR_IO;
    r.font = TTF_OpenFont(font_path, CHAR_DOTS);
    r.cd = iconv_open("UTF-8", "GB18030");
    r.img = SDL_CreateRGBSurfaceWithFormat(0, dots, PAGE_MAX_H, 32,
                                           SDL_PIXELFORMAT_ARGB8888);
    if (r.font && r.cd != (iconv_t)-1 && r.img) {
        SDL_FillRect(r.img, NULL, SDL_MapRGB(r.img->format, 255, 255, 255));
        e = run(&r, b, len, msg, cap);
    }
    if (e == ERR_OK) {
        SDL_Rect keep = { 0, 0, dots, r.y + 8 };
        SDL_SetSurfaceBlendMode(r.img, SDL_BLENDMODE_NONE);
        out->img = SDL_CreateRGBSurfaceWithFormat(0, dots, keep.h, 32,
                                                  SDL_PIXELFORMAT_ARGB8888);
        SDL_BlitSurface(r.img, &keep, out->img, NULL);
    }
    if (r.cd != (iconv_t)-1)
        iconv_close(r.cd);
    if (r.font)
        TTF_CloseFont(r.font);
    SDL_FreeSurface(r.img);
    return e;
}
