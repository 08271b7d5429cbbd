/* tests/test_powerloss.c - a power cut loses nothing either store said was
 * stored. Like test_crash.c, a child process works through the real entry
 * points (the kiosk's visit_scan, the hub's hub_db_events_put_group that
 * hub_api's upload handler answers from) and reports on a pipe each write
 * the caller was told succeeded. Unlike a SIGKILL, the cut comes from the
 * crash VFS (tests/support/crashvfs.h) at a random write/sync count and
 * takes with it any subset of what was not yet synced, torn at sector
 * granularity. The parent then opens the damaged files with the real open
 * path and checks that every acknowledged write is there once, the
 * tables agree, integrity_check says ok, and one more write succeeds.
 *
 * POWERLOSS_CUTS (default 100, 50 under the sanitizers) sets the cuts
 * per store; POWERLOSS_SEED replays a run (each run prints its seed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "firmware/visit.h"
#include "base/clock.h"
#include "hub/hub_db.h"
#include "hub/hub_db_int.h"   /* the raw handle, to check what is held */
#include "tests/support/crashvfs.h"
#include "tests/support/fixture.h"

/* Under the sanitizers (where make test runs it) a cut costs several
 * times as much: 50 cuts keep it inside make test's time budget; the
 * seed is new every run, so they land elsewhere each time. A plain
 * build, run by hand, makes 100. */
#if defined(__SANITIZE_ADDRESS__)
#define DEFAULT_CUTS 50
#else
#define DEFAULT_CUTS 100
#endif
#define HUB_DEVICES  3
#define HUB_BATCH    40

static unsigned run_seed;
static int      n_cuts;

/* ---- shared: rounds, the pipe, small queries ---------------------------- */

/* Where the power goes: often while opening or in the first commits, and
 * now and then late enough to land in an automatic checkpoint. Half the
 * children checkpoint every few pages instead of every 1000 (every
 * connection they open gets a small wal_autocheckpoint), so that cuts
 * often land in a checkpoint. */
static uint64_t pick_cut(void)
{
    int r = rand() % 10;
    if (r < 3)
        return 1 + (uint64_t)(rand() % 60);
    if (r < 7)
        return 1 + (uint64_t)(rand() % 300);
    return 1 + (uint64_t)(rand() % 2000);
}

static int wal_pages;

static int small_checkpoints(sqlite3 *db, char **err, const void *api)
{
    (void)err;
    (void)api;
    sqlite3_wal_autocheckpoint(db, wal_pages);
    return SQLITE_OK;
}

/* Read the child's reports until it is gone, then its exit status must be
 * a power cut. *text is malloc'd. */
static void collect(pid_t pid, int fd, char **text, int round)
{
    size_t cap = 4096, used = 0;
    ssize_t n;
    int status;

    *text = malloc(cap);
    assert_non_null(*text);
    while ((n = read(fd, *text + used, cap - 1 - used)) > 0) {
        used += (size_t)n;
        if (used == cap - 1) {
            cap *= 2;
            *text = realloc(*text, cap);
            assert_non_null(*text);
        }
    }
    (*text)[used] = '\0';
    close(fd);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != CRASHVFS_EXIT)
        fail_msg("round %d (seed %u): child ended with status %#x, not by a"
                 " power cut", round, run_seed, (unsigned)status);
}

/* Fork a child running fn(arg, fd, cut, seed) and return its reports. */
static char *run_child(void (*fn)(void *, int), void *arg, int round)
{
    int fds[2];
    uint64_t cut = pick_cut();
    uint64_t seed = (uint64_t)rand() << 31 ^ (uint64_t)rand();
    char *text;

    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        srand((unsigned)seed);
        if (rand() % 2) {
            wal_pages = 2 + rand() % 60;
            sqlite3_auto_extension((void (*)(void))small_checkpoints);
        }
        crashvfs_arm(cut, seed, CRASHVFS_RANDOM);
        fn(arg, fds[1]);
        _exit(6);                       /* the power never went */
    }
    close(fds[1]);
    collect(pid, fds[0], &text, round);
    crashvfs_reboot();
    return text;
}

static void report(int fd, const char *line)
{
    size_t n = strlen(line);
    if (write(fd, line, n) != (ssize_t)n)
        _exit(5);
}

