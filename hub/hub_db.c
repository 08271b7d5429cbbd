/* hub/hub_db.c - the hub's store: schema, devices and enrolment,
 * idempotent event storage, and the change feed. Only hub_db.c and
 * hub_admin.c include sqlite3.h. */
#include "hub/hub_db.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "base/log.h"
#include "base/xmalloc.h"

struct hub_db {
    sqlite3 *db;
    sqlite3 *fleet;          /* hub.db-fleet: last contact per device */
    char     path[512];
    bool     attached;       /* fleet attached to db (reports) */
};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS stations(id TEXT PRIMARY KEY,"
    " name TEXT NOT NULL, created_ms INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS devices(id TEXT PRIMARY KEY,"
    " station TEXT NOT NULL, enrolled_ms INTEGER NOT NULL,"
    " revoked INTEGER NOT NULL DEFAULT 0, acked INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS enrol_codes(code TEXT PRIMARY KEY,"
    " station TEXT NOT NULL, device TEXT NOT NULL,"
    " expires_ms INTEGER NOT NULL, used_ms INTEGER);"
    "CREATE TABLE IF NOT EXISTS members(member_no TEXT PRIMARY KEY,"
    " name TEXT NOT NULL, phone TEXT NOT NULL, community TEXT NOT NULL,"
    " station TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1);"
    "CREATE TABLE IF NOT EXISTS events(device TEXT NOT NULL,"
    " seq INTEGER NOT NULL, station TEXT NOT NULL, kind TEXT NOT NULL,"
    " member_no TEXT NOT NULL, wall_ms INTEGER NOT NULL,"
    " clock_trusted INTEGER NOT NULL, boot_id TEXT, mono_ms INTEGER,"
    " event_ms INTEGER NOT NULL, corrected INTEGER NOT NULL,"
    " data TEXT NOT NULL, received_ms INTEGER NOT NULL,"
    " PRIMARY KEY(device, seq)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS service_logs(device TEXT NOT NULL,"
    " seq INTEGER NOT NULL, station TEXT NOT NULL, member_no TEXT NOT NULL,"
    " category TEXT NOT NULL, minutes INTEGER NOT NULL, day TEXT NOT NULL,"
    " note TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending',"
    " points INTEGER NOT NULL DEFAULT 0, decided_ms INTEGER,"
    " PRIMARY KEY(device, seq));"
    "CREATE TABLE IF NOT EXISTS changes(id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " station TEXT, device TEXT, type TEXT NOT NULL, key TEXT NOT NULL,"
    " op TEXT NOT NULL, data TEXT, ms INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS published(scope TEXT NOT NULL,"
    " type TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL,"
    " PRIMARY KEY(scope, type, key));"
    "CREATE INDEX IF NOT EXISTS events_station ON events(station, kind);"
    "CREATE TABLE IF NOT EXISTS bundles(name TEXT NOT NULL,"
    " scope TEXT NOT NULL, version TEXT NOT NULL,"
    " version_num INTEGER NOT NULL, size INTEGER NOT NULL,"
    " sha256 TEXT NOT NULL, published_ms INTEGER NOT NULL,"
    " PRIMARY KEY(name, scope));"
    "";

static const char fleet_schema[] =
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    "CREATE TABLE IF NOT EXISTS seen(device TEXT PRIMARY KEY,"
    " last_seen_ms INTEGER NOT NULL, version TEXT, queue INTEGER,"
    " offset_ms INTEGER, boot_id TEXT, mono_ms INTEGER);"
    "CREATE TABLE IF NOT EXISTS boots(device TEXT NOT NULL,"
    " boot_id TEXT NOT NULL, mono_ms INTEGER NOT NULL,"
    " hub_ms INTEGER NOT NULL, PRIMARY KEY(device, boot_id));";

/* Create a database file readable by its owner only, before SQLite
 * opens it (its -wal and -shm copy the mode). Only when absent: closing
 * any descriptor of a file SQLite has open drops the process's POSIX
 * locks on it, and another process would then run WAL recovery under a
 * live writer. */
static void create_private(const char *path)
{
    if (access(path, F_OK) == 0)
        return;
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0)
        close(fd);
}

