/* hub/hub_db_review.h - service logs awaiting a decision, and the
 * decisions: the store's side of `hubctl pending|confirm|reject`. */
#ifndef HUB_DB_REVIEW_H
#define HUB_DB_REVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "hub/hub_db.h"

/* One pending log; the strings live until the callback returns. */
struct hub_pending {
    const char *device;
    const char *epoch;            /* the kiosk's sequence epoch ("" old) */
    int64_t     seq;
    const char *station;
    const char *member_no;
    const char *name;             /* "" when not on the roster */
    const char *category;
    int         minutes;
    const char *day;
    const char *note;
    const char *served_place;     /* "BUILDING/UNIT" or "" */
    const char *served_ticket;    /* a ledger ticket / 微心愿 or "" */
};

/* Each pending log by station, device and seq. */
err_code hub_db_pending_each(struct hub_db *db,
                             void (*fn)(void *ctx,
                                        const struct hub_pending *p),
                             void *ctx);
/* A log's key: epoch NULL finds the seq in any epoch of the device. */
struct hub_log_key {
    const char *device;
    const char *epoch;
    uint64_t    seq;
};
/* The station, epoch (cap bytes each) and minutes of one log;
 * ERR_NOTFOUND; ERR_INVAL when no epoch was given and the seq is in
 * several (a replaced or restored kiosk). */
err_code hub_db_log_get(struct hub_db *db, const struct hub_log_key *k,
                        char *station, char *epoch, size_t cap,
                        int *minutes);
/* Record a decision: status "confirmed" or "rejected", with its points
 * (k->epoch must be set). */
err_code hub_db_log_decide(struct hub_db *db, const struct hub_log_key *k,
                           const char *status, int points);

#endif
