/* hub/hub_server.h - hubd's network side: listens on one address,
 * gives each connection its own thread (so a slow or stalled kiosk holds
 * only its own thread, bounded by timeouts), does TLS with mutual
 * authentication and HTTP keep-alive, and logs one line per request. */
#ifndef HUB_SERVER_H
#define HUB_SERVER_H

#include "base/err.h"

struct hub_server_opts {
    const char *dir;          /* ca.crt ca.key hub.crt hub.key hub.db */
    const char *store;        /* NULL: DIR/hub.db; else a SQLite path or
                                 a postgresql:// URL (hub/hub_sql.h) */
    const char *host;         /* 127.0.0.1 */
    int         port;         /* 0: any free port */
    int         max_conns;    /* beyond this, new connections are closed */
    int         timeout_ms;   /* every read and write */
};

struct hub_server;

/* Open the store and the TLS context and start listening. */
err_code hub_server_create(const struct hub_server_opts *o,
                           struct hub_server **out);
/* The port actually bound. */
int      hub_server_port(const struct hub_server *s);
/* Serve until hub_server_stop (safe from a signal handler or thread). */
err_code hub_server_run(struct hub_server *s);
void     hub_server_stop(struct hub_server *s);
/* Waits for connection threads to end, then frees. */
void     hub_server_destroy(struct hub_server *s);          /* NULL: no-op */

#endif
