/* firmware/store_confirm.c - verdicts with their method, the logs awaiting
 * a resident's confirmation, and the answers given here
 * (firmware/store_confirm.h). */
#include "firmware/store_confirm.h"

#include <string.h>

#include "firmware/store_int.h"

err_code store_log_set_verdict(struct store *s, uint64_t seq,
                               const struct log_verdict *v)
{
    sqlite3_stmt *st = store_stmt(s, "UPDATE service_logs SET status = ?,"
        " points = ?, method = ?, rating = ?, reason = ?, decided_ms = ?"
        " WHERE seq = ?");

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_int(st, 1, (int)v->status);
    sqlite3_bind_int(st, 2, v->points);
    sqlite3_bind_int(st, 3, (int)v->method);
    sqlite3_bind_int(st, 4, (int)v->rating);
    sqlite3_bind_text(st, 5, v->reason ? v->reason : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, v->decided_ms);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)seq);
    return store_step_done(s, st, "log verdict");
}

err_code store_awaiting_apply(struct store *s, const struct change *c)
{
    const struct change_service_awaiting *a = &c->u.service_awaiting;
    sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO"
        " service_awaiting(key, ticket, device, epoch, seq, member_no, name,"
        " category, minutes, day) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, c->key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, a->ticket, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, a->device, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, a->epoch, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)a->seq);
    sqlite3_bind_text(st, 6, a->member_no, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, a->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, a->category, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 9, a->minutes);
    sqlite3_bind_int64(st, 10, a->day);
    return store_step_done(s, st, "awaiting put");
}

#define AWAITING_COLS "key, ticket, device, epoch, seq, member_no, name," \
    " category, minutes, day"

static void awaiting_read(sqlite3_stmt *st, struct awaiting *w)
{
    struct change_service_awaiting *a = &w->a;
    memset(w, 0, sizeof *w);
    store_col_text(st, 0, w->key, sizeof w->key);
    store_col_text(st, 1, a->ticket, sizeof a->ticket);
    store_col_text(st, 2, a->device, sizeof a->device);
    store_col_text(st, 3, a->epoch, sizeof a->epoch);
    a->seq = (uint64_t)sqlite3_column_int64(st, 4);
    store_col_text(st, 5, a->member_no, sizeof a->member_no);
    store_col_text(st, 6, a->name, sizeof a->name);
    store_col_text(st, 7, a->category, sizeof a->category);
    a->minutes = sqlite3_column_int(st, 8);
    a->day = sqlite3_column_int64(st, 9);
}

err_code store_awaiting_for(struct store *s, const char *ticket,
                            struct awaiting *out, size_t cap, size_t *n)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT " AWAITING_COLS
        " FROM service_awaiting WHERE ticket = ? AND key NOT IN"
        " (SELECT key FROM service_answers) ORDER BY day DESC, key LIMIT ?");
    int rc;

    *n = 0;
    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, ticket, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)cap);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        awaiting_read(st, &out[(*n)++]);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? ERR_OK : store_err(s, rc, "awaiting for");
}

err_code store_awaiting_get(struct store *s, const char *key,
                            struct awaiting *out)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT " AWAITING_COLS
        " FROM service_awaiting WHERE key = ?");
    int rc;

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        awaiting_read(st, out);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return ERR_OK;
    return rc == SQLITE_DONE ? ERR_NOTFOUND
                             : store_err(s, rc, "awaiting get");
}

err_code store_answer_put(struct store *s, const char *key, int64_t ms)
{
    sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO"
        " service_answers(key, answered_ms) VALUES(?, ?)");

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, ms);
    return store_step_done(s, st, "answer put");
}

err_code store_answer_has(struct store *s, const char *key, bool *has)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM service_answers"
                                  " WHERE key = ?");
    int rc;

    *has = false;
    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    *has = rc == SQLITE_ROW;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE
           ? ERR_OK : store_err(s, rc, "answer has");
}
