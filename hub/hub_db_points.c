/* hub/hub_db_points.c - points rules, stars' categories, star board
 * marks and awards in the store (hub/hub_db_points.h). */
#include "hub/hub_db_points.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "hub/hub_db_int.h"

static const char points_schema[] =
    /* Multipliers in hundredths; cap 0: none (hub/hub_points.h). */
    "CREATE TABLE IF NOT EXISTS points_rules(scope TEXT PRIMARY KEY,"
    " per30 INTEGER NOT NULL, satisfied INTEGER NOT NULL,"
    " basic INTEGER NOT NULL, unsatisfied INTEGER NOT NULL,"
    " cap INTEGER NOT NULL, updated_ms INTEGER NOT NULL);"
    /* Which star of 打擂争星 a service category's logs count for. */
    "CREATE TABLE IF NOT EXISTS star_categories(category TEXT PRIMARY KEY,"
    " star TEXT NOT NULL, updated_ms INTEGER NOT NULL);"
    /* What each station's boards were last computed from. */
    "CREATE TABLE IF NOT EXISTS stars_fresh(station TEXT PRIMARY KEY,"
    " mark TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS awards(year INTEGER NOT NULL,"
    " station TEXT NOT NULL, kind TEXT NOT NULL, rank INTEGER NOT NULL,"
    " subject TEXT NOT NULL, name TEXT NOT NULL, points INTEGER NOT NULL,"
    " PRIMARY KEY(year, station, kind, subject));"
    /* The freshness check reads the latest decision of each station. */
    "CREATE INDEX IF NOT EXISTS service_logs_decided"
    " ON service_logs(station, decided_ms);";

/* The default mapping (docs/rules.md): each category to the star its
 * work is closest to; 文化体育之星 has no category of its own yet. */
static const char *const default_stars[][2] = {
    { "patrol", "security" },
    { "environment", "environment" },
    { "mediation", "mediation" },
    { "elderly_care", "community" },
    { "policy_outreach", "learning" },
    { "other", "community" },
    { "duty_desk", "community" },
};

/* The post a log was done on: SQLite has no ADD COLUMN IF NOT EXISTS,
 * so look first; PostgreSQL's statement runs once (hub_db_schema). */
static err_code add_post_column(struct hub_db *db)
{
    if (sql_dialect(db->db) == SQL_POSTGRES)
        return hub_db_schema(db, "ALTER TABLE service_logs ADD COLUMN"
                             " IF NOT EXISTS post TEXT;");
    struct sql_stmt *st = sql_prepare(db->db, "SELECT post FROM service_logs"
                                      " LIMIT 0", false);
    if (st) {
        sql_finalize(st);
        return ERR_OK;
    }
    return hub_db_exec(db, "ALTER TABLE service_logs ADD COLUMN post TEXT");
}

err_code hub_db_points_migrate(struct hub_db *db)
{
    err_code e = hub_db_schema(db, points_schema);
    if (e == ERR_OK)
        e = add_post_column(db);
    for (size_t i = 0; e == ERR_OK &&
         i < sizeof default_stars / sizeof default_stars[0]; i++) {
        /* Only where staff set nothing: a mapping they chose stays. */
        struct sql_stmt *st = hub_db_prep(db, "INSERT INTO star_categories"
            "(category, star, updated_ms) VALUES(?, ?, 0)"
            " ON CONFLICT DO NOTHING");
        if (!st)
            return ERR_DB;
        hub_db_bind_text(st, 1, default_stars[i][0]);
        hub_db_bind_text(st, 2, default_stars[i][1]);
        e = hub_db_done(db, st, "star category default");
    }
    return e;
}

static void rule_row(struct sql_stmt *st, struct hub_points_rule *r)
{
    str_copy(r->scope, sizeof r->scope, hub_db_col_text(st, 0));
    r->per30 = (int)sql_col_int(st, 1);
    r->satisfied = (int)sql_col_int(st, 2);
    r->basic = (int)sql_col_int(st, 3);
    r->unsatisfied = (int)sql_col_int(st, 4);
    r->cap = (int)sql_col_int(st, 5);
}

#define RULE_COLS "scope, per30, satisfied, basic, unsatisfied, cap"

err_code hub_db_points_rule_get(struct hub_db *db, const char *scope,
                                struct hub_points_rule *out)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT " RULE_COLS
                                      " FROM points_rules WHERE scope = ?");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, scope);
    err_code e = hub_db_step_one(db, st, "points rule");
    if (e == ERR_OK)
        rule_row(st, out);
    sql_finalize(st);
    return e;
}

err_code hub_db_points_rule_put(struct hub_db *db,
                                const struct hub_points_rule *r)
{
    struct sql_stmt *st = hub_db_prep(db, "INSERT INTO points_rules("
        RULE_COLS ", updated_ms) VALUES(?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(scope) DO UPDATE SET per30 = excluded.per30,"
        " satisfied = excluded.satisfied, basic = excluded.basic,"
        " unsatisfied = excluded.unsatisfied, cap = excluded.cap,"
        " updated_ms = excluded.updated_ms");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, r->scope);
    sql_bind_int(st, 2, r->per30);
    sql_bind_int(st, 3, r->satisfied);
    sql_bind_int(st, 4, r->basic);
    sql_bind_int(st, 5, r->unsatisfied);
    sql_bind_int(st, 6, r->cap);
    sql_bind_int(st, 7, hub_now_ms());
    return hub_db_done(db, st, "points rule put");
}

