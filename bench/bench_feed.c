/* bench/bench_feed.c - the change feed on a year-old hub. A hub.db is
 * filled with a simulated year: 113 stations x 5,000 changes (puts and
 * deletes of a few hundred items each, republished over and over) plus
 * some changes for every station. Then, in one run:
 *  1. the floor: one bare indexed SELECT (the station's first row after
 *     the head), as the cheapest read a poll can cost;
 *  2. a quiet station's poll (a station with no changes of its own) from
 *     the head cursor, through hub_db_changes on a pooled read
 *     connection, with the ratio to the floor. Target: under 1 ms (the
 *     query before this feed cost 34 ms: it is timed too, once);
 *  3. a fresh kiosk's bootstrap (snapshot pages until done) for one
 *     station, before and after a trim, with the log's size each time;
 *  4. quiet polls while another thread bootstraps kiosks on the
 *     untrimmed log: through one read connection (a pool of 1: the one
 *     read lock hubd had) a poll queues behind a bootstrap; through a
 *     pool it does not.
 * `make bench-feed` builds and runs it alone. */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "base/log.h"
#include "hub/hub_db.h"
#include "hub/hub_db_pool.h"
#include "sync/proto.h"

#define STATIONS  113
#define PER_ST    5000
#define ITEMS     400                /* distinct items a station keeps */
#define POLLS     2000

static char dir[64];
static char path[128];

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void die(const char *what, err_code e)
{
    fprintf(stderr, "bench_feed: %s: %s\n", what, err_str(e));
    exit(1);
}

#define CHECK(x) \
    do { err_code e_ = (x); if (e_ != ERR_OK) die(#x, e_); } while (0)

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* A year of publishing, in time order: every station's items come and
 * go; in the first weeks, one change in 10 is for every station (card
 * keys, revocations), none later: the old feed's cursor of a quiet
 * station stayed there. */
static void fill(void)
{
    struct hub_db *db;
    CHECK(hub_db_open(path, &db));
    CHECK(hub_db_station_add(db, "quiet", "Q"));
    CHECK(hub_db_begin(db));
    char st[16], key[16], data[160];
    for (int j = 0; j < PER_ST; j++)
        for (int s = 0; s < STATIONS; s++) {
            snprintf(st, sizeof st, "st%03d", s);
            snprintf(key, sizeof key, "N%d", (j * 7 + s) % ITEMS);
            snprintf(data, sizeof data, "{\"title\":\"通知 %d\",\"body\":"
                     "\"本周六上午九点社区党员服务站集中服务，请准时参加。\","
                     "\"published_ms\":%d}", j, j);
            bool del = (j + s) % 5 == 4;
            CHECK(hub_db_change_add(db, st, NULL, "notice", key,
                                    del ? NULL : data));
            if (j < PER_ST / 10 && (j * STATIONS + s) % 10 == 0) {
                snprintf(key, sizeof key, "G%d", j % 50);
                CHECK(hub_db_change_add(db, NULL, NULL, "notice", key, data));
            }
        }
    CHECK(hub_db_commit(db));
    hub_db_close(db);
}

static int64_t head_of(struct hub_db *db)
{
    struct hub_feed_rule r = { HUB_FEED_ACTIVE_DAYS, 0 };
    struct hub_feed_stats fs;
    CHECK(hub_db_feed_stats(db, 0, &r, &fs));
    printf("log: rows=%" PRId64 " bytes=%" PRId64 " head=%" PRId64
           " horizon=%" PRId64 "\n", fs.rows, fs.bytes, fs.head, fs.horizon);
    return fs.head;
}

/* One bare indexed read, the least a poll can cost. */
static double floor_ms(int64_t head)
{
    sqlite3 *h;
    sqlite3_stmt *q;
    sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL);
    sqlite3_prepare_v2(h, "SELECT id FROM changes WHERE station = ?"
                       " AND id > ? ORDER BY id LIMIT 1", -1, &q, NULL);
    double t0 = now_ms();
    for (int i = 0; i < POLLS; i++) {
        sqlite3_bind_text(q, 1, "quiet", -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 2, head);
        sqlite3_step(q);
        sqlite3_reset(q);
    }
    double ms = (now_ms() - t0) / POLLS;
    sqlite3_finalize(q);
    sqlite3_close(h);
    return ms;
}

/* The query the feed ran before (no index, the cursor only over the
 * asking station's rows): what a quiet station paid per poll, from the
 * last row it was given (the last change for every station). */
static double before_ms(void)
{
    int64_t from = 0;
    sqlite3 *h0;
    sqlite3_stmt *q0;
    sqlite3_open_v2(path, &h0, SQLITE_OPEN_READONLY, NULL);
    sqlite3_prepare_v2(h0, "SELECT max(id) FROM changes WHERE station IS NULL",
                       -1, &q0, NULL);
    if (sqlite3_step(q0) == SQLITE_ROW)
        from = sqlite3_column_int64(q0, 0);
    sqlite3_finalize(q0);
    sqlite3_close(h0);
    sqlite3 *h;
    sqlite3_stmt *q;
    sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL);
    sqlite3_prepare_v2(h, "SELECT id, type, key, op, data FROM changes"
                       " NOT INDEXED WHERE id > ? AND (station IS NULL OR"
                       " station = ?) AND (device IS NULL OR device = ?)"
                       " ORDER BY id LIMIT 501", -1, &q, NULL);
    double best = 1e9;
    for (int i = 0; i < 5; i++) {
        double t0 = now_ms();
        sqlite3_bind_int64(q, 1, from);
        sqlite3_bind_text(q, 2, "quiet", -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 3, "devQ", -1, SQLITE_STATIC);
        while (sqlite3_step(q) == SQLITE_ROW) {
        }
        sqlite3_reset(q);
        double ms = now_ms() - t0;
        if (ms < best)
            best = ms;
    }
    sqlite3_finalize(q);
    sqlite3_close(h);
    return best;
}

