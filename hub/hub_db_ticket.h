/* hub/hub_db_ticket.h - TLS session-ticket keys kept in the hub's store,
 * so a restarted hubd, and every hubd on one PostgreSQL store, resumes
 * the sessions the others issued: a kiosk reconnecting after a restart
 * (or landing on the other hub behind a load balancer) costs a resumed
 * handshake, not a full one.
 *
 * The key with the highest id is the one to issue tickets with; older
 * ones still decrypt tickets until pruned. Rotation is the caller's: when
 * the newest is older than its period, put a fresh one and read the
 * newest again (two hubds rotating at once then agree on one). The
 * store holds them as any other row: the hub's store is already
 * readable by the hub's user only (mode 0600, or PostgreSQL's roles). */
#ifndef HUB_DB_TICKET_H
#define HUB_DB_TICKET_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct hub_db;

#define HUB_TICKET_KEY_MAX 64          /* bytes */

struct hub_ticket_key {
    int64_t       id;                  /* higher: newer */
    int64_t       created_ms;
    size_t        len;
    unsigned char key[HUB_TICKET_KEY_MAX];
};

/* Keep a new key (len 1..HUB_TICKET_KEY_MAX); out->id and created_ms
 * are filled in. */
err_code hub_db_ticket_key_put(struct hub_db *db, const unsigned char *key,
                               size_t len, int64_t now,
                               struct hub_ticket_key *out);
/* Up to max keys, newest first, into out; *n how many. ERR_OK with *n 0
 * when there are none yet. */
err_code hub_db_ticket_keys_get(struct hub_db *db, struct hub_ticket_key *out,
                                size_t max, size_t *n);
/* Forget keys created before `before` (tickets they sealed then fail
 * and their kiosks do a full handshake). */
err_code hub_db_ticket_keys_prune(struct hub_db *db, int64_t before);

#endif
