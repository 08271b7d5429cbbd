/* firmware/store_card.c - the credential key table and the revocation
 * list, read when a card is scanned and written from the change feed.
 * Must not: verify anything (base/card.c does, given what this
 * returns). */
#include "firmware/store_int.h"
#include "firmware/store_card.h"

#include <stdlib.h>
#include <string.h>

#include "base/card.h"

#define KEY_B64_MAX 128

err_code store_card_key_get(struct store *s, const char *kid,
                            uint8_t point[SIG_KEY_PUB_LEN],
                            int64_t *not_after_ms)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT public_key, not_after_ms"
                                  " FROM credential_keys WHERE kid = ?");
    char b64[KEY_B64_MAX];
    err_code e;
    int rc;

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, kid, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? ERR_NOTFOUND : store_err(s, rc, "key get");
    }
    store_col_text(st, 0, b64, sizeof b64);
    *not_after_ms = sqlite3_column_int64(st, 1);
    sqlite3_reset(st);
    e = card_b64url_decode(b64, strlen(b64), point, SIG_KEY_PUB_LEN);
    return e == ERR_OK ? ERR_OK : ERR_CORRUPT;
}

err_code store_card_key_put(struct store *s, const char *kid,
                            const char *public_key, int64_t not_after_ms)
{
    uint8_t point[SIG_KEY_PUB_LEN];
    sqlite3_stmt *st;

    /* Keep only keys the verifier can use: a bad one is the hub's bug. */
    if (card_b64url_decode(public_key, strlen(public_key), point,
                           sizeof point) != ERR_OK)
        return ERR_PROTO;
    st = store_stmt(s, "INSERT OR REPLACE INTO credential_keys"
                    "(kid, public_key, not_after_ms) VALUES(?, ?, ?)");
    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, kid, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, public_key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, not_after_ms);
    return store_step_done(s, st, "key put");
}

err_code store_card_revoked(struct store *s, const char *card_id,
                            bool *revoked)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM revocations"
                                  " WHERE id = ?");
    int rc;

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, card_id, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_err(s, rc, "revoked");
    *revoked = rc == SQLITE_ROW;
    return ERR_OK;
}

int64_t store_card_hub_time(struct store *s)
{
    struct store_sync_state ss;
    int64_t t;

    if (store_sync_state_get(s, &ss) != ERR_OK)
        return 0;
    t = ss.hub_time_ms;
    /* The sync worker keeps our clock at the last good round and the
     * hub's lead over it then: together, the hub's time at that round. */
    if (ss.last_sync_ms > 0 && ss.hub_offset_known &&
        ss.last_sync_ms + ss.hub_offset_ms > t)
        t = ss.last_sync_ms + ss.hub_offset_ms;
    return t;
}
