/* hub/hub_xlsx.c - report tables as XLSX through libxlsxwriter (the only
 * file that calls it: scripts/check-layers.sh). */
#include "hub/hub_xlsx.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xlsxwriter.h>

#define DAY_MS   (24LL * 3600 * 1000)
#define TOP_ROWS 3              /* title, scope, header */
#define WIDTH_MIN 6
#define WIDTH_MAX 60

/* Cell formats: [0] for a row, [1] for the total row (bold, a line
 * above). */
struct formats {
    lxw_format *title, *scope, *header;
    lxw_format *text[2], *integer[2], *date[2];
    lxw_format *decimal[2][4], *percent[2][4];
};

static lxw_format *cell_format(lxw_workbook *wb, const char *num, int total)
{
    lxw_format *f = workbook_add_format(wb);
    if (num)
        format_set_num_format(f, num);
    if (total) {
        format_set_bold(f);
        format_set_top(f, LXW_BORDER_THIN);
    }
    return f;
}

static lxw_format *number_format(lxw_workbook *wb, const char *base,
                                 int decimals, const char *suffix, int total)
{
    char fmt[32];
    snprintf(fmt, sizeof fmt, "%s%s%.*s%s", base, decimals ? "." : "",
             decimals, "0000", suffix);
    return cell_format(wb, fmt, total);
}

static void formats_make(lxw_workbook *wb, struct formats *f)
{
    f->title = workbook_add_format(wb);
    format_set_bold(f->title);
    format_set_font_size(f->title, 14);
    f->scope = workbook_add_format(wb);
    format_set_font_color(f->scope, 0x595959);
    f->header = workbook_add_format(wb);
    format_set_bold(f->header);
    format_set_bg_color(f->header, 0xD9E1F2);
    format_set_bottom(f->header, LXW_BORDER_THIN);
    format_set_align(f->header, LXW_ALIGN_CENTER);
    format_set_align(f->header, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(f->header);
    for (int t = 0; t < 2; t++) {
        f->text[t] = t ? cell_format(wb, NULL, t) : NULL;
        f->integer[t] = cell_format(wb, "#,##0", t);
        f->date[t] = cell_format(wb, "yyyy-mm-dd", t);
        for (int d = 0; d < 4; d++) {
            f->decimal[t][d] = number_format(wb, "#,##0", d, "", t);
            f->percent[t][d] = number_format(wb, "0", d, "%", t);
        }
    }
}

/* How wide text looks, in character widths: a wide character (CJK,
 * full-width punctuation) as two, anything else as one. */
static double text_width(const char *s)
{
    double w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) == 0x80)
            continue;             /* a continuation byte */
        w += *p >= 0xE1 ? 2.0 : 1.0;   /* U+1000 and up: wide enough */
    }
    return w;
}

static double cell_width(const struct hub_col *col, const struct hub_cell *v)
{
    char buf[64];
    if (!v->set)
        return 0;
    switch (col->kind) {
    case HUB_COL_TEXT:
        return text_width(v->s);
    case HUB_COL_INT:
        /* digits and thousands separators */
        return (double)snprintf(buf, sizeof buf, "%lld", (long long)v->i) *
               4.0 / 3.0;
    case HUB_COL_DECIMAL:
        return (double)snprintf(buf, sizeof buf, "%.*f", col->decimals,
                                v->d) * 4.0 / 3.0;
    case HUB_COL_PERCENT:
        return (double)snprintf(buf, sizeof buf, "%.*f%%", col->decimals,
                                v->d * 100);
    case HUB_COL_DATE:
        return 10;
    }
    return 0;
}

static lxw_datetime day_of(int64_t day)
{
    time_t t = (time_t)(day * (DAY_MS / 1000));
    struct tm tm;
    gmtime_r(&t, &tm);
    lxw_datetime d = { tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, 0, 0,
                       0 };
    return d;
}

/* Keep the first error of a sheet's writes (they go on after one). */
static lxw_error keep(lxw_error *worst, lxw_error e)
{
    if (e != LXW_NO_ERROR && *worst == LXW_NO_ERROR)
        *worst = e;
    return e;
}

