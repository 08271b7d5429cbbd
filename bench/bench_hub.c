/* bench/bench_hub.c - `make bench-hub`: an open-loop load driver against
 * a separate hubd process it starts (build/hubd, or $BENCH_HUB_HUBD).
 *
 * The hub is first given a simulated year: 113 stations with 5,000
 * changes each, written straight into hub.db through the store API (not
 * over the wire, to be fast), and one enrolled certificate per station.
 * Simulated kiosks belong to a station and use its certificate, but
 * each has its own TLS session, its own sequence epoch and fresh seqs,
 * so each uploads distinct events. A kiosk's round is what a real one
 * does: connect, TLS (resuming its session), POST /v1/events with one
 * new event, GET /v1/changes from its cursor (more pages if any), close.
 *
 * Open loop: every kiosk has a random phase in the period (60 s, or
 * $BENCH_HUB_PERIOD_S) and starts its rounds then, whether or not the
 * hub has kept up; a round's latency runs from its scheduled start, so
 * a hub that falls behind shows it. One process, one epoll loop and
 * non-blocking mbedTLS (this file uses mbedTLS directly: it is a load
 * generator, not part of the kiosk), so 20,000 kiosks cost no threads.
 *
 * Scenarios: one kiosk alone (the floor), 500, 2,000, 5,000 and 20,000
 * kiosks for one period each; a restart storm (hubd restarted, 5,000
 * kiosks with sessions reconnect within one second); a flood (4,200 idle
 * raw connections from 127.0.0.2 while 10 kiosks sync). Each ends with
 * one line of a fixed form, to compare run to run:
 *   hub: store=sqlite kiosks=N history=1y p50_ms=N p99_ms=N errors=N rss_mb=N
 *   hub: store=sqlite storm=N failed=N p99_ms=N
 *   hub: store=sqlite flood=N synced=N/10 log_kb=N
 * $BENCH_HUB_STORE picks the store: sqlite (hub.db), or pg: a throwaway
 * PostgreSQL 15 cluster this driver starts through
 * tests/support/pg_cluster.sh (a temp dir, a unix socket, the user
 * postgres when root; fsync on, as a real hub's) and stops on exit, even
 * a failed one. On pg the sizes run again with TWO hubds on the one
 * database, on two ports, the kiosks split between them (even kiosks to
 * the first, odd to the second):
 *   hub: store=pg hubds=2 kiosks=N history=1y p50_ms=N p99_ms=N errors=N rss_mb=N
 * (rss_mb there is both hubds' together; PostgreSQL's own processes are
 * not counted in any rss_mb),
 * $BENCH_HUB_KIOSKS a list of scenario sizes ("500,2000"),
 * $BENCH_HUB_STATIONS and $BENCH_HUB_CHANGES the simulated history. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>     /* error codes only */
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include "base/log.h"
#include "hub/hub_db.h"
#include "hub/hub_db_roster.h"
#include "sync/pki.h"

#define ROUND_TIMEOUT_MS 30000
#define MAX_EVENTS       1024

/* ---- settings ------------------------------------------------------- */

static char dir[64];
static const char *store = "sqlite";
static const char *hubd_bin = "build/hubd";
static int period_ms = 60000;
static int nstations = 113;      /* with a year of changes each */
static int nquiet = 12;          /* stations with none of their own */
static int quiet_pct = 10;       /* of kiosks, at a quiet station */
static int nall;                 /* nstations + nquiet */
static int changes_per_station = 5000;
static int port;
static pid_t hub_pid;
/* pg only: the database's URL, the cluster's dir (empty: none started),
 * and a second hubd on the same database. */
static char pg_url[512];
static char pg_dir[256];
static const char *pg_script = "tests/support/pg_cluster.sh";
static pid_t owner_pid;
static int port2;
static pid_t hub2_pid;
static int nhubs = 1;            /* hubds the kiosks are split between */
static long total_changes;
static int flood_hold_s = 30;

/* "1y" for the simulated year (113 x 5,000 or more), else the count. */
static const char *history(void)
{
    static char buf[32];
    long n = (long)nstations * changes_per_station;
    if (nstations >= 113 && changes_per_station >= 5000)
        return "1y";
    snprintf(buf, sizeof buf, "%ld", n);
    return buf;
}

