/* hub/hub_db_feed.c - the change feed: what the kiosks of a station read,
 * page by page (sync/PROTOCOL.md, "the change feed"), the snapshot a
 * fresh or far-behind kiosk starts from, and the trim that keeps the
 * log to the current state plus a tail.
 *
 * Why the cursor may run ahead of the rows returned: a page is read in
 * one read transaction (one snapshot) together with the log's head (the
 * highest change id it sees, HUB_STMT_FEED_MARKS). When the page is not
 * full, nothing for this kiosk lies between its last row and the head,
 * so the answer's cursor is the head: a quiet station's next poll scans
 * nothing. This holds only while ids become visible in the order they
 * were given: SQLite has one writer at a time; on PostgreSQL several
 * writers (hubds, hubctl) queue for the change insert's lock, held until
 * commit (HUB_STMT_CHANGE_ADD), so no id commits after a higher one. */
#include "hub/hub_db_int.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "base/log.h"
#include "base/xmalloc.h"

#define DAY_MS (24LL * 3600 * 1000)

err_code hub_db_change_add(struct hub_db *db, const char *station,
                           const char *device, const char *type,
                           const char *key, const char *data)
{
    struct sql_stmt *st = hub_db_stmt(db, HUB_STMT_CHANGE_ADD);
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, station);
    hub_db_bind_text(st, 2, device);
    hub_db_bind_text(st, 3, type);
    hub_db_bind_text(st, 4, key);
    hub_db_bind_text(st, 5, data ? "put" : "del");
    hub_db_bind_text(st, 6, data);
    sql_bind_int(st, 7, hub_now_ms());
    return hub_db_stmt_run(db, st, "change add");
}

/* A cursor as the kiosk sends it back: "" (the beginning), a change id,
 * or "sS.P" while it reads snapshot S (P: the last change id it got). */
struct cursor {
    bool    snap;
    int64_t id;                 /* log: after this change; snap: P */
    int64_t snap_at;            /* snap: S */
};

static bool digits(const char *s, size_t n, int64_t *v)
{
    if (n == 0 || n > 18)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    *v = strtoll(s, NULL, 10);
    return true;
}

static err_code parse_cursor(const char *since, struct cursor *c)
{
    memset(c, 0, sizeof *c);
    if (!since[0])
        return ERR_OK;
    if (since[0] != 's')
        return digits(since, strlen(since), &c->id) ? ERR_OK : ERR_INVAL;
    const char *dot = strchr(since, '.');
    c->snap = true;
    if (!dot || !digits(since + 1, (size_t)(dot - since - 1), &c->snap_at) ||
        !digits(dot + 1, strlen(dot + 1), &c->id) || c->id > c->snap_at)
        return ERR_INVAL;
    return ERR_OK;
}

