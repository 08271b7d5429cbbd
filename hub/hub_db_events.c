/* hub/hub_db_events.c - the store's events, each held once by (device,
 * epoch, seq), with the service logs they carry; the events the rules
 * refused and the uploads that conflicted with what was held. The change
 * feed is in hub_db_feed.c. */
#include "hub/hub_db_int.h"
#include "sync/pki.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "base/csv.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "hub/hub_db_desk.h"
#include "hub/hub_db_confirm.h"
#include "hub/hub_claims.h"
#include "hub/hub_db_ledger.h"
#include "hub/hub_rules.h"
#include "hub/hub_db_units.h"
#include "hub/hub_reg.h"

/* ---- events ------------------------------------------------------------ */

/* The event's time by the hub's clock: trusted clocks as they are;
 * otherwise, within the boot the kiosk reports now, from the monotonic
 * stamps (the hub's now minus how long ago the event happened). */
static int64_t event_time(const struct proto_event *ev,
                          const struct hub_put *u, bool *corrected)
{
    *corrected = false;
    if (ev->clock_trusted)
        return ev->wall_ms;
    for (size_t i = 0; i < u->n_anchors; i++) {
        const struct hub_anchor *a = &u->anchors[i];
        if (strcmp(a->boot_id, ev->boot_id) != 0)
            continue;
        /* The monotonic clock runs on through a boot: before or after
         * the anchor, the distance is the same on both clocks. */
        *corrected = true;
        return a->hub_ms + (ev->mono_ms - a->mono_ms);
    }
    return ev->wall_ms;
}

static const char *jtext(const cJSON *d, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(d, name);
    return cJSON_IsString(v) ? v->valuestring : "";
}

/* ---- schema ------------------------------------------------------------ */

static const char events_schema[] =
    /* The key's columns first, in the key's order: SQLite 3.40's
     * integrity_check misreads a WITHOUT ROWID table otherwise. */
    "CREATE TABLE IF NOT EXISTS events(device TEXT NOT NULL,"
    " epoch TEXT NOT NULL DEFAULT '', seq INTEGER NOT NULL,"
    " station TEXT NOT NULL, kind TEXT NOT NULL,"
    " member_no TEXT NOT NULL, wall_ms INTEGER NOT NULL,"
    " clock_trusted INTEGER NOT NULL, boot_id TEXT, mono_ms INTEGER,"
    " event_ms INTEGER NOT NULL, corrected INTEGER NOT NULL,"
    " data TEXT NOT NULL, received_ms INTEGER NOT NULL,"
    " PRIMARY KEY(device, epoch, seq)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS service_logs(device TEXT NOT NULL,"
    " seq INTEGER NOT NULL, station TEXT NOT NULL, member_no TEXT NOT NULL,"
    " category TEXT NOT NULL, minutes INTEGER NOT NULL, day TEXT NOT NULL,"
    " note TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending',"
    " points INTEGER NOT NULL DEFAULT 0, decided_ms INTEGER,"
    " epoch TEXT NOT NULL DEFAULT '',"
    " PRIMARY KEY(device, epoch, seq));"
    "CREATE INDEX IF NOT EXISTS events_station ON events(station, kind);"
    /* Each epoch of each device: where its run starts and how far it is
     * held without a gap. */
    "CREATE TABLE IF NOT EXISTS epochs(device TEXT NOT NULL,"
    " epoch TEXT NOT NULL, start INTEGER NOT NULL, acked INTEGER NOT NULL,"
    " first_ms INTEGER NOT NULL, PRIMARY KEY(device, epoch));"
    /* Events the rules refused: kept for staff, never counted. */
    "CREATE TABLE IF NOT EXISTS refused(device TEXT NOT NULL,"
    " epoch TEXT NOT NULL, seq INTEGER NOT NULL, station TEXT NOT NULL,"
    " kind TEXT NOT NULL, member_no TEXT NOT NULL, wall_ms INTEGER NOT NULL,"
    " clock_trusted INTEGER NOT NULL, boot_id TEXT NOT NULL,"
    " mono_ms INTEGER NOT NULL, event_ms INTEGER NOT NULL,"
    " data TEXT NOT NULL, reason TEXT NOT NULL,"
    " received_ms INTEGER NOT NULL, PRIMARY KEY(device, epoch, seq));"
    /* Uploads whose event differed from the one held at its key. */
    "CREATE TABLE IF NOT EXISTS conflicts(id INTEGER PRIMARY KEY,"
    " device TEXT NOT NULL, epoch TEXT NOT NULL, seq INTEGER NOT NULL,"
    " station TEXT NOT NULL, kind TEXT NOT NULL, member_no TEXT NOT NULL,"
    " wall_ms INTEGER NOT NULL, data TEXT NOT NULL,"
    " received_ms INTEGER NOT NULL);";

