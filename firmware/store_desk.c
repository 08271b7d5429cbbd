/* firmware/store_desk.c - the duty desk's tables (firmware/store_desk.h). */
#include "firmware/store_desk.h"

#include <string.h>

#include "base/xmalloc.h"
#include "firmware/store_int.h"

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

err_code store_visitor_put(struct store *s, const struct visitor_row *v)
{
    sqlite3_stmt *st = store_stmt(s, "INSERT INTO visitors(seq, member_no,"
        " at_ms, day, type, building, unit, text, outcome, reason, ticket)"
        " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return ERR_DB;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)v->seq);
    bind_text(st, 2, v->member_no);
    sqlite3_bind_int64(st, 3, v->at_ms);
    sqlite3_bind_int64(st, 4, v->day);
    bind_text(st, 5, v->type);
    bind_text(st, 6, v->building);
    bind_text(st, 7, v->unit);
    bind_text(st, 8, v->text);
    sqlite3_bind_int(st, 9, (int)v->outcome);
    bind_text(st, 10, v->reason);
    bind_text(st, 11, v->ticket);
    return store_step_done(s, st, "visitor put");
}

err_code store_visitors_day(struct store *s, int64_t day,
                            struct visitor_row *out, size_t cap, size_t *n)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT seq, member_no, at_ms, day,"
        " type, building, unit, text, outcome, reason, ticket FROM visitors"
        " WHERE day = ? ORDER BY at_ms, seq");
    int rc;
    *n = 0;
    if (!st)
        return ERR_DB;
    sqlite3_bind_int64(st, 1, day);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < cap) {
        struct visitor_row *v = &out[(*n)++];
        memset(v, 0, sizeof *v);
        v->seq = (uint64_t)sqlite3_column_int64(st, 0);
        store_col_text(st, 1, v->member_no, sizeof v->member_no);
        v->at_ms = sqlite3_column_int64(st, 2);
        v->day = sqlite3_column_int64(st, 3);
        store_col_text(st, 4, v->type, sizeof v->type);
        store_col_text(st, 5, v->building, sizeof v->building);
        store_col_text(st, 6, v->unit, sizeof v->unit);
        store_col_text(st, 7, v->text, sizeof v->text);
        v->outcome = (enum desk_outcome)sqlite3_column_int(st, 8);
        store_col_text(st, 9, v->reason, sizeof v->reason);
        store_col_text(st, 10, v->ticket, sizeof v->ticket);
    }
    sqlite3_reset(st);                 /* no read snapshot left open */
    return rc == SQLITE_ROW || rc == SQLITE_DONE
           ? ERR_OK : store_err(s, rc, "visitors");
}

err_code store_duty_credited(struct store *s, const char *member_no,
                             int64_t day, bool *yes)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT seq FROM duty_credits"
                                  " WHERE member_no = ? AND day = ?");
    int64_t seq;
    *yes = false;
    if (!st)
        return ERR_DB;
    bind_text(st, 1, member_no);
    sqlite3_bind_int64(st, 2, day);
    err_code e = store_step_int64(s, st, &seq, "duty credited");
    if (e == ERR_NOTFOUND)
        return ERR_OK;
    *yes = e == ERR_OK;
    return e;
}

err_code store_duty_credit_put(struct store *s, const char *member_no,
                               int64_t day, uint64_t seq)
{
    sqlite3_stmt *st = store_stmt(s, "INSERT INTO duty_credits(member_no,"
                                  " day, seq) VALUES(?, ?, ?)");
    if (!st)
        return ERR_DB;
    bind_text(st, 1, member_no);
    sqlite3_bind_int64(st, 2, day);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)seq);
    return store_step_done(s, st, "duty credit put");
}
