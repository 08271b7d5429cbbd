/* firmware/store.c - opening, migrating and transacting the kiosk's SQLite
 * database. Owns the schema; the other store files own the queries.
 * Must not: know about screens or the network. */
#include "firmware/store_int.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/xmalloc.h"

/* Forward migrations: migrations[v] takes schema v to v + 1. Never edit a
 * released step; add a new one. */
static const char *const migrations[STORE_SCHEMA_VERSION] = {
    /* 0 -> 1: events, the visit view and the roster */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE events(seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    " kind INTEGER NOT NULL, member_no TEXT NOT NULL,"
    " wall_ms INTEGER NOT NULL, clock_trusted INTEGER NOT NULL,"
    " boot_id TEXT NOT NULL, mono_ms INTEGER NOT NULL,"
    " data TEXT NOT NULL DEFAULT '{}');"
    "CREATE TABLE visits(id INTEGER PRIMARY KEY, member_no TEXT NOT NULL,"
    " in_seq INTEGER NOT NULL, in_ms INTEGER NOT NULL, out_ms INTEGER,"
    " minutes INTEGER);"
    "CREATE INDEX visits_member ON visits(member_no, in_ms);"
    "CREATE TABLE members(member_no TEXT PRIMARY KEY, name TEXT NOT NULL,"
    " phone_masked TEXT NOT NULL DEFAULT '', community TEXT NOT NULL"
    " DEFAULT '', active INTEGER NOT NULL DEFAULT 1);",

    /* 1 -> 2: service logs and the duty boards */
    "CREATE TABLE service_logs(seq INTEGER PRIMARY KEY,"
    " member_no TEXT NOT NULL, category TEXT NOT NULL,"
    " minutes INTEGER NOT NULL, day INTEGER NOT NULL,"
    " backfilled INTEGER NOT NULL, note TEXT NOT NULL DEFAULT '',"
    " status INTEGER NOT NULL DEFAULT 0, points INTEGER NOT NULL DEFAULT 0,"
    " logged_ms INTEGER NOT NULL);"
    "CREATE INDEX service_logs_member ON service_logs(member_no, day);"
    "CREATE TABLE posts(id TEXT PRIMARY KEY, category TEXT NOT NULL,"
    " name TEXT NOT NULL, duties TEXT NOT NULL DEFAULT '',"
    " ord INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE post_holders(post_id TEXT NOT NULL,"
    " member_no TEXT NOT NULL, name TEXT NOT NULL, role INTEGER NOT NULL,"
    " PRIMARY KEY(post_id, member_no));"
    "CREATE INDEX post_holders_member ON post_holders(member_no);"
    "CREATE TABLE shifts(key TEXT PRIMARY KEY, day INTEGER NOT NULL,"
    " shift TEXT NOT NULL, member_no TEXT NOT NULL, name TEXT NOT NULL,"
    " phone_masked TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX shifts_day ON shifts(day);"
    "CREATE TABLE contacts(id TEXT PRIMARY KEY, building TEXT NOT NULL,"
    " unit TEXT NOT NULL, name TEXT NOT NULL, role TEXT NOT NULL,"
    " duties TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX contacts_place ON contacts(building, unit);"
    "CREATE TABLE notices(id TEXT PRIMARY KEY, title TEXT NOT NULL,"
    " body TEXT NOT NULL, published_ms INTEGER NOT NULL);"
    "CREATE TABLE stars(period TEXT NOT NULL, rank INTEGER NOT NULL,"
    " member_no TEXT NOT NULL, name TEXT NOT NULL, points INTEGER NOT NULL,"
    " PRIMARY KEY(period, rank));"
    "CREATE TABLE board_updates(board TEXT PRIMARY KEY,"
    " updated_ms INTEGER NOT NULL);",

    /* 2 -> 3: visits closed by rule are flagged and keep the boot and
     * monotonic stamp of their check-in; credential revocations */
    "ALTER TABLE visits ADD COLUMN auto_closed INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE visits ADD COLUMN in_boot_id TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE visits ADD COLUMN in_mono_ms INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE revocations(id TEXT PRIMARY KEY,"
    " revoked_ms INTEGER NOT NULL);",

    /* 3 -> 4: the hub's credential public keys (signed cards) */
    "CREATE TABLE credential_keys(kid TEXT PRIMARY KEY,"
    " public_key TEXT NOT NULL, not_after_ms INTEGER NOT NULL);",

    /* 4 -> 5: members' PIN hashes; their points as the hub counts them */
    "ALTER TABLE members ADD COLUMN pin_hash TEXT NOT NULL DEFAULT '';"
    "CREATE TABLE member_totals(member_no TEXT PRIMARY KEY,"
    " as_of INTEGER NOT NULL, month_points INTEGER NOT NULL,"
    " quarter_points INTEGER NOT NULL, year_points INTEGER NOT NULL,"
    " month_rank INTEGER NOT NULL, quarter_rank INTEGER NOT NULL,"
    " year_rank INTEGER NOT NULL);",

    /* 5 -> 6: residents' requests and small wishes (store_ledger.c): the
     * hub's types, tickets (filed here or fed by the hub), local PIN
     * lockouts and members' claims made here */
    "CREATE TABLE ledger_types(code TEXT PRIMARY KEY, name TEXT NOT NULL,"
    " name_en TEXT NOT NULL DEFAULT '', for_request INTEGER NOT NULL,"
    " for_wish INTEGER NOT NULL, ord INTEGER NOT NULL DEFAULT 0,"
    " presets TEXT NOT NULL DEFAULT '');"
    "CREATE TABLE tickets(ticket TEXT PRIMARY KEY, kind INTEGER NOT NULL,"
    " type TEXT NOT NULL, building TEXT NOT NULL, unit TEXT NOT NULL,"
    " text TEXT NOT NULL, state INTEGER NOT NULL, filed_ms INTEGER NOT NULL,"
    " accepted_ms INTEGER NOT NULL DEFAULT 0,"
    " assigned_ms INTEGER NOT NULL DEFAULT 0,"
    " deadline_ms INTEGER NOT NULL DEFAULT 0,"
    " answered_ms INTEGER NOT NULL DEFAULT 0,"
    " closed_ms INTEGER NOT NULL DEFAULT 0,"
    " locked_until_ms INTEGER NOT NULL DEFAULT 0,"
    " answer TEXT NOT NULL DEFAULT '', pin_hash TEXT NOT NULL,"
    " claimer TEXT NOT NULL DEFAULT '', points INTEGER NOT NULL DEFAULT 0,"
    " from_hub INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX tickets_kind ON tickets(kind, state);"
    "CREATE TABLE ticket_locks(ticket TEXT PRIMARY KEY,"
    " fails INTEGER NOT NULL, locked_until_ms INTEGER NOT NULL);"
    "CREATE TABLE wish_claims(ticket TEXT PRIMARY KEY,"
    " member_no TEXT NOT NULL, claimed_ms INTEGER NOT NULL,"
    " done_ms INTEGER NOT NULL DEFAULT 0);",

    /* 6 -> 7: photos of people on the boards (post holders, grid and
     * building leaders, stars), small PNGs the hub publishes */
    "CREATE TABLE photos(key TEXT PRIMARY KEY, png BLOB NOT NULL);",

    /* 7 -> 8: the duty desk (store_desk.c): the visitors logged here,
     * each with its event's seq, and the days whose shift was credited
     * to a member as service, so a shift is credited once */
    "CREATE TABLE visitors(seq INTEGER PRIMARY KEY,"
    " member_no TEXT NOT NULL, at_ms INTEGER NOT NULL,"
    " day INTEGER NOT NULL, type TEXT NOT NULL, building TEXT NOT NULL,"
    " unit TEXT NOT NULL, text TEXT NOT NULL, outcome INTEGER NOT NULL,"
    " reason TEXT NOT NULL DEFAULT '', ticket TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX visitors_day ON visitors(day);"
    "CREATE TABLE duty_credits(member_no TEXT NOT NULL,"
    " day INTEGER NOT NULL, seq INTEGER NOT NULL,"
    " PRIMARY KEY(member_no, day));",

    /* 8 -> 9: service confirmation (store_confirm.c): whom a log served,
     * how the hub's verdict was reached and why a log was rejected; logs
     * the station's residents may confirm here, and the answers given
     * here (kept apart: a snapshot replaces the first, not the second) */
    "ALTER TABLE service_logs ADD COLUMN served_place TEXT NOT NULL"
    " DEFAULT '';"
    "ALTER TABLE service_logs ADD COLUMN served_ticket TEXT NOT NULL"
    " DEFAULT '';"
    "ALTER TABLE service_logs ADD COLUMN method INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE service_logs ADD COLUMN rating INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE service_logs ADD COLUMN reason TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE service_logs ADD COLUMN decided_ms INTEGER NOT NULL"
    " DEFAULT 0;"
    "CREATE TABLE service_awaiting(key TEXT PRIMARY KEY,"
    " ticket TEXT NOT NULL, device TEXT NOT NULL, epoch TEXT NOT NULL,"
    " seq INTEGER NOT NULL, member_no TEXT NOT NULL, name TEXT NOT NULL,"
    " category TEXT NOT NULL, minutes INTEGER NOT NULL,"
    " day INTEGER NOT NULL);"
    "CREATE INDEX service_awaiting_ticket ON service_awaiting(ticket);"
    "CREATE TABLE service_answers(key TEXT PRIMARY KEY,"
    " answered_ms INTEGER NOT NULL);",

    /* 9 -> 10: claiming posts (认岗): each post's rules as published, and
     * members' claims and swaps, made here (from_hub 0, until the hub's
     * word on them arrives) or as the hub decided them */
    "CREATE TABLE post_rules(post_id TEXT PRIMARY KEY,"
    " min_members INTEGER NOT NULL, max_members INTEGER NOT NULL,"
    " open INTEGER NOT NULL, places INTEGER NOT NULL);"
    "CREATE TABLE post_claims(id TEXT PRIMARY KEY, kind INTEGER NOT NULL,"
    " member_no TEXT NOT NULL, post_id TEXT NOT NULL, role INTEGER NOT NULL,"
    " other_no TEXT NOT NULL DEFAULT '', other_post TEXT NOT NULL"
    " DEFAULT '', state INTEGER NOT NULL, reason TEXT NOT NULL DEFAULT '',"
    " filed_ms INTEGER NOT NULL, decided_ms INTEGER NOT NULL DEFAULT 0,"
    " from_hub INTEGER NOT NULL);"
    "CREATE INDEX post_claims_member ON post_claims(member_no, filed_ms);",

    /* 10 -> 11: the year-end awards the hub published (年度表彰); the stars
     * of each star's own board share the stars table, their period
     * prefixed with the board ("environment/month") */
    "CREATE TABLE awards(key TEXT PRIMARY KEY, year INTEGER NOT NULL,"
    " kind TEXT NOT NULL, rank INTEGER NOT NULL, subject TEXT NOT NULL,"
    " name TEXT NOT NULL, points INTEGER NOT NULL);",

    /* 11 -> 12: 双报到: the hub's work units, and each member's unit and
     * kind of registration (an older program reads members as before) */
    "CREATE TABLE work_units(code TEXT PRIMARY KEY, name TEXT NOT NULL,"
    " paired_community TEXT NOT NULL DEFAULT '');"
    "ALTER TABLE members ADD COLUMN work_unit TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE members ADD COLUMN reg_kind TEXT NOT NULL DEFAULT '';",
};

static err_code err_of(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW:        return ERR_OK;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:     return ERR_BUSY;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:     return ERR_CORRUPT;
    case SQLITE_CONSTRAINT: return ERR_INVAL;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:   return ERR_IO;
    default:                return ERR_DB;
    }
}