/* The first column of the first row; binds text (if any), then num (if
 * the statement has a place for it). */
static int64_t query_int(sqlite3 *db, const char *sql, const char *text,
                         int64_t num)
{
    sqlite3_stmt *st;
    int64_t v = -1;

    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (text)
        sqlite3_bind_text(st, 1, text, -1, SQLITE_TRANSIENT);
    if (sqlite3_bind_parameter_count(st) > (text ? 1 : 0))
        sqlite3_bind_int64(st, text ? 2 : 1, num);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void integrity_ok(sqlite3 *db, const char *what, int round)
{
    sqlite3_stmt *st;
    const unsigned char *msg = NULL;

    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1,
                                        &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        msg = sqlite3_column_text(st, 0);
    if (msg == NULL || strcmp((const char *)msg, "ok") != 0)
        fail_msg("round %d (seed %u): %s integrity: %s", round, run_seed,
                 what, msg ? (const char *)msg : "no answer");
    sqlite3_finalize(st);
}

static int cuts_from_env(void)
{
    const char *s = getenv("POWERLOSS_CUTS");
    int n = s ? atoi(s) : DEFAULT_CUTS;
    return n > 0 && n <= 1000000 ? n : DEFAULT_CUTS;
}

/* ---- the crash VFS itself ---------------------------------------------- */

static char shim_dir[256];

static char *shim_path(const char *name)
{
    static char p[4][320];
    static int i;
    i = (i + 1) % 4;
    snprintf(p[i], sizeof p[i], "%s/%s", shim_dir, name);
    return p[i];
}

static sqlite3_file *shim_open(const char *name, int type)
{
    sqlite3_vfs *v = sqlite3_vfs_find(NULL);
    sqlite3_file *f = calloc(1, (size_t)v->szOsFile);
    int out;

    if (f == NULL || v->xOpen(v, shim_path(name), f, type |
                              SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                              &out) != SQLITE_OK)
        _exit(3);
    return f;
}

static void shim_fill(sqlite3_file *f, char c, int64_t off)
{
    char buf[4096];
    memset(buf, c, sizeof buf);
    if (f->pMethods->xWrite(f, buf, sizeof buf, off) != SQLITE_OK)
        _exit(3);
}

static void shim_close(sqlite3_file *f)
{
    f->pMethods->xClose(f);
    free(f);
}

/* The file as the next boot finds it; *len -1 when it is gone. */
static char *shim_read(const char *name, long *len)
{
    FILE *fp = fopen(shim_path(name), "rb");
    static char buf[3 * 4096];

    *len = -1;
    if (fp) {
        *len = (long)fread(buf, 1, sizeof buf, fp);
        fclose(fp);
    }
    return buf;
}

/* An empty file whose directory entry is durable, as the next boot
 * finds it. */
static void shim_touch(const char *name)
{
    FILE *fp = fopen(shim_path(name), "wb");
    assert_non_null(fp);
    fclose(fp);
    crashvfs_reboot();
}

/* Sync 'A' into page 0; then 'B' over it and 'C' into page 1, unsynced,
 * and the power goes right after. */
static void shim_two_pages(enum crashvfs_mode mode, uint64_t seed)
{
    int status;

    shim_touch("a.db");
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        sqlite3_file *f = shim_open("a.db", SQLITE_OPEN_MAIN_DB);
        shim_fill(f, 'A', 0);
        f->pMethods->xSync(f, SQLITE_SYNC_NORMAL);
        crashvfs_arm(2, seed, mode);
        shim_fill(f, 'B', 0);
        shim_fill(f, 'C', 4096);
        _exit(6);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == CRASHVFS_EXIT);
    crashvfs_reboot();
}

