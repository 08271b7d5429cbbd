/* hub/hub_db_users.c - the console's tables (hub_db_users.h): SQL written
 * once for SQLite and PostgreSQL through hub/hub_sql.h. */
#include "hub/hub_db_users.h"

#include <stdio.h>
#include <string.h>

#include "hub/hub_db_int.h"

static const char users_schema[] =
    "CREATE TABLE IF NOT EXISTS org_nodes(id TEXT PRIMARY KEY,"
    " kind TEXT NOT NULL, name TEXT NOT NULL, parent TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS station_places(station TEXT PRIMARY KEY,"
    " community TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS console_users(name TEXT PRIMARY KEY,"
    " pw_hash TEXT NOT NULL, role TEXT NOT NULL, scope TEXT NOT NULL,"
    " editor INTEGER NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,"
    " failed INTEGER NOT NULL DEFAULT 0,"
    " locked_until_ms INTEGER NOT NULL DEFAULT 0,"
    " created_ms INTEGER NOT NULL);"
    /* The cookie's id is never stored, only its SHA-256: a copy of the
     * database does not hold live sessions. */
    "CREATE TABLE IF NOT EXISTS console_sessions(id_hash TEXT PRIMARY KEY,"
    " user_name TEXT NOT NULL, csrf TEXT NOT NULL,"
    " created_ms INTEGER NOT NULL, last_ms INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS console_sessions_user"
    " ON console_sessions(user_name);"
    "CREATE TABLE IF NOT EXISTS login_addrs(addr TEXT PRIMARY KEY,"
    " failures INTEGER NOT NULL, window_ms INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS audit_log(id INTEGER PRIMARY KEY"
    " AUTOINCREMENT, at_ms INTEGER NOT NULL, actor TEXT NOT NULL,"
    " action TEXT NOT NULL, object TEXT NOT NULL, before_json TEXT NOT NULL,"
    " after_json TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log(at_ms);";

err_code hub_db_users_migrate(struct hub_db *db)
{
    return hub_db_schema(db, users_schema);
}

static void copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

/* ---- hierarchy ------------------------------------------------------------ */

err_code hub_db_org_add(struct hub_db *db, const struct hub_org_row *r)
{
    if (hub_db_station_exists(db, r->id))
        return ERR_INVAL;
    struct sql_stmt *st = hub_db_prep(db, "INSERT INTO org_nodes(id, kind,"
                                      " name, parent) VALUES(?, ?, ?, ?)");
    if (!st)
        return hub_db_err(db, SQL_ERROR, "org add");
    hub_db_bind_text(st, 1, r->id);
    hub_db_bind_text(st, 2, r->kind);
    hub_db_bind_text(st, 3, r->name);
    hub_db_bind_text(st, 4, r->parent);
    enum sql_rc rc = sql_step(st);
    sql_finalize(st);
    if (rc == SQL_UNIQUE)
        return ERR_INVAL;
    return rc == SQL_DONE ? ERR_OK : hub_db_err(db, rc, "org add");
}

static void org_read(struct sql_stmt *st, struct hub_org_row *o)
{
    copy(o->id, sizeof o->id, sql_col_text(st, 0));
    copy(o->kind, sizeof o->kind, sql_col_text(st, 1));
    copy(o->name, sizeof o->name, sql_col_text(st, 2));
    copy(o->parent, sizeof o->parent, sql_col_text(st, 3));
}

err_code hub_db_org_get(struct hub_db *db, const char *id,
                        struct hub_org_row *out)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT id, kind, name, parent"
                                      " FROM org_nodes WHERE id = ?");
    if (!st)
        return hub_db_err(db, SQL_ERROR, "org get");
    hub_db_bind_text(st, 1, id);
    err_code e = hub_db_step_one(db, st, "org get");
    if (e == ERR_OK)
        org_read(st, out);
    sql_finalize(st);
    return e;
}

err_code hub_db_org_each(struct hub_db *db,
                         void (*fn)(void *ctx, const struct hub_org_row *r),
                         void *ctx)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT id, kind, name, parent"
        " FROM org_nodes ORDER BY CASE kind WHEN 'district' THEN 0"
        " WHEN 'street' THEN 1 ELSE 2 END, parent, id");
    if (!st)
        return hub_db_err(db, SQL_ERROR, "org list");
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        struct hub_org_row o;
        org_read(st, &o);
        fn(ctx, &o);
    }
    sql_finalize(st);
    return hub_db_rows_end(db, rc, "org list");
}

