/* hub/hub_db_events.c - the store's events, each held once by (device,
 * seq), with the service logs they carry, and the change feed: what the
 * kiosks of a station read, page by page. */
#include "hub/hub_db_int.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

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

static err_code put_service_log(struct hub_db *db, const char *station,
                                const char *device,
                                const struct proto_event *ev)
{
    sqlite3_stmt *st = hub_db_stmt(db, HUB_STMT_SERVICE_LOG_PUT);
    if (!st)
        return ERR_DB;
    cJSON *d = cJSON_Parse(ev->data);
    const cJSON *min = cJSON_GetObjectItemCaseSensitive(d, "minutes");
    hub_db_bind_text(st, 1, device);
    sqlite3_bind_int64(st, 2, (int64_t)ev->seq);
    hub_db_bind_text(st, 3, station);
    hub_db_bind_text(st, 4, ev->member_no);
    hub_db_bind_text(st, 5, jtext(d, "category"));
    sqlite3_bind_int(st, 6, cJSON_IsNumber(min) ? min->valueint : 0);
    hub_db_bind_text(st, 7, jtext(d, "day"));
    hub_db_bind_text(st, 8, jtext(d, "note"));
    err_code e = hub_db_stmt_run(db, st, "service log");
    cJSON_Delete(d);
    return e;
}

static void bind_event(sqlite3_stmt *st, const struct hub_put *u,
                       const struct proto_event *ev)
{
    bool corrected;
    int64_t at = event_time(ev, u, &corrected);
    hub_db_bind_text(st, 1, u->device);
    sqlite3_bind_int64(st, 2, (int64_t)ev->seq);
    hub_db_bind_text(st, 3, u->station);
    hub_db_bind_text(st, 4, ev->kind);
    hub_db_bind_text(st, 5, ev->member_no);
    sqlite3_bind_int64(st, 6, ev->wall_ms);
    sqlite3_bind_int(st, 7, ev->clock_trusted);
    hub_db_bind_text(st, 8, ev->boot_id);
    sqlite3_bind_int64(st, 9, ev->mono_ms);
    sqlite3_bind_int64(st, 10, at);
    sqlite3_bind_int(st, 11, corrected);
    hub_db_bind_text(st, 12, ev->data);
    sqlite3_bind_int64(st, 13, u->now);
}

static err_code put_event(struct hub_db *db, const struct hub_put *u,
                          const struct proto_event *ev, size_t *fresh)
{
    sqlite3_stmt *st = hub_db_stmt(db, HUB_STMT_EVENT_PUT);
    if (!st)
        return ERR_DB;
    bind_event(st, u, ev);
    err_code e = hub_db_stmt_run(db, st, "event put");
    if (e != ERR_OK)
        return e;
    if (sqlite3_changes(db->db) == 0)
        return ERR_OK;                       /* held already: resend */
    (*fresh)++;
    if (strcmp(ev->kind, "service_log") == 0)
        return put_service_log(db, u->station, u->device, ev);
    return ERR_OK;
}

/* The device's contiguous mark as last stored. */
static err_code acked_get(struct hub_db *db, const char *device, int64_t *a)
{
    sqlite3_stmt *q = hub_db_stmt(db, HUB_STMT_ACKED_GET);
    if (!q)
        return ERR_DB;
    hub_db_bind_text(q, 1, device);
    err_code e = hub_db_step_one(db, q, "acked get");
    *a = e == ERR_OK ? sqlite3_column_int64(q, 0) : 0;
    hub_db_stmt_done(q);
    return e == ERR_NOTFOUND ? ERR_OK : e;
}

/* Advance the device's contiguous mark over what is now held. */
static err_code advance_acked(struct hub_db *db, const char *device,
                              uint64_t *acked)
{
    int64_t a;
    err_code e = acked_get(db, device, &a);
    if (e != ERR_OK)
        return e;
    sqlite3_stmt *q = hub_db_stmt(db, HUB_STMT_EVENT_HELD);
    if (!q)
        return ERR_DB;
    for (;;) {
        hub_db_bind_text(q, 1, device);
        sqlite3_bind_int64(q, 2, a + 1);
        e = hub_db_step_one(db, q, "event held");
        hub_db_stmt_done(q);
        if (e == ERR_NOTFOUND)
            break;
        if (e != ERR_OK)
            return e;                /* never ack over what we cannot read */
        a++;
    }
    sqlite3_stmt *u = hub_db_stmt(db, HUB_STMT_ACKED_SET);
    if (!u)
        return ERR_DB;
    sqlite3_bind_int64(u, 1, a);
    hub_db_bind_text(u, 2, device);
    *acked = (uint64_t)a;
    return hub_db_stmt_run(db, u, "acked");
}

/* One device's upload inside the group's transaction; a savepoint keeps
 * a failure to this upload alone. */
static void put_one(struct hub_db *db, struct hub_put *u)
{
    u->fresh = 0;
    u->result = hub_db_exec(db, "SAVEPOINT put");
    if (u->result != ERR_OK)
        return;
    for (size_t i = 0; i < u->n && u->result == ERR_OK; i++)
        u->result = put_event(db, u, &u->evs[i], &u->fresh);
    if (u->result == ERR_OK)
        u->result = advance_acked(db, u->device, &u->acked);
    if (u->result != ERR_OK) {
        hub_db_exec(db, "ROLLBACK TO put");
        u->fresh = 0;
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
    sqlite3_stmt *st = hub_db_stmt(db, HUB_STMT_CHANGE_ADD);
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, station);
    hub_db_bind_text(st, 2, device);
    hub_db_bind_text(st, 3, type);
    hub_db_bind_text(st, 4, key);
    sqlite3_bind_text(st, 5, data ? "put" : "del", -1, SQLITE_STATIC);
    hub_db_bind_text(st, 6, data);
    sqlite3_bind_int64(st, 7, hub_now_ms());
    return hub_db_stmt_run(db, st, "change add");
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

/* Up to a page of changes after `from` into arr; *more when there are
 * others after them. */
static err_code changes_page(struct hub_db *db, const char *station,
                             const char *device, int64_t from, cJSON *arr,
                             int64_t *last, bool *more)
{
    sqlite3_stmt *st = hub_db_stmt(db, HUB_STMT_CHANGES_PAGE);
    if (!st)
        return ERR_DB;
    sqlite3_bind_int64(st, 1, from);
    hub_db_bind_text(st, 2, station);
    hub_db_bind_text(st, 3, device);
    sqlite3_bind_int(st, 4, HUB_PAGE_CHANGES + 1);
    int rows = 0, rc;
    *last = from;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && rows < HUB_PAGE_CHANGES) {
        *last = sqlite3_column_int64(st, 0);
        cJSON_AddItemToArray(arr, change_json(st));
        rows++;
    }
    *more = rc == SQLITE_ROW;
    err_code e = *more ? ERR_OK : hub_db_rows_end(db, rc, "changes");
    hub_db_stmt_done(st);
    return e;
}

err_code hub_db_changes(struct hub_db *db, const char *station,
                        const char *device, const char *since, int64_t now,
                        char **json, size_t *len)
{
    int64_t from, last;
    bool more;
    if (parse_cursor(since, &from) != ERR_OK)
        return ERR_INVAL;
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(root, "changes");
    err_code e = changes_page(db, station, device, from, arr, &last, &more);
    if (e != ERR_OK) {
        cJSON_Delete(root);
        return e;
    }
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
