/* hub/hub_server.h - hubd's network side: listens on one address, keeps
 * every connection in one event loop while it waits (epoll) and serves it
 * on a fixed pool of worker threads once bytes arrive, does TLS with
 * mutual authentication and HTTP keep-alive, and logs one line per
 * request.
 *
 * What a connection may cost (docs/hub.md, "Connections and limits"):
 * idle connections that have not shown a client certificate are capped
 * per address and in all (the oldest gives way), so a flood of raw
 * connections cannot lock enrolled kiosks out; full TLS handshakes in
 * progress are capped (others wait their turn), resumed ones are not;
 * session-ticket keys live in DIR/ticket.keys so a restart costs kiosks
 * a resumed handshake, not a full one; what goes wrong per address is
 * logged as a few counted lines naming it. */
#ifndef HUB_SERVER_H
#define HUB_SERVER_H

#include "base/err.h"

#define HUB_MAX_CONNS           30000  /* open connections in all */
#define HUB_MAX_UNAUTH          1024   /* idle without a certificate */
#define HUB_MAX_UNAUTH_PER_ADDR 64     /* ... from one address */
#define HUB_MAX_TLS             2048   /* with a TLS context (~40 KB) */

struct hub_server_opts {
    const char *dir;          /* ca.crt ca.key hub.crt hub.key hub.db */
    const char *host;         /* 127.0.0.1 */
    int         port;         /* 0: any free port */
    int         timeout_ms;   /* every read and write; idle connections
                               * close after it */
    /* Limits; <= 0: the default. */
    int         max_conns;            /* HUB_MAX_CONNS; beyond it the
                                       * oldest idle one goes, or the new
                                       * one is closed */
    int         workers;              /* threads; 4 per CPU, at most 256 */
    int         max_full_handshakes;  /* at once; one per CPU */
    int         max_unauth;           /* HUB_MAX_UNAUTH */
    int         max_unauth_per_addr;  /* HUB_MAX_UNAUTH_PER_ADDR */
    int         max_tls;              /* HUB_MAX_TLS; more wait */
    int         ticket_period_s;      /* ticket key rotation, 1 day */
};

/* Counters since start. */
struct hub_server_stats {
    long full_handshakes, resumed_handshakes, failed_handshakes;
    long evicted;             /* idle unauthenticated, over a cap */
    long refused;             /* no room at all */
    long timed_out;           /* idle unauthenticated past the timeout */
    long requests;
    long shed;                /* read, but its client had gone: not run */
    long peak_conns;
    int  workers;
};

struct hub_server;

/* Open the store and the TLS context, start the workers and listen. */
err_code hub_server_create(const struct hub_server_opts *o,
                           struct hub_server **out);
/* The port actually bound. */
int      hub_server_port(const struct hub_server *s);
/* Serve until hub_server_stop (safe from a signal handler or thread). */
err_code hub_server_run(struct hub_server *s);
void     hub_server_stop(struct hub_server *s);
void     hub_server_stats(struct hub_server *s, struct hub_server_stats *out);
/* Ends every connection and the workers, then frees. */
void     hub_server_destroy(struct hub_server *s);          /* NULL: no-op */

#endif
