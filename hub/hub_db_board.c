/* hub/hub_db_board.c - the published table and the star ranking. */
#include "hub/hub_db_board.h"

#include <stdlib.h>

#include "base/xmalloc.h"
#include "hub/hub_db_int.h"

bool hub_db_published_same(struct hub_db *db, const char *scope,
                           const char *type, const char *key,
                           const char *data)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT 1 FROM published"
                                      " WHERE scope = ? AND type = ?"
                                      " AND key = ? AND data = ?");
    if (!st)
        return false;
    hub_db_bind_text(st, 1, scope);
    hub_db_bind_text(st, 2, type);
    hub_db_bind_text(st, 3, key);
    hub_db_bind_text(st, 4, data);
    /* An error reads as "differs": the write that follows then fails
     * loudly on the same damage. */
    bool same = hub_db_step_one(db, st, "published same") == ERR_OK;
    sql_finalize(st);
    return same;
}

err_code hub_db_published_keys(struct hub_db *db, const char *scope,
                               const char *type, char ***keys, size_t *n)
{
    size_t cap = 0, count = 0;
    char **v = NULL;

    *keys = NULL;
    *n = 0;
    struct sql_stmt *st = hub_db_prep(db, "SELECT key FROM published"
                                      " WHERE scope = ? AND type = ?");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, scope);
    hub_db_bind_text(st, 2, type);
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        if (count == cap)
            v = xrealloc(v, (cap = cap ? cap * 2 : 32) * sizeof *v);
        v[count++] = xstrdup(hub_db_col_text(st, 0));
    }
    err_code e = hub_db_rows_end(db, rc, "published keys");
    sql_finalize(st);
    if (e != ERR_OK) {
        hub_db_keys_free(v, count);
        return e;
    }
    *keys = v;
    *n = count;
    return ERR_OK;
}

void hub_db_keys_free(char **keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
}

err_code hub_db_published_clear(struct hub_db *db, const char *scope,
                                const char *type)
{
    struct sql_stmt *st = hub_db_prep(db, "DELETE FROM published"
                                      " WHERE scope = ? AND type = ?");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, scope);
    hub_db_bind_text(st, 2, type);
    return hub_db_done(db, st, "published clear");
}

err_code hub_db_published_del(struct hub_db *db, const char *scope,
                              const char *type, const char *key)
{
    struct sql_stmt *st = hub_db_prep(db, "DELETE FROM published"
                                      " WHERE scope = ? AND type = ?"
                                      " AND key = ?");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, scope);
    hub_db_bind_text(st, 2, type);
    hub_db_bind_text(st, 3, key);
    return hub_db_done(db, st, "published del");
}

err_code hub_db_published_put(struct hub_db *db, const char *scope,
                              const char *type, const char *key,
                              const char *data)
{
    struct sql_stmt *st = hub_db_prep(db, "INSERT INTO published(scope, type,"
                                      " key, data) VALUES(?,?,?,?)");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, scope);
    hub_db_bind_text(st, 2, type);
    hub_db_bind_text(st, 3, key);
    hub_db_bind_text(st, 4, data);
    return hub_db_done(db, st, "published put");
}

/* What earns points, one row each: a confirmed service log (by its day)
 * and a wish its member fulfilled and the resident signed off (by the
 * time of the sign-off, at the type's points). The star board, the
 * members' totals and so My record all count from here. */
#define CREDITS \
    "(SELECT member_no, station, day, CAST(NULL AS BIGINT) AS at_ms," \
    " points FROM service_logs WHERE status = 'confirmed'" \
    " UNION ALL SELECT assignee, station, CAST(NULL AS TEXT), closed_ms," \
    " points FROM tickets WHERE kind = 'wish' AND state = 'closed'" \
    " AND assignee <> '' AND points > 0)"

