/* hub/hub_db_cards.h - the store's record of the cards the hub signed
 * through the console (hub/hub_card_office.h): kind, holder, the
 * station it is scoped to, serial, validity, the card text (to print it
 * again) and whether and why it was revoked. cards.json (hub/hub_card.h)
 * stays the signer's state (keys, last serials, the revocation list
 * kiosks get); this table is what staff see and print. */
#ifndef HUB_DB_CARDS_H
#define HUB_DB_CARDS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/card.h"
#include "base/err.h"
#include "hub/hub_db.h"

struct hub_card_rec {
    char    card_id[CARD_CARD_ID];        /* "M.HQ0001.3" */
    char    kind;                         /* 'M', 'R' or 'T' */
    char    holder[CARD_ID_MAX + 1];      /* member number or technician */
    char    station[CARD_SCOPE_MAX + 1];  /* scope: station, "pre*" or "*" */
    int64_t serial;
    int64_t issued_day, expires_day;      /* days since 1970 */
    char    text[CARD_TEXT_MAX + 1];      /* the signed card, as printed */
    int64_t issued_ms;
    char    issued_by[64];
    int64_t revoked_ms;                   /* 0: not revoked */
    char    revoked_by[64];
    char    reason[256];
};

err_code hub_db_cards_migrate(struct hub_db *db);
/* Record a card just signed (card_id is new: serials only grow). */
err_code hub_db_card_put(struct hub_db *db, const struct hub_card_rec *r);
/* A card by its credential id; ERR_NOTFOUND. */
err_code hub_db_card_get(struct hub_db *db, const char *card_id,
                         struct hub_card_rec *out);
/* Mark it revoked (kept if it already was); ERR_NOTFOUND. */
err_code hub_db_card_set_revoked(struct hub_db *db, const char *card_id,
                                 int64_t ms, const char *by,
                                 const char *reason);
/* Cards of station (NULL: every card), newest first, at most limit;
 * `holder` non-empty keeps one holder's. */
err_code hub_db_cards_each(struct hub_db *db, const char *station,
                           const char *holder, int limit,
                           void (*fn)(void *ctx,
                                      const struct hub_card_rec *r),
                           void *ctx);

#endif
