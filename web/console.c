/* web/console.c - the console's HTTPS server (console.h): one thread
 * accepts, a few workers each serve one connection at a time (TLS
 * handshake, one request, its answer, close). What a request means is
 * web/routes.c's.
 *
 * A flood of connections must not keep a secretary out. A new
 * connection is held by the acceptor (polled, costing no worker) until
 * its first byte arrives: a browser sends its TLS hello at once, a flood's
 * idle connections never do and are closed after HOLD_MS or when the held
 * set is full (oldest first). One address may have at most PER_ADDR
 * connections in all and PER_ADDR_SERVED of them queued or being served,
 * so one address trickling bytes holds at most half the workers. What is
 * refused, evicted, timed out or fails its handshake is counted per
 * address and logged as hub_addrs does for the kiosks' port: one line per
 * address per 10 s, 20 lines a minute in all. */
#define _GNU_SOURCE
#include "web/console.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "hub/hub_addr.h"
#include "hub/hub_db.h"
#include "sync/http.h"
#include "sync/net.h"
#include "sync/tls.h"
#include "web/web.h"

#define QUEUE_CAP 256
#define HELD_CAP  256          /* connections waiting for a first byte */
#define HOLD_MS   5000         /* ... for at most this long */
#define PER_ADDR  32           /* one address's connections in all */
#define PER_ADDR_SERVED 2      /* ... queued or being served */

/* Every answer: no framing, no sniffing, no inline script, no referrer
 * and, for pages, no copies in caches (set per response). */
static const char security_headers[] =
    "Content-Security-Policy: default-src 'self'; base-uri 'none';"
    " form-action 'self'; frame-ancestors 'none'; object-src 'none'\r\n"
    "X-Frame-Options: DENY\r\n"
    "X-Content-Type-Options: nosniff\r\n"
    "Referrer-Policy: no-referrer\r\n";

struct waiting {
    int     fd;
    char    addr[INET6_ADDRSTRLEN];
    int64_t since_ms;           /* accepted (held connections) */
    bool    ready;              /* a byte has come: may be served */
};

struct console {
    struct console_opts o;
    int              lfd, port;
    int              wake[2];
    struct tls_ctx  *tls;
    pthread_t        acceptor;
    bool             acceptor_started;
    pthread_t       *workers;
    int              nworkers;
    struct hub_db  **dbs;
    pthread_mutex_t  lock;
    pthread_cond_t   cond;
    struct waiting   q[QUEUE_CAP];
    int              qhead, qlen, busy;
    bool             stopping;
    /* The acceptor's alone. */
    struct waiting   held[HELD_CAP];
    int              nheld;
    /* Under lock: per address, conns (held, queued or served) and
     * idle_unauth (held: no byte yet); their log lines. */
    struct hub_addrs *addrs;
};

struct worker_arg {
    struct console *c;
    struct hub_db  *db;
};

/* ---- one connection -------------------------------------------------- */

struct cconn {
    struct tls_io sock;
    int           fd;
    int64_t       deadline_ms;
};

static int left(struct cconn *k, int timeout_ms)
{
    int64_t l = k->deadline_ms - clock_mono_ms();
    return l < timeout_ms ? (int)(l > 0 ? l : 0) : timeout_ms;
}

static err_code dl_send(void *ctx, const unsigned char *buf, size_t len,
                        size_t *sent, int timeout_ms)
{
    struct cconn *k = ctx;
    int ms = left(k, timeout_ms);
    return ms <= 0 ? ERR_TIMEOUT
                   : k->sock.send(k->sock.ctx, buf, len, sent, ms);
}

static err_code dl_recv(void *ctx, unsigned char *buf, size_t cap,
                        size_t *got, int timeout_ms)
{
    struct cconn *k = ctx;
    int ms = left(k, timeout_ms);
    return ms <= 0 ? ERR_TIMEOUT
                   : k->sock.recv(k->sock.ctx, buf, cap, got, ms);
}

static void respond(struct tls_conn *t, struct web_resp *resp)
{
    char extra[sizeof security_headers + sizeof resp->headers + 64];
    snprintf(extra, sizeof extra, "%s%s%s", security_headers,
             strstr(resp->headers, "Cache-Control:") ? ""
                                                     : "Cache-Control: no-store\r\n",
             resp->headers);
    http_write_response_ex(t, resp->status,
                           resp->type ? resp->type : "text/html; charset=utf-8",
                           extra, resp->body ? resp->body : "", resp->len,
                           false);
}