err_code store_err(struct store *s, int rc, const char *what)
{
    err_code e = err_of(rc);

    if (e != ERR_OK)
        log_error("store %s: %s: %s", s->path, what,
                  s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
    return e;
}

sqlite3_stmt *store_stmt(struct store *s, const char *sql)
{
    sqlite3_stmt *st;
    int rc;

    for (int i = 0; i < s->n_cache; i++) {
        if (s->cache[i].sql == sql) {
            sqlite3_reset(s->cache[i].st);
            sqlite3_clear_bindings(s->cache[i].st);
            return s->cache[i].st;
        }
    }
    rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
                            NULL);
    if (rc != SQLITE_OK) {
        store_err(s, rc, "prepare");
        return NULL;
    }
    /* Every query is a literal in store*.c, so a full cache is a bug. */
    assert(s->n_cache < STORE_STMT_CACHE);
    s->cache[s->n_cache].sql = sql;
    s->cache[s->n_cache].st = st;
    s->n_cache++;
    return st;
}

err_code store_step_done(struct store *s, sqlite3_stmt *st, const char *what)
{
    int rc;

    if (st == NULL)
        return ERR_DB;
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? ERR_OK : store_err(s, rc, what);
}

err_code store_step_int64(struct store *s, sqlite3_stmt *st, int64_t *out,
                          const char *what)
{
    int rc;

    *out = 0;
    if (st == NULL)
        return ERR_DB;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return ERR_OK;
    return rc == SQLITE_DONE ? ERR_NOTFOUND : store_err(s, rc, what);
}