/* An older hub.db keyed events and service logs by (device, seq): rebuild
 * both with the epoch "" in their keys and carry each device's mark into
 * its "" epoch. One transaction: a crash leaves the old or the new. */
static const char epoch_migration[] =
    "ALTER TABLE events RENAME TO events_v1;"
    "ALTER TABLE service_logs RENAME TO service_logs_v1;"
    "DROP INDEX IF EXISTS events_station;"
    "%s"
    "INSERT INTO events(device, seq, station, kind, member_no, wall_ms,"
    " clock_trusted, boot_id, mono_ms, event_ms, corrected, data,"
    " received_ms) SELECT device, seq, station, kind, member_no, wall_ms,"
    " clock_trusted, boot_id, mono_ms, event_ms, corrected, data,"
    " received_ms FROM events_v1;"
    "INSERT INTO service_logs(device, seq, station, member_no, category,"
    " minutes, day, note, status, points, decided_ms) SELECT device, seq,"
    " station, member_no, category, minutes, day, note, status, points,"
    " decided_ms FROM service_logs_v1;"
    "INSERT OR IGNORE INTO epochs(device, epoch, start, acked, first_ms)"
    " SELECT id, '', 1, acked, enrolled_ms FROM devices WHERE acked > 0;"
    "DROP TABLE events_v1; DROP TABLE service_logs_v1;";

/* Whether events has its epoch column (or is yet to be created). Only a
 * SQLite hub.db can be that old: a PostgreSQL store began with epochs. */
static bool has_epochs(struct hub_db *db)
{
    if (sql_dialect(db->db) != SQL_SQLITE)
        return true;
    struct sql_stmt *st = sql_prepare(db->db, "SELECT 1 FROM sqlite_master"
                                      " WHERE name = 'events'", false);
    bool old_table = st && sql_step(st) == SQL_ROW;
    sql_finalize(st);
    if (!old_table)
        return true;                        /* created below, new shape */
    st = sql_prepare(db->db, "SELECT epoch FROM events LIMIT 0", false);
    sql_finalize(st);
    return st != NULL;
}

err_code hub_db_events_migrate(struct hub_db *db)
{
    if (has_epochs(db))
        return hub_db_schema(db, events_schema);
    size_t cap = sizeof epoch_migration + sizeof events_schema;
    char *sql = xmalloc(cap);
    snprintf(sql, cap, epoch_migration, events_schema);
    err_code e = hub_db_begin(db);
    if (e == ERR_OK)
        e = hub_db_exec(db, sql);
    if (e == ERR_OK)
        e = hub_db_commit(db);
    if (e != ERR_OK)
        hub_db_rollback(db);
    else
        log_info("hub db: events and service logs now keyed by epoch");
    free(sql);
    return e;
}

/* ---- storing an upload -------------------------------------------------- */