err_code hub_db_station_place_get(struct hub_db *db, const char *station,
                                  char *community, size_t cap)
{
    community[0] = '\0';
    struct sql_stmt *st = hub_db_prep(db, "SELECT community FROM"
                                      " station_places WHERE station = ?");
    if (!st)
        return hub_db_err(db, SQL_ERROR, "place get");
    hub_db_bind_text(st, 1, station);
    err_code e = hub_db_step_one(db, st, "place get");
    if (e == ERR_OK)
        copy(community, cap, sql_col_text(st, 0));
    sql_finalize(st);
    return e == ERR_NOTFOUND ? ERR_OK : e;
}

err_code hub_db_station_place_set(struct hub_db *db, const char *station,
                                  const char *community)
{
    struct sql_stmt *st = hub_db_prep(db, "INSERT INTO station_places"
        "(station, community) VALUES(?, ?) ON CONFLICT(station)"
        " DO UPDATE SET community = excluded.community");
    if (!st)
        return hub_db_err(db, SQL_ERROR, "place set");
    hub_db_bind_text(st, 1, station);
    hub_db_bind_text(st, 2, community);
    return hub_db_done(db, st, "place set");
}

err_code hub_db_station_name(struct hub_db *db, const char *station,
                             char *name, size_t cap)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT name FROM stations"
                                      " WHERE id = ?");
    if (!st)
        return hub_db_err(db, SQL_ERROR, "station name");
    hub_db_bind_text(st, 1, station);
    err_code e = hub_db_step_one(db, st, "station name");
    if (e == ERR_OK)
        copy(name, cap, sql_col_text(st, 0));
    sql_finalize(st);
    return e;
}

/* ---- accounts ------------------------------------------------------------- */

#define USER_COLS "name, pw_hash, role, scope, editor, disabled, failed," \
                  " locked_until_ms, created_ms"

static void user_read(struct sql_stmt *st, struct hub_user_row *u)
{
    copy(u->name, sizeof u->name, sql_col_text(st, 0));
    copy(u->pw_hash, sizeof u->pw_hash, sql_col_text(st, 1));
    copy(u->role, sizeof u->role, sql_col_text(st, 2));
    copy(u->scope, sizeof u->scope, sql_col_text(st, 3));
    u->editor = sql_col_int(st, 4) != 0;
    u->disabled = sql_col_int(st, 5) != 0;
    u->failed = (int)sql_col_int(st, 6);
    u->locked_until_ms = sql_col_int(st, 7);
    u->created_ms = sql_col_int(st, 8);
}

static void user_bind(struct sql_stmt *st, const struct hub_user_row *u)
{
    hub_db_bind_text(st, 1, u->name);
    hub_db_bind_text(st, 2, u->pw_hash);
    hub_db_bind_text(st, 3, u->role);
    hub_db_bind_text(st, 4, u->scope);
    sql_bind_int(st, 5, u->editor);
    sql_bind_int(st, 6, u->disabled);
    sql_bind_int(st, 7, u->failed);
    sql_bind_int(st, 8, u->locked_until_ms);
    sql_bind_int(st, 9, u->created_ms);
}

err_code hub_db_user_add(struct hub_db *db, const struct hub_user_row *r)
{
    struct sql_stmt *st = hub_db_prep(db, "INSERT INTO console_users("
        USER_COLS ") VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return hub_db_err(db, SQL_ERROR, "user add");
    user_bind(st, r);
    enum sql_rc rc = sql_step(st);
    sql_finalize(st);
    if (rc == SQL_UNIQUE)
        return ERR_INVAL;
    return rc == SQL_DONE ? ERR_OK : hub_db_err(db, rc, "user add");
}

err_code hub_db_user_get(struct hub_db *db, const char *name,
                         struct hub_user_row *out)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT " USER_COLS
                                      " FROM console_users WHERE name = ?");
    if (!st)
        return hub_db_err(db, SQL_ERROR, "user get");
    hub_db_bind_text(st, 1, name);
    err_code e = hub_db_step_one(db, st, "user get");
    if (e == ERR_OK)
        user_read(st, out);
    sql_finalize(st);
    return e;
}

err_code hub_db_user_update(struct hub_db *db, const struct hub_user_row *r)
{
    struct sql_stmt *st = hub_db_prep(db, "UPDATE console_users SET"
        " pw_hash = ?2, role = ?3, scope = ?4, editor = ?5, disabled = ?6,"
        " failed = ?7, locked_until_ms = ?8, created_ms = ?9"
        " WHERE name = ?1");
    if (!st)
        return hub_db_err(db, SQL_ERROR, "user update");
    user_bind(st, r);
    err_code e = hub_db_done(db, st, "user update");
    if (e == ERR_OK && sql_changes(db->db) == 0)
        return ERR_NOTFOUND;
    return e;
}