static char *p(const char *name)
{
    static char bufs[8][256];
    static int next;
    char *b = bufs[next++ % 8];
    snprintf(b, 256, "%s/%s", dir, name);
    return b;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static double now_msf(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void die(const char *what, err_code e)
{
    fprintf(stderr, "bench_hub: %s: %s\n", what, err_str(e));
    if (hub_pid > 0)
        kill(hub_pid, SIGKILL);
    if (hub2_pid > 0)
        kill(hub2_pid, SIGKILL);
    exit(1);                         /* pg_cluster_stop runs at exit */
}

#define CHECK(x) \
    do { err_code e_ = (x); if (e_ != ERR_OK) die(#x, e_); } while (0)

/* ---- a throwaway PostgreSQL cluster (store=pg) ----------------------- */

static bool is_pg(void)
{
    return strcmp(store, "pg") == 0;
}

/* Stops the cluster and removes its dir; at exit, on any path (die(),
 * a failed hubd start, the end). Only in the driver itself, not in a
 * forked child that never reached exec. */
static void pg_cluster_stop(void)
{
    if (!pg_dir[0] || getpid() != owner_pid)
        return;
    if (hub_pid > 0)
        kill(hub_pid, SIGKILL);
    if (hub2_pid > 0)
        kill(hub2_pid, SIGKILL);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, ". %s; PG_DIR='%s'; PG_USER=$(stat -c %%U "
             "\"$PG_DIR\"); pg_stop", pg_script, pg_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_hub: stopping the cluster in %s failed\n",
                pg_dir);
    pg_dir[0] = '\0';
}

static void on_signal(int sig)
{
    (void)sig;
    exit(1);                         /* atexit: the cluster is stopped */
}

/* The first line of a file into out (newline cut). */
static bool read_line(const char *path, char *out, size_t cap)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    bool ok = fgets(out, (int)cap, f) != NULL;
    fclose(f);
    out[strcspn(out, "\n")] = '\0';
    return ok && out[0];
}

/* initdb + pg_ctl start through the test suite's own script (the same
 * steps as tests/hub_pg_test.sh), with fsync and full-page writes on:
 * the benchmark measures a durable hub, as hub.db is. */
static void pg_cluster_start(void)
{
    if (getenv("BENCH_HUB_PG_CLUSTER"))
        pg_script = getenv("BENCH_HUB_PG_CLUSTER");
    owner_pid = getpid();
    atexit(pg_cluster_stop);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);
    char cmd[2048];
    /* The dir is written out first, so a start that fails half-way is
     * still removed. */
    snprintf(cmd, sizeof cmd, ". %s; PG_OPTS=\"-c fsync=on "
             "-c full_page_writes=on ${PG_OPTS:-}\"; pg_start; rc=$?; "
             "echo \"$PG_DIR\" >%s/pgdir; "
             "if [ $rc -ne 0 ]; then echo \"bench_hub: $PG_SKIP\" >&2; "
             "exit 1; fi; pg_createdb hub >%s/pgurl", pg_script, dir, dir);
    int rc = system(cmd);
    read_line(p("pgdir"), pg_dir, sizeof pg_dir);
    if (rc != 0 || !read_line(p("pgurl"), pg_url, sizeof pg_url)) {
        fprintf(stderr, "bench_hub: no PostgreSQL cluster (%s)\n",
                pg_script);
        exit(1);
    }
    printf("# PostgreSQL cluster in %s (fsync on): %s\n", pg_dir, pg_url);
}

/* The database's size (MB), as PostgreSQL counts it. */
static double pg_db_mb(void)
{
    char cmd[1024], out[64] = "";
    snprintf(cmd, sizeof cmd, ". %s; PG_DIR='%s'; pg_psql hub "
             "'SELECT pg_database_size(current_database())' >%s/pgsize",
             pg_script, pg_dir, dir);
    if (system(cmd) != 0 || !read_line(p("pgsize"), out, sizeof out))
        return 0;
    return atof(out) / 1e6;
}

/* What hub_db_open and hubd --store are given. */
static const char *store_target(void)
{
    return is_pg() ? pg_url : p("hub/hub.db");
}

/* ---- the simulated year, straight into the store -------------------- */

static void station_id(int i, char *out, size_t cap)
{
    if (i < nstations)
        snprintf(out, cap, "st%03d", i);
    else
        snprintf(out, cap, "q%03d", i - nstations);
}

static void setup_hub(void)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "mkdir -p %s/hub %s/k", dir, dir);
    if (system(cmd) != 0)
        exit(1);
    char cak[256], cac[256], hk[256];
    snprintf(cak, sizeof cak, "%s", p("hub/ca.key"));
    snprintf(cac, sizeof cac, "%s", p("hub/ca.crt"));
    snprintf(hk, sizeof hk, "%s", p("hub/hub.key"));
    CHECK(pki_key_new(cak));
    CHECK(pki_ca_new(cak, cac, "CN=CA", 30));
    CHECK(pki_key_new(hk));
    CHECK(pki_server_cert(cak, cac, hk, "CN=localhost", 30,
                          p("hub/hub.crt")));
    struct hub_db *db;
    CHECK(hub_db_open(store_target(), &db));
    /* One key for every station's certificate (key generation is not
     * what is measured), one certificate per station, recorded as the
     * hub records the ones it issues. */
    char key[256], csr[PKI_PEM_MAX], pem[PKI_PEM_MAX];
    snprintf(key, sizeof key, "%s", p("k/k.key"));
    CHECK(pki_key_new(key));
    CHECK(pki_csr_new(key, "CN=x", csr, sizeof csr));
    for (int i = 0; i < nall; i++) {
        char st[16], dev[32], subj[128], name[48];
        station_id(i, st, sizeof st);
        snprintf(dev, sizeof dev, "bench-%s", st);
        CHECK(hub_db_station_add(db, st, st));
        snprintf(subj, sizeof subj, "CN=%s,OU=%s,O=kiosk hub", dev, st);
        CHECK(pki_csr_sign(cak, cac, csr, strlen(csr), subj, 30, pem,
                           sizeof pem));
        snprintf(name, sizeof name, "k/%s.crt", st);
        CHECK(pki_file_write(p(name), pem, strlen(pem), 0644));
        struct pki_cert_id id;
        CHECK(pki_cert_id_pem(pem, strlen(pem), &id));
        CHECK(hub_db_cert_add(db, st, dev, id.serial, id.sha256,
                              hub_now_ms()));
        /* The member its kiosks check in. */
        struct hub_member m = { .name = "张志明", .phone = "13800001000",
                                .community = "红旗社区" };
        snprintf(m.member_no, sizeof m.member_no, "HQ%04d", 1000 + i);
        snprintf(m.station, sizeof m.station, "%s", st);
        CHECK(hub_db_member_put(db, &m, true));
    }
    /* A year of each station's changes, in the order a year makes them
     * (the stations' publications interleaved): duty shifts put and some
     * taken back, notices; about 100 bytes each, as real ones. Quiet
     * stations publish nothing of their own. */
    double t0 = now_msf();
    for (int j = 0; j < changes_per_station; j++) {
        if (j % 40 == 0)
            CHECK(hub_db_begin(db));
        for (int i = 0; i < nstations; i++) {
            char st[16];
            station_id(i, st, sizeof st);
            char k[96], data[256];
            if (j % 10 == 9) {
                snprintf(k, sizeof k, "N%05d", j);
                snprintf(data, sizeof data, "{\"title\":\"通知 %d\",\"body\":"
                         "\"本周六上午在活动室开展志愿服务。\","
                         "\"published_ms\":1763800000000}", j);
                CHECK(hub_db_change_add(db, st, NULL, "notice", k, data));
            } else if (j % 5 == 4) {
                snprintf(k, sizeof k, "2026-%02d-%02d/上午 09:00-12:00/"
                         "HQ%04d", 1 + (j - 1) / 420 % 12, 1 + (j - 1) % 28,
                         (j - 1) % 100);
                CHECK(hub_db_change_add(db, st, NULL, "shift", k, NULL));
            } else {
                snprintf(k, sizeof k, "2026-%02d-%02d/上午 09:00-12:00/"
                         "HQ%04d", 1 + j / 420 % 12, 1 + j % 28, j % 100);
                snprintf(data, sizeof data, "{\"day\":\"2026-%02d-%02d\","
                         "\"shift\":\"上午 09:00-12:00\",\"member_no\":"
                         "\"HQ%04d\",\"name\":\"张志明\",\"phone_masked\":"
                         "\"138****0000\"}", 1 + j / 420 % 12, 1 + j % 28,
                         j % 100);
                CHECK(hub_db_change_add(db, st, NULL, "shift", k, data));
            }
        }
        if (j % 40 == 39 || j == changes_per_station - 1)
            CHECK(hub_db_commit(db));
    }
    total_changes = (long)nstations * changes_per_station;
    hub_db_close(db);
    double mb = 0;
    if (is_pg()) {
        mb = pg_db_mb();
    } else {
        struct stat sb;
        if (stat(p("hub/hub.db"), &sb) == 0)
            mb = (double)sb.st_size / 1e6;
    }
    printf("# prefill: %d stations x %d changes = %ld changes in %.1f s, "
           "%s %.1f MB\n", nstations, changes_per_station, total_changes,
           (now_msf() - t0) / 1e3, is_pg() ? "database" : "hub.db", mb);
}

