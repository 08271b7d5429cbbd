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
 * station's kiosks (only those that changed). */
err_code hub_stars_publish(struct hub_db *db, const char *station,
                           int64_t now_ms, int utc_offset_minutes,
                           FILE *err, int *changes);

#endif
