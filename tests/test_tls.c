/* tests/test_tls.c - the real mbedTLS back-end over an in-memory pipe:
 * handshake with mutual authentication, data both ways, resumption, and
 * every refusal (foreign CA, missing or foreign client certificate,
 * wrong host name, a certificate not for its role), the alert a bad
 * client certificate gets inside the handshake, the dates of the hub's
 * certificate judged by an injected clock, plus the read timeout.
 * Certificates are made fresh in a temporary directory with sync/pki;
 * tests/data/tls-fixed holds ones it cannot make (see its README). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/log.h"
#include "sync/pki.h"
#include "sync/tls.h"

/* ---- a memory pipe: two one-way byte queues ---------------------------- */

#define PIPE_CAP 65536

struct queue {
    unsigned char   buf[PIPE_CAP];
    size_t          len;
    bool            closed;
};

struct pipe_pair {
    pthread_mutex_t lock;
    pthread_cond_t  cond;
    struct queue    q[2];                /* 0: client->server, 1: back */
    unsigned char   s2c[PIPE_CAP];       /* all the server ever sent */
    size_t          s2c_len;
};

struct end {
    struct pipe_pair *p;
    int               out;               /* queue this end writes */
};

static err_code mp_send(void *ctx, const unsigned char *buf, size_t len,
                        size_t *sent, int timeout_ms)
{
    (void)timeout_ms;
    struct end *e = ctx;
    struct queue *q = &e->p->q[e->out];
    pthread_mutex_lock(&e->p->lock);
    size_t room = PIPE_CAP - q->len;
    size_t n = len < room ? len : room;
    memcpy(q->buf + q->len, buf, n);
    q->len += n;
    if (e->out == 1 && e->p->s2c_len + n <= PIPE_CAP) {
        memcpy(e->p->s2c + e->p->s2c_len, buf, n);
        e->p->s2c_len += n;
    }
    pthread_cond_broadcast(&e->p->cond);
    pthread_mutex_unlock(&e->p->lock);
    *sent = n;
    return n > 0 ? ERR_OK : ERR_NET;
}

static err_code mp_recv(void *ctx, unsigned char *buf, size_t cap,
                        size_t *got, int timeout_ms)
{
    struct end *e = ctx;
    struct queue *q = &e->p->q[!e->out];
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&e->p->lock);
    while (q->len == 0 && !q->closed) {
        if (pthread_cond_timedwait(&e->p->cond, &e->p->lock, &until) != 0) {
            pthread_mutex_unlock(&e->p->lock);
            *got = 0;
            return ERR_TIMEOUT;
        }
    }
    size_t n = q->len < cap ? q->len : cap;
    memcpy(buf, q->buf, n);
    memmove(q->buf, q->buf + n, q->len - n);
    q->len -= n;
    pthread_mutex_unlock(&e->p->lock);
    *got = n;
    return ERR_OK;
}

static void pipe_close(struct pipe_pair *p)
{
    pthread_mutex_lock(&p->lock);
    p->q[0].closed = p->q[1].closed = true;
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
}

/* ---- certificates ------------------------------------------------------ */

static char dir[64];

static char *path(const char *name)
{
    static char bufs[8][256];
    static int next;
    char *b = bufs[next++ % 8];
    snprintf(b, 256, "%s/%s", dir, name);
    return b;
}

static void client_cert(const char *ca, const char *key, const char *crt,
                        const char *subject)
{
    char csr[PKI_PEM_MAX], pem[PKI_PEM_MAX];
    assert_int_equal(pki_key_new(path(key)), ERR_OK);
    assert_int_equal(pki_csr_new(path(key), "CN=ignored", csr, sizeof csr),
                     ERR_OK);
    char cakey[64], cacrt[64];
    snprintf(cakey, sizeof cakey, "%s.key", ca);
    snprintf(cacrt, sizeof cacrt, "%s.crt", ca);
    assert_int_equal(pki_csr_sign(path(cakey), path(cacrt), csr, strlen(csr),
                                  subject, 30, pem, sizeof pem), ERR_OK);
    assert_int_equal(pki_file_write(path(crt), pem, strlen(pem), 0644),
                     ERR_OK);
}

static void make_ca(const char *name)
{
    char key[64], crt[64];
    snprintf(key, sizeof key, "%s.key", name);
    snprintf(crt, sizeof crt, "%s.crt", name);
    assert_int_equal(pki_key_new(path(key)), ERR_OK);
    assert_int_equal(pki_ca_new(path(key), path(crt), "CN=Test CA,O=test",
                                30), ERR_OK);
}