static err_code put_service_log(struct hub_db *db, const struct hub_put *u,
                                const struct proto_event *ev)
{
    struct sql_stmt *st = hub_db_stmt(db, HUB_STMT_SERVICE_LOG_PUT);
    if (!st)
        return ERR_DB;
    cJSON *d = cJSON_Parse(ev->data);
    const cJSON *min = cJSON_GetObjectItemCaseSensitive(d, "minutes");
    hub_db_bind_text(st, 1, u->device);
    sql_bind_int(st, 2, (int64_t)ev->seq);
    hub_db_bind_text(st, 3, u->station);
    hub_db_bind_text(st, 4, ev->member_no);
    hub_db_bind_text(st, 5, jtext(d, "category"));
    sql_bind_int(st, 6, cJSON_IsNumber(min) ? min->valueint : 0);
    hub_db_bind_text(st, 7, jtext(d, "day"));
    hub_db_bind_text(st, 8, jtext(d, "note"));
    hub_db_bind_text(st, 9, u->epoch);
    /* The post it was done on (points by the post's rule, hub_points.h):
     * kept only when it reads as a post id; anything else is no post. */
    const char *post = jtext(d, "post");
    hub_db_bind_text(st, 10, post[0] && strlen(post) < 64 &&
                     pki_id_valid(post) ? post : NULL);
    err_code e = hub_db_stmt_run(db, st, "service log");
    /* Whom it served (hub_db_confirm.c); the rules checked its shape. */
    struct hub_log_key k = { .device = u->device, .epoch = u->epoch,
                             .seq = ev->seq };
    struct hub_served sv = {
        .station = u->station, .member_no = ev->member_no,
        .category = jtext(d, "category"), .day = jtext(d, "day"),
        .minutes = cJSON_IsNumber(min) ? min->valueint : 0,
        .place = jtext(d, "served_place"), .ticket = jtext(d, "served_ticket"),
    };
    if (e == ERR_OK)
        e = hub_db_served_put(db, &k, &sv);
    cJSON_Delete(d);
    return e;
}

static void bind_event(struct sql_stmt *st, const struct hub_put *u,
                       const struct proto_event *ev)
{
    bool corrected;
    int64_t at = event_time(ev, u, &corrected);
    hub_db_bind_text(st, 1, u->device);
    sql_bind_int(st, 2, (int64_t)ev->seq);
    hub_db_bind_text(st, 3, u->station);
    hub_db_bind_text(st, 4, ev->kind);
    hub_db_bind_text(st, 5, ev->member_no);
    sql_bind_int(st, 6, ev->wall_ms);
    sql_bind_int(st, 7, ev->clock_trusted);
    hub_db_bind_text(st, 8, ev->boot_id);
    sql_bind_int(st, 9, ev->mono_ms);
    sql_bind_int(st, 10, at);
    sql_bind_int(st, 11, corrected);
    hub_db_bind_text(st, 12, ev->data);
    sql_bind_int(st, 13, u->now);
    hub_db_bind_text(st, 14, u->epoch);
}

enum held { HELD_NONE, HELD_SAME, HELD_DIFFERENT };

/* Whether the key is held (stored or refused) and with what content. */
static err_code held_as(struct hub_db *db, const struct hub_put *u,
                        const struct proto_event *ev, enum held *h)
{
    struct sql_stmt *q = hub_db_stmt(db, HUB_STMT_EVENT_GET);
    if (!q)
        return ERR_DB;
    hub_db_bind_text(q, 1, u->device);
    hub_db_bind_text(q, 2, u->epoch);
    sql_bind_int(q, 3, (int64_t)ev->seq);
    enum sql_rc rc = sql_step(q);
    *h = HELD_NONE;
    if (rc == SQL_ROW)
        *h = strcmp(hub_db_col_text(q, 0), ev->kind) == 0 &&
             strcmp(hub_db_col_text(q, 1), ev->member_no) == 0 &&
             sql_col_int(q, 2) == ev->wall_ms &&
             sql_col_int(q, 3) == (int)ev->clock_trusted &&
             strcmp(hub_db_col_text(q, 4), ev->boot_id) == 0 &&
             sql_col_int(q, 5) == ev->mono_ms &&
             strcmp(hub_db_col_text(q, 6), ev->data) == 0
             ? HELD_SAME : HELD_DIFFERENT;
    hub_db_stmt_done(q);
    return rc == SQL_ROW || rc == SQL_DONE ? ERR_OK
                                           : hub_db_err(db, rc, "held");
}

