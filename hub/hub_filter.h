/* hub/hub_filter.h - what a report covers: a period of local days and a
 * set of stations. hubctl fills it from --from/--to, --month, --quarter,
 * --year and repeated --station; the web console from its form, turning
 * a node of the hierarchy (district, street, community) into its
 * stations. The queries of hub/hub_db_stats.h read it. */
#ifndef HUB_FILTER_H
#define HUB_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define HUB_FILTER_STATIONS_MAX 2000   /* a district's stations, and room */

struct hub_filter {
    /* Local days, both included, YYYY-MM-DD. A day is the stations'
     * calendar day: utc_offset minutes east of UTC (the hub's
     * --utc-offset, 480 for China), so 2026-03-01 starts at
     * 2026-02-28T16:00Z with 480. */
    char               from[11], to[11];
    int                utc_offset;
    /* Station ids; none: every station. Not copied. */
    const char *const *stations;
    size_t             n_stations;
};

/* Set the period from one of: "month" YYYY-MM, "quarter" YYYY-Qn,
 * "year" YYYY, or "from" and "to" YYYY-MM-DD (call twice). ERR_INVAL
 * with the reason in msg when the value is malformed. */
err_code hub_filter_period(struct hub_filter *f, const char *how,
                           const char *value, char *msg, size_t cap);
/* After the options: a period given by halves or none at all is made
 * whole (no period: the month holding now; only --from: up to today;
 * only --to: refused) and checked (from <= to, years 2000-2199).
 * ERR_INVAL with the reason in msg. */
err_code hub_filter_done(struct hub_filter *f, int64_t now, char *msg,
                         size_t cap);
/* The period as Unix ms [from, to): the first local day's start and the
 * day after the last one's. */
void     hub_filter_ms(const struct hub_filter *f, int64_t *from_ms,
                       int64_t *to_ms);
/* Local day numbers of from and to (days since 1970-01-01). */
void     hub_filter_days(const struct hub_filter *f, int64_t *d0,
                         int64_t *d1);

#endif
