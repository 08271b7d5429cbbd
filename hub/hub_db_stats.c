/* hub/hub_db_stats.c - the queries behind the period reports. Each is
 * written once: the only differences between the engines (reading a JSON
 * field) and the station filter are filled into the text by expand().
 * Periods are bound as Unix ms (events, tickets) or local days (service
 * logs carry the day they were done), so no date function of either
 * engine is needed. */
#include "hub/hub_db_stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "hub/hub_db_int.h"

/* The text with each "{st:COL}" replaced by " AND COL IN (?k, ...)" for
 * the filter's stations (numbered from first), or by nothing when it
 * names none; "{min}" by the engine's expression for a check-out's
 * minutes. */
static char *expand(struct hub_db *db, const char *sql,
                    const struct hub_filter *f, int first)
{
    const char *minutes = hub_db_dialect(db,
        "coalesce(json_extract(data, '$.minutes'), 0)",
        "coalesce((data::jsonb ->> 'minutes')::numeric, 0)");
    size_t n = 0;
    char *out = NULL;
    for (int pass = 0; pass < 2; pass++) {
        const char *p = sql;
        n = 0;
        while (*p) {
            char buf[32];
            const char *add = NULL;
            size_t len = 1;
            if (strncmp(p, "{min}", 5) == 0) {
                add = minutes;
                p += 5;
            } else if (strncmp(p, "{st:", 4) == 0) {
                const char *end = strchr(p, '}');
                size_t col = (size_t)(end - p - 4);
                if (f->n_stations > 0) {
                    if (out)
                        n += (size_t)sprintf(out + n, " AND %.*s IN (",
                                             (int)col, p + 4);
                    else
                        n += col + 10;
                    for (size_t i = 0; i < f->n_stations; i++) {
                        int k = snprintf(buf, sizeof buf, "%s?%d",
                                         i ? ", " : "", first + (int)i);
                        if (out)
                            memcpy(out + n, buf, (size_t)k);
                        n += (size_t)k;
                    }
                    if (out)
                        out[n] = ')';
                    n++;
                }
                p = end + 1;
                continue;
            } else {
                if (out)
                    out[n] = *p;
                n++;
                p++;
                continue;
            }
            len = strlen(add);
            if (out)
                memcpy(out + n, add, len);
            n += len;
        }
        if (!out)
            out = xmalloc(n + 1);
    }
    out[n] = '\0';
    return out;
}

/* Prepare the expanded text and bind the stations from `first`. */
static struct sql_stmt *prep(struct hub_db *db, const char *sql,
                             const struct hub_filter *f, int first)
{
    char *text = expand(db, sql, f, first);
    struct sql_stmt *st = hub_db_prep(db, text);
    free(text);
    for (size_t i = 0; st && i < f->n_stations; i++)
        hub_db_bind_text(st, first + (int)i, f->stations[i]);
    return st;
}

static err_code end(struct hub_db *db, struct sql_stmt *st, enum sql_rc rc)
{
    err_code e = hub_db_rows_end(db, rc, "report");
    sql_finalize(st);
    return e;
}

err_code hub_db_stats_stations(struct hub_db *db, const struct hub_filter *f,
                               void (*fn)(void *ctx,
                                          const struct hub_stat_station *r),
                               void *ctx)
{
    struct sql_stmt *st = prep(db, "SELECT id, name FROM stations"
                               " WHERE 1 = 1{st:id} ORDER BY id", f, 1);
    if (!st)
        return ERR_DB;
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        struct hub_stat_station r = { hub_db_col_text(st, 0),
                                      hub_db_col_text(st, 1) };
        fn(ctx, &r);
    }
    return end(db, st, rc);
}

/* Check-ins and check-outs of the period (?1, ?2: Unix ms). */
#define EV_CTE \
    "WITH ev AS (SELECT station, member_no, kind, event_ms, data" \
    "  FROM events WHERE event_ms >= ?1 AND event_ms < ?2" \
    "  AND kind IN ('check_in', 'check_out'){st:station}),"

