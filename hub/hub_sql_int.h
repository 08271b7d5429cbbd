/* hub/hub_sql_int.h - inside hub_sql: what each engine (hub_sql_sqlite.c,
 * hub_sql_pg.c) provides to the dispatch in hub_sql.c. Only those three
 * files include it. */
#ifndef HUB_SQL_INT_H
#define HUB_SQL_INT_H

#include "hub/hub_sql.h"

struct sql_ops {
    enum sql_rc (*open)(const char *target, struct sql_conn **out,
                        char *msg, size_t cap);
    enum sql_rc (*open_reader)(const char *target, struct sql_conn **out,
                               char *msg, size_t cap);
    void        (*close)(struct sql_conn *c);
    const char *(*errmsg)(struct sql_conn *c);
    enum sql_rc (*exec)(struct sql_conn *c, const char *sql);
    enum sql_rc (*schema)(struct sql_conn *c, const char *ddl);
    enum sql_rc (*session)(struct sql_conn *c, const char *sql);
    const char *begin_sql;
    const char *begin_read_sql;
    int64_t     (*changes)(struct sql_conn *c);
    struct sql_stmt *(*prepare)(struct sql_conn *c, const char *sql,
                                bool keep);
    void        (*bind_int)(struct sql_stmt *st, int i, int64_t v);
    void        (*bind_text)(struct sql_stmt *st, int i, const char *s);
    void        (*bind_null)(struct sql_stmt *st, int i);
    enum sql_rc (*step)(struct sql_stmt *st);
    int64_t     (*col_int)(struct sql_stmt *st, int i);
    const char *(*col_text)(struct sql_stmt *st, int i);
    enum sql_type (*col_type)(struct sql_stmt *st, int i);
    int         (*col_count)(struct sql_stmt *st);
    void        (*reset)(struct sql_stmt *st);
    void        (*finalize)(struct sql_stmt *st);
};

/* Every engine's connection and statement begin with these. */
struct sql_conn {
    const struct sql_ops *ops;
    enum sql_dialect      dialect;
    char                  label[256];
};

struct sql_stmt {
    struct sql_conn *conn;
};

extern const struct sql_ops sql_sqlite_ops;
extern const struct sql_ops sql_pg_ops;

#endif
