/* firmware/receipt.c - a receipt as ESC/POS bytes (see receipt.h for
 * the command subset). Wrapping is done here with the printer's own
 * metrics, text goes out in GB18030 through glibc's iconv, and every
 * control character in a field becomes a space so a field cannot inject
 * a command. Builds bytes only: sending them is board_print's. */
#include "firmware/receipt.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xmalloc.h"

#define ESC 0x1b
#define GS  0x1d
#define FS  0x1c
#define LF  0x0a

#define DOTS_PER_COLUMN 12          /* font A: ASCII 12x24, CJK 24x24 */
#define FEED_BEFORE_CUT 4

struct buf {
    uint8_t *p;
    size_t   len, cap;
};

static void put(struct buf *b, const void *src, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 256;
        b->p = xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, src, n);
    b->len += n;
}

static void put_bytes(struct buf *b, int n, ...)
{
    va_list ap;

    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        uint8_t c = (uint8_t)va_arg(ap, int);
        put(b, &c, 1);
    }
    va_end(ap);
}

/* Length in bytes of the UTF-8 sequence starting at s (0: invalid). */
static size_t utf8_len(const unsigned char *s)
{
    size_t n;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        n = 2;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
        n = 3;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
        n = 4;
    else
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    return n;
}

static bool text_ok(const char *s)
{
    size_t n = 0;

    if (s == NULL)
        return true;
    for (const unsigned char *p = (const unsigned char *)s; *p; n++) {
        size_t k = utf8_len(p);
        if (k == 0)
            return false;
        p += k;
    }
    return strlen(s) <= RECEIPT_TEXT_MAX;
}

size_t receipt_columns(const char *utf8)
{
    size_t cols = 0;

    for (const unsigned char *p = (const unsigned char *)utf8; *p;) {
        size_t k = utf8_len(p);
        if (k == 0)
            k = 1;
        cols += k == 1 ? 1 : 2;
        p += k;
    }
    return cols;
}

int receipt_dots(const char *paper_mm)
{
    if (strcmp(paper_mm, "58") == 0)
        return RECEIPT_DOTS_58MM;
    if (strcmp(paper_mm, "80") == 0)
        return RECEIPT_DOTS_80MM;
    return 0;
}

/* UTF-8 (already checked) to GB18030, control characters as spaces. */
static void put_text(struct buf *b, iconv_t cd, const char *s, size_t n)
{
    char tmp[RECEIPT_TEXT_MAX + 1];
    char out[RECEIPT_TEXT_MAX * 2 + 8];
    char *in = tmp, *o = out;
    size_t il = n, ol = sizeof out;

    memcpy(tmp, s, n);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)tmp[i] < 0x20 || tmp[i] == 0x7f)
            tmp[i] = ' ';
    iconv(cd, NULL, NULL, NULL, NULL);
    while (il > 0 && iconv(cd, &in, &il, &o, &ol) == (size_t)-1) {
        if (errno != EILSEQ && errno != EINVAL)
            break;
        /* GB18030 covers all of Unicode: only a broken sequence gets
         * here, and text_ok refused those. Print a '?' and go on. */
        size_t k = utf8_len((const unsigned char *)in);
        k = k ? k : 1;
        in += k;
        il -= k < il ? k : il;
        if (ol > 0) {
            *o++ = '?';
            ol--;
        }
    }
    put(b, out, (size_t)(o - out));
}

/* Next token of a line: one non-ASCII character, a run of ASCII that is
 * not a space (a word or number, never split when it fits a line), or
 * one space. Returns its byte length and its columns. */
static size_t token(const char *s, size_t *cols)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;

    if (p[0] >= 0x80) {
        n = utf8_len(p);
        *cols = 2;
        return n ? n : 1;
    }
    if (p[0] == ' ' || p[0] == '\n') {
        *cols = 1;
        return 1;
    }
    while (p[n] && p[n] < 0x80 && p[n] != ' ' && p[n] != '\n')
        n++;
    *cols = n;
    return n;
}

/* Closing punctuation that must not start a line (as on the screen,
 * ui/text.c): the character before it goes down with it. */
static bool closing(const char *s)
{
    static const char *const marks[] = {
        "，", "。", "、", "：", "；", "！", "？", "）", "》", "…", "”",
        ",", ".", ":", ";", "!", "?", ")",
    };
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        if (strncmp(s, marks[i], strlen(marks[i])) == 0)
            return true;
    return false;
}

/* One line from s within width columns: returns where its text ends
 * (trailing spaces left out); *next is where the next line starts. */
static const char *fit(const char *s, size_t width, const char **next)
{
    const char *line = s, *end = s, *last = NULL;
    size_t used = 0, cols, n;

    while (*s && *s != '\n') {
        n = token(s, &cols);
        if (used + cols > width && used == 0) {
            n = width;                  /* a word longer than a line */
            cols = width;
        } else if (used + cols > width) {
            if (closing(s) && last && last > line && *last != ' ') {
                s = end = last;
                while (end > line && end[-1] == ' ')
                    end--;
            }
            break;
        }
        last = s;
        s += n;
        used += cols;
        if (*(s - 1) != ' ')
            end = s;
    }
    *next = s;
    return end;
}

/* Write s wrapped to width columns, each line ended by LF and started
 * by indent spaces (counted in width). */
static void put_wrapped_in(struct buf *b, iconv_t cd, const char *s,
                           size_t width, size_t indent)
{
    static const char spaces[] = "        ";

    if (indent >= width || indent >= sizeof spaces)
        indent = 0;
    width -= indent;
    while (*s) {
        const char *end, *next;

        while (*s == ' ')               /* no leading spaces */
            s++;
        end = fit(s, width, &next);
        if (end > s) {
            put(b, spaces, indent);
            put_text(b, cd, s, (size_t)(end - s));
        }
        put_bytes(b, 1, LF);
        s = next + (*next == '\n');
    }
}

