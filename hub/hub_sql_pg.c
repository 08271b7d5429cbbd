/* hub/hub_sql_pg.c - hub_sql on PostgreSQL through libpq. The only hub
 * file that calls PQ* (scripts/check-layers.sh).
 *
 * Placeholders become $N. Parameters travel as text, typed by their first
 * binding (bigint, or text: a NULL too, the store binding NULL only where
 * text goes), so the server never has to guess a type from `?1 IS NULL`.
 * A kept statement is prepared on the server on its first run; a one-use
 * statement runs with PQexecParams. A connection that dropped is reset
 * before the next statement outside a transaction (its session settings
 * run again, kept statements are prepared again); inside one, every
 * statement fails until the rollback, so a lost transaction never goes
 * on in autocommit. */
#include "hub/hub_sql_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "base/xmalloc.h"

#define OID_BOOL 16
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_TEXT 25

struct pg_conn {
    struct sql_conn base;
    PGconn         *pg;
    unsigned        gen;          /* bumped by a reset: prepared are gone */
    unsigned        next_name;
    bool            in_tx;
    bool            tx_broken;    /* the connection dropped inside it */
    int64_t         changes;
    char           *session;      /* settings run again after a reset */
    char            err[512];
};

struct pg_stmt {
    struct sql_stmt base;
    char           *sql;          /* with $N */
    int             nparams;
    char          **vals;
    Oid            *types;
    bool            keep;
    bool            prepared;
    unsigned        gen;
    char            name[24];
    PGresult       *res;
    int             row;
    bool            ran;
};

static struct pg_conn *C(struct sql_conn *c) { return (struct pg_conn *)c; }
static struct pg_stmt *S(struct sql_stmt *s) { return (struct pg_stmt *)s; }

static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;             /* "already exists, skipping" and the like */
}

/* The error class of a failed result, its message kept. */
static enum sql_rc fail(struct pg_conn *c, const PGresult *r)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *m = r ? PQresultErrorMessage(r) : PQerrorMessage(c->pg);
    str_copy(c->err, sizeof c->err, m && *m ? m : PQerrorMessage(c->pg));
    c->err[strcspn(c->err, "\n")] = '\0';
    if (!state)
        return SQL_ERROR;
    if (strcmp(state, "23505") == 0)
        return SQL_UNIQUE;
    /* serialization failure, deadlock, lock not available, lock timeout */
    if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
        strcmp(state, "55P03") == 0)
        return SQL_BUSY;
    if (strcmp(state, "XX001") == 0 || strcmp(state, "XX002") == 0)
        return SQL_CORRUPT;
    return SQL_ERROR;
}

/* Before a statement: a dropped connection is reset, unless it dropped
 * inside a transaction. A server that shut down or restarted has closed
 * the socket: reading what is waiting (without blocking) notices it, so
 * the statement runs on a new connection instead of failing. */
static bool usable(struct pg_conn *c)
{
    if (c->tx_broken)
        return false;
    /* Twice: the first read may take the server's goodbye message, the
     * second then finds the end of the stream. */
    if (!c->in_tx && PQconsumeInput(c->pg))
        PQconsumeInput(c->pg);
    if (PQstatus(c->pg) == CONNECTION_OK)
        return true;
    if (c->in_tx) {
        c->tx_broken = true;
        return false;
    }
    PQreset(c->pg);
    c->gen++;
    if (PQstatus(c->pg) != CONNECTION_OK)
        return false;
    if (c->session)
        PQclear(PQexec(c->pg, c->session));
    return true;
}

static void count_changes(struct pg_conn *c, const PGresult *r)
{
    const char *cmd = PQcmdStatus((PGresult *)r);
    if (strncmp(cmd, "INSERT", 6) == 0 || strncmp(cmd, "UPDATE", 6) == 0 ||
        strncmp(cmd, "DELETE", 6) == 0)
        c->changes = strtoll(PQcmdTuples((PGresult *)r), NULL, 10);
}

