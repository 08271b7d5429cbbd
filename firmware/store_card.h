/* firmware/store_card.h - what the kiosk keeps for checking signed cards:
 * the hub's credential public keys and the revocation list, both filled
 * from the change feed (types "credential_key" and "revocation"). Part of
 * the store module; the queries live in store_card.c. */
#ifndef STORE_CARD_H
#define STORE_CARD_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "base/sig_key.h"
#include "firmware/store.h"

/* The key with this id: its uncompressed P-256 point and the time after
 * which cards signed by it are refused. ERR_NOTFOUND: no such key;
 * ERR_CORRUPT: the stored key is not a base64url point. */
err_code store_card_key_get(struct store *s, const char *kid,
                            uint8_t point[SIG_KEY_PUB_LEN],
                            int64_t *not_after_ms);
/* Add or replace a key (the change feed does this; so do tests and the
 * demo). public_key is base64url of the 65-byte point. */
err_code store_card_key_put(struct store *s, const char *kid,
                            const char *public_key, int64_t not_after_ms);
/* Whether credential id ("M.HQ0001.3") is on the revocation list. */
err_code store_card_revoked(struct store *s, const char *card_id,
                            bool *revoked);
/* The latest hub time this kiosk learned (struct store_sync_state): the
 * last change page's, or the sync worker's last round plus the hub's
 * offset, whichever is later; 0 if neither is known. */
int64_t  store_card_hub_time(struct store *s);

#endif