err_code hub_db_user_each(struct hub_db *db,
                          void (*fn)(void *ctx, const struct hub_user_row *r),
                          void *ctx)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT " USER_COLS
                                      " FROM console_users ORDER BY name");
    if (!st)
        return hub_db_err(db, SQL_ERROR, "user list");
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        struct hub_user_row u;
        user_read(st, &u);
        fn(ctx, &u);
    }
    sql_finalize(st);
    return hub_db_rows_end(db, rc, "user list");
}

/* ---- sessions ------------------------------------------------------------- */

err_code hub_db_session_add(struct hub_db *db, const struct hub_session_row *r)
{
    struct sql_stmt *st = hub_db_prep(db, "INSERT INTO console_sessions("
        "id_hash, user_name, csrf, created_ms, last_ms) VALUES(?, ?, ?, ?, ?)");
    if (!st)
        return hub_db_err(db, SQL_ERROR, "session add");
    hub_db_bind_text(st, 1, r->id_hash);
    hub_db_bind_text(st, 2, r->user);
    hub_db_bind_text(st, 3, r->csrf);
    sql_bind_int(st, 4, r->created_ms);
    sql_bind_int(st, 5, r->last_ms);
    return hub_db_done(db, st, "session add");
}

err_code hub_db_session_get(struct hub_db *db, const char *id_hash,
                            struct hub_session_row *out)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT id_hash, user_name, csrf,"
        " created_ms, last_ms FROM console_sessions WHERE id_hash = ?");
    if (!st)
        return hub_db_err(db, SQL_ERROR, "session get");
    hub_db_bind_text(st, 1, id_hash);
    err_code e = hub_db_step_one(db, st, "session get");
    if (e == ERR_OK) {
        copy(out->id_hash, sizeof out->id_hash, sql_col_text(st, 0));
        copy(out->user, sizeof out->user, sql_col_text(st, 1));
        copy(out->csrf, sizeof out->csrf, sql_col_text(st, 2));
        out->created_ms = sql_col_int(st, 3);
        out->last_ms = sql_col_int(st, 4);
    }
    sql_finalize(st);
    return e;
}

err_code hub_db_session_touch(struct hub_db *db, const char *id_hash,
                              int64_t now_ms)
{
    struct sql_stmt *st = hub_db_prep(db, "UPDATE console_sessions"
                                      " SET last_ms = ? WHERE id_hash = ?");
    if (!st)
        return hub_db_err(db, SQL_ERROR, "session touch");
    sql_bind_int(st, 1, now_ms);
    hub_db_bind_text(st, 2, id_hash);
    return hub_db_done(db, st, "session touch");
}

static err_code drop_where(struct hub_db *db, const char *sql, const char *v)
{
    struct sql_stmt *st = hub_db_prep(db, sql);
    if (!st)
        return hub_db_err(db, SQL_ERROR, "session drop");
    hub_db_bind_text(st, 1, v);
    return hub_db_done(db, st, "session drop");
}

err_code hub_db_session_drop(struct hub_db *db, const char *id_hash)
{
    return drop_where(db, "DELETE FROM console_sessions WHERE id_hash = ?",
                      id_hash);
}

err_code hub_db_session_drop_user(struct hub_db *db, const char *user)
{
    return drop_where(db, "DELETE FROM console_sessions WHERE user_name = ?",
                      user);
}

/* ---- throttling ----------------------------------------------------------- */

err_code hub_db_login_addr_get(struct hub_db *db, const char *addr,
                               int *failures, int64_t *window_start_ms)
{
    *failures = 0;
    *window_start_ms = 0;
    struct sql_stmt *st = hub_db_prep(db, "SELECT failures, window_ms"
                                      " FROM login_addrs WHERE addr = ?");
    if (!st)
        return hub_db_err(db, SQL_ERROR, "login addr");
    hub_db_bind_text(st, 1, addr);
    err_code e = hub_db_step_one(db, st, "login addr");
    if (e == ERR_OK) {
        *failures = (int)sql_col_int(st, 0);
        *window_start_ms = sql_col_int(st, 1);
    }
    sql_finalize(st);
    return e == ERR_NOTFOUND ? ERR_OK : e;
}

err_code hub_db_login_addr_put(struct hub_db *db, const char *addr,
                               int failures, int64_t window_start_ms)
{
    struct sql_stmt *st = hub_db_prep(db, "INSERT INTO login_addrs(addr,"
        " failures, window_ms) VALUES(?, ?, ?) ON CONFLICT(addr) DO UPDATE"
        " SET failures = excluded.failures, window_ms = excluded.window_ms");
    if (!st)
        return hub_db_err(db, SQL_ERROR, "login addr put");
    hub_db_bind_text(st, 1, addr);
    sql_bind_int(st, 2, failures);
    sql_bind_int(st, 3, window_start_ms);
    return hub_db_done(db, st, "login addr put");
}

