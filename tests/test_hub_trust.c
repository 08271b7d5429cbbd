/* tests/test_hub_trust.c - whom hubd lets in: revocation per certificate
 * (a re-enrolment supersedes the older certificate, a revoked one stays
 * revoked, revoking by serial or fingerprint, on live and resumed
 * connections), 405 for a wrong method, and the rate limit on failed
 * enrolments (per address, with 429 and Retry-After). Over real TLS on
 * 127.0.0.1, plus the API in-process for other source addresses. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/log.h"
#include "hub/hub_api.h"
#include "hub/hub_db.h"
#include "hub/hub_limit.h"
#include "hub/hub_server.h"
#include "sync/http.h"
#include "sync/pki.h"
#include "sync/proto.h"
#include "sync/sync_enrol.h"
#include "sync/sync_link.h"
#include "tests/support/hub_fixture.h"

static char dir[64];
static struct hub_server *srv;
static pthread_t srv_thread;
static int port;

static char *p(const char *name)
{
    static char bufs[16][256];
    static int next;
    char *b = bufs[next++ % 16];
    snprintf(b, 256, "%s/%s", dir, name);
    return b;
}

static void *serve(void *arg)
{
    (void)arg;
    hub_server_run(srv);
    return NULL;
}

static void code_for(const char *station, const char *device, char *code)
{
    struct hub_db *db;
    assert_int_equal(hub_db_open(hubfx_store(p("hub/hub.db")), &db), ERR_OK);
    assert_int_equal(hub_db_enrol_code(db, station, device, code), ERR_OK);
    hub_db_close(db);
}

/* Enrol device of stA with a new key: key and crt written. */
static void enrol(const char *device, const char *key, const char *crt)
{
    char code[HUB_CODE_LEN + 1], st[64], dev[64];
    code_for("stA", device, code);
    struct sync_enrol_opts o = { .host = "127.0.0.1", .port = port,
                                 .ca_file = p("hub/ca.crt"), .code = code,
                                 .key_file = p(key), .cert_file = p(crt),
                                 .timeout_ms = 3000 };
    assert_int_equal(sync_enrol(&o, st, sizeof st, dev, sizeof dev), ERR_OK);
    assert_string_equal(dev, device);
}