static int setup_all(void **state)
{
    (void)state;
    log_set_level(LOG_LVL_ERROR);
    snprintf(dir, sizeof dir, "/tmp/test_tls.XXXXXX");
    assert_non_null(mkdtemp(dir));
    make_ca("ca");
    make_ca("evil");
    assert_int_equal(pki_key_new(path("hub.key")), ERR_OK);
    assert_int_equal(pki_server_cert(path("ca.key"), path("ca.crt"),
                                     path("hub.key"), "CN=localhost", 30,
                                     path("hub.crt")), ERR_OK);
    assert_int_equal(pki_key_new(path("evilhub.key")), ERR_OK);
    assert_int_equal(pki_server_cert(path("evil.key"), path("evil.crt"),
                                     path("evilhub.key"), "CN=localhost", 30,
                                     path("evilhub.crt")), ERR_OK);
    static const char *const names[] = { "hub.example", "192.0.2.7" };
    assert_int_equal(pki_server_cert_for(path("ca.key"), path("ca.crt"),
                                         path("hub.key"), "CN=hub", 30, names,
                                         2, path("namedhub.crt")), ERR_OK);
    client_cert("ca", "dev.key", "dev.crt", "CN=dev1,OU=st1,O=kiosk");
    client_cert("evil", "edev.key", "edev.crt", "CN=dev1,OU=st1,O=kiosk");
    return 0;
}

