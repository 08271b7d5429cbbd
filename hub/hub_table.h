/* hub/hub_table.h - a report as a table: a title, named columns of a
 * kind (text, whole number, decimal, percentage, date) and rows of cells,
 * with two writers: CSV here (base/csv.h: text quoted and neutralised,
 * numbers bare) and XLSX in hub/hub_xlsx.h. The reports of hub/hub_stats.h
 * build them; hubctl and the web console write them, so both give the
 * same figures. Any row source can become a table (docs/hub.md, "Reports
 * as tables"). */
#ifndef HUB_TABLE_H
#define HUB_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/err.h"

/* The language of titles and column labels in the XLSX (and of the
 * table's title line). CSV headers are always the machine names. */
enum hub_lang { HUB_LANG_ZH, HUB_LANG_EN };
/* "zh", "zh_CN", "zh-CN" or "en"; ERR_INVAL otherwise. */
err_code hub_lang_parse(const char *s, enum hub_lang *out);

enum hub_col_kind {
    HUB_COL_TEXT,
    HUB_COL_INT,
    HUB_COL_DECIMAL,   /* `decimals` places */
    HUB_COL_PERCENT,   /* a fraction (0.5 = 50 %), shown with `decimals` */
    HUB_COL_DATE,      /* a local day (days since 1970-01-01) */
};

struct hub_col {
    const char       *key;     /* machine name: the CSV header */
    const char       *zh, *en; /* labels in the XLSX */
    enum hub_col_kind kind;
    int               decimals;
};

/* A cell; `set` false is an empty cell (no value: a rate of nothing). */
struct hub_cell {
    bool    set;
    int64_t i;         /* INT, DATE */
    double  d;         /* DECIMAL, PERCENT */
    char   *s;         /* TEXT (owned) */
};

#define HUB_TABLE_TEXT 256

struct hub_table {
    enum hub_lang         lang;
    char                  title[HUB_TABLE_TEXT];  /* 签到统计（按站点） */
    char                  sheet[64];              /* sheet name, <= 31 chars */
    char                  scope[HUB_TABLE_TEXT];  /* period and stations */
    const struct hub_col *cols;
    int                   ncols;
    struct hub_cell      *cells;                  /* nrows * ncols */
    size_t                nrows, cap;
    bool                  total;   /* the last row sums the others (bold) */
};

/* A table with these columns (kept by pointer: static tables). */
struct hub_table *hub_table_new(enum hub_lang lang, const char *title,
                                const char *sheet,
                                const struct hub_col *cols, int ncols);
void hub_table_free(struct hub_table *t);                 /* NULL: no-op */
/* Start a row, every cell empty; the setters below fill the last row. */
void hub_table_row(struct hub_table *t);
void hub_table_text(struct hub_table *t, int col, const char *s);
void hub_table_int(struct hub_table *t, int col, int64_t v);
/* DECIMAL or PERCENT. */
void hub_table_num(struct hub_table *t, int col, double v);
void hub_table_date(struct hub_table *t, int col, int64_t day);
const struct hub_cell *hub_table_cell(const struct hub_table *t, size_t row,
                                      int col);
/* The column's label in the table's language. */
const char *hub_table_label(const struct hub_table *t, int col);

/* CSV: the header row of machine names, then the rows: text quoted and
 * neutralised (base/csv.h), whole numbers bare, decimals with their
 * places, a percentage as its fraction with two places more (0.500 for
 * 50.0 %, as `report stations` writes its rate), a date as YYYY-MM-DD,
 * an empty cell as nothing. No byte-order mark, like every other report
 * of hubctl. */
void hub_table_csv(const struct hub_table *t, FILE *out);

/* Several tables written together (a workbook of sheets). */
#define HUB_BOOK_MAX 4
struct hub_book {
    struct hub_table *t[HUB_BOOK_MAX];
    int               n;
};
void hub_book_add(struct hub_book *b, struct hub_table *t);
void hub_book_free(struct hub_book *b);

#endif
