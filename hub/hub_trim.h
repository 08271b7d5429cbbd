/* hub/hub_trim.h - hubd trims the kiosks' change log by itself
 * (hub_db_feed_trim, sync/PROTOCOL.md "Snapshots and the trim"): a thread
 * with its own connection runs a trim a while after start and then at a
 * fixed interval, and stops at once when asked. */
#ifndef HUB_TRIM_H
#define HUB_TRIM_H

#include <stdint.h>

#include "base/err.h"
#include "hub/hub_db.h"

struct hub_trim;

struct hub_trim_opts {
    const char          *db_path;     /* hub.db */
    struct hub_feed_rule rule;
    int64_t              first_ms;    /* after start */
    int64_t              every_ms;    /* then */
};

err_code hub_trim_start(const struct hub_trim_opts *o, struct hub_trim **out);
/* Trims run so far (tests wait on it). */
int      hub_trim_runs(struct hub_trim *t);
/* Stop (waiting for a trim under way to end) and free. */
void     hub_trim_stop(struct hub_trim *t);              /* NULL: no-op */

#endif