static cJSON *change_json(struct sql_stmt *st)
{
    cJSON *c = cJSON_CreateObject();
    static const struct { const char *name; int col; } f[] = {
        { "type", 1 }, { "op", 3 }, { "key", 2 },
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        cJSON_AddStringToObject(c, f[i].name, sql_col_text(st, f[i].col));
    const char *data = sql_col_text(st, 4);
    if (data)
        cJSON_AddItemToObject(c, "data", cJSON_CreateRaw(data));
    return c;
}

/* The log's head (highest id given and committed) and horizon (trimmed
 * up to). */
static err_code feed_marks(struct hub_db *db, int64_t *head, int64_t *hz)
{
    struct sql_stmt *st = hub_db_stmt(db, HUB_STMT_FEED_MARKS);
    if (!st)
        return ERR_DB;
    err_code e = hub_db_step_one(db, st, "feed marks");
    *head = e == ERR_OK ? sql_col_int(st, 0) : 0;
    *hz = e == ERR_OK ? sql_col_int(st, 1) : 0;
    hub_db_stmt_done(st);
    return e;
}

/* Up to a page of rows after `after` into arr (upto: the snapshot's
 * head, or 0 for the log); *last gets the last id, *more whether others
 * follow. */
static err_code page_rows(struct hub_db *db, const char *station,
                          const char *device, int64_t after, int64_t upto,
                          cJSON *arr, int64_t *last, bool *more)
{
    struct sql_stmt *st = hub_db_stmt(db, upto ? HUB_STMT_CHANGES_SNAPSHOT
                                               : HUB_STMT_CHANGES_PAGE);
    if (!st)
        return ERR_DB;
    sql_bind_int(st, 1, after);
    hub_db_bind_text(st, 2, station);
    hub_db_bind_text(st, 3, device);
    sql_bind_int(st, 4, HUB_PAGE_CHANGES + 1);
    if (upto)
        sql_bind_int(st, 5, upto);
    int rows = 0;
    enum sql_rc rc;
    size_t bytes = 0;
    *last = after;
    /* Photos are tens of kB each: a page ends at HUB_PAGE_BYTES of data
     * too, well inside what a kiosk takes (PROTO_PAGE_MAX). */
    while ((rc = sql_step(st)) == SQL_ROW && rows < HUB_PAGE_CHANGES &&
           bytes < HUB_PAGE_BYTES) {
        *last = sql_col_int(st, 0);
        const char *data = sql_col_text(st, 4);
        bytes += data ? strlen(data) : 0;
        cJSON_AddItemToArray(arr, change_json(st));
        rows++;
    }
    *more = rc == SQL_ROW;
    err_code e = *more ? ERR_OK : hub_db_rows_end(db, rc, "changes");
    hub_db_stmt_done(st);
    return e;
}

/* Fill root with one page for cursor c, read inside one transaction. */
static err_code page_fill(struct hub_db *db, const char *station,
                          const char *device, struct cursor c, cJSON *root)
{
    int64_t head, horizon, last;
    bool more;
    err_code e = feed_marks(db, &head, &horizon);
    if (e != ERR_OK)
        return e;
    /* A fresh kiosk, one behind the trim, or a snapshot the trim has
     * overtaken: (again) a snapshot of the state now. So is a cursor
     * beyond the head: the hub was restored from a backup, and what the
     * kiosk holds may be of a log that is gone. An empty log has nothing
     * to snapshot: its kiosks just read it. */
    bool first = false;
    int64_t at = c.snap ? c.snap_at : c.id;
    if ((!c.snap && c.id == 0 && head > 0) || at < horizon || at > head) {
        c = (struct cursor){ .snap = true, .id = 0, .snap_at = head };
        first = true;
    }
    cJSON *arr = cJSON_AddArrayToObject(root, "changes");
    char cur[48];
    if (!c.snap) {
        e = page_rows(db, station, device, c.id, 0, arr, &last, &more);
        /* Not full: nothing for this kiosk up to the head. */
        snprintf(cur, sizeof cur, "%" PRId64, more ? last : head);
    } else {
        e = c.snap_at ? page_rows(db, station, device, c.id, c.snap_at, arr,
                                  &last, &more)
                      : (last = 0, more = false, ERR_OK);
        if (more)
            snprintf(cur, sizeof cur, "s%" PRId64 ".%" PRId64, c.snap_at,
                     last);
        else
            snprintf(cur, sizeof cur, "%" PRId64, c.snap_at);
        cJSON *sn = cJSON_AddObjectToObject(root, "snapshot");
        cJSON_AddBoolToObject(sn, "first", first);
        cJSON_AddBoolToObject(sn, "last", !more);
        more = more || c.snap_at < head;
    }
    cJSON_AddStringToObject(root, "cursor", cur);
    cJSON_AddBoolToObject(root, "more", more);
    return e;
}

err_code hub_db_changes(struct hub_db *db, const char *station,
                        const char *device, const char *since, int64_t now,
                        char **json, size_t *len)
{
    struct cursor c;
    *json = NULL;
    if (parse_cursor(since, &c) != ERR_OK)
        return ERR_INVAL;
    cJSON *root = cJSON_CreateObject();
    /* The page and the head from one read snapshot. */
    enum sql_rc rc = sql_begin_read(db->db);
    err_code e = rc == SQL_OK ? ERR_OK : hub_db_err(db, rc, "begin read");
    if (e == ERR_OK) {
        e = page_fill(db, station, device, c, root);
        if (e == ERR_OK)
            e = hub_db_commit(db);
        else
            hub_db_rollback(db);
    }
    if (e != ERR_OK) {
        cJSON_Delete(root);
        return e;
    }
    cJSON_AddNumberToObject(root, "hub_time_ms", (double)now);
    *json = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!*json)
        abort();
    *len = strlen(*json);
    return ERR_OK;
}

err_code hub_db_feed_seen(struct hub_db *db, const char *device,
                          const char *since, int64_t now)
{
    struct cursor c;
    if (parse_cursor(since, &c) != ERR_OK || (!c.snap && c.id == 0))
        return ERR_OK;                 /* nothing held back by a fresh kiosk */
    struct sql_stmt *st = hub_db_stmt(db, HUB_STMT_FEED_CURSOR_PUT);
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, device);
    sql_bind_int(st, 2, c.snap ? c.snap_at : c.id);
    sql_bind_int(st, 3, now);
    return hub_db_stmt_run(db, st, "feed cursor");
}

