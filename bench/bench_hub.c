/* bench/bench_hub.c - 500 simulated kiosks syncing against one hub
 * server on 127.0.0.1, each with its own certificate. A kiosk's round is
 * what a real one does after a new event: connect (resuming its TLS
 * session), POST /v1/events with one new event, GET /v1/changes from its
 * cursor. Each kiosk starts a round every 1-3 s (30 times the default
 * 60 s interval, each round storing an event); all run at once for a
 * fixed time. Printed: rounds per second, p50/p99/max round latency
 * (target p99 < 1 s at 500), against the floor of one kiosk alone on
 * the same hub. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "sync/http.h"
#include "hub/hub_db.h"
#include "hub/hub_server.h"
#include "sync/pki.h"
#include "sync/proto.h"
#include "sync/sync_link.h"

#define KIOSKS   500
#define SECONDS  10
#define MAX_LAT  200000

static char dir[64];
static int port;
static volatile int running;
static pthread_mutex_t lat_lock = PTHREAD_MUTEX_INITIALIZER;
static double *lat;
static int nlat;

static char *p(const char *name)
{
    static __thread char buf[256];
    snprintf(buf, sizeof buf, "%s/%s", dir, name);
    return buf;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what, err_code e)
{
    fprintf(stderr, "bench_hub: %s: %s\n", what, err_str(e));
    exit(1);
}

#define CHECK(x) \
    do { err_code e_ = (x); if (e_ != ERR_OK) die(#x, e_); } while (0)

static void setup(void)
{
    char cmd[256], a[256], b[256];
    snprintf(cmd, sizeof cmd, "mkdir -p %s/hub %s/k", dir, dir);
    if (system(cmd) != 0)
        exit(1);
    snprintf(a, sizeof a, "%s", p("hub/ca.key"));
    snprintf(b, sizeof b, "%s", p("hub/ca.crt"));
    CHECK(pki_key_new(a));
    CHECK(pki_ca_new(a, b, "CN=CA", 30));
    CHECK(pki_key_new(p("hub/hub.key")));
    char hk[256];
    snprintf(hk, sizeof hk, "%s", p("hub/hub.key"));
    CHECK(pki_server_cert(a, b, hk, "CN=localhost", 30, p("hub/hub.crt")));
    struct hub_db *db;
    CHECK(hub_db_open(p("hub/hub.db"), &db));
    CHECK(hub_db_station_add(db, "st1", "bench"));
    /* One key for all simulated kiosks (key generation is not what is
     * measured); each gets its own certificate and device id. */
    char key[256], csr[PKI_PEM_MAX], pem[PKI_PEM_MAX];
    snprintf(key, sizeof key, "%s", p("k/k.key"));
    CHECK(pki_key_new(key));
    CHECK(pki_csr_new(key, "CN=x", csr, sizeof csr));
    for (int i = 0; i < KIOSKS; i++) {
        char subj[128], dev[32], name[48], code[HUB_CODE_LEN + 1], s1[64],
            s2[64];
        snprintf(dev, sizeof dev, "k%03d", i);
        snprintf(subj, sizeof subj, "CN=%s,OU=st1,O=kiosk hub", dev);
        CHECK(pki_csr_sign(a, b, csr, strlen(csr), subj, 30, pem, sizeof pem));
        snprintf(name, sizeof name, "k/%s.crt", dev);
        CHECK(pki_file_write(p(name), pem, strlen(pem), 0644));
        CHECK(hub_db_enrol_code(db, "st1", dev, code));
        CHECK(hub_db_enrol_take(db, code, s1, sizeof s1, s2, sizeof s2));
    }
    /* Something in the feed: the demo-sized boards (~200 changes). */
    for (int i = 0; i < 200; i++) {
        char k[16];
        snprintf(k, sizeof k, "N%d", i);
        CHECK(hub_db_change_add(db, NULL, NULL, "notice", k,
                                "{\"title\":\"t\",\"body\":\"b\","
                                "\"published_ms\":1}"));
    }
    hub_db_close(db);
}

struct kiosk {
    int               id;
    int               think_ms;     /* pause between rounds, +- half */
    struct sync_link *link;
    unsigned long     seq;
    char              cursor[PROTO_CURSOR_MAX];
    int               rounds, errors, warm_errors;
    err_code          last_error;
};

static err_code one_round(struct kiosk *k)
{
    char body[512], url[128];
    snprintf(body, sizeof body, "{\"events\":[{\"seq\":%lu,\"kind\":"
             "\"check_in\",\"member_no\":\"HQ0001\",\"wall_ms\":1763800000000,"
             "\"clock_trusted\":true,\"boot_id\":\"b\",\"mono_ms\":1,"
             "\"data\":{}}]}", k->seq + 1);
    struct http_msg m;
    err_code e = sync_link_request(k->link, "POST", "/v1/events",
                                   "v=bench;q=1", body, strlen(body), &m);
    if (e != ERR_OK)
        return e;
    e = m.status == 200 ? ERR_OK : ERR_DENIED;
    http_msg_free(&m);
    if (e != ERR_OK)
        return e;
    k->seq++;
    snprintf(url, sizeof url, "/v1/changes?since=%s", k->cursor);
    e = sync_link_request(k->link, "GET", url, "v=bench;q=0", NULL, 0, &m);
    if (e != ERR_OK)
        return e;
    bool more;
    int64_t t;
    if (m.status != 200 || proto_page_peek(m.body, m.body_len, k->cursor,
                                           sizeof k->cursor, &more, &t)
                           != ERR_OK)
        e = ERR_PROTO;
    http_msg_free(&m);
    sync_link_close(k->link);
    return e;
}

