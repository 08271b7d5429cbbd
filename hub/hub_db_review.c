/* hub/hub_db_review.c - service logs and their verdicts. */
#include "hub/hub_db_review.h"

#include "base/xmalloc.h"
#include "hub/hub_db_int.h"

err_code hub_db_pending_each(struct hub_db *db,
                             void (*fn)(void *ctx,
                                        const struct hub_pending *p),
                             void *ctx)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT l.device, l.seq,"
        " l.station, l.member_no, coalesce(m.name, ''), l.category,"
        " l.minutes, l.day, l.note, l.epoch, l.served_place, l.served_ticket FROM service_logs l"
        " LEFT JOIN members m USING(member_no) WHERE l.status = 'pending'"
        " ORDER BY l.station, l.device, l.seq, l.epoch");
    if (!st)
        return ERR_DB;
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        struct hub_pending p = {
            .device = hub_db_col_text(st, 0),
            .seq = sql_col_int(st, 1),
            .station = hub_db_col_text(st, 2),
            .member_no = hub_db_col_text(st, 3),
            .name = hub_db_col_text(st, 4),
            .category = hub_db_col_text(st, 5),
            .minutes = sql_col_int(st, 6),
            .day = hub_db_col_text(st, 7),
            .note = hub_db_col_text(st, 8),
            .epoch = hub_db_col_text(st, 9),
            .served_place = hub_db_col_text(st, 10),
            .served_ticket = hub_db_col_text(st, 11),
        };
        fn(ctx, &p);
    }
    err_code e = hub_db_rows_end(db, rc, "pending");
    sql_finalize(st);
    return e;
}

err_code hub_db_log_get(struct hub_db *db, const struct hub_log_key *k,
                        char *station, char *epoch, size_t cap,
                        int *minutes)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT station, minutes, epoch"
                                      " FROM service_logs WHERE device = ?"
                                      " AND seq = ? AND (?3 IS NULL OR"
                                      " epoch = ?3) LIMIT 2");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, k->device);
    sql_bind_int(st, 2, (int64_t)k->seq);
    hub_db_bind_text(st, 3, k->epoch);
    err_code e = ERR_NOTFOUND;
    enum sql_rc rc = sql_step(st);
    if (rc == SQL_ROW) {
        str_copy(station, cap, hub_db_col_text(st, 0));
        *minutes = sql_col_int(st, 1);
        str_copy(epoch, cap, hub_db_col_text(st, 2));
        rc = sql_step(st);
        e = rc == SQL_ROW ? ERR_INVAL : ERR_OK;
    }
    if (rc != SQL_ROW && rc != SQL_DONE)
        e = hub_db_err(db, rc, "log get");
    sql_finalize(st);
    return e;
}

err_code hub_db_log_decide(struct hub_db *db, const struct hub_log_key *k,
                           const char *status, int points)
{
    struct sql_stmt *st = hub_db_prep(db, "UPDATE service_logs SET status = ?,"
                                      " points = ?, decided_ms = ?"
                                      " WHERE device = ? AND seq = ?"
                                      " AND epoch = ?");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, status);
    sql_bind_int(st, 2, points);
    sql_bind_int(st, 3, hub_now_ms());
    hub_db_bind_text(st, 4, k->device);
    sql_bind_int(st, 5, (int64_t)k->seq);
    hub_db_bind_text(st, 6, k->epoch);
    return hub_db_done(db, st, "decide");
}