/* ---- hubd, a separate process ----------------------------------------- */

/* A hubd on the store (its port-file and log named by which), on
 * *portp (0: any free one; the one it took is written back). */
static pid_t hubd_spawn(const char *which, int *portp)
{
    char portf[256], logf[256], portarg[16];
    snprintf(portf, sizeof portf, "%s/%s.port", dir, which);
    snprintf(logf, sizeof logf, "%s/%s.log", dir, which);
    unlink(portf);
    snprintf(portarg, sizeof portarg, "%d", *portp);
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(logf, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            dup2(fd, 2);
            close(fd);
        }
        if (is_pg())
            execl(hubd_bin, hubd_bin, "-d", p("hub"), "--store", pg_url,
                  "--port", portarg, "--port-file", portf, "--quiet",
                  (char *)NULL);
        else
            execl(hubd_bin, hubd_bin, "-d", p("hub"), "--port", portarg,
                  "--port-file", portf, "--quiet", (char *)NULL);
        _exit(127);
    }
    int64_t until = now_ms() + 60000;
    for (;;) {
        FILE *f = fopen(portf, "r");
        if (f) {
            int got = 0;
            if (fscanf(f, "%d", &got) == 1 && got > 0) {
                *portp = got;
                fclose(f);
                return pid;
            }
            fclose(f);
        }
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid || now_ms() > until) {
            fprintf(stderr, "bench_hub: %s did not start (%s; see %s)\n",
                    which, hubd_bin, logf);
            if (pid > 0)
                kill(pid, SIGKILL);
            exit(1);
        }
        usleep(20000);
    }
}

static void hubd_end(pid_t *pidp)
{
    if (*pidp <= 0)
        return;
    kill(*pidp, SIGTERM);
    int st;
    int64_t until = now_ms() + 30000;
    while (waitpid(*pidp, &st, WNOHANG) != *pidp) {
        if (now_ms() > until) {
            kill(*pidp, SIGKILL);
            waitpid(*pidp, &st, 0);
            break;
        }
        usleep(20000);
    }
    *pidp = 0;
}

static void hub_start(void)
{
    hub_pid = hubd_spawn("hubd", &port);
}

static void hub_stop(void)
{
    hubd_end(&hub_pid);
}

/* pg only: a second hubd on the same database, on a port of its own. */
static void hub2_start(void)
{
    port2 = 0;
    hub2_pid = hubd_spawn("hubd2", &port2);
}

static void hub2_stop(void)
{
    hubd_end(&hub2_pid);
}

/* hubd's resident memory (MB) and threads now. */
static void hub_usage(double *rss_mb, int *threads)
{
    *rss_mb = 0;
    *threads = 0;
    /* With two hubds, both together. */
    pid_t pids[2] = { hub_pid, hub2_pid };
    for (int i = 0; i < 2; i++) {
        if (pids[i] <= 0)
            continue;
        char path[64], line[256];
        snprintf(path, sizeof path, "/proc/%d/status", (int)pids[i]);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        while (fgets(line, sizeof line, f)) {
            long v;
            if (sscanf(line, "VmRSS: %ld", &v) == 1)
                *rss_mb += (double)v / 1024.0;
            else if (sscanf(line, "Threads: %ld", &v) == 1)
                *threads += (int)v;
        }
        fclose(f);
    }
}

/* ---- TLS, the kiosk's side ------------------------------------------ */

static mbedtls_entropy_context entropy;
static mbedtls_ctr_drbg_context drbg;
static mbedtls_x509_crt ca;
static mbedtls_pk_context kkey;
static mbedtls_x509_crt *certs;         /* one per station */
static mbedtls_ssl_config *confs;

static const int suites[] = {
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, 0,
};
static const mbedtls_ecp_group_id curves[] = {
    MBEDTLS_ECP_DP_SECP256R1, MBEDTLS_ECP_DP_NONE,
};

