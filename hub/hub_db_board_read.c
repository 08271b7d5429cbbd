/* hub/hub_db_board_read.c - reading the published table back. */
#include "hub/hub_db_board_read.h"

#include "base/xmalloc.h"
#include "hub/hub_db_int.h"

err_code hub_db_published_each(struct hub_db *db, const char *scope,
                               const char *type,
                               void (*fn)(void *ctx, const char *key,
                                          const char *data),
                               void *ctx)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT key, data FROM published"
                                      " WHERE scope = ? AND type = ?"
                                      " ORDER BY key");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, scope);
    hub_db_bind_text(st, 2, type);
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW)
        fn(ctx, hub_db_col_text(st, 0), hub_db_col_text(st, 1));
    err_code e = hub_db_rows_end(db, rc, "published each");
    sql_finalize(st);
    return e;
}

err_code hub_db_published_get(struct hub_db *db, const char *scope,
                              const char *type, const char *key,
                              char **data)
{
    *data = NULL;
    struct sql_stmt *st = hub_db_prep(db, "SELECT data FROM published"
                                      " WHERE scope = ? AND type = ?"
                                      " AND key = ?");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, scope);
    hub_db_bind_text(st, 2, type);
    hub_db_bind_text(st, 3, key);
    err_code e = hub_db_step_one(db, st, "published get");
    if (e == ERR_OK)
        *data = xstrdup(hub_db_col_text(st, 0));
    sql_finalize(st);
    return e;
}