/* Recorded, logged loudly, and never acknowledged. */
static err_code conflict_put(struct hub_db *db, const struct hub_put *u,
                             const struct proto_event *ev)
{
    log_warn("hub: conflict: device %s epoch '%s' seq %" PRIu64 ": the"
             " upload differs from the event held; not acknowledged",
             u->device, u->epoch, ev->seq);
    struct sql_stmt *st = hub_db_stmt(db, HUB_STMT_CONFLICT_PUT);
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, u->device);
    hub_db_bind_text(st, 2, u->epoch);
    sql_bind_int(st, 3, (int64_t)ev->seq);
    hub_db_bind_text(st, 4, u->station);
    hub_db_bind_text(st, 5, ev->kind);
    hub_db_bind_text(st, 6, ev->member_no);
    sql_bind_int(st, 7, ev->wall_ms);
    hub_db_bind_text(st, 8, ev->data);
    sql_bind_int(st, 9, u->now);
    return hub_db_stmt_run(db, st, "conflict");
}

/* The roster's half of the rules: the member exists and is of the
 * certificate's station. A rollback names no member, nor does a call for
 * staff, nor a `lost`
 * placeholder (an unsent event a salvaged kiosk could not read back). */
static err_code member_ok(struct hub_db *db, const struct hub_put *u,
                          const struct proto_event *ev, const char **why)
{
    *why = NULL;
    if (strcmp(ev->kind, "rollback") == 0 || strcmp(ev->kind, "lost") == 0 ||
        strcmp(ev->kind, "call_staff") == 0 ||
        strcmp(ev->kind, "service_confirm") == 0 ||
        strncmp(ev->kind, "ledger_", 7) == 0)    /* residents: no member */
        return ERR_OK;
    struct sql_stmt *q = hub_db_stmt(db, HUB_STMT_MEMBER_STATION);
    if (!q)
        return ERR_DB;
    hub_db_bind_text(q, 1, ev->member_no);
    enum sql_rc rc = sql_step(q);
    if (rc == SQL_DONE)
        *why = "unknown member";
    else if (rc == SQL_ROW &&
             strcmp(hub_db_col_text(q, 0), u->station) != 0)
        *why = "member of another station";
    hub_db_stmt_done(q);
    if (rc != SQL_ROW && rc != SQL_DONE)
        return hub_db_err(db, rc, "member");
    /* 报到 at another station of this hub, where the hub allows it: the
     * member exists here (checked above), which is what the kiosk could
     * not know. */
    bool cross = false;
    err_code e = ERR_OK;
    if (*why && rc == SQL_ROW && strcmp(ev->kind, "registration") == 0)
        e = hub_db_setting_get(db, HUB_SETTING_CROSS_STATION, &cross);
    if (cross)
        *why = NULL;
    return e;
}

static err_code refused_put(struct hub_db *db, struct hub_put *u,
                            const struct proto_event *ev, int64_t at,
                            const char *why)
{
    log_warn("hub: refused: device %s seq %" PRIu64 " (%s): %s", u->device,
             ev->seq, ev->kind, why);
    if (u->refused) {
        u->refused[u->n_refused].seq = ev->seq;
        str_copy(u->refused[u->n_refused].reason,
                 sizeof u->refused[0].reason, why);
    }
    u->n_refused++;
    struct sql_stmt *st = hub_db_stmt(db, HUB_STMT_REFUSED_PUT);
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, u->device);
    hub_db_bind_text(st, 2, u->epoch);
    sql_bind_int(st, 3, (int64_t)ev->seq);
    hub_db_bind_text(st, 4, u->station);
    hub_db_bind_text(st, 5, ev->kind);
    hub_db_bind_text(st, 6, ev->member_no);
    sql_bind_int(st, 7, ev->wall_ms);
    sql_bind_int(st, 8, ev->clock_trusted);
    hub_db_bind_text(st, 9, ev->boot_id);
    sql_bind_int(st, 10, ev->mono_ms);
    sql_bind_int(st, 11, at);
    hub_db_bind_text(st, 12, ev->data);
    hub_db_bind_text(st, 13, why);
    sql_bind_int(st, 14, u->now);
    return hub_db_stmt_run(db, st, "refused");
}

