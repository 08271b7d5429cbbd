/* hub/hub_db_report.c - the queries behind the hub's CSV reports. */
#include "hub/hub_db_report.h"

#include <stdio.h>

#include "hub/hub_db_int.h"

/* The members report after its visits CTE (v): service per month, the
 * union of both, and the rows; the same text on both engines. */
#define MEMBERS_TAIL \
    " s AS (SELECT substr(l.day, 1, 7) AS month, l.member_no, l.station," \
    "  sum(l.minutes) AS service_minutes, sum(l.points) AS points" \
    "  FROM service_logs l WHERE l.status = 'confirmed'" \
    "  GROUP BY 1, 2, 3)," \
    " k AS (SELECT month, member_no, station FROM v UNION" \
    "  SELECT month, member_no, station FROM s)" \
    " SELECT k.month, k.member_no, coalesce(m.name, ''), k.station," \
    "  coalesce(v.check_ins, 0), coalesce(v.visit_minutes, 0)," \
    "  coalesce(s.service_minutes, 0), coalesce(s.points, 0)" \
    " FROM k LEFT JOIN v USING(month, member_no, station)" \
    " LEFT JOIN s USING(month, member_no, station)" \
    " LEFT JOIN members m ON m.member_no = k.member_no" \
    " ORDER BY k.month, k.station, k.member_no"

static const char members_sql[] =
    "WITH ev AS (SELECT strftime('%Y-%m', event_ms / 1000, 'unixepoch',"
    "  ?1) AS month, * FROM events),"
    " v AS (SELECT month, member_no, station,"
    "  sum(kind = 'check_in') AS check_ins,"
    "  sum(CASE WHEN kind = 'check_out' THEN"
    "   coalesce(json_extract(data, '$.minutes'), 0) ELSE 0 END)"
    "   AS visit_minutes FROM ev GROUP BY month, member_no, station),"
    MEMBERS_TAIL;

static const char stations_sql[] =
    "WITH ci AS (SELECT strftime('%Y-%m', event_ms / 1000, 'unixepoch',"
    "  ?1) AS month, station, member_no FROM events"
    "  WHERE kind = 'check_in'),"
    " r AS (SELECT station, count(*) AS roster FROM members"
    "  WHERE active GROUP BY station)"
    " SELECT ci.month, ci.station, coalesce(r.roster, 0),"
    "  count(DISTINCT ci.member_no), count(*),"
    "  printf('%.3f', CASE WHEN coalesce(r.roster, 0) = 0 THEN 0 ELSE"
    "   count(DISTINCT ci.member_no) * 1.0 / r.roster END)"
    " FROM ci LEFT JOIN r USING(station)"
    " GROUP BY ci.month, ci.station ORDER BY 1, 2";

static const char fleet_sql[] =
    "SELECT d.id, d.station, CASE WHEN s.last_seen_ms IS NULL THEN"
    "  'never' ELSE strftime('%Y-%m-%dT%H:%M:%SZ', s.last_seen_ms / 1000,"
    "  'unixepoch') END,"
    " CASE WHEN s.last_seen_ms IS NULL THEN '' ELSE"
    "  (CAST(strftime('%s','now') AS INTEGER) * 1000 - s.last_seen_ms)"
    "  / 1000 END,"
    " coalesce(s.version, ''), coalesce(s.queue, ''),"
    " coalesce(s.offset_ms, ''), d.acked,"
    " CASE WHEN d.revoked THEN 'revoked' ELSE 'enrolled' END,"
    " coalesce((SELECT strftime('%Y-%m-%dT%H:%M:%SZ', e.event_ms / 1000,"
    "  'unixepoch') || ' ' || json_extract(e.data, '$.from') || '->' ||"
    "  json_extract(e.data, '$.to') || ' (' ||"
    "  json_extract(e.data, '$.reason') || ')' FROM events e"
    "  WHERE e.device = d.id AND e.kind = 'rollback'"
    "  ORDER BY e.seq DESC LIMIT 1), '')"
    " FROM devices d LEFT JOIN fleet.seen s ON s.device = d.id"
    " WHERE ?1 IS NOT NULL ORDER BY d.station, d.id";

