/* hub/hub_db_report.h - the queries behind the hub's reports: per member
 * and month, per station and month, the fleet, a device's events. Rows
 * come to a callback; their strings live until it returns. */
#ifndef HUB_DB_REPORT_H
#define HUB_DB_REPORT_H

#include <stdint.h>

#include "base/err.h"
#include "hub/hub_db.h"

#define HUB_REPORT_COLS_MAX 16

/* One row of a report as text, n columns ("" for none). */
typedef void (*hub_db_row_fn)(void *ctx, int n, const char *const *cols);

/* month, member_no, name, station, check_ins, visit_minutes,
 * service_minutes, points; months in the given UTC offset. */
err_code hub_db_report_members(struct hub_db *db, int utc_offset_minutes,
                               hub_db_row_fn fn, void *ctx);
/* month, station, roster_members, members_checked_in, check_ins,
 * check_in_rate. */
err_code hub_db_report_stations(struct hub_db *db, int utc_offset_minutes,
                                hub_db_row_fn fn, void *ctx);
/* device, station, last_contact, age_s, version, queue, clock_offset_ms,
 * acked_seq, state, last_rollback (from the fleet file and the events). */
err_code hub_db_report_fleet(struct hub_db *db, hub_db_row_fn fn,
                             void *ctx);
/* Calls for staff from kiosks, newest first: at (UTC), local time
 * (utc_offset_minutes), station, device, screen, seq. */
err_code hub_db_report_calls(struct hub_db *db, int utc_offset_minutes,
                             hub_db_row_fn fn, void *ctx);

struct hub_event_row {
    int64_t     seq;
    const char *kind;
    const char *member_no;
    int64_t     event_ms;
    int         corrected;
};
/* The events held for device, by seq. */
err_code hub_db_events_each(struct hub_db *db, const char *device,
                            void (*fn)(void *ctx,
                                       const struct hub_event_row *r),
                            void *ctx);

#endif