err_code hub_db_member_points(struct hub_db *db, const char *station,
                              const char *const since[3],
                              const int64_t since_ms[3],
                              struct hub_member_points **out, size_t *n)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT m.member_no,"
        " coalesce(sum(CASE WHEN l.day >= ?2 OR l.at_ms >= ?5"
        " THEN l.points END), 0),"
        " coalesce(sum(CASE WHEN l.day >= ?3 OR l.at_ms >= ?6"
        " THEN l.points END), 0),"
        " coalesce(sum(CASE WHEN l.day >= ?4 OR l.at_ms >= ?7"
        " THEN l.points END), 0)"
        " FROM members m LEFT JOIN " CREDITS " l"
        " ON l.member_no = m.member_no AND l.station = ?1"
        " AND (l.day >= ?4 OR l.at_ms >= ?7)"
        " WHERE m.station = ?1 GROUP BY m.member_no ORDER BY m.member_no");
    size_t cap = 0;
    enum sql_rc rc;

    *out = NULL;
    *n = 0;
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, station);
    for (int k = 0; k < 3; k++) {
        hub_db_bind_text(st, 2 + k, since[k]);
        sql_bind_int(st, 5 + k, since_ms[k]);
    }
    while ((rc = sql_step(st)) == SQL_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        struct hub_member_points *p = &(*out)[(*n)++];
        str_copy(p->member_no, sizeof p->member_no, hub_db_col_text(st, 0));
        for (int k = 0; k < 3; k++)
            p->points[k] = sql_col_int(st, 1 + k);
    }
    err_code e = hub_db_rows_end(db, rc, "member points");
    sql_finalize(st);
    if (e != ERR_OK) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return e;
}

err_code hub_db_stars_top(struct hub_db *db, const char *station,
                          const char *since, int64_t since_ms,
                          struct hub_star *out, size_t max, size_t *n)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT member_no, sum(points) AS p"
        " FROM " CREDITS " l WHERE station = ?1"
        " AND (day >= ?2 OR at_ms >= ?4) GROUP BY member_no"
        " HAVING sum(points) > 0 ORDER BY p DESC, member_no LIMIT ?3");
    enum sql_rc rc;

    *n = 0;
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, station);
    hub_db_bind_text(st, 2, since);
    sql_bind_int(st, 3, (int64_t)max);
    sql_bind_int(st, 4, since_ms);
    while ((rc = sql_step(st)) == SQL_ROW && *n < max) {
        str_copy(out[*n].member_no, sizeof out[*n].member_no,
                 hub_db_col_text(st, 0));
        out[*n].points = sql_col_int(st, 1);
        (*n)++;
    }
    /* The LIMIT stops the loop at max rows; a row past it is not an error. */
    err_code e = rc == SQL_ROW ? ERR_OK
               : hub_db_rows_end(db, rc, "stars top");
    sql_finalize(st);
    return e;
}

err_code hub_db_member_points_between(struct hub_db *db, const char *station,
                                      const char *from_day,
                                      const char *to_day, int64_t from_ms,
                                      int64_t to_ms,
                                      struct hub_star_named **out, size_t *n)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT l.member_no,"
        " coalesce(max(m.name), ''), sum(l.points) AS p FROM " CREDITS " l"
        " LEFT JOIN members m ON m.member_no = l.member_no"
        " WHERE l.station = ?1 AND ((l.day >= ?2 AND l.day <= ?3)"
        " OR (l.at_ms >= ?4 AND l.at_ms <= ?5)) GROUP BY l.member_no"
        " HAVING sum(l.points) > 0 ORDER BY p DESC, l.member_no");
    size_t cap = 0;
    enum sql_rc rc;

    *out = NULL;
    *n = 0;
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, station);
    hub_db_bind_text(st, 2, from_day);
    hub_db_bind_text(st, 3, to_day);
    sql_bind_int(st, 4, from_ms);
    sql_bind_int(st, 5, to_ms);
    while ((rc = sql_step(st)) == SQL_ROW) {
        if (*n == cap)
            *out = xrealloc(*out, (cap = cap ? 2 * cap : 32) * sizeof **out);
        struct hub_star_named *p = &(*out)[(*n)++];
        str_copy(p->member_no, sizeof p->member_no, hub_db_col_text(st, 0));
        str_copy(p->name, sizeof p->name, hub_db_col_text(st, 1));
        p->points = (int)sql_col_int(st, 2);
    }
    err_code e = hub_db_rows_end(db, rc, "member points between");
    sql_finalize(st);
    if (e != ERR_OK) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return e;
}
