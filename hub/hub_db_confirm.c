/* hub/hub_db_confirm.c - service confirmation in the hub's store
 * (hub/hub_db_confirm.h). */
#include "hub/hub_db_confirm.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "base/event.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "hub/hub_db_int.h"
#include "hub/hub_db_ledger.h"
#include "hub/hub_points.h"

/* ---- schema ------------------------------------------------------------ */

static const char *const columns[] = {
    "method", "rating", "confirmed_by", "decided_reason", "served_place",
    "served_ticket",
};

/* SQLite has no ADD COLUMN IF NOT EXISTS: a column that cannot be
 * selected is added. PostgreSQL says it itself, once (hub_db_schema
 * remembers what it applied). */
err_code hub_db_confirm_migrate(struct hub_db *db)
{
    char sql[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < sizeof columns / sizeof columns[0]; i++) {
        if (sql_dialect(db->db) == SQL_SQLITE) {
            char q[96];
            snprintf(q, sizeof q, "SELECT %s FROM service_logs LIMIT 0",
                     columns[i]);
            struct sql_stmt *st = sql_prepare(db->db, q, false);
            sql_finalize(st);
            if (st)
                continue;
        }
        used += (size_t)snprintf(sql + used, sizeof sql - used,
                                 "ALTER TABLE service_logs ADD COLUMN %s%s"
                                 " TEXT;", sql_dialect(db->db) == SQL_SQLITE
                                 ? "" : "IF NOT EXISTS ", columns[i]);
    }
    if (used == 0)
        return ERR_OK;
    return sql_dialect(db->db) == SQL_SQLITE ? hub_db_exec(db, sql)
                                             : hub_db_schema(db, sql);
}

/* ---- the log ----------------------------------------------------------- */

err_code hub_db_log_info(struct hub_db *db, const struct hub_log_key *k,
                         struct hub_log_info *out)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT station, epoch, member_no,"
        " status, coalesce(served_ticket, ''), minutes FROM service_logs"
        " WHERE device = ? AND seq = ? AND (?3 IS NULL OR epoch = ?3)"
        " LIMIT 2");
    if (!st)
        return ERR_DB;
    memset(out, 0, sizeof *out);
    hub_db_bind_text(st, 1, k->device);
    sql_bind_int(st, 2, (int64_t)k->seq);
    hub_db_bind_text(st, 3, k->epoch);
    err_code e = ERR_NOTFOUND;
    enum sql_rc rc = sql_step(st);
    if (rc == SQL_ROW) {
        str_copy(out->station, sizeof out->station, hub_db_col_text(st, 0));
        str_copy(out->epoch, sizeof out->epoch, hub_db_col_text(st, 1));
        str_copy(out->member_no, sizeof out->member_no,
                 hub_db_col_text(st, 2));
        str_copy(out->status, sizeof out->status, hub_db_col_text(st, 3));
        str_copy(out->served_ticket, sizeof out->served_ticket,
                 hub_db_col_text(st, 4));
        out->minutes = (int)sql_col_int(st, 5);
        rc = sql_step(st);
        e = rc == SQL_ROW ? ERR_INVAL : ERR_OK;
    }
    if (rc != SQL_ROW && rc != SQL_DONE)
        e = hub_db_err(db, rc, "log info");
    sql_finalize(st);
    return e;
}

/* "DEVICE/EPOCH/SEQ": the awaiting change's key. */
static void awaiting_key(char *out, size_t cap, const struct hub_log_key *k)
{
    snprintf(out, cap, "%s/%s/%" PRIu64, k->device, k->epoch, k->seq);
}

static char *json_take(cJSON *o)
{
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

err_code hub_db_served_put(struct hub_db *db, const struct hub_log_key *k,
                           const struct hub_served *s)
{
    const char *place = s->place ? s->place : "";
    const char *ticket = s->ticket ? s->ticket : "";
    struct hub_ticket *t = NULL;
    err_code e = ERR_OK;
    if (!place[0] && !ticket[0])
        return ERR_OK;
    if (ticket[0]) {
        t = xmalloc(sizeof *t);
        e = hub_db_ledger_get(db, ticket, t);
        /* Filed at another kiosk of the station whose upload has not come
         * in yet: kept as named; staff confirm it as before. */
        if (e == ERR_NOTFOUND) {
            free(t);
            t = NULL;
            e = ERR_OK;
        } else if (e == ERR_OK && strcmp(t->station, s->station) != 0) {
            free(t);                /* refused before: not reached */
            t = NULL;
        }
    }
    struct sql_stmt *st = e == ERR_OK ? hub_db_prep(db, "UPDATE service_logs"
        " SET served_place = ?, served_ticket = ? WHERE device = ?"
        " AND epoch = ? AND seq = ?") : NULL;
    if (e == ERR_OK && !st)
        e = ERR_DB;
    if (st) {
        hub_db_bind_text(st, 1, place[0] ? place : NULL);
        hub_db_bind_text(st, 2, ticket[0] ? ticket : NULL);
        hub_db_bind_text(st, 3, k->device);
        hub_db_bind_text(st, 4, k->epoch);
        sql_bind_int(st, 5, (int64_t)k->seq);
        e = hub_db_done(db, st, "served");
    }
    if (e == ERR_OK && t) {
        /* What the resident is asked about, and nothing more: never the
         * phone, the member's name as the boards show it. */
        char key[160], name[64] = "";
        struct sql_stmt *q = hub_db_prep(db, "SELECT name FROM members"
                                         " WHERE member_no = ?");
        if (q) {
            hub_db_bind_text(q, 1, s->member_no);
            if (sql_step(q) == SQL_ROW)
                str_copy(name, sizeof name, hub_db_col_text(q, 0));
            sql_finalize(q);
        }
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "ticket", ticket);
        cJSON_AddStringToObject(o, "device", k->device);
        cJSON_AddStringToObject(o, "epoch", k->epoch);
        cJSON_AddNumberToObject(o, "seq", (double)k->seq);
        cJSON_AddStringToObject(o, "member_no", s->member_no);
        cJSON_AddStringToObject(o, "name", name);
        cJSON_AddStringToObject(o, "category", s->category);
        cJSON_AddNumberToObject(o, "minutes", s->minutes);
        cJSON_AddStringToObject(o, "day", s->day);
        char *data = json_take(o);
        awaiting_key(key, sizeof key, k);
        e = hub_db_change_add(db, s->station, NULL, "service_awaiting", key,
                              data);
        free(data);
    }
    free(t);
    return e;
}