/* A new event: refused aside when it breaks a rule, else stored. */
static err_code store_new(struct hub_db *db, struct hub_put *u,
                          const struct proto_event *ev)
{
    bool corrected;
    int64_t at = event_time(ev, u, &corrected);
    char why[PROTO_REASON_MAX];
    const char *member_why = NULL;
    if (!hub_rules_check(ev, at, u->station, why, sizeof why))
        return refused_put(db, u, ev, at, why);
    err_code e = member_ok(db, u, ev, &member_why);
    if (e != ERR_OK)
        return e;
    if (member_why)
        return refused_put(db, u, ev, at, member_why);
    e = hub_db_ledger_event(db, u->station, u->device, ev, at, &member_why);
    if (e != ERR_OK)
        return e;
    if (member_why)
        return refused_put(db, u, ev, at, member_why);
    e = hub_db_desk_check(db, u->station, ev, &member_why);
    if (e != ERR_OK)
        return e;
    if (member_why)
        return refused_put(db, u, ev, at, member_why);
    e = hub_db_confirm_event(db, u->station, ev, at, &member_why);
    if (e != ERR_OK)
        return e;
    if (member_why)
        return refused_put(db, u, ev, at, member_why);
    e = hub_claims_event(db, u->station, ev, at, &member_why);
    if (e != ERR_OK)
        return e;
    if (member_why)
        return refused_put(db, u, ev, at, member_why);
    struct sql_stmt *st = hub_db_stmt(db, HUB_STMT_EVENT_PUT);
    if (!st)
        return ERR_DB;
    bind_event(st, u, ev);
    e = hub_db_stmt_run(db, st, "event put");
    if (e != ERR_OK || sql_changes(db->db) == 0)
        return e;
    u->fresh++;
    if (strcmp(ev->kind, "service_log") == 0)
        return put_service_log(db, u, ev);
    return hub_db_desk_put(db, u->station, u->device, u->epoch, ev, at);
}

static err_code put_event(struct hub_db *db, struct hub_put *u,
                          const struct proto_event *ev)
{
    enum held h;
    err_code e = held_as(db, u, ev, &h);
    if (e != ERR_OK || h == HELD_SAME)
        return e;                            /* a resend is harmless */
    if (h == HELD_DIFFERENT) {
        u->conflict = ev->seq;
        return conflict_put(db, u, ev);
    }
    return store_new(db, u, ev);
}

/* The epoch's contiguous mark as last stored (its start - 1 at first). */
static err_code acked_get(struct hub_db *db, const struct hub_put *u,
                          int64_t *a)
{
    struct sql_stmt *q = hub_db_stmt(db, HUB_STMT_ACKED_GET);
    if (!q)
        return ERR_DB;
    hub_db_bind_text(q, 1, u->device);
    hub_db_bind_text(q, 2, u->epoch);
    enum sql_rc rc = sql_step(q);
    *a = rc == SQL_ROW ? sql_col_int(q, 0) : 0;
    hub_db_stmt_done(q);
    return rc == SQL_ROW || rc == SQL_DONE ? ERR_OK
                                           : hub_db_err(db, rc, "acked");
}

/* *a: from the mark, over every seq held after it without a gap. */
static err_code held_run(struct hub_db *db, const struct hub_put *u,
                         int64_t *a)
{
    struct sql_stmt *q = hub_db_stmt(db, HUB_STMT_HELD_RUN);
    if (!q)
        return ERR_DB;
    hub_db_bind_text(q, 1, u->device);
    hub_db_bind_text(q, 2, u->epoch);
    sql_bind_int(q, 3, *a);
    enum sql_rc rc = sql_step(q);
    if (rc == SQL_ROW)
        *a = sql_col_int(q, 0);
    hub_db_stmt_done(q);
    return rc == SQL_ROW ? ERR_OK : hub_db_err(db, rc, "held run");
}