void store_col_text(sqlite3_stmt *st, int i, char *dst, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    str_copy(dst, cap, t ? (const char *)t : "");
}

err_code store_exec(struct store *s, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);

    if (rc != SQLITE_OK) {
        log_error("store %s: %s", s->path, msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return err_of(rc);
    }
    return ERR_OK;
}

static int pragma_int(struct store *s, const char *sql, int *out)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int(st, 0);
            rc = SQLITE_OK;
        }
        sqlite3_finalize(st);
    }
    return rc;
}

int store_schema_version(struct store *s)
{
    int v = -1;
    pragma_int(s, "PRAGMA user_version", &v);
    return v;
}

/* Create the file ourselves so it is 0600 from its first byte; SQLite
 * gives its -wal and -shm files the same mode. */
/* Create the file 0600 when it does not exist yet. An existing file is not
 * opened at all: closing a descriptor drops every POSIX lock this process
 * holds on the file, including those of another connection (the sync
 * worker's), after which a third process closing the database thinks it
 * is the last user and deletes the WAL under us. */
static err_code create_private(const char *path)
{
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

    if (fd < 0 && errno == EEXIST)
        return ERR_OK;
    if (fd < 0) {
        log_error("store %s: cannot create: %s", path, strerror(errno));
        return ERR_IO;
    }
    close(fd);
    return ERR_OK;
}