static void serve(struct console *c, struct hub_db *db, int fd,
                  const char *addr)
{
    struct cconn k = { .fd = fd,
                       .deadline_ms = clock_mono_ms() + 2 * c->o.timeout_ms };
    net_io_init(&k.sock, &k.fd);
    struct tls_io io = { &k, dl_send, dl_recv };
    struct tls_conn *t = NULL;
    if (tls_accept(c->tls, &io, &t) != ERR_OK) {
        pthread_mutex_lock(&c->lock);
        hub_addrs_note(c->addrs, hub_addrs_get(c->addrs, addr),
                       HUB_ADDR_FAILED, tls_last_failure(), clock_mono_ms());
        pthread_mutex_unlock(&c->lock);
        tls_close(t);
        return;
    }
    struct http_reader *r = NULL;
    struct http_msg m;
    memset(&m, 0, sizeof m);
    http_reader_create(true, WEB_BODY_MAX, &r);
    err_code e = http_read_tls(r, t, &m);
    if (e != ERR_OK) {
        if (m.reject) {
            const char *txt = "request refused: malformed or too large\n";
            char extra[sizeof security_headers];
            snprintf(extra, sizeof extra, "%s", security_headers);
            http_write_response_ex(t, m.reject, "text/plain; charset=utf-8",
                                   extra, txt, strlen(txt), false);
            log_info("console: %s %d refused before parsing", addr, m.reject);
        }
        http_msg_free(&m);
        http_reader_destroy(r);
        tls_close(t);
        return;
    }
    struct web_req req = { .method = m.method, .addr = addr, .db = db,
                           .hub_dir = c->o.dir,
                           .now_ms = hub_now_ms(), .cookie = m.cookie,
                           .content_type = m.content_type,
                           .body = m.body ? m.body : "",
                           .body_len = m.body_len };
    char *q = strchr(m.url, '?');
    if (q)
        *q = '\0';
    snprintf(req.path, sizeof req.path, "%s", m.url);
    req.query = q ? q + 1 : "";
    struct web_resp resp = { .status = 200 };
    resp.out = open_memstream(&resp.body, &resp.len);
    int64_t t0 = clock_mono_ms();
    if (resp.out) {
        web_dispatch(&req, &resp);
        fclose(resp.out);
        resp.out = NULL;
    } else {
        resp.status = 500;
    }
    respond(t, &resp);
    log_info("console: %s %s %s %.80s %d %lldms", addr,
             req.logged_in ? req.user.name : "-",
             m.method == HTTP_M_GET ? "GET" : m.method == HTTP_M_POST
                                            ? "POST" : "?",
             req.path, resp.status, (long long)(clock_mono_ms() - t0));
    free(resp.body);
    http_msg_free(&m);
    http_reader_destroy(r);
    tls_close(t);
}

/* ---- threads ------------------------------------------------------------- */

static void *worker_main(void *p)
{
    struct worker_arg *a = p;
    struct console *c = a->c;
    for (;;) {
        pthread_mutex_lock(&c->lock);
        while (!c->stopping && c->qlen == 0)
            pthread_cond_wait(&c->cond, &c->lock);
        if (c->stopping) {
            pthread_mutex_unlock(&c->lock);
            break;
        }
        struct waiting w = c->q[c->qhead];
        c->qhead = (c->qhead + 1) % QUEUE_CAP;
        c->qlen--;
        c->busy++;
        pthread_mutex_unlock(&c->lock);
        serve(c, a->db, w.fd, w.addr);
        close(w.fd);
        pthread_mutex_lock(&c->lock);
        c->busy--;
        struct hub_addr *ad = hub_addrs_get(c->addrs, w.addr);
        ad->conns--;
        hub_addrs_release(c->addrs, ad);
        pthread_mutex_unlock(&c->lock);
    }
    free(a);
    return NULL;
}

/* ---- the acceptor: held connections ------------------------------------ */

/* Close held connection i (under lock), counting why. */
static void drop_held(struct console *c, int i, enum hub_addr_event why,
                      int64_t now)
{
    struct waiting *w = &c->held[i];
    struct hub_addr *a = hub_addrs_get(c->addrs, w->addr);
    close(w->fd);
    a->conns--;
    a->idle_unauth--;
    hub_addrs_note(c->addrs, a, why, NULL, now);
    c->held[i] = c->held[--c->nheld];
}

/* How many of addr's connections are queued or being served. */
static int in_service(struct console *c, const char *addr)
{
    struct hub_addr *a = hub_addrs_get(c->addrs, addr);
    return a->conns - a->idle_unauth;
}

