/* hub/hub_stats.h - the reports for community staff, the street office
 * and the district party committee, as tables (hub/hub_table.h) over a
 * period and a set of stations (hub/hub_filter.h):
 *
 *   checkins  per station: roster, check-ins (人次), members who checked
 *             in (人数), the check-in rate (roster members who checked in
 *             / roster), visit hours; per member: check-ins, days, visit
 *             hours, the last check-in
 *   service   per station and per member: service logs, members who
 *             logged, confirmed, confirmed hours, pending, rejected,
 *             points, the confirmation rate (confirmed / decided)
 *   ledger    per station: requests and small wishes filed, accepted,
 *             answered, closed, overdue, the median days to close,
 *             sign-offs and the satisfaction rate
 *
 * Per-station tables list every station of the filter (zeros included)
 * and end with a total row (station "*"). hubctl and the web console call
 * hub_stats_build and write what it gives (hub_table_csv, hub_xlsx_write),
 * so both show the same figures. */
#ifndef HUB_STATS_H
#define HUB_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "hub/hub_db.h"
#include "hub/hub_filter.h"
#include "hub/hub_table.h"

enum hub_stats_kind {
    HUB_STATS_CHECKINS = 1,
    HUB_STATS_SERVICE,
    HUB_STATS_LEDGER,
};

/* "checkins", "service", "ledger"; 0 for anything else. */
enum hub_stats_kind hub_stats_kind_parse(const char *name);

/* The report's tables into out (per station first, then per member where
 * there is one); the caller frees them with hub_book_free. now judges
 * which tickets are overdue. ERR_NOTFOUND with msg when the filter names
 * a station the hub does not have; a store error otherwise (logged). */
err_code hub_stats_build(struct hub_db *db, enum hub_stats_kind kind,
                         const struct hub_filter *f, enum hub_lang lang,
                         int64_t now, struct hub_book *out, char *msg,
                         size_t cap);

#endif