static void shim_setup(void)
{
    snprintf(shim_dir, sizeof shim_dir, "%s/crashvfs-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    assert_non_null(mkdtemp(shim_dir));
}

static void crash_vfs_drops_or_keeps_unsynced_writes(void **state)
{
    long len;
    char *b;

    (void)state;
    shim_setup();
    shim_two_pages(CRASHVFS_DROP, 1);
    b = shim_read("a.db", &len);
    assert_int_equal(len, 4096);
    for (long i = 0; i < len; i++)
        assert_int_equal(b[i], 'A');
    shim_two_pages(CRASHVFS_KEEP, 1);
    b = shim_read("a.db", &len);
    assert_int_equal(len, 8192);
    assert_int_equal(b[0], 'B');
    assert_int_equal(b[4095], 'B');
    assert_int_equal(b[4096], 'C');
    fixture_rmrf(shim_dir);
}

/* Every sector is wholly old or wholly new; some pages come out torn. */
static void crash_vfs_tears_pages_at_sectors(void **state)
{
    int torn = 0, shrunk = 0;

    (void)state;
    shim_setup();
    for (uint64_t seed = 1; seed <= 16; seed++) {
        long len;
        shim_two_pages(CRASHVFS_SECTORS, seed);
        char *b = shim_read("a.db", &len);
        assert_true(len == 4096 || len == 8192);
        shrunk += len == 4096;
        int olds = 0;
        for (long s = 0; s < len / 512; s++) {
            char want = b[s * 512];
            want = s < 8 ? (want == 'A' ? 'A' : 'B') : (want ? 'C' : 0);
            olds += want == 'A';
            for (long i = s * 512; i < (s + 1) * 512; i++)
                assert_int_equal(b[i], want);
        }
        torn += olds > 0 && olds < 8;
    }
    assert_true(torn > 0);
    assert_true(shrunk > 0);
    fixture_rmrf(shim_dir);
}

/* A WAL whose directory was never synced vanishes; once its first sync
 * synced the directory (as the unix VFS does), it stays. */
static void crash_vfs_loses_new_file_until_dir_sync(void **state)
{
    long len;

    (void)state;
    for (int synced = 0; synced < 2; synced++) {
        shim_setup();
        pid_t pid = fork();
        int status;
        if (pid == 0) {
            sqlite3_file *db = shim_open("w.db", SQLITE_OPEN_MAIN_DB);
            sqlite3_file *f = shim_open("w.db-wal", SQLITE_OPEN_WAL);
            shim_fill(f, 'W', 0);
            if (synced)
                f->pMethods->xSync(f, SQLITE_SYNC_NORMAL);
            crashvfs_arm(1, 1, CRASHVFS_DROP);
            shim_fill(db, 'D', 0);
            _exit(6);
        }
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == CRASHVFS_EXIT);
        crashvfs_reboot();
        char *b = shim_read("w.db-wal", &len);
        assert_int_equal(len, synced ? 4096 : -1);
        if (synced)
            assert_int_equal(b[100], 'W');
        fixture_rmrf(shim_dir);
    }
}

/* A delete without a directory sync can be undone by the cut: the file
 * comes back as last synced. */
static void crash_vfs_may_undo_an_unsynced_delete(void **state)
{
    long len;

    (void)state;
    for (int keep = 0; keep < 2; keep++) {
        shim_setup();
        shim_touch("e.db");
        pid_t pid = fork();
        int status;
        if (pid == 0) {
            sqlite3_vfs *v = sqlite3_vfs_find(NULL);
            sqlite3_file *db = shim_open("e.db", SQLITE_OPEN_MAIN_DB);
            shim_fill(db, 'E', 0);
            db->pMethods->xSync(db, SQLITE_SYNC_NORMAL);
            shim_fill(db, 'F', 0);
            shim_close(db);
            crashvfs_arm(1, 1, keep ? CRASHVFS_KEEP : CRASHVFS_DROP);
            v->xDelete(v, shim_path("e.db"), 0);
            _exit(6);
        }
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == CRASHVFS_EXIT);
        crashvfs_reboot();
        char *b = shim_read("e.db", &len);
        assert_int_equal(len, keep ? -1 : 4096);
        if (!keep)
            assert_int_equal(b[0], 'E');
        fixture_rmrf(shim_dir);
    }
}

/* ---- the kiosk store --------------------------------------------------- */

struct kiosk {
    struct fixture *f;
    unsigned        next_member;
    int64_t         held_max, held_count;  /* events at the last clean close */
    size_t          acked;                 /* check-ins acknowledged */
};

static err_code kiosk_scan(struct store *s, unsigned i, uint64_t *seq,
                           char *member, size_t cap)
{
    struct config cfg;
    struct stamp now;
    struct visit_result r;

    config_defaults(&cfg);
    cfg.duplicate_scan_seconds = 0;
    snprintf(member, cap, "HQ%04u", 1 + i % 60);
    clock_now(&now);
    err_code e = visit_scan(s, &cfg, member, &now, &r);
    *seq = r.seq;
    return e;
}

