/* hub/hub_db.c - the hub's store: its files and schema, the
 * connection, the kept statements and the helpers the other hub_db*.c
 * files share (hub_db_int.h). Devices and enrolment are in
 * hub_db_device.c, events and the change feed in hub_db_events.c. */
#include "hub/hub_db_int.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/service_rules.h"
#include "base/xmalloc.h"
#include "hub/hub_db_ledger.h"

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS stations(id TEXT PRIMARY KEY,"
    " name TEXT NOT NULL, created_ms INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS devices(id TEXT PRIMARY KEY,"
    " station TEXT NOT NULL, enrolled_ms INTEGER NOT NULL,"
    " revoked INTEGER NOT NULL DEFAULT 0, acked INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS certs(sha256 TEXT PRIMARY KEY,"
    " serial TEXT NOT NULL, device TEXT NOT NULL, station TEXT NOT NULL,"
    " issued_ms INTEGER NOT NULL, state TEXT NOT NULL DEFAULT 'current',"
    " changed_ms INTEGER);"
    "CREATE INDEX IF NOT EXISTS certs_device ON certs(device, state);"
    "CREATE INDEX IF NOT EXISTS certs_serial ON certs(serial);"
    "CREATE TABLE IF NOT EXISTS enrol_codes(code TEXT PRIMARY KEY,"
    " station TEXT NOT NULL, device TEXT NOT NULL,"
    " expires_ms INTEGER NOT NULL, used_ms INTEGER);"
    "CREATE TABLE IF NOT EXISTS members(member_no TEXT PRIMARY KEY,"
    " name TEXT NOT NULL, phone TEXT NOT NULL, community TEXT NOT NULL,"
    " station TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1);"
    /* events and service_logs: hub_db_events.c (hub_db_events_migrate) */
    /* members' PINs (base/pinhash.h form), apart from the roster so a
     * roster import keeps them */
    "CREATE TABLE IF NOT EXISTS member_pins(member_no TEXT PRIMARY KEY,"
    " pin_hash TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS changes(id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " station TEXT, device TEXT, type TEXT NOT NULL, key TEXT NOT NULL,"
    " op TEXT NOT NULL, data TEXT, ms INTEGER NOT NULL);"
    /* The feed reads one station's rows and the global ones (station
     * NULL) after a cursor as two range scans; snapshot and trim find an
     * item's later changes by item. */
    "CREATE INDEX IF NOT EXISTS changes_station ON changes(station, id);"
    "CREATE INDEX IF NOT EXISTS changes_item ON changes(station, type, key,"
    " device, id);"
    "CREATE TABLE IF NOT EXISTS feed_meta(name TEXT PRIMARY KEY,"
    " value INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS published(scope TEXT NOT NULL,"
    " type TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL,"
    " PRIMARY KEY(scope, type, key));"
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
    " hub_ms INTEGER NOT NULL, PRIMARY KEY(device, boot_id));"
    "CREATE TABLE IF NOT EXISTS feed_cursors(device TEXT PRIMARY KEY,"
    " cursor INTEGER NOT NULL, ms INTEGER NOT NULL);";

/* The statements a request runs, kept prepared per connection. */
static const struct {
    const char *sql;
    bool        fleet;            /* on the fleet file's connection */
} kept_sql[HUB_STMT_COUNT] = {
    [HUB_STMT_DEVICE_CHECK] = { "SELECT d.revoked, (SELECT c.state"
        " FROM certs c WHERE c.sha256 = ?3 AND c.device = d.id),"
        " EXISTS(SELECT 1 FROM certs c WHERE c.device = d.id)"
        " FROM devices d WHERE d.id = ?1 AND d.station = ?2", false },
    [HUB_STMT_SEEN_PUT] = { "INSERT OR REPLACE INTO seen(last_seen_ms,"
        " version, queue, offset_ms, boot_id, mono_ms, device)"
        " VALUES(?, ?, ?, ?, ?, ?, ?)", true },
    [HUB_STMT_BOOT_PUT] = { "INSERT OR REPLACE INTO boots(device, boot_id,"
        " mono_ms, hub_ms) VALUES(?, ?, ?, ?)", true },
    [HUB_STMT_BOOT_ANCHOR] = { "SELECT mono_ms, hub_ms FROM boots"
        " WHERE device = ? AND boot_id = ?", true },
    [HUB_STMT_EVENT_PUT] = { "INSERT OR IGNORE INTO events(device, seq,"
        " station, kind, member_no, wall_ms, clock_trusted, boot_id,"
        " mono_ms, event_ms, corrected, data, received_ms, epoch)"
        " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)", false },
    [HUB_STMT_EVENT_GET] = { "SELECT kind, member_no, wall_ms,"
        " clock_trusted, coalesce(boot_id, ''), coalesce(mono_ms, 0), data"
        " FROM events WHERE device = ?1 AND epoch = ?2 AND seq = ?3"
        " UNION ALL SELECT kind, member_no, wall_ms, clock_trusted, boot_id,"
        " mono_ms, data FROM refused"
        " WHERE device = ?1 AND epoch = ?2 AND seq = ?3 LIMIT 1", false },
    [HUB_STMT_EPOCH_OPEN] = { "INSERT OR IGNORE INTO epochs(device, epoch,"
        " start, acked, first_ms) VALUES(?1, ?2, ?3, ?3 - 1, ?4)", false },
    [HUB_STMT_MEMBER_STATION] = { "SELECT station FROM members"
        " WHERE member_no = ?", false },
    [HUB_STMT_REFUSED_PUT] = { "INSERT OR IGNORE INTO refused(device,"
        " epoch, seq, station, kind, member_no, wall_ms, clock_trusted,"
        " boot_id, mono_ms, event_ms, data, reason, received_ms)"
        " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)", false },
    [HUB_STMT_CONFLICT_PUT] = { "INSERT INTO conflicts(device, epoch, seq,"
        " station, kind, member_no, wall_ms, data, received_ms)"
        " VALUES(?,?,?,?,?,?,?,?,?)", false },
    [HUB_STMT_HELD_MAX] = { "SELECT max(coalesce((SELECT max(seq)"
        " FROM events WHERE device = ?1 AND epoch = ?2), 0),"
        " coalesce((SELECT max(seq) FROM refused WHERE device = ?1"
        " AND epoch = ?2), 0))", false },
    [HUB_STMT_DEVICE_ACKED_SET] = { "UPDATE devices SET acked = ?"
        " WHERE id = ?", false },
    [HUB_STMT_SERVICE_LOG_PUT] = { "INSERT OR IGNORE INTO service_logs("
        "device, seq, station, member_no, category, minutes, day, note,"
        " epoch) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)", false },
    [HUB_STMT_ACKED_GET] = { "SELECT acked FROM epochs WHERE device = ?"
        " AND epoch = ?", false },
    [HUB_STMT_EVENT_HELD] = { "SELECT 1 FROM events WHERE device = ?1"
        " AND epoch = ?2 AND seq = ?3 UNION ALL SELECT 1 FROM refused"
        " WHERE device = ?1 AND epoch = ?2 AND seq = ?3", false },
    [HUB_STMT_ACKED_SET] = { "UPDATE epochs SET acked = ? WHERE device = ?"
        " AND epoch = ?", false },
    /* Two range scans of changes_station merged in id order. */
    [HUB_STMT_CHANGES_PAGE] = { "SELECT id, type, key, op, data"
        " FROM changes WHERE station = ?2 AND id > ?1"
        " AND (device IS NULL OR device = ?3)"
        " UNION ALL SELECT id, type, key, op, data FROM changes"
        " WHERE station IS NULL AND id > ?1"
        " AND (device IS NULL OR device = ?3) ORDER BY id LIMIT ?4", false },
    /* The items live at snapshot head ?5: each one's last change up to
     * it, when that is a put. */
    [HUB_STMT_CHANGES_SNAPSHOT] = { "SELECT id, type, key, op, data"
        " FROM changes c WHERE station = ?2 AND id > ?1 AND id <= ?5"
        " AND op = 'put' AND (device IS NULL OR device = ?3)"
        " AND NOT EXISTS(SELECT 1 FROM changes n WHERE n.station = ?2"
        " AND n.type = c.type AND n.key = c.key AND n.device IS c.device"
        " AND n.id > c.id AND n.id <= ?5)"
        " UNION ALL SELECT id, type, key, op, data FROM changes c"
        " WHERE station IS NULL AND id > ?1 AND id <= ?5 AND op = 'put'"
        " AND (device IS NULL OR device = ?3)"
        " AND NOT EXISTS(SELECT 1 FROM changes n WHERE n.station IS NULL"
        " AND n.type = c.type AND n.key = c.key AND n.device IS c.device"
        " AND n.id > c.id AND n.id <= ?5) ORDER BY id LIMIT ?4", false },
    [HUB_STMT_FEED_MARKS] = { "SELECT coalesce((SELECT seq FROM"
        " sqlite_sequence WHERE name = 'changes'), 0),"
        " coalesce((SELECT value FROM feed_meta WHERE name = 'horizon'), 0)",
        false },
    [HUB_STMT_FEED_CURSOR_PUT] = { "INSERT OR REPLACE INTO feed_cursors("
        "device, cursor, ms) VALUES(?, ?, ?)", true },
    [HUB_STMT_CHANGE_ADD] = { "INSERT INTO changes(station, device, type,"
        " key, op, data, ms) VALUES(?,?,?,?,?,?,?)", false },
    [HUB_STMT_BUNDLE_LATEST] = { "SELECT name, version, size, sha256"
        " FROM bundles WHERE scope = '' OR scope = ?1"
        " ORDER BY version_num DESC, published_ms DESC LIMIT 1", false },
    [HUB_STMT_BUNDLE_FIND] = { "SELECT name, version, size, sha256"
        " FROM bundles WHERE (scope = '' OR scope = ?1) AND name = ?2"
        " ORDER BY published_ms DESC LIMIT 1", false },
};

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

int64_t hub_now_ms(void)
{
    return clock_wall_ms();
}

int hub_points_for(int minutes)
{
    /* Bounded by the service rules whatever the log says: a confirmation
     * can never be worth more than the longest allowed log. */
    if (minutes > SERVICE_MAX_MINUTES)
        minutes = SERVICE_MAX_MINUTES;
    int p = minutes / 30;
    return p < 1 ? 1 : p;
}

err_code hub_db_err(struct hub_db *db, int rc, const char *what)
{
    log_error("hub db: %s: %s: %s", db->path, what, sqlite3_errmsg(db->db));
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return ERR_BUSY;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return ERR_CORRUPT;
    default:
        return ERR_DB;
    }
}

