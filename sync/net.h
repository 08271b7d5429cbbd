/* sync/net.h - TCP sockets for the sync client and the hub: connect and
 * listen on numeric addresses, TCP_NODELAY (a request and its answer are
 * small writes; Nagle's algorithm would add ~40 ms to each), and a
 * struct tls_io whose every send and receive has a timeout. */
#ifndef NET_H
#define NET_H

#include "base/err.h"
#include "sync/tls.h"

/* Connect to host:port within timeout_ms. ERR_NET: refused or
 * unreachable; ERR_TIMEOUT. The socket is non-blocking; close(2) it. */
err_code net_connect(const char *host, int port, int timeout_ms, int *fd);
/* Listen on host:port (port 0: any free port; *bound gets it). */
err_code net_listen(const char *host, int port, int *fd, int *bound);
/* Accept one connection (non-blocking socket, TCP_NODELAY).
 * ERR_BUSY: nothing waiting. */
err_code net_accept(int lfd, int *fd);

/* Fill io to carry bytes over the socket *fd (the pointer must stay
 * valid while io is used). */
void net_io_init(struct tls_io *io, int *fd);

#endif