static void kiosk_child(void *arg, int fd)
{
    struct kiosk *k = arg;
    struct store *s;
    char member[16], line[64];
    uint64_t seq;

    if (store_open(k->f->db_path, &s) != ERR_OK)
        _exit(3);
    for (unsigned i = k->next_member; i < k->next_member + 1000000; i++) {
        if (kiosk_scan(s, i, &seq, member, sizeof member) != ERR_OK)
            _exit(4);
        /* Only now is the member told: this is what must survive. */
        snprintf(line, sizeof line, "%llu %s\n", (unsigned long long)seq,
                 member);
        report(fd, line);
    }
}

/* Each reported "seq member" is that member's event. */
static size_t kiosk_check_reported(sqlite3 *db, char *text, int round)
{
    sqlite3_stmt *st;
    char *save = NULL;
    size_t n = 0;

    assert_int_equal(sqlite3_prepare_v2(db, "SELECT member_no FROM events"
                                        " WHERE seq = ?", -1, &st, NULL),
                     SQLITE_OK);
    for (char *l = strtok_r(text, "\n", &save); l;
         l = strtok_r(NULL, "\n", &save)) {
        unsigned long long seq;
        char member[16];
        assert_int_equal(sscanf(l, "%llu %15s", &seq, member), 2);
        sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
        if (sqlite3_step(st) != SQLITE_ROW ||
            strcmp((const char *)sqlite3_column_text(st, 0), member) != 0)
            fail_msg("round %d (seed %u): acknowledged check-in %llu of %s"
                     " lost after the power cut", round, run_seed, seq,
                     member);
        sqlite3_reset(st);
        n++;
    }
    sqlite3_finalize(st);
    return n;
}

static void kiosk_check_tables(sqlite3 *db, const struct kiosk *k, int round)
{
    const char *visits = "SELECT count(*) FROM visits";
    int64_t held = query_int(db, "SELECT count(*) FROM events WHERE seq <= ?",
                             NULL, k->held_max);

    if (held != k->held_count)
        fail_msg("round %d (seed %u): %lld of %lld events stored before are"
                 " left", round, run_seed, (long long)held,
                 (long long)k->held_count);
    assert_int_equal(query_int(db, "SELECT count(*) FROM events"
                               " WHERE kind = 1", NULL, 0),
                     query_int(db, visits, NULL, 0));
    assert_int_equal(query_int(db, "SELECT count(*) FROM events"
                               " WHERE kind = 2", NULL, 0),
                     query_int(db, "SELECT count(*) FROM visits WHERE"
                               " out_ms IS NOT NULL", NULL, 0));
    /* No check-in counted twice. */
    assert_int_equal(query_int(db, "SELECT count(DISTINCT in_seq) FROM visits",
                               NULL, 0),
                     query_int(db, visits, NULL, 0));
}

/* After the reboot: the kiosk's own open path, then the checks, then one
 * more check-in, which becomes part of what must survive. */
static void kiosk_verify(struct kiosk *k, char *text, int round)
{
    struct store *s;
    sqlite3 *db;
    char msg[128], member[16];
    uint64_t seq;

    if (store_open(k->f->db_path, &s) != ERR_OK)
        fail_msg("round %d (seed %u): store_open failed after the cut",
                 round, run_seed);
    if (store_integrity(s, msg, sizeof msg) != ERR_OK)
        fail_msg("round %d (seed %u): integrity: %s", round, run_seed, msg);
    assert_int_equal(sqlite3_open(k->f->db_path, &db), SQLITE_OK);
    k->acked += kiosk_check_reported(db, text, round);
    kiosk_check_tables(db, k, round);
    assert_int_equal(kiosk_scan(s, k->next_member++, &seq, member,
                                sizeof member), ERR_OK);
    k->acked++;
    k->held_max = query_int(db, "SELECT max(seq) FROM events",
                            NULL, 0);
    k->held_count = query_int(db, "SELECT count(*) FROM events",
                              NULL, 0);
    sqlite3_close(db);
    store_close(s);
}

