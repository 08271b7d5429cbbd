/* bench/bench_checkin.c - latency of one durable check-in through the
 * domain API against the floor measured in the same run: one bare durable
 * SQLite insert of the same size (same WAL + synchronous=FULL settings, in
 * the same directory). The two alternate, one of each per round, so drift
 * in the machine's speed hits both alike. Prints median and p99 of each
 * and their ratio. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "firmware/demo.h"
#include "base/log.h"
#include "firmware/visit.h"

#define RUNS 2000

struct floor_db {
    sqlite3      *db;
    sqlite3_stmt *insert;
};

struct kiosk_db {
    struct config cfg;
    struct store *store;
};

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void stats(double *v, int n, double *median, double *p99)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    *median = v[n / 2];
    *p99 = v[(n * 99) / 100];
}

static void floor_open(struct floor_db *f, const char *dir)
{
    char path[512];

    snprintf(path, sizeof path, "%s/floor.db", dir);
    if (sqlite3_open(path, &f->db) != SQLITE_OK ||
        sqlite3_exec(f->db, "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=FULL;"
        "CREATE TABLE events(seq INTEGER PRIMARY KEY AUTOINCREMENT,"
        " kind INTEGER, member_no TEXT, wall_ms INTEGER, clock_trusted"
        " INTEGER, boot_id TEXT, mono_ms INTEGER, data TEXT)", 0, 0, 0) ||
        sqlite3_prepare_v2(f->db, "INSERT INTO events(kind, member_no,"
        " wall_ms, clock_trusted, boot_id, mono_ms, data)"
        " VALUES(1, ?, ?, 1, ?, ?, '{}')", -1, &f->insert, NULL))
        abort();
}

static double floor_once(struct floor_db *f)
{
    double t0 = now_us();
    struct stamp now;

    clock_now(&now);
    sqlite3_bind_text(f->insert, 1, "HQ0001", -1, SQLITE_STATIC);
    sqlite3_bind_int64(f->insert, 2, now.wall_ms);
    sqlite3_bind_text(f->insert, 3, now.boot_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(f->insert, 4, now.mono_ms);
    if (sqlite3_step(f->insert) != SQLITE_DONE)
        abort();
    sqlite3_reset(f->insert);
    return now_us() - t0;
}

static void kiosk_open(struct kiosk_db *k, const char *dir, const char *assets)
{
    char path[512];
    struct stamp now;

    snprintf(path, sizeof path, "%s/kiosk.db", dir);
    config_defaults(&k->cfg);
    k->cfg.duplicate_scan_seconds = 0;     /* every scan stores an event */
    clock_now(&now);
    if (store_open(path, &k->store) != ERR_OK ||
        demo_load(k->store, assets, k->cfg.utc_offset_minutes, &now))
        abort();
}

static double checkin_once(struct kiosk_db *k, int i)
{
    double t0 = now_us();
    struct visit_result r;
    struct stamp now;
    char member[16];

    snprintf(member, sizeof member, "HQ%04d", 1 + i % 60);
    clock_now(&now);
    if (visit_scan(k->store, &k->cfg, member, &now, &r) != ERR_OK)
        abort();
    return now_us() - t0;
}

int main(int argc, char **argv)
{
    const char *assets = argc > 1 ? argv[1] : "assets/demo";
    char dir[] = "/tmp/bench-checkin-XXXXXX", cmd[64];
    static double floor_t[RUNS], check_t[RUNS];
    struct floor_db f;
    struct kiosk_db k;
    double fm, fp, cm, cp;

    log_set_level(LOG_LVL_ERROR);
    if (mkdtemp(dir) == NULL)
        return 1;
    floor_open(&f, dir);
    kiosk_open(&k, dir, assets);
    for (int i = 0; i < RUNS; i++) {
        floor_t[i] = floor_once(&f);
        check_t[i] = checkin_once(&k, i);
    }
    sqlite3_finalize(f.insert);
    sqlite3_close(f.db);
    store_close(k.store);
    stats(floor_t, RUNS, &fm, &fp);
    stats(check_t, RUNS, &cm, &cp);
    printf("durable check-in (domain API): median %8.1f us  p99 %8.1f us\n",
           cm, cp);
    printf("floor: bare durable insert:    median %8.1f us  p99 %8.1f us\n",
           fm, fp);
    printf("ratio check-in/floor: median %.2f  p99 %.2f  (target median"
           " <= 1.3)\n", cm / fm, cp / fp);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : 1;
}