/* Fleet status is written on every request; it lives in its own file,
 * on its own connection, without fsync per commit (losing the last
 * seconds of it in a power cut costs nothing), so a request that stores
 * no event costs no disk flush and never waits for an upload's
 * transaction. synchronous=NORMAL, not OFF: in WAL mode it still syncs
 * around each checkpoint, without which a power cut can leave the file
 * corrupt and hub_db_open failing (tests/test_powerloss.c). */
static err_code open_fleet(struct hub_db *db, const char *path)
{
    char fp[600];
    snprintf(fp, sizeof fp, "%s-fleet", path);
    create_private(fp);
    int rc = sqlite3_open_v2(fp, &db->fleet, SQLITE_OPEN_READWRITE |
                             SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(db->fleet, 5000);
        rc = sqlite3_exec(db->fleet, fleet_schema, NULL, NULL, NULL);
    }
    if (rc != SQLITE_OK) {
        log_error("hub db: %s: %s", fp, sqlite3_errmsg(db->fleet));
        return ERR_DB;
    }
    return ERR_OK;
}

err_code hub_db_attach_fleet(struct hub_db *db)
{
    if (db->attached)
        return ERR_OK;
    char *sql = sqlite3_mprintf("ATTACH DATABASE '%q-fleet' AS fleet",
                                db->path);
    int rc = sqlite3_exec(db->db, sql, NULL, NULL, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK) {
        log_error("hub db: fleet: %s", sqlite3_errmsg(db->db));
        return ERR_DB;
    }
    db->attached = true;
    return ERR_OK;
}

int64_t hub_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int hub_points_for(int minutes)
{
    int p = minutes / 30;
    return p < 1 ? 1 : p;
}

static err_code db_err(struct hub_db *db, int rc, const char *what)
{
    log_error("hub db: %s: %s", what, sqlite3_errmsg(db->db));
    return rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? ERR_BUSY : ERR_DB;
}

static err_code exec(struct hub_db *db, const char *sql)
{
    int rc = sqlite3_exec(db->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? ERR_OK : db_err(db, rc, sql);
}

err_code hub_db_open(const char *path, struct hub_db **out)
{
    *out = NULL;
    struct hub_db *db = xcalloc(1, sizeof *db);
    str_copy(db->path, sizeof db->path, path);
    create_private(path);
    int rc = sqlite3_open_v2(path, &db->db, SQLITE_OPEN_READWRITE |
                             SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL);
    if (rc != SQLITE_OK) {
        log_error("hub db: %s: %s", path, sqlite3_errstr(rc));
        sqlite3_close(db->db);
        free(db);
        return ERR_DB;
    }
    sqlite3_busy_timeout(db->db, 5000);
    err_code e = exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                          "PRAGMA foreign_keys=ON;");
    if (e == ERR_OK)
        e = exec(db, schema);
    if (e == ERR_OK)
        e = open_fleet(db, path);
    if (e != ERR_OK) {
        hub_db_close(db);
        return e;
    }
    *out = db;
    return ERR_OK;
}

void hub_db_close(struct hub_db *db)
{
    if (!db)
        return;
    sqlite3_close(db->fleet);
    sqlite3_close(db->db);
    free(db);
}

void *hub_db_handle(struct hub_db *db)
{
    return db->db;
}

err_code hub_db_begin(struct hub_db *db)
{
    return exec(db, "BEGIN IMMEDIATE");
}

err_code hub_db_commit(struct hub_db *db)
{
    return exec(db, "COMMIT");
}

void hub_db_rollback(struct hub_db *db)
{
    sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
}

static sqlite3_stmt *prep(struct hub_db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(db->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
                           NULL) != SQLITE_OK) {
        log_error("hub db: prepare: %s", sqlite3_errmsg(db->db));
        return NULL;
    }
    return st;
}

/* Step a statement that returns no rows, then finalize it. */
static err_code done(struct hub_db *db, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ERR_OK : db_err(db, rc, what);
}

/* ---- stations, devices, enrolment ------------------------------------ */