static void kiosk_store_survives_power_cuts(void **state)
{
    struct stamp t;
    struct kiosk k = { 0 };

    (void)state;
    clock_now(&t);
    k.f = fixture_new(1, &t);
    store_close(k.f->store);
    k.f->store = NULL;
    for (int round = 0; round < n_cuts; round++) {
        k.next_member = (unsigned)rand();
        char *text = run_child(kiosk_child, &k, round);
        kiosk_verify(&k, text, round);
        free(text);
    }
    print_message("kiosk: %d power cuts, %zu acknowledged check-ins all"
                  " stored once\n", n_cuts, k.acked);
    /* Beyond the parent's own check-ins, the children were told some. */
    assert_true(k.acked > (size_t)n_cuts || n_cuts < 20);
    fixture_free(k.f);
}

/* ---- the hub store ----------------------------------------------------- */

struct hub {
    char     dir[256], path[300];
    uint64_t acked[HUB_DEVICES];     /* the highest ack each kiosk was told */
    uint64_t made[HUB_DEVICES];      /* events each kiosk has made */
    size_t   uploads;                /* acknowledged uploads */
};

static const char *const devices[HUB_DEVICES] = { "K1", "K2", "K3" };

/* Event seq of a device: the same content however often it is resent. */
static void hub_event(uint64_t seq, struct proto_event *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->seq = seq;
    /* Service logs keep a trusted clock: corrected by an anchor to the
     * hub's time, a 2023 log's day would be refused as too old. */
    ev->clock_trusted = seq % 3 != 0 || seq % 7 == 0;
    ev->wall_ms = 1700000000000LL + (int64_t)seq * 1000;
    ev->mono_ms = (int64_t)seq * 1000;
    snprintf(ev->member_no, sizeof ev->member_no, "HQ%04u",
             (unsigned)(1 + seq % 60));
    snprintf(ev->boot_id, sizeof ev->boot_id, "boot-%u",
             (unsigned)(seq / 100));
    if (seq % 7 == 0) {
        snprintf(ev->kind, sizeof ev->kind, "service_log");
        char day[11];
        /* A log the hub's rules accept: a real category, its own day. */
        clock_ymd(ev->wall_ms, 480, day);
        snprintf(ev->data, sizeof ev->data, "{\"category\":\"patrol\","
                 "\"minutes\":30,\"day\":\"%s\",\"note\":\"\"}", day);
    } else {
        snprintf(ev->kind, sizeof ev->kind, seq % 2 ? "check_in"
                                                    : "check_out");
        /* A check-out names its check-in and minutes, as the kiosk's do. */
        if (seq % 2 == 0)
            snprintf(ev->data, sizeof ev->data, "{\"in_seq\":%llu,"
                     "\"minutes\":%u}", (unsigned long long)seq - 1,
                     (unsigned)(seq % 120));
        else
            snprintf(ev->data, sizeof ev->data, "{}");
    }
}

/* One kiosk's upload: everything past its ack, as a kiosk resends. */
static size_t hub_batch(struct hub *h, int d, struct proto_event *evs)
{
    h->made[d] += (uint64_t)(rand() % 6);
    if (h->made[d] <= h->acked[d])
        h->made[d] = h->acked[d] + 1;
    size_t n = 0;
    for (uint64_t s = h->acked[d] + 1; s <= h->made[d] && n < HUB_BATCH; s++)
        hub_event(s, &evs[n++]);
    return n;
}

/* A request's worth of work, as hub_api does it: the device's status into
 * the fleet file, then the group of uploads in one transaction. */
static err_code hub_upload(struct hub_db *db, struct hub *h,
                           struct proto_event (*evs)[HUB_BATCH],
                           struct hub_put *puts, size_t n, int first)
{
    struct proto_status ps = { .version = "test", .mono_ms = 1 };

    for (size_t i = 0; i < n; i++) {
        int d = (first + (int)i) % HUB_DEVICES;
        struct hub_put *u = &puts[i];
        *u = (struct hub_put){ .station = "S1", .device = devices[d],
                               .epoch = "e1", .evs = evs[i],
                               .now = hub_now_ms() };
        u->n = hub_batch(h, d, evs[i]);
        snprintf(ps.boot_id, sizeof ps.boot_id, "boot-%u",
                 (unsigned)(h->made[d] / 100));
        ps.mono_ms = (int64_t)h->made[d] * 1000;
        hub_db_device_seen(db, devices[d], &ps, u->now);
        hub_db_anchors_fill(db, u, &ps);
    }
    return hub_db_events_put_group(db, puts, n);
}

