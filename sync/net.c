/* sync/net.c - TCP sockets with timeouts. Owns nothing but file
 * descriptors; callers close them. */
#define _GNU_SOURCE
#include "sync/net.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/log.h"

static void sock_tune(int fd)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    int fl = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static err_code resolve(const char *host, int port, int passive,
                        struct addrinfo **res)
{
    char ps[16];
    snprintf(ps, sizeof ps, "%d", port);
    struct addrinfo hints = { .ai_family = AF_UNSPEC,
                              .ai_socktype = SOCK_STREAM,
                              .ai_flags = passive ? AI_PASSIVE : 0 };
    int rc = getaddrinfo(host, ps, &hints, res);
    if (rc != 0) {
        log_warn("net: %s: %s", host, gai_strerror(rc));
        return ERR_NET;
    }
    return ERR_OK;
}

static err_code wait_fd(int fd, short ev, int timeout_ms)
{
    struct pollfd p = { .fd = fd, .events = ev };
    for (;;) {
        int rc = poll(&p, 1, timeout_ms);
        if (rc > 0)
            return ERR_OK;
        if (rc == 0)
            return ERR_TIMEOUT;
        if (errno != EINTR)
            return ERR_NET;
    }
}

err_code net_connect(const char *host, int port, int timeout_ms, int *fd)
{
    struct addrinfo *res = NULL;
    *fd = -1;
    err_code e = resolve(host, port, 0, &res);
    if (e != ERR_OK)
        return e;
    int s = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0) {
        freeaddrinfo(res);
        return ERR_NET;
    }
    sock_tune(s);
    e = ERR_OK;
    if (connect(s, res->ai_addr, res->ai_addrlen) != 0) {
        e = errno == EINPROGRESS ? wait_fd(s, POLLOUT, timeout_ms) : ERR_NET;
        int err = 0;
        socklen_t len = sizeof err;
        if (e == ERR_OK && (getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len)
                            != 0 || err != 0))
            e = ERR_NET;
    }
    freeaddrinfo(res);
    if (e != ERR_OK) {
        close(s);
        return e;
    }
    *fd = s;
    return ERR_OK;
}

err_code net_listen(const char *host, int port, int *fd, int *bound)
{
    struct addrinfo *res = NULL;
    *fd = -1;
    err_code e = resolve(host, port, 1, &res);
    if (e != ERR_OK)
        return e;
    int s = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (s >= 0)
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (s < 0 || bind(s, res->ai_addr, res->ai_addrlen) != 0 ||
        listen(s, 1024) != 0) {
        log_error("net: listen %s:%d: %s", host, port, strerror(errno));
        freeaddrinfo(res);
        if (s >= 0)
            close(s);
        return ERR_NET;
    }
    freeaddrinfo(res);
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    getsockname(s, (struct sockaddr *)&ss, &len);
    if (bound)
        *bound = ntohs(ss.ss_family == AF_INET6
                       ? ((struct sockaddr_in6 *)&ss)->sin6_port
                       : ((struct sockaddr_in *)&ss)->sin_port);
    sock_tune(s);
    *fd = s;
    return ERR_OK;
}

err_code net_accept(int lfd, int *fd)
{
    int s = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    *fd = -1;
    if (s < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ||
               errno == ECONNABORTED ? ERR_BUSY : ERR_NET;
    sock_tune(s);
    *fd = s;
    return ERR_OK;
}

static err_code io_send(void *ctx, const unsigned char *buf, size_t len,
                        size_t *sent, int timeout_ms)
{
    int fd = *(int *)ctx;
    *sent = 0;
    for (;;) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
        if (n > 0) {
            *sent = (size_t)n;
            return ERR_OK;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            err_code e = wait_fd(fd, POLLOUT, timeout_ms);
            if (e != ERR_OK)
                return e;
            continue;
        }
        return ERR_NET;
    }
}

static err_code io_recv(void *ctx, unsigned char *buf, size_t cap,
                        size_t *got, int timeout_ms)
{
    int fd = *(int *)ctx;
    *got = 0;
    for (;;) {
        ssize_t n = recv(fd, buf, cap, 0);
        if (n >= 0) {
            *got = (size_t)n;
            return ERR_OK;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            err_code e = wait_fd(fd, POLLIN, timeout_ms);
            if (e != ERR_OK)
                return e;
            continue;
        }
        return ERR_NET;
    }
}

void net_io_init(struct tls_io *io, int *fd)
{
    io->ctx = fd;
    io->send = io_send;
    io->recv = io_recv;
}
