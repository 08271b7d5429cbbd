/* bench/bench_console.c - the console's dashboard and review queue on a
 * hub with a year of data: 113 stations (10 communities under one
 * street), 5,000 members, a check-in a week by every member (about
 * 260,000) and a service log a month each (about 60,000), those older
 * than 30 days decided, the rest pending. All filled through the store
 * API (hub_db_events_put_group, hub_db_log_decide, hub_user_add). A
 * community secretary's requests are then timed server-side by calling
 * the handlers directly (what a console worker does after parsing):
 * N requests each of an empty page (the floor: the frame alone), the
 * dashboard and /reviews, median and p95. Target: median under 50 ms.
 * The ledger: a request a week at every station (about 5,900), filed
 * through the upload's path; those older than 30 days taken to closed
 * through hub_db_ledger_act (the console's steps), the rest left open,
 * many past their deadline (the dashboard's overdue count, /ledger).
 * `make bench-console`; never part of `make test`. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/ledger.h"
#include "hub/hub_db.h"
#include "hub/hub_db_ledger.h"
#include "hub/hub_db_ledger_list.h"
#include "hub/hub_db_report.h"
#include "hub/hub_db_review.h"
#include "hub/hub_db_trend.h"
#include "hub/hub_ledger.h"
#include "hub/hub_db_roster.h"
#include "hub/hub_db_users.h"
#include "hub/hub_users.h"
#include "web/html.h"
#include "web/pages.h"

#define STATIONS     113
#define MEMBERS      5000
#define COMMUNITIES  10
#define RUNS         30
#define DAY          (24LL * 3600 * 1000)
#define CHUNK        512

#define CHECK(x) do { err_code e_ = (x); if (e_ != ERR_OK) { \
    fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #x, \
            err_str(e_)); exit(1); } } while (0)

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static struct proto_event evs[CHUNK];
static uint64_t seqs[STATIONS];

/* Upload n events of station s's kiosk in one transaction. */
static void put(struct hub_db *db, int s, size_t n)
{
    char st[16], dev[16];
    snprintf(st, sizeof st, "st%03d", s);
    snprintf(dev, sizeof dev, "k%03d", s);
    struct hub_put u = { .station = st, .device = dev, .epoch = "e",
                         .epoch_start = 1, .evs = evs, .n = n,
                         .now = hub_now_ms() };
    CHECK(hub_db_events_put_group(db, &u, 1));
    CHECK(u.result);
}

static void ev_at(struct proto_event *ev, int s, int member, int64_t wall,
                  const char *kind)
{
    memset(ev, 0, sizeof *ev);
    ev->seq = ++seqs[s];
    snprintf(ev->kind, sizeof ev->kind, "%s", kind);
    snprintf(ev->member_no, sizeof ev->member_no, "M%05d", member);
    ev->wall_ms = wall;
    ev->clock_trusted = true;
    strcpy(ev->boot_id, "b");
    ev->mono_ms = (int64_t)ev->seq;
    strcpy(ev->data, "{}");
}

