/* hub/hub_server.c - one event-loop thread holds every connection while
 * it waits for bytes (epoll); a fixed pool of worker threads does the
 * work once bytes are there: a TLS handshake, or one request and its
 * answer. A connection costs a thread only while it is being served, so
 * thousands of idle or connecting kiosks cost file descriptors and a few
 * hundred bytes each, not a thread and its stack.
 *
 * Only the loop thread opens, counts and closes connections; a worker
 * hands a connection back through a queue (and an eventfd to wake the
 * loop) with "keep" or "close". What a request means is hub_api.c's. */
#define _GNU_SOURCE
#include "hub/hub_server.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "hub/hub_addr.h"
#include "hub/hub_api.h"
#include "hub/hub_db_pool.h"
#include "hub/hub_tickets.h"
#include "sync/http.h"
#include "sync/net.h"
#include "sync/proto.h"
#include "sync/tls.h"

#define WORKERS_MAX 256

/* Where an idle connection waits: UNAUTH has sent nothing yet (or has
 * no certificate), SHAKING is paused mid-handshake (it sent a hello, so
 * it is not counted per address: kiosks behind one address connecting
 * at once are many of these), AUTH has a verified certificate. */
enum idle_list { LIST_NONE, LIST_UNAUTH, LIST_SHAKING, LIST_AUTH };

struct conn {
    struct hub_server  *srv;
    int                 fd;
    char                addr[INET6_ADDRSTRLEN];
    struct hub_addr    *rec;           /* loop thread only */
    struct tls_io       sock;          /* the socket, timeout per call */
    struct tls_io       io;            /* sock within the deadline */
    int64_t             deadline_ms;   /* this exchange ends (worker) */
    struct tls_conn    *t;             /* NULL until the handshake */
    bool                shaking;       /* t's handshake is paused */
    int64_t             hs_deadline;   /* the handshake must end by then */
    struct http_reader *r;
    struct tls_peer     peer;
    bool                authed;        /* a verified client certificate */
    bool                close;         /* worker's verdict */
    bool                dead;          /* closed; freed after this batch */
    bool                tls_slot;      /* counted in tls_live (loop) */
    int64_t             waiting_since; /* in tls_wait since then */
    char                failure[96];   /* worker: the handshake's failure */
    /* Loop thread: which idle list, and its place there (oldest first,
     * so the head is the first to time out or be evicted). */
    enum idle_list      list;
    int64_t             idle_until;
    struct conn        *prev, *next;
    struct conn        *all_prev, *all_next;   /* every connection */
    struct conn        *qnext;         /* work or done queue */
};

struct queue {
    struct conn *head, *tail;
};

struct idle {
    struct conn *head, *tail;
    int          n;
};

struct hub_server {
    struct hub_api      api;
    struct tls_ctx     *tls;
    struct hub_tickets *tickets;
    int                 lfd, port, ep, done_fd;
    int                 wake[2];               /* self-pipe: stop */
    struct hub_server_opts o;                   /* with defaults filled */
    /* loop thread only */
    struct hub_addrs   *addrs;
    struct idle         unauth, shaking, auth;
    int                 nconns;
    struct conn        *dead;                   /* to free (qnext) */
    struct queue        tls_wait;               /* for a TLS slot */
    int                 tls_live;               /* connections with TLS */
    int64_t             accept_paused_until;
    /* shared */
    pthread_mutex_t     lock;                   /* work, done, all, stop */
    pthread_cond_t      work_cond;
    struct queue        work, done;
    struct conn        *all;
    bool                stopping;
    pthread_t          *workers;
    int                 nworkers;
    /* counters (struct hub_server_stats) */
    atomic_long         n_full, n_resumed, n_failed, n_evicted, n_refused,
                        n_timed_out, n_requests, n_shed, peak;
};

static int64_t mono_ms(void)
{
    return clock_mono_ms();
}

/* ---- the socket with deadlines ----------------------------------------- */

