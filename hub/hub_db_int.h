/* hub/hub_db_int.h - inside the hub's store: the connection and the SQL
 * helpers its files (hub/hub_db*.c) share. Private to them: nothing
 * else includes sqlite3.h (scripts/check-layers.sh refuses sqlite3_*
 * anywhere else in hub/).
 *
 * Statements a request runs are prepared once per connection and kept
 * (hub_db_stmt); each use ends with hub_db_stmt_done, which resets the
 * statement and clears its bindings so it holds no read snapshot and no
 * caller's text. A connection and its statements are used by one thread
 * at a time: hubd holds its lock for a writer connection, or has taken a
 * reader from the pool (hub_api.h, hub_db_pool.h). A reader
 * (hub_db_open_reader) has no fleet file: statements on it fail. */
#ifndef HUB_DB_INT_H
#define HUB_DB_INT_H

#include <stdbool.h>

#include <sqlite3.h>

#include "hub/hub_db.h"

/* The kept statements. Each names its connection and text in
 * hub_db.c's table. */
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
    HUB_STMT_EVENT_HELD,
    HUB_STMT_ACKED_SET,
    HUB_STMT_CHANGES_PAGE,
    HUB_STMT_CHANGES_SNAPSHOT,
    HUB_STMT_FEED_MARKS,
    HUB_STMT_FEED_CURSOR_PUT,     /* fleet */
    HUB_STMT_CHANGE_ADD,
    HUB_STMT_BUNDLE_LATEST,
    HUB_STMT_BUNDLE_FIND,
    HUB_STMT_COUNT
};

struct hub_db {
    sqlite3      *db;
    sqlite3      *fleet;          /* hub.db-fleet: last contact per device */
    char          path[512];
    bool          attached;       /* fleet attached to db (reports) */
    sqlite3_stmt *kept[HUB_STMT_COUNT];
};

/* Log what failed; ERR_BUSY when SQLite was busy or locked, ERR_CORRUPT
 * when the file is damaged, else ERR_DB. */
err_code      hub_db_err(struct hub_db *db, int rc, const char *what);
err_code      hub_db_exec(struct hub_db *db, const char *sql);
/* A statement for one use (finalize it, or end it with hub_db_done). */
sqlite3_stmt *hub_db_prep(struct hub_db *db, const char *sql);
/* Step a one-use statement that returns no rows, then finalize it. */
err_code      hub_db_done(struct hub_db *db, sqlite3_stmt *st,
                          const char *what);
/* A kept statement, prepared on first use; NULL (logged) if it cannot
 * be. End every use with hub_db_stmt_done. */
sqlite3_stmt *hub_db_stmt(struct hub_db *db, enum hub_stmt id);
void          hub_db_stmt_done(sqlite3_stmt *st);
/* Step a kept statement that returns no rows, then hub_db_stmt_done. */
err_code      hub_db_stmt_run(struct hub_db *db, sqlite3_stmt *st,
                              const char *what);
/* How a row loop ended: ERR_OK when stepping reached SQLITE_DONE, else
 * the error (logged). A loop stopped by a damaged page must fail, never
 * pass for a complete (shorter) list. */
err_code      hub_db_rows_end(struct hub_db *db, int rc, const char *what);
/* Step a one-row query: ERR_OK on a row (read it, then end the
 * statement), ERR_NOTFOUND when there is none, else the error. */
err_code      hub_db_step_one(struct hub_db *db, sqlite3_stmt *st,
                              const char *what);
/* Bind text that SQLite copies (NULL binds NULL). */
void          hub_db_bind_text(sqlite3_stmt *st, int i, const char *s);
/* A column's text, "" for NULL. */
const char   *hub_db_col_text(sqlite3_stmt *st, int i);

#endif
