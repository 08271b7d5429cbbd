/* hub/hub_server.c - accept loop and one thread per connection.
 * Owns sockets and threads; what a request means is hub_api.c's. */
#define _GNU_SOURCE
#include "hub/hub_server.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "sync/http.h"
#include "hub/hub_api.h"
#include "hub/hub_db_pool.h"
#include "sync/net.h"
#include "sync/proto.h"
#include "sync/tls.h"

struct hub_server {
    struct hub_api  api;
    struct tls_ctx *tls;
    int             lfd;
    int             port;
    int             wake[2];           /* self-pipe: stop */
    int             max_conns;
    int             timeout_ms;
    atomic_int      conns;
    pthread_mutex_t lock;
    pthread_cond_t  idle;              /* conns reached 0 */
    struct conn    *live;              /* under lock: to shut down */
};

struct conn {
    struct hub_server *srv;
    int                fd;
    struct conn       *next, *prev;
    struct tls_io      sock;           /* the socket, timeout per call */
    int64_t            deadline_ms;    /* monotonic: this exchange ends */
    char               addr[INET6_ADDRSTRLEN];  /* the client's address */
};

static int64_t mono_us(void)
{
    return clock_mono_us();
}

static int64_t mono_ms(void)
{
    return clock_mono_ms();
}

/* A client dripping one byte per timeout would hold its thread forever;
 * each exchange (handshake, or one request and its answer) also has a
 * deadline of twice the timeout. */
static int left_ms(struct conn *c, int timeout_ms)
{
    int64_t left = c->deadline_ms - mono_ms();
    return left < timeout_ms ? (int)(left > 0 ? left : 0) : timeout_ms;
}

static err_code dl_send(void *ctx, const unsigned char *buf, size_t len,
                        size_t *sent, int timeout_ms)
{
    struct conn *c = ctx;
    int ms = left_ms(c, timeout_ms);
    if (ms <= 0)
        return ERR_TIMEOUT;
    return c->sock.send(c->sock.ctx, buf, len, sent, ms);
}

static err_code dl_recv(void *ctx, unsigned char *buf, size_t cap,
                        size_t *got, int timeout_ms)
{
    struct conn *c = ctx;
    int ms = left_ms(c, timeout_ms);
    if (ms <= 0)
        return ERR_TIMEOUT;
    return c->sock.recv(c->sock.ctx, buf, cap, got, ms);
}

static void path_join(char *out, size_t cap, const char *dir,
                      const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
}

err_code hub_server_create(const struct hub_server_opts *o,
                           struct hub_server **out)
{
    struct hub_server *s = xcalloc(1, sizeof *s);
    char db[512], crt[512], key[512];
    *out = NULL;
    s->lfd = s->wake[0] = s->wake[1] = -1;
    s->max_conns = o->max_conns > 0 ? o->max_conns : 2048;
    s->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 10000;
    hub_api_init(&s->api);
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->idle, NULL);
    path_join(s->api.ca_key, sizeof s->api.ca_key, o->dir, "ca.key");
    path_join(s->api.ca_cert, sizeof s->api.ca_cert, o->dir, "ca.crt");
    snprintf(s->api.dir, sizeof s->api.dir, "%s", o->dir);
    path_join(db, sizeof db, o->dir, "hub.db");
    path_join(crt, sizeof crt, o->dir, "hub.crt");
    path_join(key, sizeof key, o->dir, "hub.key");
    struct tls_params tp = { .role = TLS_SERVER, .ca_file = s->api.ca_cert,
                             .cert_file = crt, .key_file = key,
                             .peer_optional = true,
                             .timeout_ms = s->timeout_ms };
    err_code e = hub_db_open(db, &s->api.db);
    if (e == ERR_OK)
        e = hub_db_open(db, &s->api.rdb);
    if (e == ERR_OK)
        e = hub_db_pool_open(db, HUB_DB_READERS, &s->api.readers);
    if (e == ERR_OK)
        e = tls_ctx_create(&tls_mbedtls_ops, &tp, &s->tls);
    if (e == ERR_OK && pipe2(s->wake, O_CLOEXEC | O_NONBLOCK) != 0)
        e = ERR_IO;
    if (e == ERR_OK)
        e = net_listen(o->host, o->port, &s->lfd, &s->port);
    if (e != ERR_OK) {
        hub_server_destroy(s);
        return e;
    }
    *out = s;
    return ERR_OK;
}

int hub_server_port(const struct hub_server *s)
{
    return s->port;
}

static void log_request(const struct tls_peer *peer, const struct http_msg *m,
                        const struct hub_reply *r, int64_t us)
{
    const char *verb = m->method == HTTP_M_GET    ? "GET"
                     : m->method == HTTP_M_POST ? "POST" : "?";
    log_info("hub: %s/%s %s %.80s %d %.2fms %s",
             peer->ou[0] ? peer->ou : "-", peer->cn[0] ? peer->cn : "-",
             verb, m->url, r->status, (double)us / 1000.0, r->note);
}

/* Answer a request that did not parse, then give up on the connection. */
static void reject(struct tls_conn *t, const struct tls_peer *peer,
                   const struct http_msg *m)
{
    char body[128];
    proto_error(m->reject == 400 ? "malformed request" : "request too large",
                body, sizeof body);
    http_write_response(t, m->reject, body, strlen(body), false);
    log_info("hub: %s/%s - - %d refused before parsing",
             peer->ou[0] ? peer->ou : "-", peer->cn[0] ? peer->cn : "-",
             m->reject);
}

