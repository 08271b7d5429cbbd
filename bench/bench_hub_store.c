/* bench/bench_hub_store.c - the hub's store alone, on SQLite or on
 * PostgreSQL, so the two can be compared: a durable upload of one event
 * (one transaction), uploads of 16 devices stored together (one
 * transaction, as hubd's group commit does), a quiet station's feed poll
 * from its cursor, and the certificate check every request makes.
 * Printed per operation: p50 and p99 in microseconds and operations per
 * second, one line each:
 *   hub_store: store=sqlite op=upload1 n=N p50_us=N p99_us=N per_s=N
 *
 * The store: HUB_BENCH_STORE (a PostgreSQL URL or a SQLite path), else a
 * new SQLite file in a temp dir. On a throwaway cluster with fsync on:
 *   . tests/support/pg_cluster.sh; PG_OPTS="-c fsync=on" pg_start
 *   HUB_BENCH_STORE=$(pg_createdb b) build/bench/bench_hub_store; pg_stop */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "hub/hub_db.h"
#include "hub/hub_db_roster.h"

#define N_OPS     1000
#define N_DEVICES 16

#define CHECK(x) do { if ((x) != ERR_OK) { fprintf(stderr, "%s:%d: %s\n", \
    __FILE__, __LINE__, #x); exit(1); } } while (0)

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report(const char *store, const char *op, double *lat, int n,
                   double per_op)
{
    qsort(lat, (size_t)n, sizeof *lat, cmp);
    double total = 0;
    for (int i = 0; i < n; i++)
        total += lat[i];
    printf("hub_store: store=%s op=%s n=%d p50_us=%.0f p99_us=%.0f"
           " per_s=%.0f\n", store, op, n, lat[n / 2], lat[n * 99 / 100],
           total > 0 ? n * per_op / (total / 1e6) : 0);
}

static void event_of(struct proto_event *ev, uint64_t seq, int64_t wall)
{
    memset(ev, 0, sizeof *ev);
    ev->seq = seq;
    strcpy(ev->kind, "check_in");
    snprintf(ev->member_no, sizeof ev->member_no, "HQ%04d",
             1 + (int)(seq % 60));
    ev->wall_ms = wall;
    ev->clock_trusted = true;
    strcpy(ev->boot_id, "b");
    ev->mono_ms = (int64_t)seq;
    strcpy(ev->data, "{}");
}

int main(void)
{
    log_set_level(LOG_LVL_ERROR);
    char dir[64] = "/tmp/bench_hub_store.XXXXXX", path[128];
    const char *target = getenv("HUB_BENCH_STORE");
    if (!target) {
        if (!mkdtemp(dir))
            return 1;
        snprintf(path, sizeof path, "%s/hub.db", dir);
        target = path;
    }
    const char *store = hub_db_is_url(target) ? "postgresql" : "sqlite";
    struct hub_db *db;
    CHECK(hub_db_open(target, &db));
    CHECK(hub_db_station_add(db, "st1", "bench"));
    CHECK(hub_db_station_add(db, "st2", "busy"));
    for (int i = 1; i <= 60; i++) {
        struct hub_member m = { .station = "st1" };
        snprintf(m.member_no, sizeof m.member_no, "HQ%04d", i);
        snprintf(m.name, sizeof m.name, "M%d", i);
        CHECK(hub_db_member_put(db, &m, true));
    }
    char dev[N_DEVICES][16], sha[80];
    for (int d = 0; d < N_DEVICES; d++) {
        snprintf(dev[d], sizeof dev[d], "k%02d", d);
        snprintf(sha, sizeof sha, "%064d", d);
        CHECK(hub_db_cert_add(db, "st1", dev[d], "01", sha, 1));
    }
    /* A feed where another station is busy: 2,000 of its changes. */
    CHECK(hub_db_begin(db));
    for (int i = 0; i < 2000; i++) {
        char k[16];
        snprintf(k, sizeof k, "N%d", i);
        CHECK(hub_db_change_add(db, "st2", NULL, "notice", k,
                                "{\"title\":\"t\",\"body\":\"b\"}"));
    }
    CHECK(hub_db_commit(db));

    static double lat[N_OPS];
    static struct proto_event evs[N_DEVICES];
    int64_t wall = hub_now_ms() - 3600 * 1000;
    /* One device's upload of one event, one transaction each. */
    for (int i = 0; i < N_OPS; i++) {
        struct hub_put u = { .station = "st1", .device = dev[0],
                             .epoch = "e", .epoch_start = 1, .evs = evs,
                             .n = 1, .now = hub_now_ms() };
        event_of(&evs[0], (uint64_t)i + 1, wall + i);
        double t0 = now_us();
        CHECK(hub_db_events_put_group(db, &u, 1));
        lat[i] = now_us() - t0;
        if (u.result != ERR_OK || u.acked != (uint64_t)i + 1)
            return fprintf(stderr, "upload %d: acked %" PRIu64 "\n", i,
                           u.acked), 1;
    }
    report(store, "upload1", lat, N_OPS, 1);
    /* 16 devices' uploads stored together (one transaction). */
    static struct proto_event many[N_DEVICES][1];
    for (int i = 0; i < N_OPS / 10; i++) {
        struct hub_put u[N_DEVICES];
        for (int d = 0; d < N_DEVICES; d++) {
            event_of(&many[d][0], (uint64_t)i + 1, wall + i);
            u[d] = (struct hub_put){ .station = "st1", .device = dev[d],
                                     .epoch = "g", .epoch_start = 1,
                                     .evs = many[d], .n = 1,
                                     .now = hub_now_ms() };
        }
        double t0 = now_us();
        CHECK(hub_db_events_put_group(db, u, N_DEVICES));
        lat[i] = now_us() - t0;
    }
    report(store, "upload16_group", lat, N_OPS / 10, N_DEVICES);
    /* A quiet station polls from the end of the feed. */
    char *json = NULL;
    size_t len;
    char cursor[32] = "";
    for (int page = 0; page < 100; page++) {
        CHECK(hub_db_changes(db, "st1", dev[1], cursor, 0, &json, &len));
        const char *c = strstr(json, "\"cursor\":\"");
        bool more = strstr(json, "\"more\":true") != NULL;
        if (c)
            sscanf(c + 10, "%31[0-9]", cursor);
        free(json);
        if (!more)
            break;
    }
    for (int i = 0; i < N_OPS; i++) {
        double t0 = now_us();
        CHECK(hub_db_changes(db, "st1", dev[1], cursor, 0, &json, &len));
        lat[i] = now_us() - t0;
        free(json);
    }
    report(store, "feed_poll_quiet", lat, N_OPS, 1);
    for (int i = 0; i < N_OPS; i++) {
        const char *why;
        snprintf(sha, sizeof sha, "%064d", 3);
        double t0 = now_us();
        CHECK(hub_db_device_check(db, dev[3], "st1", sha, &why));
        lat[i] = now_us() - t0;
    }
    report(store, "device_check", lat, N_OPS, 1);
    hub_db_close(db);
    if (!getenv("HUB_BENCH_STORE")) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        return system(cmd) == 0 ? 0 : 1;
    }
    return 0;
}
