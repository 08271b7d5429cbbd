/* hub/hub_tickets.h - the hub's session-ticket keys (sync/tls.h, struct
 * tls_ticket_store) kept in a file in its directory, so a restarted hubd
 * reads the tickets it issued before and its kiosks resume their TLS
 * sessions (a resumed handshake costs the hub a fraction of a full one).
 *
 * The file (DIR/ticket.keys, mode 0600, replaced atomically) holds the
 * current key and the previous one; the current key is replaced every
 * period (the previous one still accepted for a period), so a key stolen
 * from the disk opens at most two periods of tickets. Several hubds on
 * one database will keep them there instead: that is a second
 * implementation of struct tls_ticket_store, nothing else changes. */
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
void hub_tickets_destroy(struct hub_tickets *t);        /* NULL: no-op */
/* The store to put in tls_params.tickets; lives as long as t. */
const struct tls_ticket_store *hub_tickets_store(struct hub_tickets *t);

#endif
