/* tests/test_hub.c - hubd's server in-process on 127.0.0.1 over real
 * TLS with throwaway certificates: enrolment, idempotent uploads, the
 * change feed, and every refusal (no or foreign client certificate, a
 * station sending for another, malformed HTTP and JSON, oversized
 * bodies), each checked to change nothing. */
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
#include <cjson/cJSON.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/service_rules.h"
#include "firmware/store.h"
#include "sync/http.h"
#include "hub/hub_report.h"
#include "hub/hub_review.h"
#include "hub/hub_stars.h"
#include "hub/hub_db.h"
#include "hub/hub_db_pool.h"
#include "hub/hub_db_roster.h"
#include "hub/hub_db_ticket.h"
#include "hub/hub_server.h"
#include "hub/hub_tickets.h"
#include "hub/hub_trim.h"
#include "sync/net.h"
#include "sync/pki.h"
#include "sync/proto.h"
#include "sync/sync_enrol.h"
#include "sync/sync_link.h"
#include "sync/tls.h"
#include "tests/support/damage.h"
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

static struct hub_server *srv_for_thread;

static void *serve_other(void *arg)
{
    (void)arg;
    hub_server_run(srv_for_thread);
    return NULL;
}

static void enrol(const char *station, const char *device, const char *key,
                  const char *crt)
{
    struct hub_db *db;
    char code[HUB_CODE_LEN + 1], st[64], dev[64];
    assert_int_equal(hub_db_open(hubfx_store(p("hub/hub.db")), &db), ERR_OK);
    assert_int_equal(hub_db_enrol_code(db, station, device, code), ERR_OK);
    hub_db_close(db);
    struct sync_enrol_opts o = { .host = "127.0.0.1", .port = port,
                                 .ca_file = p("hub/ca.crt"), .code = code,
                                 .key_file = p(key), .cert_file = p(crt),
                                 .timeout_ms = 3000 };
    assert_int_equal(sync_enrol(&o, st, sizeof st, dev, sizeof dev), ERR_OK);
    assert_string_equal(st, station);
    assert_string_equal(dev, device);
    /* The code is spent. */
    assert_int_equal(sync_enrol(&o, st, sizeof st, dev, sizeof dev),
                     ERR_DENIED);
}

