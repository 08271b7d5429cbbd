/* hub/hub_stars.h - `hubctl stars`: the star board (星光榜) computed
 * from points. */
#ifndef HUB_STARS_H
#define HUB_STARS_H

#include <stdint.h>
#include <stdio.h>

#include "base/err.h"
#include "hub/hub_db.h"

#define HUB_STARS_TOP 10

/* The star board of `station` computed from the points of its members'
 * confirmed service logs: the top 10 of the month, quarter and year
 * holding now_ms (station time), published like `publish stars` (only
 * what changed; ranks no longer held are deleted), and each member's
 * points and ranks of the three periods as a member_total change to the
 * station's kiosks (only those that changed). Each star of 打擂争星 gets
 * its own board too (items with "board", from the categories mapped to
 * it: hub_points.h). */
err_code hub_stars_publish(struct hub_db *db, const char *station,
                           int64_t now_ms, int utc_offset_minutes,
                           FILE *err, int *changes);

/* Keep every station's boards and member totals fresh: recompute (as
 * hub_stars_publish) each station whose inputs changed since its boards
 * were last computed: a log decided, a wish signed off, the roster, the
 * stars' categories, or a new station day. Cheap when nothing changed
 * (one query); hubctl runs it after a decision and hubd on a timer.
 * *stations (may be NULL): how many were recomputed. */
err_code hub_stars_refresh(struct hub_db *db, int64_t now_ms,
                           int utc_offset_minutes, FILE *err, int *stations);

#endif
