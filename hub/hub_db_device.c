/* hub/hub_db_device.c - the store's stations, enrolled devices, one-time
 * enrolment codes, and what each device's last request said (the fleet
 * file) with the clock anchors of its boots. */
#include "hub/hub_db_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "base/xmalloc.h"

err_code hub_db_station_add(struct hub_db *db, const char *id,
                            const char *name)
{
    struct sql_stmt *st = hub_db_prep(db, "INSERT INTO stations(id, name,"
                                      " created_ms) VALUES(?, ?, ?)"
                                      " ON CONFLICT(id) DO UPDATE"
                                      " SET name = excluded.name");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, id);
    hub_db_bind_text(st, 2, name);
    sql_bind_int(st, 3, hub_now_ms());
    return hub_db_done(db, st, "station add");
}

bool hub_db_station_exists(struct hub_db *db, const char *id)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT 1 FROM stations"
                                      " WHERE id = ?");
    if (!st)
        return false;
    hub_db_bind_text(st, 1, id);
    bool found = hub_db_step_one(db, st, "station exists") == ERR_OK;
    sql_finalize(st);
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
    struct sql_stmt *st = hub_db_prep(db, "INSERT INTO enrol_codes(code,"
                                      " station, device, expires_ms)"
                                      " VALUES(?, ?, ?, ?)");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, code);
    hub_db_bind_text(st, 2, station);
    hub_db_bind_text(st, 3, device);
    sql_bind_int(st, 4, hub_now_ms() + 24 * 3600 * 1000LL);
    return hub_db_done(db, st, "enrol code");
}

static err_code take_code(struct hub_db *db, const char *code, char *station,
                          size_t scap, char *device, size_t dcap)
{
    struct sql_stmt *st = hub_db_prep(db, "UPDATE enrol_codes SET used_ms = ?"
                                      " WHERE code = ? AND used_ms IS NULL"
                                      " AND expires_ms > ?"
                                      " RETURNING station, device");
    if (!st)
        return ERR_DB;
    int64_t now = hub_now_ms();
    sql_bind_int(st, 1, now);
    hub_db_bind_text(st, 2, code);
    sql_bind_int(st, 3, now);
    err_code e = hub_db_step_one(db, st, "take code");
    if (e == ERR_NOTFOUND)
        e = ERR_DENIED;
    if (e == ERR_OK) {
        str_copy(station, scap, hub_db_col_text(st, 0));
        str_copy(device, dcap, hub_db_col_text(st, 1));
    }
    sql_finalize(st);
    return e;
}

static err_code enrol_device(struct hub_db *db, const char *station,
                             const char *device, int64_t now)
{
    struct sql_stmt *st = hub_db_prep(db, "INSERT INTO devices(id, station,"
                                      " enrolled_ms) VALUES(?, ?, ?)"
                                      " ON CONFLICT(id) DO UPDATE SET"
                                      " station = excluded.station,"
                                      " revoked = 0,"
                                      " enrolled_ms = excluded.enrolled_ms");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, device);
    hub_db_bind_text(st, 2, station);
    sql_bind_int(st, 3, now);
    return hub_db_done(db, st, "device enrol");
}

err_code hub_db_enrol_take(struct hub_db *db, const char *code,
                           char *station, size_t scap, char *device,
                           size_t dcap)
{
    return take_code(db, code, station, scap, device, dcap);
}

/* Run a one-use statement binding device to ?1 and now to ?2. */
static err_code device_exec(struct hub_db *db, const char *sql,
                            const char *device, int64_t now)
{
    struct sql_stmt *st = hub_db_prep(db, sql);
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, device);
    sql_bind_int(st, 2, now);
    return hub_db_done(db, st, sql);
}

static err_code cert_insert(struct hub_db *db, const char *station,
                            const char *device, const char *serial,
                            const char *sha256, int64_t now)
{
    struct sql_stmt *st = hub_db_prep(db, "INSERT INTO certs(sha256, serial,"
                                      " device, station, issued_ms)"
                                      " VALUES(?, ?, ?, ?, ?)");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, sha256);
    hub_db_bind_text(st, 2, serial);
    hub_db_bind_text(st, 3, device);
    hub_db_bind_text(st, 4, station);
    sql_bind_int(st, 5, now);
    return hub_db_done(db, st, "cert add");
}