static void fill(struct hub_db *db, int64_t now)
{
    char msg[160], id[32], name[64], sha[80];
    CHECK(hub_org_add(db, "bench", "district", "qu-1", "城关区", NULL, msg,
                      sizeof msg));
    CHECK(hub_org_add(db, "bench", "street", "jd-1", "新华街道", "qu-1", msg,
                      sizeof msg));
    for (int c = 0; c < COMMUNITIES; c++) {
        snprintf(id, sizeof id, "sq-%02d", c);
        snprintf(name, sizeof name, "第%d社区", c + 1);
        CHECK(hub_org_add(db, "bench", "community", id, name, "jd-1", msg,
                          sizeof msg));
    }
    for (int s = 0; s < STATIONS; s++) {
        char st[16], dev[16], comm[16];
        snprintf(st, sizeof st, "st%03d", s);
        snprintf(dev, sizeof dev, "k%03d", s);
        snprintf(name, sizeof name, "第%d党群服务站", s + 1);
        snprintf(comm, sizeof comm, "sq-%02d", s % COMMUNITIES);
        CHECK(hub_db_station_add(db, st, name));
        CHECK(hub_station_place(db, "bench", st, comm, msg, sizeof msg));
        snprintf(sha, sizeof sha, "%064d", s);
        CHECK(hub_db_cert_add(db, st, dev, "01", sha, 1));
    }
    CHECK(hub_db_begin(db));
    for (int m = 0; m < MEMBERS; m++) {
        struct hub_member mb = { 0 };
        snprintf(mb.member_no, sizeof mb.member_no, "M%05d", m);
        snprintf(mb.name, sizeof mb.name, "党员%d", m);
        snprintf(mb.station, sizeof mb.station, "st%03d", m % STATIONS);
        CHECK(hub_db_member_put(db, &mb, true));
    }
    CHECK(hub_db_commit(db));
    /* A year: per station, its members' weekly check-ins and monthly
     * service logs, oldest first, in chunks. */
    for (int s = 0; s < STATIONS; s++) {
        size_t n = 0;
        for (int day = 364; day >= 0; day--) {
            int64_t wall = now - day * DAY;
            for (int m = s; m < MEMBERS; m += STATIONS) {
                if ((m + day) % 7 == 0)
                    ev_at(&evs[n++], s, m, wall + m, "check_in");
                if ((m + day) % 30 == 0) {
                    struct proto_event *ev = &evs[n++];
                    ev_at(ev, s, m, wall + m, "service_log");
                    char ymd[11];
                    clock_ymd(wall + m, 480, ymd);
                    snprintf(ev->data, sizeof ev->data,
                             "{\"category\":\"patrol\",\"minutes\":60,"
                             "\"day\":\"%s\",\"note\":\"\"}", ymd);
                }
                if (n > CHUNK - 2) {
                    put(db, s, n);
                    n = 0;
                }
            }
        }
        if (n)
            put(db, s, n);
    }
}

/* A request a week a station, a year of them; older than 30 days
 * accepted, assigned, answered and signed off. */
static size_t fill_tickets(struct hub_db *db, int64_t now)
{
    static const char *types[] = { "repair", "sanitation", "noise",
                                   "neighbour", "policy" };
    int n = 0;
    size_t closed = 0;
    FILE *sink = fopen("/dev/null", "w");
    CHECK(hub_ledger_types_load(db, "assets/demo/ledger_types.json", sink,
                                &n));
    fclose(sink);
    for (int s = 0; s < STATIONS; s++) {
        char st[16], dev[16];
        snprintf(st, sizeof st, "st%03d", s);
        snprintf(dev, sizeof dev, "k%03d", s);
        CHECK(hub_db_begin(db));
        for (int w = 0; w < 52; w++) {
            struct proto_event ev = { .seq = 1 };
            const char *why = NULL;
            strcpy(ev.kind, "ledger_file");
            snprintf(ev.data, sizeof ev.data, "{\"ticket\":\"S%03d-1-%04d\","
                     "\"kind\":\"request\",\"type\":\"%s\","
                     "\"building\":\"%d\",\"unit\":\"1\","
                     "\"text\":\"楼道灯不亮\",\"phone\":\"\","
                     "\"pin_hash\":\"%064d\"}", s, w, types[w % 5],
                     w % 12 + 1, 0);
            CHECK(hub_db_ledger_event(db, st, dev, &ev,
                                      now - (364 - w * 7) * DAY - s, &why));
        }
        CHECK(hub_db_commit(db));
        for (int w = 0; w < 52; w++) {
            int64_t at = now - (364 - w * 7) * DAY - s;
            if (at > now - 30 * DAY)
                break;
            char t[24];
            snprintf(t, sizeof t, "S%03d-1-%04d", s, w);
            for (int k = LEDGER_STEP_ACCEPT; k <= LEDGER_STEP_SIGNOFF; k++) {
                const char *why = NULL;
                struct hub_ledger_act a = { .step = k, .actor = "bench",
                                            .to = "王师傅", .text = "已办",
                                            .satisfied = true,
                                            .at = at + k * 3600000LL };
                CHECK(hub_db_ledger_act(db, t, &a, &why));
            }
            closed++;
        }
    }
    return closed;
}

