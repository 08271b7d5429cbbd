/* hub/hub_db_int.h - inside the hub's store: the connection and the SQL
 * helpers its files (hub/hub_db*.c) share. Private to them. The store
 * runs on SQLite (a file, the default) or PostgreSQL (a URL) through
 * hub/hub_sql.h; no hub_db*.c file names an engine's API (sqlite3_* is
 * refused outside hub/hub_sql_sqlite.c, PQ* outside hub/hub_sql_pg.c by
 * scripts/check-layers.sh).
 *
 * Statements a request runs are prepared once per connection and kept
 * (hub_db_stmt); each use ends with hub_db_stmt_done, which resets the
 * statement and clears its bindings so it holds no read snapshot and no
 * caller's text. A connection and its statements are used by one thread
 * at a time: hubd holds its lock for a writer connection, or has taken a
 * reader from the pool (hub_api.h, hub_db_pool.h). A reader
 * (hub_db_open_reader) has no fleet connection: statements on it fail.
 *
 * Converting a store file written against SQLite (mechanical):
 *   sqlite3_stmt *              -> struct sql_stmt *
 *   sqlite3_bind_int/int64(s,i,v) -> sql_bind_int(s, i, v)
 *   sqlite3_bind_text(s,i,t,-1,x) -> hub_db_bind_text(s, i, t)
 *   sqlite3_bind_null           -> sql_bind_null
 *   sqlite3_step / SQLITE_ROW / SQLITE_DONE
 *                               -> sql_step / SQL_ROW / SQL_DONE
 *                                  (an int rc becomes enum sql_rc)
 *   sqlite3_column_int/int64    -> sql_col_int
 *   sqlite3_column_text         -> sql_col_text (or hub_db_col_text: "")
 *   sqlite3_column_type == SQLITE_NULL -> sql_col_type == SQL_NULL
 *   sqlite3_reset / clear_bindings -> sql_reset
 *   sqlite3_finalize            -> sql_finalize
 *   sqlite3_changes(db->db)     -> sql_changes(db->db)
 *   sqlite3_last_insert_rowid   -> INSERT ... RETURNING id
 * and in the SQL text, what PostgreSQL does not read:
 *   INSERT OR IGNORE            -> INSERT ... ON CONFLICT DO NOTHING
 *   INSERT OR REPLACE           -> INSERT ... ON CONFLICT(key) DO UPDATE
 *                                  SET c = excluded.c, ...
 *   max(a, b) / min(a, b)       -> CASE WHEN, or max() over a UNION ALL
 *   an alias in HAVING / WHERE  -> the expression again
 *   a bare integer as truth     -> col = 1 / col <> 0
 *   a IS b (on values)          -> a IS NOT DISTINCT FROM b, or = with
 *                                  coalesce on both sides
 *   rowid                       -> a real key column
 *   CREATE ... via hub_db_exec  -> hub_db_schema (types for PostgreSQL)
 *   PRAGMA, sqlite_master, sqlite_sequence, ATTACH, strftime(),
 *   json_extract(), printf()    -> only under sql_dialect(db->db) ==
 *                                  SQL_SQLITE, with the PostgreSQL text
 *                                  beside it (see hub_db_report.c).
 * Tests open the store with hubfx_store() (tests/support/hub_fixture.h),
 * so that tests/hub_pg_test.sh runs them on PostgreSQL too; add a new
 * test program to its list.
 */
#ifndef HUB_DB_INT_H
#define HUB_DB_INT_H

#include <stdbool.h>

#include "hub/hub_sql.h"

#include "hub/hub_db.h"

/* The kept statements. Each names its connection and text in
 * hub_db.c's table, with PostgreSQL's own text where it must differ. */
