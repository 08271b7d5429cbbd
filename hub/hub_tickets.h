/* hub/hub_tickets.h - the hub's session-ticket keys (sync/tls.h, struct
 * tls_ticket_store) kept in a file in its directory, so a restarted hubd
 * reads the tickets it issued before and its kiosks resume their TLS
 * sessions (a resumed handshake costs the hub a fraction of a full one).
 *
 * The file (DIR/ticket.keys, mode 0600, replaced atomically) holds the
 * current key and the previous one; the current key is replaced every
 * period (the previous one still accepted for a period), so a key stolen
 * from the disk opens at most two periods of tickets.
 *
 * Several hubds on one PostgreSQL store keep them in the store instead
 * (hub_db_ticket.h), so a kiosk resumes its session on whichever hub the
 * balancer gives it: the same rotation, the newest key the current one;
 * two hubds rotating at once both read back the one with the highest
 * id. */
#ifndef HUB_TICKETS_H
#define HUB_TICKETS_H

#include "base/err.h"
#include "sync/tls.h"

#define HUB_TICKETS_FILE     "ticket.keys"
#define HUB_TICKETS_PERIOD_S 86400

struct hub_tickets;

/* The store for the file at path (created on first use). period_s <= 0:
 * the default. */
struct hub_tickets *hub_tickets_file(const char *path, int period_s);
/* The store for the keys in the hub's store at target (a hub.db path or
 * a PostgreSQL URL), on a connection of its own opened on first use. */
struct hub_tickets *hub_tickets_db(const char *target, int period_s);
void hub_tickets_destroy(struct hub_tickets *t);        /* NULL: no-op */
/* The store to put in tls_params.tickets; lives as long as t. */
const struct tls_ticket_store *hub_tickets_store(struct hub_tickets *t);

#endif
