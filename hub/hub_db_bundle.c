/* hub/hub_db_bundle.c - the bundles table. */
#include "hub/hub_db_bundle.h"

#include <string.h>

#include "base/xmalloc.h"
#include "hub/hub_db_int.h"

err_code hub_db_bundle_put(struct hub_db *db, const char *station,
                           const struct hub_bundle_info *in,
                           uint64_t version_num)
{
    struct sql_stmt *st = hub_db_prep(db, "INSERT INTO bundles(name,"
        " scope, version, version_num, size, sha256, published_ms)"
        " VALUES(?, ?, ?, ?, ?, ?, ?) ON CONFLICT(name, scope) DO UPDATE SET"
        " version = excluded.version, version_num = excluded.version_num,"
        " size = excluded.size, sha256 = excluded.sha256,"
        " published_ms = excluded.published_ms");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, in->name);
    hub_db_bind_text(st, 2, station ? station : "");
    hub_db_bind_text(st, 3, in->version);
    sql_bind_int(st, 4, (int64_t)version_num);
    sql_bind_int(st, 5, (int64_t)in->size);
    hub_db_bind_text(st, 6, in->sha256);
    sql_bind_int(st, 7, hub_now_ms());
    return hub_db_done(db, st, "bundle put");
}

/* Columns name, version, size, sha256 from `first` on. */
static void info_from(struct sql_stmt *st, int first,
                      struct hub_bundle_info *out)
{
    str_copy(out->name, sizeof out->name, hub_db_col_text(st, first));
    str_copy(out->version, sizeof out->version,
             hub_db_col_text(st, first + 1));
    out->size = (uint64_t)sql_col_int(st, first + 2);
    str_copy(out->sha256, sizeof out->sha256, hub_db_col_text(st, first + 3));
}

static err_code one(struct hub_db *db, enum hub_stmt id, const char *station,
                    const char *name, struct hub_bundle_info *out)
{
    memset(out, 0, sizeof *out);
    struct sql_stmt *st = hub_db_stmt(db, id);
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, station);
    if (name)
        hub_db_bind_text(st, 2, name);
    err_code e = hub_db_step_one(db, st, "bundle");
    if (e == ERR_OK)
        info_from(st, 0, out);
    hub_db_stmt_done(st);
    return e;
}

err_code hub_db_bundle_latest(struct hub_db *db, const char *station,
                              struct hub_bundle_info *out)
{
    return one(db, HUB_STMT_BUNDLE_LATEST, station, NULL, out);
}

err_code hub_db_bundle_find(struct hub_db *db, const char *station,
                            const char *name, struct hub_bundle_info *out)
{
    return one(db, HUB_STMT_BUNDLE_FIND, station, name, out);
}

err_code hub_db_bundle_each(struct hub_db *db,
                            void (*fn)(void *ctx,
                                       const struct hub_bundle_row *r),
                            void *ctx)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT name, version, size, sha256,"
                                      " scope, published_ms FROM bundles"
                                      " ORDER BY version_num DESC,"
                                      " published_ms DESC, scope");
    enum sql_rc rc;

    if (!st)
        return ERR_DB;
    while ((rc = sql_step(st)) == SQL_ROW) {
        struct hub_bundle_row r = {
            .scope = hub_db_col_text(st, 4),
            .published_ms = sql_col_int(st, 5),
        };
        info_from(st, 0, &r.info);
        fn(ctx, &r);
    }
    err_code e = hub_db_rows_end(db, rc, "bundles");
    sql_finalize(st);
    return e;
}