static enum sql_rc pg_open(const char *url, struct sql_conn **out, char *msg,
                           size_t cap)
{
    *out = NULL;
    PGconn *pg = PQconnectdb(url);
    if (PQstatus(pg) != CONNECTION_OK) {
        str_copy(msg, cap, PQerrorMessage(pg));
        msg[strcspn(msg, "\n")] = '\0';
        PQfinish(pg);
        return SQL_ERROR;
    }
    PQsetNoticeProcessor(pg, quiet, NULL);
    struct pg_conn *c = xcalloc(1, sizeof *c);
    c->base.ops = &sql_pg_ops;
    c->base.dialect = SQL_POSTGRES;
    c->pg = pg;
    const char *host = PQhost(pg);
    snprintf(c->base.label, sizeof c->base.label, "postgresql %s on %s:%s",
             PQdb(pg), host && host[0] == '/' ? "socket" : host ? host : "",
             PQport(pg));
    *out = &c->base;
    return SQL_OK;
}

static void pg_close(struct sql_conn *c)
{
    PQfinish(C(c)->pg);
    free(C(c)->session);
    free(c);
}

static const char *pg_errmsg(struct sql_conn *c)
{
    return C(c)->err[0] ? C(c)->err : PQerrorMessage(C(c)->pg);
}

/* Track the transaction (see usable) from what is run. */
static void tx_track(struct pg_conn *c, const char *sql, bool ok)
{
    if (strncmp(sql, "BEGIN", 5) == 0 && ok) {
        c->in_tx = true;
    } else if (strcmp(sql, "COMMIT") == 0 || strcmp(sql, "ROLLBACK") == 0) {
        c->in_tx = false;
        c->tx_broken = false;
    }
}

static enum sql_rc pg_exec(struct sql_conn *sc, const char *sql)
{
    struct pg_conn *c = C(sc);
    if (!usable(c)) {
        if (strcmp(sql, "ROLLBACK") == 0)
            tx_track(c, sql, true);
        str_copy(c->err, sizeof c->err, "connection to PostgreSQL lost");
        return SQL_ERROR;
    }
    PGresult *r = PQexec(c->pg, sql);
    ExecStatusType s = PQresultStatus(r);
    enum sql_rc rc = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK
                     ? SQL_OK : fail(c, r);
    if (rc == SQL_OK)
        count_changes(c, r);
    PQclear(r);
    tx_track(c, sql, rc == SQL_OK);
    return rc;
}

/* Replace every `from` in *s with `to` (reallocated). */
static void replace_all(char **s, const char *from, const char *to)
{
    size_t fl = strlen(from), tl = strlen(to), n = 0;
    for (const char *p = *s; (p = strstr(p, from)); p += fl)
        n++;
    if (!n)
        return;
    char *out = xmalloc(strlen(*s) + n * (tl > fl ? tl - fl : 0) + 1);
    char *o = out;
    const char *p = *s, *q;
    while ((q = strstr(p, from))) {
        memcpy(o, p, (size_t)(q - p));
        o += q - p;
        memcpy(o, to, tl);
        o += tl;
        p = q + fl;
    }
    strcpy(o, p);
    free(*s);
    *s = out;
}

/* The dialect of CREATE text (hub_sql.h). The rowid aliases first: an
 * identity column is what SQLite's INTEGER PRIMARY KEY gives an INSERT
 * that leaves it out. */
static enum sql_rc pg_schema(struct sql_conn *c, const char *ddl)
{
    char *s = xstrdup(ddl);
    replace_all(&s, "INTEGER PRIMARY KEY AUTOINCREMENT", "@ID@");
    replace_all(&s, "INTEGER PRIMARY KEY", "@ID@");
    replace_all(&s, "INTEGER", "BIGINT");
    replace_all(&s, "@ID@", "BIGINT GENERATED BY DEFAULT AS IDENTITY"
                " PRIMARY KEY");
    replace_all(&s, " WITHOUT ROWID", "");
    enum sql_rc rc = pg_exec(c, s);
    free(s);
    return rc;
}

static int64_t pg_changes(struct sql_conn *c)
{
    return C(c)->changes;
}

