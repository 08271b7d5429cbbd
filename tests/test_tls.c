/* tests/test_tls.c - the real mbedTLS back-end over an in-memory pipe:
 * handshake with mutual authentication, data both ways, resumption, and
 * every refusal (foreign CA, missing or foreign client certificate,
 * wrong host name), plus the read timeout. Certificates are made fresh
 * in a temporary directory with sync/pki. */
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

static struct tls_ctx *server_ctx(const char *crt, const char *key,
                                  bool optional)
{
    struct tls_params p = { .role = TLS_SERVER, .ca_file = path("ca.crt"),
                            .cert_file = path(crt), .key_file = path(key),
                            .peer_optional = optional, .timeout_ms = 2000 };
    struct tls_ctx *c = NULL;
    assert_int_equal(tls_ctx_create(&tls_mbedtls_ops, &p, &c), ERR_OK);
    return c;
}

static struct tls_ctx *client_ctx(const char *ca, const char *crt,
                                  const char *key)
{
    struct tls_params p = { .role = TLS_CLIENT, .ca_file = path(ca),
                            .cert_file = crt ? path(crt) : NULL,
                            .key_file = key ? path(key) : NULL,
                            .timeout_ms = 2000 };
    struct tls_ctx *c = NULL;
    assert_int_equal(tls_ctx_create(&tls_mbedtls_ops, &p, &c), ERR_OK);
    return c;
}

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
        cmocka_unit_test(csr_with_bad_signature_refused),
        cmocka_unit_test(ids_with_name_syntax_refused),
    };
    return cmocka_run_group_tests(tests, setup_all, teardown_all);
}
