/* hub/hub_sql.c - see hub_sql.h: which engine a target names, and the
 * calls handed to it (hub_sql_sqlite.c, hub_sql_pg.c). */
#include "hub/hub_sql_int.h"

#include <string.h>

bool sql_is_postgres(const char *target)
{
    return strncmp(target, "postgresql://", 13) == 0 ||
           strncmp(target, "postgres://", 11) == 0;
}

enum sql_rc sql_open(const char *target, struct sql_conn **out, char *msg,
                     size_t cap)
{
    const struct sql_ops *ops = sql_is_postgres(target) ? &sql_pg_ops
                                                        : &sql_sqlite_ops;
    return ops->open(target, out, msg, cap);
}

enum sql_rc sql_open_reader(const char *target, struct sql_conn **out,
                            char *msg, size_t cap)
{
    const struct sql_ops *ops = sql_is_postgres(target) ? &sql_pg_ops
                                                        : &sql_sqlite_ops;
    return ops->open_reader(target, out, msg, cap);
}

void sql_close(struct sql_conn *c)
{
    if (c)
        c->ops->close(c);
}

enum sql_dialect sql_dialect(const struct sql_conn *c) { return c->dialect; }
const char *sql_label(const struct sql_conn *c)       { return c->label; }
const char *sql_errmsg(struct sql_conn *c)  { return c->ops->errmsg(c); }

enum sql_rc sql_exec(struct sql_conn *c, const char *sql)
{
    return c->ops->exec(c, sql);
}

enum sql_rc sql_session(struct sql_conn *c, const char *sql)
{
    return c->ops->session(c, sql);
}

enum sql_rc sql_schema(struct sql_conn *c, const char *ddl)
{
    return c->ops->schema(c, ddl);
}

enum sql_rc sql_begin(struct sql_conn *c)
{
    return c->ops->exec(c, c->ops->begin_sql);
}

enum sql_rc sql_begin_read(struct sql_conn *c)
{
    return c->ops->exec(c, c->ops->begin_read_sql);
}

enum sql_rc sql_commit(struct sql_conn *c)
{
    return c->ops->exec(c, "COMMIT");
}

void sql_rollback(struct sql_conn *c)
{
    c->ops->exec(c, "ROLLBACK");
}

int64_t sql_changes(struct sql_conn *c) { return c->ops->changes(c); }

struct sql_stmt *sql_prepare(struct sql_conn *c, const char *sql, bool keep)
{
    return c->ops->prepare(c, sql, keep);
}

void sql_bind_int(struct sql_stmt *st, int i, int64_t v)
{
    st->conn->ops->bind_int(st, i, v);
}

void sql_bind_text(struct sql_stmt *st, int i, const char *s)
{
    if (s)
        st->conn->ops->bind_text(st, i, s);
    else
        st->conn->ops->bind_null(st, i);
}

void sql_bind_null(struct sql_stmt *st, int i)
{
    st->conn->ops->bind_null(st, i);
}

enum sql_rc sql_step(struct sql_stmt *st) { return st->conn->ops->step(st); }

int64_t sql_col_int(struct sql_stmt *st, int i)
{
    return st->conn->ops->col_int(st, i);
}

const char *sql_col_text(struct sql_stmt *st, int i)
{
    return st->conn->ops->col_text(st, i);
}

enum sql_type sql_col_type(struct sql_stmt *st, int i)
{
    return st->conn->ops->col_type(st, i);
}

int sql_col_count(struct sql_stmt *st)
{
    return st->conn->ops->col_count(st);
}

void sql_reset(struct sql_stmt *st) { st->conn->ops->reset(st); }

void sql_finalize(struct sql_stmt *st)
{
    if (st)
        st->conn->ops->finalize(st);
}
