/* hub/hub_db_ledger_list.c - the ledger's lists for staff pages, with
 * every filter in SQL (hub/hub_db_ledger_list.h). */
#include "hub/hub_db_ledger_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ledger.h"
#include "base/xmalloc.h"
#include "hub/hub_db_int.h"

/* The states hub_ledger_overdue counts (not answered, not closed). The
 * partial index below repeats the same words: SQLite uses a partial
 * index only when the query holds its WHERE term as written. */
#define LIVE_STATES "state IN ('registered', 'accepted', 'assigned'," \
                    " 'reopened')"
#define OVERDUE_SQL "(" LIVE_STATES " AND deadline_ms > 0 AND deadline_ms < ?)"

static const char list_schema[] =
    /* Newest first over many stations (an administrator, a district). */
    "CREATE INDEX IF NOT EXISTS tickets_filed ON tickets(filed_ms);"
    /* The dashboard's overdue count reads only live tickets past their
     * deadline, not a year of closed ones. */
    "CREATE INDEX IF NOT EXISTS tickets_due ON tickets(deadline_ms)"
    " WHERE " LIVE_STATES ";";

err_code hub_db_ledger_list_migrate(struct hub_db *db)
{
    return hub_db_schema(db, list_schema);
}

/* A WHERE clause and its values in order (bare ? placeholders). */
#define BIND_MAX 2100
struct where {
    char   *sql;
    size_t  len, cap;
    struct { const char *s; int64_t i; bool is_text; } v[BIND_MAX];
    int     n;
    bool    too_many;
};

static void w_add(struct where *w, const char *sql)
{
    size_t n = strlen(sql);
    if (w->len + n + 1 > w->cap) {
        w->cap = (w->len + n + 1) * 2;
        w->sql = xrealloc(w->sql, w->cap);
    }
    memcpy(w->sql + w->len, sql, n + 1);
    w->len += n;
}

static void w_text(struct where *w, const char *s)
{
    if (w->n == BIND_MAX) {
        w->too_many = true;
        return;
    }
    w->v[w->n].s = s;
    w->v[w->n++].is_text = true;
}

static void w_int(struct where *w, int64_t i)
{
    if (w->n == BIND_MAX) {
        w->too_many = true;
        return;
    }
    w->v[w->n].i = i;
    w->v[w->n++].is_text = false;
}

static void w_bind(const struct where *w, struct sql_stmt *st, int first)
{
    for (int i = 0; i < w->n; i++) {
        if (w->v[i].is_text)
            hub_db_bind_text(st, first + i, w->v[i].s);
        else
            sql_bind_int(st, first + i, w->v[i].i);
    }
}

/* Everything but the state: stations, station, kind, period. */
static void where_common(struct where *w, const struct hub_ledger_filter *f)
{
    w_add(w, " WHERE 1 = 1");
    if (f->stations) {
        if (f->n_stations == 0) {
            w_add(w, " AND 1 = 0");
        } else {
            w_add(w, " AND station IN (");
            for (size_t i = 0; i < f->n_stations; i++) {
                w_add(w, i ? ", ?" : "?");
                w_text(w, f->stations[i]);
            }
            w_add(w, ")");
        }
    }
    if (f->station && f->station[0]) {
        w_add(w, " AND station = ?");
        w_text(w, f->station);
    }
    if (f->kind) {
        w_add(w, " AND kind = ?");
        w_text(w, ledger_kind_name(f->kind));
    }
    if (f->from_ms > 0) {
        w_add(w, " AND filed_ms >= ?");
        w_int(w, f->from_ms);
    }
    if (f->to_ms > 0) {
        w_add(w, " AND filed_ms < ?");
        w_int(w, f->to_ms);
    }
}

static bool where_state(struct where *w, const struct hub_ledger_filter *f)
{
    const char *s = f->state;
    if (!s || !s[0])
        return true;
    if (strcmp(s, "open") == 0) {
        w_add(w, " AND state <> 'closed'");
    } else if (strcmp(s, "overdue") == 0) {
        w_add(w, " AND " OVERDUE_SQL);
        w_int(w, f->now_ms);
    } else if (ledger_state_parse(s) != 0) {
        w_add(w, " AND state = ?");
        w_text(w, s);
    } else {
        return false;
    }
    return true;
}

#define LIST_COLS "ticket, station, device, kind, type, building, unit," \
    " text, state, filed_ms, accepted_ms, assigned_ms, deadline_ms," \
    " answered_ms, closed_ms, accepted_by, assignee, answer, answered_by," \
    " reason, signoffs, satisfied, points"