err_code hub_db_cert_add(struct hub_db *db, const char *station,
                         const char *device, const char *serial,
                         const char *sha256, int64_t now)
{
    err_code e = hub_db_begin(db);
    if (e != ERR_OK)
        return e;
    e = enrol_device(db, station, device, now);
    if (e == ERR_OK)
        e = device_exec(db, "UPDATE certs SET state = 'superseded',"
                        " changed_ms = ?2 WHERE device = ?1"
                        " AND state = 'current'", device, now);
    if (e == ERR_OK)
        e = cert_insert(db, station, device, serial, sha256, now);
    if (e == ERR_OK)
        return hub_db_commit(db);
    hub_db_rollback(db);
    return e;
}

static err_code revoke_in_tx(struct hub_db *db, const char *device,
                             int64_t now)
{
    err_code e = device_exec(db, "UPDATE devices SET revoked = 1"
                             " WHERE id = ?1 AND ?2 IS NOT NULL", device, now);
    if (e == ERR_OK && sql_changes(db->db) == 0)
        return ERR_NOTFOUND;
    if (e == ERR_OK)
        e = device_exec(db, "UPDATE certs SET state = 'revoked',"
                        " changed_ms = ?2 WHERE device = ?1"
                        " AND state = 'current'", device, now);
    return e;
}

err_code hub_db_device_revoke(struct hub_db *db, const char *device)
{
    err_code e = hub_db_begin(db);
    if (e != ERR_OK)
        return e;
    e = revoke_in_tx(db, device, hub_now_ms());
    if (e == ERR_OK)
        return hub_db_commit(db);
    hub_db_rollback(db);
    return e;
}

/* A serial or fingerprint as the store spells it: lowercase hex, no
 * colons, a serial's leading zero bytes dropped. false: not hex. */
static bool cert_name(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    for (const char *p = in; *p; p++) {
        if (*p == ':')
            continue;
        if (!isxdigit((unsigned char)*p) || n + 1 >= cap)
            return false;
        out[n++] = (char)tolower((unsigned char)*p);
    }
    out[n] = '\0';
    if (n == 0 || n % 2)
        return false;
    size_t lead = 0;
    while (n != 64 && n - lead > 2 && strncmp(out + lead, "00", 2) == 0)
        lead += 2;
    memmove(out, out + lead, n - lead + 1);
    return true;
}

err_code hub_db_cert_revoke(struct hub_db *db, const char *which,
                            char *device, size_t dcap)
{
    char name[80];
    if (!cert_name(which, name, sizeof name))
        return ERR_INVAL;
    struct sql_stmt *st = hub_db_prep(db, "UPDATE certs SET state = 'revoked',"
                                      " changed_ms = ?2 WHERE sha256 = ?1"
                                      " OR serial = ?1 RETURNING device");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, name);
    sql_bind_int(st, 2, hub_now_ms());
    enum sql_rc rc = sql_step(st);
    if (rc == SQL_ROW)
        str_copy(device, dcap, hub_db_col_text(st, 0));
    while (rc == SQL_ROW)
        rc = sql_step(st);
    sql_finalize(st);
    if (rc != SQL_DONE)
        return hub_db_err(db, rc, "cert revoke");
    return sql_changes(db->db) == 0 ? ERR_NOTFOUND : ERR_OK;
}

static const char *const state_names[] = { "current", "superseded",
                                           "revoked" };

err_code hub_db_certs_each(struct hub_db *db, const char *device,
                           void (*fn)(void *ctx, const struct hub_cert_row *r),
                           void *ctx)
{
    /* In the order issued: SQLite's rowid, PostgreSQL's column n. */
    struct sql_stmt *st = hub_db_prep(db, hub_db_dialect(db,
        "SELECT device, station, serial, sha256, state, issued_ms,"
        " coalesce(changed_ms, 0) FROM certs WHERE ?1 IS NULL OR device = ?1"
        " ORDER BY issued_ms, rowid",
        "SELECT device, station, serial, sha256, state, issued_ms,"
        " coalesce(changed_ms, 0) FROM certs WHERE ?1 IS NULL OR device = ?1"
        " ORDER BY issued_ms, n"));
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, device);
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        struct hub_cert_row r = { .state = "?" };
        str_copy(r.device, sizeof r.device, hub_db_col_text(st, 0));
        str_copy(r.station, sizeof r.station, hub_db_col_text(st, 1));
        str_copy(r.serial, sizeof r.serial, hub_db_col_text(st, 2));
        str_copy(r.sha256, sizeof r.sha256, hub_db_col_text(st, 3));
        for (int i = 0; i < 3; i++)
            if (strcmp(hub_db_col_text(st, 4), state_names[i]) == 0)
                r.state = state_names[i];
        r.issued_ms = sql_col_int(st, 5);
        r.changed_ms = sql_col_int(st, 6);
        fn(ctx, &r);
    }
    sql_finalize(st);
    return rc == SQL_DONE ? ERR_OK : hub_db_err(db, rc, "certs");
}