/* Under lock: ready held connections to the queue, oldest first, while
 * there is room and their address is under PER_ADDR_SERVED; those idle
 * past HOLD_MS closed. Whether one ready is still waiting for room. */
static bool pass_on(struct console *c, int64_t now)
{
    bool waiting = false;
    for (;;) {
        int best = -1;
        for (int i = 0; i < c->nheld; i++) {
            struct waiting *w = &c->held[i];
            if (!w->ready)
                continue;
            if (in_service(c, w->addr) >= PER_ADDR_SERVED) {
                waiting = true;
                continue;
            }
            if (best < 0 || w->since_ms < c->held[best].since_ms)
                best = i;
        }
        if (best < 0)
            break;
        if (c->qlen + c->busy >= c->o.max_conns || c->qlen >= QUEUE_CAP) {
            waiting = true;
            break;
        }
        struct waiting w = c->held[best];
        c->held[best] = c->held[--c->nheld];
        hub_addrs_get(c->addrs, w.addr)->idle_unauth--;
        c->q[(c->qhead + c->qlen) % QUEUE_CAP] = w;
        c->qlen++;
        pthread_cond_signal(&c->cond);
    }
    for (int i = c->nheld - 1; i >= 0; i--)
        if (!c->held[i].ready && now - c->held[i].since_ms > HOLD_MS)
            drop_held(c, i, HUB_ADDR_TIMED_OUT, now);
    return waiting;
}

/* Under lock: hold a new connection, or refuse it. */
static void take(struct console *c, int fd, const char *addr, int64_t now)
{
    struct hub_addr *a = hub_addrs_get(c->addrs, addr);
    if (a->conns >= PER_ADDR) {
        close(fd);
        hub_addrs_note(c->addrs, a, HUB_ADDR_REFUSED, NULL, now);
        hub_addrs_release(c->addrs, a);
        return;
    }
    if (c->nheld == HELD_CAP) {
        /* Full: the oldest idle one gives way (a browser's hello comes
         * at once, so the oldest are a flood's). */
        int old = -1;
        for (int i = 0; i < c->nheld; i++)
            if (!c->held[i].ready &&
                (old < 0 || c->held[i].since_ms < c->held[old].since_ms))
                old = i;
        if (old < 0) {
            close(fd);
            hub_addrs_note(c->addrs, a, HUB_ADDR_REFUSED, NULL, now);
            hub_addrs_release(c->addrs, a);
            return;
        }
        drop_held(c, old, HUB_ADDR_EVICTED, now);
    }
    struct waiting *w = &c->held[c->nheld++];
    memset(w, 0, sizeof *w);
    w->fd = fd;
    snprintf(w->addr, sizeof w->addr, "%s", addr);
    w->since_ms = now;
    a->conns++;
    a->idle_unauth++;
}

static void *accept_main(void *p)
{
    struct console *c = p;
    struct pollfd pf[2 + HELD_CAP];
    int slot[HELD_CAP];
    bool waiting = false;
    for (;;) {
        pf[0] = (struct pollfd){ c->lfd, POLLIN, 0 };
        pf[1] = (struct pollfd){ c->wake[0], POLLIN, 0 };
        int n = 2;
        for (int i = 0; i < c->nheld; i++) {
            if (c->held[i].ready)
                continue;
            slot[n - 2] = i;
            pf[n++] = (struct pollfd){ c->held[i].fd, POLLIN, 0 };
        }
        /* Ready ones waiting for room are looked at again soon (a worker
         * frees room without telling the acceptor). */
        if (poll(pf, (nfds_t)n, waiting ? 50 : 1000) < 0 && errno != EINTR)
            break;
        if (pf[1].revents)
            break;
        int64_t now = clock_mono_ms();
        pthread_mutex_lock(&c->lock);
        for (int k = 2; k < n; k++)
            if (pf[k].revents)
                c->held[slot[k - 2]].ready = true;
        for (int k = 0; (pf[0].revents & POLLIN) && k < 64; k++) {
            struct sockaddr_storage sa;
            socklen_t sl = sizeof sa;
            int fd = accept4(c->lfd, (struct sockaddr *)&sa, &sl,
                             SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0)
                break;
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            char addr[INET6_ADDRSTRLEN] = "";
            if (sa.ss_family == AF_INET6)
                inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&sa)->sin6_addr,
                          addr, sizeof addr);
            else
                inet_ntop(AF_INET, &((struct sockaddr_in *)&sa)->sin_addr,
                          addr, sizeof addr);
            take(c, fd, addr, now);
        }
        waiting = pass_on(c, now);
        hub_addrs_flush(c->addrs, now);
        pthread_mutex_unlock(&c->lock);
    }
    return NULL;
}

