/* hub/hub_fresh.h - hubd keeps the star boards and the members' totals
 * fresh by itself (hub_stars_refresh): a thread with its own connection
 * checks every few seconds whether a station's inputs changed (a log
 * decided by hubctl or another hubd, a wish signed off, a new day) and
 * recomputes only those stations, so every kiosk gets the points the
 * board shows without anybody running `hubctl stars`. */
#ifndef HUB_FRESH_H
#define HUB_FRESH_H

#include <stdint.h>

#include "base/err.h"

struct hub_fresh;

struct hub_fresh_opts {
    const char *db_path;            /* hub.db or a PostgreSQL URL */
    int64_t     every_ms;           /* between checks */
    int         utc_offset_minutes; /* the stations' day */
};

err_code hub_fresh_start(const struct hub_fresh_opts *o,
                         struct hub_fresh **out);
/* Stations recomputed so far (tests wait on it). */
int      hub_fresh_recomputed(struct hub_fresh *f);
/* Checks done so far, failed or not. */
int      hub_fresh_runs(struct hub_fresh *f);
void     hub_fresh_stop(struct hub_fresh *f);           /* NULL: no-op */

#endif