static const char checkin_stations_sql[] =
    EV_CTE
    " ci AS (SELECT e.station, count(*) AS n,"
    "  count(DISTINCT e.member_no) AS members,"
    "  count(DISTINCT CASE WHEN m.station = e.station AND m.active <> 0"
    "   THEN e.member_no END) AS roster_in"
    "  FROM ev e LEFT JOIN members m ON m.member_no = e.member_no"
    "  WHERE e.kind = 'check_in' GROUP BY e.station),"
    " co AS (SELECT station, sum({min}) AS minutes FROM ev"
    "  WHERE kind = 'check_out' GROUP BY station),"
    " r AS (SELECT station, count(*) AS roster FROM members"
    "  WHERE active <> 0 GROUP BY station)"
    " SELECT s.id, s.name, coalesce(r.roster, 0), coalesce(ci.n, 0),"
    "  coalesce(ci.members, 0), coalesce(ci.roster_in, 0),"
    "  CAST(coalesce(co.minutes, 0) AS BIGINT)"
    " FROM stations s LEFT JOIN r ON r.station = s.id"
    " LEFT JOIN ci ON ci.station = s.id LEFT JOIN co ON co.station = s.id"
    " WHERE 1 = 1{st:s.id} ORDER BY s.id";

err_code hub_db_stats_checkin_stations(
    struct hub_db *db, const struct hub_filter *f,
    void (*fn)(void *ctx, const struct hub_stat_checkin_station *r),
    void *ctx)
{
    int64_t from, to;
    hub_filter_ms(f, &from, &to);
    struct sql_stmt *st = prep(db, checkin_stations_sql, f, 3);
    if (!st)
        return ERR_DB;
    sql_bind_int(st, 1, from);
    sql_bind_int(st, 2, to);
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        struct hub_stat_checkin_station r = {
            .station = hub_db_col_text(st, 0),
            .name = hub_db_col_text(st, 1),
            .roster = sql_col_int(st, 2),
            .check_ins = sql_col_int(st, 3),
            .members = sql_col_int(st, 4),
            .roster_checked_in = sql_col_int(st, 5),
            .visit_minutes = sql_col_int(st, 6),
        };
        fn(ctx, &r);
    }
    return end(db, st, rc);
}

/* ?3: the UTC offset in ms, for local days. */
static const char checkin_members_sql[] =
    EV_CTE
    " c AS (SELECT station, member_no, count(*) AS n,"
    "  count(DISTINCT (event_ms + ?3) / 86400000) AS days,"
    "  max(event_ms) AS last_ms FROM ev WHERE kind = 'check_in'"
    "  GROUP BY station, member_no),"
    " co AS (SELECT station, member_no, sum({min}) AS minutes FROM ev"
    "  WHERE kind = 'check_out' GROUP BY station, member_no),"
    " k AS (SELECT station, member_no FROM members"
    "  WHERE active <> 0{st:station}"
    "  UNION SELECT station, member_no FROM c"
    "  UNION SELECT station, member_no FROM co)"
    " SELECT k.station, k.member_no, coalesce(m.name, ''),"
    "  coalesce(c.n, 0), coalesce(c.days, 0),"
    "  CAST(coalesce(co.minutes, 0) AS BIGINT), coalesce(c.last_ms, 0)"
    " FROM k LEFT JOIN c ON c.station = k.station"
    "  AND c.member_no = k.member_no"
    " LEFT JOIN co ON co.station = k.station AND co.member_no = k.member_no"
    " LEFT JOIN members m ON m.member_no = k.member_no"
    " ORDER BY k.station, k.member_no";

err_code hub_db_stats_checkin_members(
    struct hub_db *db, const struct hub_filter *f,
    void (*fn)(void *ctx, const struct hub_stat_checkin_member *r),
    void *ctx)
{
    int64_t from, to;
    hub_filter_ms(f, &from, &to);
    struct sql_stmt *st = prep(db, checkin_members_sql, f, 4);
    if (!st)
        return ERR_DB;
    sql_bind_int(st, 1, from);
    sql_bind_int(st, 2, to);
    sql_bind_int(st, 3, (int64_t)f->utc_offset * 60000);
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        struct hub_stat_checkin_member r = {
            .station = hub_db_col_text(st, 0),
            .member_no = hub_db_col_text(st, 1),
            .name = hub_db_col_text(st, 2),
            .check_ins = sql_col_int(st, 3),
            .days = sql_col_int(st, 4),
            .visit_minutes = sql_col_int(st, 5),
            .last_ms = sql_col_int(st, 6),
        };
        fn(ctx, &r);
    }
    return end(db, st, rc);
}

