/* hub/hub_table.c - the report table and its CSV writer. */
#include "hub/hub_table.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/csv.h"
#include "base/xmalloc.h"

#define DAY_MS (24LL * 3600 * 1000)

err_code hub_lang_parse(const char *s, enum hub_lang *out)
{
    if (!s)
        return ERR_INVAL;
    if (strcmp(s, "zh") == 0 || strcmp(s, "zh_CN") == 0 ||
        strcmp(s, "zh-CN") == 0)
        *out = HUB_LANG_ZH;
    else if (strcmp(s, "en") == 0)
        *out = HUB_LANG_EN;
    else
        return ERR_INVAL;
    return ERR_OK;
}

struct hub_table *hub_table_new(enum hub_lang lang, const char *title,
                                const char *sheet,
                                const struct hub_col *cols, int ncols)
{
    struct hub_table *t = xcalloc(1, sizeof *t);
    t->lang = lang;
    str_copy(t->title, sizeof t->title, title);
    str_copy(t->sheet, sizeof t->sheet, sheet);
    t->cols = cols;
    t->ncols = ncols;
    return t;
}

void hub_table_free(struct hub_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows * (size_t)t->ncols; i++)
        free(t->cells[i].s);
    free(t->cells);
    free(t);
}

void hub_table_row(struct hub_table *t)
{
    size_t w = (size_t)t->ncols;
    if (t->nrows == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->cells = xrealloc(t->cells, t->cap * w * sizeof *t->cells);
    }
    memset(&t->cells[t->nrows * w], 0, w * sizeof *t->cells);
    t->nrows++;
}

static struct hub_cell *last(struct hub_table *t, int col)
{
    if (t->nrows == 0 || col < 0 || col >= t->ncols)
        abort();                  /* a report built wrong: a bug here */
    struct hub_cell *c = &t->cells[(t->nrows - 1) * (size_t)t->ncols + col];
    c->set = true;
    return c;
}

void hub_table_text(struct hub_table *t, int col, const char *s)
{
    struct hub_cell *c = last(t, col);
    free(c->s);
    c->s = xstrdup(s ? s : "");
}

void hub_table_int(struct hub_table *t, int col, int64_t v)
{
    last(t, col)->i = v;
}

void hub_table_num(struct hub_table *t, int col, double v)
{
    last(t, col)->d = v;
}

void hub_table_date(struct hub_table *t, int col, int64_t day)
{
    last(t, col)->i = day;
}

const struct hub_cell *hub_table_cell(const struct hub_table *t, size_t row,
                                      int col)
{
    return &t->cells[row * (size_t)t->ncols + col];
}

const char *hub_table_label(const struct hub_table *t, int col)
{
    const struct hub_col *c = &t->cols[col];
    return t->lang == HUB_LANG_EN || !c->zh ? c->en : c->zh;
}

void hub_table_csv(const struct hub_table *t, FILE *out)
{
    for (int c = 0; c < t->ncols; c++)
        fprintf(out, "%s%s", c ? "," : "", t->cols[c].key);
    csv_end(out);
    for (size_t r = 0; r < t->nrows; r++) {
        for (int c = 0; c < t->ncols; c++) {
            const struct hub_col *col = &t->cols[c];
            const struct hub_cell *v = hub_table_cell(t, r, c);
            char day[11];
            if (col->kind == HUB_COL_TEXT) {
                csv_text(out, v->set ? v->s : "", c == 0);
                continue;
            }
            if (c)
                fputc(',', out);
            if (!v->set)
                continue;
            switch (col->kind) {
            case HUB_COL_INT:
                csv_int(out, v->i, true);
                break;
            case HUB_COL_DECIMAL:
                fprintf(out, "%.*f", col->decimals, v->d);
                break;
            case HUB_COL_PERCENT:
                fprintf(out, "%.*f", col->decimals + 2, v->d);
                break;
            case HUB_COL_DATE:
                clock_ymd(v->i * DAY_MS, 0, day);
                fputs(day, out);
                break;
            case HUB_COL_TEXT:
                break;
            }
        }
        csv_end(out);
    }
}

void hub_book_add(struct hub_book *b, struct hub_table *t)
{
    if (b->n == HUB_BOOK_MAX)
        abort();
    b->t[b->n++] = t;
}

void hub_book_free(struct hub_book *b)
{
    for (int i = 0; i < b->n; i++)
        hub_table_free(b->t[i]);
    b->n = 0;
}
