/* hub/hub_db_device.c - the store's stations, enrolled devices, one-time
 * enrolment codes, and what each device's last request said (the fleet
 * file) with the clock anchors of its boots. */
#include "hub/hub_db_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "base/xmalloc.h"

err_code hub_db_station_add(struct hub_db *db, const char *id,
                            const char *name)
{
    sqlite3_stmt *st = hub_db_prep(db, "INSERT INTO stations(id, name,"
                                   " created_ms) VALUES(?, ?, ?)"
                                   " ON CONFLICT(id) DO UPDATE"
                                   " SET name = excluded.name");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, id);
    hub_db_bind_text(st, 2, name);
    sqlite3_bind_int64(st, 3, hub_now_ms());
    return hub_db_done(db, st, "station add");
}

bool hub_db_station_exists(struct hub_db *db, const char *id)
{
    sqlite3_stmt *st = hub_db_prep(db, "SELECT 1 FROM stations WHERE id = ?");
    if (!st)
        return false;
    hub_db_bind_text(st, 1, id);
    bool found = hub_db_step_one(db, st, "station exists") == ERR_OK;
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
    sqlite3_stmt *st = hub_db_prep(db, "INSERT INTO enrol_codes(code,"
                                   " station, device, expires_ms)"
                                   " VALUES(?, ?, ?, ?)");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, code);
    hub_db_bind_text(st, 2, station);
    hub_db_bind_text(st, 3, device);
    sqlite3_bind_int64(st, 4, hub_now_ms() + 24 * 3600 * 1000LL);
    return hub_db_done(db, st, "enrol code");
}

static err_code take_code(struct hub_db *db, const char *code, char *station,
                          size_t scap, char *device, size_t dcap)
{
    sqlite3_stmt *st = hub_db_prep(db, "UPDATE enrol_codes SET used_ms = ?"
                                   " WHERE code = ? AND used_ms IS NULL"
                                   " AND expires_ms > ?"
                                   " RETURNING station, device");
    if (!st)
        return ERR_DB;
    int64_t now = hub_now_ms();
    sqlite3_bind_int64(st, 1, now);
    hub_db_bind_text(st, 2, code);
    sqlite3_bind_int64(st, 3, now);
    err_code e = hub_db_step_one(db, st, "take code");
    if (e == ERR_NOTFOUND)
        e = ERR_DENIED;
    if (e == ERR_OK) {
        str_copy(station, scap, hub_db_col_text(st, 0));
        str_copy(device, dcap, hub_db_col_text(st, 1));
    }
    sqlite3_finalize(st);
    return e;
}

static err_code enrol_device(struct hub_db *db, const char *station,
                             const char *device)
{
    sqlite3_stmt *st = hub_db_prep(db, "INSERT INTO devices(id, station,"
                                   " enrolled_ms) VALUES(?, ?, ?)"
                                   " ON CONFLICT(id) DO UPDATE SET"
                                   " station = excluded.station, revoked = 0,"
                                   " enrolled_ms = excluded.enrolled_ms");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, device);
    hub_db_bind_text(st, 2, station);
    sqlite3_bind_int64(st, 3, hub_now_ms());
    return hub_db_done(db, st, "device enrol");
}

err_code hub_db_enrol_take(struct hub_db *db, const char *code,
                           char *station, size_t scap, char *device,
                           size_t dcap)
{
    err_code e = hub_db_begin(db);
    if (e != ERR_OK)
        return e;
    e = take_code(db, code, station, scap, device, dcap);
    if (e == ERR_OK)
        e = enrol_device(db, station, device);
    if (e == ERR_OK)
        return hub_db_commit(db);
    hub_db_rollback(db);
    return e;
}

err_code hub_db_device_revoke(struct hub_db *db, const char *device)
{
    sqlite3_stmt *st = hub_db_prep(db, "UPDATE devices SET revoked = 1"
                                   " WHERE id = ?");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, device);
    err_code e = hub_db_done(db, st, "revoke");
    if (e == ERR_OK && sqlite3_changes(db->db) == 0)
        return ERR_NOTFOUND;
    return e;
}

err_code hub_db_device_check(struct hub_db *db, const char *device,
                             const char *station)
{
    sqlite3_stmt *st = hub_db_stmt(db, HUB_STMT_DEVICE_CHECK);
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, device);
    hub_db_bind_text(st, 2, station);
    err_code e = hub_db_step_one(db, st, "device check");
    hub_db_stmt_done(st);
    return e == ERR_NOTFOUND ? ERR_DENIED : e;
}

/* Step a kept statement of the fleet connection (its errors are not
 * worth a log line: the fleet file is best effort). */
static err_code fleet_run(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    hub_db_stmt_done(st);
    return rc == SQLITE_DONE ? ERR_OK : ERR_DB;
}

err_code hub_db_device_seen(struct hub_db *db, const char *device,
                            const struct proto_status *s, int64_t now)
{
    sqlite3_stmt *st = hub_db_stmt(db, HUB_STMT_SEEN_PUT);
    if (!st)
        return ERR_DB;
    sqlite3_bind_int64(st, 1, now);
    hub_db_bind_text(st, 2, s->version);
    sqlite3_bind_int64(st, 3, (int64_t)s->queue);
    /* The kiosk's clock against ours, as it stood when the request left. */
    sqlite3_bind_int64(st, 4, s->wall_ms ? s->wall_ms - now : s->offset_ms);
    hub_db_bind_text(st, 5, s->boot_id);
    sqlite3_bind_int64(st, 6, s->mono_ms);
    hub_db_bind_text(st, 7, device);
    err_code e = fleet_run(st);
    if (e != ERR_OK || !s->boot_id[0] || s->mono_ms <= 0)
        return e;
    if (!(st = hub_db_stmt(db, HUB_STMT_BOOT_PUT)))
        return ERR_DB;
    hub_db_bind_text(st, 1, device);
    hub_db_bind_text(st, 2, s->boot_id);
    sqlite3_bind_int64(st, 3, s->mono_ms);
    sqlite3_bind_int64(st, 4, now);
    return fleet_run(st);
}

err_code hub_db_boot_anchor(struct hub_db *db, const char *device,
                            const char *boot_id, struct hub_anchor *out)
{
    sqlite3_stmt *st = hub_db_stmt(db, HUB_STMT_BOOT_ANCHOR);
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, device);
    hub_db_bind_text(st, 2, boot_id);
    /* The fleet file is best effort: an unreadable anchor is none. */
    int rc = sqlite3_step(st);
    err_code e = rc == SQLITE_ROW ? ERR_OK : ERR_NOTFOUND;
    if (e == ERR_OK) {
        str_copy(out->boot_id, sizeof out->boot_id, boot_id);
        out->mono_ms = sqlite3_column_int64(st, 0);
        out->hub_ms = sqlite3_column_int64(st, 1);
    }
    hub_db_stmt_done(st);
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
