/* hub/hub_db_roster.c - the members table. */
#include "hub/hub_db_roster.h"

#include <stdlib.h>

#include "base/xmalloc.h"
#include "hub/hub_db_int.h"

err_code hub_db_member_put(struct hub_db *db, const struct hub_member *m,
                           bool active)
{
    struct sql_stmt *st = hub_db_prep(db, "INSERT INTO members("
        "member_no, name, phone, community, station, active, work_unit,"
        " reg_kind) VALUES(?,?,?,?,?,?,?,?) ON CONFLICT(member_no) DO UPDATE"
        " SET name = excluded.name, phone = excluded.phone,"
        " community = excluded.community, station = excluded.station,"
        " active = excluded.active, work_unit = excluded.work_unit,"
        " reg_kind = excluded.reg_kind");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, m->member_no);
    hub_db_bind_text(st, 2, m->name);
    hub_db_bind_text(st, 3, m->phone);
    hub_db_bind_text(st, 4, m->community);
    hub_db_bind_text(st, 5, m->station);
    sql_bind_int(st, 6, active);
    hub_db_bind_text(st, 7, m->work_unit);
    hub_db_bind_text(st, 8, m->reg_kind);
    return hub_db_done(db, st, "member put");
}

err_code hub_db_member_active(struct hub_db *db, const char *member_no,
                              bool *active)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT active FROM members"
                                          " WHERE member_no = ?");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, member_no);
    err_code e = hub_db_step_one(db, st, "member active");
    if (e == ERR_OK)
        *active = sql_col_int(st, 0) != 0;
    sql_finalize(st);
    return e;
}

err_code hub_db_member_pin_get(struct hub_db *db, const char *member_no,
                               char *out, size_t cap)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT pin_hash FROM member_pins"
                                          " WHERE member_no = ?");
    if (!st)
        return ERR_DB;
    out[0] = '\0';
    hub_db_bind_text(st, 1, member_no);
    err_code e = hub_db_step_one(db, st, "member pin");
    if (e == ERR_OK)
        str_copy(out, cap, hub_db_col_text(st, 0));
    sql_finalize(st);
    return e == ERR_NOTFOUND ? ERR_OK : e;
}

err_code hub_db_member_pin_set(struct hub_db *db, const char *member_no,
                               const char *pin_hash)
{
    struct sql_stmt *st = hub_db_prep(db, "INSERT INTO member_pins"
                                          "(member_no, pin_hash) VALUES(?, ?)"
                                          " ON CONFLICT(member_no) DO UPDATE"
                                          " SET pin_hash = excluded.pin_hash");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, member_no);
    hub_db_bind_text(st, 2, pin_hash);
    return hub_db_done(db, st, "member pin set");
}

/* Columns MEMBER_COLS from `first` on. */
#define MEMBER_COLS "member_no, name, phone, community, station, work_unit," \
                    " reg_kind"
static void member_from(struct sql_stmt *st, int first, struct hub_member *m)
{
    char *f[] = { m->member_no, m->name, m->phone, m->community,
                  m->station, m->work_unit, m->reg_kind };
    size_t cap[] = { sizeof m->member_no, sizeof m->name, sizeof m->phone,
                     sizeof m->community, sizeof m->station,
                     sizeof m->work_unit, sizeof m->reg_kind };
    for (int i = 0; i < 7; i++)
        str_copy(f[i], cap[i], hub_db_col_text(st, first + i));
}

err_code hub_db_member_get(struct hub_db *db, const char *member_no,
                           struct hub_member *out)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT " MEMBER_COLS
                                      " FROM members WHERE member_no = ?");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, member_no);
    err_code e = hub_db_step_one(db, st, "member get");
    if (e == ERR_OK)
        member_from(st, 0, out);
    sql_finalize(st);
    return e;
}

/* The roster's member numbers (and stations) go into a temporary table,
 * so finding who left is one indexed query even for a city's roster. */
static err_code load_import(struct hub_db *db,
                            const struct hub_member *rows, size_t n)
{
    err_code e = hub_db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS"
                             " import_rows(member_no TEXT PRIMARY KEY,"
                             " station TEXT NOT NULL);"
                             "DELETE FROM import_rows");
    if (e != ERR_OK)
        return e;
    struct sql_stmt *st = hub_db_prep(db, "INSERT INTO import_rows"
                                      " VALUES(?, ?) ON CONFLICT DO NOTHING");
    if (!st)
        return ERR_DB;
    for (size_t i = 0; i < n && e == ERR_OK; i++) {
        hub_db_bind_text(st, 1, rows[i].member_no);
        hub_db_bind_text(st, 2, rows[i].station);
        enum sql_rc rc = sql_step(st);
        if (rc != SQL_DONE)
            e = hub_db_err(db, rc, "import rows");
        sql_reset(st);
    }
    sql_finalize(st);
    return e;
}

err_code hub_db_members_missing(struct hub_db *db,
                                const struct hub_member *roster, size_t n,
                                struct hub_member **out, size_t *n_out)
{
    size_t cap = 0, count = 0;
    struct hub_member *v = NULL;
    enum sql_rc rc;

    *out = NULL;
    *n_out = 0;
    err_code e = load_import(db, roster, n);
    if (e != ERR_OK)
        return e;
    struct sql_stmt *st = hub_db_prep(db, "SELECT " MEMBER_COLS
        " FROM members WHERE active = 1"
        " AND station IN (SELECT station FROM import_rows)"
        " AND member_no NOT IN (SELECT member_no FROM import_rows)");
    if (!st)
        return ERR_DB;
    while ((rc = sql_step(st)) == SQL_ROW) {
        if (count == cap)
            v = xrealloc(v, (cap = cap ? cap * 2 : 16) * sizeof *v);
        member_from(st, 0, &v[count++]);
    }
    e = hub_db_rows_end(db, rc, "members missing");
    sql_finalize(st);
    if (e != ERR_OK) {
        free(v);
        return e;
    }
    *out = v;
    *n_out = count;
    return ERR_OK;
}

err_code hub_db_station_active(struct hub_db *db, const char *station,
                               int *n)
{
    *n = 0;
    struct sql_stmt *st = hub_db_prep(db, "SELECT count(*) FROM members"
                                      " WHERE station = ? AND active = 1");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, station);
    enum sql_rc rc = sql_step(st);
    if (rc == SQL_ROW) {
        *n = sql_col_int(st, 0);
        rc = sql_step(st);
    }
    sql_finalize(st);
    return rc == SQL_DONE ? ERR_OK : hub_db_err(db, rc, "active count");
}