/* ---- verdicts ---------------------------------------------------------- */

err_code hub_db_log_verdict(struct hub_db *db, const struct hub_log_key *k,
                            const struct hub_verdict *v)
{
    struct hub_log_info li;
    err_code e = hub_db_log_info(db, k, &li);
    if (e != ERR_OK)
        return e;
    int64_t now = hub_now_ms();
    const char *status = v->confirm ? "confirmed" : "rejected";
    const char *method = confirm_method_name(v->method);
    const char *rating = confirm_rating_name(v->rating);
    const char *reason = v->confirm || !v->reason ? "" : v->reason;
    int points = v->confirm ? v->points : 0;
    struct sql_stmt *st = hub_db_prep(db, "UPDATE service_logs SET"
        " status = ?, points = ?, decided_ms = ?, method = ?, rating = ?,"
        " confirmed_by = ?, decided_reason = ? WHERE device = ?"
        " AND epoch = ? AND seq = ?");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, status);
    sql_bind_int(st, 2, points);
    sql_bind_int(st, 3, now);
    hub_db_bind_text(st, 4, method[0] ? method : NULL);
    hub_db_bind_text(st, 5, rating[0] ? rating : NULL);
    hub_db_bind_text(st, 6, v->by && v->by[0] ? v->by : NULL);
    hub_db_bind_text(st, 7, reason[0] ? reason : NULL);
    hub_db_bind_text(st, 8, k->device);
    hub_db_bind_text(st, 9, k->epoch);
    sql_bind_int(st, 10, (int64_t)k->seq);
    e = hub_db_done(db, st, "verdict");
    /* The epoch travels with the verdict: a kiosk applies it only to its
     * own log of that seq, not to another timeline's. Who confirmed stays
     * at the hub: the member sees how, not which staff member. */
    char key[160];
    snprintf(key, sizeof key, "%" PRIu64, k->seq);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "seq", (double)k->seq);
    cJSON_AddStringToObject(o, "epoch", k->epoch);
    cJSON_AddStringToObject(o, "status", status);
    cJSON_AddNumberToObject(o, "points", points);
    cJSON_AddStringToObject(o, "method", method);
    cJSON_AddStringToObject(o, "rating", rating);
    cJSON_AddStringToObject(o, "reason", reason);
    cJSON_AddNumberToObject(o, "decided_ms", (double)now);
    char *data = json_take(o);
    if (e == ERR_OK)
        e = hub_db_change_add(db, li.station, k->device, "log_status", key,
                              data);
    free(data);
    /* Decided: no kiosk asks the resident any more. */
    if (e == ERR_OK && li.served_ticket[0]) {
        awaiting_key(key, sizeof key, k);
        e = hub_db_change_add(db, li.station, NULL, "service_awaiting", key,
                              NULL);
    }
    return e;
}

/* ---- the resident's answer --------------------------------------------- */

