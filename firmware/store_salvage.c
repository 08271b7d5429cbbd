/* firmware/store_salvage.c - the checked open and the salvage of a
 * damaged kiosk database (store_salvage.h). The new store is built under
 * a temporary name and only then swapped in: a power cut half-way leaves
 * the damaged file where it was, and the next start salvages again. */
#include "firmware/store_salvage.h"
#include "firmware/store_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/file.h"
#include "base/log.h"
#include "base/xmalloc.h"

#define KEY_WHEN    "salvage_ms"
#define KEY_KEPT    "salvage_kept"
#define KEY_PROBLEM "salvage_problem"
#define KEY_EVENTS  "salvage_events"
#define KEY_LOST    "salvage_lost"
#define KEY_ACK     "salvage_ack_ms"

/* More unsent events than a kiosk could hold: the numbers are garbage. */
#define SALVAGE_MAX_EVENTS 2000000

/* What the damaged file says about its events, read before any change. */
struct plan {
    uint64_t acked;                 /* 0 when unreadable: all are resent */
    uint64_t top;                   /* the highest sequence number used */
};

/* The first problem of a quick_check answer, on one line. */
static void first_problem(const char *t, char *msg, size_t cap)
{
    const char *nl = t ? strchr(t, '\n') : NULL;

    if (t && strncmp(t, "*** ", 4) == 0 && nl)
        t = nl + 1;                             /* SQLite's heading */
    str_copy(msg, cap, t ? t : "");
    msg[strcspn(msg, "\n")] = '\0';
}

err_code store_quick_check(struct store *s, char *msg, size_t cap)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA quick_check", -1, &st, NULL);
    err_code e;

    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            first_problem((const char *)sqlite3_column_text(st, 0), msg,
                          cap);
        else
            str_copy(msg, cap, sqlite3_errmsg(s->db));
        sqlite3_finalize(st);
    } else {
        str_copy(msg, cap, sqlite3_errmsg(s->db));
    }
    if (rc != SQLITE_ROW) {
        e = store_err(s, rc, "quick_check");
        return e == ERR_OK ? ERR_DB : e;
    }
    return strcmp(msg, "ok") == 0 ? ERR_OK : ERR_CORRUPT;
}

/* ---- reading the damaged file ----------------------------------------- */

