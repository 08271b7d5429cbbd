/* bench/bench_sync.c - how fast a kiosk uploads a month's backlog, and
 * what TLS costs. In one run, on 127.0.0.1 with real TLS:
 *  1. handshakes with our settings (P-256 only, TCP_NODELAY): full and
 *     resumed (session ticket);
 *  2. the floor: the same JSON bytes the backlog upload sends, written
 *     raw over one TLS connection to a sink;
 *  3. a backlog of 10,000 events uploaded by sync_round to a real hub
 *     (stored once each, synchronous=FULL), with events/s and the ratio
 *     against the floor. Target: under 2 s. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "firmware/store.h"
#include "hub/hub_db.h"
#include "hub/hub_server.h"
#include "sync/net.h"
#include "sync/pki.h"
#include "sync/proto.h"
#include "sync/sync.h"
#include "sync/tls.h"

#define BACKLOG 10000
#define BATCH   500

static char dir[64];

static char *p(const char *name)
{
    static char bufs[16][256];
    static int next;
    char *b = bufs[next++ % 16];
    snprintf(b, 256, "%s/%s", dir, name);
    return b;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what, err_code e)
{
    fprintf(stderr, "bench_sync: %s: %s\n", what, err_str(e));
    exit(1);
}

#define CHECK(x) \
    do { err_code e_ = (x); if (e_ != ERR_OK) die(#x, e_); } while (0)

static void certs(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "mkdir -p %s/hub", dir);
    if (system(cmd) != 0)
        exit(1);
    CHECK(pki_key_new(p("hub/ca.key")));
    CHECK(pki_ca_new(p("hub/ca.key"), p("hub/ca.crt"), "CN=CA", 30));
    CHECK(pki_key_new(p("hub/hub.key")));
    CHECK(pki_server_cert(p("hub/ca.key"), p("hub/ca.crt"), p("hub/hub.key"),
                          "CN=localhost", 30, p("hub/hub.crt")));
    char csr[PKI_PEM_MAX], pem[PKI_PEM_MAX];
    CHECK(pki_key_new(p("k.key")));
    CHECK(pki_csr_new(p("k.key"), "CN=x", csr, sizeof csr));
    CHECK(pki_csr_sign(p("hub/ca.key"), p("hub/ca.crt"), csr, strlen(csr),
                       "CN=bench-1,OU=st1,O=kiosk hub", 30, pem, sizeof pem));
    CHECK(pki_file_write(p("k.crt"), pem, strlen(pem), 0644));
    struct hub_db *db;
    char code[HUB_CODE_LEN + 1], st[64], dev[64];
    CHECK(hub_db_open(p("hub/hub.db"), &db));
    CHECK(hub_db_station_add(db, "st1", "bench"));
    CHECK(hub_db_enrol_code(db, "st1", "bench-1", code));
    CHECK(hub_db_enrol_take(db, code, st, sizeof st, dev, sizeof dev));
    hub_db_close(db);
}

/* ---- a raw TLS sink: reads everything, answers one byte per batch ----- */

struct sink {
    struct tls_ctx *ctx;
    int             lfd, port;
    size_t          expect;
};

static void *sink_main(void *arg)
{
    struct sink *s = arg;
    int fd;
    while (net_accept(s->lfd, &fd) != ERR_OK)
        usleep(100);
    struct tls_io io;
    net_io_init(&io, &fd);
    struct tls_conn *t;
    if (tls_accept(s->ctx, &io, &t) == ERR_OK) {
        static char buf[65536];
        size_t total = 0, got = 0;
        while (total < s->expect &&
               tls_read(t, buf, sizeof buf, &got) == ERR_OK && got > 0)
            total += got;
        tls_write(t, "k", 1);
        tls_close(t);
    }
    close(fd);
    return NULL;
}

static bool any_curve;

static struct tls_ctx *client_ctx(bool resume)
{
    struct tls_params cp = { .role = TLS_CLIENT, .ca_file = p("hub/ca.crt"),
                             .cert_file = p("k.crt"), .key_file = p("k.key"),
                             .no_resume = !resume, .timeout_ms = 10000,
                             .any_curve = any_curve };
    struct tls_ctx *c;
    CHECK(tls_ctx_create(&tls_mbedtls_ops, &cp, &c));
    return c;
}

