/* hub/hub_db_trend.c - check-ins per station and local day (UTC+8). */
#include "hub/hub_db_trend.h"

#include "hub/hub_db_int.h"

/* The console's counts of check-ins by time: the dashboard's per station
 * (station, kind, event_ms >= today / this week) and its trend (kind,
 * event_ms >= 14 days ago) are range scans, not a station's whole year
 * (bench/bench_console.c: 3.9 s a dashboard without them). */
static const char trend_schema[] =
    "CREATE INDEX IF NOT EXISTS events_station_kind_time"
    " ON events(station, kind, event_ms);"
    "CREATE INDEX IF NOT EXISTS events_kind_time ON events(kind, event_ms);"
    /* The pending count per station and the review queue. */
    "CREATE INDEX IF NOT EXISTS service_logs_status"
    " ON service_logs(status, station);"
    /* The fleet's last rollback per kiosk (hub_db_report_fleet, on the
     * dashboard and /fleet): without it, a kiosk that never rolled back
     * has its whole year of events read to find none. Partial: rollbacks
     * are rare, so it costs the uploads nothing. */
    "CREATE INDEX IF NOT EXISTS events_rollback ON events(device, seq)"
    " WHERE kind = 'rollback';";

err_code hub_db_trend_migrate(struct hub_db *db)
{
    return hub_db_schema(db, trend_schema);
}

err_code hub_db_checkins_daily(struct hub_db *db, int64_t from_ms,
                               void (*fn)(void *ctx, const char *station,
                                          int64_t day, int64_t n),
                               void *ctx)
{
    /* The zone as a literal: integer arithmetic on both engines (a bound
     * parameter's type would be guessed by PostgreSQL). */
    struct sql_stmt *st = hub_db_prep(db, "SELECT station,"
        " (event_ms + 28800000) / 86400000, count(*) FROM events"
        " WHERE kind = 'check_in' AND event_ms >= ?1 GROUP BY station,"
        " (event_ms + 28800000) / 86400000");
    if (!st)
        return hub_db_err(db, SQL_ERROR, "check-ins by day");
    sql_bind_int(st, 1, from_ms);
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW)
        fn(ctx, hub_db_col_text(st, 0), sql_col_int(st, 1),
           sql_col_int(st, 2));
    sql_finalize(st);
    return hub_db_rows_end(db, rc, "check-ins by day");
}