err_code hub_db_station_add(struct hub_db *db, const char *id,
                            const char *name)
{
    sqlite3_stmt *st = prep(db, "INSERT INTO stations(id, name, created_ms)"
                            " VALUES(?, ?, ?) ON CONFLICT(id) DO UPDATE"
                            " SET name = excluded.name");
    if (!st)
        return ERR_DB;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, hub_now_ms());
    return done(db, st, "station add");
}

bool hub_db_station_exists(struct hub_db *db, const char *id)
{
    sqlite3_stmt *st = prep(db, "SELECT 1 FROM stations WHERE id = ?");
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}

/* Codes avoid look-alike characters; 16 of 32 symbols = 80 bits. */
static void make_code(char *code)
{
    static const char sym[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    unsigned char raw[HUB_CODE_LEN];
    if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
        abort();                     /* no entropy: nothing safe to do */
    for (int i = 0; i < HUB_CODE_LEN; i++)
        code[i] = sym[raw[i] & 31];
    code[HUB_CODE_LEN] = '\0';
}

err_code hub_db_enrol_code(struct hub_db *db, const char *station,
                           const char *device, char *code)
{
    if (!hub_db_station_exists(db, station))
        return ERR_NOTFOUND;
    make_code(code);
    sqlite3_stmt *st = prep(db, "INSERT INTO enrol_codes(code, station,"
                            " device, expires_ms) VALUES(?, ?, ?, ?)");
    if (!st)
        return ERR_DB;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, station, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, device, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, hub_now_ms() + 24 * 3600 * 1000LL);
    return done(db, st, "enrol code");
}

static err_code take_code(struct hub_db *db, const char *code, char *station,
                          size_t scap, char *device, size_t dcap)
{
    sqlite3_stmt *st = prep(db, "UPDATE enrol_codes SET used_ms = ?"
                            " WHERE code = ? AND used_ms IS NULL"
                            " AND expires_ms > ? RETURNING station, device");
    if (!st)
        return ERR_DB;
    int64_t now = hub_now_ms();
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_text(st, 2, code, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, now);
    int rc = sqlite3_step(st);
    err_code e = rc == SQLITE_ROW ? ERR_OK : ERR_DENIED;
    if (e == ERR_OK) {
        str_copy(station, scap, (const char *)sqlite3_column_text(st, 0));
        str_copy(device, dcap, (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    return e;
}

err_code hub_db_enrol_take(struct hub_db *db, const char *code,
                           char *station, size_t scap, char *device,
                           size_t dcap)
{
    err_code e = hub_db_begin(db);
    if (e != ERR_OK)
        return e;
    e = take_code(db, code, station, scap, device, dcap);
    sqlite3_stmt *st = NULL;
    if (e == ERR_OK && !(st = prep(db, "INSERT INTO devices(id, station,"
                                   " enrolled_ms) VALUES(?, ?, ?)"
                                   " ON CONFLICT(id) DO UPDATE SET"
                                   " station = excluded.station, revoked = 0,"
                                   " enrolled_ms = excluded.enrolled_ms")))
        e = ERR_DB;
    if (e == ERR_OK) {
        sqlite3_bind_text(st, 1, device, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, station, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 3, hub_now_ms());
        e = done(db, st, "device enrol");
    }
    if (e == ERR_OK)
        return hub_db_commit(db);
    hub_db_rollback(db);
    return e;
}

err_code hub_db_device_revoke(struct hub_db *db, const char *device)
{
    sqlite3_stmt *st = prep(db, "UPDATE devices SET revoked = 1"
                            " WHERE id = ?");
    if (!st)
        return ERR_DB;
    sqlite3_bind_text(st, 1, device, -1, SQLITE_TRANSIENT);
    err_code e = done(db, st, "revoke");
    if (e == ERR_OK && sqlite3_changes(db->db) == 0)
        return ERR_NOTFOUND;
    return e;
}

err_code hub_db_device_check(struct hub_db *db, const char *device,
                             const char *station)
{
    sqlite3_stmt *st = prep(db, "SELECT 1 FROM devices WHERE id = ?"
                            " AND station = ? AND revoked = 0");
    if (!st)
        return ERR_DB;
    sqlite3_bind_text(st, 1, device, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, station, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? ERR_OK : ERR_DENIED;
}

err_code hub_db_device_seen(struct hub_db *db, const char *device,
                            const struct proto_status *s, int64_t now)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->fleet, "INSERT OR REPLACE INTO seen("
                           "last_seen_ms, version, queue, offset_ms,"
                           " boot_id, mono_ms, device)"
                           " VALUES(?, ?, ?, ?, ?, ?, ?)", -1, &st, NULL)
        != SQLITE_OK)
        return ERR_DB;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_text(st, 2, s->version, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, (int64_t)s->queue);
    /* The kiosk's clock against ours, as it stood when the request left. */
    sqlite3_bind_int64(st, 4, s->wall_ms ? s->wall_ms - now : s->offset_ms);
    sqlite3_bind_text(st, 5, s->boot_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 6, s->mono_ms);
    sqlite3_bind_text(st, 7, device, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE || !s->boot_id[0] || s->mono_ms <= 0)
        return rc == SQLITE_DONE ? ERR_OK : ERR_DB;
    if (sqlite3_prepare_v2(db->fleet, "INSERT OR REPLACE INTO boots(device,"
                           " boot_id, mono_ms, hub_ms) VALUES(?, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK)
        return ERR_DB;
    sqlite3_bind_text(st, 1, device, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, s->boot_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, s->mono_ms);
    sqlite3_bind_int64(st, 4, now);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ERR_OK : ERR_DB;
}

err_code hub_db_boot_anchor(struct hub_db *db, const char *device,
                            const char *boot_id, struct hub_anchor *out)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->fleet, "SELECT mono_ms, hub_ms FROM boots"
                           " WHERE device = ? AND boot_id = ?", -1, &st, NULL)
        != SQLITE_OK)
        return ERR_DB;
    sqlite3_bind_text(st, 1, device, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, boot_id, -1, SQLITE_TRANSIENT);
    err_code e = ERR_NOTFOUND;
    if (sqlite3_step(st) == SQLITE_ROW) {
        str_copy(out->boot_id, sizeof out->boot_id, boot_id);
        out->mono_ms = sqlite3_column_int64(st, 0);
        out->hub_ms = sqlite3_column_int64(st, 1);
        e = ERR_OK;
    }
    sqlite3_finalize(st);
    return e;
}