/* Mean handshake time over n connections to the hub itself. */
static double handshake_ms(int port, bool resume, int n)
{
    struct tls_ctx *c = client_ctx(resume);
    double total = 0;
    int resumed = 0;
    for (int i = 0; i <= n; i++) {
        int fd;
        CHECK(net_connect("127.0.0.1", port, 3000, &fd));
        struct tls_io io;
        net_io_init(&io, &fd);
        struct tls_conn *t;
        double t0 = now_s();
        CHECK(tls_connect(c, &io, "127.0.0.1", &t));
        if (i > 0)                         /* the first one primes */
            total += now_s() - t0;
        struct tls_peer pr;
        tls_peer(t, &pr);
        resumed += i > 0 && pr.resumed;
        tls_close(t);
        close(fd);
    }
    tls_ctx_destroy(c);
    if (resume && resumed != n)
        fprintf(stderr, "bench_sync: only %d of %d resumed\n", resumed, n);
    return total / n * 1000;
}

struct pair {
    struct tls_ctx *ctx;
    int             lfd, n;
};

static void *pair_server(void *arg)
{
    struct pair *ps = arg;
    for (int i = 0; i <= ps->n; i++) {
        int fd;
        while (net_accept(ps->lfd, &fd) != ERR_OK)
            usleep(50);
        struct tls_io io;
        net_io_init(&io, &fd);
        struct tls_conn *t;
        if (tls_accept(ps->ctx, &io, &t) == ERR_OK)
            tls_close(t);
        close(fd);
    }
    return NULL;
}

/* Mean full handshake against a bare server, both ends choosing curves
 * the same way. */
static double pair_ms(bool any, int n)
{
    struct tls_params sp = { .role = TLS_SERVER, .ca_file = p("hub/ca.crt"),
                             .cert_file = p("hub/hub.crt"),
                             .key_file = p("hub/hub.key"), .timeout_ms = 10000,
                             .any_curve = any };
    struct pair ps = { .n = n };
    int port;
    CHECK(tls_ctx_create(&tls_mbedtls_ops, &sp, &ps.ctx));
    CHECK(net_listen("127.0.0.1", 0, &ps.lfd, &port));
    pthread_t th;
    pthread_create(&th, NULL, pair_server, &ps);
    any_curve = any;
    double ms = handshake_ms(port, false, n);
    any_curve = false;
    pthread_join(th, NULL);
    close(ps.lfd);
    tls_ctx_destroy(ps.ctx);
    return ms;
}

/* The bodies sync_round will send for the backlog. */
static char **bodies(int *count, size_t *bytes)
{
    int n = BACKLOG / BATCH;
    char **out = calloc((size_t)n, sizeof *out);
    struct event *ev = calloc(BATCH, sizeof *ev);
    *bytes = 0;
    for (int b = 0; b < n; b++) {
        for (int i = 0; i < BATCH; i++) {
            ev[i] = (struct event){ .seq = (uint64_t)(b * BATCH + i + 1),
                                    .kind = EVENT_CHECK_IN };
            snprintf(ev[i].member_no, sizeof ev[i].member_no, "HQ%04d", i % 60);
            clock_now(&ev[i].at);
            strcpy(ev[i].data, "{}");
        }
        size_t len;
        proto_events_encode(ev, BATCH, "st1", &out[b], &len);
        *bytes += len;
    }
    free(ev);
    *count = n;
    return out;
}