/* Make the fleet file readable as "fleet." on the main connection. */
/* ---- the same three on PostgreSQL (?1 is read as an interval) ---- */

#define PG_MONTH(col) "to_char((to_timestamp(" col " / 1000) AT TIME ZONE" \
    " 'UTC') + CAST(?1 AS interval), 'YYYY-MM')"
#define PG_STAMP(col) "to_char(to_timestamp(" col " / 1000) AT TIME ZONE" \
    " 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

static const char members_pg[] =
    "WITH ev AS (SELECT " PG_MONTH("event_ms") " AS month, * FROM events),"
    " v AS (SELECT month, member_no, station,"
    "  sum(CASE WHEN kind = 'check_in' THEN 1 ELSE 0 END) AS check_ins,"
    "  sum(CASE WHEN kind = 'check_out' THEN"
    "   coalesce((data::jsonb ->> 'minutes')::numeric, 0) ELSE 0 END)"
    "   AS visit_minutes FROM ev GROUP BY month, member_no, station),"
    MEMBERS_TAIL;

static const char stations_pg[] =
    "WITH ci AS (SELECT " PG_MONTH("event_ms") " AS month, station,"
    "  member_no FROM events WHERE kind = 'check_in'),"
    " r AS (SELECT station, count(*) AS roster FROM members"
    "  WHERE active <> 0 GROUP BY station)"
    " SELECT ci.month, ci.station, coalesce(r.roster, 0),"
    "  count(DISTINCT ci.member_no), count(*),"
    "  round(CASE WHEN coalesce(r.roster, 0) = 0 THEN 0 ELSE"
    "   count(DISTINCT ci.member_no) * 1.0 / r.roster END, 3)::text"
    " FROM ci LEFT JOIN r USING(station)"
    " GROUP BY ci.month, ci.station, r.roster ORDER BY 1, 2";

static const char fleet_pg[] =
    "SELECT d.id, d.station, CASE WHEN s.last_seen_ms IS NULL THEN"
    "  'never' ELSE " PG_STAMP("s.last_seen_ms") " END,"
    " CASE WHEN s.last_seen_ms IS NULL THEN '' ELSE"
    "  ((CAST(extract(epoch FROM now()) AS BIGINT) * 1000"
    "   - s.last_seen_ms) / 1000)::text END,"
    " coalesce(s.version, ''), coalesce(s.queue::text, ''),"
    " coalesce(s.offset_ms::text, ''), d.acked,"
    " CASE WHEN d.revoked <> 0 THEN 'revoked' ELSE 'enrolled' END,"
    " coalesce((SELECT " PG_STAMP("e.event_ms") " || ' ' ||"
    "  (e.data::jsonb ->> 'from') || '->' || (e.data::jsonb ->> 'to') ||"
    "  ' (' || (e.data::jsonb ->> 'reason') || ')' FROM events e"
    "  WHERE e.device = d.id AND e.kind = 'rollback'"
    "  ORDER BY e.seq DESC LIMIT 1), '')"
    " FROM devices d LEFT JOIN fleet.seen s ON s.device = d.id"
    " WHERE ?1 IS NOT NULL ORDER BY d.station, d.id";

/* SQLite reads the fleet file attached to the main connection; on
 * PostgreSQL it is the schema fleet of the same database. */
static err_code attach_fleet(struct hub_db *db)
{
    if (db->attached || sql_dialect(db->db) == SQL_POSTGRES)
        return ERR_OK;
    char sql[1200], *o = sql;
    o += sprintf(o, "ATTACH DATABASE '");
    for (const char *p = db->path; *p && o < sql + sizeof sql - 40; p++) {
        if (*p == '\'')
            *o++ = '\'';
        *o++ = *p;
    }
    sprintf(o, "-fleet' AS fleet");
    err_code e = hub_db_exec(db, sql);
    if (e == ERR_OK)
        db->attached = true;
    return e;
}