/* Service logs of the local days [?1, ?2]. */
#define SERVICE_SUMS \
    " count(*) AS logs, count(DISTINCT member_no) AS members," \
    " sum(CASE WHEN status = 'confirmed' THEN 1 ELSE 0 END) AS confirmed," \
    " sum(CASE WHEN status = 'confirmed' THEN minutes ELSE 0 END)" \
    "  AS minutes," \
    " sum(CASE WHEN status = 'pending' THEN 1 ELSE 0 END) AS pending," \
    " sum(CASE WHEN status = 'rejected' THEN 1 ELSE 0 END) AS rejected," \
    " sum(CASE WHEN status = 'confirmed' THEN points ELSE 0 END) AS points" \
    " FROM service_logs WHERE day >= ?1 AND day <= ?2{st:station}"
#define SERVICE_COLS(a) \
    " coalesce(" a ".logs, 0), coalesce(" a ".members, 0)," \
    " CAST(coalesce(" a ".confirmed, 0) AS BIGINT)," \
    " CAST(coalesce(" a ".minutes, 0) AS BIGINT)," \
    " CAST(coalesce(" a ".pending, 0) AS BIGINT)," \
    " CAST(coalesce(" a ".rejected, 0) AS BIGINT)," \
    " CAST(coalesce(" a ".points, 0) AS BIGINT)"

static const char service_stations_sql[] =
    "WITH a AS (SELECT station," SERVICE_SUMS " GROUP BY station)"
    " SELECT s.id, NULL, s.name," SERVICE_COLS("a")
    " FROM stations s LEFT JOIN a ON a.station = s.id"
    " WHERE 1 = 1{st:s.id} ORDER BY s.id";

static const char service_members_sql[] =
    "WITH a AS (SELECT station, member_no," SERVICE_SUMS
    " GROUP BY station, member_no)"
    " SELECT a.station, a.member_no, coalesce(m.name, '')," SERVICE_COLS("a")
    " FROM a LEFT JOIN members m ON m.member_no = a.member_no"
    " ORDER BY a.station, a.member_no";

err_code hub_db_stats_service(struct hub_db *db, const struct hub_filter *f,
                              bool per_member,
                              void (*fn)(void *ctx,
                                         const struct hub_stat_service *r),
                              void *ctx)
{
    struct sql_stmt *st = prep(db, per_member ? service_members_sql
                                              : service_stations_sql, f, 3);
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, f->from);
    hub_db_bind_text(st, 2, f->to);
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        struct hub_stat_service r = {
            .station = hub_db_col_text(st, 0),
            .member_no = per_member ? hub_db_col_text(st, 1) : NULL,
            .name = hub_db_col_text(st, 2),
            .logs = sql_col_int(st, 3),
            .members = sql_col_int(st, 4),
            .confirmed = sql_col_int(st, 5),
            .confirmed_minutes = sql_col_int(st, 6),
            .pending = sql_col_int(st, 7),
            .rejected = sql_col_int(st, 8),
            .points = sql_col_int(st, 9),
        };
        fn(ctx, &r);
    }
    return end(db, st, rc);
}

err_code hub_db_stats_tickets(struct hub_db *db, const struct hub_filter *f,
                              void (*fn)(void *ctx,
                                         const struct hub_stat_ticket *r),
                              void *ctx)
{
    int64_t from, to;
    hub_filter_ms(f, &from, &to);
    struct sql_stmt *st = prep(db, "SELECT station, kind, state, filed_ms,"
        " accepted_ms, answered_ms, closed_ms, deadline_ms, signoffs,"
        " satisfied FROM tickets WHERE filed_ms >= ?1 AND filed_ms < ?2"
        "{st:station} ORDER BY station, filed_ms, ticket", f, 3);
    if (!st)
        return ERR_DB;
    sql_bind_int(st, 1, from);
    sql_bind_int(st, 2, to);
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        struct hub_stat_ticket r = {
            .station = hub_db_col_text(st, 0),
            .kind = hub_db_col_text(st, 1),
            .state = hub_db_col_text(st, 2),
            .filed_ms = sql_col_int(st, 3),
            .accepted_ms = sql_col_int(st, 4),
            .answered_ms = sql_col_int(st, 5),
            .closed_ms = sql_col_int(st, 6),
            .deadline_ms = sql_col_int(st, 7),
            .signoffs = (int)sql_col_int(st, 8),
            .satisfied = (int)sql_col_int(st, 9),
        };
        fn(ctx, &r);
    }
    return end(db, st, rc);
}