/* A client dripping one byte per timeout would hold its worker forever;
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

/* During the handshake nothing waits for the client: with no bytes
 * there, the handshake pauses and the connection goes back to the loop
 * (a client that stalls mid-handshake holds no worker). */
static err_code dl_recv(void *ctx, unsigned char *buf, size_t cap,
                        size_t *got, int timeout_ms)
{
    struct conn *c = ctx;
    int ms = left_ms(c, timeout_ms);
    if (ms <= 0)
        return ERR_TIMEOUT;
    if (c->t && !c->shaking)
        return c->sock.recv(c->sock.ctx, buf, cap, got, ms);
    *got = 0;
    for (;;) {
        ssize_t n = recv(c->fd, buf, cap, MSG_DONTWAIT);
        if (n >= 0) {
            *got = (size_t)n;
            return ERR_OK;
        }
        if (errno == EINTR)
            continue;
        return errno == EAGAIN || errno == EWOULDBLOCK ? ERR_BUSY : ERR_NET;
    }
}

/* ---- the worker side --------------------------------------------------- */

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

/* Go as far with the handshake as the client's bytes allow; false: it
 * failed (close). */
static bool handshake(struct hub_server *s, struct conn *c)
{
    err_code e;
    if (!c->t) {
        c->hs_deadline = mono_ms() + 2 * (int64_t)s->o.timeout_ms;
        c->deadline_ms = c->hs_deadline;
        c->shaking = true;
        e = tls_accept(s->tls, &c->io, &c->t);
    } else {
        c->deadline_ms = c->hs_deadline;
        e = tls_handshake(c->t);
    }
    if (e == ERR_BUSY)
        return true;                /* paused: back to the loop */
    c->shaking = false;
    if (e != ERR_OK) {
        if (c->t) {
            c->deadline_ms = 0;     /* no close_notify to a failed one */
            tls_close(c->t);
            c->t = NULL;
        }
        atomic_fetch_add(&s->n_failed, 1);
        const char *why = tls_last_failure();
        snprintf(c->failure, sizeof c->failure, "%s",
                 why[0] ? why : err_str(e));
        return false;
    }
    tls_peer(c->t, &c->peer);
    c->authed = c->peer.verified;
    atomic_fetch_add(c->peer.resumed ? &s->n_resumed : &s->n_full, 1);
    http_reader_create(true, PROTO_BODY_MAX, &c->r);
    return true;
}

/* The client has closed its side (it gave up waiting): answering would
 * be work for no one. Only the end of the stream, no bytes, says so. */
