/* firmware/store_events.c - the append-only event log and the local views
 * it keeps up to date (visits, service logs). Callers wrap a change in
 * store_begin/store_commit; these functions never open a transaction. */
#include "firmware/store_int.h"
#include "firmware/store_ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"

err_code store_event_append(struct store *s, struct event *ev)
{
    sqlite3_stmt *st = store_stmt(s,
        "INSERT INTO events(kind, member_no, wall_ms, clock_trusted, boot_id,"
        " mono_ms, data) VALUES(?, ?, ?, ?, ?, ?, ?)");
    err_code e;

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_int(st, 1, (int)ev->kind);
    sqlite3_bind_text(st, 2, ev->member_no, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, ev->at.wall_ms);
    sqlite3_bind_int(st, 4, ev->at.clock_trusted);
    sqlite3_bind_text(st, 5, ev->at.boot_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, ev->at.mono_ms);
    sqlite3_bind_text(st, 7, ev->data[0] ? ev->data : "{}", -1, SQLITE_STATIC);
    e = store_step_done(s, st, "event append");
    if (e == ERR_OK)
        ev->seq = (uint64_t)sqlite3_last_insert_rowid(s->db);
    return e;
}

static void event_from_row(sqlite3_stmt *st, struct event *ev)
{
    ev->seq = (uint64_t)sqlite3_column_int64(st, 0);
    ev->kind = (enum event_kind)sqlite3_column_int(st, 1);
    store_col_text(st, 2, ev->member_no, sizeof ev->member_no);
    ev->at.wall_ms = sqlite3_column_int64(st, 3);
    ev->at.clock_trusted = sqlite3_column_int(st, 4) != 0;
    store_col_text(st, 5, ev->at.boot_id, sizeof ev->at.boot_id);
    ev->at.mono_ms = sqlite3_column_int64(st, 6);
    store_col_text(st, 7, ev->data, sizeof ev->data);
}

err_code store_events_after(struct store *s, uint64_t after,
                            struct event *out, size_t cap, size_t *n)
{
    sqlite3_stmt *st = store_stmt(s,
        "SELECT seq, kind, member_no, wall_ms, clock_trusted, boot_id,"
        " mono_ms, data FROM events WHERE seq > ? ORDER BY seq LIMIT ?");
    int rc;

    *n = 0;
    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)after);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)cap);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        event_from_row(st, &out[(*n)++]);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? ERR_OK : store_err(s, rc, "events after");
}

static err_code meta_u64(struct store *s, const char *key, uint64_t *v)
{
    int64_t n;
    err_code e = store_meta_i64(s, key, &n, NULL);

    *v = n > 0 ? (uint64_t)n : 0;
    return e;
}

err_code store_acked_seq(struct store *s, uint64_t *seq)
{
    return meta_u64(s, "acked_seq", seq);
}

err_code store_set_acked_seq(struct store *s, uint64_t seq)
{
    uint64_t old;
    char buf[32];
    err_code e = store_acked_seq(s, &old);

    if (e != ERR_OK || seq <= old)
        return e;               /* an old or repeated ack changes nothing */
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)seq);
    e = store_meta_set(s, "acked_seq", buf);
    /* The hub holds them now: callback phones leave this unit. */
    return e == ERR_OK ? store_ledger_scrub_acked(s, seq) : e;
}

err_code store_last_seq(struct store *s, uint64_t *seq)
{
    int64_t v;
    err_code e = store_step_int64(s, store_stmt(s,
        "SELECT coalesce(max(seq), 0) FROM events"), &v, "last seq");

    *seq = (uint64_t)v;
    return e;
}

err_code store_registered(struct store *s, const char *member_no, bool *yes)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT EXISTS(SELECT 1 FROM events"
        " WHERE kind = 4 AND member_no = ?)");
    int64_t v;
    err_code e;

    if (st != NULL)
        sqlite3_bind_text(st, 1, member_no, -1, SQLITE_STATIC);
    e = store_step_int64(s, st, &v, "registered");
    *yes = v != 0;
    return e;
}