static int setup_all(void **state)
{
    (void)state;
    log_set_level(LOG_LVL_ERROR);
    snprintf(dir, sizeof dir, "/tmp/test_hub.XXXXXX");
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
    assert_int_equal(hub_db_station_add(db, "stB", "B"), ERR_OK);
    /* The hub stores events of members it knows, of the sender's station
     * (the refusals have their own tests). */
    static const struct hub_member roster[] = {
        { "M1", "One", "", "", "stA", "", "" },
        { "M", "Em", "", "", "stA", "", "" },
        { "B1", "Bee", "", "", "stB", "", "" },
    };
    for (size_t i = 0; i < sizeof roster / sizeof roster[0]; i++)
        assert_int_equal(hub_db_member_put(db, &roster[i], true), ERR_OK);
    hub_db_close(db);
    struct hub_server_opts o = { .dir = p("hub"), .store = hubfx_store(NULL),
                                 .host = "127.0.0.1",
                                 .port = 0, .timeout_ms = 3000 };
    assert_int_equal(hub_server_create(&o, &srv), ERR_OK);
    port = hub_server_port(srv);
    pthread_create(&srv_thread, NULL, serve, NULL);
    enrol("stA", "devA", "a.key", "a.crt");
    enrol("stB", "devB", "b.key", "b.crt");
    /* A client certificate from a CA the hub does not know. */
    assert_int_equal(pki_key_new(p("evil.key")), ERR_OK);
    assert_int_equal(pki_ca_new(p("evil.key"), p("evil.crt"), "CN=CA", 30),
                     ERR_OK);
    char csr[PKI_PEM_MAX], pem[PKI_PEM_MAX];
    assert_int_equal(pki_key_new(p("e.key")), ERR_OK);
    assert_int_equal(pki_csr_new(p("e.key"), "CN=x", csr, sizeof csr), ERR_OK);
    assert_int_equal(pki_csr_sign(p("evil.key"), p("evil.crt"), csr,
                                  strlen(csr), "CN=devA,OU=stA", 30, pem,
                                  sizeof pem), ERR_OK);
    assert_int_equal(pki_file_write(p("e.crt"), pem, strlen(pem), 0644),
                     ERR_OK);
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

/* ---- helpers ------------------------------------------------------------ */

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

/* One request as device A (or whoever crt names); *status gets the
 * HTTP status, body copied into out when given. */
static err_code ask(const char *crt, const char *key, const char *method,
                    const char *url, const char *body, int *status,
                    char *out, size_t cap)
{
    struct sync_link *l = link_as(crt, key);
    struct http_msg m;
    err_code e = sync_link_request(l, method, url, "v=test;q=0", body,
                                   body ? strlen(body) : 0, &m);
    if (e == ERR_OK) {
        *status = m.status;
        if (out)
            snprintf(out, cap, "%s", m.body);
        http_msg_free(&m);
    }
    sync_link_destroy(l);
    return e;
}

static int held(const char *device)
{
    struct hub_db *db;
    assert_int_equal(hub_db_open(hubfx_store(p("hub/hub.db")), &db), ERR_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    hub_report_events(db, device, f);
    fclose(f);
    hub_db_close(db);
    int lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += buf[i] == '\n';
    free(buf);
    return lines - 1;                          /* minus the header */
}

static const char *batch(uint64_t from, uint64_t to, const char *station)
{
    static char buf[65536];
    size_t o = (size_t)snprintf(buf, sizeof buf, "{%s%s%s\"events\":[",
                                station ? "\"station\":\"" : "",
                                station ? station : "", station ? "\"," : "");
    for (uint64_t s = from; s <= to; s++)
        o += (size_t)snprintf(buf + o, sizeof buf - o,
                              "%s{\"seq\":%llu,\"kind\":\"check_in\","
                              "\"member_no\":\"M1\",\"wall_ms\":1000,"
                              "\"clock_trusted\":true,\"boot_id\":\"b\","
                              "\"mono_ms\":5,\"data\":{}}",
                              s == from ? "" : ",", (unsigned long long)s);
    snprintf(buf + o, sizeof buf - o, "]}");
    return buf;
}

/* ---- tests ------------------------------------------------------------- */

static void resent_batch_stored_once_and_acked(void **state)
{
    (void)state;
    int st = 0;
    char out[256];
    assert_int_equal(ask("a.crt", "a.key", "POST", "/v1/events",
                         batch(1, 5, "stA"), &st, out, sizeof out), ERR_OK);
    assert_int_equal(st, 200);
    assert_non_null(strstr(out, "\"acked\":5"));
    assert_non_null(strstr(out, "hub_time_ms"));
    assert_int_equal(ask("a.crt", "a.key", "POST", "/v1/events",
                         batch(3, 8, NULL), &st, out, sizeof out), ERR_OK);
    assert_int_equal(st, 200);
    assert_non_null(strstr(out, "\"acked\":8"));
    assert_int_equal(held("devA"), 8);
}

static void gap_holds_back_the_ack(void **state)
{
    (void)state;
    int st = 0;
    char out[256];
    assert_int_equal(ask("b.crt", "b.key", "POST", "/v1/events",
                         batch(3, 4, NULL), &st, out, sizeof out), ERR_OK);
    assert_non_null(strstr(out, "\"acked\":0"));
    assert_int_equal(ask("b.crt", "b.key", "POST", "/v1/events",
                         batch(1, 2, NULL), &st, out, sizeof out), ERR_OK);
    assert_non_null(strstr(out, "\"acked\":4"));
}

static void station_a_sending_for_b_refused(void **state)
{
    (void)state;
    int before = held("devA"), st = 0;
    assert_int_equal(ask("a.crt", "a.key", "POST", "/v1/events",
                         batch(100, 101, "stB"), &st, NULL, 0), ERR_OK);
    assert_int_equal(st, 403);
    assert_int_equal(ask("a.crt", "a.key", "GET",
                         "/v1/changes?since=&station=stB", NULL, &st, NULL, 0),
                     ERR_OK);
    assert_int_equal(st, 403);
    assert_int_equal(held("devA"), before);
    assert_int_equal(held("devB") >= 0, 1);
}

static void no_client_cert_refused(void **state)
{
    (void)state;
    int st = 0;
    assert_int_equal(ask(NULL, NULL, "POST", "/v1/events", batch(1, 1, NULL),
                         &st, NULL, 0), ERR_OK);
    assert_int_equal(st, 401);
    assert_int_equal(ask(NULL, NULL, "GET", "/v1/changes?since=", NULL, &st,
                         NULL, 0), ERR_OK);
    assert_int_equal(st, 401);
}

static void foreign_client_cert_refused(void **state)
{
    (void)state;
    int st = 0;
    int before = held("devA");
    assert_int_not_equal(ask("e.crt", "e.key", "POST", "/v1/events",
                             batch(50, 50, NULL), &st, NULL, 0), ERR_OK);
    assert_int_equal(held("devA"), before);
}

static void hub_with_foreign_ca_refused_by_kiosk(void **state)
{
    (void)state;
    struct sync_link_opts o = { .host = "127.0.0.1", .port = port,
                                .ca_file = p("evil.crt"),
                                .cert_file = p("a.crt"), .key_file = p("a.key"),
                                .timeout_ms = 3000, .max_reply = 4096 };
    struct sync_link *l = NULL;
    assert_int_equal(sync_link_create(&o, &l), ERR_OK);
    struct http_msg m;
    assert_int_equal(sync_link_request(l, "GET", "/v1/changes?since=", "",
                                       NULL, 0, &m), ERR_TLS);
    sync_link_destroy(l);
}

static void malformed_json_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "{", "[]", "{\"events\":{}}", "{\"events\":[1]}",
        "{\"events\":[{\"seq\":0,\"kind\":\"check_in\",\"member_no\":\"M\","
        "\"wall_ms\":1,\"clock_trusted\":true,\"mono_ms\":1}]}",
        "{\"events\":[{\"seq\":1.5,\"kind\":\"check_in\",\"member_no\":\"M\","
        "\"wall_ms\":1,\"clock_trusted\":true,\"mono_ms\":1}]}",
        "{\"events\":[{\"seq\":9,\"kind\":\"teleport\",\"member_no\":\"M\","
        "\"wall_ms\":1,\"clock_trusted\":true,\"mono_ms\":1}]}",
        "{\"events\":[{\"seq\":9,\"kind\":\"check_in\",\"member_no\":7,"
        "\"wall_ms\":1,\"clock_trusted\":true,\"mono_ms\":1}]}",
    };
    int before = held("devA");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int st = 0;
        assert_int_equal(ask("a.crt", "a.key", "POST", "/v1/events", bad[i],
                             &st, NULL, 0), ERR_OK);
        assert_int_equal(st, 400);
    }
    int st = 0;
    assert_int_equal(ask("a.crt", "a.key", "GET", "/v1/changes?since=x1", NULL,
                         &st, NULL, 0), ERR_OK);
    assert_int_equal(st, 400);
    assert_int_equal(ask("a.crt", "a.key", "GET", "/v1/nothing", NULL, &st,
                         NULL, 0), ERR_OK);
    assert_int_equal(st, 404);
    assert_int_equal(held("devA"), before);
}

/* Raw bytes over an authenticated TLS connection; the status answered. */
static int raw(const char *bytes, size_t len)
{
    struct tls_params tp = { .role = TLS_CLIENT, .ca_file = p("hub/ca.crt"),
                             .cert_file = p("a.crt"), .key_file = p("a.key"),
                             .timeout_ms = 3000 };
    struct tls_ctx *ctx;
    assert_int_equal(tls_ctx_create(&tls_mbedtls_ops, &tp, &ctx), ERR_OK);
    int fd;
    assert_int_equal(net_connect("127.0.0.1", port, 3000, &fd), ERR_OK);
    struct tls_io io;
    net_io_init(&io, &fd);
    struct tls_conn *t;
    assert_int_equal(tls_connect(ctx, &io, "127.0.0.1", &t), ERR_OK);
    int status = -1;
    if (tls_write(t, bytes, len) == ERR_OK) {
        struct http_reader *r;
        http_reader_create(false, 65536, &r);
        struct http_msg m;
        if (http_read_tls(r, t, &m) == ERR_OK) {
            status = m.status;
            http_msg_free(&m);
        }
        http_reader_destroy(r);
    }
    tls_close(t);
    close(fd);
    tls_ctx_destroy(ctx);
    return status;
}

static void malformed_http_refused(void **state)
{
    (void)state;
    static const char junk[] = "\x16\x03garbage\r\n\r\n";
    assert_int_equal(raw(junk, sizeof junk - 1), 400);
    static const char nover[] = "GET /v1/changes HTTP/9.9.9\r\n\r\n";
    assert_int_equal(raw(nover, sizeof nover - 1), 400);
    static const char badlen[] = "POST /v1/events HTTP/1.1\r\n"
                                 "Content-Length: -5\r\n\r\n";
    assert_int_equal(raw(badlen, sizeof badlen - 1), 400);
}