static int teardown_all(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

/* ---- a server thread --------------------------------------------------- */

struct server {
    struct tls_ctx  *ctx;
    struct end       end;
    struct tls_io    io;
    err_code         result;
    struct tls_peer  peer;
    char             got[64];
};

static void *server_main(void *arg)
{
    struct server *s = arg;
    struct tls_conn *t = NULL;
    s->result = tls_accept(s->ctx, &s->io, &t);
    if (s->result == ERR_OK) {
        tls_peer(t, &s->peer);
        size_t n = 0;
        s->result = tls_read(t, s->got, sizeof s->got - 1, &n);
        s->got[n] = '\0';
        if (s->result == ERR_OK)
            s->result = tls_write(t, "pong", 4);
        tls_close(t);
    }
    return NULL;
}

/* Full paths: a server pinning ca for its clients. */
static struct tls_ctx *server_ctx_at(const char *ca, const char *crt,
                                     const char *key, bool optional)
{
    struct tls_params p = { .role = TLS_SERVER, .ca_file = ca,
                            .cert_file = crt, .key_file = key,
                            .peer_optional = optional, .timeout_ms = 2000 };
    struct tls_ctx *c = NULL;
    assert_int_equal(tls_ctx_create(&tls_mbedtls_ops, &p, &c), ERR_OK);
    return c;
}

static struct tls_ctx *server_ctx(const char *crt, const char *key,
                                  bool optional)
{
    return server_ctx_at(path("ca.crt"), path(crt), path(key), optional);
}

/* Full paths; clock NULL: judged by the system clock. */
static struct tls_ctx *client_ctx_at(const char *ca, const char *crt,
                                     const char *key,
                                     const struct tls_clock *clock);

static struct tls_ctx *client_ctx(const char *ca, const char *crt,
                                  const char *key)
{
    return client_ctx_at(path(ca), crt ? path(crt) : NULL,
                         key ? path(key) : NULL, NULL);
}

/* A clock that says what the test set. */
static void fixed_clock(void *arg, struct tls_clock *out)
{
    *out = *(const struct tls_clock *)arg;
}

static struct tls_ctx *client_ctx_at(const char *ca, const char *crt,
                                     const char *key,
                                     const struct tls_clock *clock)
{
    struct tls_params p = { .role = TLS_CLIENT, .ca_file = ca,
                            .cert_file = crt, .key_file = key,
                            .timeout_ms = 2000 };
    if (clock) {
        p.clock = fixed_clock;
        p.clock_arg = (void *)clock;
    }
    struct tls_ctx *c = NULL;
    assert_int_equal(tls_ctx_create(&tls_mbedtls_ops, &p, &c), ERR_OK);
    return c;
}

/* What the last exchange() saw: whether the client's handshake
 * completed, and every byte the server sent. */
static bool last_connected;
static unsigned char last_s2c[PIPE_CAP];
static size_t last_s2c_len;

/* One exchange: client says ping, server answers pong. Returns the
 * client's result; *srv gets the server's view. */
static err_code exchange(struct tls_ctx *sctx, struct tls_ctx *cctx,
                         const char *host, struct server *srv,
                         struct tls_peer *cpeer)
{
    struct pipe_pair pp;
    memset(&pp, 0, sizeof pp);
    pthread_mutex_init(&pp.lock, NULL);
    pthread_cond_init(&pp.cond, NULL);
    memset(srv, 0, sizeof *srv);
    srv->ctx = sctx;
    srv->end = (struct end){ &pp, 1 };
    srv->io = (struct tls_io){ &srv->end, mp_send, mp_recv };
    struct end cend = { &pp, 0 };
    struct tls_io cio = { &cend, mp_send, mp_recv };
    pthread_t th;
    pthread_create(&th, NULL, server_main, srv);
    struct tls_conn *t = NULL;
    err_code e = tls_connect(cctx, &cio, host, &t);
    last_connected = e == ERR_OK;
    if (e == ERR_OK) {
        if (cpeer)
            tls_peer(t, cpeer);
        e = tls_write(t, "ping", 4);
        char buf[16];
        size_t n = 0;
        if (e == ERR_OK)
            e = tls_read(t, buf, sizeof buf, &n);
        if (e == ERR_OK && (n != 4 || memcmp(buf, "pong", 4) != 0))
            e = ERR_PROTO;
        tls_close(t);
    }
    pipe_close(&pp);
    pthread_join(th, NULL);
    memcpy(last_s2c, pp.s2c, pp.s2c_len);
    last_s2c_len = pp.s2c_len;
    pthread_cond_destroy(&pp.cond);
    pthread_mutex_destroy(&pp.lock);
    return e;
}

static void mutual_handshake_names_the_client(void **state)
{
    (void)state;
    struct tls_ctx *s = server_ctx("hub.crt", "hub.key", false);
    struct tls_ctx *c = client_ctx("ca.crt", "dev.crt", "dev.key");
    struct server srv;
    assert_int_equal(exchange(s, c, "localhost", &srv, NULL), ERR_OK);
    assert_int_equal(srv.result, ERR_OK);
    assert_string_equal(srv.got, "ping");
    assert_true(srv.peer.verified);
    assert_string_equal(srv.peer.cn, "dev1");
    assert_string_equal(srv.peer.ou, "st1");
    tls_ctx_destroy(c);
    tls_ctx_destroy(s);
}

static void second_connection_resumes_session(void **state)
{
    (void)state;
    struct tls_ctx *s = server_ctx("hub.crt", "hub.key", false);
    struct tls_ctx *c = client_ctx("ca.crt", "dev.crt", "dev.key");
    struct server srv;
    struct tls_peer cp;
    assert_int_equal(exchange(s, c, "127.0.0.1", &srv, &cp), ERR_OK);
    assert_false(cp.resumed);
    assert_int_equal(exchange(s, c, "127.0.0.1", &srv, &cp), ERR_OK);
    assert_true(cp.resumed);
    /* The resumed session still carries the client's identity. */
    assert_true(srv.peer.verified);
    assert_string_equal(srv.peer.cn, "dev1");
    tls_ctx_destroy(c);
    tls_ctx_destroy(s);
}

static void hub_from_foreign_ca_refused(void **state)
{
    (void)state;
    struct tls_ctx *s = server_ctx("evilhub.crt", "evilhub.key", false);
    struct tls_ctx *c = client_ctx("ca.crt", "dev.crt", "dev.key");
    struct server srv;
    assert_int_equal(exchange(s, c, "localhost", &srv, NULL), ERR_TLS);
    assert_int_not_equal(srv.result, ERR_OK);
    tls_ctx_destroy(c);
    tls_ctx_destroy(s);
}

static void wrong_host_name_refused(void **state)
{
    (void)state;
    struct tls_ctx *s = server_ctx("hub.crt", "hub.key", false);
    struct tls_ctx *c = client_ctx("ca.crt", "dev.crt", "dev.key");
    struct server srv;
    assert_int_equal(exchange(s, c, "hub.example", &srv, NULL), ERR_TLS);
    tls_ctx_destroy(c);
    tls_ctx_destroy(s);
}

/* A hub made with `hubctl init hub.example 192.0.2.7` is reachable by
 * those names as well as by localhost, and by no other. */
static void hub_certificate_names_the_hosts_given(void **state)
{
    static const char *const ok[] = { "hub.example", "192.0.2.7",
                                      "localhost" };
    struct tls_ctx *s = server_ctx("namedhub.crt", "hub.key", false);
    struct server srv;

    (void)state;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        struct tls_ctx *c = client_ctx("ca.crt", "dev.crt", "dev.key");
        assert_int_equal(exchange(s, c, ok[i], &srv, NULL), ERR_OK);
        tls_ctx_destroy(c);
    }
    struct tls_ctx *c = client_ctx("ca.crt", "dev.crt", "dev.key");
    assert_int_equal(exchange(s, c, "other.example", &srv, NULL), ERR_TLS);
    tls_ctx_destroy(c);
    tls_ctx_destroy(s);
    static const char *const bad[] = { "bad host!" };
    assert_int_equal(pki_server_cert_for(path("ca.key"), path("ca.crt"),
                                         path("hub.key"), "CN=hub", 30, bad,
                                         1, path("bad.crt")), ERR_INVAL);
}