static double raw_floor(size_t *bytes_out)
{
    int n;
    size_t bytes;
    char **b = bodies(&n, &bytes);
    struct sink s = { .expect = bytes };
    struct tls_params sp = { .role = TLS_SERVER, .ca_file = p("hub/ca.crt"),
                             .cert_file = p("hub/hub.crt"),
                             .key_file = p("hub/hub.key"),
                             .timeout_ms = 10000 };
    CHECK(tls_ctx_create(&tls_mbedtls_ops, &sp, &s.ctx));
    CHECK(net_listen("127.0.0.1", 0, &s.lfd, &s.port));
    pthread_t th;
    pthread_create(&th, NULL, sink_main, &s);
    struct tls_ctx *c = client_ctx(false);
    int fd;
    CHECK(net_connect("127.0.0.1", s.port, 3000, &fd));
    struct tls_io io;
    net_io_init(&io, &fd);
    struct tls_conn *t;
    CHECK(tls_connect(c, &io, "127.0.0.1", &t));
    double t0 = now_s();
    for (int i = 0; i < n; i++)
        CHECK(tls_write(t, b[i], strlen(b[i])));
    char k;
    size_t got;
    CHECK(tls_read(t, &k, 1, &got));
    double el = now_s() - t0;
    tls_close(t);
    close(fd);
    pthread_join(th, NULL);
    close(s.lfd);
    tls_ctx_destroy(s.ctx);
    tls_ctx_destroy(c);
    for (int i = 0; i < n; i++)
        free(b[i]);
    free(b);
    *bytes_out = bytes;
    return el;
}

static void backlog(const char *db)
{
    struct store *s;
    CHECK(store_open(db, &s));
    CHECK(store_begin(s));
    for (int i = 0; i < BACKLOG; i++) {
        struct event ev = { .kind = EVENT_CHECK_IN };
        snprintf(ev.member_no, sizeof ev.member_no, "HQ%04d", i % 60);
        clock_now(&ev.at);
        strcpy(ev.data, "{}");
        CHECK(store_event_append(s, &ev));
    }
    CHECK(store_commit(s));
    store_close(s);
}

static void *serve(void *arg)
{
    hub_server_run(arg);
    return NULL;
}

int main(void)
{
    log_set_level(LOG_LVL_ERROR);
    snprintf(dir, sizeof dir, "/tmp/bench_sync.XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    certs();
    struct hub_server_opts o = { .dir = p("hub"), .host = "127.0.0.1" };
    struct hub_server *srv;
    CHECK(hub_server_create(&o, &srv));
    pthread_t th;
    pthread_create(&th, NULL, serve, srv);
    int port = hub_server_port(srv);

    double full = handshake_ms(port, false, 50);
    double res = handshake_ms(port, true, 200);
    printf("handshake, mutual TLS 1.2, ECDHE-ECDSA AES-GCM, TCP_NODELAY:\n"
           "  P-256 only: full %.2f ms, resumed (ticket) %.3f ms, "
           "ratio %.1fx\n", full, res, full / res);
    /* Both ends with the library's default curve list (secp521r1 first)
     * against both restricted to P-256, on a plain accept loop. */
    double narrow = pair_ms(false, 10), wide = pair_ms(true, 10);
    printf("  plain server, P-256 only: %.2f ms; mbedTLS default curves: "
           "%.2f ms (%.1fx)\n", narrow, wide, wide / narrow);

    size_t bytes;
    double raw = raw_floor(&bytes);
    printf("floor: %zu bytes of event JSON raw over one TLS connection: "
           "%.3f s (%.1f MB/s)\n", bytes, raw, bytes / raw / 1e6);

    backlog(p("kiosk.db"));
    struct sync_opts so = { .db_path = p("kiosk.db"), .host = "127.0.0.1",
                            .port = port, .ca_file = p("hub/ca.crt"),
                            .cert_file = p("k.crt"), .key_file = p("k.key"),
                            .station = "st1", .batch = BATCH };
    struct sync *sy;
    CHECK(sync_create(&so, &sy));
    double t0 = now_s();
    CHECK(sync_round(sy));
    double up = now_s() - t0;
    struct sync_status st;
    sync_status_get(sy, &st);
    sync_destroy(sy);
    printf("backlog: %d events uploaded and acknowledged in %.3f s "
           "(%.0f events/s, queue left %llu) [target < 2 s: %s]\n",
           BACKLOG, up, BACKLOG / up, (unsigned long long)st.queue,
           up < 2.0 ? "met" : "MISSED");
    printf("ratio backlog / raw TLS floor: %.1fx\n", up / raw);

    hub_server_stop(srv);
    pthread_join(th, NULL);
    hub_server_destroy(srv);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : 1;
}
