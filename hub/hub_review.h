/* hub/hub_review.h - `hubctl pending|confirm|reject`: service logs the
 * kiosks uploaded, awaiting a decision. */
#ifndef HUB_REVIEW_H
#define HUB_REVIEW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/err.h"
#include "hub/hub_db.h"

/* Pending service logs as CSV (device, seq, station, member_no, name,
 * category, minutes, day, note, epoch). */
err_code hub_review_pending(struct hub_db *db, FILE *out);
/* Confirm (points < 0: by the rule) or reject one log, in one
 * transaction; the originating kiosk receives a log_status change.
 * ERR_NOTFOUND: no such log; ERR_INVAL: the seq is in several epochs
 * of the device (name the epoch with hub_review_decide_in). */
err_code hub_review_decide(struct hub_db *db, const char *device,
                           uint64_t seq, bool confirm, int points);
/* The same for the log of one epoch (NULL: any, as above). */
err_code hub_review_decide_in(struct hub_db *db, const char *device,
                              const char *epoch, uint64_t seq, bool confirm,
                              int points);

#endif