static err_code device_acked_set(struct hub_db *db, const char *device,
                                 int64_t a)
{
    struct sql_stmt *st = hub_db_stmt(db, HUB_STMT_DEVICE_ACKED_SET);
    if (!st)
        return ERR_DB;
    sql_bind_int(st, 1, a);
    hub_db_bind_text(st, 2, device);
    return hub_db_stmt_run(db, st, "device acked");
}

/* Advance the epoch's contiguous mark over what is now held; the device's
 * mark (the fleet view) follows its latest epoch. */
static err_code advance_acked(struct hub_db *db, struct hub_put *u)
{
    int64_t a;
    err_code e = acked_get(db, u, &a);
    if (e == ERR_OK)
        e = held_run(db, u, &a);
    struct sql_stmt *st = e == ERR_OK ? hub_db_stmt(db, HUB_STMT_ACKED_SET)
                                   : NULL;
    if (!st)
        return ERR_DB;
    sql_bind_int(st, 1, a);
    hub_db_bind_text(st, 2, u->device);
    hub_db_bind_text(st, 3, u->epoch);
    e = hub_db_stmt_run(db, st, "acked");
    if (e == ERR_OK)
        e = device_acked_set(db, u->device, a);
    /* Never acknowledge a differing event, nor anything after it. */
    if (u->conflict && a >= (int64_t)u->conflict)
        a = (int64_t)u->conflict - 1;
    u->acked = a > 0 ? (uint64_t)a : 0;
    return e;
}

static err_code epoch_open(struct hub_db *db, const struct hub_put *u)
{
    struct sql_stmt *st = hub_db_stmt(db, HUB_STMT_EPOCH_OPEN);
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, u->device);
    hub_db_bind_text(st, 2, u->epoch);
    sql_bind_int(st, 3, u->epoch_start ? (int64_t)u->epoch_start : 1);
    sql_bind_int(st, 4, u->now);
    return hub_db_stmt_run(db, st, "epoch");
}

/* PostgreSQL: wait for any other hubd storing this device's epoch. */
static err_code epoch_lock(struct hub_db *db, const struct hub_put *u)
{
    if (sql_dialect(db->db) != SQL_POSTGRES)
        return ERR_OK;
    struct sql_stmt *q = hub_db_stmt(db, HUB_STMT_EPOCH_LOCK);
    if (!q)
        return ERR_DB;
    hub_db_bind_text(q, 1, u->device);
    hub_db_bind_text(q, 2, u->epoch);
    enum sql_rc rc;
    while ((rc = sql_step(q)) == SQL_ROW)
        ;
    hub_db_stmt_done(q);
    return hub_db_rows_end(db, rc, "epoch lock");
}

static err_code held_max(struct hub_db *db, struct hub_put *u)
{
    struct sql_stmt *q = hub_db_stmt(db, HUB_STMT_HELD_MAX);
    if (!q)
        return ERR_DB;
    hub_db_bind_text(q, 1, u->device);
    hub_db_bind_text(q, 2, u->epoch);
    enum sql_rc rc = sql_step(q);
    u->held = rc == SQL_ROW ? (uint64_t)sql_col_int(q, 0) : 0;
    hub_db_stmt_done(q);
    return rc == SQL_ROW ? ERR_OK : hub_db_err(db, rc, "held max");
}

/* One device's upload inside the group's transaction; a savepoint keeps
 * a failure to this upload alone. The first event that differs from the
 * one held at its key stops it: nothing from there is acknowledged. */