enum hub_stmt {
    HUB_STMT_DEVICE_CHECK,
    HUB_STMT_SEEN_PUT,            /* fleet */
    HUB_STMT_BOOT_PUT,            /* fleet */
    HUB_STMT_BOOT_ANCHOR,         /* fleet */
    HUB_STMT_EVENT_PUT,
    HUB_STMT_EVENT_GET,
    HUB_STMT_EPOCH_OPEN,
    HUB_STMT_MEMBER_STATION,
    HUB_STMT_REFUSED_PUT,
    HUB_STMT_CONFLICT_PUT,
    HUB_STMT_HELD_MAX,
    HUB_STMT_DEVICE_ACKED_SET,
    HUB_STMT_SERVICE_LOG_PUT,
    HUB_STMT_ACKED_GET,
    HUB_STMT_HELD_RUN,
    HUB_STMT_ACKED_SET,
    HUB_STMT_CHANGES_PAGE,
    HUB_STMT_CHANGES_SNAPSHOT,
    HUB_STMT_FEED_MARKS,
    HUB_STMT_FEED_CURSOR_PUT,     /* fleet */
    HUB_STMT_CHANGE_ADD,
    HUB_STMT_EPOCH_LOCK,          /* PostgreSQL only */
    HUB_STMT_BUNDLE_LATEST,
    HUB_STMT_BUNDLE_FIND,
    HUB_STMT_COUNT
};

struct hub_db {
    struct sql_conn *db;
    /* Last contact per device: SQLite's hub.db-fleet file, or on
     * PostgreSQL the schema fleet on a connection that does not wait
     * for the disk (synchronous_commit off). */
    struct sql_conn *fleet;
    char             path[512];   /* for log lines: sql_label */
    bool             attached;    /* fleet attached to db (reports) */
    struct sql_stmt *kept[HUB_STMT_COUNT];
};

/* Log what failed; ERR_BUSY when the store was busy or locked (or
 * PostgreSQL found a deadlock or a serialization failure), ERR_CORRUPT
 * when it is damaged, else ERR_DB. */
err_code      hub_db_err(struct hub_db *db, enum sql_rc rc, const char *what);
err_code      hub_db_exec(struct hub_db *db, const char *sql);
/* CREATE text for both engines (sql_schema in hub_sql.h). */
err_code      hub_db_schema(struct hub_db *db, const char *ddl);
/* The SQLite or the PostgreSQL text, where they must differ (a kept
 * statement's PostgreSQL text goes in its `pg` field instead). */
const char   *hub_db_dialect(const struct hub_db *db, const char *sqlite,
                             const char *postgres);
/* A statement for one use (finalize it, or end it with hub_db_done). */
struct sql_stmt *hub_db_prep(struct hub_db *db, const char *sql);
/* Step a one-use statement that returns no rows, then finalize it. */
err_code      hub_db_done(struct hub_db *db, struct sql_stmt *st,
                          const char *what);
/* A kept statement, prepared on first use; NULL (logged) if it cannot
 * be, or when it is of the other engine only. End every use with
 * hub_db_stmt_done. */
struct sql_stmt *hub_db_stmt(struct hub_db *db, enum hub_stmt id);
void          hub_db_stmt_done(struct sql_stmt *st);
/* Step a kept statement that returns no rows, then hub_db_stmt_done. */
err_code      hub_db_stmt_run(struct hub_db *db, struct sql_stmt *st,
                              const char *what);
/* How a row loop ended: ERR_OK when stepping reached SQL_DONE, else
 * the error (logged). A loop stopped by a damaged page must fail, never
 * pass for a complete (shorter) list. */
err_code      hub_db_rows_end(struct hub_db *db, enum sql_rc rc,
                              const char *what);
/* Step a one-row query: ERR_OK on a row (read it, then end the
 * statement), ERR_NOTFOUND when there is none, else the error. */
err_code      hub_db_step_one(struct hub_db *db, struct sql_stmt *st,
                              const char *what);
/* Bind text, copied (NULL binds NULL). */
void          hub_db_bind_text(struct sql_stmt *st, int i, const char *s);
/* A column's text, "" for NULL. */
const char   *hub_db_col_text(struct sql_stmt *st, int i);

#endif
