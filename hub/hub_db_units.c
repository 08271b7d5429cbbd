/* hub/hub_db_units.c - work units, hub settings and the registration
 * reports' queries (hub/hub_db_units.h). The same SQL on SQLite and
 * PostgreSQL. */
#include "hub/hub_db_units.h"

#include <string.h>

#include "base/xmalloc.h"
#include "hub/hub_db_int.h"
#include "hub/hub_db_org.h"

static const char units_schema[] =
    "CREATE TABLE IF NOT EXISTS work_units(code TEXT PRIMARY KEY,"
    " name TEXT NOT NULL, paired_community TEXT NOT NULL DEFAULT '');"
    /* Settings the hub publishes to every kiosk (hub/hub_reg.c). */
    "CREATE TABLE IF NOT EXISTS hub_settings(name TEXT PRIMARY KEY,"
    " value TEXT NOT NULL);";

/* A roster from before 双报到 has no unit or kind: "" for everyone. One
 * transaction (SQLite's DDL is transactional): a power cut leaves both
 * columns or neither, never a file the next open cannot migrate. */
static const char members_columns[] =
    "BEGIN;"
    "ALTER TABLE members ADD COLUMN work_unit TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE members ADD COLUMN reg_kind TEXT NOT NULL DEFAULT '';"
    "COMMIT;";

static const char members_columns_pg[] =
    "ALTER TABLE members ADD COLUMN IF NOT EXISTS"
    " work_unit TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE members ADD COLUMN IF NOT EXISTS"
    " reg_kind TEXT NOT NULL DEFAULT '';";

/* SQLite has no ADD COLUMN IF NOT EXISTS: whether members has them. */
static bool has_unit_column(struct hub_db *db)
{
    struct sql_stmt *st = sql_prepare(db->db, "SELECT work_unit, reg_kind"
                                      " FROM members LIMIT 0", false);
    sql_finalize(st);
    return st != NULL;
}

err_code hub_db_units_migrate(struct hub_db *db)
{
    err_code e = hub_db_schema(db, units_schema);
    if (e != ERR_OK)
        return e;
    if (sql_dialect(db->db) == SQL_POSTGRES)
        return hub_db_schema(db, members_columns_pg);
    if (has_unit_column(db))
        return ERR_OK;
    e = hub_db_exec(db, members_columns);
    if (e != ERR_OK)
        hub_db_rollback(db);
    return e;
}

/* ---- units ------------------------------------------------------------- */

err_code hub_db_unit_put(struct hub_db *db, const struct hub_unit *u)
{
    struct sql_stmt *st = hub_db_prep(db, "INSERT INTO work_units(code, name,"
        " paired_community) VALUES(?, ?, ?) ON CONFLICT(code) DO UPDATE SET"
        " name = excluded.name, paired_community = excluded.paired_community");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, u->code);
    hub_db_bind_text(st, 2, u->name);
    hub_db_bind_text(st, 3, u->paired_community);
    return hub_db_done(db, st, "unit put");
}

static void unit_from(struct sql_stmt *st, struct hub_unit *u)
{
    str_copy(u->code, sizeof u->code, hub_db_col_text(st, 0));
    str_copy(u->name, sizeof u->name, hub_db_col_text(st, 1));
    str_copy(u->paired_community, sizeof u->paired_community,
             hub_db_col_text(st, 2));
}

err_code hub_db_unit_get(struct hub_db *db, const char *code,
                         struct hub_unit *out)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT code, name,"
        " paired_community FROM work_units WHERE code = ?");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, code);
    err_code e = hub_db_step_one(db, st, "unit get");
    if (e == ERR_OK)
        unit_from(st, out);
    sql_finalize(st);
    return e;
}

err_code hub_db_unit_rm(struct hub_db *db, const char *code)
{
    struct sql_stmt *st = hub_db_prep(db, "DELETE FROM work_units"
                                      " WHERE code = ?");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, code);
    err_code e = hub_db_done(db, st, "unit rm");
    if (e == ERR_OK && sql_changes(db->db) == 0)
        e = ERR_NOTFOUND;
    return e;
}