static void client_without_cert_refused(void **state)
{
    (void)state;
    struct tls_ctx *s = server_ctx("hub.crt", "hub.key", false);
    struct tls_ctx *c = client_ctx("ca.crt", NULL, NULL);
    struct server srv;
    assert_int_not_equal(exchange(s, c, "localhost", &srv, NULL), ERR_OK);
    assert_int_equal(srv.result, ERR_TLS);
    tls_ctx_destroy(c);
    tls_ctx_destroy(s);
}

static void client_without_cert_unverified_when_optional(void **state)
{
    (void)state;
    struct tls_ctx *s = server_ctx("hub.crt", "hub.key", true);
    struct tls_ctx *c = client_ctx("ca.crt", NULL, NULL);
    struct server srv;
    assert_int_equal(exchange(s, c, "localhost", &srv, NULL), ERR_OK);
    assert_false(srv.peer.verified);
    assert_string_equal(srv.peer.cn, "");
    tls_ctx_destroy(c);
    tls_ctx_destroy(s);
}

static void client_cert_from_foreign_ca_refused_even_when_optional(
    void **state)
{
    (void)state;
    struct tls_ctx *s = server_ctx("hub.crt", "hub.key", true);
    struct tls_ctx *c = client_ctx("ca.crt", "edev.crt", "edev.key");
    struct server srv;
    assert_int_not_equal(exchange(s, c, "localhost", &srv, NULL), ERR_OK);
    assert_int_equal(srv.result, ERR_TLS);
    tls_ctx_destroy(c);
    tls_ctx_destroy(s);
}

static void silent_peer_times_out(void **state)
{
    (void)state;
    struct tls_params p = { .role = TLS_CLIENT, .ca_file = path("ca.crt"),
                            .timeout_ms = 100 };
    struct tls_ctx *c = NULL;
    assert_int_equal(tls_ctx_create(&tls_mbedtls_ops, &p, &c), ERR_OK);
    struct pipe_pair pp;
    memset(&pp, 0, sizeof pp);
    pthread_mutex_init(&pp.lock, NULL);
    pthread_cond_init(&pp.cond, NULL);
    struct end cend = { &pp, 0 };
    struct tls_io cio = { &cend, mp_send, mp_recv };
    struct tls_conn *t = NULL;
    assert_int_equal(tls_connect(c, &cio, "localhost", &t), ERR_TIMEOUT);
    assert_null(t);
    pthread_cond_destroy(&pp.cond);
    pthread_mutex_destroy(&pp.lock);
    tls_ctx_destroy(c);
}

/* ---- the hub's dates by the kiosk's clock (docs/time.md) --------------- */

#define DAY_MS (86400LL * 1000)
#define FIXED  "tests/data/tls-fixed/"

static int64_t now_ms(void)
{
    return (int64_t)time(NULL) * 1000;
}

/* The client's result against the hub certificate (valid from a day ago
 * for 30 days) with this clock. */
static err_code connect_with_clock(const struct tls_clock *clock)
{
    struct tls_ctx *s = server_ctx("hub.crt", "hub.key", false);
    struct tls_ctx *c = client_ctx_at(path("ca.crt"), path("dev.crt"),
                                      path("dev.key"), clock);
    struct server srv;
    err_code e = exchange(s, c, "localhost", &srv, NULL);
    tls_ctx_destroy(c);
    tls_ctx_destroy(s);
    return e;
}