static sqlite3 *open_damaged(const char *path)
{
    sqlite3 *db = NULL;

    /* Read only: the kept file stays as it was found. */
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

/* One integer from sql: true when it could be read (no row reads 0). */
static bool read_int(sqlite3 *db, const char *sql, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

    *out = 0;
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            *out = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

/* Ours, and a schema we know: only then may it be salvaged. */
static bool ours(const char *path)
{
    sqlite3 *db = open_damaged(path);
    int64_t app = 0, ver = 0;
    bool yes = db && read_int(db, "PRAGMA application_id", &app) &&
               read_int(db, "PRAGMA user_version", &ver) &&
               app == STORE_APP_ID && ver >= 1 && ver <= STORE_SCHEMA_VERSION;

    sqlite3_close(db);
    return yes;
}

/* The acked mark and the highest sequence number; ERR_CORRUPT when the
 * latter cannot be read (new events would reuse numbers the hub holds). */
static err_code read_plan(const char *path, struct plan *p)
{
    sqlite3 *db = open_damaged(path);
    int64_t acked, seq1, seq2;
    bool top1, top2;

    if (db == NULL)
        return ERR_CORRUPT;
    if (!read_int(db, "SELECT CAST(value AS INTEGER) FROM meta"
                  " WHERE key = 'acked_seq'", &acked) || acked < 0)
        acked = 0;
    top1 = read_int(db, "SELECT seq FROM sqlite_sequence"
                    " WHERE name = 'events'", &seq1);
    top2 = read_int(db, "SELECT max(seq) FROM events", &seq2);
    sqlite3_close(db);
    p->acked = (uint64_t)acked;
    p->top = (uint64_t)(seq1 > seq2 ? seq1 : seq2);
    if ((!top1 && !top2) || p->top < p->acked ||
        p->top - p->acked > SALVAGE_MAX_EVENTS)
        return ERR_CORRUPT;
    return ERR_OK;
}

/* ---- building the new store ------------------------------------------- */

static bool meta_kept(const char *key)
{
    /* The cursor goes: the hub's state is pulled again from the start. */
    return strcmp(key, "changes_cursor") != 0 &&
           strcmp(key, "min_reader_schema") != 0 &&
           strcmp(key, "acked_seq") != 0 && strncmp(key, "salvage_", 8) != 0;
}

/* Every meta row that can be read, until the first unreadable page. */
static err_code copy_meta(sqlite3 *src, struct store *d)
{
    sqlite3_stmt *st = NULL;
    err_code e = ERR_OK;

    if (sqlite3_prepare_v2(src, "SELECT key, value FROM meta", -1, &st,
                           NULL) != SQLITE_OK)
        return ERR_OK;                   /* nothing readable: nothing kept */
    while (e == ERR_OK && sqlite3_step(st) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        const char *v = (const char *)sqlite3_column_text(st, 1);
        if (k && v && meta_kept(k))
            e = store_meta_set(d, k, v);
    }
    sqlite3_finalize(st);
    return e;
}

/* Put the event numbered seq: copied from src when readable, else a
 * "lost" event under the same number. *copied says which. */
static err_code put_event(struct store *d, sqlite3_stmt *get, uint64_t seq,
                          bool *copied)
{
    sqlite3_stmt *put = store_stmt(d, "INSERT INTO events(seq, kind,"
        " member_no, wall_ms, clock_trusted, boot_id, mono_ms, data)"
        " VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
    struct stamp now;

    if (put == NULL)
        return ERR_DB;
    *copied = false;
    if (get != NULL) {
        sqlite3_reset(get);
        sqlite3_bind_int64(get, 1, (sqlite3_int64)seq);
        *copied = sqlite3_step(get) == SQLITE_ROW;
    }
    sqlite3_bind_int64(put, 1, (sqlite3_int64)seq);
    if (*copied) {
        for (int i = 0; i < 7; i++)
            sqlite3_bind_value(put, i + 2, sqlite3_column_value(get, i));
    } else {
        clock_now(&now);
        sqlite3_bind_int(put, 2, EVENT_LOST);
        sqlite3_bind_text(put, 3, "", -1, SQLITE_STATIC);
        sqlite3_bind_int64(put, 4, now.wall_ms);
        sqlite3_bind_int(put, 5, now.clock_trusted);
        sqlite3_bind_text(put, 6, now.boot_id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(put, 7, now.mono_ms);
        sqlite3_bind_text(put, 8, "{\"reason\":\"damaged database\"}", -1,
                          SQLITE_STATIC);
    }
    return store_step_done(d, put, "salvage event");
}

/* Every unsent number, one lookup each, so one damaged page costs only
 * the events on it. */
static err_code copy_events(sqlite3 *src, struct store *d,
                            const struct plan *p, struct store_salvage *n)
{
    sqlite3_stmt *get = NULL;
    err_code e = ERR_OK;
    bool copied = false;

    /* Unpreparable (damaged schema): every unsent event reads as lost. */
    sqlite3_prepare_v2(src, "SELECT kind, member_no, wall_ms, clock_trusted,"
                       " boot_id, mono_ms, data FROM events WHERE seq = ?",
                       -1, &get, NULL);
    for (uint64_t seq = p->acked + 1; seq <= p->top && e == ERR_OK; seq++) {
        e = put_event(d, get, seq, &copied);
        if (copied)
            n->salvaged++;
        else
            n->lost++;
    }
    sqlite3_finalize(get);
    return e;
}

static err_code meta_u64(struct store *d, const char *key, uint64_t v)
{
    char buf[32];

    snprintf(buf, sizeof buf, "%" PRIu64, v);
    return store_meta_set(d, key, buf);
}

static err_code write_note(struct store *d, const struct plan *p,
                           const struct store_salvage *n)
{
    char when[32];
    err_code e = p->acked ? meta_u64(d, "acked_seq", p->acked) : ERR_OK;

    snprintf(when, sizeof when, "%" PRId64, n->when_ms);
    if (e == ERR_OK)
        e = store_meta_set(d, KEY_WHEN, when);
    if (e == ERR_OK)
        e = store_meta_set(d, KEY_KEPT, n->kept);
    if (e == ERR_OK)
        e = store_meta_set(d, KEY_PROBLEM, n->problem);
    if (e == ERR_OK)
        e = meta_u64(d, KEY_EVENTS, n->salvaged);
    if (e == ERR_OK)
        e = meta_u64(d, KEY_LOST, n->lost);
    return e;
}

/* The new store, complete, under tmp; src is the damaged file. */
static err_code build(const char *tmp, const char *src_path,
                      const struct plan *p, struct store_salvage *n)
{
    struct store *d = NULL;
    sqlite3 *src = open_damaged(src_path);
    err_code e = src ? store_open(tmp, &d) : ERR_CORRUPT;

    if (e == ERR_OK)
        e = store_begin(d);
    if (e == ERR_OK)
        e = copy_meta(src, d);
    if (e == ERR_OK)
        e = copy_events(src, d, p, n);
    if (e == ERR_OK)
        e = write_note(d, p, n);
    if (e == ERR_OK)
        e = store_commit(d);
    if (e != ERR_OK && d != NULL)
        store_rollback(d);
    store_close(d);                    /* checkpoints: no WAL left */
    sqlite3_close(src);
    return e;
}

/* Remove a database file with its -wal and -shm. */
static void remove_db(const char *path)
{
    char side[STORE_SALVAGE_PATH + 32];

    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

/* "<path>.damaged-20250102T030405Z", numbered if that is taken. */
static void kept_name(const char *path, int64_t when_ms, char *out,
                      size_t cap)
{
    time_t t = (time_t)(when_ms / 1000);
    struct tm tm;
    char stamp[24];

    gmtime_r(&t, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    snprintf(out, cap, "%s.damaged-%s", path, stamp);
    for (int i = 2; i < 100 && access(out, F_OK) == 0; i++)
        snprintf(out, cap, "%s.damaged-%s-%d", path, stamp, i);
}

/* The damaged file (with its -wal and -shm) to kept; tmp to path. */
static err_code swap_in(const char *path, const char *kept, const char *tmp)
{
    static const char *const sides[] = { "-wal", "-shm" };
    char from[STORE_SALVAGE_PATH + 32], to[STORE_SALVAGE_PATH + 32];
    err_code e = file_rename(path, kept);

    for (size_t i = 0; e == ERR_OK && i < 2; i++) {
        snprintf(from, sizeof from, "%s%s", path, sides[i]);
        snprintf(to, sizeof to, "%s%s", kept, sides[i]);
        if (access(from, F_OK) == 0)
            e = file_rename(from, to);
    }
    return e == ERR_OK ? file_rename(tmp, path) : e;
}

static err_code salvage(const char *path, const char *problem)
{
    struct store_salvage n = { .when_ms = clock_wall_ms() };
    struct plan p;
    char tmp[STORE_SALVAGE_PATH + 16];
    err_code e = read_plan(path, &p);

    if (e != ERR_OK) {
        log_error("store %s: damaged and its event numbers are unreadable:"
                  " left as it is for a technician", path);
        return e;
    }
    kept_name(path, n.when_ms, n.kept, sizeof n.kept);
    str_copy(n.problem, sizeof n.problem, problem);
    snprintf(tmp, sizeof tmp, "%s.salvage", path);
    remove_db(tmp);                    /* a salvage cut short before */
    e = build(tmp, path, &p, &n);
    if (e == ERR_OK)
        e = swap_in(path, n.kept, tmp);
    if (e != ERR_OK) {
        remove_db(tmp);
        return e;
    }
    log_error("store %s: damaged (%s): kept as %s, %" PRIu64 " unsent"
              " events salvaged, %" PRIu64 " unreadable; hub state will be"
              " pulled again", path, problem, n.kept, n.salvaged, n.lost);
    return ERR_OK;
}

/* Open and check; *problem set when the file is damaged (ERR_CORRUPT). */
static err_code open_and_check(const char *path, struct store **out,
                               char *problem, size_t cap)
{
    err_code e = store_open_raw(path, out);

    if (e == ERR_CORRUPT) {
        str_copy(problem, cap, "the file cannot be opened");
        return ours(path) ? ERR_CORRUPT : ERR_INVAL;
    }
    if (e == ERR_OK)
        e = store_quick_check(*out, problem, cap);
    if (e == ERR_OK)
        e = store_migrate_to(*out, STORE_SCHEMA_VERSION);
    if (e != ERR_OK) {
        store_close(*out);
        *out = NULL;
    }
    return e;
}

err_code store_open_checked(const char *path, bool salvage_ok,
                            struct store **out, bool *did)
{
    char problem[STORE_SALVAGE_PROBLEM] = "";
    err_code e = open_and_check(path, out, problem, sizeof problem);

    if (did)
        *did = false;
    if (e == ERR_INVAL)
        return ERR_CORRUPT;            /* not ours, or newer: untouched */
    if (e != ERR_CORRUPT)
        return e;
    log_error("store %s: failed its check: %s", path, problem);
    if (!salvage_ok)
        return ERR_CORRUPT;
    e = salvage(path, problem);
    if (e != ERR_OK)
        return ERR_CORRUPT;
    if (did)
        *did = true;
    return store_open(path, out);
}

/* ---- the note ---------------------------------------------------------- */

static uint64_t note_u64(struct store *s, const char *key)
{
    char buf[32];

    return store_meta_get(s, key, buf, sizeof buf) == ERR_OK
           ? strtoull(buf, NULL, 10) : 0;
}

err_code store_salvage_get(struct store *s, struct store_salvage *out)
{
    char buf[32];
    err_code e = store_meta_get(s, KEY_WHEN, buf, sizeof buf);

    memset(out, 0, sizeof *out);
    if (e != ERR_OK)
        return e;
    out->when_ms = strtoll(buf, NULL, 10);
    /* Each part on its own: a missing one is shown empty, not hidden. */
    store_meta_get(s, KEY_KEPT, out->kept, sizeof out->kept);
    store_meta_get(s, KEY_PROBLEM, out->problem, sizeof out->problem);
    out->salvaged = note_u64(s, KEY_EVENTS);
    out->lost = note_u64(s, KEY_LOST);
    out->acknowledged = note_u64(s, KEY_ACK) != 0;
    return ERR_OK;
}

err_code store_salvage_ack(struct store *s)
{
    char buf[32];

    if (store_meta_get(s, KEY_WHEN, buf, sizeof buf) != ERR_OK)
        return ERR_NOTFOUND;
    snprintf(buf, sizeof buf, "%" PRId64, clock_wall_ms());
    return store_meta_set(s, KEY_ACK, buf);
}