/* ---- audit ---------------------------------------------------------------- */

err_code hub_db_audit_put(struct hub_db *db, int64_t at_ms, const char *actor,
                          const char *action, const char *object,
                          const char *before, const char *after)
{
    struct sql_stmt *st = hub_db_prep(db, "INSERT INTO audit_log(at_ms,"
        " actor, action, object, before_json, after_json)"
        " VALUES(?, ?, ?, ?, ?, ?)");
    if (!st)
        return hub_db_err(db, SQL_ERROR, "audit put");
    sql_bind_int(st, 1, at_ms);
    hub_db_bind_text(st, 2, actor ? actor : "");
    hub_db_bind_text(st, 3, action ? action : "");
    hub_db_bind_text(st, 4, object ? object : "");
    hub_db_bind_text(st, 5, before ? before : "");
    hub_db_bind_text(st, 6, after ? after : "");
    return hub_db_done(db, st, "audit put");
}

err_code hub_db_audit_each(struct hub_db *db, const struct hub_audit_filter *f,
                           void (*fn)(void *ctx, const struct hub_audit_row *r),
                           void *ctx)
{
    /* An empty filter binds "" and matches everything; the object is a
     * prefix compared with substr, so % and _ in it mean themselves. */
    struct sql_stmt *st = hub_db_prep(db, "SELECT id, at_ms, actor, action,"
        " object, before_json, after_json FROM audit_log"
        " WHERE (?1 = '' OR actor = ?1) AND (?2 = '' OR action = ?2)"
        " AND (?3 = '' OR substr(object, 1, length(?3)) = ?3)"
        " AND (?4 = 0 OR at_ms >= ?4) AND (?5 = 0 OR at_ms < ?5)"
        " ORDER BY id DESC LIMIT ?6");
    if (!st)
        return hub_db_err(db, SQL_ERROR, "audit list");
    hub_db_bind_text(st, 1, f && f->actor ? f->actor : "");
    hub_db_bind_text(st, 2, f && f->action ? f->action : "");
    hub_db_bind_text(st, 3, f && f->object ? f->object : "");
    sql_bind_int(st, 4, f ? f->from_ms : 0);
    sql_bind_int(st, 5, f ? f->to_ms : 0);
    sql_bind_int(st, 6, f && f->limit > 0 ? f->limit : 1000000);
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        struct hub_audit_row r = {
            .id = sql_col_int(st, 0), .at_ms = sql_col_int(st, 1),
            .actor = hub_db_col_text(st, 2), .action = hub_db_col_text(st, 3),
            .object = hub_db_col_text(st, 4), .before = hub_db_col_text(st, 5),
            .after = hub_db_col_text(st, 6) };
        fn(ctx, &r);
    }
    sql_finalize(st);
    return hub_db_rows_end(db, rc, "audit list");
}

/* ---- dashboard ------------------------------------------------------------ */

err_code hub_db_station_stats(struct hub_db *db, int64_t today_ms,
                              int64_t week_ms,
                              void (*fn)(void *ctx,
                                         const struct hub_station_stat *s),
                              void *ctx)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT s.id, s.name,"
        " (SELECT count(*) FROM events e WHERE e.station = s.id"
        "  AND e.kind = 'check_in' AND e.event_ms >= ?1),"
        " (SELECT count(*) FROM events e WHERE e.station = s.id"
        "  AND e.kind = 'check_in' AND e.event_ms >= ?2),"
        " (SELECT count(*) FROM service_logs l WHERE l.station = s.id"
        "  AND l.status = 'pending'),"
        " (SELECT count(*) FROM tickets t WHERE t.station = s.id"
        "  AND t.state <> 'closed')"
        " FROM stations s ORDER BY s.id");
    if (!st)
        return hub_db_err(db, SQL_ERROR, "station stats");
    sql_bind_int(st, 1, today_ms);
    sql_bind_int(st, 2, week_ms);
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        struct hub_station_stat s = {
            .id = hub_db_col_text(st, 0), .name = hub_db_col_text(st, 1),
            .today = sql_col_int(st, 2), .week = sql_col_int(st, 3),
            .pending = sql_col_int(st, 4), .open_tickets = sql_col_int(st, 5) };
        fn(ctx, &s);
    }
    sql_finalize(st);
    return hub_db_rows_end(db, rc, "station stats");
}