/* The same against a hub certificate valid only from 2099: the system
 * clock of this machine is far behind it. */
static err_code connect_future_hub(const struct tls_clock *clock)
{
    struct tls_ctx *s = server_ctx_at(path("ca.crt"), FIXED "future-hub.crt",
                                      FIXED "hub.key", false);
    struct tls_ctx *c = client_ctx_at(FIXED "ca.crt", path("dev.crt"),
                                      path("dev.key"), clock);
    struct server srv;
    err_code e = exchange(s, c, "localhost", &srv, NULL);
    tls_ctx_destroy(c);
    tls_ctx_destroy(s);
    return e;
}

/* A Raspberry Pi without a clock battery boots with a clock days or a
 * year behind and untrusted: its first sync must get through, or it can
 * never learn the hub's time. */
static void kiosk_clock_behind_untrusted_connects_on_first_contact(
    void **state)
{
    (void)state;
    struct tls_clock two_days = { .wall_ms = now_ms() - 2 * DAY_MS };
    struct tls_clock a_year = { .wall_ms = now_ms() - 365 * DAY_MS };
    assert_int_equal(connect_with_clock(&two_days), ERR_OK);
    assert_int_equal(connect_with_clock(&a_year), ERR_OK);
    /* The system clock itself behind the hub's certificate: judged by
     * it (no clock given) the hub is refused; untrusted, it is not. */
    struct tls_clock system = { .wall_ms = now_ms() };
    assert_int_equal(connect_future_hub(NULL), ERR_TLS);
    assert_int_equal(connect_future_hub(&system), ERR_OK);
}

/* Once the store learned a hub time, the true time is at least that:
 * a hub certificate expired before it is refused, whatever the kiosk's
 * own clock says; one issued after it (a renewed hub) is not. */
static void untrusted_clock_judges_by_last_hub_time(void **state)
{
    (void)state;
    int64_t behind = now_ms() - 365 * DAY_MS;
    struct tls_clock learned = { .wall_ms = behind, .hub_ms = now_ms() };
    struct tls_clock renewed = { .wall_ms = behind,
                                 .hub_ms = now_ms() - 10 * DAY_MS };
    struct tls_clock past_expiry = { .wall_ms = behind,
                                     .hub_ms = now_ms() + 40 * DAY_MS };
    assert_int_equal(connect_with_clock(&learned), ERR_OK);
    assert_int_equal(connect_with_clock(&renewed), ERR_OK);
    assert_int_equal(connect_with_clock(&past_expiry), ERR_TLS);
    assert_false(last_connected);
}

/* A clock the kernel trusts judges both ends: wrong and trusted, the
 * hub's certificate is refused (not yet valid, or expired). */
static void trusted_clock_outside_validity_refused(void **state)
{
    (void)state;
    const int64_t off[] = { -2 * DAY_MS, -365 * DAY_MS, 40 * DAY_MS };
    for (size_t i = 0; i < sizeof off / sizeof off[0]; i++) {
        struct tls_clock wrong = { .wall_ms = now_ms() + off[i],
                                   .trusted = true,
                                   .hub_ms = now_ms() };
        assert_int_equal(connect_with_clock(&wrong), ERR_TLS);
    }
    struct tls_clock right = { .wall_ms = now_ms(), .trusted = true };
    assert_int_equal(connect_with_clock(&right), ERR_OK);
    assert_int_equal(connect_future_hub(&right), ERR_TLS);
}

/* ---- what a certificate is for ----------------------------------------- */

static void issued_certificates_carry_their_usage(void **state)
{
    (void)state;
    struct pki_cert_info ca, hub, named, dev;
    assert_int_equal(pki_cert_info(path("ca.crt"), &ca), ERR_OK);
    assert_int_equal(pki_cert_info(path("hub.crt"), &hub), ERR_OK);
    assert_int_equal(pki_cert_info(path("namedhub.crt"), &named), ERR_OK);
    assert_int_equal(pki_cert_info(path("dev.crt"), &dev), ERR_OK);
    assert_true(ca.ca);
    assert_false(ca.has_eku);
    assert_true(hub.server_auth && named.server_auth);
    assert_false(hub.client_auth || named.client_auth);
    assert_true(hub.digital_signature && named.digital_signature);
    assert_false(hub.ca);
    assert_true(dev.client_auth);
    assert_false(dev.server_auth);
    assert_true(dev.digital_signature);
    assert_false(dev.ca);
    /* Valid from a day before issue, for the days asked. */
    assert_true(llabs(hub.not_before_ms - (now_ms() - DAY_MS)) < 60000);
    assert_int_equal(hub.not_after_ms - hub.not_before_ms, 30 * DAY_MS);
    struct pki_cert_info old;
    assert_int_equal(pki_cert_info(FIXED "hub.crt", &old), ERR_OK);
    assert_false(old.has_eku || old.server_auth || old.client_auth);
    assert_int_equal(pki_cert_info(path("nothere.crt"), &old), ERR_IO);
}

