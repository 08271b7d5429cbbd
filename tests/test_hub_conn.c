/* tests/test_hub_conn.c - what connections may cost the hub: a flood of
 * idle raw connections from one address does not lock an enrolled kiosk
 * out and costs a few log lines that name the address; a restarted hub
 * resumes the kiosk's TLS session (its ticket keys are kept in its
 * directory, 0600); caps on full handshakes and on connections with a
 * TLS context make kiosks wait, not fail; the ticket keys rotate and keep the previous one. The real
 * server over TLS on 127.0.0.1, the real kiosk link. */
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/clock.h"
#include "base/file.h"
#include "base/log.h"
#include "hub/hub_db.h"
#include "hub/hub_server.h"
#include "hub/hub_tickets.h"
#include "sync/proto.h"
#include "sync/sync_enrol.h"
#include "sync/sync_link.h"
#include "tests/support/hub_fixture.h"

static struct hub_server *srv;
static pthread_t srv_thread;
static int port;

static void *serve(void *arg)
{
    hub_server_run(arg);
    return NULL;
}

/* Start the hub on DIR/hub (on the same port as before, once known). */
static void hub_start(int max_full, int max_tls)
{
    struct hub_server_opts o = { .dir = hubfx_path("hub"),
                                 .host = "127.0.0.1", .port = port,
                                 .timeout_ms = 3000,
                                 .max_unauth_per_addr = 32,
                                 .max_full_handshakes = max_full,
                                 .max_tls = max_tls };
    assert_int_equal(hub_server_create(&o, &srv), ERR_OK);
    port = hub_server_port(srv);
    assert_int_equal(pthread_create(&srv_thread, NULL, serve, srv), 0);
}

static void hub_stop(void)
{
    hub_server_stop(srv);
    pthread_join(srv_thread, NULL);
    hub_server_destroy(srv);
    srv = NULL;
}

static void enrol(const char *device, const char *key, const char *crt)
{
    struct hub_db *db = hubfx_db();
    char code[HUB_CODE_LEN + 1], st[64], dev[64];
    assert_int_equal(hub_db_enrol_code(db, "stA", device, code), ERR_OK);
    hub_db_close(db);
    struct sync_enrol_opts o = { .host = "127.0.0.1", .port = port,
                                 .ca_file = hubfx_path("hub/ca.crt"),
                                 .code = code, .key_file = hubfx_path(key),
                                 .cert_file = hubfx_path(crt),
                                 .timeout_ms = 3000 };
    assert_int_equal(sync_enrol(&o, st, sizeof st, dev, sizeof dev), ERR_OK);
}

static struct sync_link *link_as(const char *crt, const char *key)
{
    struct sync_link_opts o = { .host = "127.0.0.1", .port = port,
                                .ca_file = hubfx_path("hub/ca.crt"),
                                .cert_file = hubfx_path(crt),
                                .key_file = hubfx_path(key),
                                .timeout_ms = 5000,
                                .max_reply = PROTO_PAGE_MAX };
    struct sync_link *l = NULL;
    assert_int_equal(sync_link_create(&o, &l), ERR_OK);
    return l;
}

/* One poll of the feed on a new connection: the status, or -1. */
static int poll_feed(struct sync_link *l)
{
    struct http_msg m;
    err_code e = sync_link_request(l, "GET", "/v1/changes?since=",
                                   "v=test;q=0", NULL, 0, &m);
    sync_link_close(l);
    if (e != ERR_OK)
        return -1;
    int st = m.status;
    http_msg_free(&m);
    return st;
}

static int setup_all(void **state)
{
    (void)state;
    hubfx_init("test_hub_conn");
    struct hub_db *db = NULL;
    assert_int_equal(hub_db_open(hubfx_path("hub/hub.db"), &db), ERR_OK);
    assert_int_equal(hub_db_station_add(db, "stA", "A"), ERR_OK);
    hub_db_close(db);
    hub_start(0, 0);
    enrol("devA", "a.key", "a.crt");
    return 0;
}

static int teardown_all(void **state)
{
    (void)state;
    if (srv)
        hub_stop();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", hubfx_dir());
    return system(cmd) == 0 ? 0 : -1;
}

/* A raw TCP connection from src (a loopback address of its own), which
 * then says nothing. */
static int raw_from(const char *src)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = { .sin_family = AF_INET };
    inet_pton(AF_INET, src, &a.sin_addr);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    struct sockaddr_in h = { .sin_family = AF_INET,
                             .sin_port = htons((uint16_t)port) };
    inet_pton(AF_INET, "127.0.0.1", &h.sin_addr);
    assert_int_equal(connect(fd, (struct sockaddr *)&h, sizeof h), 0);
    return fd;
}

static int count_lines(const char *path, const char *needle)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    int n = 0;
    if (!f)
        return 0;
    while (fgets(line, sizeof line, f))
        n += strstr(line, needle) != NULL;
    fclose(f);
    return n;
}

#define FLOOD 300