static void oversized_bodies_and_headers_refused(void **state)
{
    (void)state;
    int before = held("devA");
    char head[256];
    int n = snprintf(head, sizeof head, "POST /v1/events HTTP/1.1\r\n"
                     "Host: x\r\nContent-Length: %d\r\n\r\n",
                     PROTO_BODY_MAX + 1);
    assert_int_equal(raw(head, (size_t)n), 413);
    size_t big = HTTP_HEAD_MAX + 100;
    char *h = malloc(big + 64);
    n = snprintf(h, 64, "GET /v1/changes HTTP/1.1\r\nX-Pad: ");
    memset(h + n, 'a', big);
    memcpy(h + n + big, "\r\n\r\n", 4);
    assert_int_equal(raw(h, (size_t)n + big + 4), 431);
    free(h);
    char url[HTTP_URL_MAX + 64];
    n = snprintf(url, sizeof url, "GET /v1/changes?since=");
    memset(url + n, '1', HTTP_URL_MAX);
    memcpy(url + n + HTTP_URL_MAX, " HTTP/1.1\r\n\r\n", 14);
    assert_int_equal(raw(url, (size_t)n + HTTP_URL_MAX + 13), 414);
    assert_int_equal(held("devA"), before);
}

static void feed_pages_reach_the_end_and_carry_confirmations(void **state)
{
    (void)state;
    struct hub_db *db;
    assert_int_equal(hub_db_open(hubfx_store(p("hub/hub.db")), &db), ERR_OK);
    for (int i = 0; i < HUB_PAGE_CHANGES + 20; i++) {
        char key[16];
        snprintf(key, sizeof key, "N%d", i);
        assert_int_equal(hub_db_change_add(db, i % 2 ? "stA" : NULL, NULL,
                                           "notice", key,
                                           "{\"title\":\"t\",\"body\":\"b\","
                                           "\"published_ms\":1}"), ERR_OK);
    }
    assert_int_equal(hub_db_change_add(db, "stB", NULL, "notice", "onlyB",
                                       "{}"), ERR_OK);
    assert_int_equal(hub_db_change_add(db, "stA", "devZ", "log_status", "1",
                                       "{}"), ERR_OK);
    hub_db_close(db);
    char *out = malloc(1 << 20);
    char cursor[64] = "", url[128];
    bool more = true;
    int pages = 0;
    while (more) {
        int st = 0;
        snprintf(url, sizeof url, "/v1/changes?since=%s", cursor);
        assert_int_equal(ask("a.crt", "a.key", "GET", url, NULL, &st, out,
                             1 << 20), ERR_OK);
        assert_int_equal(st, 200);
        assert_null(strstr(out, "onlyB"));      /* other station's */
        assert_null(strstr(out, "log_status")); /* other device's */
        int64_t hub_ms;
        assert_int_equal(proto_page_peek(out, strlen(out), cursor,
                                         sizeof cursor, &more, &hub_ms),
                         ERR_OK);
        pages++;
    }
    free(out);
    assert_int_equal(pages, 2);
}

/* ---- the feed's cursor and the read pool -------------------------------- */

static const char *p_mkdir(const char *sub)
{
    static char cmd[300];
    snprintf(cmd, sizeof cmd, "mkdir -p %s/%s", dir, sub);
    return cmd;
}

static int64_t feed_head(void)
{
    struct hub_db *db;
    struct hub_feed_rule r = { HUB_FEED_ACTIVE_DAYS, 0 };
    struct hub_feed_stats fs;
    assert_int_equal(hub_db_open(hubfx_store(p("hub/hub.db")), &db), ERR_OK);
    assert_int_equal(hub_db_feed_stats(db, hub_now_ms(), &r, &fs), ERR_OK);
    hub_db_close(db);
    return fs.head;
}

static void add_changes(const char *station, const char *prefix, int n)
{
    struct hub_db *db;
    assert_int_equal(hub_db_open(hubfx_store(p("hub/hub.db")), &db), ERR_OK);
    for (int i = 0; i < n; i++) {
        char key[32];
        snprintf(key, sizeof key, "%s%d", prefix, i);
        assert_int_equal(hub_db_change_add(db, station, NULL, "notice", key,
                                           "{\"title\":\"t\",\"body\":\"b\","
                                           "\"published_ms\":1}"), ERR_OK);
    }
    hub_db_close(db);
}

/* Pages through hubd as device B from cursor until the end; the number
 * of changes given, the last cursor in cursor. */
static int poll_b(char *cursor, size_t cap, char *body, size_t bcap)
{
    bool more = true;
    int n = 0;
    while (more) {
        char url[128];
        int st = 0;
        int64_t hub_ms;
        snprintf(url, sizeof url, "/v1/changes?since=%s", cursor);
        assert_int_equal(ask("b.crt", "b.key", "GET", url, NULL, &st, body,
                             bcap), ERR_OK);
        assert_int_equal(st, 200);
        struct change_page page;
        assert_int_equal(proto_page_decode(body, strlen(body), &page, cursor,
                                           cap, &more), ERR_OK);
        n += (int)page.n;
        change_page_free(&page);
        (void)hub_ms;
    }
    return n;
}

/* A station with nothing of its own to read gets the log's head as its
 * cursor, however many changes other stations had; the next poll starts
 * there. Its own change still comes, and only it. */
static void quiet_station_cursor_moves_to_the_head(void **state)
{
    (void)state;
    char cursor[64] = "", *body = malloc(1 << 20);
    poll_b(cursor, sizeof cursor, body, 1 << 20);        /* catch up */
    add_changes("stA", "qa", 700);                       /* > a page */
    assert_int_equal(poll_b(cursor, sizeof cursor, body, 1 << 20), 0);
    char head[32];
    snprintf(head, sizeof head, "%lld", (long long)feed_head());
    assert_string_equal(cursor, head);
    assert_int_equal(poll_b(cursor, sizeof cursor, body, 1 << 20), 0);
    assert_string_equal(cursor, head);
    add_changes("stB", "qb", 1);
    add_changes("stA", "qc", 40);
    assert_int_equal(poll_b(cursor, sizeof cursor, body, 1 << 20), 1);
    assert_non_null(strstr(body, "\"qb0\""));
    snprintf(head, sizeof head, "%lld", (long long)feed_head());
    assert_string_equal(cursor, head);
    /* Malformed cursors. */
    static const char *const bad[] = { "12x", "s5.9", "s.1", "s1.", "-1",
                                       "s1.2.3", "1234567890123456789" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char url[64];
        int st = 0;
        snprintf(url, sizeof url, "/v1/changes?since=%s", bad[i]);
        assert_int_equal(ask("b.crt", "b.key", "GET", url, NULL, &st, NULL,
                             0), ERR_OK);
        assert_int_equal(st, 400);
    }
    /* Beyond the head (a hub restored from a backup): a snapshot, and the
     * head's cursor after it. */
    strcpy(cursor, "99999999");
    assert_true(poll_b(cursor, sizeof cursor, body, 1 << 20) >= 2);
    assert_non_null(strstr(body, "\"qb0\""));         /* the state */
    assert_non_null(strstr(body, "\"first\":true"));
    assert_string_equal(cursor, head);
    strcpy(cursor, "s99999999.0");
    poll_b(cursor, sizeof cursor, body, 1 << 20);
    assert_string_equal(cursor, head);
    free(body);
}