static const char *jstr(const cJSON *d, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(d, name);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static err_code resident_answer(struct hub_db *db, const char *station,
                                const cJSON *d, int64_t at, const char **why)
{
    const cJSON *seq = cJSON_GetObjectItemCaseSensitive(d, "log_seq");
    const cJSON *yes = cJSON_GetObjectItemCaseSensitive(d, "confirmed");
    const char *ticket = jstr(d, "ticket");
    int rating = confirm_rating_parse(jstr(d, "rating"));
    if (!cJSON_IsNumber(seq) || seq->valuedouble < 1 || !cJSON_IsBool(yes) ||
        !jstr(d, "log_device")[0] || rating < 0)
        return *why = "malformed service confirmation", ERR_OK;
    if (!cJSON_IsTrue(yes) && (*why = confirm_reason_check(
            jstr(d, "reason"))) != NULL)
        return ERR_OK;
    struct hub_ticket t;
    err_code e = hub_db_ledger_get(db, ticket, &t);
    if (e == ERR_NOTFOUND)
        return *why = "unknown ticket", ERR_OK;
    if (e != ERR_OK)
        return e;
    if (strcmp(t.station, station) != 0)
        return *why = "ticket of another station", ERR_OK;
    /* The kiosk checked the PIN against the hash it was sent; the hash it
     * answers with must be the ticket's own (a PIN changed since, or a
     * forged answer, is not the resident's). */
    if (at < t.locked_until_ms)
        return *why = "ticket locked", ERR_OK;
    if (strcmp(jstr(d, "pin_hash"), t.pin_hash) != 0)
        return *why = "wrong PIN", ERR_OK;
    struct hub_log_key k = { .device = jstr(d, "log_device"),
                             .epoch = jstr(d, "log_epoch"),
                             .seq = (uint64_t)seq->valuedouble };
    struct hub_log_info li;
    e = hub_db_log_info(db, &k, &li);
    if (e == ERR_NOTFOUND)
        return *why = "unknown service log", ERR_OK;
    if (e != ERR_OK)
        return e;
    if (strcmp(li.served_ticket, ticket) != 0)
        return *why = "the log does not name this ticket", ERR_OK;
    if (strcmp(li.status, "pending") != 0)
        return *why = "service log already decided", ERR_OK;
    /* 不属实 rejects the log with the resident's reason: the served person
     * is the one who knows. Staff may still confirm it afterwards
     * (`hubctl confirm`, after a call or a visit). */
    struct hub_verdict v = {
        .confirm = cJSON_IsTrue(yes),
        .method = CONFIRM_KIOSK_PIN,
        .rating = (enum confirm_rating)rating,
        .by = "resident",
        .reason = jstr(d, "reason"),
    };
    /* By the rule of the log's post or category, the resident's rating
     * counted (hub_points.h). */
    e = hub_points_for_verdict(db, k.device, li.epoch, k.seq, li.minutes,
                               v.method, v.rating, &v.points);
    if (e != ERR_OK)
        return e;
    return hub_db_log_verdict(db, &k, &v);
}

static err_code served_station(struct hub_db *db, const char *station,
                               const char *ticket, const char **why)
{
    if (!ticket[0])
        return ERR_OK;
    struct hub_ticket *t = xmalloc(sizeof *t);
    err_code e = hub_db_ledger_get(db, ticket, t);
    if (e == ERR_OK && strcmp(t->station, station) != 0)
        *why = "served ticket of another station";
    free(t);
    return e == ERR_NOTFOUND ? ERR_OK : e;
}

err_code hub_db_confirm_event(struct hub_db *db, const char *station,
                              const struct proto_event *ev, int64_t at,
                              const char **why)
{
    enum event_kind kind = event_kind_parse(ev->kind);
    *why = NULL;
    if (kind != EVENT_SERVICE_CONFIRM && kind != EVENT_SERVICE_LOG)
        return ERR_OK;
    cJSON *d = cJSON_Parse(ev->data);
    err_code e = kind == EVENT_SERVICE_CONFIRM
                 ? resident_answer(db, station, d, at, why)
                 : served_station(db, station, jstr(d, "served_ticket"), why);
    cJSON_Delete(d);
    return e;
}

/* ---- listing ----------------------------------------------------------- */

err_code hub_db_logs_each(struct hub_db *db, const char *station,
                          void (*fn)(void *ctx, const struct hub_log_row *r),
                          void *ctx)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT device, epoch, seq,"
        " station, member_no, category, minutes, day, status, points,"
        " coalesce(decided_ms, 0), method, rating, confirmed_by,"
        " decided_reason, served_place, served_ticket FROM service_logs"
        " WHERE ?1 IS NULL OR station = ?1"
        " ORDER BY station, device, epoch, seq");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, station);
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        int i = 0;
        struct hub_log_row r;
        r.device = hub_db_col_text(st, i++);
        r.epoch = hub_db_col_text(st, i++);
        r.seq = sql_col_int(st, i++);
        r.station = hub_db_col_text(st, i++);
        r.member_no = hub_db_col_text(st, i++);
        r.category = hub_db_col_text(st, i++);
        r.minutes = (int)sql_col_int(st, i++);
        r.day = hub_db_col_text(st, i++);
        r.status = hub_db_col_text(st, i++);
        r.points = (int)sql_col_int(st, i++);
        r.decided_ms = sql_col_int(st, i++);
        r.method = hub_db_col_text(st, i++);
        r.rating = hub_db_col_text(st, i++);
        r.confirmed_by = hub_db_col_text(st, i++);
        r.reason = hub_db_col_text(st, i++);
        r.served_place = hub_db_col_text(st, i++);
        r.served_ticket = hub_db_col_text(st, i++);
        fn(ctx, &r);
    }
    err_code e = hub_db_rows_end(db, rc, "logs");
    sql_finalize(st);
    return e;
}