/* ---- size and trim ------------------------------------------------------ */

/* The oldest cursor of a device enrolled, not revoked, and polling since
 * `since_ms`; *n how many such devices; -1 when none. */
static err_code oldest_cursor(struct hub_db *db, int64_t since_ms,
                              int64_t *oldest, int *n)
{
    struct sql_stmt *q = NULL, *d = NULL;
    *oldest = -1;
    *n = 0;
    if (!db->fleet)
        return ERR_INVAL;             /* a reader: hub_db_open's only */
    q = sql_prepare(db->fleet, "SELECT device, cursor FROM feed_cursors"
                    " WHERE ms >= ?", false);
    if (!q) {
        log_error("hub db: %s: feed cursors: %s", db->path,
                  sql_errmsg(db->fleet));
        return ERR_DB;
    }
    d = hub_db_prep(db, "SELECT 1 FROM devices WHERE id = ? AND revoked = 0");
    if (!d) {
        sql_finalize(q);
        return ERR_DB;
    }
    sql_bind_int(q, 1, since_ms);
    enum sql_rc rc;
    while ((rc = sql_step(q)) == SQL_ROW) {
        sql_reset(d);
        hub_db_bind_text(d, 1, hub_db_col_text(q, 0));
        if (sql_step(d) != SQL_ROW)
            continue;
        int64_t c = sql_col_int(q, 1);
        if (*oldest < 0 || c < *oldest)
            *oldest = c;
        (*n)++;
    }
    sql_finalize(d);
    sql_finalize(q);
    if (rc == SQL_DONE)
        return ERR_OK;
    log_error("hub db: %s: feed cursors: %s", db->path, sql_errmsg(db->fleet));
    return rc == SQL_BUSY ? ERR_BUSY : ERR_DB;
}

static err_code one_int(struct hub_db *db, const char *sql, int64_t a,
                        int64_t *v)
{
    struct sql_stmt *st = hub_db_prep(db, sql);
    if (!st)
        return ERR_DB;
    sql_bind_int(st, 1, a);
    err_code e = hub_db_step_one(db, st, sql);
    *v = e == ERR_OK ? sql_col_int(st, 0) : 0;
    sql_finalize(st);
    return e;
}

err_code hub_db_feed_stats(struct hub_db *db, int64_t now,
                           const struct hub_feed_rule *rule,
                           struct hub_feed_stats *out)
{
    memset(out, 0, sizeof *out);
    err_code e = feed_marks(db, &out->head, &out->horizon);
    if (e == ERR_OK)
        e = one_int(db, "SELECT count(*) FROM changes WHERE id > ?1", 0,
                    &out->rows);
    if (e == ERR_OK)
        e = one_int(db, "SELECT coalesce(sum(length(data) + length(key)"
                    " + length(type) + coalesce(length(station), 0)"
                    " + coalesce(length(device), 0) + 24), 0) FROM changes"
                    " WHERE id > ?1", 0, &out->bytes);
    if (e == ERR_OK)
        e = oldest_cursor(db, now - rule->active_days * DAY_MS,
                          &out->oldest_cursor, &out->active_devices);
    if (e == ERR_OK)
        e = hub_db_feed_trim_point(db, now, rule, &out->trim_point);
    return e;
}

err_code hub_db_feed_trim_point(struct hub_db *db, int64_t now,
                                const struct hub_feed_rule *rule,
                                int64_t *point)
{
    int64_t head, horizon, oldest, kept = 0;
    int n;
    err_code e = feed_marks(db, &head, &horizon);
    if (e == ERR_OK)
        e = oldest_cursor(db, now - rule->active_days * DAY_MS, &oldest, &n);
    if (e == ERR_OK && rule->keep_days > 0)
        e = one_int(db, "SELECT coalesce(max(id), 0) FROM changes"
                    " WHERE ms < ?1", now - rule->keep_days * DAY_MS, &kept);
    if (e != ERR_OK)
        return e;
    /* Behind every active kiosk, or older than the retention: whoever is
     * still behind it gets a snapshot. */
    int64_t t = oldest < 0 ? head : oldest;
    if (kept > t)
        t = kept;
    *point = t > horizon ? t : horizon;
    return ERR_OK;
}