static bool anchored(const struct hub_put *u, const char *boot)
{
    for (size_t i = 0; i < u->n_anchors; i++)
        if (strcmp(u->anchors[i].boot_id, boot) == 0)
            return true;
    return false;
}

void hub_db_anchors_fill(struct hub_db *db, struct hub_put *u,
                         const struct proto_status *st)
{
    u->n_anchors = 0;
    if (st && st->boot_id[0] && st->mono_ms > 0) {
        struct hub_anchor *a = &u->anchors[u->n_anchors++];
        str_copy(a->boot_id, sizeof a->boot_id, st->boot_id);
        a->mono_ms = st->mono_ms;
        a->hub_ms = u->now;
    }
    for (size_t i = 0; i < u->n && u->n_anchors < HUB_ANCHORS; i++) {
        const struct proto_event *ev = &u->evs[i];
        if (ev->clock_trusted || !ev->boot_id[0] || anchored(u, ev->boot_id))
            continue;
        if (db && hub_db_boot_anchor(db, u->device, ev->boot_id,
                                     &u->anchors[u->n_anchors]) == ERR_OK)
            u->n_anchors++;
    }
}

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

static err_code put_service_log(struct hub_db *db, const char *station,
                                const char *device,
                                const struct proto_event *ev)
{
    cJSON *d = cJSON_Parse(ev->data);
    const cJSON *cat = cJSON_GetObjectItemCaseSensitive(d, "category");
    const cJSON *min = cJSON_GetObjectItemCaseSensitive(d, "minutes");
    const cJSON *day = cJSON_GetObjectItemCaseSensitive(d, "day");
    const cJSON *note = cJSON_GetObjectItemCaseSensitive(d, "note");
    sqlite3_stmt *st = prep(db, "INSERT OR IGNORE INTO service_logs(device,"
                            " seq, station, member_no, category, minutes, day,"
                            " note) VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st) {
        cJSON_Delete(d);
        return ERR_DB;
    }
    sqlite3_bind_text(st, 1, device, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, (int64_t)ev->seq);
    sqlite3_bind_text(st, 3, station, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, ev->member_no, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, cJSON_IsString(cat) ? cat->valuestring : "",
                      -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 6, cJSON_IsNumber(min) ? min->valueint : 0);
    sqlite3_bind_text(st, 7, cJSON_IsString(day) ? day->valuestring : "",
                      -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 8, cJSON_IsString(note) ? note->valuestring : "",
                      -1, SQLITE_TRANSIENT);
    err_code e = done(db, st, "service log");
    cJSON_Delete(d);
    return e;
}