static bool peer_gone(int fd)
{
    char b;
    return recv(fd, &b, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

/* Serve requests while bytes are at hand; false: close the connection. */
static bool serve(struct hub_server *s, struct conn *c)
{
    for (;;) {
        struct http_msg m;
        c->deadline_ms = mono_ms() + 2 * (int64_t)s->o.timeout_ms;
        err_code e = http_read_tls(c->r, c->t, &m);
        if (e == ERR_PROTO || e == ERR_INVAL) {
            reject(c->t, &c->peer, &m);
            return false;
        }
        if (e != ERR_OK)
            return false;
        /* Under overload a request may have waited in the queue until
         * its client gave up: shed it rather than run it. */
        if (peer_gone(c->fd)) {
            http_msg_free(&m);
            atomic_fetch_add(&s->n_shed, 1);
            return false;
        }
        int64_t t0 = clock_mono_us();
        struct hub_reply rep;
        hub_api_handle(&s->api, c->addr, &c->peer, &m, &rep);
        bool keep = m.keep_alive && rep.status < 400;
        e = http_write_response_ex(c->t, rep.status, rep.type, rep.headers,
                                   rep.body, rep.len, keep);
        log_request(&c->peer, &m, &rep, clock_mono_us() - t0);
        atomic_fetch_add(&s->n_requests, 1);
        free(rep.body);
        http_msg_free(&m);
        if (e != ERR_OK || !keep)
            return false;
        if (!tls_pending(c->t) && !http_reader_pending(c->r))
            return true;            /* wait for the next one in the loop */
    }
}

static void *worker_main(void *arg)
{
    struct hub_server *s = arg;
    pthread_mutex_lock(&s->lock);
    for (;;) {
        while (!s->work.head && !s->stopping)
            pthread_cond_wait(&s->work_cond, &s->lock);
        if (!s->work.head)
            break;
        struct conn *c = s->work.head;
        s->work.head = c->qnext;
        if (!s->work.head)
            s->work.tail = NULL;
        c->qnext = NULL;
        bool stopping = s->stopping;
        pthread_mutex_unlock(&s->lock);
        /* A handshake, then back to the loop: the request follows when
         * the client sends it, and a client that stops here holds no
         * thread. */
        if (stopping)
            c->close = true;
        else if (!c->t || c->shaking)
            c->close = !handshake(s, c);
        else
            c->close = !serve(s, c);
        if (c->close && c->t) {      /* close_notify, within the deadline */
            tls_close(c->t);
            c->t = NULL;
        }
        pthread_mutex_lock(&s->lock);
        if (s->done.tail)
            s->done.tail->qnext = c;
        else
            s->done.head = c;
        s->done.tail = c;
        uint64_t one = 1;
        ssize_t rc = write(s->done_fd, &one, sizeof one);
        (void)rc;
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

/* ---- the loop side ----------------------------------------------------- */

static struct idle *list_of(struct hub_server *s, enum idle_list l)
{
    return l == LIST_UNAUTH    ? &s->unauth
         : l == LIST_SHAKING ? &s->shaking
         : l == LIST_AUTH    ? &s->auth : NULL;
}

/* Wait in the loop for bytes: on an idle list, the socket armed once. */
static void park(struct hub_server *s, struct conn *c, int64_t now, bool add)
{
    c->list = c->authed ? LIST_AUTH : c->shaking ? LIST_SHAKING : LIST_UNAUTH;
    struct idle *l = list_of(s, c->list);
    c->idle_until = now + s->o.timeout_ms;
    if (c->shaking && c->hs_deadline < c->idle_until)
        c->idle_until = c->hs_deadline;
    c->prev = l->tail;
    c->next = NULL;
    if (l->tail)
        l->tail->next = c;
    else
        l->head = c;
    l->tail = c;
    l->n++;
    if (c->list == LIST_UNAUTH)
        c->rec->idle_unauth++;
    struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT,
                              .data.ptr = c };
    epoll_ctl(s->ep, add ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, c->fd, &ev);
}

static void unpark(struct hub_server *s, struct conn *c)
{
    struct idle *l = list_of(s, c->list);
    if (!l)
        return;
    if (c->prev)
        c->prev->next = c->next;
    else
        l->head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    else
        l->tail = c->prev;
    l->n--;
    if (c->list == LIST_UNAUTH)
        c->rec->idle_unauth--;
    c->list = LIST_NONE;
    c->prev = c->next = NULL;
}

/* Free a connection's TLS side (best effort close_notify: the deadline
 * is already past, so nothing waits). */
static void conn_tls_free(struct conn *c)
{
    if (c->t) {
        c->deadline_ms = 0;
        tls_close(c->t);
        c->t = NULL;
    }
    http_reader_destroy(c->r);
    c->r = NULL;
}

/* ev < 0: nothing to log. */
static void conn_close(struct hub_server *s, struct conn *c, int ev,
                       const char *why, int64_t now)
{
    unpark(s, c);
    conn_tls_free(c);
    pthread_mutex_lock(&s->lock);
    if (c->all_prev)
        c->all_prev->all_next = c->all_next;
    else
        s->all = c->all_next;
    if (c->all_next)
        c->all_next->all_prev = c->all_prev;
    pthread_mutex_unlock(&s->lock);
    c->rec->conns--;
    if (c->tls_slot) {
        s->tls_live--;
        c->tls_slot = false;
    }
    if (ev >= 0)
        hub_addrs_note(s->addrs, c->rec, (enum hub_addr_event)ev, why, now);
    hub_addrs_release(s->addrs, c->rec);
    close(c->fd);
    s->nconns--;
    /* An event for it may still be in this batch: freed after it. */
    c->dead = true;
    c->qnext = s->dead;
    s->dead = c;
}

static void bury(struct hub_server *s)
{
    for (struct conn *c = s->dead, *n; c; c = n) {
        n = c->qnext;
        free(c);
    }
    s->dead = NULL;
}

static void to_work(struct hub_server *s, struct conn *c)
{
    unpark(s, c);
    /* A TLS context costs ~40 KB: at most max_tls at once. A new
     * connection beyond that waits here, holding only its descriptor,
     * until one ends (a restart storm costs memory in proportion to the
     * cap, not to the kiosks). */
    if (!c->tls_slot) {
        if (s->tls_live >= s->o.max_tls) {
            c->waiting_since = mono_ms();
            if (s->tls_wait.tail)
                s->tls_wait.tail->qnext = c;
            else
                s->tls_wait.head = c;
            s->tls_wait.tail = c;
            return;
        }
        c->tls_slot = true;
        s->tls_live++;
    }
    pthread_mutex_lock(&s->lock);
    if (s->work.tail)
        s->work.tail->qnext = c;
    else
        s->work.head = c;
    s->work.tail = c;
    pthread_cond_signal(&s->work_cond);
    pthread_mutex_unlock(&s->lock);
}

static int bytes_waiting(int fd)
{
    int n = 0;
    return ioctl(fd, FIONREAD, &n) == 0 ? n : 0;
}

/* Make room: the oldest idle connection of list l (of address only, if
 * given) goes. One that has bytes waiting after all (the loop has not
 * seen them yet) is not idle: it goes to work instead. False: none. */
static bool evict_one(struct hub_server *s, struct idle *l,
                      const struct hub_addr *only, int64_t now)
{
    for (struct conn *c = l->head, *n; c; c = n) {
        n = c->next;
        if (only && c->rec != only)
            continue;
        if (bytes_waiting(c->fd) > 0) {
            struct epoll_event off = { .events = 0, .data.ptr = c };
            epoll_ctl(s->ep, EPOLL_CTL_MOD, c->fd, &off);  /* disarm */
            to_work(s, c);
            return true;
        }
        atomic_fetch_add(&s->n_evicted, 1);
        conn_close(s, c, HUB_ADDR_EVICTED, NULL, now);
        return true;
    }
    return false;
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

/* A new connection is idle and unauthenticated until it sends. Those
 * are capped per address and in all, the oldest giving way to the
 * newest: a flood from one address ends its own oldest connections, not
 * other addresses' and never an authenticated kiosk's; and whatever the
 * flood, a kiosk's connection sends its hello at once, so it leaves the
 * idle list before it could be the oldest. */
static void admit(struct hub_server *s, int fd, int64_t now)
{
    struct conn *c = xcalloc(1, sizeof *c);
    c->srv = s;
    c->fd = fd;
    net_io_init(&c->sock, &c->fd);
    c->io.ctx = c;
    c->io.send = dl_send;
    c->io.recv = dl_recv;
    peer_addr(fd, c->addr, sizeof c->addr);
    c->rec = hub_addrs_get(s->addrs, c->addr);
    c->rec->conns++;
    s->nconns++;
    long peak = atomic_load(&s->peak);
    if (s->nconns > peak)
        atomic_store(&s->peak, s->nconns);
    pthread_mutex_lock(&s->lock);
    c->all_next = s->all;
    if (s->all)
        s->all->all_prev = c;
    s->all = c;
    pthread_mutex_unlock(&s->lock);

    while (c->rec->idle_unauth >= s->o.max_unauth_per_addr &&
           evict_one(s, &s->unauth, c->rec, now))
        ;
    while (s->unauth.n >= s->o.max_unauth && evict_one(s, &s->unauth, NULL,
                                                       now))
        ;
    /* Paused handshakes hold a TLS context each: bounded in all. */
    while (s->shaking.n >= 4 * s->o.max_unauth &&
           evict_one(s, &s->shaking, NULL, now))
        ;
    if (s->nconns > s->o.max_conns &&
        !evict_one(s, &s->unauth, NULL, now) &&
        !evict_one(s, &s->shaking, NULL, now) &&
        !evict_one(s, &s->auth, NULL, now)) {
        atomic_fetch_add(&s->n_refused, 1);
        conn_close(s, c, HUB_ADDR_REFUSED, NULL, now);
        return;
    }
    park(s, c, now, true);
}

static void on_ready(struct hub_server *s, struct conn *c, uint32_t ev,
                     int64_t now)
{
    if (c->dead || c->list == LIST_NONE)
        return;                 /* closed, or sent to work, in this batch */
    /* Gone without a word (a flood's connections, or a kiosk that gave
     * up): close quietly, no handshake to fail. */
    if ((ev & (EPOLLHUP | EPOLLERR | EPOLLRDHUP)) &&
        bytes_waiting(c->fd) == 0) {
        conn_close(s, c, -1, NULL, now);
        return;
    }
    to_work(s, c);
}

static void take_done(struct hub_server *s, int64_t now)
{
    uint64_t n;
    ssize_t rc = read(s->done_fd, &n, sizeof n);
    (void)rc;
    pthread_mutex_lock(&s->lock);
    struct conn *c = s->done.head;
    s->done.head = s->done.tail = NULL;
    pthread_mutex_unlock(&s->lock);
    while (c) {
        struct conn *next = c->qnext;
        c->qnext = NULL;
        if (c->close)
            conn_close(s, c, c->failure[0] ? HUB_ADDR_FAILED : -1,
                       c->failure, now);
        else
            park(s, c, now, false);
        c = next;
    }
}

/* Connections waiting for a TLS slot: on to work while slots are free;
 * closed when they have waited out the timeout. */
static void tls_wait_take(struct hub_server *s, int64_t now)
{
    struct queue *q = &s->tls_wait;
    while (q->head && (s->tls_live < s->o.max_tls ||
                       now - q->head->waiting_since >= s->o.timeout_ms)) {
        struct conn *c = q->head;
        q->head = c->qnext;
        if (!q->head)
            q->tail = NULL;
        c->qnext = NULL;
        if (s->tls_live < s->o.max_tls) {
            to_work(s, c);
        } else {
            atomic_fetch_add(&s->n_timed_out, 1);
            conn_close(s, c, HUB_ADDR_TIMED_OUT, NULL, now);
        }
    }
}

/* Idle past the timeout: the oldest of each list first. */
static void sweep(struct hub_server *s, int64_t now)
{
    while (s->unauth.head && s->unauth.head->idle_until <= now) {
        atomic_fetch_add(&s->n_timed_out, 1);
        conn_close(s, s->unauth.head, HUB_ADDR_TIMED_OUT, NULL, now);
    }
    while (s->shaking.head && s->shaking.head->idle_until <= now) {
        atomic_fetch_add(&s->n_timed_out, 1);
        conn_close(s, s->shaking.head, HUB_ADDR_TIMED_OUT, NULL, now);
    }
    while (s->auth.head && s->auth.head->idle_until <= now)
        conn_close(s, s->auth.head, -1, NULL, now);  /* keep-alive over */
}

static void accept_all(struct hub_server *s, int64_t now)
{
    for (;;) {
        int fd;
        err_code e = net_accept(s->lfd, &fd);
        if (e == ERR_OK) {
            admit(s, fd, now);
            continue;
        }
        if (e != ERR_BUSY) {
            /* Out of descriptors: make room if an idle one can go, and
             * stop accepting for a moment (the backlog waits). */
            log_warn("hub: accept: %s (%d connections)", strerror(errno),
                     s->nconns);
            evict_one(s, &s->unauth, NULL, now);
            epoll_ctl(s->ep, EPOLL_CTL_DEL, s->lfd, NULL);
            s->accept_paused_until = now + 100;
        }
        return;
    }
}

err_code hub_server_run(struct hub_server *s)
{
    static const char tag_listen, tag_wake, tag_done;
    struct epoll_event ev = { .events = EPOLLIN };
    ev.data.ptr = (void *)&tag_listen;
    epoll_ctl(s->ep, EPOLL_CTL_ADD, s->lfd, &ev);
    ev.data.ptr = (void *)&tag_wake;
    epoll_ctl(s->ep, EPOLL_CTL_ADD, s->wake[0], &ev);
    ev.data.ptr = (void *)&tag_done;
    epoll_ctl(s->ep, EPOLL_CTL_ADD, s->done_fd, &ev);
    log_info("hub: listening on port %d (%d workers, at most %d full "
             "handshakes at once)", s->port, s->nworkers,
             s->o.max_full_handshakes);
    int64_t flushed = 0;
    struct epoll_event evs[256];
    for (;;) {
        int n = epoll_wait(s->ep, evs, 256, 200);
        if (n < 0 && errno != EINTR)
            return ERR_IO;
        int64_t now = mono_ms();
        for (int i = 0; i < n; i++) {
            void *p = evs[i].data.ptr;
            if (p == &tag_wake)
                return ERR_OK;
            if (p == &tag_listen)
                accept_all(s, now);
            else if (p == &tag_done)
                take_done(s, now);
            else
                on_ready(s, p, evs[i].events, now);
        }
        if (s->accept_paused_until && now >= s->accept_paused_until) {
            s->accept_paused_until = 0;
            ev.data.ptr = (void *)&tag_listen;
            epoll_ctl(s->ep, EPOLL_CTL_ADD, s->lfd, &ev);
        }
        sweep(s, now);
        tls_wait_take(s, now);
        bury(s);
        if (now - flushed >= 1000) {
            hub_addrs_flush(s->addrs, now);
            flushed = now;
        }
    }
}

/* ---- life cycle -------------------------------------------------------- */

static void path_join(char *out, size_t cap, const char *dir,
                      const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
}

static int online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

static void fill_defaults(struct hub_server_opts *o)
{
    int cpus = online_cpus();
    if (o->max_conns <= 0)
        o->max_conns = HUB_MAX_CONNS;
    if (o->timeout_ms <= 0)
        o->timeout_ms = 10000;
    if (o->workers <= 0)
        o->workers = 4 * cpus;
    if (o->workers > WORKERS_MAX)
        o->workers = WORKERS_MAX;
    if (o->max_full_handshakes <= 0)
        o->max_full_handshakes = cpus;
    if (o->max_unauth <= 0)
        o->max_unauth = HUB_MAX_UNAUTH;
    if (o->max_unauth_per_addr <= 0)
        o->max_unauth_per_addr = HUB_MAX_UNAUTH_PER_ADDR;
    if (o->max_tls <= 0)
        o->max_tls = HUB_MAX_TLS;
}

err_code hub_server_create(const struct hub_server_opts *o,
                           struct hub_server **out)
{
    struct hub_server *s = xcalloc(1, sizeof *s);
    char db[512], crt[512], key[512], tk[512];
    *out = NULL;
    s->o = *o;
    fill_defaults(&s->o);
    s->lfd = s->ep = s->done_fd = s->wake[0] = s->wake[1] = -1;
    hub_api_init(&s->api);
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->work_cond, NULL);
    s->addrs = hub_addrs_create();
    path_join(s->api.ca_key, sizeof s->api.ca_key, o->dir, "ca.key");
    path_join(s->api.ca_cert, sizeof s->api.ca_cert, o->dir, "ca.crt");
    snprintf(s->api.dir, sizeof s->api.dir, "%s", o->dir);
    path_join(db, sizeof db, o->dir, "hub.db");
    path_join(crt, sizeof crt, o->dir, "hub.crt");
    path_join(key, sizeof key, o->dir, "hub.key");
    path_join(tk, sizeof tk, o->dir, HUB_TICKETS_FILE);
    s->tickets = hub_tickets_file(tk, o->ticket_period_s);
    struct tls_params tp = { .role = TLS_SERVER, .ca_file = s->api.ca_cert,
                             .cert_file = crt, .key_file = key,
                             .peer_optional = true,
                             .timeout_ms = s->o.timeout_ms,
                             .tickets = hub_tickets_store(s->tickets),
                             .max_full_handshakes =
                                 s->o.max_full_handshakes };
    err_code e = hub_db_open(db, &s->api.db);
    if (e == ERR_OK)
        e = hub_db_open(db, &s->api.rdb);
    if (e == ERR_OK)
        e = hub_db_pool_open(db, HUB_DB_READERS, &s->api.readers);
    if (e == ERR_OK)
        e = tls_ctx_create(&tls_mbedtls_ops, &tp, &s->tls);
    if (e == ERR_OK && pipe2(s->wake, O_CLOEXEC | O_NONBLOCK) != 0)
        e = ERR_IO;
    if (e == ERR_OK &&
        ((s->ep = epoll_create1(EPOLL_CLOEXEC)) < 0 ||
         (s->done_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0))
        e = ERR_IO;
    if (e == ERR_OK)
        e = net_listen(o->host, o->port, &s->lfd, &s->port);
    if (e == ERR_OK) {
        s->workers = xcalloc((size_t)s->o.workers, sizeof *s->workers);
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, 512 * 1024);
        for (int i = 0; i < s->o.workers && e == ERR_OK; i++)
            if (pthread_create(&s->workers[i], &attr, worker_main, s) == 0)
                s->nworkers++;
            else
                e = ERR_IO;
        pthread_attr_destroy(&attr);
    }
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

void hub_server_stats(struct hub_server *s, struct hub_server_stats *out)
{
    out->full_handshakes = atomic_load(&s->n_full);
    out->resumed_handshakes = atomic_load(&s->n_resumed);
    out->failed_handshakes = atomic_load(&s->n_failed);
    out->evicted = atomic_load(&s->n_evicted);
    out->refused = atomic_load(&s->n_refused);
    out->timed_out = atomic_load(&s->n_timed_out);
    out->requests = atomic_load(&s->n_requests);
    out->shed = atomic_load(&s->n_shed);
    out->peak_conns = atomic_load(&s->peak);
    out->workers = s->nworkers;
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
    /* Workers in the middle of a read or write end at once. */
    pthread_mutex_lock(&s->lock);
    s->stopping = true;
    for (struct conn *c = s->all; c; c = c->all_next)
        shutdown(c->fd, SHUT_RDWR);
    pthread_cond_broadcast(&s->work_cond);
    pthread_mutex_unlock(&s->lock);
    for (int i = 0; i < s->nworkers; i++)
        pthread_join(s->workers[i], NULL);
    free(s->workers);
    bury(s);
    for (struct conn *c = s->all, *n; c; c = n) {
        n = c->all_next;
        conn_tls_free(c);
        close(c->fd);
        free(c);
    }
    int fds[] = { s->wake[0], s->wake[1], s->ep, s->done_fd };
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    tls_ctx_destroy(s->tls);
    hub_tickets_destroy(s->tickets);
    hub_addrs_destroy(s->addrs);
    hub_db_close(s->api.rdb);
    hub_db_pool_close(s->api.readers);
    hub_db_close(s->api.db);
    pthread_cond_destroy(&s->work_cond);
    pthread_mutex_destroy(&s->lock);
    hub_api_fini(&s->api);
    free(s);
}
