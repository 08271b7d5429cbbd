/* hub/hub_db_roster.c - the members table. */
#include "hub/hub_db_roster.h"

#include <stdlib.h>

#include "base/xmalloc.h"
#include "hub/hub_db_int.h"

err_code hub_db_member_put(struct hub_db *db, const struct hub_member *m,
                           bool active)
{
    sqlite3_stmt *st = hub_db_prep(db, "INSERT OR REPLACE INTO members("
                                   "member_no, name, phone, community,"
                                   " station, active) VALUES(?,?,?,?,?,?)");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, m->member_no);
    hub_db_bind_text(st, 2, m->name);
    hub_db_bind_text(st, 3, m->phone);
    hub_db_bind_text(st, 4, m->community);
    hub_db_bind_text(st, 5, m->station);
    sqlite3_bind_int(st, 6, active);
    return hub_db_done(db, st, "member put");
}

err_code hub_db_member_active(struct hub_db *db, const char *member_no,
                              bool *active)
{
    sqlite3_stmt *st = hub_db_prep(db, "SELECT active FROM members"
                                   " WHERE member_no = ?");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, member_no);
    err_code e = hub_db_step_one(db, st, "member active");
    if (e == ERR_OK)
        *active = sqlite3_column_int(st, 0) != 0;
    sqlite3_finalize(st);
    return e;
}

err_code hub_db_member_pin_get(struct hub_db *db, const char *member_no,
                               char *out, size_t cap)
{
    sqlite3_stmt *st = hub_db_prep(db, "SELECT pin_hash FROM member_pins"
                                   " WHERE member_no = ?");
    if (!st)
        return ERR_DB;
    out[0] = '\0';
    hub_db_bind_text(st, 1, member_no);
    err_code e = hub_db_step_one(db, st, "member pin");
    if (e == ERR_OK)
        str_copy(out, cap, hub_db_col_text(st, 0));
    sqlite3_finalize(st);
    return e == ERR_NOTFOUND ? ERR_OK : e;
}

err_code hub_db_member_pin_set(struct hub_db *db, const char *member_no,
                               const char *pin_hash)
{
    sqlite3_stmt *st = hub_db_prep(db, "INSERT OR REPLACE INTO member_pins"
                                   "(member_no, pin_hash) VALUES(?, ?)");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, member_no);
    hub_db_bind_text(st, 2, pin_hash);
    return hub_db_done(db, st, "member pin set");
}

/* Columns member_no, name, phone, community, station from `first` on. */
static void member_from(sqlite3_stmt *st, int first, struct hub_member *m)
{
    char *f[] = { m->member_no, m->name, m->phone, m->community,
                  m->station };
    size_t cap[] = { sizeof m->member_no, sizeof m->name, sizeof m->phone,
                     sizeof m->community, sizeof m->station };
    for (int i = 0; i < 5; i++)
        str_copy(f[i], cap[i], hub_db_col_text(st, first + i));
}

err_code hub_db_member_get(struct hub_db *db, const char *member_no,
                           struct hub_member *out)
{
    sqlite3_stmt *st = hub_db_prep(db, "SELECT member_no, name, phone,"
                                   " community, station FROM members"
                                   " WHERE member_no = ?");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, member_no);
    err_code e = hub_db_step_one(db, st, "member get");
    if (e == ERR_OK)
        member_from(st, 0, out);
    sqlite3_finalize(st);
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
    sqlite3_stmt *st = hub_db_prep(db, "INSERT OR IGNORE INTO import_rows"
                                   " VALUES(?, ?)");
    if (!st)
        return ERR_DB;
    for (size_t i = 0; i < n && e == ERR_OK; i++) {
        hub_db_bind_text(st, 1, rows[i].member_no);
        hub_db_bind_text(st, 2, rows[i].station);
        int rc = sqlite3_step(st);
        if (rc != SQLITE_DONE)
            e = hub_db_err(db, rc, "import rows");
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return e;
}

err_code hub_db_members_missing(struct hub_db *db,
                                const struct hub_member *roster, size_t n,
                                struct hub_member **out, size_t *n_out)
{
    size_t cap = 0, count = 0;
    struct hub_member *v = NULL;
    int rc;

    *out = NULL;
    *n_out = 0;
    err_code e = load_import(db, roster, n);
    if (e != ERR_OK)
        return e;
    sqlite3_stmt *st = hub_db_prep(db, "SELECT member_no, name, phone,"
        " community, station FROM members WHERE active = 1"
        " AND station IN (SELECT station FROM import_rows)"
        " AND member_no NOT IN (SELECT member_no FROM import_rows)");
    if (!st)
        return ERR_DB;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (count == cap)
            v = xrealloc(v, (cap = cap ? cap * 2 : 16) * sizeof *v);
        member_from(st, 0, &v[count++]);
    }
    e = hub_db_rows_end(db, rc, "members missing");
    sqlite3_finalize(st);
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
    sqlite3_stmt *st = hub_db_prep(db, "SELECT count(*) FROM members"
                                   " WHERE station = ? AND active = 1");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, station);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *n = sqlite3_column_int(st, 0);
        rc = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ERR_OK : hub_db_err(db, rc, "active count");
}
