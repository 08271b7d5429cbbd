/* hub/hub_db_trend.h - check-ins per station and local day since a time:
 * the console dashboard's trend chart (web/page_dashboard.c). */
#ifndef HUB_DB_TREND_H
#define HUB_DB_TREND_H

#include <stdint.h>

#include "base/err.h"
#include "hub/hub_db.h"

/* For each station with check-ins at or after from_ms: fn(station, day,
 * n), day being the local day number (days since 1970-01-01 in the
 * stations' zone, UTC+8) and n that day's check-ins. Any order. */
err_code hub_db_checkins_daily(struct hub_db *db, int64_t from_ms,
                               void (*fn)(void *ctx, const char *station,
                                          int64_t day, int64_t n),
                               void *ctx);

/* Its indexes (from hub_db_open). */
err_code hub_db_trend_migrate(struct hub_db *db);

#endif