/* A kiosk's certificate (clientAuth), even named localhost, cannot act
 * as the hub; nor can one with no extended key usage at all. */
static void hub_certificate_without_server_auth_refused(void **state)
{
    (void)state;
    client_cert("ca", "fakehub.key", "fakehub.crt", "CN=localhost");
    struct tls_ctx *s = server_ctx("fakehub.crt", "fakehub.key", false);
    struct tls_ctx *c = client_ctx("ca.crt", "dev.crt", "dev.key");
    struct server srv;
    assert_int_equal(exchange(s, c, "localhost", &srv, NULL), ERR_TLS);
    assert_false(last_connected);
    tls_ctx_destroy(c);
    tls_ctx_destroy(s);

    s = server_ctx_at(path("ca.crt"), FIXED "hub.crt", FIXED "hub.key",
                      false);
    c = client_ctx_at(FIXED "ca.crt", path("dev.crt"), path("dev.key"),
                      NULL);
    assert_int_equal(exchange(s, c, "localhost", &srv, NULL), ERR_TLS);
    assert_false(last_connected);
    tls_ctx_destroy(c);
    tls_ctx_destroy(s);
}

/* The first fatal alert the server sent in clear (before its
 * ChangeCipherSpec), or -1. */
static int server_alert(void)
{
    size_t off = 0;
    while (off + 5 <= last_s2c_len) {
        unsigned type = last_s2c[off];
        size_t len = (size_t)last_s2c[off + 3] << 8 | last_s2c[off + 4];
        if (type == 20)
            return -1;              /* ChangeCipherSpec: the rest is sealed */
        if (type == 21 && len == 2 && off + 7 <= last_s2c_len &&
            last_s2c[off + 5] == 2)
            return last_s2c[off + 6];
        off += 5 + len;
    }
    return -1;
}

#define ALERT_UNSUPPORTED_CERT  43
#define ALERT_CERT_EXPIRED      45
#define ALERT_UNKNOWN_CA        48

/* The hub's certificate (serverAuth) cannot log in as a kiosk, nor can a
 * kiosk certificate issued without an extended key usage: refused in the
 * handshake with unsupported_certificate (what mbedTLS itself sends for a
 * certificate not for this use), whether or not enrolment is open. */
static void client_certificate_without_client_auth_refused(void **state)
{
    (void)state;
    for (int optional = 0; optional < 2; optional++) {
        struct tls_ctx *s = server_ctx("hub.crt", "hub.key", optional);
        struct tls_ctx *c = client_ctx("ca.crt", "hub.crt", "hub.key");
        struct server srv;
        assert_int_not_equal(exchange(s, c, "localhost", &srv, NULL),
                             ERR_OK);
        assert_int_equal(srv.result, ERR_TLS);
        assert_false(last_connected);
        assert_int_equal(server_alert(), ALERT_UNSUPPORTED_CERT);
        tls_ctx_destroy(c);
        tls_ctx_destroy(s);

        s = server_ctx_at(FIXED "ca.crt", path("hub.crt"), path("hub.key"),
                          optional);
        c = client_ctx_at(path("ca.crt"), FIXED "kiosk.crt",
                          FIXED "kiosk.key", NULL);
        assert_int_not_equal(exchange(s, c, "localhost", &srv, NULL),
                             ERR_OK);
        assert_int_equal(srv.result, ERR_TLS);
        assert_false(last_connected);
        assert_int_equal(server_alert(), ALERT_UNSUPPORTED_CERT);
        tls_ctx_destroy(c);
        tls_ctx_destroy(s);
    }
}