static void tls_setup(void)
{
    mbedtls_entropy_init(&entropy);
    mbedtls_ctr_drbg_init(&drbg);
    mbedtls_x509_crt_init(&ca);
    mbedtls_pk_init(&kkey);
    if (mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy,
                              (const unsigned char *)"bench", 5) != 0 ||
        mbedtls_x509_crt_parse_file(&ca, p("hub/ca.crt")) != 0 ||
        mbedtls_pk_parse_keyfile(&kkey, p("k/k.key"), NULL) != 0)
        die("tls setup", ERR_TLS);
    certs = calloc((size_t)nall, sizeof *certs);
    confs = calloc((size_t)nall, sizeof *confs);
    for (int i = 0; i < nall; i++) {
        char st[16], name[48];
        station_id(i, st, sizeof st);
        snprintf(name, sizeof name, "k/%s.crt", st);
        mbedtls_x509_crt_init(&certs[i]);
        mbedtls_ssl_config *c = &confs[i];
        mbedtls_ssl_config_init(c);
        if (mbedtls_x509_crt_parse_file(&certs[i], p(name)) != 0 ||
            mbedtls_ssl_config_defaults(c, MBEDTLS_SSL_IS_CLIENT,
                                        MBEDTLS_SSL_TRANSPORT_STREAM,
                                        MBEDTLS_SSL_PRESET_DEFAULT) != 0 ||
            mbedtls_ssl_conf_own_cert(c, &certs[i], &kkey) != 0)
            die("tls conf", ERR_TLS);
        mbedtls_ssl_conf_rng(c, mbedtls_ctr_drbg_random, &drbg);
        mbedtls_ssl_conf_min_version(c, MBEDTLS_SSL_MAJOR_VERSION_3,
                                     MBEDTLS_SSL_MINOR_VERSION_3);
        mbedtls_ssl_conf_ciphersuites(c, suites);
        mbedtls_ssl_conf_curves(c, curves);
        mbedtls_ssl_conf_ca_chain(c, &ca, NULL);
        mbedtls_ssl_conf_authmode(c, MBEDTLS_SSL_VERIFY_REQUIRED);
        mbedtls_ssl_conf_session_tickets(c,
                                         MBEDTLS_SSL_SESSION_TICKETS_ENABLED);
    }
}

/* ---- kiosks and their rounds ---------------------------------------- */

enum phase { IDLE, CONNECTING, SHAKING, SENDING, READING };

struct kiosk {
    int                 id, station;
    enum phase          phase;
    int                 fd;
    mbedtls_ssl_context ssl;
    bool                ssl_live;
    mbedtls_ssl_session session;       /* to resume */
    bool                have_session;
    unsigned long       seq;
    char                cursor[32];
    /* the request in flight */
    char               *out;
    size_t              out_len, out_done;
    char               *in;
    size_t              in_len, in_cap;
    int                 step;          /* 0 POST, 1.. GET */
    double              sched_ms;      /* this round's scheduled start */
    double              hs_start;      /* connected: the handshake began */
    int64_t             deadline;
    bool                resumed_last;
};

struct run {
    struct kiosk *ks;
    int           n;
    int           ep;
    int           active;
    double       *lat;
    int           nlat;
    int           errors;
    int           resumed, full;
    double        hs_ms[2];            /* handshake time: full, resumed */
    char          last_error[160];
};

static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
    struct kiosk *k = ctx;
    ssize_t n = send(k->fd, buf, len, MSG_NOSIGNAL);
    if (n >= 0)
        return (int)n;
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
        return MBEDTLS_ERR_SSL_WANT_WRITE;
    return MBEDTLS_ERR_NET_SEND_FAILED;
}

static int bio_recv(void *ctx, unsigned char *buf, size_t len)
{
    struct kiosk *k = ctx;
    ssize_t n = recv(k->fd, buf, len, 0);
    if (n > 0)
        return (int)n;
    if (n == 0)
        return MBEDTLS_ERR_NET_CONN_RESET;
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
        return MBEDTLS_ERR_SSL_WANT_READ;
    return MBEDTLS_ERR_NET_RECV_FAILED;
}

static void want(struct run *r, struct kiosk *k, uint32_t ev)
{
    struct epoll_event e = { .events = ev, .data.ptr = k };
    epoll_ctl(r->ep, EPOLL_CTL_MOD, k->fd, &e);
}

static void round_end(struct run *r, struct kiosk *k, const char *err)
{
    if (k->ssl_live) {
        if (!err)
            mbedtls_ssl_close_notify(&k->ssl);
        mbedtls_ssl_free(&k->ssl);
        k->ssl_live = false;
    }
    if (k->fd >= 0) {
        close(k->fd);
        k->fd = -1;
    }
    free(k->out);
    k->out = NULL;
    free(k->in);
    k->in = NULL;
    k->in_len = k->in_cap = 0;
    k->phase = IDLE;
    r->active--;
    if (err) {
        r->errors++;
        snprintf(r->last_error, sizeof r->last_error, "kiosk %d: %s", k->id,
                 err);
        return;
    }
    r->lat[r->nlat++] = now_msf() - k->sched_ms;
}

static void tls_fail(struct run *r, struct kiosk *k, const char *what,
                     int ret)
{
    char buf[96], msg[140];
    mbedtls_strerror(ret, buf, sizeof buf);
    snprintf(msg, sizeof msg, "%s: %s", what, buf);
    round_end(r, k, msg);
}

static void request(struct kiosk *k)
{
    char body[640], hdr[256], st[16];
    station_id(k->station, st, sizeof st);
    free(k->out);
    k->out = malloc(1024);
    if (k->step == 0) {
        int bl = snprintf(body, sizeof body,
                          "{\"station\":\"%s\",\"epoch\":\"%016x\","
                          "\"epoch_start\":1,\"events\":[{\"seq\":%lu,"
                          "\"kind\":\"check_in\",\"member_no\":\"HQ%04d\","
                          "\"wall_ms\":1763800000000,\"clock_trusted\":true,"
                          "\"boot_id\":\"b%d\",\"mono_ms\":1,\"data\":{}}]}",
                          st, (unsigned)k->id + 1, k->seq + 1,
                          1000 + k->station, k->id);
        int hl = snprintf(hdr, sizeof hdr, "POST /v1/events HTTP/1.1\r\n"
                          "Host: localhost\r\nKiosk-Status: v=bench;q=1\r\n"
                          "Content-Type: application/json\r\n"
                          "Content-Length: %d\r\n\r\n", bl);
        memcpy(k->out, hdr, (size_t)hl);
        memcpy(k->out + hl, body, (size_t)bl);
        k->out_len = (size_t)(hl + bl);
    } else {
        k->out_len = (size_t)snprintf(k->out, 1024,
                                      "GET /v1/changes?since=%s HTTP/1.1\r\n"
                                      "Host: localhost\r\nKiosk-Status: "
                                      "v=bench;q=0\r\n\r\n", k->cursor);
    }
    k->out_done = 0;
    k->in_len = 0;
    k->phase = SENDING;
}

