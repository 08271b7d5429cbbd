/* hub/hub_sql_sqlite.c - hub_sql on SQLite: the embedded default. The
 * only hub file that calls sqlite3_* (scripts/check-layers.sh). */
#include "hub/hub_sql_int.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "base/xmalloc.h"

struct lite_conn {
    struct sql_conn base;
    sqlite3        *db;
};

struct lite_stmt {
    struct sql_stmt base;
    sqlite3_stmt   *st;
};

static sqlite3 *H(struct sql_conn *c) { return ((struct lite_conn *)c)->db; }
static sqlite3_stmt *S(struct sql_stmt *s)
{
    return ((struct lite_stmt *)s)->st;
}

static enum sql_rc rc_of(int rc)
{
    switch (rc) {
    case SQLITE_OK:   return SQL_OK;
    case SQLITE_ROW:  return SQL_ROW;
    case SQLITE_DONE: return SQL_DONE;
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        return SQL_UNIQUE;
    default:
        break;
    }
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return SQL_BUSY;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return SQL_CORRUPT;
    default:
        return SQL_ERROR;
    }
}

/* Create a database file readable by its owner only, before SQLite
 * opens it (its -wal and -shm copy the mode). Only when absent: closing
 * any descriptor of a file SQLite has open drops the process's POSIX
 * locks on it, and another process would then run WAL recovery under a
 * live writer. */
static void create_private(const char *path)
{
    if (access(path, F_OK) == 0)
        return;
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0)
        close(fd);
}

static enum sql_rc lite_open_flags(const char *path, int flags,
                                   struct sql_conn **out, char *msg,
                                   size_t cap)
{
    struct lite_conn *c = xcalloc(1, sizeof *c);
    *out = NULL;
    c->base.ops = &sql_sqlite_ops;
    c->base.dialect = SQL_SQLITE;
    str_copy(c->base.label, sizeof c->base.label, path);
    int rc = sqlite3_open_v2(path, &c->db, flags, NULL);
    if (rc != SQLITE_OK) {
        str_copy(msg, cap, sqlite3_errstr(rc));
        sqlite3_close(c->db);
        free(c);
        return rc_of(rc);
    }
    sqlite3_busy_timeout(c->db, 5000);
    /* Tell a unique key violated from other constraints. */
    sqlite3_extended_result_codes(c->db, 1);
    *out = &c->base;
    return SQL_OK;
}

static enum sql_rc lite_open(const char *path, struct sql_conn **out,
                             char *msg, size_t cap)
{
    create_private(path);
    return lite_open_flags(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                           SQLITE_OPEN_FULLMUTEX, out, msg, cap);
}

/* NOMUTEX: a reader is handed to one thread at a time. */
static enum sql_rc lite_open_reader(const char *path, struct sql_conn **out,
                                    char *msg, size_t cap)
{
    return lite_open_flags(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                           out, msg, cap);
}

static void lite_close(struct sql_conn *c)
{
    sqlite3_close(H(c));
    free(c);
}

static const char *lite_errmsg(struct sql_conn *c)
{
    return sqlite3_errmsg(H(c));
}

static enum sql_rc lite_exec(struct sql_conn *c, const char *sql)
{
    return rc_of(sqlite3_exec(H(c), sql, NULL, NULL, NULL));
}

static int64_t lite_changes(struct sql_conn *c)
{
    return sqlite3_changes(H(c));
}

static struct sql_stmt *lite_prepare(struct sql_conn *c, const char *sql,
                                     bool keep)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(H(c), sql, -1,
                           keep ? SQLITE_PREPARE_PERSISTENT : 0, &st,
                           NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return NULL;
    }
    struct lite_stmt *s = xcalloc(1, sizeof *s);
    s->base.conn = c;
    s->st = st;
    return &s->base;
}

static void lite_bind_int(struct sql_stmt *st, int i, int64_t v)
{
    sqlite3_bind_int64(S(st), i, v);
}

static void lite_bind_text(struct sql_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(S(st), i, s, -1, SQLITE_TRANSIENT);
}

static void lite_bind_null(struct sql_stmt *st, int i)
{
    sqlite3_bind_null(S(st), i);
}

static enum sql_rc lite_step(struct sql_stmt *st)
{
    return rc_of(sqlite3_step(S(st)));
}

static int64_t lite_col_int(struct sql_stmt *st, int i)
{
    return sqlite3_column_int64(S(st), i);
}

static const char *lite_col_text(struct sql_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(S(st), i);
}

static enum sql_type lite_col_type(struct sql_stmt *st, int i)
{
    switch (sqlite3_column_type(S(st), i)) {
    case SQLITE_NULL:    return SQL_NULL;
    case SQLITE_INTEGER: return SQL_INT;
    default:             return SQL_TEXT;
    }
}

static int lite_col_count(struct sql_stmt *st)
{
    return sqlite3_column_count(S(st));
}

static void lite_reset(struct sql_stmt *st)
{
    sqlite3_reset(S(st));
    sqlite3_clear_bindings(S(st));
}

static void lite_finalize(struct sql_stmt *st)
{
    sqlite3_finalize(S(st));
    free(st);
}

const struct sql_ops sql_sqlite_ops = {
    .open = lite_open, .open_reader = lite_open_reader,
    .close = lite_close, .errmsg = lite_errmsg,
    .exec = lite_exec, .schema = lite_exec, .session = lite_exec, .begin_sql = "BEGIN IMMEDIATE",
    .begin_read_sql = "BEGIN",
    .changes = lite_changes, .prepare = lite_prepare,
    .bind_int = lite_bind_int, .bind_text = lite_bind_text,
    .bind_null = lite_bind_null, .step = lite_step,
    .col_int = lite_col_int, .col_text = lite_col_text,
    .col_type = lite_col_type, .col_count = lite_col_count,
    .reset = lite_reset, .finalize = lite_finalize,
};

enum sql_rc sql_sqlite_quick_check(const char *path, char *msg, size_t cap)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    enum sql_rc e = SQL_CORRUPT;

    str_copy(msg, cap, "");
    if (access(path, F_OK) != 0)
        return SQL_OK;                       /* a new hub: nothing to check */
    /* Read-write without create: a WAL left by a crash is recovered. */
    int rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(h, "PRAGMA quick_check", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        /* The first problem on one line, without SQLite's heading. */
        const char *t = (const char *)sqlite3_column_text(st, 0);
        const char *nl = t ? strchr(t, '\n') : NULL;
        if (t && strncmp(t, "*** ", 4) == 0 && nl)
            t = nl + 1;
        str_copy(msg, cap, t ? t : "");
        msg[strcspn(msg, "\n")] = '\0';
        if (strcmp(msg, "ok") == 0)
            e = SQL_OK;
    } else {
        str_copy(msg, cap, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        if ((rc & 0xff) != SQLITE_CORRUPT && (rc & 0xff) != SQLITE_NOTADB)
            e = (rc & 0xff) == SQLITE_BUSY ? SQL_BUSY : SQL_ERROR;
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    return e;
}