/* `?` and `?N` to $N, outside quotes; *n the highest number. */
static char *placeholders(const char *sql, int *n)
{
    char *out = xmalloc(strlen(sql) * 4 + 1);
    char *o = out;
    char quote = 0;
    *n = 0;
    for (const char *p = sql; *p; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
            *o++ = *p;
            continue;
        }
        if (*p == '\'' || *p == '"') {
            quote = *p;
            *o++ = *p;
            continue;
        }
        if (*p != '?') {
            *o++ = *p;
            continue;
        }
        int k = 0;
        if (p[1] >= '0' && p[1] <= '9') {
            k = (int)strtol(p + 1, NULL, 10);
            while (p[1] >= '0' && p[1] <= '9')
                p++;
        } else {
            k = *n + 1;
        }
        if (k > *n)
            *n = k;
        o += sprintf(o, "$%d", k);
    }
    *o = '\0';
    return out;
}

static struct sql_stmt *pg_prepare(struct sql_conn *sc, const char *sql,
                                   bool keep)
{
    struct pg_conn *c = C(sc);
    struct pg_stmt *s = xcalloc(1, sizeof *s);
    s->base.conn = sc;
    s->sql = placeholders(sql, &s->nparams);
    s->vals = xcalloc((size_t)s->nparams + 1, sizeof *s->vals);
    s->types = xcalloc((size_t)s->nparams + 1, sizeof *s->types);
    s->keep = keep;
    snprintf(s->name, sizeof s->name, "hub%u", ++c->next_name);
    return &s->base;
}

static void set_param(struct pg_stmt *s, int i, char *v, Oid type)
{
    if (i < 1 || i > s->nparams) {
        free(v);
        return;
    }
    free(s->vals[i - 1]);
    s->vals[i - 1] = v;
    /* A kept statement keeps the types it was prepared with. */
    if (!s->prepared && type)
        s->types[i - 1] = type;
}

static void pg_bind_int(struct sql_stmt *st, int i, int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    set_param(S(st), i, xstrdup(buf), OID_INT8);
}

static void pg_bind_text(struct sql_stmt *st, int i, const char *v)
{
    set_param(S(st), i, xstrdup(v), OID_TEXT);
}

static void pg_bind_null(struct sql_stmt *st, int i)
{
    set_param(S(st), i, NULL, OID_TEXT);
}

static PGresult *run(struct pg_conn *c, struct pg_stmt *s)
{
    const char *const *vals = (const char *const *)s->vals;
    if (!s->keep)
        return PQexecParams(c->pg, s->sql, s->nparams, s->types, vals, NULL,
                            NULL, 0);
    if (!s->prepared || s->gen != c->gen) {
        PGresult *p = PQprepare(c->pg, s->name, s->sql, s->nparams,
                                s->types);
        if (PQresultStatus(p) != PGRES_COMMAND_OK)
            return p;
        PQclear(p);
        s->prepared = true;
        s->gen = c->gen;
    }
    return PQexecPrepared(c->pg, s->name, s->nparams, vals, NULL, NULL, 0);
}

static enum sql_rc pg_step(struct sql_stmt *st)
{
    struct pg_stmt *s = S(st);
    struct pg_conn *c = C(st->conn);
    if (!s->ran) {
        s->ran = true;
        s->row = -1;
        if (!usable(c)) {
            str_copy(c->err, sizeof c->err, "connection to PostgreSQL lost");
            return SQL_ERROR;
        }
        s->res = run(c, s);
        ExecStatusType x = PQresultStatus(s->res);
        if (x != PGRES_COMMAND_OK && x != PGRES_TUPLES_OK) {
            enum sql_rc rc = fail(c, s->res);
            PQclear(s->res);
            s->res = NULL;
            return rc;
        }
        count_changes(c, s->res);
    }
    if (!s->res)
        return SQL_ERROR;
    if (++s->row < PQntuples(s->res))
        return SQL_ROW;
    s->row = PQntuples(s->res);
    return SQL_DONE;
}

static bool has_row(struct pg_stmt *s, int i)
{
    return s->res && s->row >= 0 && s->row < PQntuples(s->res) && i >= 0 &&
           i < PQnfields(s->res);
}