static err_code rows(struct hub_db *db, const char *sql, int offset_min,
                     hub_db_row_fn fn, void *ctx)
{
    struct sql_stmt *st = hub_db_prep(db, sql);
    if (!st)
        return ERR_DB;
    char mod[32];
    snprintf(mod, sizeof mod, "%+d minutes", offset_min);
    hub_db_bind_text(st, 1, mod);
    int cols = sql_col_count(st);
    const char *v[HUB_REPORT_COLS_MAX];
    if (cols > HUB_REPORT_COLS_MAX)
        cols = HUB_REPORT_COLS_MAX;
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        for (int i = 0; i < cols; i++)
            v[i] = hub_db_col_text(st, i);
        fn(ctx, cols, v);
    }
    err_code e = hub_db_rows_end(db, rc, "report");
    sql_finalize(st);
    return e;
}

err_code hub_db_report_members(struct hub_db *db, int utc_offset_minutes,
                               hub_db_row_fn fn, void *ctx)
{
    return rows(db, hub_db_dialect(db, members_sql, members_pg),
                utc_offset_minutes, fn, ctx);
}

err_code hub_db_report_stations(struct hub_db *db, int utc_offset_minutes,
                                hub_db_row_fn fn, void *ctx)
{
    return rows(db, hub_db_dialect(db, stations_sql, stations_pg),
                utc_offset_minutes, fn, ctx);
}

err_code hub_db_report_fleet(struct hub_db *db, hub_db_row_fn fn, void *ctx)
{
    err_code e = attach_fleet(db);
    return e == ERR_OK ? rows(db, hub_db_dialect(db, fleet_sql, fleet_pg),
                              0, fn, ctx) : e;
}

err_code hub_db_events_each(struct hub_db *db, const char *device,
                            void (*fn)(void *ctx,
                                       const struct hub_event_row *r),
                            void *ctx)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT seq, kind, member_no,"
                                      " event_ms, corrected FROM events"
                                      " WHERE device = ? ORDER BY seq");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, device);
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        struct hub_event_row r = {
            .seq = sql_col_int(st, 0),
            .kind = hub_db_col_text(st, 1),
            .member_no = hub_db_col_text(st, 2),
            .event_ms = sql_col_int(st, 3),
            .corrected = sql_col_int(st, 4),
        };
        fn(ctx, &r);
    }
    err_code e = hub_db_rows_end(db, rc, "events");
    sql_finalize(st);
    return e;
}

static const char calls_sql[] =
    "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', e.event_ms / 1000, 'unixepoch'),"
    " strftime('%Y-%m-%d %H:%M', e.event_ms / 1000, 'unixepoch', ?1),"
    " e.station, e.device, coalesce(json_extract(e.data, '$.screen'), ''),"
    " e.seq FROM events e WHERE e.kind = 'call_staff'"
    " ORDER BY e.event_ms DESC, e.device, e.seq DESC";

static const char calls_pg[] =
    "SELECT " PG_STAMP("e.event_ms") ","
    " to_char((to_timestamp(e.event_ms / 1000) AT TIME ZONE 'UTC')"
    "  + CAST(?1 AS interval), 'YYYY-MM-DD HH24:MI'),"
    " e.station, e.device, coalesce(e.data::jsonb ->> 'screen', ''),"
    " e.seq FROM events e WHERE e.kind = 'call_staff'"
    " ORDER BY e.event_ms DESC, e.device, e.seq DESC";

err_code hub_db_report_calls(struct hub_db *db, int utc_offset_minutes,
                             hub_db_row_fn fn, void *ctx)
{
    return rows(db, hub_db_dialect(db, calls_sql, calls_pg),
                utc_offset_minutes, fn, ctx);
}