err_code hub_db_rows_end(struct hub_db *db, int rc, const char *what)
{
    return rc == SQLITE_DONE ? ERR_OK : hub_db_err(db, rc, what);
}

err_code hub_db_step_one(struct hub_db *db, sqlite3_stmt *st,
                         const char *what)
{
    int rc = sqlite3_step(st);

    if (rc == SQLITE_ROW)
        return ERR_OK;
    return rc == SQLITE_DONE ? ERR_NOTFOUND : hub_db_err(db, rc, what);
}

err_code hub_db_exec(struct hub_db *db, const char *sql)
{
    int rc = sqlite3_exec(db->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? ERR_OK : hub_db_err(db, rc, sql);
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
    err_code e = hub_db_exec(db, "PRAGMA journal_mode=WAL;"
                             " PRAGMA synchronous=FULL;"
                             " PRAGMA foreign_keys=ON;");
    if (e == ERR_OK)
        e = hub_db_exec(db, schema);
    if (e == ERR_OK)
        e = hub_db_events_migrate(db);
    if (e == ERR_OK)
        e = hub_db_ledger_migrate(db);
    if (e == ERR_OK)
        e = open_fleet(db, path);
    if (e != ERR_OK) {
        hub_db_close(db);
        return e;
    }
    *out = db;
    return ERR_OK;
}

err_code hub_db_open_reader(const char *path, struct hub_db **out)
{
    *out = NULL;
    struct hub_db *db = xcalloc(1, sizeof *db);
    str_copy(db->path, sizeof db->path, path);
    /* NOMUTEX: the pool hands a connection to one thread at a time. */
    int rc = sqlite3_open_v2(path, &db->db, SQLITE_OPEN_READONLY |
                             SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        log_error("hub db: %s: %s", path, sqlite3_errstr(rc));
        sqlite3_close(db->db);
        free(db);
        return ERR_DB;
    }
    sqlite3_busy_timeout(db->db, 5000);
    *out = db;
    return ERR_OK;
}

err_code hub_db_quick_check(const char *path, char *msg, size_t cap)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    err_code e = ERR_CORRUPT;

    str_copy(msg, cap, "");
    if (access(path, F_OK) != 0)
        return ERR_OK;                       /* a new hub: nothing to check */
    /* Read-write without create: a WAL left by a crash is recovered. */
    int rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(h, "PRAGMA quick_check", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        /* The first problem on one line, without SQLite's heading. */
        const char *t = (const char *)sqlite3_column_text(st, 0);
        const char *nl = t ? strchr(t, '\n') : NULL;
        if (t && strncmp(t, "*** ", 4) == 0 && nl)
            t = nl + 1;
        str_copy(msg, cap, t ? t : "");
        msg[strcspn(msg, "\n")] = '\0';
        if (strcmp(msg, "ok") == 0)
            e = ERR_OK;
    } else {
        str_copy(msg, cap, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        if ((rc & 0xff) != SQLITE_CORRUPT && (rc & 0xff) != SQLITE_NOTADB)
            e = (rc & 0xff) == SQLITE_BUSY ? ERR_BUSY : ERR_IO;
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    return e;
}

void hub_db_close(struct hub_db *db)
{
    if (!db)
        return;
    for (int i = 0; i < HUB_STMT_COUNT; i++)
        sqlite3_finalize(db->kept[i]);
    sqlite3_close(db->fleet);
    sqlite3_close(db->db);
    free(db);
}

err_code hub_db_begin(struct hub_db *db)
{
    return hub_db_exec(db, "BEGIN IMMEDIATE");
}

err_code hub_db_commit(struct hub_db *db)
{
    return hub_db_exec(db, "COMMIT");
}

void hub_db_rollback(struct hub_db *db)
{
    sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
}

sqlite3_stmt *hub_db_prep(struct hub_db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK) {
        log_error("hub db: prepare: %s", sqlite3_errmsg(db->db));
        return NULL;
    }
    return st;
}

err_code hub_db_done(struct hub_db *db, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ERR_OK : hub_db_err(db, rc, what);
}

sqlite3_stmt *hub_db_stmt(struct hub_db *db, enum hub_stmt id)
{
    if (db->kept[id])
        return db->kept[id];
    sqlite3 *h = kept_sql[id].fleet ? db->fleet : db->db;
    if (!h) {
        log_error("hub db: statement %d needs the fleet file", (int)id);
        return NULL;
    }
    if (sqlite3_prepare_v3(h, kept_sql[id].sql, -1,
                           SQLITE_PREPARE_PERSISTENT, &db->kept[id],
                           NULL) != SQLITE_OK) {
        log_error("hub db: prepare: %s", sqlite3_errmsg(h));
        sqlite3_finalize(db->kept[id]);
        db->kept[id] = NULL;
    }
    return db->kept[id];
}

void hub_db_stmt_done(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

err_code hub_db_stmt_run(struct hub_db *db, sqlite3_stmt *st,
                         const char *what)
{
    int rc = sqlite3_step(st);
    err_code e = rc == SQLITE_DONE ? ERR_OK : hub_db_err(db, rc, what);
    hub_db_stmt_done(st);
    return e;
}

void hub_db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

const char *hub_db_col_text(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? s : "";
}
