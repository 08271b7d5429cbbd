/* sync/sync_rollback.h - turning the launcher's rollback records
 * (update_rollbacks_read) into durable `rollback` events, which the sync
 * worker uploads like any other. The kiosk calls it once at start-up,
 * with its store open.
 *
 * Exactly once: the events and a meta key `rollbacks_reported` ("<bytes>
 * <FNV-1a 64 hex>" of the log text turned into events) are written in one
 * transaction, then the log is removed. After a crash between the two,
 * the next start finds the same text as the prefix of the log, skips it
 * and reports only lines the launcher appended since. */
#ifndef SYNC_ROLLBACK_H
#define SYNC_ROLLBACK_H

#include <stddef.h>

#include "base/err.h"
#include "firmware/store.h"

#define SYNC_ROLLBACK_META "rollbacks_reported"

/* Report the records under the update root `root`; *reported (optional)
 * gets how many new events were stored. ERR_OK with 0 when there are
 * none; a malformed line is stored with what could be read of it. */
err_code sync_rollbacks_report(struct store *s, const char *root,
                               size_t *reported);

#endif