/* The hub runs with enrolment open (a client without a certificate may
 * connect), which used to let a bad certificate finish the handshake and
 * then meet a reset. Now the client's handshake fails, on an alert that
 * says why. */
static void bad_client_certificate_gets_alert_in_handshake(void **state)
{
    (void)state;
    char csr[PKI_PEM_MAX], pem[PKI_PEM_MAX];
    assert_int_equal(pki_key_new(path("old.key")), ERR_OK);
    assert_int_equal(pki_csr_new(path("old.key"), "CN=x", csr, sizeof csr),
                     ERR_OK);
    /* 0 days: its validity ended a day ago. */
    assert_int_equal(pki_csr_sign(path("ca.key"), path("ca.crt"), csr,
                                  strlen(csr), "CN=dev1,OU=st1,O=kiosk", 0,
                                  pem, sizeof pem), ERR_OK);
    assert_int_equal(pki_file_write(path("old.crt"), pem, strlen(pem), 0644),
                     ERR_OK);
    static const struct {
        const char *crt, *key;
        int         alert;
    } bad[] = {
        { "edev.crt", "edev.key", ALERT_UNKNOWN_CA },
        { "old.crt", "old.key", ALERT_CERT_EXPIRED },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        for (int optional = 0; optional < 2; optional++) {
            struct tls_ctx *s = server_ctx("hub.crt", "hub.key", optional);
            struct tls_ctx *c = client_ctx("ca.crt", bad[i].crt, bad[i].key);
            struct server srv;
            assert_int_equal(exchange(s, c, "localhost", &srv, NULL),
                             ERR_TLS);
            assert_false(last_connected);
            assert_int_equal(srv.result, ERR_TLS);
            assert_int_equal(server_alert(), bad[i].alert);
            tls_ctx_destroy(c);
            tls_ctx_destroy(s);
        }
    }
}

static void csr_with_bad_signature_refused(void **state)
{
    (void)state;
    char csr[PKI_PEM_MAX], pem[PKI_PEM_MAX];
    assert_int_equal(pki_csr_new(path("dev.key"), "CN=x", csr, sizeof csr),
                     ERR_OK);
    /* Flip one base64 character near the end (inside the signature). */
    char *end = strstr(csr, "-----END");
    assert_non_null(end);
    end[-8] = end[-8] == 'A' ? 'B' : 'A';
    assert_int_equal(pki_csr_sign(path("ca.key"), path("ca.crt"), csr,
                                  strlen(csr), "CN=x", 30, pem, sizeof pem),
                     ERR_INVAL);
    assert_int_equal(pki_csr_sign(path("ca.key"), path("ca.crt"), "junk", 4,
                                  "CN=x", 30, pem, sizeof pem), ERR_INVAL);
}

static void ids_with_name_syntax_refused(void **state)
{
    (void)state;
    assert_true(pki_id_valid("station-01.a_b"));
    assert_false(pki_id_valid(""));
    assert_false(pki_id_valid("a,OU=b"));
    assert_false(pki_id_valid("a b"));
    assert_false(pki_id_valid("0123456789012345678901234567890123456789"
                              "012345678901234567890123"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mutual_handshake_names_the_client),
        cmocka_unit_test(second_connection_resumes_session),
        cmocka_unit_test(hub_from_foreign_ca_refused),
        cmocka_unit_test(wrong_host_name_refused),
        cmocka_unit_test(hub_certificate_names_the_hosts_given),
        cmocka_unit_test(client_without_cert_refused),
        cmocka_unit_test(client_without_cert_unverified_when_optional),
        cmocka_unit_test(
            client_cert_from_foreign_ca_refused_even_when_optional),
        cmocka_unit_test(silent_peer_times_out),
        cmocka_unit_test(
            kiosk_clock_behind_untrusted_connects_on_first_contact),
        cmocka_unit_test(untrusted_clock_judges_by_last_hub_time),
        cmocka_unit_test(trusted_clock_outside_validity_refused),
        cmocka_unit_test(issued_certificates_carry_their_usage),
        cmocka_unit_test(hub_certificate_without_server_auth_refused),
        cmocka_unit_test(client_certificate_without_client_auth_refused),
        cmocka_unit_test(bad_client_certificate_gets_alert_in_handshake),
        cmocka_unit_test(csr_with_bad_signature_refused),
        cmocka_unit_test(ids_with_name_syntax_refused),
    };
    return cmocka_run_group_tests(tests, setup_all, teardown_all);
}
