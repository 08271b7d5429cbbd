/* hub/hub_xlsx.h - report tables as an XLSX workbook (libxlsxwriter),
 * for the district party committee: one sheet per table, its title and
 * scope (period, stations) above a bold header row that stays in view
 * (frozen) and carries a filter; columns as wide as their longest text
 * (a Chinese character counts twice); whole numbers, decimals and
 * percentages as numbers with their format, dates as dates, and text
 * always as text: a name starting with = + - @ is written as a string,
 * never as a formula (libxlsxwriter writes formulas only through
 * worksheet_write_formula, which nothing here calls). */
#ifndef HUB_XLSX_H
#define HUB_XLSX_H

#include <stddef.h>

#include "base/err.h"
#include "hub/hub_table.h"

/* Write the book's tables to path (through path.tmp, renamed when
 * complete: a reader never sees half a workbook). ERR_IO with msg. */
err_code hub_xlsx_write(const char *path, const struct hub_book *b,
                        char *msg, size_t cap);

#endif
