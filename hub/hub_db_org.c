/* hub/hub_db_org.c - the stations of a hierarchy node, the awards as
 * recorded, and registration figures for a set of stations. */
#include "hub/hub_db_org.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "hub/hub_db_board.h"
#include "hub/hub_db_int.h"

err_code hub_db_org_stations(struct hub_db *db, const char *node,
                             char ***ids, size_t *n)
{
    /* Down at most three levels (district, street, community): the
     * station's community, its street, its district. */
    struct sql_stmt *st = hub_db_prep(db,
        "SELECT p.station FROM station_places p"
        " LEFT JOIN org_nodes c ON c.id = p.community"
        " LEFT JOIN org_nodes s ON s.id = c.parent"
        " WHERE p.community = ?1 OR c.parent = ?1 OR s.parent = ?1"
        " UNION SELECT id FROM stations WHERE id = ?1 ORDER BY 1");
    size_t cap = 0;
    *ids = NULL;
    *n = 0;
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, node);
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        if (*n == cap)
            *ids = xrealloc(*ids, (cap = cap ? 2 * cap : 16) * sizeof **ids);
        (*ids)[(*n)++] = xstrdup(hub_db_col_text(st, 0));
    }
    err_code e = hub_db_rows_end(db, rc, "org stations");
    sql_finalize(st);
    if (e != ERR_OK) {
        hub_db_keys_free(*ids, *n);
        *ids = NULL;
        *n = 0;
    }
    return e;
}

err_code hub_db_awards_each(struct hub_db *db, int year,
                            void (*fn)(void *ctx,
                                       const struct hub_award_row *r),
                            void *ctx)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT station, kind, rank,"
        " subject, name, points FROM awards WHERE year = ?1"
        " ORDER BY station, CASE WHEN kind = 'post' THEN 0 ELSE 1 END,"
        " rank, subject");
    if (!st)
        return ERR_DB;
    sql_bind_int(st, 1, year);
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        struct hub_award_row r = {
            .station = hub_db_col_text(st, 0), .kind = hub_db_col_text(st, 1),
            .rank = (int)sql_col_int(st, 2), .subject = hub_db_col_text(st, 3),
            .name = hub_db_col_text(st, 4), .points = (int)sql_col_int(st, 5),
        };
        fn(ctx, &r);
    }
    err_code e = hub_db_rows_end(db, rc, "awards");
    sql_finalize(st);
    return e;
}

/* sql with "{in}" replaced by " AND m.station IN (?first, ...)" for n
 * stations, or by nothing for none. */
static struct sql_stmt *prep_in(struct hub_db *db, const char *sql,
                                const char *const *stations, size_t n,
                                int first)
{
    const char *mark = strstr(sql, "{in}");
    size_t cap = strlen(sql) + 32 + n * 10;
    char *text = xmalloc(cap);
    size_t len = (size_t)(mark - sql);
    memcpy(text, sql, len);
    if (n) {
        len += (size_t)snprintf(text + len, cap - len, " AND m.station IN (");
        for (size_t i = 0; i < n; i++)
            len += (size_t)snprintf(text + len, cap - len, "%s?%d",
                                    i ? "," : "", first + (int)i);
        text[len++] = ')';
    }
    snprintf(text + len, cap - len, "%s", mark + 4);
    struct sql_stmt *st = hub_db_prep(db, text);
    free(text);
    for (size_t i = 0; st && i < n; i++)
        hub_db_bind_text(st, first + (int)i, stations[i]);
    return st;
}

/* Who registered in the window, once each (a member may register at two
 * communities: their residence and the unit's paired one). */
#define REGISTERED_CTE \
    "WITH r AS (SELECT DISTINCT member_no FROM events" \
    " WHERE kind = 'registration' AND (?1 = 0 OR event_ms >= ?1)" \
    " AND (?2 = 0 OR event_ms < ?2))"

err_code hub_db_reg_rates_in(struct hub_db *db, const char *by,
                             int64_t from_ms, int64_t to_ms,
                             const char *const *stations, size_t n,
                             void (*fn)(void *ctx,
                                        const struct hub_reg_rate *r),
                             void *ctx)
{
    bool unit = strcmp(by, "unit") == 0;
    struct sql_stmt *st = prep_in(db, unit
        ? REGISTERED_CTE " SELECT m.work_unit, coalesce(u.name, ''),"
          " count(*), sum(CASE WHEN r.member_no IS NULL THEN 0 ELSE 1 END)"
          " FROM members m LEFT JOIN r ON r.member_no = m.member_no"
          " LEFT JOIN work_units u ON u.code = m.work_unit"
          " WHERE m.active = 1{in} GROUP BY m.work_unit, u.name"
          " ORDER BY m.work_unit"
        : REGISTERED_CTE " SELECT m.community, m.community, count(*),"
          " sum(CASE WHEN r.member_no IS NULL THEN 0 ELSE 1 END)"
          " FROM members m LEFT JOIN r ON r.member_no = m.member_no"
          " WHERE m.active = 1{in} GROUP BY m.community"
          " ORDER BY m.community", stations, n, 3);
    if (!st)
        return ERR_DB;
    sql_bind_int(st, 1, from_ms);
    sql_bind_int(st, 2, to_ms);
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        char group[HUB_UNIT_NAME], name[HUB_UNIT_NAME];
        str_copy(group, sizeof group, hub_db_col_text(st, 0));
        str_copy(name, sizeof name, hub_db_col_text(st, 1));
        struct hub_reg_rate r = {
            .by = unit ? "unit" : "community", .group = group,
            .group_name = name, .on_roster = (int)sql_col_int(st, 2),
            .registered = (int)sql_col_int(st, 3),
        };
        fn(ctx, &r);
    }
    err_code e = hub_db_rows_end(db, rc, "registration rates");
    sql_finalize(st);
    return e;
}

err_code hub_db_unregistered_in(struct hub_db *db,
                                const char *const *stations, size_t n,
                                void (*fn)(void *ctx,
                                           const struct hub_unregistered *m),
                                void *ctx)
{
    struct sql_stmt *st = prep_in(db, "SELECT m.member_no, m.name,"
        " m.community, m.station, m.work_unit, coalesce(u.name, ''),"
        " m.reg_kind FROM members m"
        " LEFT JOIN work_units u ON u.code = m.work_unit"
        " WHERE m.active = 1{in}"
        " AND NOT EXISTS(SELECT 1 FROM events e"
        "  WHERE e.kind = 'registration' AND e.member_no = m.member_no)"
        " ORDER BY m.community, m.member_no", stations, n, 1);
    if (!st)
        return ERR_DB;
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