/* Rows a trim removes per transaction: each holds the write lock for
 * a moment only, so uploads go on between them. */
#define TRIM_CHUNK 10000

static err_code horizon_set(struct hub_db *db, int64_t point)
{
    struct sql_stmt *st = hub_db_prep(db, "INSERT INTO feed_meta(name,"
                                      " value) VALUES('horizon', ?1)"
                                      " ON CONFLICT(name) DO UPDATE"
                                      " SET value = excluded.value");
    if (!st)
        return ERR_DB;
    sql_bind_int(st, 1, point);
    return hub_db_done(db, st, "horizon");
}

/* The last id of the next chunk after lo, at most point. */
static err_code chunk_end(struct hub_db *db, int64_t lo, int64_t point,
                          int64_t *hi)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT id FROM changes"
                                      " WHERE id > ?1"
                                      " ORDER BY id LIMIT 1 OFFSET ?2");
    if (!st)
        return ERR_DB;
    sql_bind_int(st, 1, lo);
    sql_bind_int(st, 2, TRIM_CHUNK - 1);
    err_code e = hub_db_step_one(db, st, "trim chunk");
    *hi = e == ERR_OK && sql_col_int(st, 0) < point
              ? sql_col_int(st, 0) : point;
    sql_finalize(st);
    return e == ERR_NOTFOUND ? ERR_OK : e;
}

/* Deletes, and puts a later change of the same item replaced, in
 * (lo, hi]: what is left is the state, one row an item. */
static err_code trim_chunk(struct hub_db *db, int64_t lo, int64_t hi,
                           int64_t *deleted)
{
    /* A later change of the same item, station and device equal or both
     * NULL: four index lookups on changes_item. (SQLite's IS would do in
     * one, but PostgreSQL's IS NOT DISTINCT FROM uses no index: on a
     * year's log, 565,000 rows, it trimmed 90,000 rows in ten minutes.) */
#define LATER(station, device) " OR EXISTS(SELECT 1 FROM changes n WHERE " \
    station " AND " device " AND n.type = changes.type" \
    " AND n.key = changes.key AND n.id > changes.id)"
    struct sql_stmt *st = hub_db_prep(db, "DELETE FROM changes"
        " WHERE id > ?1 AND id <= ?2 AND (op = 'del'"
        LATER("n.station = changes.station", "n.device = changes.device")
        LATER("n.station IS NULL AND changes.station IS NULL",
              "n.device = changes.device")
        LATER("n.station = changes.station",
              "n.device IS NULL AND changes.device IS NULL")
        LATER("n.station IS NULL AND changes.station IS NULL",
              "n.device IS NULL AND changes.device IS NULL") ")");
#undef LATER
    if (!st)
        return ERR_DB;
    sql_bind_int(st, 1, lo);
    sql_bind_int(st, 2, hi);
    err_code e = hub_db_begin(db);
    if (e == ERR_OK)
        e = hub_db_done(db, st, "trim");
    else
        sql_finalize(st);
    if (e == ERR_OK) {
        *deleted += sql_changes(db->db);
        e = hub_db_commit(db);
    }
    if (e != ERR_OK)
        hub_db_rollback(db);
    return e;
}

/* The horizon moves first: from then on a kiosk behind it gets a
 * snapshot, never the log being trimmed. Chunks go up in id order, so a
 * put goes before the delete that replaced it, and a snapshot read
 * between them still sees each item's last change. */
err_code hub_db_feed_trim(struct hub_db *db, int64_t now,
                          const struct hub_feed_rule *rule, int64_t *point,
                          int64_t *deleted)
{
    *deleted = 0;
    err_code e = hub_db_begin(db);
    if (e == ERR_OK)
        e = hub_db_feed_trim_point(db, now, rule, point);
    if (e == ERR_OK)
        e = horizon_set(db, *point);
    if (e == ERR_OK)
        e = hub_db_commit(db);
    if (e != ERR_OK) {
        hub_db_rollback(db);
        return e;
    }
    for (int64_t lo = 0, hi; e == ERR_OK && lo < *point; lo = hi) {
        e = chunk_end(db, lo, *point, &hi);
        if (e == ERR_OK)
            e = trim_chunk(db, lo, hi, deleted);
    }
    if (e != ERR_OK)
        return e;
    log_info("hub db: change log trimmed up to %" PRId64 ": %" PRId64
             " rows removed", *point, *deleted);
    return ERR_OK;
}