/* ---- visits ----------------------------------------------------------- */

#define VISIT_COLS "id, member_no, in_seq, in_ms, coalesce(out_ms, 0)," \
                   " coalesce(minutes, 0), auto_closed, in_boot_id, in_mono_ms"

static void visit_from_row(sqlite3_stmt *st, struct visit *v)
{
    v->id = sqlite3_column_int64(st, 0);
    store_col_text(st, 1, v->member_no, sizeof v->member_no);
    v->in_seq = (uint64_t)sqlite3_column_int64(st, 2);
    v->in_ms = sqlite3_column_int64(st, 3);
    v->out_ms = sqlite3_column_int64(st, 4);
    v->minutes = sqlite3_column_int(st, 5);
    v->auto_closed = sqlite3_column_int(st, 6) != 0;
    store_col_text(st, 7, v->in_boot_id, sizeof v->in_boot_id);
    v->in_mono_ms = sqlite3_column_int64(st, 8);
}

/* Step a one-row query into *v: ERR_NOTFOUND when there is no row. */
static err_code visit_one(struct store *s, sqlite3_stmt *st, struct visit *v)
{
    int rc = sqlite3_step(st);

    if (rc == SQLITE_ROW)
        visit_from_row(st, v);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return ERR_OK;
    return rc == SQLITE_DONE ? ERR_NOTFOUND : store_err(s, rc, "visit");
}

err_code store_visit_open_for(struct store *s, const char *member_no,
                              struct visit *out)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT " VISIT_COLS " FROM visits"
        " WHERE member_no = ? AND out_ms IS NULL ORDER BY in_ms DESC LIMIT 1");

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, member_no, -1, SQLITE_STATIC);
    return visit_one(s, st, out);
}

err_code store_visit_last(struct store *s, const char *member_no,
                          struct visit *out)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT " VISIT_COLS " FROM visits"
        " WHERE member_no = ? ORDER BY in_ms DESC, id DESC LIMIT 1");

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, member_no, -1, SQLITE_STATIC);
    return visit_one(s, st, out);
}

err_code store_visit_insert(struct store *s, struct visit *v)
{
    sqlite3_stmt *st = store_stmt(s,
        "INSERT INTO visits(member_no, in_seq, in_ms, in_boot_id, in_mono_ms)"
        " VALUES(?, ?, ?, ?, ?)");
    err_code e;

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, v->member_no, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)v->in_seq);
    sqlite3_bind_int64(st, 3, v->in_ms);
    sqlite3_bind_text(st, 4, v->in_boot_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, v->in_mono_ms);
    e = store_step_done(s, st, "visit insert");
    if (e == ERR_OK)
        v->id = sqlite3_last_insert_rowid(s->db);
    return e;
}

err_code store_visit_close(struct store *s, int64_t id, int64_t out_ms,
                           int minutes, bool auto_closed)
{
    sqlite3_stmt *st = store_stmt(s, "UPDATE visits SET out_ms = ?,"
        " minutes = ?, auto_closed = ? WHERE id = ? AND out_ms IS NULL");

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_int64(st, 1, out_ms);
    sqlite3_bind_int(st, 2, minutes);
    sqlite3_bind_int(st, 3, auto_closed);
    sqlite3_bind_int64(st, 4, id);
    return store_step_done(s, st, "visit close");
}

err_code store_visits_open_before(struct store *s, int64_t before_ms,
                                  struct visit *out, size_t cap, size_t *n)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT " VISIT_COLS " FROM visits"
        " WHERE out_ms IS NULL AND in_ms < ? ORDER BY in_ms LIMIT ?");
    int rc;

    *n = 0;
    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_int64(st, 1, before_ms);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)cap);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        visit_from_row(st, &out[(*n)++]);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? ERR_OK : store_err(s, rc, "open visits");
}