/* A newer program's database we may still use: its migrations said which
 * schema can still read it (meta min_reader_schema). */
static bool readable_by_us(struct store *s)
{
    int min = 0;
    int rc = pragma_int(s, "SELECT CAST(value AS INTEGER) FROM meta"
                        " WHERE key = 'min_reader_schema'", &min);

    return rc == SQLITE_OK && min >= 1 && min <= STORE_SCHEMA_VERSION;
}

/* Our file, a fresh one, or somebody else's? */
static err_code check_identity(struct store *s)
{
    int app = 0, ver = 0, objects = 0, rc;

    rc = pragma_int(s, "PRAGMA application_id", &app);
    if (rc == SQLITE_OK)
        rc = pragma_int(s, "PRAGMA user_version", &ver);
    if (rc == SQLITE_OK)
        rc = pragma_int(s, "SELECT count(*) FROM sqlite_master", &objects);
    if (rc != SQLITE_OK)
        return store_err(s, rc, "reading the header");
    if (app == 0 && ver == 0 && objects == 0)
        return ERR_OK;                                /* brand new */
    if (app != STORE_APP_ID) {
        log_error("store %s: not a kiosk database (application id %#x)",
                  s->path, (unsigned)app);
        return ERR_CORRUPT;
    }
    if (ver > STORE_SCHEMA_VERSION && !readable_by_us(s)) {
        log_error("store %s: schema %d is newer than this program's %d",
                  s->path, ver, STORE_SCHEMA_VERSION);
        return ERR_CORRUPT;
    }
    return ERR_OK;
}

static err_code configure(struct store *s)
{
    err_code e;

    sqlite3_busy_timeout(s->db, 5000);
    e = store_exec(s, "PRAGMA journal_mode=WAL");
    if (e == ERR_OK)
        e = store_exec(s, "PRAGMA synchronous=FULL");
    if (e == ERR_OK)
        e = store_exec(s, "PRAGMA foreign_keys=OFF");
    /* What is deleted is overwritten: a resident's callback phone is
     * gone from the file once the hub has it (store_ledger.h). */
    if (e == ERR_OK)
        e = store_exec(s, "PRAGMA secure_delete=ON");
    return e;
}

err_code store_open_raw(const char *path, struct store **out)
{
    struct store *s;
    int rc;
    err_code e;

    *out = NULL;
    e = create_private(path);
    if (e != ERR_OK)
        return e;
    s = xcalloc(1, sizeof *s);
    str_copy(s->path, sizeof s->path, path);
    rc = sqlite3_open_v2(path, &s->db,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        e = store_err(s, rc, "open");
        goto fail;
    }
    e = check_identity(s);
    if (e == ERR_OK)
        e = configure(s);
    if (e != ERR_OK)
        goto fail;
    *out = s;
    return ERR_OK;
fail:
    store_close(s);
    return e;
}

