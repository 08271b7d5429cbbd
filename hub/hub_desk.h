/* hub/hub_desk.h - the duty desk's log for staff: `hubctl desk-log`
 * (and anything else that shows it) calls this one function. */
#ifndef HUB_DESK_H
#define HUB_DESK_H

#include <stdio.h>

#include "base/err.h"
#include "hub/hub_db.h"

/* The visitors of local day `day` ("YYYY-MM-DD"; NULL: today at
 * utc_offset minutes east of UTC) of one station (NULL: every station)
 * as spreadsheet-safe CSV (base/csv.h): station, day, time (local),
 * member_no, name, type, building, unit, text, outcome (done, passed_on,
 * cannot), reason, ticket. ERR_INVAL: a malformed day (said on err). */
err_code hub_desk_log_csv(struct hub_db *db, const char *station,
                          const char *day, int utc_offset, FILE *out,
                          FILE *err);

#endif