err_code hub_db_points_rules_each(struct hub_db *db,
                                  void (*fn)(void *ctx,
                                             const struct hub_points_rule *r),
                                  void *ctx)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT " RULE_COLS
                                      " FROM points_rules ORDER BY scope");
    if (!st)
        return ERR_DB;
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        struct hub_points_rule r;
        rule_row(st, &r);
        fn(ctx, &r);
    }
    err_code e = hub_db_rows_end(db, rc, "points rules");
    sql_finalize(st);
    return e;
}

err_code hub_db_log_rule_keys(struct hub_db *db, const char *device,
                              const char *epoch, uint64_t seq,
                              char *category, size_t cat_cap,
                              char *post, size_t post_cap)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT category, post"
                                      " FROM service_logs WHERE device = ?"
                                      " AND epoch = ? AND seq = ?");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, device);
    hub_db_bind_text(st, 2, epoch);
    sql_bind_int(st, 3, (int64_t)seq);
    err_code e = hub_db_step_one(db, st, "log rule keys");
    if (e == ERR_OK) {
        str_copy(category, cat_cap, hub_db_col_text(st, 0));
        str_copy(post, post_cap, hub_db_col_text(st, 1));
    }
    sql_finalize(st);
    return e;
}

err_code hub_db_star_category_put(struct hub_db *db, const char *category,
                                  const char *star)
{
    struct sql_stmt *st = hub_db_prep(db, "INSERT INTO star_categories"
        "(category, star, updated_ms) VALUES(?, ?, ?)"
        " ON CONFLICT(category) DO UPDATE SET star = excluded.star,"
        " updated_ms = excluded.updated_ms");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, category);
    hub_db_bind_text(st, 2, star);
    sql_bind_int(st, 3, hub_now_ms());
    return hub_db_done(db, st, "star category put");
}

err_code hub_db_star_categories_each(struct hub_db *db,
                                     void (*fn)(void *ctx, const char *cat,
                                                const char *star),
                                     void *ctx)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT category, star"
                                      " FROM star_categories"
                                      " ORDER BY category");
    if (!st)
        return ERR_DB;
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW)
        fn(ctx, hub_db_col_text(st, 0), hub_db_col_text(st, 1));
    err_code e = hub_db_rows_end(db, rc, "star categories");
    sql_finalize(st);
    return e;
}

err_code hub_db_star_board_top(struct hub_db *db, const char *station,
                               const char *star, const char *since,
                               struct hub_star *out, size_t max, size_t *n)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT l.member_no,"
        " sum(l.points) AS p FROM service_logs l"
        " JOIN star_categories c ON c.category = l.category"
        " WHERE l.status = 'confirmed' AND l.station = ?1 AND c.star = ?2"
        " AND l.day >= ?3 GROUP BY l.member_no HAVING sum(l.points) > 0"
        " ORDER BY p DESC, l.member_no LIMIT ?4");
    enum sql_rc rc = SQL_DONE;

    *n = 0;
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, station);
    hub_db_bind_text(st, 2, star);
    hub_db_bind_text(st, 3, since);
    sql_bind_int(st, 4, (int64_t)max);
    while (*n < max && (rc = sql_step(st)) == SQL_ROW) {
        str_copy(out[*n].member_no, sizeof out[*n].member_no,
                 hub_db_col_text(st, 0));
        out[*n].points = (int)sql_col_int(st, 1);
        (*n)++;
    }
    err_code e = *n == max ? ERR_OK : hub_db_rows_end(db, rc, "star board");
    sql_finalize(st);
    return e;
}

err_code hub_db_stars_marks(struct hub_db *db, const char *today,
                            void (*fn)(void *ctx, const char *station,
                                       const char *now_mark,
                                       const char *last_mark),
                            void *ctx)
{
    /* Everything a station's boards and totals are computed from, as
     * numbers: a new day (the periods move), a log decided, a wish signed
     * off, the roster changed, the categories mapped anew. */
    struct sql_stmt *st = hub_db_prep(db, "SELECT s.id,"
        " coalesce((SELECT max(l.decided_ms) FROM service_logs l"
        "  WHERE l.station = s.id), 0),"
        " coalesce((SELECT count(*) FROM service_logs l"
        "  WHERE l.station = s.id AND l.status <> 'pending'), 0),"
        " coalesce((SELECT max(t.closed_ms) FROM tickets t"
        "  WHERE t.station = s.id AND t.kind = 'wish'), 0),"
        " coalesce((SELECT count(*) FROM members m"
        "  WHERE m.station = s.id), 0),"
        " coalesce((SELECT max(c.updated_ms) FROM star_categories c), 0),"
        " coalesce(f.mark, '') FROM stations s"
        " LEFT JOIN stars_fresh f ON f.station = s.id ORDER BY s.id");
    if (!st)
        return ERR_DB;
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        char mark[160];
        snprintf(mark, sizeof mark, "%s/%lld/%lld/%lld/%lld/%lld", today,
                 (long long)sql_col_int(st, 1), (long long)sql_col_int(st, 2),
                 (long long)sql_col_int(st, 3), (long long)sql_col_int(st, 4),
                 (long long)sql_col_int(st, 5));
        fn(ctx, hub_db_col_text(st, 0), mark, hub_db_col_text(st, 6));
    }
    err_code e = hub_db_rows_end(db, rc, "stars marks");
    sql_finalize(st);
    return e;
}