/* A whole response in k->in: its status, and where its body starts;
 * 0: not whole yet. */
static int response_done(struct kiosk *k, const char **body, size_t *blen)
{
    if (!k->in || k->in_len < 12)
        return 0;
    k->in[k->in_len] = '\0';
    char *end = strstr(k->in, "\r\n\r\n");
    if (!end)
        return 0;
    size_t clen = 0;
    for (char *l = strstr(k->in, "\r\n"); l && l < end;
         l = strstr(l + 2, "\r\n"))
        if (strncasecmp(l + 2, "Content-Length:", 15) == 0)
            clen = (size_t)strtoul(l + 17, NULL, 10);
    size_t head = (size_t)(end + 4 - k->in);
    if (k->in_len < head + clen)
        return 0;
    *body = end + 4;
    *blen = clen;
    return atoi(k->in + 9);
}

/* Drive k as far as it goes without waiting. */
static void advance(struct run *r, struct kiosk *k)
{
    for (;;) {
        if (k->phase == CONNECTING) {
            int err = 0;
            socklen_t el = sizeof err;
            getsockopt(k->fd, SOL_SOCKET, SO_ERROR, &err, &el);
            if (err) {
                round_end(r, k, strerror(err));
                return;
            }
            mbedtls_ssl_init(&k->ssl);
            k->ssl_live = true;
            mbedtls_ssl_setup(&k->ssl, &confs[k->station]);
            mbedtls_ssl_set_bio(&k->ssl, k, bio_send, bio_recv, NULL);
            if (k->have_session)
                mbedtls_ssl_set_session(&k->ssl, &k->session);
            k->phase = SHAKING;
            k->hs_start = now_msf();
        }
        if (k->phase == SHAKING) {
            int ret = mbedtls_ssl_handshake(&k->ssl);
            if (ret == MBEDTLS_ERR_SSL_WANT_READ) {
                want(r, k, EPOLLIN);
                return;
            }
            if (ret == MBEDTLS_ERR_SSL_WANT_WRITE) {
                want(r, k, EPOLLOUT);
                return;
            }
            if (ret != 0) {
                tls_fail(r, k, "handshake", ret);
                return;
            }
            /* Resumed: the master secret is the one of the session
             * offered (mbedTLS 2.28 keeps "resumed" internal). */
            bool resumed = k->have_session &&
                           memcmp(k->ssl.session->master,
                                  k->session.master, 48) == 0;
            if (resumed)
                r->resumed++;
            else
                r->full++;
            r->hs_ms[resumed] += now_msf() - k->hs_start;
            mbedtls_ssl_session_free(&k->session);
            mbedtls_ssl_session_init(&k->session);
            k->have_session = mbedtls_ssl_get_session(&k->ssl,
                                                      &k->session) == 0;
            k->step = 0;
            request(k);
        }
        if (k->phase == SENDING) {
            while (k->out_done < k->out_len) {
                int ret = mbedtls_ssl_write(&k->ssl,
                                            (unsigned char *)k->out +
                                            k->out_done,
                                            k->out_len - k->out_done);
                if (ret == MBEDTLS_ERR_SSL_WANT_WRITE) {
                    want(r, k, EPOLLOUT);
                    return;
                }
                if (ret == MBEDTLS_ERR_SSL_WANT_READ) {
                    want(r, k, EPOLLIN);
                    return;
                }
                if (ret < 0) {
                    tls_fail(r, k, "write", ret);
                    return;
                }
                k->out_done += (size_t)ret;
            }
            k->phase = READING;
        }
        if (k->phase == READING) {
            if (k->in_cap - k->in_len < 16385) {
                k->in_cap = k->in_cap ? 2 * k->in_cap : 32768;
                k->in = realloc(k->in, k->in_cap + 1);
            }
            int ret = mbedtls_ssl_read(&k->ssl, (unsigned char *)k->in +
                                       k->in_len, k->in_cap - k->in_len);
            if (ret == MBEDTLS_ERR_SSL_WANT_READ) {
                want(r, k, EPOLLIN);
                return;
            }
            if (ret == MBEDTLS_ERR_SSL_WANT_WRITE) {
                want(r, k, EPOLLOUT);
                return;
            }
            if (ret <= 0) {
                tls_fail(r, k, "read", ret ? ret : MBEDTLS_ERR_NET_CONN_RESET);
                return;
            }
            k->in_len += (size_t)ret;
            const char *body;
            size_t blen;
            int status = response_done(k, &body, &blen);
            if (status == 0)
                continue;
            if (status != 200) {
                char msg[64];
                snprintf(msg, sizeof msg, "%s answered %d",
                         k->step ? "GET" : "POST", status);
                round_end(r, k, msg);
                return;
            }
            if (k->step == 0) {
                k->seq++;
            } else {
                const char *c = strstr(body, "\"cursor\":\"");
                if (!c) {
                    round_end(r, k, "page without a cursor");
                    return;
                }
                c += 10;
                size_t cl = strcspn(c, "\"");
                if (cl >= sizeof k->cursor)
                    cl = sizeof k->cursor - 1;
                memcpy(k->cursor, c, cl);
                k->cursor[cl] = '\0';
                if (!strstr(body, "\"more\":true")) {
                    round_end(r, k, NULL);
                    return;
                }
            }
            k->step++;
            request(k);
        }
    }
}

