/* tests/test_crash.c - a kiosk killed at any moment loses nothing it said
 * was stored. A child process scans members in a loop and reports each
 * event's seq only after the domain call returned; the parent kills it with
 * SIGKILL at a random moment, 60 times, and checks after each kill that
 * every reported event is stored exactly once, that each visit row matches
 * its events (the event and the view are one transaction), and that
 * PRAGMA integrity_check says ok. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "firmware/visit.h"
#include "tests/support/fixture.h"

#define ROUNDS 60
#define MAX_REPORTED 100000

static void child_loop(const char *db_path, int fd, unsigned seed)
{
    struct config cfg;
    struct store *s;
    struct stamp now;
    char line[64], member[16];

    config_defaults(&cfg);
    cfg.duplicate_scan_seconds = 0;
    if (store_open(db_path, &s) != ERR_OK)
        _exit(3);
    for (unsigned i = seed;; i++) {
        struct visit_result r;
        snprintf(member, sizeof member, "HQ%04u", 1 + i % 60);
        clock_now(&now);
        if (visit_scan(s, &cfg, member, &now, &r) != ERR_OK)
            _exit(4);
        int n = snprintf(line, sizeof line, "%llu %s\n",
                         (unsigned long long)r.seq, member);
        if (write(fd, line, (size_t)n) != n)
            _exit(5);
    }
}

static int count_sql(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    int n = -1;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Each reported "seq member" must be one event of that member. */
static void check_reported(sqlite3 *db, char *text)
{
    sqlite3_stmt *st;
    char *save = NULL;

    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM events"
        " WHERE seq = ? AND member_no = ?", -1, &st, NULL), SQLITE_OK);
    for (char *l = strtok_r(text, "\n", &save); l;
         l = strtok_r(NULL, "\n", &save)) {
        unsigned long long seq;
        char member[16];
        if (sscanf(l, "%llu %15s", &seq, member) != 2)
            continue;                       /* a half-written last line */
        sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
        sqlite3_bind_text(st, 2, member, -1, SQLITE_TRANSIENT);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        if (sqlite3_column_int(st, 0) != 1)
            fail_msg("reported event %llu of %s is not stored once", seq,
                     member);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
}

static void check_database(const char *path, char *reported)
{
    sqlite3 *db;
    struct store *s;
    char msg[128];

    /* The kiosk's own open path recovers the WAL and must succeed. */
    assert_int_equal(store_open(path, &s), ERR_OK);
    assert_int_equal(store_integrity(s, msg, sizeof msg), ERR_OK);
    store_close(s);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    check_reported(db, reported);
    assert_int_equal(count_sql(db, "SELECT count(*) FROM events WHERE kind=1"),
                     count_sql(db, "SELECT count(*) FROM visits"));
    assert_int_equal(count_sql(db, "SELECT count(*) FROM events WHERE kind=2"),
                     count_sql(db, "SELECT count(*) FROM visits"
                                   " WHERE out_ms IS NOT NULL"));
    sqlite3_close(db);
}

/* Read what the child wrote, until it is dead and the pipe is empty. */
static size_t drain(int fd, char *buf, size_t used, size_t cap)
{
    ssize_t n;

    while (used < cap - 1 && (n = read(fd, buf + used, cap - 1 - used)) > 0)
        used += (size_t)n;
    buf[used] = '\0';
    return used;
}

static void killed_kiosk_loses_and_doubles_nothing(void **state)
{
    struct stamp t;
    struct fixture *f;
    char *reported = malloc(MAX_REPORTED * 24);
    size_t used = 0;
    unsigned seed = (unsigned)time(NULL);

    (void)state;
    clock_now(&t);
    f = fixture_new(1, &t);
    store_close(f->store);
    f->store = NULL;
    srand(seed);
    print_message("crash test seed %u\n", seed);
    for (int round = 0; round < ROUNDS; round++) {
        int fds[2];
        pid_t pid;

        assert_int_equal(pipe(fds), 0);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            child_loop(f->db_path, fds[1], (unsigned)rand());
        }
        close(fds[1]);
        /* Odd rounds kill anywhere from start-up on; even rounds first wait
         * for the child's first report, so slow machines (emulation) also
         * get kills mid-stream. */
        if (round % 2 == 0) {
            ssize_t n = read(fds[0], reported + used, 1);
            used += n > 0 ? (size_t)n : 0;
        }
        usleep((useconds_t)(rand() % 40000));
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        used = drain(fds[0], reported, used, MAX_REPORTED * 24);
        close(fds[0]);
        check_database(f->db_path, reported);
    }
    size_t lines = 0;
    for (size_t i = 0; i < used; i++)
        lines += reported[i] == '\n';
    print_message("%d kills, %zu reported events all stored once\n", ROUNDS,
                  lines);
    assert_true(lines > 0);
    free(reported);
    fixture_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(killed_kiosk_loses_and_doubles_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
