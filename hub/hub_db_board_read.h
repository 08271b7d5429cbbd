/* hub/hub_db_board_read.h - reading back what was published (the
 * console's boards pages show it and diff a new publication against it). */
#ifndef HUB_DB_BOARD_READ_H
#define HUB_DB_BOARD_READ_H

#include "base/err.h"
#include "hub/hub_db.h"

/* Every item published under (scope, type) ("*": every station), by key:
 * fn gets its key and its JSON data. */
err_code hub_db_published_each(struct hub_db *db, const char *scope,
                               const char *type,
                               void (*fn)(void *ctx, const char *key,
                                          const char *data),
                               void *ctx);
/* One item's data (malloc'd, free it) or ERR_NOTFOUND. */
err_code hub_db_published_get(struct hub_db *db, const char *scope,
                              const char *type, const char *key,
                              char **data);

#endif