static err_code put_event(struct hub_db *db, sqlite3_stmt *st,
                          const struct hub_put *u,
                          const struct proto_event *ev, size_t *fresh)
{
    const char *station = u->station, *device = u->device;
    int64_t now = u->now;
    bool corrected;
    int64_t at = event_time(ev, u, &corrected);
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, device, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, (int64_t)ev->seq);
    sqlite3_bind_text(st, 3, station, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, ev->kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, ev->member_no, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 6, ev->wall_ms);
    sqlite3_bind_int(st, 7, ev->clock_trusted);
    sqlite3_bind_text(st, 8, ev->boot_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 9, ev->mono_ms);
    sqlite3_bind_int64(st, 10, at);
    sqlite3_bind_int(st, 11, corrected);
    sqlite3_bind_text(st, 12, ev->data, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 13, now);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE)
        return db_err(db, rc, "event put");
    if (sqlite3_changes(db->db) == 0)
        return ERR_OK;                       /* held already: resend */
    (*fresh)++;
    if (strcmp(ev->kind, "service_log") == 0)
        return put_service_log(db, station, device, ev);
    return ERR_OK;
}

/* Advance the device's contiguous mark over what is now held. */
static err_code advance_acked(struct hub_db *db, const char *device,
                              uint64_t *acked)
{
    sqlite3_stmt *q = prep(db, "SELECT acked FROM devices WHERE id = ?");
    if (!q)
        return ERR_DB;
    sqlite3_bind_text(q, 1, device, -1, SQLITE_TRANSIENT);
    int64_t a = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    sqlite3_finalize(q);
    q = prep(db, "SELECT 1 FROM events WHERE device = ? AND seq = ?");
    if (!q)
        return ERR_DB;
    for (;;) {
        sqlite3_reset(q);
        sqlite3_bind_text(q, 1, device, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(q, 2, a + 1);
        if (sqlite3_step(q) != SQLITE_ROW)
            break;
        a++;
    }
    sqlite3_finalize(q);
    sqlite3_stmt *u = prep(db, "UPDATE devices SET acked = ? WHERE id = ?");
    if (!u)
        return ERR_DB;
    sqlite3_bind_int64(u, 1, a);
    sqlite3_bind_text(u, 2, device, -1, SQLITE_TRANSIENT);
    *acked = (uint64_t)a;
    return done(db, u, "acked");
}

static err_code put_all(struct hub_db *db, const struct hub_put *u,
                        size_t *fresh)
{
    sqlite3_stmt *st = prep(db, "INSERT OR IGNORE INTO events(device, seq,"
                            " station, kind, member_no, wall_ms,"
                            " clock_trusted, boot_id, mono_ms, event_ms,"
                            " corrected, data, received_ms)"
                            " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!st)
        return ERR_DB;
    err_code e = ERR_OK;
    for (size_t i = 0; i < u->n && e == ERR_OK; i++)
        e = put_event(db, st, u, &u->evs[i], fresh);
    sqlite3_finalize(st);
    return e;
}

/* One device's upload inside the group's transaction; a savepoint keeps
 * a failure to this upload alone. */
static void put_one(struct hub_db *db, struct hub_put *u)
{
    u->fresh = 0;
    u->result = exec(db, "SAVEPOINT put");
    if (u->result != ERR_OK)
        return;
    u->result = put_all(db, u, &u->fresh);
    if (u->result == ERR_OK)
        u->result = advance_acked(db, u->device, &u->acked);
    if (u->result != ERR_OK) {
        exec(db, "ROLLBACK TO put");
        u->fresh = 0;
    }
    exec(db, "RELEASE put");
}

err_code hub_db_events_put_group(struct hub_db *db, struct hub_put *puts,
                                 size_t n)
{
    err_code e = hub_db_begin(db);
    for (size_t i = 0; i < n; i++)
        puts[i].result = e;
    if (e != ERR_OK)
        return e;
    for (size_t i = 0; i < n; i++)
        put_one(db, &puts[i]);
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
                         .n = n, .now = now };
    hub_db_anchors_fill(NULL, &u, ps);
    hub_db_events_put_group(db, &u, 1);
    *acked = u.acked;
    *fresh = u.fresh;
    return u.result;
}

/* ---- the change feed --------------------------------------------------- */

err_code hub_db_change_add(struct hub_db *db, const char *station,
                           const char *device, const char *type,
                           const char *key, const char *data)
{
    sqlite3_stmt *st = prep(db, "INSERT INTO changes(station, device, type,"
                            " key, op, data, ms) VALUES(?,?,?,?,?,?,?)");
    if (!st)
        return ERR_DB;
    if (station)
        sqlite3_bind_text(st, 1, station, -1, SQLITE_TRANSIENT);
    if (device)
        sqlite3_bind_text(st, 2, device, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, type, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, data ? "put" : "del", -1, SQLITE_STATIC);
    if (data)
        sqlite3_bind_text(st, 6, data, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 7, hub_now_ms());
    return done(db, st, "change add");
}

static err_code parse_cursor(const char *since, int64_t *id)
{
    *id = 0;
    if (!since[0])
        return ERR_OK;
    if (strlen(since) > 18)
        return ERR_INVAL;
    for (const char *p = since; *p; p++)
        if (*p < '0' || *p > '9')
            return ERR_INVAL;
    *id = strtoll(since, NULL, 10);
    return ERR_OK;
}

static cJSON *change_json(sqlite3_stmt *st)
{
    cJSON *c = cJSON_CreateObject();
    static const struct { const char *name; int col; } f[] = {
        { "type", 1 }, { "op", 3 }, { "key", 2 },
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        cJSON_AddStringToObject(c, f[i].name,
                                (const char *)sqlite3_column_text(st,
                                                                  f[i].col));
    const char *data = (const char *)sqlite3_column_text(st, 4);
    if (data)
        cJSON_AddItemToObject(c, "data", cJSON_CreateRaw(data));
    return c;
}

err_code hub_db_changes(struct hub_db *db, const char *station,
                        const char *device, const char *since, int64_t now,
                        char **json, size_t *len)
{
    int64_t from;
    if (parse_cursor(since, &from) != ERR_OK)
        return ERR_INVAL;
    sqlite3_stmt *st = prep(db, "SELECT id, type, key, op, data FROM changes"
                            " WHERE id > ? AND (station IS NULL OR station = ?)"
                            " AND (device IS NULL OR device = ?)"
                            " ORDER BY id LIMIT ?");
    if (!st)
        return ERR_DB;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_text(st, 2, station, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, device, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 4, HUB_PAGE_CHANGES + 1);
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(root, "changes");
    int rows = 0, rc;
    int64_t last = from;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && rows < HUB_PAGE_CHANGES) {
        last = sqlite3_column_int64(st, 0);
        cJSON_AddItemToArray(arr, change_json(st));
        rows++;
    }
    bool more = rc == SQLITE_ROW;
    sqlite3_finalize(st);
    char cur[24];
    snprintf(cur, sizeof cur, "%" PRId64, last);
    cJSON_AddStringToObject(root, "cursor", cur);
    cJSON_AddBoolToObject(root, "more", more);
    cJSON_AddNumberToObject(root, "hub_time_ms", (double)now);
    *json = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!*json)
        abort();
    *len = strlen(*json);
    return ERR_OK;
}