static void quiet_polls(struct hub_db_pool *pool, int64_t head)
{
    static double t[POLLS];
    char cur[PROTO_CURSOR_MAX], *json;
    size_t len;
    bool more;
    int64_t hub_ms;
    snprintf(cur, sizeof cur, "%" PRId64, head / 2);  /* behind: catch up */
    struct hub_db *db = hub_db_pool_take(pool);
    for (more = true; more;) {
        CHECK(hub_db_changes(db, "quiet", "devQ", cur, 0, &json, &len));
        CHECK(proto_page_peek(json, len, cur, sizeof cur, &more, &hub_ms));
        free(json);
    }
    if (strtoll(cur, NULL, 10) != head)
        die("the quiet station's cursor is not the head", ERR_INVAL);
    for (int i = 0; i < POLLS; i++) {
        double t0 = now_ms();
        CHECK(hub_db_changes(db, "quiet", "devQ", cur, 0, &json, &len));
        t[i] = now_ms() - t0;
        free(json);
    }
    hub_db_pool_give(pool, db);
    qsort(t, POLLS, sizeof t[0], cmp_d);
    double fl = floor_ms(head);
    printf("feed: quiet station poll p50_ms=%.4f p99_ms=%.4f floor_ms=%.4f"
           " ratio=%.1f\n", t[POLLS / 2], t[POLLS * 99 / 100], fl,
           t[POLLS / 2] / fl);
}

/* A fresh kiosk of one station: snapshot pages until done. */
static void bootstrap(struct hub_db_pool *pool, const char *when)
{
    char cur[PROTO_CURSOR_MAX] = "", *json;
    size_t len, bytes = 0;
    bool more = true;
    int64_t hub_ms;
    int pages = 0;
    struct hub_db *db = hub_db_pool_take(pool);
    double t0 = now_ms();
    while (more) {
        CHECK(hub_db_changes(db, "st007", "dev7", cur, 0, &json, &len));
        CHECK(proto_page_peek(json, len, cur, sizeof cur, &more, &hub_ms));
        bytes += len;
        pages++;
        free(json);
    }
    double ms = now_ms() - t0;
    hub_db_pool_give(pool, db);
    printf("feed: bootstrap %s pages=%d bytes=%zu ms=%.1f\n", when, pages,
           bytes, ms);
}

