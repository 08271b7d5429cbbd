/* web/console.c - the console's HTTPS server (console.h): one thread
 * accepts, a few workers each serve one connection at a time (TLS
 * handshake, one request, its answer, close). What a request means is
 * web/routes.c's. */
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
#include "hub/hub_db.h"
#include "sync/http.h"
#include "sync/net.h"
#include "sync/tls.h"
#include "web/web.h"

#define QUEUE_CAP 256

/* Every answer: no framing, no sniffing, no inline script, no referrer
 * and, for pages, no copies in caches (set per response). */
static const char security_headers[] =
    "Content-Security-Policy: default-src 'self'; base-uri 'none';"
    " form-action 'self'; frame-ancestors 'none'; object-src 'none'\r\n"
    "X-Frame-Options: DENY\r\n"
    "X-Content-Type-Options: nosniff\r\n"
    "Referrer-Policy: no-referrer\r\n";

struct waiting {
    int  fd;
    char addr[INET6_ADDRSTRLEN];
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
        log_info("console: %s: handshake failed: %s", addr,
                 tls_last_failure());
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
        pthread_mutex_unlock(&c->lock);
    }
    free(a);
    return NULL;
}

static void *accept_main(void *p)
{
    struct console *c = p;
    for (;;) {
        struct pollfd pf[2] = { { c->lfd, POLLIN, 0 },
                                { c->wake[0], POLLIN, 0 } };
        if (poll(pf, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (pf[1].revents)
            break;
        struct sockaddr_storage sa;
        socklen_t sl = sizeof sa;
        int fd = accept4(c->lfd, (struct sockaddr *)&sa, &sl,
                         SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct waiting w = { .fd = fd };
        if (sa.ss_family == AF_INET6)
            inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&sa)->sin6_addr,
                      w.addr, sizeof w.addr);
        else
            inet_ntop(AF_INET, &((struct sockaddr_in *)&sa)->sin_addr,
                      w.addr, sizeof w.addr);
        pthread_mutex_lock(&c->lock);
        bool room = c->qlen + c->busy < c->o.max_conns && c->qlen < QUEUE_CAP;
        if (room) {
            c->q[(c->qhead + c->qlen) % QUEUE_CAP] = w;
            c->qlen++;
            pthread_cond_signal(&c->cond);
        }
        pthread_mutex_unlock(&c->lock);
        if (!room) {
            /* Over the cap: close now rather than queue without end. */
            close(fd);
            log_warn("console: %s refused: %d connections already",
                     w.addr, c->o.max_conns);
        }
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