static int setup_all(void **state)
{
    (void)state;
    log_set_level(LOG_LVL_ERROR);
    snprintf(dir, sizeof dir, "/tmp/test_hub_trust.XXXXXX");
    assert_non_null(mkdtemp(dir));
    char cmd[512];
    snprintf(cmd, sizeof cmd, "mkdir -p %s/hub", dir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(pki_key_new(p("hub/ca.key")), ERR_OK);
    assert_int_equal(pki_ca_new(p("hub/ca.key"), p("hub/ca.crt"), "CN=CA", 30),
                     ERR_OK);
    assert_int_equal(pki_key_new(p("hub/hub.key")), ERR_OK);
    assert_int_equal(pki_server_cert(p("hub/ca.key"), p("hub/ca.crt"),
                                     p("hub/hub.key"), "CN=localhost", 30,
                                     p("hub/hub.crt")), ERR_OK);
    struct hub_db *db;
    assert_int_equal(hub_db_open(hubfx_store(p("hub/hub.db")), &db), ERR_OK);
    assert_int_equal(hub_db_station_add(db, "stA", "A"), ERR_OK);
    hub_db_close(db);
    struct hub_server_opts o = { .dir = p("hub"), .store = hubfx_store(NULL),
                                 .host = "127.0.0.1",
                                 .port = 0, .timeout_ms = 3000 };
    assert_int_equal(hub_server_create(&o, &srv), ERR_OK);
    port = hub_server_port(srv);
    pthread_create(&srv_thread, NULL, serve, NULL);
    return 0;
}

static int teardown_all(void **state)
{
    (void)state;
    hub_server_stop(srv);
    pthread_join(srv_thread, NULL);
    hub_server_destroy(srv);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

static struct sync_link *link_as(const char *crt, const char *key)
{
    struct sync_link_opts o = { .host = "127.0.0.1", .port = port,
                                .ca_file = p("hub/ca.crt"),
                                .cert_file = crt ? p(crt) : NULL,
                                .key_file = key ? p(key) : NULL,
                                .timeout_ms = 3000, .max_reply = 1 << 22 };
    struct sync_link *l = NULL;
    assert_int_equal(sync_link_create(&o, &l), ERR_OK);
    return l;
}

/* The status of one request on l; the body's text into why (if given). */
static int status_on(struct sync_link *l, const char *method, const char *url,
                     const char *body, char *why, size_t cap)
{
    struct http_msg m;
    assert_int_equal(sync_link_request(l, method, url, "v=test;q=0", body,
                                       body ? strlen(body) : 0, &m), ERR_OK);
    int st = m.status;
    if (why)
        snprintf(why, cap, "%s", m.body ? m.body : "");
    http_msg_free(&m);
    return st;
}

/* The status of GET /v1/changes with a certificate, on a new link. */
static int changes_as(const char *crt, const char *key, char *why, size_t cap)
{
    struct sync_link *l = link_as(crt, key);
    int st = status_on(l, "GET", "/v1/changes?since=", NULL, why, cap);
    sync_link_destroy(l);
    return st;
}

static void serial_of(const char *crt, char *serial, char *sha256)
{
    struct pki_cert_info ci;
    assert_int_equal(pki_cert_info(p(crt), &ci), ERR_OK);
    strcpy(serial, ci.id.serial);
    if (sha256)
        strcpy(sha256, ci.id.sha256);
}

/* ---- revocation per certificate ---------------------------------------- */

static void reenrolment_supersedes_the_older_certificate(void **state)
{
    (void)state;
    char why[256];
    enrol("devR", "r1.key", "r1.crt");
    assert_int_equal(changes_as("r1.crt", "r1.key", NULL, 0), 200);
    enrol("devR", "r2.key", "r2.crt");
    assert_int_equal(changes_as("r1.crt", "r1.key", why, sizeof why), 403);
    assert_non_null(strstr(why, "superseded"));
    assert_int_equal(changes_as("r2.crt", "r2.key", NULL, 0), 200);
}

/* The case: revoke kiosk-a, enrol a replacement as kiosk-a; the
 * stolen unit's certificate must not work again. */
static void revoked_certificate_stays_refused_after_reenrolment(void **state)
{
    (void)state;
    char why[256];
    struct hub_db *db;
    enrol("kiosk-a", "a1.key", "a1.crt");
    assert_int_equal(changes_as("a1.crt", "a1.key", NULL, 0), 200);
    assert_int_equal(hub_db_open(hubfx_store(p("hub/hub.db")), &db), ERR_OK);
    assert_int_equal(hub_db_device_revoke(db, "kiosk-a"), ERR_OK);
    hub_db_close(db);
    assert_int_equal(changes_as("a1.crt", "a1.key", why, sizeof why), 403);
    assert_non_null(strstr(why, "revoked"));
    enrol("kiosk-a", "a2.key", "a2.crt");
    assert_int_equal(changes_as("a1.crt", "a1.key", why, sizeof why), 403);
    assert_non_null(strstr(why, "certificate revoked"));
    assert_int_equal(changes_as("a2.crt", "a2.key", NULL, 0), 200);
}

static void certificate_revoked_by_serial_or_fingerprint(void **state)
{
    (void)state;
    char serial[PKI_SERIAL_HEX], sha[PKI_SHA256_HEX], dev[64];
    char colons[3 * PKI_SHA256_HEX];
    struct hub_db *db;
    enrol("devS", "s1.key", "s1.crt");
    enrol("devF", "f1.key", "f1.crt");
    assert_int_equal(changes_as("s1.crt", "s1.key", NULL, 0), 200);
    serial_of("s1.crt", serial, NULL);
    assert_int_equal(hub_db_open(hubfx_store(p("hub/hub.db")), &db), ERR_OK);
    assert_int_equal(hub_db_cert_revoke(db, serial, dev, sizeof dev), ERR_OK);
    assert_string_equal(dev, "devS");
    /* The fingerprint as openssl prints it: upper case, colons. */
    serial_of("f1.crt", serial, sha);
    size_t o = 0;
    for (size_t i = 0; sha[i]; i += 2)
        o += (size_t)snprintf(colons + o, sizeof colons - o, "%s%c%c",
                              i ? ":" : "", sha[i] - (sha[i] > '9' ? 32 : 0),
                              sha[i + 1] - (sha[i + 1] > '9' ? 32 : 0));
    assert_int_equal(hub_db_cert_revoke(db, colons, dev, sizeof dev), ERR_OK);
    assert_string_equal(dev, "devF");
    assert_int_equal(hub_db_cert_revoke(db, "abcd", dev, sizeof dev),
                     ERR_NOTFOUND);
    assert_int_equal(hub_db_cert_revoke(db, "xyz", dev, sizeof dev),
                     ERR_INVAL);
    hub_db_close(db);
    assert_int_equal(changes_as("s1.crt", "s1.key", NULL, 0), 403);
    assert_int_equal(changes_as("f1.crt", "f1.key", NULL, 0), 403);
}

/* The check runs per request: neither a kept-alive connection nor a
 * session resumed from a ticket made before the revocation gets past. */
static void revocation_holds_on_live_and_resumed_connections(void **state)
{
    (void)state;
    struct hub_db *db;
    enrol("devL", "l1.key", "l1.crt");
    struct sync_link *l = link_as("l1.crt", "l1.key");
    assert_int_equal(status_on(l, "GET", "/v1/changes?since=", NULL, NULL, 0),
                     200);
    sync_link_close(l);             /* the next connection resumes */
    assert_int_equal(status_on(l, "GET", "/v1/changes?since=", NULL, NULL, 0),
                     200);
    assert_int_equal(hub_db_open(hubfx_store(p("hub/hub.db")), &db), ERR_OK);
    assert_int_equal(hub_db_device_revoke(db, "devL"), ERR_OK);
    hub_db_close(db);
    assert_int_equal(status_on(l, "GET", "/v1/changes?since=", NULL, NULL, 0),
                     403);
    sync_link_close(l);
    assert_int_equal(status_on(l, "GET", "/v1/changes?since=", NULL, NULL, 0),
                     403);
    sync_link_destroy(l);
}

/* ---- routing ----------------------------------------------------------- */

static void wrong_method_on_a_known_path_gets_405(void **state)
{
    (void)state;
    enrol("devM", "m1.key", "m1.crt");
    struct sync_link *l = link_as("m1.crt", "m1.key");
    assert_int_equal(status_on(l, "GET", "/v1/events", NULL, NULL, 0), 405);
    l = (sync_link_destroy(l), link_as("m1.crt", "m1.key"));
    assert_int_equal(status_on(l, "POST", "/v1/changes", "{}", NULL, 0), 405);
    l = (sync_link_destroy(l), link_as("m1.crt", "m1.key"));
    assert_int_equal(status_on(l, "DELETE", "/v1/bundles/latest", NULL, NULL,
                               0), 405);
    l = (sync_link_destroy(l), link_as("m1.crt", "m1.key"));
    assert_int_equal(status_on(l, "GET", "/v1/nothing", NULL, NULL, 0), 404);
    sync_link_destroy(l);
    l = link_as(NULL, NULL);
    assert_int_equal(status_on(l, "GET", "/v1/enrol", NULL, NULL, 0), 405);
    sync_link_destroy(l);
}

/* ---- failed enrolments ------------------------------------------------- */

/* One enrolment through the API in-process, as if from addr. */
static int enrol_from(struct hub_api *api, const char *addr, const char *code,
                      char *headers, size_t cap)
{
    char csr[PKI_PEM_MAX], *json = NULL;
    assert_int_equal(pki_key_new(p("x.key")), ERR_OK);
    assert_int_equal(pki_csr_new(p("x.key"), "CN=x", csr, sizeof csr), ERR_OK);
    assert_int_equal(proto_enrol_encode(code, csr, &json), ERR_OK);
    struct http_msg m = { .method = HTTP_M_POST, .body = json,
                          .body_len = strlen(json) };
    snprintf(m.url, sizeof m.url, "/v1/enrol");
    struct tls_peer peer = { .verified = false };
    struct hub_reply r;
    hub_api_handle(api, addr, &peer, &m, &r);
    if (headers)
        snprintf(headers, cap, "%s", r.headers);
    free(r.body);
    free(json);
    return r.status;
}

static void failed_enrolments_limited_per_address(void **state)
{
    (void)state;
    struct hub_api api;
    char hdr[128], code[HUB_CODE_LEN + 1];
    hub_api_init(&api);
    const char *store = hubfx_store(p("hub/hub.db"));
    assert_int_equal(hub_db_open(store, &api.db), ERR_OK);
    assert_int_equal(hub_db_open(store, &api.rdb), ERR_OK);
    snprintf(api.ca_key, sizeof api.ca_key, "%s", p("hub/ca.key"));
    snprintf(api.ca_cert, sizeof api.ca_cert, "%s", p("hub/ca.crt"));
    snprintf(api.dir, sizeof api.dir, "%s", p("hub"));
    for (int i = 0; i < HUB_LIMIT_PER_ADDR; i++)
        assert_int_equal(enrol_from(&api, "198.51.100.7", "AAAABBBBCCCCDDDD",
                                    NULL, 0), 403);
    assert_int_equal(enrol_from(&api, "198.51.100.7", "AAAABBBBCCCCDDDD",
                                hdr, sizeof hdr), 429);
    assert_non_null(strstr(hdr, "Retry-After: "));
    /* Even a good code waits while its address is limited ... */
    code_for("stA", "devG", code);
    assert_int_equal(enrol_from(&api, "198.51.100.7", code, NULL, 0), 429);
    /* ... and works from another address. */
    assert_int_equal(enrol_from(&api, "203.0.113.9", code, NULL, 0), 200);
    hub_db_close(api.rdb);
    hub_db_close(api.db);
    hub_api_fini(&api);
    /* And through the server, from 127.0.0.1. */
    int st = 0;
    for (int i = 0; i <= HUB_LIMIT_PER_ADDR && st != 429; i++) {
        struct sync_link *l = link_as(NULL, NULL);
        st = status_on(l, "POST", "/v1/enrol",
                       "{\"code\":\"AAAABBBBCCCCDDDD\",\"csr\":\"x\"}", NULL,
                       0);
        sync_link_destroy(l);
    }
    assert_int_equal(st, 429);
}

static void limiter_refills_and_bounds_its_log_lines(void **state)
{
    (void)state;
    struct hub_limit *l = hub_limit_create(5, 8);
    struct hub_limit_verdict v;
    int lines = 0;
    int64_t t = 1000;
    for (int i = 0; i < 5; i++) {
        hub_limit_admit(l, "a", t, &v);
        assert_true(v.allowed);
        lines += hub_limit_failed(l, "a", t) > 0;
    }
    hub_limit_admit(l, "a", t, &v);
    assert_false(v.allowed);
    assert_in_range(v.retry_s, 1, 13);
    /* A flood of a thousand more: no new line within the minute. */
    for (int i = 0; i < 1000; i++) {
        hub_limit_admit(l, "a", t + i, &v);
        lines += v.log_n > 0;
    }
    assert_int_equal(lines, 1);
    /* A minute on: tokens again, and one line counting every attempt
     * since the first line (4 + the refused 1 + 1000 + this one). */
    hub_limit_admit(l, "a", t + 61000, &v);
    assert_true(v.allowed);
    assert_int_equal(hub_limit_failed(l, "a", t + 61000), 1006);
    /* The global cap: 8 a minute from every address together. */
    hub_limit_admit(l, "b", t + 61000, &v);
    assert_true(v.allowed);
    for (int i = 0; i < 8; i++)
        hub_limit_failed(l, i % 2 ? "c" : "d", t + 61000);
    hub_limit_admit(l, "e", t + 61000, &v);
    assert_false(v.allowed);
    hub_limit_destroy(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reenrolment_supersedes_the_older_certificate),
        cmocka_unit_test(revoked_certificate_stays_refused_after_reenrolment),
        cmocka_unit_test(certificate_revoked_by_serial_or_fingerprint),
        cmocka_unit_test(revocation_holds_on_live_and_resumed_connections),
        cmocka_unit_test(wrong_method_on_a_known_path_gets_405),
        cmocka_unit_test(failed_enrolments_limited_per_address),
        cmocka_unit_test(limiter_refills_and_bounds_its_log_lines),
    };
    return cmocka_run_group_tests(tests, setup_all, teardown_all);
}