err_code store_visit_minutes(struct store *s, const char *member_no,
                             int64_t from_ms, int64_t to_ms, int *minutes)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT coalesce(sum(minutes), 0)"
        " FROM visits WHERE member_no = ? AND out_ms IS NOT NULL"
        " AND in_ms >= ? AND in_ms < ?");
    int64_t v;
    err_code e;

    if (st != NULL) {
        sqlite3_bind_text(st, 1, member_no, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, from_ms);
        sqlite3_bind_int64(st, 3, to_ms);
    }
    e = store_step_int64(s, st, &v, "visit minutes");
    *minutes = (int)v;
    return e;
}

/* ---- service logs ----------------------------------------------------- */

err_code store_log_insert(struct store *s, const struct service_log *l)
{
    sqlite3_stmt *st = store_stmt(s, "INSERT INTO service_logs(seq,"
        " member_no, category, minutes, day, backfilled, note, status, points,"
        " logged_ms, served_place, served_ticket)"
        " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)l->seq);
    sqlite3_bind_text(st, 2, l->member_no, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, l->category, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, l->minutes);
    sqlite3_bind_int64(st, 5, l->day);
    sqlite3_bind_int(st, 6, l->backfilled);
    sqlite3_bind_text(st, 7, l->note, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 8, (int)l->status);
    sqlite3_bind_int(st, 9, l->points);
    sqlite3_bind_int64(st, 10, l->logged_ms);
    sqlite3_bind_text(st, 11, l->served_place, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 12, l->served_ticket, -1, SQLITE_STATIC);
    return store_step_done(s, st, "log insert");
}

err_code store_log_set_status(struct store *s, uint64_t seq,
                              enum log_status status, int points)
{
    sqlite3_stmt *st = store_stmt(s,
        "UPDATE service_logs SET status = ?, points = ? WHERE seq = ?");

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_int(st, 1, (int)status);
    sqlite3_bind_int(st, 2, points);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)seq);
    return store_step_done(s, st, "log status");
}

err_code store_logs_for(struct store *s, const char *member_no,
                        int64_t from_day, int64_t to_day,
                        struct service_log *out, size_t cap, size_t *n)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT seq, member_no, category,"
        " minutes, day, backfilled, note, status, points, logged_ms,"
        " served_place, served_ticket, method, rating, reason, decided_ms"
        " FROM service_logs WHERE member_no = ? AND day >= ? AND day < ?"
        " ORDER BY day DESC, seq DESC LIMIT ?");
    int rc;

    *n = 0;
    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, member_no, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, from_day);
    sqlite3_bind_int64(st, 3, to_day);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)cap);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct service_log *l = &out[(*n)++];
        l->seq = (uint64_t)sqlite3_column_int64(st, 0);
        store_col_text(st, 1, l->member_no, sizeof l->member_no);
        store_col_text(st, 2, l->category, sizeof l->category);
        l->minutes = sqlite3_column_int(st, 3);
        l->day = sqlite3_column_int64(st, 4);
        l->backfilled = sqlite3_column_int(st, 5) != 0;
        store_col_text(st, 6, l->note, sizeof l->note);
        l->status = (enum log_status)sqlite3_column_int(st, 7);
        l->points = sqlite3_column_int(st, 8);
        l->logged_ms = sqlite3_column_int64(st, 9);
        store_col_text(st, 10, l->served_place, sizeof l->served_place);
        store_col_text(st, 11, l->served_ticket, sizeof l->served_ticket);
        l->method = (enum confirm_method)sqlite3_column_int(st, 12);
        l->rating = (enum confirm_rating)sqlite3_column_int(st, 13);
        store_col_text(st, 14, l->reason, sizeof l->reason);
        l->decided_ms = sqlite3_column_int64(st, 15);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? ERR_OK : store_err(s, rc, "logs for");
}
