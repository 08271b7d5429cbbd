/* hub/hub_db_pool.h - read-only connections to hub.db for the threads
 * that answer kiosks. In WAL mode readers do not wait for each other
 * nor for the writer, so the change feed, the certificate check and the
 * bundle look-ups of many requests run at once instead of queueing on
 * one connection's lock; each connection keeps its prepared statements.
 * Writes (uploads, enrolment, fleet status) stay on the writer
 * connections (hub_api.h).
 *
 * Thread safe: take blocks until a connection is free, so any number of
 * worker threads may share a pool of any size. */
#ifndef HUB_DB_POOL_H
#define HUB_DB_POOL_H

#include "base/err.h"
#include "hub/hub_db.h"

#define HUB_DB_READERS 4           /* default pool size */

struct hub_db_pool;

/* n read connections to path (created by hub_db_open first). */
err_code       hub_db_pool_open(const char *path, int n,
                                struct hub_db_pool **out);
void           hub_db_pool_close(struct hub_db_pool *p);  /* NULL: no-op */
/* A connection for this thread alone until it is given back. */
struct hub_db *hub_db_pool_take(struct hub_db_pool *p);
void           hub_db_pool_give(struct hub_db_pool *p, struct hub_db *db);

#endif