/* The dashboard's overdue count both ways, timed side by side: every
 * ticket loaded and hub_ledger_overdue asked (what the dashboard did),
 * and the COUNT query it does now. */
static void old_row(void *ctx, const struct hub_ticket *t)
{
    int64_t *c = ctx;
    if (hub_ledger_overdue(t, hub_now_ms()))
        c[0]++;
}

static void new_row(void *ctx, const char *station, int64_t n)
{
    (void)station;
    *(int64_t *)ctx += n;
}

static void time_overdue(struct hub_db *db)
{
    double a[RUNS], b[RUNS];
    int64_t old_n = 0, new_n = 0;
    for (int i = 0; i < RUNS; i++) {
        int64_t c = 0;
        double t0 = now_ms();
        CHECK(hub_db_ledger_each(db, NULL, 0, INT64_MAX, old_row, &c));
        a[i] = now_ms() - t0;
        old_n = c;
        c = 0;
        t0 = now_ms();
        CHECK(hub_db_ledger_overdue_count(db, hub_now_ms(), new_row, &c));
        b[i] = now_ms() - t0;
        new_n = c;
    }
    qsort(a, RUNS, sizeof a[0], cmp_d);
    qsort(b, RUNS, sizeof b[0], cmp_d);
    printf("overdue, every ticket loaded: median %7.2f ms (%" PRId64 ")\n"
           "overdue, COUNT query:         median %7.2f ms (%" PRId64 ")\n",
           a[RUNS / 2], old_n, b[RUNS / 2], new_n);
}

/* The dashboard's queries one by one (what its median is made of). */
static void no_stat(void *ctx, const struct hub_station_stat *r)
{
    (void)ctx;
    (void)r;
}

static void no_row(void *ctx, int n, const char *const *cols)
{
    (void)ctx;
    (void)n;
    (void)cols;
}

static void no_day(void *ctx, const char *station, int64_t day, int64_t n)
{
    (void)ctx;
    (void)station;
    (void)day;
    (void)n;
}

static void time_parts(struct hub_db *db)
{
    double a[RUNS], b[RUNS], c[RUNS];
    int64_t now = hub_now_ms();
    for (int i = 0; i < RUNS; i++) {
        double t0 = now_ms();
        CHECK(hub_db_station_stats(db, now - DAY, now - 7 * DAY, no_stat,
                                   NULL));
        a[i] = now_ms() - t0;
        t0 = now_ms();
        CHECK(hub_db_report_fleet(db, no_row, NULL));
        b[i] = now_ms() - t0;
        t0 = now_ms();
        CHECK(hub_db_checkins_daily(db, now - 14 * DAY, no_day, NULL));
        c[i] = now_ms() - t0;
    }
    qsort(a, RUNS, sizeof a[0], cmp_d);
    qsort(b, RUNS, sizeof b[0], cmp_d);
    qsort(c, RUNS, sizeof c[0], cmp_d);
    printf("dashboard parts: station counts median %.2f ms, fleet %.2f ms,"
           " 14-day trend %.2f ms\n", a[RUNS / 2], b[RUNS / 2], c[RUNS / 2]);
}

struct old_logs {
    struct hub_log_key *k;
    char (*dev)[16];
    size_t n, cap;
    char   cutoff[11];
};

static void collect(void *ctx, const struct hub_pending *p)
{
    struct old_logs *o = ctx;
    if (strcmp(p->day, o->cutoff) >= 0)
        return;
    if (o->n == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 1024;
        o->k = realloc(o->k, o->cap * sizeof *o->k);
        o->dev = realloc(o->dev, o->cap * sizeof *o->dev);
    }
    snprintf(o->dev[o->n], sizeof o->dev[o->n], "%s", p->device);
    o->k[o->n] = (struct hub_log_key){ .epoch = "e", .seq = (uint64_t)p->seq };
    o->n++;
}