/* Take the answers: a kiosk told "acked N" forgets its events up to N. */
static int hub_answered(struct hub *h, const struct hub_put *puts, size_t n,
                        int first, int fd)
{
    char line[64];

    for (size_t i = 0; i < n; i++) {
        int d = (first + (int)i) % HUB_DEVICES;
        const struct hub_put *u = &puts[i];
        if (u->result != ERR_OK || u->acked < u->evs[u->n - 1].seq)
            return -1;
        if (fd >= 0 && rand() % 5 == 0)
            continue;                  /* the answer got lost: resend */
        h->acked[d] = u->acked;
        if (fd >= 0) {
            snprintf(line, sizeof line, "%d %llu\n", d,
                     (unsigned long long)u->acked);
            report(fd, line);
        }
    }
    return 0;
}

static void hub_child(void *arg, int fd)
{
    struct hub *h = arg;
    struct hub_db *db;
    static struct proto_event evs[HUB_DEVICES][HUB_BATCH];
    struct hub_put puts[HUB_DEVICES];

    if (hub_db_open(h->path, &db) != ERR_OK)
        _exit(3);
    for (int i = 0; i < 1000000; i++) {
        size_t n = 1 + (size_t)(rand() % HUB_DEVICES);
        int first = rand() % HUB_DEVICES;
        if (hub_upload(db, h, evs, puts, n, first) != ERR_OK ||
            hub_answered(h, puts, n, first, fd) != 0)
            _exit(4);
    }
}

static void hub_check_device(sqlite3 *db, const struct hub *h, int d,
                             int round)
{
    uint64_t a = h->acked[d];
    int64_t held = query_int(db, "SELECT count(*) FROM events WHERE"
                             " device = ? AND seq BETWEEN 1 AND ?",
                             devices[d], (int64_t)a);
    int64_t wrong = query_int(db, "SELECT count(*) FROM events WHERE"
                              " device = ? AND seq <= ? AND member_no !="
                              " printf('HQ%04d', 1 + seq % 60)", devices[d],
                              (int64_t)a);
    int64_t mark = query_int(db, "SELECT acked FROM devices WHERE id = ?",
                             devices[d], 0);

    if (held != (int64_t)a || wrong != 0)
        fail_msg("round %d (seed %u): %s was told acked %llu but %lld of"
                 " them are held (%lld wrong)", round, run_seed, devices[d],
                 (unsigned long long)a, (long long)held, (long long)wrong);
    if (mark < (int64_t)a)
        fail_msg("round %d (seed %u): %s acked mark went back to %lld from"
                 " %llu", round, run_seed, devices[d], (long long)mark,
                 (unsigned long long)a);
}

/* Fold the child's reports into what each kiosk was told. */
static void hub_take_reports(struct hub *h, char *text)
{
    char *save = NULL;

    for (char *l = strtok_r(text, "\n", &save); l;
         l = strtok_r(NULL, "\n", &save)) {
        int d;
        unsigned long long a;
        assert_int_equal(sscanf(l, "%d %llu", &d, &a), 2);
        assert_true(d >= 0 && d < HUB_DEVICES);
        assert_true(a >= h->acked[d]);
        h->acked[d] = a;
        h->uploads++;
    }
    for (int d = 0; d < HUB_DEVICES; d++)
        if (h->made[d] < h->acked[d])
            h->made[d] = h->acked[d];
}

static void fleet_ok(const struct hub *h, int round)
{
    char fp[320];
    sqlite3 *db;

    snprintf(fp, sizeof fp, "%s-fleet", h->path);
    assert_int_equal(sqlite3_open(fp, &db), SQLITE_OK);
    integrity_ok(db, "hub.db-fleet", round);
    sqlite3_close(db);
}