#define ORDER_WRITERS 3
#define ORDER_CHANGES 80

struct order_writer {
    int  id;
    bool done;
};

/* Changes for stO, each its own transaction, and for another station
 * between them (so the head runs ahead of stO's rows). */
static void *order_write(void *arg)
{
    struct order_writer *w = arg;
    struct hub_db *db;
    assert_int_equal(hub_db_open(hubfx_store(p("hub/hub.db")), &db), ERR_OK);
    for (int i = 0; i < ORDER_CHANGES; i++) {
        char key[32];
        snprintf(key, sizeof key, "o%d.%d", w->id, i);
        assert_int_equal(hub_db_change_add(db, i % 2 ? "stO" : "stP", NULL,
                                           "notice", key, "{}"), ERR_OK);
    }
    hub_db_close(db);
    __atomic_store_n(&w->done, true, __ATOMIC_RELEASE);
    return NULL;
}

/* Keys of one page into seen; the page's cursor into cur; whether more
 * follow. */
static bool order_page(const char *json, char *cur, size_t cap, int *seen)
{
    cJSON *r = cJSON_Parse(json), *c;
    assert_non_null(r);
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(r, "changes")) {
        int w, i;
        const char *k = cJSON_GetObjectItem(c, "key")->valuestring;
        if (sscanf(k, "o%d.%d", &w, &i) == 2)
            seen[w * ORDER_CHANGES + i]++;
    }
    snprintf(cur, cap, "%s", cJSON_GetObjectItem(r, "cursor")->valuestring);
    bool more = cJSON_IsTrue(cJSON_GetObjectItem(r, "more"));
    cJSON_Delete(r);
    return more;
}

/* The feed's head cursor with several writers at once (on PostgreSQL,
 * several connections taking ids before they commit): a kiosk polling
 * all along gets each of its changes once, none passed by the cursor. */
static void feed_polled_under_concurrent_writers_misses_nothing(void **st)
{
    (void)st;
    struct hub_db *rd;
    assert_int_equal(hub_db_open_reader(hubfx_store(p("hub/hub.db")), &rd),
                     ERR_OK);
    char cur[64] = "", *json;
    size_t len;
    int seen[ORDER_WRITERS * ORDER_CHANGES] = { 0 };
    /* From the head now: the log's present state is not the point. */
    assert_int_equal(hub_db_changes(rd, "stO", "devO", "", 1, &json, &len),
                     ERR_OK);
    while (order_page(json, cur, sizeof cur, seen)) {
        free(json);
        assert_int_equal(hub_db_changes(rd, "stO", "devO", cur, 1, &json,
                                        &len), ERR_OK);
    }
    free(json);
    memset(seen, 0, sizeof seen);
    struct order_writer w[ORDER_WRITERS];
    pthread_t th[ORDER_WRITERS];
    for (int i = 0; i < ORDER_WRITERS; i++) {
        w[i] = (struct order_writer){ .id = i };
        assert_int_equal(pthread_create(&th[i], NULL, order_write, &w[i]), 0);
    }
    bool all_done = false, more = true;
    while (!all_done || more) {
        all_done = true;
        for (int i = 0; i < ORDER_WRITERS; i++)
            all_done = all_done && __atomic_load_n(&w[i].done,
                                                   __ATOMIC_ACQUIRE);
        assert_int_equal(hub_db_changes(rd, "stO", "devO", cur, 1, &json,
                                        &len), ERR_OK);
        more = order_page(json, cur, sizeof cur, seen);
        free(json);
    }
    for (int i = 0; i < ORDER_WRITERS; i++)
        pthread_join(th[i], NULL);
    hub_db_close(rd);
    for (int i = 0; i < ORDER_WRITERS * ORDER_CHANGES; i++)
        assert_int_equal(seen[i], i % 2 ? 1 : 0);
}

/* An empty log: no snapshot, cursor 0; the first change then comes as
 * a snapshot to a kiosk that never had one. */
static void empty_log_read_without_a_snapshot(void **state)
{
    (void)state;
    struct hub_db *db;
    char *json = NULL;
    size_t len;
    assert_int_equal(system(p_mkdir("empty")), 0);
    assert_int_equal(hub_db_open(hubfx_store_new(p("empty/hub.db"), "empty"),
                                 &db), ERR_OK);
    assert_int_equal(hub_db_changes(db, "stE", "devE", "", 1, &json, &len),
                     ERR_OK);
    assert_null(strstr(json, "snapshot"));
    assert_non_null(strstr(json, "\"cursor\":\"0\""));
    free(json);
    assert_int_equal(hub_db_change_add(db, "stE", NULL, "notice", "E1",
                                       "{}"), ERR_OK);
    assert_int_equal(hub_db_changes(db, "stE", "devE", "0", 1, &json, &len),
                     ERR_OK);
    assert_non_null(strstr(json, "\"first\":true"));
    assert_non_null(strstr(json, "\"E1\""));
    assert_non_null(strstr(json, "\"cursor\":\"1\""));
    free(json);
    hub_db_close(db);
}

/* hubd's own trim: runs after its first delay and then again; a
 * trimmer waiting for its next run stops at once. */
static void trim_thread_trims_and_stops_at_once(void **state)
{
    (void)state;
    struct hub_db *db;
    assert_int_equal(system(p_mkdir("trim")), 0);
    const char *store = hubfx_store_new(p("trim/hub.db"), "trim");
    assert_int_equal(hub_db_open(store, &db), ERR_OK);
    for (int i = 0; i < 50; i++)
        assert_int_equal(hub_db_change_add(db, "stT", NULL, "notice",
                                           i % 2 ? "A" : "B",
                                           i % 5 ? "{}" : NULL), ERR_OK);
    struct hub_trim_opts o = { .db_path = store,
                               .rule = { HUB_FEED_ACTIVE_DAYS, 0 },
                               .first_ms = 0, .every_ms = 20 };
    struct hub_trim *t;
    assert_int_equal(hub_trim_start(&o, &t), ERR_OK);
    for (int i = 0; i < 1000 && hub_trim_runs(t) < 2; i++)
        usleep(10000);
    assert_true(hub_trim_runs(t) >= 2);
    hub_trim_stop(t);
    struct hub_feed_stats fs;
    assert_int_equal(hub_db_feed_stats(db, hub_now_ms(), &o.rule, &fs),
                     ERR_OK);
    assert_int_equal(fs.horizon, 50);
    assert_int_equal(fs.rows, 2);                  /* one row an item */
    hub_db_close(db);
    o.first_ms = 3600 * 1000;
    assert_int_equal(hub_trim_start(&o, &t), ERR_OK);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    hub_trim_stop(t);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_true(t1.tv_sec - t0.tv_sec < 5);
}