static const char *pg_col_text(struct sql_stmt *st, int i)
{
    struct pg_stmt *s = S(st);
    if (!has_row(s, i) || PQgetisnull(s->res, s->row, i))
        return NULL;
    return PQgetvalue(s->res, s->row, i);
}

static int64_t pg_col_int(struct sql_stmt *st, int i)
{
    const char *v = pg_col_text(st, i);
    if (!v)
        return 0;
    if (PQftype(S(st)->res, i) == OID_BOOL)
        return v[0] == 't';
    return strtoll(v, NULL, 10);
}

static enum sql_type pg_col_type(struct sql_stmt *st, int i)
{
    struct pg_stmt *s = S(st);
    if (!has_row(s, i) || PQgetisnull(s->res, s->row, i))
        return SQL_NULL;
    switch (PQftype(s->res, i)) {
    case OID_INT8: case OID_INT4: case OID_INT2: case OID_BOOL:
        return SQL_INT;
    default:
        return SQL_TEXT;
    }
}

static int pg_col_count(struct sql_stmt *st)
{
    struct pg_stmt *s = S(st);
    if (s->res)
        return PQnfields(s->res);
    /* Before the first step: what the server says the statement returns. */
    struct pg_conn *c = C(st->conn);
    PGresult *d = NULL;
    int n = 0;
    if (s->keep && s->prepared && s->gen == c->gen)
        d = PQdescribePrepared(c->pg, s->name);
    else if (!s->keep || !s->prepared) {
        PGresult *p = PQprepare(c->pg, "", s->sql, s->nparams, s->types);
        PQclear(p);
        d = PQdescribePrepared(c->pg, "");
    }
    if (d && PQresultStatus(d) == PGRES_COMMAND_OK)
        n = PQnfields(d);
    PQclear(d);
    return n;
}

static void pg_reset(struct sql_stmt *st)
{
    struct pg_stmt *s = S(st);
    PQclear(s->res);
    s->res = NULL;
    s->ran = false;
    s->row = -1;
    for (int i = 0; i < s->nparams; i++) {
        free(s->vals[i]);
        s->vals[i] = NULL;
    }
}

static void pg_finalize(struct sql_stmt *st)
{
    struct pg_stmt *s = S(st);
    pg_reset(st);
    /* Prepared ones end with the connection: DEALLOCATE would cost a
     * round trip per statement at close. */
    free(s->vals);
    free(s->types);
    free(s->sql);
    free(s);
}

/* Kept for usable() to run again after a reset. */
static enum sql_rc pg_session(struct sql_conn *sc, const char *sql)
{
    struct pg_conn *c = C(sc);
    size_t n = c->session ? strlen(c->session) : 0;
    c->session = xrealloc(c->session, n + strlen(sql) + 2);
    snprintf(c->session + n, strlen(sql) + 2, "%s%s", n ? ";" : "", sql);
    return pg_exec(sc, sql);
}

static enum sql_rc pg_open_reader(const char *url, struct sql_conn **out,
                                  char *msg, size_t cap)
{
    enum sql_rc rc = pg_open(url, out, msg, cap);
    if (rc != SQL_OK)
        return rc;
    rc = pg_session(*out, "SET default_transaction_read_only = on");
    if (rc != SQL_OK) {
        str_copy(msg, cap, pg_errmsg(*out));
        pg_close(*out);
        *out = NULL;
    }
    return rc;
}

const struct sql_ops sql_pg_ops = {
    .open = pg_open, .open_reader = pg_open_reader,
    .close = pg_close, .errmsg = pg_errmsg,
    .exec = pg_exec, .schema = pg_schema, .session = pg_session, .begin_sql = "BEGIN",
    .begin_read_sql = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    .changes = pg_changes, .prepare = pg_prepare,
    .bind_int = pg_bind_int, .bind_text = pg_bind_text,
    .bind_null = pg_bind_null, .step = pg_step,
    .col_int = pg_col_int, .col_text = pg_col_text,
    .col_type = pg_col_type, .col_count = pg_col_count,
    .reset = pg_reset, .finalize = pg_finalize,
};
