/* web/console.h - the web console's server inside hubd: HTTPS on its own
 * port (server-authenticated TLS: the hub's certificate or an operator's;
 * browsers show no client certificate), a fixed pool of worker threads
 * each with its own connection to the hub's store, one request per
 * connection (Connection: close; browsers resume the TLS session, so a
 * page's second request is cheap). Limits: connections being served or
 * waiting (max_conns; more are closed at once), the request (URL 1 KiB,
 * headers 8 KiB, body WEB_BODY_MAX), and each connection's whole life
 * (twice timeout_ms: a slow client cannot hold a worker). */
#ifndef WEB_CONSOLE_H
#define WEB_CONSOLE_H

#include "base/err.h"

struct console_opts {
    const char *dir;          /* the hub directory: ca.crt hub.crt hub.key */
    const char *store;        /* NULL: DIR/hub.db */
    const char *host;         /* 127.0.0.1 */
    int         port;         /* 0: any free port */
    const char *cert_file;    /* NULL: DIR/hub.crt */
    const char *key_file;     /* NULL: DIR/hub.key */
    int         timeout_ms;   /* each read and write; <= 0: 10 s */
    int         workers;      /* <= 0: 4 */
    int         max_conns;    /* <= 0: 64 */
};

struct console;

err_code console_start(const struct console_opts *o, struct console **out);
int      console_port(const struct console *c);
void     console_stop(struct console *c);       /* joins; NULL: no-op */

#endif