err_code console_start(const struct console_opts *o, struct console **out)
{
    *out = NULL;
    struct console *c = xcalloc(1, sizeof *c);
    c->o = *o;
    c->o.host = o->host ? o->host : "127.0.0.1";
    c->o.timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 10000;
    c->o.workers = o->workers > 0 ? o->workers : 4;
    c->o.max_conns = o->max_conns > 0 ? o->max_conns : 64;
    c->lfd = c->wake[0] = c->wake[1] = -1;
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->cond, NULL);
    c->addrs = hub_addrs_create();
    char ca[512], crt[512], key[512], store[600];
    snprintf(ca, sizeof ca, "%s/ca.crt", o->dir);
    snprintf(crt, sizeof crt, "%s", o->cert_file ? o->cert_file : "");
    if (!o->cert_file)
        snprintf(crt, sizeof crt, "%s/hub.crt", o->dir);
    snprintf(key, sizeof key, "%s", o->key_file ? o->key_file : "");
    if (!o->key_file)
        snprintf(key, sizeof key, "%s/hub.key", o->dir);
    snprintf(store, sizeof store, "%s", o->store ? o->store : "");
    if (!o->store)
        snprintf(store, sizeof store, "%s/hub.db", o->dir);
    struct tls_params tp = { .role = TLS_SERVER, .ca_file = ca,
                             .cert_file = crt, .key_file = key,
                             .no_client_cert = true,
                             .timeout_ms = c->o.timeout_ms };
    err_code e = tls_ctx_create(&tls_mbedtls_ops, &tp, &c->tls);
    if (e != ERR_OK) {
        log_error("console: cannot load %s and %s", crt, key);
        console_stop(c);
        return e;
    }
    c->dbs = xcalloc((size_t)c->o.workers, sizeof *c->dbs);
    for (int i = 0; i < c->o.workers && e == ERR_OK; i++)
        e = hub_db_open(store, &c->dbs[i]);
    if (e == ERR_OK)
        e = net_listen(c->o.host, o->port, &c->lfd, &c->port);
    if (e == ERR_OK && pipe(c->wake) != 0)
        e = ERR_IO;
    if (e != ERR_OK) {
        console_stop(c);
        return e;
    }
    c->workers = xcalloc((size_t)c->o.workers, sizeof *c->workers);
    for (int i = 0; i < c->o.workers; i++) {
        struct worker_arg *a = xmalloc(sizeof *a);
        a->c = c;
        a->db = c->dbs[i];
        if (pthread_create(&c->workers[i], NULL, worker_main, a) != 0) {
            free(a);
            console_stop(c);
            return ERR_IO;
        }
        c->nworkers++;
    }
    if (pthread_create(&c->acceptor, NULL, accept_main, c) != 0) {
        console_stop(c);
        return ERR_IO;
    }
    c->acceptor_started = true;
    log_info("console: https://%s:%d/ (%d workers)", c->o.host, c->port,
             c->o.workers);
    *out = c;
    return ERR_OK;
}

int console_port(const struct console *c)
{
    return c ? c->port : 0;
}

void console_stop(struct console *c)
{
    if (!c)
        return;
    if (c->acceptor_started) {
        if (write(c->wake[1], "x", 1) < 0)
            log_warn("console: cannot wake the acceptor");
        pthread_join(c->acceptor, NULL);
    }
    pthread_mutex_lock(&c->lock);
    c->stopping = true;
    pthread_cond_broadcast(&c->cond);
    pthread_mutex_unlock(&c->lock);
    for (int i = 0; i < c->nworkers; i++)
        pthread_join(c->workers[i], NULL);
    for (int i = 0; i < c->qlen; i++)
        close(c->q[(c->qhead + i) % QUEUE_CAP].fd);
    for (int i = 0; i < c->nheld; i++)
        close(c->held[i].fd);
    hub_addrs_destroy(c->addrs);
    for (int i = 0; c->dbs && i < c->o.workers; i++)
        hub_db_close(c->dbs[i]);
    free(c->dbs);
    free(c->workers);
    if (c->lfd >= 0)
        close(c->lfd);
    if (c->wake[0] >= 0) {
        close(c->wake[0]);
        close(c->wake[1]);
    }
    tls_ctx_destroy(c->tls);
    pthread_mutex_destroy(&c->lock);
    pthread_cond_destroy(&c->cond);
    free(c);
}