static void flood_from_one_address_does_not_lock_out_a_kiosk(void **state)
{
    (void)state;
    /* The hub's log goes to a file for the count. */
    fflush(stderr);
    int saved = dup(2);
    int lf = open(hubfx_path("flood.log"), O_WRONLY | O_CREAT | O_TRUNC,
                  0600);
    assert_true(saved >= 0 && lf >= 0);
    dup2(lf, 2);
    log_set_level(LOG_LVL_WARN);

    struct hub_server_stats before, after;
    hub_server_stats(srv, &before);
    int fds[FLOOD];
    for (int i = 0; i < FLOOD; i++)
        fds[i] = raw_from("127.0.0.2");
    /* The flood is in; the kiosk syncs beside it, five times. */
    int ok = 0;
    struct sync_link *l = link_as("a.crt", "a.key");
    for (int i = 0; i < 5; i++)
        ok += poll_feed(l) == 200;
    sync_link_destroy(l);
    /* The hub has seen every flood connection: all but the newest 32
     * (the cap per address) were closed. Waits on the count, not a
     * time. */
    int64_t until = clock_mono_ms() + 30000;
    do {
        hub_server_stats(srv, &after);
    } while (after.evicted - before.evicted < FLOOD - 32 &&
             clock_mono_ms() < until && usleep(10000) == 0);
    for (int i = 0; i < FLOOD; i++)
        close(fds[i]);

    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    close(lf);
    log_set_level(LOG_LVL_ERROR);
    assert_int_equal(ok, 5);
    assert_int_equal(after.evicted - before.evicted, FLOOD - 32);
    /* 268 closed connections, one line naming the address (the next
     * would be due in 10 s). */
    int lines = count_lines(hubfx_path("flood.log"), "127.0.0.2");
    assert_true(lines >= 1 && lines <= 2);
    assert_int_equal(count_lines(hubfx_path("flood.log"), "hub:"), lines);
}

static void restarted_hub_resumes_the_kiosks_session(void **state)
{
    (void)state;
    struct sync_link *l = link_as("a.crt", "a.key");
    assert_int_equal(poll_feed(l), 200);       /* a session to resume */
    hub_stop();
    struct stat st;
    assert_int_equal(stat(hubfx_path("hub/" HUB_TICKETS_FILE), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    hub_start(0, 0);
    assert_int_equal(poll_feed(l), 200);
    struct hub_server_stats s;
    hub_server_stats(srv, &s);
    assert_int_equal(s.resumed_handshakes, 1);
    assert_int_equal(s.full_handshakes, 0);

    /* Without the kept keys, the same restart costs a full handshake:
     * what the file is for. */
    hub_stop();
    assert_int_equal(unlink(hubfx_path("hub/" HUB_TICKETS_FILE)), 0);
    hub_start(0, 0);
    assert_int_equal(poll_feed(l), 200);
    hub_server_stats(srv, &s);
    assert_int_equal(s.resumed_handshakes, 0);
    assert_int_equal(s.full_handshakes, 1);
    sync_link_destroy(l);
}

struct racer {
    struct sync_link *l;
    int               status;
};

static void *race(void *arg)
{
    struct racer *r = arg;
    r->status = poll_feed(r->l);
    return NULL;
}

/* With one full handshake at a time, or one connection with TLS at a
 * time, eight kiosks connecting at once (none with a session) all get
 * through: they wait their turn. */
static void eight_kiosks_at_once(int max_full, int max_tls)
{
    hub_stop();
    hub_start(max_full, max_tls);
    struct racer r[8];
    pthread_t th[8];
    for (int i = 0; i < 8; i++) {
        r[i].l = link_as("a.crt", "a.key");
        r[i].status = 0;
        assert_int_equal(pthread_create(&th[i], NULL, race, &r[i]), 0);
    }
    int ok = 0;
    for (int i = 0; i < 8; i++) {
        pthread_join(th[i], NULL);
        ok += r[i].status == 200;
        sync_link_destroy(r[i].l);
    }
    assert_int_equal(ok, 8);
    struct hub_server_stats s;
    hub_server_stats(srv, &s);
    assert_int_equal(s.full_handshakes, 8);
    assert_int_equal(s.failed_handshakes, 0);
}

static void capped_full_handshakes_wait_their_turn(void **state)
{
    (void)state;
    eight_kiosks_at_once(1, 0);
}

static void capped_tls_connections_wait_their_turn(void **state)
{
    (void)state;
    eight_kiosks_at_once(0, 1);
}

static void ticket_keys_rotate_keep_the_previous_and_persist(void **state)
{
    (void)state;
    const char *path = hubfx_path("keys.test");
    struct hub_tickets *t = hub_tickets_file(path, 100);
    const struct tls_ticket_store *st = hub_tickets_store(t);
    struct tls_ticket_keys a, b, c;
    assert_int_equal(st->keys(st->arg, 1000, &a), ERR_OK);
    assert_false(a.have_prev);
    assert_int_equal(st->keys(st->arg, 1099, &b), ERR_OK);
    assert_memory_equal(a.cur.key, b.cur.key, sizeof a.cur.key);
    assert_int_equal(st->keys(st->arg, 1100, &b), ERR_OK);   /* due */
    assert_true(b.have_prev);
    assert_memory_equal(b.prev.key, a.cur.key, sizeof a.cur.key);
    assert_memory_not_equal(b.cur.key, a.cur.key, sizeof a.cur.key);
    assert_int_equal(b.cur.created_s, 1100);
    hub_tickets_destroy(t);
    /* Another process (a restart) reads the same keys. */
    t = hub_tickets_file(path, 100);
    st = hub_tickets_store(t);
    assert_int_equal(st->keys(st->arg, 1150, &c), ERR_OK);
    assert_memory_equal(c.cur.key, b.cur.key, sizeof c.cur.key);
    assert_memory_equal(c.prev.key, b.prev.key, sizeof c.prev.key);
    hub_tickets_destroy(t);
    struct stat s;
    assert_int_equal(stat(path, &s), 0);
    assert_int_equal(s.st_mode & 0777, 0600);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(flood_from_one_address_does_not_lock_out_a_kiosk),
        cmocka_unit_test(restarted_hub_resumes_the_kiosks_session),
        cmocka_unit_test(capped_full_handshakes_wait_their_turn),
        cmocka_unit_test(capped_tls_connections_wait_their_turn),
        cmocka_unit_test(ticket_keys_rotate_keep_the_previous_and_persist),
    };
    return cmocka_run_group_tests(tests, setup_all, teardown_all);
}