err_code hub_db_units_each(struct hub_db *db,
                           void (*fn)(void *ctx, const struct hub_unit *u),
                           void *ctx)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT code, name,"
        " paired_community FROM work_units ORDER BY code");
    if (!st)
        return ERR_DB;
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        struct hub_unit u;
        unit_from(st, &u);
        fn(ctx, &u);
    }
    err_code e = hub_db_rows_end(db, rc, "units");
    sql_finalize(st);
    return e;
}

err_code hub_db_unit_members(struct hub_db *db, const char *code, int *n)
{
    *n = 0;
    struct sql_stmt *st = hub_db_prep(db, "SELECT count(*) FROM members"
                                      " WHERE work_unit = ? AND active = 1");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, code);
    err_code e = hub_db_step_one(db, st, "unit members");
    if (e == ERR_OK)
        *n = (int)sql_col_int(st, 0);
    sql_finalize(st);
    return e;
}

/* ---- settings ---------------------------------------------------------- */

err_code hub_db_setting_get(struct hub_db *db, const char *name, bool *on)
{
    *on = false;
    struct sql_stmt *st = hub_db_prep(db, "SELECT value FROM hub_settings"
                                      " WHERE name = ?");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, name);
    err_code e = hub_db_step_one(db, st, "setting get");
    if (e == ERR_OK)
        *on = strcmp(hub_db_col_text(st, 0), "on") == 0;
    sql_finalize(st);
    return e == ERR_NOTFOUND ? ERR_OK : e;
}

err_code hub_db_setting_put(struct hub_db *db, const char *name, bool on)
{
    struct sql_stmt *st = hub_db_prep(db, "INSERT INTO hub_settings(name,"
        " value) VALUES(?, ?) ON CONFLICT(name) DO UPDATE SET"
        " value = excluded.value");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, name);
    hub_db_bind_text(st, 2, on ? "on" : "off");
    return hub_db_done(db, st, "setting put");
}

/* ---- registration reports ---------------------------------------------- */

/* Rates of every station: the console's rates of a scope's stations
 * with none named (one query, hub/hub_db_org.c). */
err_code hub_db_reg_rates(struct hub_db *db, const char *by, int64_t from_ms,
                          int64_t to_ms,
                          void (*fn)(void *ctx, const struct hub_reg_rate *r),
                          void *ctx)
{
    return hub_db_reg_rates_in(db, by, from_ms, to_ms, NULL, 0, fn, ctx);
}

err_code hub_db_unregistered(struct hub_db *db, const char *community,
                             const char *unit,
                             void (*fn)(void *ctx,
                                        const struct hub_unregistered *m),
                             void *ctx)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT m.member_no, m.name,"
        " m.community, m.station, m.work_unit, coalesce(u.name, ''),"
        " m.reg_kind FROM members m"
        " LEFT JOIN work_units u ON u.code = m.work_unit"
        " WHERE m.active = 1 AND (?1 = '' OR m.community = ?1)"
        " AND (?2 = '' OR m.work_unit = ?2)"
        " AND NOT EXISTS(SELECT 1 FROM events e"
        "  WHERE e.kind = 'registration' AND e.member_no = m.member_no)"
        " ORDER BY m.community, m.member_no");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, community ? community : "");
    hub_db_bind_text(st, 2, unit ? unit : "");
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        struct hub_unregistered m = {
            hub_db_col_text(st, 0), hub_db_col_text(st, 1),
            hub_db_col_text(st, 2), hub_db_col_text(st, 3),
            hub_db_col_text(st, 4), hub_db_col_text(st, 5),
            hub_db_col_text(st, 6),
        };
        fn(ctx, &m);
    }
    err_code e = hub_db_rows_end(db, rc, "unregistered");
    sql_finalize(st);
    return e;
}
