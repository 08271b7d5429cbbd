/* hub/hub_xlsx_mem.h - an XLSX workbook as bytes, for the console's
 * downloads: libxlsxwriter writes files only, so the book goes to a
 * mkstemp file in the hub's temporary directory ($TMPDIR, else /tmp),
 * is read back and unlinked at once (a crash leaves at most one
 * hub-xlsx-XXXXXX file there, never a half workbook under a real name). */
#ifndef HUB_XLSX_MEM_H
#define HUB_XLSX_MEM_H

#include <stddef.h>

#include "base/err.h"
#include "hub/hub_table.h"

/* *out: malloc'd bytes (free it), *len their count. ERR_IO with msg. */
err_code hub_xlsx_bytes(const struct hub_book *b, char **out, size_t *len,
                        char *msg, size_t cap);

#endif