static void list_read(struct sql_stmt *st, struct hub_ticket *t)
{
    int i = 0;
    memset(t, 0, sizeof *t);
#define TXT(f) str_copy(t->f, sizeof t->f, hub_db_col_text(st, i++))
#define I64(f) (t->f = sql_col_int(st, i++))
    TXT(ticket); TXT(station); TXT(device);
    t->kind = ledger_kind_parse(hub_db_col_text(st, i++));
    TXT(type); TXT(building); TXT(unit); TXT(text);
    t->state = ledger_state_parse(hub_db_col_text(st, i++));
    I64(filed_ms); I64(accepted_ms); I64(assigned_ms); I64(deadline_ms);
    I64(answered_ms); I64(closed_ms);
    TXT(accepted_by); TXT(assignee); TXT(answer); TXT(answered_by);
    TXT(reason);
    t->signoffs = (int)sql_col_int(st, i++);
    t->satisfied = (int)sql_col_int(st, i++);
    t->points = (int)sql_col_int(st, i++);
#undef TXT
#undef I64
}

err_code hub_db_ledger_search(struct hub_db *db,
                              const struct hub_ledger_filter *f,
                              void (*fn)(void *ctx,
                                         const struct hub_ticket *t),
                              void *ctx, int64_t *total)
{
    struct where *w = xcalloc(1, sizeof *w);
    err_code e = ERR_OK;
    *total = 0;
    where_common(w, f);
    if (!where_state(w, f) || w->too_many) {
        free(w->sql);
        free(w);
        return ERR_INVAL;
    }
    size_t cap = w->len + 1024;   /* the columns, ORDER BY, LIMIT */
    char *sql = xmalloc(cap);
    snprintf(sql, cap, "SELECT COUNT(*) FROM tickets%s", w->sql);
    struct sql_stmt *st = hub_db_prep(db, sql);
    if (!st) {
        e = ERR_DB;
    } else {
        w_bind(w, st, 1);
        e = hub_db_step_one(db, st, "tickets count");
        if (e == ERR_OK)
            *total = sql_col_int(st, 0);
        sql_finalize(st);
    }
    if (e == ERR_OK) {
        snprintf(sql, cap, "SELECT " LIST_COLS " FROM tickets%s"
                 " ORDER BY filed_ms DESC, ticket DESC LIMIT ? OFFSET ?",
                 w->sql);
        st = hub_db_prep(db, sql);
        if (!st)
            e = ERR_DB;
    }
    if (e == ERR_OK) {
        w_bind(w, st, 1);
        sql_bind_int(st, w->n + 1, f->limit > 0 ? f->limit : 50);
        sql_bind_int(st, w->n + 2, f->offset > 0 ? f->offset : 0);
        enum sql_rc rc;
        struct hub_ticket *t = xmalloc(sizeof *t);
        while ((rc = sql_step(st)) == SQL_ROW) {
            list_read(st, t);
            fn(ctx, t);
        }
        free(t);
        e = hub_db_rows_end(db, rc, "tickets search");
        sql_finalize(st);
    }
    free(sql);
    free(w->sql);
    free(w);
    return e;
}

err_code hub_db_ledger_counts(struct hub_db *db,
                              const struct hub_ledger_filter *f,
                              int64_t by_state[LEDGER_REOPENED + 1],
                              int64_t *overdue)
{
    struct where *w = xcalloc(1, sizeof *w);
    memset(by_state, 0, sizeof(int64_t) * (LEDGER_REOPENED + 1));
    *overdue = 0;
    /* The overdue sum's value comes first in the statement. */
    w_int(w, f->now_ms);
    where_common(w, f);
    if (w->too_many) {
        free(w->sql);
        free(w);
        return ERR_INVAL;
    }
    size_t cap = w->len + 1024;   /* the columns, ORDER BY, LIMIT */
    char *sql = xmalloc(cap);
    snprintf(sql, cap, "SELECT state, COUNT(*),"
             " CAST(SUM(CASE WHEN " OVERDUE_SQL " THEN 1 ELSE 0 END) AS BIGINT)"
             " FROM tickets%s GROUP BY state", w->sql);
    struct sql_stmt *st = hub_db_prep(db, sql);
    err_code e = ERR_DB;
    if (st) {
        w_bind(w, st, 1);
        enum sql_rc rc;
        while ((rc = sql_step(st)) == SQL_ROW) {
            enum ledger_state s = ledger_state_parse(hub_db_col_text(st, 0));
            if (s >= LEDGER_REGISTERED && s <= LEDGER_REOPENED)
                by_state[s] += sql_col_int(st, 1);
            *overdue += sql_col_int(st, 2);
        }
        e = hub_db_rows_end(db, rc, "tickets counts");
        sql_finalize(st);
    }
    free(sql);
    free(w->sql);
    free(w);
    return e;
}

err_code hub_db_ledger_overdue_count(struct hub_db *db, int64_t now_ms,
                                     void (*fn)(void *ctx,
                                                const char *station,
                                                int64_t n),
                                     void *ctx)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT station, COUNT(*)"
        " FROM tickets WHERE " OVERDUE_SQL " GROUP BY station");
    if (!st)
        return ERR_DB;
    sql_bind_int(st, 1, now_ms);
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW)
        fn(ctx, hub_db_col_text(st, 0), sql_col_int(st, 1));
    err_code e = hub_db_rows_end(db, rc, "tickets overdue");
    sql_finalize(st);
    return e;
}