static lxw_error sheet(lxw_workbook *wb, const struct formats *f,
                       const struct hub_table *t)
{
    lxw_error err = LXW_NO_ERROR;
    lxw_worksheet *ws = workbook_add_worksheet(wb, t->sheet);
    if (!ws)
        return LXW_ERROR_SHEETNAME_ALREADY_USED;
    keep(&err, worksheet_write_string(ws, 0, 0, t->title, f->title));
    keep(&err, worksheet_write_string(ws, 1, 0, t->scope, f->scope));
    for (int c = 0; c < t->ncols; c++) {
        const struct hub_col *col = &t->cols[c];
        double w = text_width(hub_table_label(t, c));
        keep(&err, worksheet_write_string(ws, 2, (lxw_col_t)c,
                                          hub_table_label(t, c), f->header));
        for (size_t r = 0; r < t->nrows; r++) {
            const struct hub_cell *v = hub_table_cell(t, r, c);
            lxw_row_t row = (lxw_row_t)(r + TOP_ROWS);
            int d = col->decimals < 0 ? 0 : col->decimals > 3 ? 3
                                                             : col->decimals;
            double cw = cell_width(col, v);
            int k = t->total && r == t->nrows - 1;
            if (cw > w)
                w = cw;
            if (!v->set && k)     /* the total's line runs across */
                keep(&err, worksheet_write_blank(ws, row, (lxw_col_t)c,
                                                 f->text[1]));
            if (!v->set)
                continue;
            switch (col->kind) {
            case HUB_COL_TEXT:
                /* A string cell, whatever it starts with. */
                keep(&err, worksheet_write_string(ws, row, (lxw_col_t)c,
                                                  v->s, f->text[k]));
                break;
            case HUB_COL_INT:
                keep(&err, worksheet_write_number(ws, row, (lxw_col_t)c,
                                                  (double)v->i, f->integer[k]));
                break;
            case HUB_COL_DECIMAL:
                keep(&err, worksheet_write_number(ws, row, (lxw_col_t)c,
                                                  v->d, f->decimal[k][d]));
                break;
            case HUB_COL_PERCENT:
                keep(&err, worksheet_write_number(ws, row, (lxw_col_t)c,
                                                  v->d, f->percent[k][d]));
                break;
            case HUB_COL_DATE: {
                lxw_datetime dt = day_of(v->i);
                keep(&err, worksheet_write_datetime(ws, row, (lxw_col_t)c,
                                                    &dt, f->date[k]));
                break;
            }
            }
        }
        w += 2;                   /* the filter button and some air */
        keep(&err, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
                                        w < WIDTH_MIN ? WIDTH_MIN
                                        : w > WIDTH_MAX ? WIDTH_MAX : w,
                                        NULL));
    }
    /* Title and scope stay one line each, over the columns they need. */
    keep(&err, worksheet_set_row(ws, 0, 22, NULL));
    /* Scrolling keeps title, scope and header in view; printing repeats
     * them on every page, landscape, as wide as one page. */
    worksheet_freeze_panes(ws, TOP_ROWS, 0);
    if (t->ncols > 0)
        keep(&err, worksheet_autofilter(ws, TOP_ROWS - 1, 0,
                                        (lxw_row_t)(TOP_ROWS - 1 + t->nrows),
                                        (lxw_col_t)(t->ncols - 1)));
    keep(&err, worksheet_repeat_rows(ws, 0, TOP_ROWS - 1));
    worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    return err;
}

err_code hub_xlsx_write(const char *path, const struct hub_book *b,
                        char *msg, size_t cap)
{
    char tmp[1024];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        snprintf(msg, cap, "%s: name too long", path);
        return ERR_INVAL;
    }
    lxw_workbook *wb = workbook_new(tmp);
    if (!wb) {
        snprintf(msg, cap, "%s: cannot create", tmp);
        return ERR_IO;
    }
    struct formats f;
    formats_make(wb, &f);
    lxw_doc_properties props = { 0 };
    char title[HUB_TABLE_TEXT] = "";
    if (b->n > 0)
        snprintf(title, sizeof title, "%s", b->t[0]->title);
    props.title = title;
    props.author = (char *)"kiosk hub";
    workbook_set_properties(wb, &props);
    lxw_error err = LXW_NO_ERROR;
    for (int i = 0; i < b->n && err == LXW_NO_ERROR; i++)
        err = sheet(wb, &f, b->t[i]);
    lxw_error closed = workbook_close(wb);   /* writes the file */
    if (err == LXW_NO_ERROR)
        err = closed;
    if (err == LXW_NO_ERROR && rename(tmp, path) != 0) {
        snprintf(msg, cap, "%s: cannot write", path);
        unlink(tmp);
        return ERR_IO;
    }
    if (err != LXW_NO_ERROR) {
        snprintf(msg, cap, "%s: %s", path, lxw_strerror(err));
        unlink(tmp);
        return ERR_IO;
    }
    return ERR_OK;
}