err_code store_migrate_to(struct store *s, int version)
{
    int v = store_schema_version(s);
    err_code e;
    char sql[96];

    assert(version <= STORE_SCHEMA_VERSION);
    while (v < version) {
        /* One transaction per step: a power cut leaves a whole version. */
        e = store_begin(s);
        if (e != ERR_OK)
            return e;
        e = store_exec(s, migrations[v]);
        snprintf(sql, sizeof sql, "PRAGMA user_version=%d", v + 1);
        if (e == ERR_OK)
            e = store_exec(s, sql);
        if (e == ERR_OK) {
            snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO meta"
                     " VALUES('min_reader_schema', '%d')",
                     STORE_MIN_READER_SCHEMA);
            e = store_exec(s, sql);
        }
        if (e == ERR_OK && v == 0) {
            snprintf(sql, sizeof sql, "PRAGMA application_id=%d", STORE_APP_ID);
            e = store_exec(s, sql);
        }
        if (e == ERR_OK)
            e = store_commit(s);
        if (e != ERR_OK) {
            store_rollback(s);
            log_error("store %s: migration %d -> %d failed", s->path, v, v + 1);
            return e;
        }
        log_info("store %s: migrated schema %d -> %d", s->path, v, v + 1);
        v++;
    }
    return ERR_OK;
}

err_code store_open(const char *path, struct store **out)
{
    err_code e = store_open_raw(path, out);
    bool fresh;

    if (e != ERR_OK)
        return e;
    fresh = store_schema_version(*out) == 0;
    e = store_migrate_to(*out, STORE_SCHEMA_VERSION);
    /* A new database is a new timeline of seqs: its own epoch. */
    if (e == ERR_OK && fresh)
        e = store_epoch_rotate(*out, "new database", NULL, 0);
    if (e != ERR_OK) {
        store_close(*out);
        *out = NULL;
    }
    return e;
}

void store_close(struct store *s)
{
    if (s == NULL)
        return;
    for (int i = s->n_cache - 1; i >= 0; i--)
        sqlite3_finalize(s->cache[i].st);
    sqlite3_close(s->db);
    free(s);
}

/* BEGIN and COMMIT run for every event: prepared once, like any query. */
err_code store_begin(struct store *s)
{
    return store_step_done(s, store_stmt(s, "BEGIN IMMEDIATE"), "begin");
}

err_code store_commit(struct store *s)
{
    return store_step_done(s, store_stmt(s, "COMMIT"), "commit");
}

void store_rollback(struct store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

err_code store_integrity(struct store *s, char *msg, size_t cap)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &st,
                                NULL);

    if (rc != SQLITE_OK)
        return store_err(s, rc, "integrity_check");
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        store_col_text(st, 0, msg, cap);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return store_err(s, rc, "integrity_check");
    return strcmp(msg, "ok") == 0 ? ERR_OK : ERR_CORRUPT;
}

err_code store_meta_get(struct store *s, const char *key, char *val,
                        size_t cap)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT value FROM meta WHERE key = ?");
    int rc;

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        store_col_text(st, 0, val, cap);
        sqlite3_reset(st);
        return ERR_OK;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? ERR_NOTFOUND : store_err(s, rc, "meta get");
}

err_code store_meta_i64(struct store *s, const char *key, int64_t *v,
                        bool *found)
{
    char buf[32];
    err_code e = store_meta_get(s, key, buf, sizeof buf);

    *v = 0;
    if (found)
        *found = e == ERR_OK;
    if (e == ERR_NOTFOUND)
        return ERR_OK;
    if (e == ERR_OK)
        *v = strtoll(buf, NULL, 10);
    return e;
}

err_code store_meta_set(struct store *s, const char *key, const char *val)
{
    sqlite3_stmt *st = store_stmt(s,
        "INSERT INTO meta(key, value) VALUES(?, ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value");

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, val, -1, SQLITE_STATIC);
    return store_step_done(s, st, "meta set");
}

err_code store_meta_last_below(struct store *s, const char *prefix,
                               const char *hi, char *val, size_t cap,
                               uint64_t *num)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT key, value FROM meta"
                                  " WHERE key >= ? AND key <= ?"
                                  " ORDER BY key DESC LIMIT 1");
    char key[64];
    int rc;

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        store_col_text(st, 0, key, sizeof key);
        store_col_text(st, 1, val, cap);
        *num = strtoull(key + strlen(prefix), NULL, 10);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? ERR_OK : store_err(s, rc, "meta last");
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? ERR_NOTFOUND : store_err(s, rc, "meta last");
}