/* A kiosk's bootstrap on the untrimmed log, again and again, until
 * told to stop: the long read a quiet poll may queue behind. */
struct heavy {
    struct hub_db_pool *pool;
    volatile int        stop;
    int                 done;
};

static void *bootstraps(void *arg)
{
    struct heavy *h = arg;
    for (int i = 0; !h->stop; i++, h->done++) {
        char cur[PROTO_CURSOR_MAX] = "", *json, st[16];
        size_t len;
        bool more = true;
        int64_t hub_ms;
        snprintf(st, sizeof st, "st%03d", i % STATIONS);
        while (more) {
            struct hub_db *db = hub_db_pool_take(h->pool);
            CHECK(hub_db_changes(db, st, "dev", cur, 0, &json, &len));
            hub_db_pool_give(h->pool, db);
            CHECK(proto_page_peek(json, len, cur, sizeof cur, &more,
                                  &hub_ms));
            free(json);
        }
    }
    return NULL;
}

#define BUSY_POLLS 300

/* Quiet polls (waiting for a connection included) while another thread
 * bootstraps kiosks, through a pool of `connections`. */
static void polls_beside_bootstraps(int connections, int64_t head)
{
    static double t[BUSY_POLLS];
    struct heavy h = { 0 };
    pthread_t th;
    char cur[32], *json;
    size_t len;
    CHECK(hub_db_pool_open(path, connections, &h.pool));
    snprintf(cur, sizeof cur, "%" PRId64, head);
    pthread_create(&th, NULL, bootstraps, &h);
    while (h.done == 0) {
        struct timespec ts = { 0, 1000000 };
        nanosleep(&ts, NULL);           /* until the first one ran */
    }
    for (int i = 0; i < BUSY_POLLS; i++) {
        double t0 = now_ms();
        struct hub_db *db = hub_db_pool_take(h.pool);
        CHECK(hub_db_changes(db, "quiet", "devQ", cur, 0, &json, &len));
        hub_db_pool_give(h.pool, db);
        t[i] = now_ms() - t0;
        free(json);
    }
    h.stop = 1;
    pthread_join(th, NULL);
    hub_db_pool_close(h.pool);
    qsort(t, BUSY_POLLS, sizeof t[0], cmp_d);
    printf("feed: quiet poll beside bootstraps, %s: p50_ms=%.3f"
           " p99_ms=%.3f\n", connections == 1 ? "one read connection"
                                               : "pool of 2",
           t[BUSY_POLLS / 2], t[BUSY_POLLS * 99 / 100]);
}

int main(void)
{
    log_set_level(LOG_LVL_ERROR);
    snprintf(dir, sizeof dir, "/tmp/bench_feed.XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/hub.db", dir);
    double t0 = now_ms();
    fill();
    printf("fill: %d stations x %d changes in %.1f s\n", STATIONS, PER_ST,
           (now_ms() - t0) / 1e3);
    struct hub_db *w;
    CHECK(hub_db_open(path, &w));          /* the writer, as in hubd */
    int64_t head = head_of(w);
    struct hub_db_pool *pool;
    CHECK(hub_db_pool_open(path, 2, &pool));
    printf("feed: before (query of the old feed, quiet station) ms=%.2f\n",
           before_ms());
    quiet_polls(pool, head);
    bootstrap(pool, "untrimmed");
    polls_beside_bootstraps(1, head);
    polls_beside_bootstraps(2, head);
    struct hub_feed_rule r = { HUB_FEED_ACTIVE_DAYS, 0 };
    int64_t point, gone;
    t0 = now_ms();
    CHECK(hub_db_feed_trim(w, 0, &r, &point, &gone));
    printf("trim: to %" PRId64 ", %" PRId64 " rows removed in %.1f s\n",
           point, gone, (now_ms() - t0) / 1e3);
    head_of(w);
    bootstrap(pool, "trimmed");
    quiet_polls(pool, head);
    hub_db_pool_close(pool);
    hub_db_close(w);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return 0;
}