/* Logs older than 30 days were decided long ago. */
static size_t decide_old(struct hub_db *db, int64_t now)
{
    struct old_logs o = { 0 };
    clock_ymd(now - 30 * DAY, 480, o.cutoff);
    CHECK(hub_db_pending_each(db, collect, &o));
    CHECK(hub_db_begin(db));
    for (size_t i = 0; i < o.n; i++) {
        o.k[i].device = o.dev[i];
        CHECK(hub_db_log_decide(db, &o.k[i], "confirmed", 2));
    }
    CHECK(hub_db_commit(db));
    free(o.k);
    free(o.dev);
    return o.n;
}

static void page_empty(struct web_req *req, struct web_resp *resp)
{
    html_page_begin(req, resp, "");
    html_page_end(req, resp);
}

static void time_page(const char *what, web_handler h, struct web_req *base,
                      double floor_med)
{
    double t[RUNS];
    size_t bytes = 0;
    for (int i = 0; i < RUNS; i++) {
        struct web_req req = *base;
        struct web_resp resp = { .status = 200 };
        resp.out = open_memstream(&resp.body, &resp.len);
        req.now_ms = hub_now_ms();
        double t0 = now_ms();
        h(&req, &resp);
        fclose(resp.out);
        t[i] = now_ms() - t0;
        bytes = resp.len;
        if (resp.status != 200) {
            fprintf(stderr, "%s: status %d\n", what, resp.status);
            exit(1);
        }
        free(resp.body);
    }
    qsort(t, RUNS, sizeof t[0], cmp_d);
    double med = t[RUNS / 2], p95 = t[RUNS * 95 / 100];
    printf("%-10s median %7.2f ms  p95 %7.2f ms  (%zu bytes)%s\n", what, med,
           p95, bytes, floor_med > 0 && med >= 50 ? "  OVER 50 ms" : "");
}

int main(void)
{
    log_set_level(LOG_LVL_ERROR);
    char dir[64] = "/tmp/bench_console.XXXXXX", path[128];
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/hub.db", dir);
    struct hub_db *db;
    CHECK(hub_db_open(path, &db));
    int64_t now = hub_now_ms();
    double t0 = now_ms();
    fill(db, now);
    size_t decided = decide_old(db, now);
    size_t closed = fill_tickets(db, now);
    char msg[160];
    CHECK(hub_user_add(db, "bench", "sec", "community", "sq-00", -1,
                       "bench-password-1", msg, sizeof msg));
    printf("filled in %.1f s: %d stations, %d members, %zu old logs"
           " decided, %d tickets (%zu closed)\n", (now_ms() - t0) / 1e3,
           STATIONS, MEMBERS, decided, STATIONS * 52, closed);
    struct web_req req = { .method = HTTP_M_GET, .query = "", .body = "",
                           .cookie = "", .addr = "127.0.0.1", .db = db,
                           .lang = WEB_ZH, .logged_in = true };
    CHECK(hub_db_user_get(db, "sec", &req.user));
    strcpy(req.path, "/");
    req.nav = "/";
    time_page("floor", page_empty, &req, 0);
    time_page("dashboard", page_dashboard, &req, 1);
    time_parts(db);
    strcpy(req.path, "/reviews");
    req.nav = "/reviews";
    time_page("reviews", page_reviews, &req, 1);
    strcpy(req.path, "/ledger");
    req.nav = "/ledger";
    time_page("ledger", page_ledger, &req, 1);
    time_overdue(db);
    /* The third phase's lists (web/page_reports.c, page_registration.c):
     * this month's check-ins of the community, and its year of service
     * (per member too); registration rates and the unregistered. */
    strcpy(req.path, "/reports");
    req.nav = "/reports";
    time_page("reports", page_reports, &req, 1);
    char year_q[64], today[11];
    clock_ymd(now, 480, today);
    snprintf(year_q, sizeof year_q, "report=service&period=year&year=%.4s",
             today);
    req.query = year_q;
    time_page("rep-year", page_reports, &req, 1);
    req.query = "";
    strcpy(req.path, "/registration");
    req.nav = "/registration";
    time_page("registr.", page_registration, &req, 1);
    hub_db_close(db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : 1;
}
