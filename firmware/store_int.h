/* firmware/store_int.h - what the store's files share; never included
 * outside firmware/store*.c. */
#ifndef STORE_INT_H
#define STORE_INT_H

#include <sqlite3.h>

#include "firmware/store.h"

#define STORE_STMT_CACHE 96

/* 'KSK1': tells our database from any other SQLite file. */
#define STORE_APP_ID 0x4B534B31

struct store {
    sqlite3 *db;
    char     path[512];
    /* Prepared statements keyed by the address of their SQL text, which is
     * always a string literal: prepare once, reuse on every call. */
    struct {
        const char   *sql;
        sqlite3_stmt *st;
    } cache[STORE_STMT_CACHE];
    int n_cache;
};

/* The cached statement for sql, reset and with bindings cleared; NULL
 * (detail logged) if it does not prepare. */
sqlite3_stmt *store_stmt(struct store *s, const char *sql);

/* Translate a sqlite result into err_code, logging the detail once. */
err_code store_err(struct store *s, int rc, const char *what);

/* Step a statement that returns no rows; ERR_OK on SQLITE_DONE. */
err_code store_step_done(struct store *s, sqlite3_stmt *st, const char *what);

/* Step a query of one integer column: *out gets the first row's value;
 * ERR_NOTFOUND (with *out = 0) when there is no row. */
err_code store_step_int64(struct store *s, sqlite3_stmt *st, int64_t *out,
                          const char *what);

/* A meta value read as a number: a missing row reads as 0 (*found, when
 * not NULL, says whether it exists). */
err_code store_meta_i64(struct store *s, const char *key, int64_t *v,
                        bool *found);

/* Copy column i as text into dst (cap bytes), "" for NULL. */
void store_col_text(sqlite3_stmt *st, int i, char *dst, size_t cap);

#endif