static void round_start(struct run *r, struct kiosk *k, double sched)
{
    if (k->phase != IDLE) {
        r->errors++;                 /* the last round has not ended */
        snprintf(r->last_error, sizeof r->last_error,
                 "kiosk %d: a round still running when the next was due",
                 k->id);
        return;
    }
    k->sched_ms = sched;
    k->deadline = now_ms() + ROUND_TIMEOUT_MS;
    k->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    r->active++;
    if (k->fd < 0) {
        round_end(r, k, strerror(errno));
        return;
    }
    int one = 1;
    setsockopt(k->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    /* Two hubds: odd kiosks go to the second. */
    int to = nhubs == 2 && k->id % 2 ? port2 : port;
    struct sockaddr_in a = { .sin_family = AF_INET,
                             .sin_port = htons((uint16_t)to) };
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    k->phase = CONNECTING;
    struct epoll_event e = { .events = EPOLLOUT, .data.ptr = k };
    epoll_ctl(r->ep, EPOLL_CTL_ADD, k->fd, &e);
    if (connect(k->fd, (struct sockaddr *)&a, sizeof a) != 0 &&
        errno != EINPROGRESS) {
        round_end(r, k, strerror(errno));
        return;
    }
}

struct start {
    double at;
    int    kiosk;
};

static int cmp_start(const void *a, const void *b)
{
    double x = ((const struct start *)a)->at, y = ((const struct start *)b)->at;
    return x < y ? -1 : x > y;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

struct result {
    double p50, p99, max, rss_mb;
    int    rounds, errors, threads;
};

/* Kiosks 0..n-1 start rounds at the times in starts[] (ms from now);
 * runs until every round has ended. */
static void drive(struct kiosk *ks, int n, struct start *starts, int nstarts,
                  struct result *res, struct run *r)
{
    memset(r, 0, sizeof *r);
    r->ks = ks;
    r->n = n;
    r->ep = epoll_create1(EPOLL_CLOEXEC);
    r->lat = calloc((size_t)nstarts + 1, sizeof *r->lat);
    qsort(starts, (size_t)nstarts, sizeof *starts, cmp_start);
    double t0 = now_msf();
    int next = 0;
    int64_t sampled = 0;
    res->rss_mb = 0;
    res->threads = 0;
    struct epoll_event evs[MAX_EVENTS];
    while (next < nstarts || r->active > 0) {
        double now = now_msf();
        while (next < nstarts && t0 + starts[next].at <= now) {
            round_start(r, &ks[starts[next].kiosk], t0 + starts[next].at);
            if (ks[starts[next].kiosk].phase == CONNECTING)
                advance(r, &ks[starts[next].kiosk]);
            next++;
        }
        int wait = 50;
        if (next < nstarts) {
            double d = t0 + starts[next].at - now_msf();
            wait = d < 0 ? 0 : d < 50 ? (int)d : 50;
        }
        int got = epoll_wait(r->ep, evs, MAX_EVENTS, wait);
        for (int i = 0; i < got; i++) {
            struct kiosk *k = evs[i].data.ptr;
            if (k->phase != IDLE)
                advance(r, k);
        }
        int64_t nm = now_ms();
        if (nm - sampled >= 250) {
            sampled = nm;
            double rss;
            int th;
            hub_usage(&rss, &th);
            if (rss > res->rss_mb)
                res->rss_mb = rss;
            if (th > res->threads)
                res->threads = th;
            for (int i = 0; i < n; i++)
                if (ks[i].phase != IDLE && nm > ks[i].deadline)
                    round_end(r, &ks[i], "round timed out");
        }
    }
    close(r->ep);
    qsort(r->lat, (size_t)r->nlat, sizeof *r->lat, cmp_double);
    res->rounds = r->nlat;
    res->errors = r->errors;
    res->p50 = r->nlat ? r->lat[r->nlat / 2] : 0;
    res->p99 = r->nlat ? r->lat[(r->nlat * 99) / 100 -
                                ((r->nlat * 99) % 100 == 0 && r->nlat > 1)]
                       : 0;
    res->max = r->nlat ? r->lat[r->nlat - 1] : 0;
    free(r->lat);
}

static struct kiosk *kiosks;
static int nkiosks;

static void kiosks_make(int n)
{
    kiosks = calloc((size_t)n, sizeof *kiosks);
    nkiosks = n;
    for (int i = 0; i < n; i++) {
        struct kiosk *k = &kiosks[i];
        k->id = i;
        bool quiet = nquiet > 0 && i % 100 >= 100 - quiet_pct;
        k->station = quiet ? nstations + i % nquiet : i % nstations;
        k->fd = -1;
        mbedtls_ssl_session_init(&k->session);
        /* Kiosks that have synced all year hold the cursor the hub gave
         * them: a busy station's, its own last change (ids follow the
         * interleaved prefill from 1); a quiet station's, none (the
         * hub's cursor moves only over the asking station's rows). */
        if (quiet)
            k->cursor[0] = '\0';
        else
            snprintf(k->cursor, sizeof k->cursor, "%ld",
                     (long)(changes_per_station - 1) * nstations +
                     k->station + 1);
    }
}

/* Warm-up, not measured: one full handshake per station's certificate;
 * its kiosks start with a copy of that session (as if each had synced
 * before), so a run measures the steady state, not 20,000 first
 * contacts. Later rounds keep each kiosk's own session. */
static void warm(int n)
{
    struct start *s = calloc((size_t)nall, sizeof *s);
    int *rep = calloc((size_t)nall, sizeof *rep);
    int m = 0;
    for (int i = 0; i < nall; i++)
        rep[i] = -1;
    for (int i = 0; i < n; i++)
        if (rep[kiosks[i].station] < 0) {
            rep[kiosks[i].station] = i;
            s[m].at = m * 5.0;
            s[m++].kiosk = i;
        }
    struct result res;
    struct run r;
    drive(kiosks, n, s, m, &res, &r);
    if (res.errors)
        printf("# warm-up: %d errors (%s)\n", res.errors, r.last_error);
    for (int i = 0; i < n; i++) {
        if (rep[kiosks[i].station] < 0)
            continue;
        struct kiosk *src = &kiosks[rep[kiosks[i].station]];
        if (kiosks[i].have_session || !src->have_session)
            continue;
        mbedtls_ssl_session_init(&kiosks[i].session);
        /* A copy through the library's own save/load. */
        unsigned char buf[4096];
        size_t len;
        if (mbedtls_ssl_session_save(&src->session, buf, sizeof buf, &len)
            == 0 && mbedtls_ssl_session_load(&kiosks[i].session, buf, len)
            == 0)
            kiosks[i].have_session = true;
    }
    free(rep);
    free(s);
}

static void scenario(int n, int rounds)
{
    int nstarts = n * rounds;
    struct start *s = calloc((size_t)nstarts, sizeof *s);
    for (int i = 0; i < n; i++) {
        double phase = (double)rand() / RAND_MAX * period_ms;
        for (int j = 0; j < rounds; j++) {
            s[i * rounds + j].at = phase + (double)j * period_ms;
            s[i * rounds + j].kiosk = i;
        }
    }
    struct result res;
    struct run r;
    drive(kiosks, n, s, nstarts, &res, &r);
    printf("# %d kiosks, every %d s, %d rounds (%.1f/s offered): p50 %.1f ms"
           " p99 %.1f ms max %.1f ms, %d errors%s%s; resumed %d full %d; "
           "%s %.0f MB, %d threads\n", n, period_ms / 1000, res.rounds,
           n * 1000.0 / period_ms, res.p50, res.p99, res.max, res.errors,
           res.errors ? ", last: " : "", res.errors ? r.last_error : "",
           r.resumed, r.full, nhubs > 1 ? "hubds" : "hubd", res.rss_mb,
           res.threads);
    char hubds[32] = "";
    if (nhubs > 1)
        snprintf(hubds, sizeof hubds, "hubds=%d ", nhubs);
    printf("hub: store=%s %skiosks=%d history=%s p50_ms=%.1f p99_ms=%.1f "
           "errors=%d rss_mb=%.0f\n", store, hubds, n, history(), res.p50,
           res.p99, res.errors, res.rss_mb);
    fflush(stdout);
    free(s);
}

/* One kiosk alone, round after round: the floor (of a busy station's
 * kiosk: the line; of a quiet one's: a comment). */
static void floor_run(int kiosk, bool line)
{
    enum { ROUNDS = 50 };
    double lat[ROUNDS];
    int errors = 0, nl = 0;
    for (int i = 0; i < ROUNDS; i++) {
        struct start s = { .at = 0, .kiosk = kiosk };
        struct result res;
        struct run r;
        drive(kiosks, kiosk + 1, &s, 1, &res, &r);
        errors += res.errors;
        if (res.rounds)
            lat[nl++] = res.p50;
    }
    qsort(lat, (size_t)nl, sizeof *lat, cmp_double);
    double rss;
    int th;
    hub_usage(&rss, &th);
    printf("# one kiosk of a %s station alone, %d rounds back to back: "
           "p50 %.2f ms, p99 %.2f ms, %d errors\n",
           line ? "busy" : "quiet", ROUNDS, nl ? lat[nl / 2] : 0,
           nl ? lat[nl - 1 - nl / 100] : 0, errors);
    if (line)
        printf("hub: store=%s kiosks=1 history=%s p50_ms=%.1f p99_ms=%.1f "
           "errors=%d rss_mb=%.0f\n", store, history(), nl ? lat[nl / 2] : 0,
           nl ? lat[nl - 1 - nl / 100] : 0, errors, rss);
    fflush(stdout);
}

/* What a handshake costs, full against resumed: one kiosk alone, its
 * session dropped before each round or kept (client and server on one
 * machine: the time from connected to the handshake done). */
static void handshake_cost(void)
{
    enum { ROUNDS = 40 };
    double ms[2] = { 0, 0 };
    int n[2] = { 0, 0 };
    for (int i = 0; i < 2 * ROUNDS; i++) {
        struct kiosk *k = &kiosks[0];
        bool full = i < ROUNDS;
        if (full && k->have_session) {
            mbedtls_ssl_session_free(&k->session);
            mbedtls_ssl_session_init(&k->session);
            k->have_session = false;
        }
        struct start s = { .at = 0, .kiosk = 0 };
        struct result res;
        struct run r;
        drive(kiosks, 1, &s, 1, &res, &r);
        ms[0] += r.hs_ms[0];
        ms[1] += r.hs_ms[1];
        n[0] += r.full;
        n[1] += r.resumed;
    }
    printf("# handshake, one kiosk alone: full %.2f ms (%d), resumed %.2f ms "
           "(%d)\n", n[0] ? ms[0] / n[0] : 0, n[0], n[1] ? ms[1] / n[1] : 0,
           n[1]);
    fflush(stdout);
}

/* hubd restarted; n kiosks (with sessions from the run before) all
 * reconnect within one second. */
static void storm(int n)
{
    hub_stop();
    hub_start();
    struct start *s = calloc((size_t)n, sizeof *s);
    for (int i = 0; i < n; i++) {
        s[i].at = (double)rand() / RAND_MAX * 1000.0;
        s[i].kiosk = i;
    }
    struct result res;
    struct run r;
    double t0 = now_msf();
    drive(kiosks, n, s, n, &res, &r);
    printf("# restart storm: %d kiosks within 1 s after a restart: all done "
           "in %.1f s, p50 %.1f ms p99 %.1f ms max %.1f ms, %d failed%s%s; "
           "resumed %d full %d; hubd %.0f MB, %d threads\n", n,
           (now_msf() - t0) / 1e3, res.p50, res.p99, res.max, res.errors,
           res.errors ? ", last: " : "", res.errors ? r.last_error : "",
           r.resumed, r.full, res.rss_mb, res.threads);
    printf("hub: store=%s storm=%d failed=%d p99_ms=%.1f\n", store, n,
           res.errors, res.p99);
    fflush(stdout);
    free(s);
}

/* nflood idle raw connections from 127.0.0.2, then 10 kiosks sync. */
static void flood(int nflood)
{
    /* A hub of its own (restarted; sessions resume), not one still
     * working off the scenario before. */
    hub_stop();
    hub_start();
    struct stat before, after;
    stat(p("hubd.log"), &before);
    int *fds = calloc((size_t)nflood, sizeof *fds);
    int opened = 0;
    for (int i = 0; i < nflood; i++) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_in a = { .sin_family = AF_INET };
        inet_pton(AF_INET, "127.0.0.2", &a.sin_addr);
        struct sockaddr_in h = { .sin_family = AF_INET,
                                 .sin_port = htons((uint16_t)port) };
        inet_pton(AF_INET, "127.0.0.1", &h.sin_addr);
        if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
            connect(fd, (struct sockaddr *)&h, sizeof h) != 0) {
            if (fd >= 0)
                close(fd);
            fds[i] = -1;
            continue;
        }
        fds[i] = fd;
        opened++;
    }
    struct start s[10];
    for (int i = 0; i < 10; i++) {
        s[i].at = i * 100.0;
        s[i].kiosk = i;
    }
    struct result res;
    struct run r;
    drive(kiosks, 10, s, 10, &res, &r);
    /* Held for 30 s in all, as the flood it repeats (its log counted). */
    double rss;
    int th;
    hub_usage(&rss, &th);
    sleep((unsigned)flood_hold_s);
    for (int i = 0; i < nflood; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    free(fds);
    stat(p("hubd.log"), &after);
    printf("# flood: %d of %d raw connections opened from 127.0.0.2, held "
           "%d s; 10 kiosks synced %d/10 (p99 %.1f ms)%s%s; hubd %.0f MB, "
           "%d threads, wrote %.1f KB of log\n", opened, nflood, flood_hold_s,
           res.rounds,
           res.p99, res.errors ? ", last error: " : "",
           res.errors ? r.last_error : "", rss, th,
           (double)(after.st_size - before.st_size) / 1024.0);
    printf("hub: store=%s flood=%d synced=%d/10 log_kb=%.0f\n", store,
           nflood, res.rounds,
           (double)(after.st_size - before.st_size) / 1024.0);
    fflush(stdout);
}

static void raise_nofile(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    getrlimit(RLIMIT_NOFILE, &rl);
    printf("# open files: %lu allowed (driver and hubd)\n",
           (unsigned long)rl.rlim_cur);
}

static int env_int(const char *name, int def)
{
    const char *v = getenv(name);
    return v && *v ? atoi(v) : def;
}

int main(void)
{
    log_set_level(LOG_LVL_ERROR);
    signal(SIGPIPE, SIG_IGN);
    if (getenv("BENCH_HUB_STORE"))
        store = getenv("BENCH_HUB_STORE");
    if (strcmp(store, "sqlite") != 0 && !is_pg()) {
        fprintf(stderr, "bench_hub: BENCH_HUB_STORE=%s: sqlite or pg\n",
                store);
        return 2;
    }
    if (getenv("BENCH_HUB_HUBD"))
        hubd_bin = getenv("BENCH_HUB_HUBD");
    period_ms = env_int("BENCH_HUB_PERIOD_S", 60) * 1000;
    nstations = env_int("BENCH_HUB_STATIONS", 113);
    changes_per_station = env_int("BENCH_HUB_CHANGES", 5000);
    nquiet = env_int("BENCH_HUB_QUIET_STATIONS", 12);
    quiet_pct = env_int("BENCH_HUB_QUIET_PCT", 10);
    nall = nstations + nquiet;
    int storm_n = env_int("BENCH_HUB_STORM", 5000);
    int flood_n = env_int("BENCH_HUB_FLOOD", 4200);
    flood_hold_s = env_int("BENCH_HUB_FLOOD_HOLD_S", 30);
    const char *sizes = getenv("BENCH_HUB_KIOSKS");
    if (!sizes)
        sizes = "500,2000,5000,20000";
    srand((unsigned)env_int("BENCH_HUB_SEED", 11));
    raise_nofile();
    snprintf(dir, sizeof dir, "/tmp/bench_hub.XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    if (is_pg())
        pg_cluster_start();
    setup_hub();
    int most = storm_n > 10 ? storm_n : 10;
    for (const char *c = sizes; *c; c += strcspn(c, ","), c += *c == ',') {
        int n = atoi(c);
        if (n > most)
            most = n;
    }
    total_changes = (long)nstations * changes_per_station;
    tls_setup();
    kiosks_make(most);
    hub_start();
    printf("# hubd %s (pid %d), store %s, period %d s\n", hubd_bin,
           (int)hub_pid, store, period_ms / 1000);
    warm(most);
    handshake_cost();
    floor_run(0, true);
    for (int i = 0; i < nkiosks; i++)
        if (kiosks[i].station >= nstations) {
            floor_run(i, false);
            break;
        }
    for (const char *c = sizes; *c; c += strcspn(c, ","), c += *c == ',')
        scenario(atoi(c), 1);
    /* PostgreSQL's point: several hubds on one database. The same sizes
     * again, the kiosks split between two (their sessions resume on
     * either: the ticket keys are in the database). */
    if (is_pg() && env_int("BENCH_HUB_PG_HUBDS", 2) == 2) {
        hub2_start();
        nhubs = 2;
        printf("# second hubd (pid %d) on the same database; kiosks split "
               "between ports %d and %d\n", (int)hub2_pid, port, port2);
        for (const char *c = sizes; *c;
             c += strcspn(c, ","), c += *c == ',')
            scenario(atoi(c), 1);
        nhubs = 1;
        hub2_stop();
    }
    if (storm_n > 0)
        storm(storm_n);
    if (flood_n > 0)
        flood(flood_n);
    hub_stop();
    pg_cluster_stop();
    if (!getenv("BENCH_HUB_KEEP")) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) != 0)
            return 1;
    } else {
        printf("# kept %s\n", dir);
    }
    return 0;
}