static void *kiosk_main(void *arg)
{
    struct kiosk *k = arg;
    char crt[64], key[64];
    snprintf(crt, sizeof crt, "k/k%03d.crt", k->id);
    snprintf(key, sizeof key, "k/k.key");
    char crtp[256], keyp[256], cap[256];
    snprintf(crtp, sizeof crtp, "%s", p(crt));
    snprintf(keyp, sizeof keyp, "%s", p(key));
    snprintf(cap, sizeof cap, "%s", p("hub/ca.crt"));
    struct sync_link_opts o = { .host = "127.0.0.1", .port = port,
                                .ca_file = cap, .cert_file = crtp,
                                .key_file = keyp, .timeout_ms = 20000,
                                .max_reply = PROTO_PAGE_MAX };
    CHECK(sync_link_create(&o, &k->link));
    /* Warm-up, not measured: the first round pays the full handshake and
     * fetches the whole feed; in the field kiosks do not all start at
     * once, and every later round resumes its session. */
    err_code w = one_round(k);
    if (w != ERR_OK) {
        k->warm_errors++;
        k->last_error = w;
        if (one_round(k) != ERR_OK)          /* once more, still unmeasured */
            k->warm_errors++;
    }
    while (running == 0)
        usleep(1000);
    while (running == 1) {
        double t0 = now_s();
        err_code e = one_round(k);
        double dt = now_s() - t0;
        if (e != ERR_OK) {
            k->errors++;
            k->last_error = e;
            continue;
        }
        k->rounds++;
        pthread_mutex_lock(&lat_lock);
        if (nlat < MAX_LAT)
            lat[nlat++] = dt;
        pthread_mutex_unlock(&lat_lock);
        if (k->think_ms > 0)
            usleep((useconds_t)(k->think_ms / 2 + rand() % k->think_ms) *
                   1000);
    }
    sync_link_destroy(k->link);
    return NULL;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void run(int n, int seconds, int think_ms, const char *label)
{
    struct kiosk *ks = calloc((size_t)n, sizeof *ks);
    pthread_t *th = calloc((size_t)n, sizeof *th);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    nlat = 0;
    running = 0;
    for (int i = 0; i < n; i++) {
        ks[i].id = i;
        ks[i].think_ms = think_ms;
        pthread_create(&th[i], &attr, kiosk_main, &ks[i]);
    }
    /* Wait for the warm-up rounds (full handshakes) to finish. */
    for (int i = 0; i < 600; i++) {
        int ready = 0;
        for (int j = 0; j < n; j++)
            ready += ks[j].seq > 0;
        if (ready == n)
            break;
        usleep(100000);
    }
    double t0 = now_s();
    running = 1;
    sleep((unsigned)seconds);
    running = 2;
    double el = now_s() - t0;
    int rounds = 0, errors = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(th[i], NULL);
        rounds += ks[i].rounds;
        errors += ks[i].errors;
        if (ks[i].errors || ks[i].warm_errors)
            printf("  kiosk %d: %d error(s) measured, %d in warm-up, last %s\n",
                   i, ks[i].errors, ks[i].warm_errors,
                   err_str(ks[i].last_error));
    }
    qsort(lat, (size_t)nlat, sizeof *lat, cmp);
    double p50 = nlat ? lat[nlat / 2] : 0;
    double p99 = nlat ? lat[nlat * 99 / 100] : 0;
    printf("%s: %d kiosks, %.0f rounds/s (%d rounds, %d errors), latency "
           "p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", label, n, rounds / el,
           rounds, errors, p50 * 1e3, p99 * 1e3,
           nlat ? lat[nlat - 1] * 1e3 : 0);
    if (n == KIOSKS)
        printf("target p99 < 1 s at %d kiosks: %s\n", KIOSKS,
               p99 < 1.0 ? "met" : "MISSED");
    pthread_attr_destroy(&attr);
    free(ks);
    free(th);
}

static void *serve(void *arg)
{
    hub_server_run(arg);
    return NULL;
}

int main(void)
{
    log_set_level(getenv("BENCH_LOG") ? LOG_LVL_INFO : LOG_LVL_ERROR);
    snprintf(dir, sizeof dir, "/tmp/bench_hub.XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    lat = calloc(MAX_LAT, sizeof *lat);
    setup();
    char hubdir[256];
    snprintf(hubdir, sizeof hubdir, "%s", p("hub"));
    struct hub_server_opts o = { .dir = hubdir, .host = "127.0.0.1",
                                 .timeout_ms = 20000 };
    struct hub_server *srv;
    CHECK(hub_server_create(&o, &srv));
    port = hub_server_port(srv);
    pthread_t th;
    pthread_create(&th, NULL, serve, srv);
    /* Floor: one kiosk back to back. Load: each kiosk starts a round
     * every 1-3 s, 30x the default 60 s interval. */
    run(1, 2, 0, "floor");
    run(KIOSKS, SECONDS, 2000, "load");
    hub_server_stop(srv);
    pthread_join(th, NULL);
    hub_server_destroy(srv);
    free(lat);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : 1;
}