err_code hub_db_stars_mark_put(struct hub_db *db, const char *station,
                               const char *mark)
{
    struct sql_stmt *st = hub_db_prep(db, "INSERT INTO stars_fresh(station,"
        " mark) VALUES(?, ?) ON CONFLICT(station) DO UPDATE"
        " SET mark = excluded.mark");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, station);
    hub_db_bind_text(st, 2, mark);
    return hub_db_done(db, st, "stars mark");
}

/* ---- awards -------------------------------------------------------------- */

err_code hub_db_post_points(struct hub_db *db, const char *station,
                            const char *from_day, const char *to_day,
                            struct hub_post_points **out, size_t *n)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT post, sum(points)"
        " FROM service_logs WHERE status = 'confirmed' AND station = ?"
        " AND day >= ? AND day <= ? AND post IS NOT NULL AND post <> ''"
        " GROUP BY post ORDER BY post");
    size_t cap = 0;

    *out = NULL;
    *n = 0;
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, station);
    hub_db_bind_text(st, 2, from_day);
    hub_db_bind_text(st, 3, to_day);
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        if (*n == cap)
            *out = xrealloc(*out, (cap = cap ? 2 * cap : 16) * sizeof **out);
        struct hub_post_points *p = &(*out)[(*n)++];
        str_copy(p->id, sizeof p->id, hub_db_col_text(st, 0));
        p->points = (int)sql_col_int(st, 1);
    }
    err_code e = hub_db_rows_end(db, rc, "post points");
    sql_finalize(st);
    if (e != ERR_OK) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return e;
}

err_code hub_db_posts_published(struct hub_db *db, const char *station,
                                char ***ids, char ***data, size_t *n)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT key, data FROM published"
        " WHERE type = 'post' AND (scope = ? OR scope = '*') ORDER BY key");
    size_t cap = 0;

    *ids = *data = NULL;
    *n = 0;
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, station);
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            *ids = xrealloc(*ids, cap * sizeof **ids);
            *data = xrealloc(*data, cap * sizeof **data);
        }
        (*ids)[*n] = xstrdup(hub_db_col_text(st, 0));
        (*data)[(*n)++] = xstrdup(hub_db_col_text(st, 1));
    }
    err_code e = hub_db_rows_end(db, rc, "posts published");
    sql_finalize(st);
    if (e != ERR_OK) {
        hub_db_keys_free(*ids, *n);
        hub_db_keys_free(*data, *n);
        *ids = *data = NULL;
        *n = 0;
    }
    return e;
}

err_code hub_db_station_ids(struct hub_db *db, char ***ids, size_t *n)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT id FROM stations"
                                      " ORDER BY id");
    size_t cap = 0;

    *ids = NULL;
    *n = 0;
    if (!st)
        return ERR_DB;
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        if (*n == cap)
            *ids = xrealloc(*ids, (cap = cap ? 2 * cap : 16) * sizeof **ids);
        (*ids)[(*n)++] = xstrdup(hub_db_col_text(st, 0));
    }
    err_code e = hub_db_rows_end(db, rc, "stations");
    sql_finalize(st);
    if (e != ERR_OK) {
        hub_db_keys_free(*ids, *n);
        *ids = NULL;
        *n = 0;
    }
    return e;
}

err_code hub_db_awards_put(struct hub_db *db, int year, const char *station,
                           const struct hub_award *a, size_t n)
{
    struct sql_stmt *st = hub_db_prep(db, "DELETE FROM awards"
                                      " WHERE year = ? AND station = ?");
    if (!st)
        return ERR_DB;
    sql_bind_int(st, 1, year);
    hub_db_bind_text(st, 2, station);
    err_code e = hub_db_done(db, st, "awards clear");
    for (size_t i = 0; i < n && e == ERR_OK; i++) {
        st = hub_db_prep(db, "INSERT INTO awards(year, station, kind, rank,"
                         " subject, name, points) VALUES(?,?,?,?,?,?,?)");
        if (!st)
            return ERR_DB;
        sql_bind_int(st, 1, year);
        hub_db_bind_text(st, 2, station);
        hub_db_bind_text(st, 3, a[i].kind);
        sql_bind_int(st, 4, a[i].rank);
        hub_db_bind_text(st, 5, a[i].subject);
        hub_db_bind_text(st, 6, a[i].name);
        sql_bind_int(st, 7, a[i].points);
        e = hub_db_done(db, st, "award put");
    }
    return e;
}