#define POOL_THREADS 6
#define POOL_POLLS   150

struct poller {
    struct hub_db_pool *pool;
    int failures, behind;
};

static void *poll_loop(void *arg)
{
    struct poller *w = arg;
    char cur[64] = "", *json;
    size_t len;
    for (int i = 0; i < POOL_POLLS; i++) {
        struct hub_db *db = hub_db_pool_take(w->pool);
        bool more;
        int64_t ms;
        err_code e = hub_db_changes(db, "stB", "devB", cur, 1, &json, &len);
        hub_db_pool_give(w->pool, db);
        if (e != ERR_OK ||
            proto_page_peek(json, len, cur, sizeof cur, &more, &ms) != ERR_OK)
            w->failures++;
        else if (strchr(cur, 's'))
            w->behind++;          /* a snapshot's part: fine, counted */
        if (e == ERR_OK)
            free(json);
    }
    return NULL;
}

/* Threads more than the pool has connections poll while the writer adds
 * changes: every poll is answered, none blocks for good. */
static void read_pool_serves_more_threads_than_connections(void **state)
{
    (void)state;
    struct hub_db_pool *pool;
    assert_int_equal(hub_db_pool_open(hubfx_store(p("hub/hub.db")), 2, &pool),
                     ERR_OK);
    struct poller w[POOL_THREADS];
    pthread_t th[POOL_THREADS];
    for (int i = 0; i < POOL_THREADS; i++) {
        w[i] = (struct poller){ .pool = pool };
        pthread_create(&th[i], NULL, poll_loop, &w[i]);
    }
    add_changes("stB", "pool", 200);
    for (int i = 0; i < POOL_THREADS; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(w[i].failures, 0);
    }
    hub_db_pool_close(pool);
}

/* A kiosk that connects and then says nothing holds only its own
 * thread: others are served at once. */
