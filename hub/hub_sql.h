/* hub/hub_sql.h - the hub store's SQL layer: one small interface over two
 * engines, so each query of hub/hub_db*.c is written once.
 *
 *   SQLite      the embedded default: a file path (hub.db)
 *   PostgreSQL  15, through libpq: a URL, postgresql://... or
 *               postgres://... (libpq's own syntax, any of its options)
 *
 * SQL is written once, with `?` or `?N` placeholders (SQLite's rules: a
 * bare `?` takes the number after the highest used so far); for
 * PostgreSQL they become $N. Write SQL both accept: ON CONFLICT ... DO
 * NOTHING / DO UPDATE (not INSERT OR IGNORE / OR REPLACE), RETURNING (not
 * last_insert_rowid), coalesce, CASE, CAST(x AS BIGINT). What one engine
 * alone understands is chosen with sql_dialect() at a marked place.
 *
 * Tables are created with sql_schema(): the same CREATE text, read by
 * PostgreSQL with INTEGER as BIGINT, SQLite's INTEGER PRIMARY KEY
 * [AUTOINCREMENT] as an identity column, and WITHOUT ROWID dropped.
 *
 * Statements: sql_prepare() for one use (sql_finalize after) or a kept
 * one (sql_reset between uses, sql_finalize at close). sql_step()
 * returns SQL_ROW, SQL_DONE or an error class; column values are valid
 * until the next step, reset or finalize. A connection and its
 * statements are used by one thread at a time. */
#ifndef HUB_SQL_H
#define HUB_SQL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sql_dialect { SQL_SQLITE, SQL_POSTGRES };

/* What sql_step, sql_exec and the like return. */
enum sql_rc {
    SQL_OK = 0,
    SQL_ROW,
    SQL_DONE,
    SQL_BUSY,        /* locked, deadlock, serialization failure: retry */
    SQL_CORRUPT,     /* the file or a page or index is damaged */
    SQL_UNIQUE,      /* a unique or primary key was violated */
    SQL_ERROR        /* anything else (message in sql_errmsg) */
};

enum sql_type { SQL_NULL, SQL_INT, SQL_TEXT };

struct sql_conn;
struct sql_stmt;

/* Whether target names a PostgreSQL database rather than a file. */
bool        sql_is_postgres(const char *target);
/* Open target. A SQLite file is created (mode 0600) when absent; a
 * PostgreSQL database must exist. On failure *out is NULL and msg says
 * why. */
enum sql_rc sql_open(const char *target, struct sql_conn **out,
                     char *msg, size_t cap);
/* Open target for reads only, for one thread at a time (a pool of
 * readers): a SQLite file read-only, without SQLite's own mutex (it
 * must exist); a PostgreSQL connection whose transactions are
 * read-only. */
enum sql_rc sql_open_reader(const char *target, struct sql_conn **out,
                            char *msg, size_t cap);
void        sql_close(struct sql_conn *c);                  /* NULL: no-op */
enum sql_dialect sql_dialect(const struct sql_conn *c);
/* A name for log lines: the file path, or the PostgreSQL database and
 * host without any password. */
const char *sql_label(const struct sql_conn *c);
const char *sql_errmsg(struct sql_conn *c);

/* Run SQL without parameters or results (several statements allowed). */
enum sql_rc sql_exec(struct sql_conn *c, const char *sql);
/* Session settings (PRAGMA, SET): run now, and again whenever the
 * connection is made anew (a PostgreSQL connection the server closed, on
 * a restart or a failover, is reset, and its SET values with it). */
enum sql_rc sql_session(struct sql_conn *c, const char *sql);
/* Create tables and indexes (see above). */
enum sql_rc sql_schema(struct sql_conn *c, const char *ddl);
/* A write transaction: SQLite's BEGIN IMMEDIATE, PostgreSQL's BEGIN. */
enum sql_rc sql_begin(struct sql_conn *c);
/* A read transaction: every statement until the commit reads one
 * snapshot (SQLite's deferred BEGIN; PostgreSQL's REPEATABLE READ, READ
 * ONLY: its default, READ COMMITTED, takes a snapshot a statement). */
enum sql_rc sql_begin_read(struct sql_conn *c);
enum sql_rc sql_commit(struct sql_conn *c);
void        sql_rollback(struct sql_conn *c);
/* Rows changed by the last INSERT, UPDATE or DELETE on c. */
int64_t     sql_changes(struct sql_conn *c);

/* NULL (message in sql_errmsg) when the SQL does not compile. keep: the
 * statement is used many times (PostgreSQL prepares it on the server). */
struct sql_stmt *sql_prepare(struct sql_conn *c, const char *sql, bool keep);
/* Placeholders count from 1. Text is copied. */
void        sql_bind_int(struct sql_stmt *st, int i, int64_t v);
void        sql_bind_text(struct sql_stmt *st, int i, const char *s);
void        sql_bind_null(struct sql_stmt *st, int i);
enum sql_rc sql_step(struct sql_stmt *st);
/* Columns count from 0. An integer column reads true/false as 1/0. */
int64_t     sql_col_int(struct sql_stmt *st, int i);
const char *sql_col_text(struct sql_stmt *st, int i);  /* NULL for NULL */
enum sql_type sql_col_type(struct sql_stmt *st, int i);
int         sql_col_count(struct sql_stmt *st);
/* Ready to run again, bindings cleared, no rows or snapshot held. */
void        sql_reset(struct sql_stmt *st);
void        sql_finalize(struct sql_stmt *st);                /* NULL: no-op */

/* A SQLite file's PRAGMA quick_check, on a connection of its own:
 * SQL_OK when sound or absent, SQL_CORRUPT with the first problem in
 * msg, SQL_BUSY, or SQL_ERROR (unreadable, msg says why). */
enum sql_rc sql_sqlite_quick_check(const char *path, char *msg, size_t cap);

#endif