/* Why a device check's row refuses the request, or NULL. */
static const char *check_row(struct sql_stmt *st)
{
    bool revoked = sql_col_int(st, 0) != 0;
    const char *state = sql_col_text(st, 1);
    bool any = sql_col_int(st, 2) != 0;
    if (revoked)
        return "device revoked (enrol it again with a new code)";
    if (state && strcmp(state, "current") == 0)
        return NULL;
    if (state && strcmp(state, "superseded") == 0)
        return "certificate superseded by a newer enrolment";
    if (state)
        return "certificate revoked";
    return any ? "certificate not issued to this device" : NULL;
}

err_code hub_db_device_check(struct hub_db *db, const char *device,
                             const char *station, const char *sha256,
                             const char **why)
{
    *why = "device not enrolled for this station";
    struct sql_stmt *st = hub_db_stmt(db, HUB_STMT_DEVICE_CHECK);
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, device);
    hub_db_bind_text(st, 2, station);
    hub_db_bind_text(st, 3, sha256);
    enum sql_rc rc = sql_step(st);
    if (rc == SQL_ROW)
        *why = check_row(st);
    hub_db_stmt_done(st);
    if (rc != SQL_ROW && rc != SQL_DONE)
        return hub_db_err(db, rc, "device check");
    return *why ? ERR_DENIED : ERR_OK;
}

/* Step a kept statement of the fleet connection (its errors are not
 * worth a log line: the fleet file is best effort). */
static err_code fleet_run(struct sql_stmt *st)
{
    enum sql_rc rc = sql_step(st);
    hub_db_stmt_done(st);
    return rc == SQL_DONE ? ERR_OK : ERR_DB;
}

err_code hub_db_device_seen(struct hub_db *db, const char *device,
                            const struct proto_status *s, int64_t now)
{
    struct sql_stmt *st = hub_db_stmt(db, HUB_STMT_SEEN_PUT);
    if (!st)
        return ERR_DB;
    sql_bind_int(st, 1, now);
    hub_db_bind_text(st, 2, s->version);
    sql_bind_int(st, 3, (int64_t)s->queue);
    /* The kiosk's clock against ours, as it stood when the request left. */
    sql_bind_int(st, 4, s->wall_ms ? s->wall_ms - now : s->offset_ms);
    hub_db_bind_text(st, 5, s->boot_id);
    sql_bind_int(st, 6, s->mono_ms);
    hub_db_bind_text(st, 7, device);
    err_code e = fleet_run(st);
    if (e != ERR_OK || !s->boot_id[0] || s->mono_ms <= 0)
        return e;
    if (!(st = hub_db_stmt(db, HUB_STMT_BOOT_PUT)))
        return ERR_DB;
    hub_db_bind_text(st, 1, device);
    hub_db_bind_text(st, 2, s->boot_id);
    sql_bind_int(st, 3, s->mono_ms);
    sql_bind_int(st, 4, now);
    return fleet_run(st);
}

err_code hub_db_boot_anchor(struct hub_db *db, const char *device,
                            const char *boot_id, struct hub_anchor *out)
{
    struct sql_stmt *st = hub_db_stmt(db, HUB_STMT_BOOT_ANCHOR);
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, device);
    hub_db_bind_text(st, 2, boot_id);
    /* The fleet file is best effort: an unreadable anchor is none. */
    enum sql_rc rc = sql_step(st);
    err_code e = rc == SQL_ROW ? ERR_OK : ERR_NOTFOUND;
    if (e == ERR_OK) {
        str_copy(out->boot_id, sizeof out->boot_id, boot_id);
        out->mono_ms = sql_col_int(st, 0);
        out->hub_ms = sql_col_int(st, 1);
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