static void stalled_client_does_not_block_others(void **state)
{
    (void)state;
    int fds[8];
    for (int i = 0; i < 8; i++) {
        assert_int_equal(net_connect("127.0.0.1", port, 3000, &fds[i]),
                         ERR_OK);
        assert_int_equal(write(fds[i], "\x16\x03\x01", 3), 3);
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int st = 0;
    assert_int_equal(ask("a.crt", "a.key", "GET", "/v1/changes?since=", NULL,
                         &st, NULL, 0), ERR_OK);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_int_equal(st, 200);
    double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    assert_true(ms < 2500.0);       /* blocked, it would wait out 3 s */
    for (int i = 0; i < 8; i++)
        close(fds[i]);
}

/* An event made while the kiosk's clock was not trusted gets the hub's
 * time from the monotonic stamps of the same boot; a trusted one keeps
 * its own. */
static void untrusted_clock_corrected_from_boot_and_mono(void **state)
{
    (void)state;
    static const char body[] =
        "{\"events\":[{\"seq\":1,\"kind\":\"check_in\",\"member_no\":"
        "\"M\",\"wall_ms\":1000,\"clock_trusted\":false,\"boot_id\":"
        "\"bootX\",\"mono_ms\":5000,\"data\":{}},"
        "{\"seq\":2,\"kind\":\"check_in\",\"member_no\":\"M\","
        "\"wall_ms\":2000,\"clock_trusted\":false,\"boot_id\":\"old\","
        "\"mono_ms\":4000,\"data\":{}},"
        "{\"seq\":3,\"kind\":\"check_in\",\"member_no\":\"M\","
        "\"wall_ms\":3000,\"clock_trusted\":false,\"boot_id\":\"lost\","
        "\"mono_ms\":4000,\"data\":{}}]}";
    struct hub_db *db;
    char code[HUB_CODE_LEN + 1], st[64], dev[64];
    assert_int_equal(hub_db_open(hubfx_store(p("hub/hub.db")), &db), ERR_OK);
    assert_int_equal(hub_db_enrol_code(db, "stA", "devT", code), ERR_OK);
    hub_db_close(db);
    struct sync_enrol_opts o = { .host = "127.0.0.1", .port = port,
                                 .ca_file = p("hub/ca.crt"), .code = code,
                                 .key_file = p("t.key"),
                                 .cert_file = p("t.crt"),
                                 .timeout_ms = 3000 };
    assert_int_equal(sync_enrol(&o, st, sizeof st, dev, sizeof dev), ERR_OK);
    struct sync_link *l = link_as("t.crt", "t.key");
    struct http_msg m;
    /* An earlier contact in boot "old" leaves an anchor there. */
    int64_t old_at = hub_now_ms();
    assert_int_equal(sync_link_request(l, "GET", "/v1/changes?since=",
                                       "v=1;q=0;boot=old;mono=10000", NULL, 0,
                                       &m), ERR_OK);
    http_msg_free(&m);
    sync_link_close(l);
    int64_t before = hub_now_ms();
    assert_int_equal(sync_link_request(l, "POST", "/v1/events",
                                       "v=1;q=2;boot=bootX;mono=65000;"
                                       "wall=1000", body, strlen(body), &m),
                     ERR_OK);
    assert_int_equal(m.status, 200);
    http_msg_free(&m);
    sync_link_destroy(l);
    int64_t after = hub_now_ms();
    assert_int_equal(hub_db_open(hubfx_store(p("hub/hub.db")), &db), ERR_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    hub_report_events(db, "devT", f);
    fclose(f);
    hub_db_close(db);
    long long seq[3], ms[3];
    int c[3];
    char *line = strchr(buf, '\n') + 1;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(sscanf(line, "%lld,%*[^,],%*[^,],%lld,%d", &seq[i],
                                &ms[i], &c[i]), 3);
        line = strchr(line, '\n') + 1;
    }
    free(buf);
    assert_int_equal(c[0], 1);               /* this boot: 60 s ago */
    assert_true(ms[0] >= before - 60000 && ms[0] <= after - 60000);
    assert_int_equal(c[1], 1);               /* boot "old": 6 s before */
    assert_true(ms[1] >= old_at - 6000 && ms[1] <= before - 6000);
    assert_int_equal(c[2], 0);               /* no anchor: as it was */
    assert_int_equal(ms[2], 3000);
}

/* A client that drips a request one byte at a time, each within the
 * read timeout, is cut off at the exchange's deadline (twice the
 * timeout) instead of holding its thread for ever. */
static void dripping_client_cut_at_deadline(void **state)
{
    (void)state;
    struct hub_server *slow = NULL;
    struct hub_server_opts o = { .dir = p("hub"), .store = hubfx_store(NULL),
                                 .host = "127.0.0.1",
                                 .port = 0, .timeout_ms = 200 };
    assert_int_equal(hub_server_create(&o, &slow), ERR_OK);
    pthread_t th;
    srv_for_thread = slow;
    pthread_create(&th, NULL, serve_other, NULL);
    struct tls_params tp = { .role = TLS_CLIENT, .ca_file = p("hub/ca.crt"),
                             .cert_file = p("a.crt"), .key_file = p("a.key"),
                             .timeout_ms = 3000 };
    struct tls_ctx *ctx;
    assert_int_equal(tls_ctx_create(&tls_mbedtls_ops, &tp, &ctx), ERR_OK);
    int fd;
    assert_int_equal(net_connect("127.0.0.1", hub_server_port(slow), 3000,
                                 &fd), ERR_OK);
    struct tls_io io;
    net_io_init(&io, &fd);
    struct tls_conn *t;
    assert_int_equal(tls_connect(ctx, &io, "127.0.0.1", &t), ERR_OK);
    static const char req[] = "GET /v1/changes?since= HTTP/1.1\r\nX: "
                              "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    size_t sent = 0;
    while (sent < sizeof req - 1 && tls_write(t, req + sent, 1) == ERR_OK) {
        sent++;
        usleep(100 * 1000);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    /* The server gave up after ~400 ms; a write after that fails. */
    assert_true(sent < sizeof req - 1);
    assert_true(ms < 3500.0);       /* all of it would take 4.1 s */
    tls_close(t);
    close(fd);
    tls_ctx_destroy(ctx);
    hub_server_stop(slow);
    pthread_join(th, NULL);
    hub_server_destroy(slow);
}

/* A change feed over damaged pages fails (the handler answers 500)
 * instead of ending early: a page that stopped at the damage, marked
 * "no more", would tell kiosks they hold the whole board. hubd's start
 * check finds the damage and quotes SQLite's first problem. */
static void damaged_feed_and_events_fail_instead_of_ending_early(void **st)
{
    (void)st;
    const char *path = p("damaged/hub.db");
    struct hub_db *db;
    char big[600], *json = NULL, problem[256];
    size_t len;
    assert_int_equal(system(p_mkdir("damaged")), 0);
    snprintf(big, sizeof big, "{\"pad\":\"%0500d\"}", 7);
    assert_int_equal(hub_db_open(path, &db), ERR_OK);
    assert_int_equal(hub_db_station_add(db, "stD", "D"), ERR_OK);
    for (int i = 0; i < 300; i++) {
        char key[16];
        snprintf(key, sizeof key, "N%d", i);
        assert_int_equal(hub_db_change_add(db, "stD", NULL, "notice", key,
                                           big), ERR_OK);
    }
    assert_int_equal(hub_db_changes(db, "stD", "devD", "", 1, &json, &len),
                     ERR_OK);
    free(json);
    hub_db_close(db);
    assert_int_equal(hub_db_quick_check(path, problem, sizeof problem),
                     ERR_OK);
    assert_int_equal(damage_table_pages(path, "changes", 3, 4), 4);
    assert_int_equal(hub_db_quick_check(path, problem, sizeof problem),
                     ERR_CORRUPT);
    assert_non_null(strstr(problem, "Page"));   /* SQLite's first problem */
    assert_int_equal(hub_db_open(path, &db), ERR_OK);
    json = NULL;
    assert_int_equal(hub_db_changes(db, "stD", "devD", "", 1, &json, &len),
                     ERR_CORRUPT);
    assert_null(json);
    hub_db_close(db);
}

/* ---- epochs and the kiosk's rules at the hub ------------------------------ */

static const char *one_event(char *buf, size_t cap, const char *epoch,
                             uint64_t seq, const char *kind,
                             const char *member, int64_t wall,
                             const char *data)
{
    snprintf(buf, cap, "{\"epoch\":\"%s\",\"epoch_start\":1,\"events\":["
             "{\"seq\":%llu,\"kind\":\"%s\",\"member_no\":\"%s\","
             "\"wall_ms\":%lld,\"clock_trusted\":true,\"boot_id\":\"b\","
             "\"mono_ms\":5,\"data\":%s}]}", epoch, (unsigned long long)seq,
             kind, member, (long long)wall, data);
    return buf;
}

static char *csv_of(err_code (*fn)(struct hub_db *, const char *, FILE *),
                    const char *arg)
{
    struct hub_db *db;
    assert_int_equal(hub_db_open(hubfx_store(p("hub/hub.db")), &db), ERR_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(fn(db, arg, f), ERR_OK);
    fclose(f);
    hub_db_close(db);
    return buf;
}

static err_code conflicts_of(struct hub_db *db, const char *unused, FILE *f)
{
    (void)unused;
    return hub_db_conflicts_csv(db, f);
}

static void differing_event_at_held_key_refused_and_flagged(void **state)
{
    (void)state;
    int st = 0;
    char out[512], body[1024];
    assert_int_equal(ask("a.crt", "a.key", "POST", "/v1/events",
                         one_event(body, sizeof body, "ep1", 1, "check_in",
                                   "M1", 1000, "{}"), &st, out, sizeof out),
                     ERR_OK);
    assert_non_null(strstr(out, "\"acked\":1"));
    /* The same key again, identical: harmless. */
    assert_int_equal(ask("a.crt", "a.key", "POST", "/v1/events", body, &st,
                         out, sizeof out), ERR_OK);
    assert_non_null(strstr(out, "\"acked\":1"));
    assert_null(strstr(out, "conflict"));
    /* The same key with other content: not acknowledged, flagged. */
    assert_int_equal(ask("a.crt", "a.key", "POST", "/v1/events",
                         one_event(body, sizeof body, "ep1", 1, "check_in",
                                   "M1", 2000, "{}"), &st, out, sizeof out),
                     ERR_OK);
    assert_int_equal(st, 200);
    assert_non_null(strstr(out, "\"acked\":0"));
    assert_non_null(strstr(out, "\"conflict\":1"));
    char *csv = csv_of(conflicts_of, NULL);
    assert_non_null(strstr(csv, "\"stA\",\"devA\",\"ep1\",1,"
                                "\"check_in\",\"M1\",2000"));
    free(csv);
    /* Another epoch of the same device: the seq is free there. */
    assert_int_equal(ask("a.crt", "a.key", "POST", "/v1/events",
                         one_event(body, sizeof body, "ep2", 1, "check_in",
                                   "M1", 2000, "{}"), &st, out, sizeof out),
                     ERR_OK);
    assert_non_null(strstr(out, "\"acked\":1"));
    assert_null(strstr(out, "conflict"));
}

static void uploads_the_kiosk_would_refuse_are_refused_with_reasons(void **s)
{
    (void)s;
    char ymd[11], good[256];
    int64_t now = clock_wall_ms();
    clock_ymd(now, 0, ymd);
    static const struct {
        const char *kind, *member, *data_fmt, *reason;
    } bad[] = {
        { "service_log", "M1", "{\"category\":\"patrol\",\"minutes\":-500,"
          "\"day\":\"%s\"}", "minutes out of range" },
        { "service_log", "M1", "{\"category\":\"patrol\",\"minutes\":"
          "1000000000,\"day\":\"%s\"}", "minutes out of range" },
        { "service_log", "M1", "{\"category\":\"patrol\",\"minutes\":60,"
          "\"day\":\"not-a-day\"%.0s}", "malformed day" },
        { "service_log", "M1", "{\"category\":\"../x\",\"minutes\":60,"
          "\"day\":\"%s\"}", "unknown category" },
        { "check_in", "NOBODY", "{}%.0s", "unknown member" },
        { "check_in", "B1", "{}%.0s", "member of another station" },
        { "service_log", "M1", "{\"category\":\"patrol\",\"minutes\":60,"
          "\"day\":\"%s\",\"note\":\"a\\u0007b\"}", "control character" },
        { "service_log", "M1", "{\"category\":\"patrol\",\"minutes\":60,"
          "\"day\":\"%s\",\"note\":\"\xe2\x80\xae" "evil\"}",
          "bidi control character" },
        { "check_out", "M1", "{\"in_seq\":1,\"minutes\":99999%.0s}",
          "visit minutes out of range" },
    };
    size_t nb = sizeof bad / sizeof bad[0];
    char body[16384], data[512];
    size_t o = (size_t)snprintf(body, sizeof body, "{\"epoch\":\"rules\","
                                "\"epoch_start\":1,\"events\":[");
    for (size_t i = 0; i <= nb; i++) {
        if (i < nb)
            snprintf(data, sizeof data, bad[i].data_fmt, ymd);
        else
            snprintf(data, sizeof data, "{\"category\":\"patrol\","
                     "\"minutes\":60,\"day\":\"%s\"}", ymd);
        o += (size_t)snprintf(body + o, sizeof body - o, "%s{\"seq\":%zu,"
            "\"kind\":\"%s\",\"member_no\":\"%s\",\"wall_ms\":%lld,"
            "\"clock_trusted\":true,\"boot_id\":\"b\",\"mono_ms\":5,"
            "\"data\":%s}", i ? "," : "", i + 1,
            i < nb ? bad[i].kind : "service_log",
            i < nb ? bad[i].member : "M1", (long long)now, data);
    }
    snprintf(body + o, sizeof body - o, "]}");
    int st = 0;
    char out[4096];
    assert_int_equal(ask("a.crt", "a.key", "POST", "/v1/events", body, &st,
                         out, sizeof out), ERR_OK);
    assert_int_equal(st, 200);
    struct proto_answer a;
    assert_int_equal(proto_answer_decode(out, strlen(out), &a), ERR_OK);
    assert_int_equal(a.acked, nb + 1);             /* all acknowledged */
    assert_int_equal(a.n_refused, nb);
    for (size_t i = 0; i < nb; i++) {
        assert_int_equal(a.refused[i].seq, i + 1);
        assert_string_equal(a.refused[i].reason, bad[i].reason);
    }
    proto_answer_free(&a);
    /* Staff see each one. */
    char *csv = csv_of(hub_db_refused_csv, "stA");
    for (size_t i = 0; i < nb; i++) {
        snprintf(good, sizeof good, "\"stA\",\"devA\",\"rules\",%zu,",
                 i + 1);
        assert_non_null(strstr(csv, good));
        assert_non_null(strstr(csv, bad[i].reason));
    }
    free(csv);
    /* Only the valid log is pending; confirmed, it earns what 60 minutes
     * earn, and the star board is computed with sane points. */
    struct hub_db *db;
    assert_int_equal(hub_db_open(hubfx_store(p("hub/hub.db")), &db), ERR_OK);
    assert_int_equal(hub_review_decide_in(db, "devA", "rules", nb + 1, true,
                                          -1), ERR_OK);
    for (size_t i = 1; i <= nb; i++)
        assert_int_equal(hub_review_decide_in(db, "devA", "rules", i, true,
                                              -1), ERR_NOTFOUND);
    int changes = 0;
    assert_int_equal(hub_stars_publish(db, "stA", now, 0, stderr, &changes),
                     ERR_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(hub_report_members(db, 0, f), ERR_OK);
    fclose(f);
    hub_db_close(db);
    char *line = strstr(buf, ",\"M1\",");
    assert_non_null(line);
    assert_non_null(strstr(line, ",60,2"));        /* minutes, points */
    free(buf);
    assert_int_equal(hub_points_for(1000000000), SERVICE_MAX_MINUTES / 30);
}

/* What staff read and what hubd shares through the store, written once
 * for both engines: the same text on SQLite and on PostgreSQL. */
static void store_views_and_ticket_keys_alike_on_every_store(void **state)
{
    (void)state;
    struct hub_db *db;
    assert_int_equal(hub_db_open(hubfx_store(p("hub/hub.db")), &db), ERR_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    /* In January 1970 (the tests' fixed clock) both of stA's members
     * checked in; this month only M1 (the rules test): rates 1 and 0.5. */
    assert_int_equal(hub_report_stations(db, 0, f), ERR_OK);
    fflush(f);
    const char *row = strstr(buf, "\"1970-01\",\"stA\",2,2,");
    assert_non_null(row);
    assert_non_null(strstr(row, ",1.000"));
    row = strstr(row + 1, ",\"stA\",2,1,");
    assert_non_null(row);
    assert_non_null(strstr(row, ",0.500"));
    fclose(f);
    free(buf);
    buf = NULL;
    f = open_memstream(&buf, &len);
    assert_int_equal(hub_report_fleet(db, f), ERR_OK);
    fflush(f);
    row = strstr(buf, "\"devA\",\"stA\",\"20");     /* last contact, UTC */
    assert_non_null(row);
    assert_int_equal(row[strlen("\"devA\",\"stA\",\"2026-01-01T00:00:00")],
                     'Z');
    assert_non_null(strstr(row, "\"enrolled\""));
    fclose(f);
    free(buf);
    buf = NULL;
    f = open_memstream(&buf, &len);
    assert_int_equal(hub_report_certs(db, NULL, f), ERR_OK); /* as issued */
    fflush(f);
    char *a = strstr(buf, "\"devA\""), *b = strstr(buf, "\"devB\"");
    assert_true(a && b && a < b);
    fclose(f);
    free(buf);
    /* Session-ticket keys: newest first, pruned by age. In a store of
     * their own: on PostgreSQL the running hubd keeps its keys in the
     * tests' one. */
    hub_db_close(db);
    assert_int_equal(system(p_mkdir("keys")), 0);
    assert_int_equal(hub_db_open(hubfx_store_new(p("keys/hub.db"), "keys"),
                                 &db), ERR_OK);
    static const unsigned char k1[48] = { 1, 2, 3 }, k2[32] = { 0xff, 0 };
    struct hub_ticket_key got[4], put;
    size_t n = 9;
    assert_int_equal(hub_db_ticket_keys_get(db, got, 4, &n), ERR_OK);
    assert_int_equal(n, 0);
    assert_int_equal(hub_db_ticket_key_put(db, k1, sizeof k1, 1000, &put),
                     ERR_OK);
    assert_int_equal(hub_db_ticket_key_put(db, k2, sizeof k2, 2000, &put),
                     ERR_OK);
    assert_int_equal(hub_db_ticket_keys_get(db, got, 4, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(got[0].id, put.id);
    assert_true(got[1].id < got[0].id);
    assert_int_equal(got[0].len, sizeof k2);
    assert_memory_equal(got[0].key, k2, sizeof k2);
    assert_int_equal(got[1].len, sizeof k1);
    assert_memory_equal(got[1].key, k1, sizeof k1);
    assert_int_equal(got[1].created_ms, 1000);
    assert_int_equal(hub_db_ticket_key_put(db, k1, 0, 3000, NULL), ERR_INVAL);
    assert_int_equal(hub_db_ticket_keys_prune(db, 1500), ERR_OK);
    assert_int_equal(hub_db_ticket_keys_get(db, got, 4, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_memory_equal(got[0].key, k2, sizeof k2);
    hub_db_close(db);
}

/* Ticket keys in the store (how hubds on one PostgreSQL share them):
 * the first hub makes a key, the second uses the same; a rotation by
 * one is what the other reads next; a restarted hub reads them again. */
static void ticket_keys_in_the_store_are_shared_and_rotate(void **state)
{
    (void)state;
    assert_int_equal(system(p_mkdir("tickets")), 0);
    const char *store = hubfx_store_new(p("tickets/hub.db"), "tickets");
    struct hub_db *db;
    assert_int_equal(hub_db_open(store, &db), ERR_OK);    /* its tables */
    hub_db_close(db);
    struct hub_tickets *h1 = hub_tickets_db(store, 100);
    struct hub_tickets *h2 = hub_tickets_db(store, 100);
    const struct tls_ticket_store *s1 = hub_tickets_store(h1);
    const struct tls_ticket_store *s2 = hub_tickets_store(h2);
    struct tls_ticket_keys a, b, c;
    assert_int_equal(s1->keys(s1->arg, 1000, &a), ERR_OK);
    assert_false(a.have_prev);
    assert_int_equal(a.cur.created_s, 1000);
    assert_int_equal(s2->keys(s2->arg, 1050, &b), ERR_OK);
    assert_memory_equal(a.cur.name, b.cur.name, sizeof a.cur.name);
    assert_memory_equal(a.cur.key, b.cur.key, sizeof a.cur.key);
    assert_int_equal(s2->keys(s2->arg, 1100, &b), ERR_OK);    /* due */
    assert_true(b.have_prev);
    assert_memory_equal(b.prev.key, a.cur.key, sizeof a.cur.key);
    assert_memory_not_equal(b.cur.key, a.cur.key, sizeof a.cur.key);
    assert_int_equal(s1->keys(s1->arg, 1101, &c), ERR_OK);
    assert_memory_equal(c.cur.key, b.cur.key, sizeof c.cur.key);
    assert_memory_equal(c.prev.key, b.prev.key, sizeof c.prev.key);
    hub_tickets_destroy(h1);
    h1 = hub_tickets_db(store, 100);                      /* a restart */
    s1 = hub_tickets_store(h1);
    assert_int_equal(s1->keys(s1->arg, 1150, &c), ERR_OK);
    assert_memory_equal(c.cur.key, b.cur.key, sizeof c.cur.key);
    hub_tickets_destroy(h1);
    hub_tickets_destroy(h2);
}

static void points_rule(void **state)
{
    (void)state;
    assert_int_equal(hub_points_for(15), 1);
    assert_int_equal(hub_points_for(59), 1);
    assert_int_equal(hub_points_for(60), 2);
    assert_int_equal(hub_points_for(120), 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(resent_batch_stored_once_and_acked),
        cmocka_unit_test(gap_holds_back_the_ack),
        cmocka_unit_test(station_a_sending_for_b_refused),
        cmocka_unit_test(no_client_cert_refused),
        cmocka_unit_test(foreign_client_cert_refused),
        cmocka_unit_test(hub_with_foreign_ca_refused_by_kiosk),
        cmocka_unit_test(malformed_json_refused),
        cmocka_unit_test(malformed_http_refused),
        cmocka_unit_test(oversized_bodies_and_headers_refused),
        cmocka_unit_test(feed_pages_reach_the_end_and_carry_confirmations),
        cmocka_unit_test(quiet_station_cursor_moves_to_the_head),
        cmocka_unit_test(read_pool_serves_more_threads_than_connections),
        cmocka_unit_test(feed_polled_under_concurrent_writers_misses_nothing),
        cmocka_unit_test(empty_log_read_without_a_snapshot),
        cmocka_unit_test(trim_thread_trims_and_stops_at_once),
        cmocka_unit_test(stalled_client_does_not_block_others),
        cmocka_unit_test(untrusted_clock_corrected_from_boot_and_mono),
        cmocka_unit_test(dripping_client_cut_at_deadline),
        cmocka_unit_test(points_rule),
        cmocka_unit_test(store_views_and_ticket_keys_alike_on_every_store),
        cmocka_unit_test(ticket_keys_in_the_store_are_shared_and_rotate),
        cmocka_unit_test(damaged_feed_and_events_fail_instead_of_ending_early),
        cmocka_unit_test(differing_event_at_held_key_refused_and_flagged),
        cmocka_unit_test(
            uploads_the_kiosk_would_refuse_are_refused_with_reasons),
    };
    /* TEST_SKIP: a pattern of tests to leave out (tests/hub_pg_test.sh:
     * on PostgreSQL, the damaged SQLite file's test, which opens a file
     * whatever the store). */
    if (getenv("TEST_SKIP"))
        cmocka_set_skip_filter(getenv("TEST_SKIP"));
    return cmocka_run_group_tests(tests, setup_all, teardown_all);
}