static void put_one(struct hub_db *db, struct hub_put *u)
{
    u->fresh = u->n_refused = 0;
    u->conflict = u->held = u->acked = 0;
    if (!u->epoch)
        u->epoch = "";
    u->result = hub_db_exec(db, "SAVEPOINT put");
    if (u->result != ERR_OK)
        return;
    u->result = epoch_open(db, u);
    if (u->result == ERR_OK)
        u->result = epoch_lock(db, u);
    for (size_t i = 0; i < u->n && u->result == ERR_OK && !u->conflict; i++)
        u->result = put_event(db, u, &u->evs[i]);
    if (u->result == ERR_OK)
        u->result = advance_acked(db, u);
    if (u->result == ERR_OK)
        u->result = held_max(db, u);
    if (u->result != ERR_OK) {
        hub_db_exec(db, "ROLLBACK TO put");
        u->fresh = u->n_refused = 0;
        u->conflict = 0;
    }
    hub_db_exec(db, "RELEASE put");
}

err_code hub_db_events_put_group(struct hub_db *db, struct hub_put *puts,
                                 size_t n)
{
    err_code e = hub_db_begin(db);
    for (size_t i = 0; i < n; i++)
        puts[i].result = e;
    if (e != ERR_OK)
        return e;
    /* By device: two hubds storing groups of the same devices lock their
     * rows in one order and never deadlock. */
    size_t *order = xmalloc((n ? n : 1) * sizeof *order);
    for (size_t i = 0; i < n; i++) {
        size_t j = i;
        for (; j > 0 && strcmp(puts[order[j - 1]].device,
                               puts[i].device) > 0; j--)
            order[j] = order[j - 1];
        order[j] = i;
    }
    for (size_t i = 0; i < n; i++)
        put_one(db, &puts[order[i]]);
    free(order);
    e = hub_db_commit(db);
    if (e != ERR_OK) {
        hub_db_rollback(db);
        for (size_t i = 0; i < n; i++) {
            puts[i].result = e;
            puts[i].fresh = 0;
        }
    }
    return e;
}

err_code hub_db_events_put(struct hub_db *db, const char *station,
                           const char *device,
                           const struct proto_event *evs, size_t n,
                           const struct proto_status *ps, int64_t now,
                           uint64_t *acked, size_t *fresh)
{
    struct hub_put u = { .station = station, .device = device, .evs = evs,
                         .n = n, .now = now, .epoch = "" };
    hub_db_anchors_fill(NULL, &u, ps);
    hub_db_events_put_group(db, &u, 1);
    *acked = u.acked;
    *fresh = u.fresh;
    return u.result;
}

/* ---- staff views ---------------------------------------------------------- */

static err_code csv_rows(struct hub_db *db, struct sql_stmt *st, int ncols,
                         FILE *out)
{
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        for (int c = 0; c < ncols; c++) {
            if (sql_col_type(st, c) == SQL_INT)
                csv_int(out, sql_col_int(st, c), c == 0);
            else
                csv_text(out, hub_db_col_text(st, c), c == 0);
        }
        csv_end(out);
    }
    sql_finalize(st);
    return rc == SQL_DONE ? ERR_OK : hub_db_err(db, rc, "csv");
}

err_code hub_db_refused_csv(struct hub_db *db, const char *station,
                            FILE *out)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT station, device, epoch, seq,"
        " kind, member_no, event_ms, reason, data, received_ms FROM refused"
        " WHERE ?1 IS NULL OR station = ?1"
        " ORDER BY station, device, received_ms, seq");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, station);
    csv_header(out, "station,device,epoch,seq,kind,member_no,event_ms,"
               "reason,data,received_ms");
    return csv_rows(db, st, 10, out);
}

err_code hub_db_conflicts_csv(struct hub_db *db, FILE *out)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT station, device, epoch, seq,"
        " kind, member_no, wall_ms, data, received_ms FROM conflicts"
        " ORDER BY id");
    if (!st)
        return ERR_DB;
    csv_header(out, "station,device,epoch,seq,kind,member_no,wall_ms,data,"
               "received_ms");
    return csv_rows(db, st, 9, out);
}
