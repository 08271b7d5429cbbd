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
/* Every service log of station (NULL: all) with its verdict, as CSV
 * (device, epoch, seq, station, member_no, category, minutes, day,
 * status, points, method, rating, confirmed_by, reason, served_place,
 * served_ticket, decided_ms). */
err_code hub_review_logs(struct hub_db *db, const char *station, FILE *out);
/* A verdict as staff give it (hubctl confirm|reject, the console). */
struct hub_review_verdict {
    bool        confirm;
    int         points;          /* < 0: by the rule */
    int         method;          /* enum confirm_method; 0: staff; <0 bad */
    int         rating;          /* enum confirm_rating; 0: none; <0 bad */
    const char *by;              /* NULL or "": "staff" */
    const char *reason;          /* a rejection's, required */
    /* Who decided, for the audit log (docs/console.md): a console user's
     * name, or "hubctl:<login>"; NULL: no audit line (old callers). The
     * line (log.confirm / log.reject, object station:ID) is written in
     * the verdict's own transaction. */
    const char *actor;
};
/* Record v on one log in one transaction; the originating kiosk receives
 * a log_status change with the method, rating and reason. ERR_DENIED
 * with *why (a sentence for staff): an unknown method or rating, a
 * rejection without a reason, kiosk_pin (the resident's own). Else as
 * hub_review_decide_in. A log already decided may be decided again (a
 * resident's 不属实 that a call proved wrong). */
err_code hub_review_verdict(struct hub_db *db, const char *device,
                            const char *epoch, uint64_t seq,
                            const struct hub_review_verdict *v,
                            const char **why);
/* Confirm (points < 0: by the rule) or reject one log, in one
 * transaction; the originating kiosk receives a log_status change.
 * ERR_NOTFOUND: no such log; ERR_INVAL: the seq is in several epochs
 * of the device (name the epoch with hub_review_decide_in). */
err_code hub_review_decide(struct hub_db *db, const char *device,
                           uint64_t seq, bool confirm, int points);
/* The same for the log of one epoch (NULL: any, as above). The method
 * is staff; a rejection here carries a stock reason (tests, old tools). */
err_code hub_review_decide_in(struct hub_db *db, const char *device,
                              const char *epoch, uint64_t seq, bool confirm,
                              int points);

#endif