static void hub_verify(struct hub *h, char *text, int round)
{
    struct hub_db *hdb;
    static struct proto_event evs[HUB_DEVICES][HUB_BATCH];
    struct hub_put puts[HUB_DEVICES];

    hub_take_reports(h, text);
    if (hub_db_open(h->path, &hdb) != ERR_OK)
        fail_msg("round %d (seed %u): hub_db_open failed after the cut",
                 round, run_seed);
    /* A connection of the test's own to the same file: the store's
     * handle is its SQL layer's, not SQLite's. */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(h->path, &db, SQLITE_OPEN_READWRITE,
                                     NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    integrity_ok(db, "hub.db", round);
    fleet_ok(h, round);
    for (int d = 0; d < HUB_DEVICES; d++)
        hub_check_device(db, h, d, round);
    assert_int_equal(query_int(db, "SELECT count(*) FROM service_logs",
                               NULL, 0),
                     query_int(db, "SELECT count(*) FROM events WHERE"
                               " kind = 'service_log'", NULL, 0));
    assert_int_equal(hub_upload(hdb, h, evs, puts, HUB_DEVICES, 0), ERR_OK);
    assert_int_equal(hub_answered(h, puts, HUB_DEVICES, 0, -1), 0);
    h->uploads += HUB_DEVICES;
    sqlite3_close(db);
    hub_db_close(hdb);
}

static void hub_setup(struct hub *h)
{
    struct hub_db *db;
    char code[HUB_CODE_LEN + 1], st[16], dev[16];

    snprintf(h->dir, sizeof h->dir, "%s/hub-powerloss-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    assert_non_null(mkdtemp(h->dir));
    snprintf(h->path, sizeof h->path, "%s/hub.db", h->dir);
    assert_int_equal(hub_db_open(h->path, &db), ERR_OK);
    assert_int_equal(hub_db_station_add(db, "S1", "Station one"), ERR_OK);
    /* The members the kiosks check in: the hub refuses unknown ones. */
    assert_int_equal(sql_exec(db->db, "WITH RECURSIVE n(i) AS (SELECT 1"
                              " UNION ALL SELECT i + 1 FROM n WHERE"
                              " i < 60) INSERT INTO members(member_no, name,"
                              " phone, community, station, active) SELECT"
                              " printf('HQ%04d', i), 'M', '', 'C', 'S1',"
                              " 1 FROM n"), SQL_OK);
    for (int d = 0; d < HUB_DEVICES; d++) {
        assert_int_equal(hub_db_enrol_code(db, "S1", devices[d], code),
                         ERR_OK);
        assert_int_equal(hub_db_enrol_take(db, code, st, sizeof st, dev,
                                           sizeof dev), ERR_OK);
        /* What the enrol handler does once the certificate is signed. */
        char serial[16], sha[80];
        snprintf(serial, sizeof serial, "0%d", d + 1);
        snprintf(sha, sizeof sha, "%064d", d + 1);
        assert_int_equal(hub_db_cert_add(db, st, dev, serial, sha, 0),
                         ERR_OK);
    }
    hub_db_close(db);
}

static void hub_store_survives_power_cuts(void **state)
{
    static struct hub h;

    (void)state;
    memset(&h, 0, sizeof h);
    hub_setup(&h);
    for (int round = 0; round < n_cuts; round++) {
        char *text = run_child(hub_child, &h, round);
        hub_verify(&h, text, round);
        free(text);
    }
    print_message("hub: %d power cuts, %zu acknowledged uploads, acks of"
                  " %llu + %llu + %llu events all held once\n", n_cuts,
                  h.uploads, (unsigned long long)h.acked[0],
                  (unsigned long long)h.acked[1],
                  (unsigned long long)h.acked[2]);
    assert_true(h.uploads > (size_t)n_cuts * HUB_DEVICES || n_cuts < 20);
    fixture_rmrf(h.dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crash_vfs_drops_or_keeps_unsynced_writes),
        cmocka_unit_test(crash_vfs_tears_pages_at_sectors),
        cmocka_unit_test(crash_vfs_loses_new_file_until_dir_sync),
        cmocka_unit_test(crash_vfs_may_undo_an_unsynced_delete),
        cmocka_unit_test(kiosk_store_survives_power_cuts),
        cmocka_unit_test(hub_store_survives_power_cuts),
    };
    const char *seed = getenv("POWERLOSS_SEED");

    run_seed = seed ? (unsigned)strtoul(seed, NULL, 10)
                    : (unsigned)time(NULL) ^ (unsigned)getpid();
    n_cuts = cuts_from_env();
    srand(run_seed);
    print_message("power-loss test seed %u (POWERLOSS_SEED=%u replays),"
                  " %d cuts per store\n", run_seed, run_seed, n_cuts);
    if (crashvfs_install() != 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