/* The client's address as text ("?" if unknown). */
static void peer_addr(int fd, char *out, size_t cap)
{
    struct sockaddr_storage sa;
    socklen_t len = sizeof sa;
    const void *a = NULL;
    snprintf(out, cap, "?");
    if (getpeername(fd, (struct sockaddr *)&sa, &len) != 0)
        return;
    if (sa.ss_family == AF_INET)
        a = &((struct sockaddr_in *)&sa)->sin_addr;
    else if (sa.ss_family == AF_INET6)
        a = &((struct sockaddr_in6 *)&sa)->sin6_addr;
    if (a && !inet_ntop(sa.ss_family, a, out, (socklen_t)cap))
        snprintf(out, cap, "?");
}

static void serve(struct hub_server *s, struct conn *c, struct tls_conn *t)
{
    struct tls_peer peer;
    tls_peer(t, &peer);
    struct http_reader *r = NULL;
    http_reader_create(true, PROTO_BODY_MAX, &r);
    for (;;) {
        struct http_msg m;
        c->deadline_ms = mono_ms() + 2 * (int64_t)s->timeout_ms;
        err_code e = http_read_tls(r, t, &m);
        if (e == ERR_PROTO || e == ERR_INVAL) {
            reject(t, &peer, &m);
            break;
        }
        if (e != ERR_OK)
            break;
        int64_t t0 = mono_us();
        struct hub_reply rep;
        hub_api_handle(&s->api, c->addr, &peer, &m, &rep);
        bool keep = m.keep_alive && rep.status < 400;
        e = http_write_response_ex(t, rep.status, rep.type, rep.headers,
                                   rep.body, rep.len, keep);
        log_request(&peer, &m, &rep, mono_us() - t0);
        free(rep.body);
        http_msg_free(&m);
        if (e != ERR_OK || !keep)
            break;
    }
    http_reader_destroy(r);
}

static void *conn_main(void *arg)
{
    struct conn *c = arg;
    struct hub_server *s = c->srv;
    net_io_init(&c->sock, &c->fd);
    peer_addr(c->fd, c->addr, sizeof c->addr);
    struct tls_io io = { .ctx = c, .send = dl_send, .recv = dl_recv };
    c->deadline_ms = mono_ms() + 2 * (int64_t)s->timeout_ms;
    struct tls_conn *t = NULL;
    if (tls_accept(s->tls, &io, &t) == ERR_OK) {
        serve(s, c, t);
        tls_close(t);
    }
    pthread_mutex_lock(&s->lock);
    if (c->prev)
        c->prev->next = c->next;
    else
        s->live = c->next;
    if (c->next)
        c->next->prev = c->prev;
    close(c->fd);
    free(c);
    if (atomic_fetch_sub(&s->conns, 1) == 1)
        pthread_cond_broadcast(&s->idle);
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

static void start_conn(struct hub_server *s, int fd)
{
    if (atomic_load(&s->conns) >= s->max_conns) {
        log_warn("hub: %d connections: refusing one", s->max_conns);
        close(fd);
        return;
    }
    struct conn *c = xcalloc(1, sizeof *c);
    c->srv = s;
    c->fd = fd;
    pthread_mutex_lock(&s->lock);
    c->next = s->live;
    if (s->live)
        s->live->prev = c;
    s->live = c;
    pthread_mutex_unlock(&s->lock);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    atomic_fetch_add(&s->conns, 1);
    pthread_t th;
    if (pthread_create(&th, &attr, conn_main, c) != 0) {
        pthread_mutex_lock(&s->lock);
        s->live = c->next;
        if (c->next)
            c->next->prev = NULL;
        pthread_mutex_unlock(&s->lock);
        atomic_fetch_sub(&s->conns, 1);
        close(fd);
        free(c);
    }
    pthread_attr_destroy(&attr);
}

err_code hub_server_run(struct hub_server *s)
{
    log_info("hub: listening on port %d", s->port);
    for (;;) {
        struct pollfd p[2] = { { .fd = s->lfd, .events = POLLIN },
                               { .fd = s->wake[0], .events = POLLIN } };
        if (poll(p, 2, -1) < 0 && errno != EINTR)
            return ERR_IO;
        if (p[1].revents)
            return ERR_OK;
        if (!(p[0].revents & POLLIN))
            continue;
        int fd;
        while (net_accept(s->lfd, &fd) == ERR_OK)
            start_conn(s, fd);
    }
}

void hub_server_stop(struct hub_server *s)
{
    ssize_t rc = write(s->wake[1], "x", 1);
    (void)rc;
}

void hub_server_destroy(struct hub_server *s)
{
    if (!s)
        return;
    if (s->lfd >= 0)
        close(s->lfd);
    pthread_mutex_lock(&s->lock);
    /* Idle keep-alive connections would otherwise wait out their read
     * timeout. */
    for (struct conn *c = s->live; c; c = c->next)
        shutdown(c->fd, SHUT_RDWR);
    while (atomic_load(&s->conns) > 0)
        pthread_cond_wait(&s->idle, &s->lock);
    pthread_mutex_unlock(&s->lock);
    for (int i = 0; i < 2; i++)
        if (s->wake[i] >= 0)
            close(s->wake[i]);
    tls_ctx_destroy(s->tls);
    hub_db_close(s->api.rdb);
    hub_db_pool_close(s->api.readers);
    hub_db_close(s->api.db);
    pthread_cond_destroy(&s->idle);
    pthread_mutex_destroy(&s->lock);
    hub_api_fini(&s->api);
    free(s);
}