static void put_wrapped(struct buf *b, iconv_t cd, const char *s,
                        size_t width)
{
    put_wrapped_in(b, cd, s, width, 0);
}

static bool has(const char *s) { return s && s[0]; }

/* GS ! n: width and height multipliers (1 or 2). */
static void size(struct buf *b, int mul)
{
    put_bytes(b, 3, GS, '!', mul == 2 ? 0x11 : 0x00);
}

static void align(struct buf *b, int how)      /* 0 left, 1 centre */
{
    put_bytes(b, 3, ESC, 'a', how);
}

static void rule(struct buf *b, size_t cols)
{
    char line[RECEIPT_DOTS_80MM / DOTS_PER_COLUMN + 1];

    memset(line, '-', cols);
    put(b, line, cols);
    put_bytes(b, 1, LF);
}

/* Label and value: on one line, the value right-aligned, when both fit;
 * else the label, then the value wrapped and indented under it. */
static void put_line(struct buf *b, iconv_t cd, const struct receipt_line *l,
                     size_t cols)
{
    const char *label = l->label ? l->label : "";
    const char *value = l->value ? l->value : "";
    size_t lc = receipt_columns(label), vc = receipt_columns(value);

    if (lc + vc + 2 <= cols) {
        char pad[RECEIPT_DOTS_80MM / DOTS_PER_COLUMN + 1];
        size_t np = cols - lc - vc;
        put_text(b, cd, label, strlen(label));
        memset(pad, ' ', np);
        put(b, pad, np);
        put_text(b, cd, value, strlen(value));
        put_bytes(b, 1, LF);
        return;
    }
    put_wrapped(b, cd, label, cols);
    put_wrapped_in(b, cd, value, cols, 2);
}

/* GS ( k: model 2, module size, error level M, store, print. */
static void put_qr(struct buf *b, const char *data, int dots)
{
    size_t n = strlen(data) + 3;
    int module = dots >= RECEIPT_DOTS_80MM ? 8 : 6;

    put_bytes(b, 9, GS, '(', 'k', 4, 0, 49, 65, 50, 0);
    put_bytes(b, 8, GS, '(', 'k', 3, 0, 49, 67, module);
    put_bytes(b, 8, GS, '(', 'k', 3, 0, 49, 69, 49);
    put_bytes(b, 8, GS, '(', 'k', (int)(n & 0xff), (int)(n >> 8), 49, 80,
              48);
    put(b, data, strlen(data));
    put_bytes(b, 8, GS, '(', 'k', 3, 0, 49, 81, 48);
    put_bytes(b, 1, LF);
}

static err_code check(const struct receipt *r, int dots)
{
    const char *texts[] = { r->station, r->title, r->ticket, r->when,
                            r->next, r->footer };

    if (dots != RECEIPT_DOTS_58MM && dots != RECEIPT_DOTS_80MM)
        return ERR_INVAL;
    if (r->n_lines > RECEIPT_MAX_LINES || (r->n_lines && !r->lines))
        return ERR_INVAL;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (!text_ok(texts[i]))
            return ERR_INVAL;
    for (size_t i = 0; i < r->n_lines; i++)
        if (!text_ok(r->lines[i].label) || !text_ok(r->lines[i].value))
            return ERR_INVAL;
    if (r->qr && (strlen(r->qr) > RECEIPT_QR_MAX || !text_ok(r->qr)))
        return ERR_INVAL;
    return ERR_OK;
}

static void put_head(struct buf *b, iconv_t cd, const struct receipt *r,
                     size_t cols)
{
    align(b, 1);
    if (has(r->station))
        put_wrapped(b, cd, r->station, cols);
    if (has(r->title)) {
        size(b, 2);
        put_wrapped(b, cd, r->title, cols / 2);
        size(b, 1);
    }
    if (has(r->ticket)) {
        size(b, 2);
        put_wrapped(b, cd, r->ticket, cols / 2);
        size(b, 1);
    }
    if (has(r->when))
        put_wrapped(b, cd, r->when, cols);
}

err_code receipt_escpos(const struct receipt *r, int dots, uint8_t **out,
                        size_t *len)
{
    size_t cols = (size_t)dots / DOTS_PER_COLUMN;
    struct buf b = { 0 };
    iconv_t cd;
    err_code e;

    *out = NULL;
    *len = 0;
    e = check(r, dots);
    if (e != ERR_OK)
        return e;
    cd = iconv_open("GB18030", "UTF-8");
    if (cd == (iconv_t)-1) {
        log_error("receipt: iconv has no GB18030: %s", strerror(errno));
        return ERR_UNSUPPORTED;
    }
    put_bytes(&b, 2, ESC, '@');
    put_bytes(&b, 2, FS, '&');
    put_head(&b, cd, r, cols);
    align(&b, 0);
    rule(&b, cols);
    for (size_t i = 0; i < r->n_lines; i++)
        put_line(&b, cd, &r->lines[i], cols);
    if (r->n_lines)
        rule(&b, cols);
    align(&b, 1);
    if (has(r->qr))
        put_qr(&b, r->qr, dots);
    align(&b, 0);
    if (has(r->next))
        put_wrapped(&b, cd, r->next, cols);
    align(&b, 1);
    if (has(r->footer))
        put_wrapped(&b, cd, r->footer, cols);
    put_bytes(&b, 3, ESC, 'd', FEED_BEFORE_CUT);
    put_bytes(&b, 4, GS, 'V', 66, 0);
    iconv_close(cd);
    *out = b.p;
    *len = b.len;
    return ERR_OK;
}
