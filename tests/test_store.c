/* tests/test_store.c - the local database: privacy, refusing files that
 * are not ours, migrations from every older schema, the change feed (typed
 * pages, and wire pages decoded as the sync worker does), the sync state
 * and the boards' queries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "base/change.h"
#include "base/xmalloc.h"
#include "firmware/post_claim.h"
#include "firmware/service.h"
#include "firmware/store_confirm.h"
#include "firmware/store_ledger.h"
#include "firmware/store_reg.h"
#include "firmware/ticket.h"
#include "firmware/visit.h"
#include "tests/support/fixture.h"
#include "tests/support/page.h"

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

static void database_files_are_private(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    char wal[320];
    struct stat st;

    (void)state;
    assert_int_equal(stat(f->db_path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    snprintf(wal, sizeof wal, "%s-wal", f->db_path);
    assert_int_equal(stat(wal, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    fixture_free(f);
}

/* A second connection in the same process (the kiosk's sync worker) must
 * not drop the first one's locks: another process (kioskctl, sqlite3)
 * that opens and closes the database would then think it the last user
 * and delete the WAL, losing what was committed into it. */
static void second_connection_keeps_the_wal_for_other_processes(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct store *worker = NULL;
    char wal[320];
    struct stat st;
    int status;
    pid_t pid;

    (void)state;
    assert_int_equal(store_exec(f->store, "PRAGMA wal_autocheckpoint=0;"
                                "CREATE TABLE t(x); INSERT INTO t VALUES(1)"),
                     ERR_OK);
    assert_int_equal(store_open(f->db_path, &worker), ERR_OK);
    pid = fork();
    if (pid == 0) {      /* a technician's sqlite3: open, read, close */
        execlp("sqlite3", "sqlite3", f->db_path, "SELECT count(*) FROM t",
               (char *)NULL);
        _exit(1);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_equal(WEXITSTATUS(status), 0);
    snprintf(wal, sizeof wal, "%s-wal", f->db_path);
    assert_int_equal(stat(wal, &st), 0);
    /* What both connections commit afterwards survives a restart. */
    assert_int_equal(store_exec(worker, "INSERT INTO t VALUES(2)"), ERR_OK);
    assert_int_equal(store_exec(f->store, "INSERT INTO t VALUES(3)"), ERR_OK);
    store_close(worker);
    store_close(f->store);
    assert_int_equal(store_open(f->db_path, &f->store), ERR_OK);
    /* Fails (UNIQUE) unless exactly three rows came back. */
    assert_int_equal(store_exec(f->store, "CREATE TABLE n(c UNIQUE);"
                                "INSERT INTO n SELECT count(*) FROM t;"
                                "INSERT INTO n VALUES(3)"), ERR_INVAL);
    fixture_free(f);
}

static void garbage_file_is_refused_as_corrupt(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(0, &t);
    char path[320];
    struct store *s;
    char junk[4096];

    (void)state;
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)(i * 7 + 3);
    snprintf(path, sizeof path, "%s/junk.db", f->dir);
    write_file(path, junk, sizeof junk);
    assert_int_equal(store_open(path, &s), ERR_CORRUPT);
    assert_null(s);
    fixture_free(f);
}

static void damaged_database_fails_integrity_check(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    char path[320], msg[256];
    struct store *s;
    FILE *fp;

    (void)state;
    (void)path;
    /* Move everything into the main file, then damage that file. */
    assert_int_equal(store_exec(f->store, "PRAGMA wal_checkpoint(TRUNCATE)"),
                     ERR_OK);
    store_close(f->store);
    f->store = NULL;
    /* Scribble over the b-tree header of every page but the first. */
    fp = fopen(f->db_path, "r+b");
    assert_non_null(fp);
    for (long page = 1; fseek(fp, page * 4096, SEEK_SET) == 0 &&
                        fgetc(fp) != EOF; page++) {
        fseek(fp, page * 4096, SEEK_SET);
        for (int i = 0; i < 12; i++)
            fputc(0xA5, fp);
    }
    fclose(fp);
    /* Either opening notices, or the integrity check does. */
    err_code e = store_open(f->db_path, &s);
    if (e == ERR_OK) {
        assert_int_equal(store_integrity(s, msg, sizeof msg), ERR_CORRUPT);
        assert_string_not_equal(msg, "ok");
        store_close(s);
    } else {
        assert_int_equal(e, ERR_CORRUPT);
    }
    fixture_free(f);
}

static void foreign_database_is_refused(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(0, &t);
    char path[320];
    sqlite3 *db;
    struct store *s;

    (void)state;
    snprintf(path, sizeof path, "%s/other.db", f->dir);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE photos(id, blob);",
                                  NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(store_open(path, &s), ERR_CORRUPT);
    fixture_free(f);
}

static void newer_schema_readable_by_us_is_used(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct store *s;
    int members;

    (void)state;
    /* As a later release leaves it after an update we roll back from. */
    assert_int_equal(store_exec(f->store, "PRAGMA user_version=99;"
        "CREATE TABLE later_feature(x);"), ERR_OK);
    assert_int_equal(store_open(f->db_path, &s), ERR_OK);
    assert_int_equal(store_schema_version(s), 99);
    assert_int_equal(store_member_count(s, &members), ERR_OK);
    assert_int_equal(members, 60);
    store_close(s);
    fixture_free(f);
}

static void newer_schema_is_refused(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(0, &t);
    struct store *s;

    (void)state;
    assert_int_equal(store_exec(f->store, "PRAGMA user_version=99;"
        "UPDATE meta SET value = '98' WHERE key = 'min_reader_schema'"),
        ERR_OK);
    assert_int_equal(store_open(f->db_path, &s), ERR_CORRUPT);
    fixture_free(f);
}

/* Fill a database at schema `v` with what that version could hold. */
static void fill_old(struct store *s, int v)
{
    if (v >= 1)
        assert_int_equal(store_exec(s,
            "INSERT INTO members(member_no, name, phone_masked, community,"
            " active) VALUES('M1','老党员','','红旗社区',1);"
            "INSERT INTO events(kind, member_no, wall_ms, clock_trusted,"
            " boot_id, mono_ms) VALUES(1, 'M1', 1000, 1, 'b', 5);"
            "INSERT INTO visits(member_no, in_seq, in_ms) VALUES('M1', 1, 1000);"
            "INSERT INTO meta VALUES('acked_seq', '0');"), ERR_OK);
    if (v >= 2)
        assert_int_equal(store_exec(s,
            "INSERT INTO service_logs(seq, member_no, category, minutes, day,"
            " backfilled, logged_ms) VALUES(2, 'M1', 'patrol', 60, 1, 0, 1);"),
            ERR_OK);
}

static void migrates_from_every_older_schema(void **state)
{
    (void)state;
    for (int v = 0; v < STORE_SCHEMA_VERSION; v++) {
        struct stamp t = fixture_at(2026, 11, 20, 9, 0);
        struct fixture *f = fixture_new(0, &t);
        char path[320], msg[64];
        struct store *s;
        struct visit vis;
        struct member m;

        snprintf(path, sizeof path, "%s/v%d.db", f->dir, v);
        assert_int_equal(store_open_raw(path, &s), ERR_OK);
        assert_int_equal(store_migrate_to(s, v), ERR_OK);
        assert_int_equal(store_schema_version(s), v);
        fill_old(s, v);
        store_close(s);

        assert_int_equal(store_open(path, &s), ERR_OK);
        assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
        assert_int_equal(store_integrity(s, msg, sizeof msg), ERR_OK);
        if (v >= 1) {
            assert_int_equal(store_member_get(s, "M1", &m), ERR_OK);
            assert_string_equal(m.name, "老党员");
            assert_int_equal(store_visit_open_for(s, "M1", &vis), ERR_OK);
            assert_false(vis.auto_closed);
        }
        /* The migrated database takes today's writes. */
        struct visit_result r;
        assert_int_equal(store_exec(s, "INSERT OR IGNORE INTO members"
            "(member_no, name, phone_masked, community, active)"
            " VALUES('M2','新党员','','',1)"), ERR_OK);
        assert_int_equal(visit_check_in(s, &f->cfg, "M2", &t, &r), ERR_OK);
        store_close(s);
        fixture_free(f);
    }
}

static void change_page_is_all_or_nothing(void **state)
{
    static const char bad[] = "{\"changes\":["
        "{\"type\":\"notice\",\"op\":\"put\",\"key\":\"N99\",\"data\":"
        "{\"title\":\"新通知\",\"body\":\"x\",\"published_ms\":5}},"
        "{\"type\":\"shift\",\"op\":\"put\",\"key\":\"k\",\"data\":"
        "{\"day\":\"2026-13-45\"}}],"
        "\"cursor\":\"c2\",\"more\":false,\"hub_time_ms\":1234}";
    static const char good[] = "{\"changes\":["
        "{\"type\":\"notice\",\"op\":\"put\",\"key\":\"N99\",\"data\":"
        "{\"title\":\"新通知\",\"body\":\"x\",\"published_ms\":5}},"
        "{\"type\":\"hologram\",\"op\":\"put\",\"key\":\"h\",\"data\":{}},"
        "{\"type\":\"notice\",\"op\":\"del\",\"key\":\"N01\"}],"
        "\"cursor\":\"c3\",\"more\":false,\"hub_time_ms\":1234}";
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct store_sync_state ss;
    struct notice n[16];
    size_t count, before;
    int64_t ms;

    (void)state;
    store_notices(f->store, n, 16, &before);
    assert_int_equal(page_apply(f->store, bad, strlen(bad), "c2"), ERR_PROTO);
    assert_int_equal(page_apply(f->store, "{\"changes\":", 11, "c2"),
                     ERR_PROTO);
    assert_int_equal(page_apply(f->store, "[1,2]", 5, "c2"), ERR_PROTO);
    store_notices(f->store, n, 16, &count);
    assert_int_equal(count, before);
    assert_int_equal(store_sync_state_get(f->store, &ss), ERR_OK);
    assert_string_equal(ss.cursor, "");

    assert_int_equal(page_apply(f->store, good, strlen(good), "c3"), ERR_OK);
    store_notices(f->store, n, 16, &count);
    assert_int_equal(count, before);          /* one added, one deleted */
    assert_int_equal(store_sync_state_get(f->store, &ss), ERR_OK);
    assert_string_equal(ss.cursor, "c3");
    assert_int_equal(store_board_updated(f->store, "notices", &ms), ERR_OK);
    assert_int_equal(ms, 1234);
    fixture_free(f);
}

static struct change *typed(struct change_page *p, enum change_type t,
                            enum change_op op, const char *key)
{
    struct change *c = NULL;
    assert_int_equal(change_page_add(p, t, op, key, &c), ERR_OK);
    return c;
}

/* The store's own refusals (a verdict deleted, a key that is no key)
 * take back the changes before them in the page, and the cursor. */
static void typed_page_with_an_impossible_change_changes_nothing(void **st)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct change_page p = { .hub_time_ms = 777 };
    struct store_sync_state ss;
    struct notice nt[16];
    struct change *c;
    struct member m;
    size_t n;
    int64_t ms;

    (void)st;
    c = typed(&p, CHANGE_MEMBER, CHANGE_PUT, "HQ0001");
    str_copy(c->u.member.name, sizeof c->u.member.name, "改名");
    typed(&p, CHANGE_NOTICE, CHANGE_DEL, "N01");
    typed(&p, CHANGE_LOG_STATUS, CHANGE_DEL, "1");
    assert_int_equal(store_hub_apply(f->store, &p, "c9"), ERR_PROTO);
    change_page_free(&p);
    c = typed(&p, CHANGE_MEMBER, CHANGE_PUT, "HQ0001");
    str_copy(c->u.member.name, sizeof c->u.member.name, "改名");
    c = typed(&p, CHANGE_CREDENTIAL_KEY, CHANGE_PUT, "k1");
    str_copy(c->u.credential_key.public_key,
             sizeof c->u.credential_key.public_key, "not base64url!");
    assert_int_equal(store_hub_apply(f->store, &p, "c9"), ERR_PROTO);
    change_page_free(&p);

    assert_int_equal(store_member_get(f->store, "HQ0001", &m), ERR_OK);
    assert_string_not_equal(m.name, "改名");
    assert_int_equal(store_notices(f->store, nt, 16, &n), ERR_OK);
    assert_string_equal(nt[0].id, "N01");         /* newest, still there */
    assert_int_equal(store_sync_state_get(f->store, &ss), ERR_OK);
    assert_string_equal(ss.cursor, "");
    assert_int_equal(ss.hub_time_ms, t.wall_ms);      /* the demo's page */
    assert_int_equal(store_board_updated(f->store, "members", &ms), ERR_OK);
    assert_int_equal(ms, t.wall_ms);
    fixture_free(f);
}

/* Service confirmation: a log names whom it served; the hub's verdict
 * lands with its method, rating, reason and time; what a resident may
 * confirm lands, leaves the list once answered here, and goes with its
 * delete or a snapshot. */
static void confirmation_rows_land(void **st)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct change_page p = { .hub_time_ms = t.wall_ms };
    struct service_request rq = { .member_no = "HQ0001",
                                  .category = "elderly_care", .minutes = 60,
                                  .served_place = "2号楼/1单元",
                                  .served_ticket = "HQ01-2-0001" };
    enum service_refusal why;
    struct service_log l, got[4];
    struct awaiting w[4];
    struct change *c;
    size_t n;

    (void)st;
    assert_int_equal(service_log(f->store, &f->cfg, &rq, &t, &why, &l),
                     ERR_OK);
    c = typed(&p, CHANGE_LOG_STATUS, CHANGE_PUT, "x");
    c->u.log_status.seq = l.seq;
    c->u.log_status.status = CHANGE_LOG_REJECTED;
    c->u.log_status.method = CONFIRM_PHONE;
    c->u.log_status.rating = CONFIRM_UNSATISFIED;
    str_copy(c->u.log_status.reason, sizeof c->u.log_status.reason,
             "电话回访：未提供服务");
    c->u.log_status.decided_ms = t.wall_ms + 5;
    c = typed(&p, CHANGE_SERVICE_AWAITING, CHANGE_PUT, "kiosk-9/e/4");
    str_copy(c->u.service_awaiting.ticket, SERVED_TICKET_BYTES,
             "HQ01-2-0001");
    str_copy(c->u.service_awaiting.device, CHANGE_ID, "kiosk-9");
    str_copy(c->u.service_awaiting.epoch, CHANGE_ID + 1, "e");
    c->u.service_awaiting.seq = 4;
    str_copy(c->u.service_awaiting.name, CHANGE_NAME, "张伟");
    str_copy(c->u.service_awaiting.category, CHANGE_LABEL, "elderly_care");
    c->u.service_awaiting.minutes = 60;
    c->u.service_awaiting.day = 20412;
    c = typed(&p, CHANGE_SERVICE_AWAITING, CHANGE_PUT, "kiosk-9/e/5");
    c->u.service_awaiting = p.changes[1].u.service_awaiting;
    c->u.service_awaiting.seq = 5;
    assert_int_equal(store_hub_apply(f->store, &p, "c1"), ERR_OK);
    change_page_free(&p);

    assert_int_equal(store_logs_for(f->store, "HQ0001", 0, INT64_MAX / 2,
                                    got, 4, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_string_equal(got[0].served_place, "2号楼/1单元");
    assert_string_equal(got[0].served_ticket, "HQ01-2-0001");
    assert_int_equal(got[0].status, LOG_REJECTED);
    assert_int_equal(got[0].method, CONFIRM_PHONE);
    assert_int_equal(got[0].rating, CONFIRM_UNSATISFIED);
    assert_string_equal(got[0].reason, "电话回访：未提供服务");
    assert_int_equal(got[0].decided_ms, t.wall_ms + 5);

    assert_int_equal(store_awaiting_for(f->store, "HQ01-2-0001", w, 4, &n),
                     ERR_OK);
    assert_int_equal(n, 2);
    assert_string_equal(w[0].a.name, "张伟");
    assert_int_equal(w[0].a.day, 20412);
    assert_int_equal(store_answer_put(f->store, "kiosk-9/e/4", t.wall_ms),
                     ERR_OK);
    assert_int_equal(store_awaiting_for(f->store, "HQ01-2-0001", w, 4, &n),
                     ERR_OK);
    assert_int_equal(n, 1);
    assert_string_equal(w[0].key, "kiosk-9/e/5");
    typed(&p, CHANGE_SERVICE_AWAITING, CHANGE_DEL, "kiosk-9/e/5");
    assert_int_equal(store_hub_apply(f->store, &p, "c2"), ERR_OK);
    change_page_free(&p);
    assert_int_equal(store_awaiting_for(f->store, "HQ01-2-0001", w, 4, &n),
                     ERR_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_awaiting_get(f->store, "kiosk-9/e/5", &w[0]),
                     ERR_NOTFOUND);
    fixture_free(f);
}

/* Typed rows land as given: a post and its holders (replaced whole), a
 * shift on its day, a star under its period, and the page's hub time. */
static void typed_page_lands_row_by_row(void **st)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(0, &t);
    struct change_page p = { .hub_time_ms = 1763800000000 };
    struct store_sync_state ss;
    struct change_holder *h;
    struct post_holder ph[4];
    struct duty_shift d[4];
    struct star s[4];
    struct change *c;
    size_t n;

    (void)st;
    c = typed(&p, CHANGE_POST, CHANGE_PUT, "P1");
    str_copy(c->u.post.category, sizeof c->u.post.category, "财务");
    assert_int_equal(change_holder_add(c, &h), ERR_OK);
    str_copy(h->member_no, sizeof h->member_no, "HQ0001");
    h->role = CHANGE_ROLE_DEPUTY;
    c = typed(&p, CHANGE_SHIFT, CHANGE_PUT, "s1");
    c->u.shift.day = 20412;
    str_copy(c->u.shift.member_no, sizeof c->u.shift.member_no, "HQ0002");
    c = typed(&p, CHANGE_STAR, CHANGE_PUT, "year/1");
    c->u.star.period = CHANGE_PERIOD_YEAR;
    c->u.star.rank = 1;
    c->u.star.points = 42;
    assert_int_equal(store_hub_apply(f->store, &p, NULL), ERR_OK);
    change_page_free(&p);

    assert_int_equal(store_post_holders(f->store, "P1", ph, 4, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ph[0].role, ROLE_DEPUTY);
    assert_int_equal(store_shifts(f->store, 20412, 20413, NULL, d, 4, &n),
                     ERR_OK);
    assert_int_equal(n, 1);
    assert_string_equal(d[0].member_no, "HQ0002");
    assert_int_equal(store_stars(f->store, "year", s, 4, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(s[0].points, 42);
    assert_int_equal(store_sync_state_get(f->store, &ss), ERR_OK);
    assert_int_equal(ss.hub_time_ms, 1763800000000);
    assert_string_equal(ss.cursor, "");           /* NULL: none kept */

    /* A post put again carries its whole list: none now. */
    typed(&p, CHANGE_POST, CHANGE_PUT, "P1");
    assert_int_equal(store_hub_apply(f->store, &p, "c1"), ERR_OK);
    change_page_free(&p);
    assert_int_equal(store_post_holders(f->store, "P1", ph, 4, &n), ERR_OK);
    assert_int_equal(n, 0);
    fixture_free(f);
}

/* ---- snapshots ---------------------------------------------------------- */

/* A store_page_source of two typed pages; `cut` at the second: 1 fails
 * it, 2 kills the process there (mid-transaction, rows already
 * replaced). */
struct two_pages {
    int calls, cut;
};

static err_code two_pages_next(void *ctx, struct change_page *p, bool *done)
{
    struct two_pages *tp = ctx;
    struct change *c;
    int call = tp->calls++;

    *done = call == 2;
    if (*done)
        return ERR_OK;
    if (call == 1 && tp->cut == 1)
        return ERR_PROTO;
    if (call == 1 && tp->cut == 2)
        raise(SIGKILL);
    p->hub_time_ms = 4242;
    p->snapshot = true;
    c = typed(p, CHANGE_MEMBER, CHANGE_PUT, call ? "SN0002" : "SN0001");
    str_copy(c->u.member.name, sizeof c->u.member.name, "快照");
    c->u.member.active = true;
    c = typed(p, CHANGE_NOTICE, CHANGE_PUT, call ? "SNB" : "SNA");
    str_copy(c->u.notice.title, sizeof c->u.notice.title, "快照通知");
    return ERR_OK;
}

/* A snapshot replaces every table of hub state with its pages and sets
 * the cursor in one transaction: a failed page or a process killed
 * between pages leaves the previous state and cursor. */
static void snapshot_replaces_hub_state_whole_or_not_at_all(void **st)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct store_sync_state ss;
    struct notice nt[16];
    int members, before;
    size_t n, notices;
    int status;
    int64_t ms;

    (void)st;
    assert_int_equal(store_set_cursor(f->store, "41"), ERR_OK);
    store_member_count(f->store, &before);
    store_notices(f->store, nt, 16, &notices);
    assert_true(before > 2 && notices > 2);

    struct two_pages fail = { .cut = 1 };
    assert_int_equal(store_hub_snapshot(f->store, two_pages_next, &fail,
                                        "99"), ERR_PROTO);
    pid_t pid = fork();
    if (pid == 0) {
        struct store *s = NULL;
        struct two_pages kill = { .cut = 2 };
        if (store_open(f->db_path, &s) != ERR_OK)
            _exit(3);
        store_hub_snapshot(s, two_pages_next, &kill, "99");
        _exit(4);                               /* not reached */
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    store_close(f->store);
    assert_int_equal(store_open(f->db_path, &f->store), ERR_OK);
    store_member_count(f->store, &members);
    assert_int_equal(members, before);
    store_notices(f->store, nt, 16, &n);
    assert_int_equal(n, notices);
    assert_int_equal(store_sync_state_get(f->store, &ss), ERR_OK);
    assert_string_equal(ss.cursor, "41");

    struct two_pages whole = { 0 };
    assert_int_equal(store_hub_snapshot(f->store, two_pages_next, &whole,
                                        "99"), ERR_OK);
    store_member_count(f->store, &members);
    assert_int_equal(members, 2);
    store_notices(f->store, nt, 16, &n);
    assert_int_equal(n, 2);
    assert_int_equal(store_sync_state_get(f->store, &ss), ERR_OK);
    assert_string_equal(ss.cursor, "99");
    assert_int_equal(ss.hub_time_ms, 4242);
    /* Boards the snapshot left empty are marked fresh too. */
    assert_int_equal(store_board_updated(f->store, "contacts", &ms), ERR_OK);
    assert_int_equal(ms, 4242);
    fixture_free(f);
}

/* The hub's totals are kept per member; a PIN hash with the member. */
static void member_totals_and_pins_land(void **st)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(0, &t);
    struct change_page p = { 0 };
    struct member_total tot;
    struct member m;
    struct change *c;

    (void)st;
    assert_int_equal(store_member_total(f->store, "HQ0001", &tot),
                     ERR_NOTFOUND);
    c = typed(&p, CHANGE_MEMBER_TOTAL, CHANGE_PUT, "HQ0001");
    c->u.member_total.as_of = 20412;
    c->u.member_total.points[0] = 61;
    c->u.member_total.rank[0] = 7;
    c->u.member_total.points[2] = 90;
    c = typed(&p, CHANGE_MEMBER, CHANGE_PUT, "HQ0077");
    str_copy(c->u.member.name, sizeof c->u.member.name, "新");
    str_copy(c->u.member.pin_hash, sizeof c->u.member.pin_hash, "pbkdf2-x");
    assert_int_equal(store_hub_apply(f->store, &p, NULL), ERR_OK);
    change_page_free(&p);
    assert_int_equal(store_member_total(f->store, "HQ0001", &tot), ERR_OK);
    assert_int_equal(tot.as_of, 20412);
    assert_int_equal(tot.points[0], 61);
    assert_int_equal(tot.rank[0], 7);
    assert_int_equal(tot.points[2], 90);
    assert_int_equal(store_member_get(f->store, "HQ0077", &m), ERR_OK);
    assert_string_equal(m.pin_hash, "pbkdf2-x");
    typed(&p, CHANGE_MEMBER_TOTAL, CHANGE_DEL, "HQ0001");
    assert_int_equal(store_hub_apply(f->store, &p, NULL), ERR_OK);
    change_page_free(&p);
    assert_int_equal(store_member_total(f->store, "HQ0001", &tot),
                     ERR_NOTFOUND);
    fixture_free(f);
}

static void sync_state_reads_what_was_set(void **st)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(0, &t);
    struct store_sync_state ss;

    (void)st;
    assert_int_equal(store_sync_state_get(f->store, &ss), ERR_OK);
    assert_int_equal(ss.last_sync_ms, 0);
    assert_false(ss.hub_offset_known);
    assert_int_equal(ss.hub_time_ms, 0);
    assert_string_equal(ss.cursor, "");
    assert_int_equal(store_set_last_sync(f->store, 1763800000000), ERR_OK);
    assert_int_equal(store_set_hub_offset(f->store, 0), ERR_OK);
    assert_int_equal(store_set_hub_time(f->store, 1763800000123), ERR_OK);
    assert_int_equal(store_set_cursor(f->store, "42"), ERR_OK);
    assert_int_equal(store_sync_state_get(f->store, &ss), ERR_OK);
    assert_int_equal(ss.last_sync_ms, 1763800000000);
    assert_true(ss.hub_offset_known);            /* 0 is an offset too */
    assert_int_equal(ss.hub_offset_ms, 0);
    assert_int_equal(ss.hub_time_ms, 1763800000123);
    assert_string_equal(ss.cursor, "42");
    assert_int_equal(store_set_hub_offset(f->store, -340), ERR_OK);
    assert_int_equal(store_sync_state_get(f->store, &ss), ERR_OK);
    assert_int_equal(ss.hub_offset_ms, -340);
    fixture_free(f);
}

/* Every prefix and many byte flips of a valid page, decoded and applied
 * as the sync worker does: each is applied whole or refused whole, and
 * never harms the database. */
static void garbled_pages_are_refused_without_harm(void **state)
{
    static const char page[] = "{\"changes\":["
        "{\"type\":\"post\",\"op\":\"put\",\"key\":\"P9\",\"data\":"
        "{\"category\":\"党务\",\"name\":\"岗\",\"order\":9,\"holders\":"
        "[{\"member_no\":\"HQ0001\",\"role\":\"head\"}]}},"
        "{\"type\":\"shift\",\"op\":\"put\",\"key\":\"s\",\"data\":"
        "{\"day\":\"2026-11-20\",\"shift\":\"上午\",\"member_no\":\"HQ0001\"}},"
        "{\"type\":\"log_status\",\"op\":\"put\",\"key\":\"1\",\"data\":"
        "{\"seq\":1,\"status\":\"confirmed\",\"points\":2}}],"
        "\"cursor\":\"p\",\"more\":false,\"hub_time_ms\":99}";
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct store_sync_state ss;
    char buf[sizeof page], msg[64];
    unsigned seed = 12345;

    (void)state;
    for (size_t n = 0; n < sizeof page - 1; n++) {
        err_code e = page_apply(f->store, page, n, "p");
        assert_true(e == ERR_PROTO);
    }
    assert_int_equal(store_sync_state_get(f->store, &ss), ERR_OK);
    assert_string_equal(ss.cursor, "");
    for (int i = 0; i < 2000; i++) {
        memcpy(buf, page, sizeof page);
        for (int k = 0; k < 3; k++) {
            seed = seed * 1103515245u + 12345u;
            buf[(seed >> 8) % (sizeof page - 1)] = (char)(seed >> 20);
        }
        err_code e = page_apply(f->store, buf, sizeof page - 1, "p");
        assert_true(e == ERR_OK || e == ERR_PROTO);
    }
    assert_int_equal(store_integrity(f->store, msg, sizeof msg), ERR_OK);
    fixture_free(f);
}

/* Numbers a double holds but an int does not (found by
 * tests/fuzz/fuzz_page.c: casting them was undefined) refuse the page
 * whole at the decoder; the store keeps what it had. */
static void numbers_out_of_range_refuse_the_page(void **state)
{
    static const char page[] = "{\"changes\":["
        "{\"type\":\"star\",\"op\":\"put\",\"key\":\"month/1\","
        "\"data\":"
        "{\"period\":\"month\",\"rank\":-1e300,\"member_no\":\"ZZ9\","
        "\"name\":\"W\",\"points\":4294967296}},"
        "{\"type\":\"notice\",\"op\":\"put\",\"key\":\"N\",\"data\":"
        "{\"title\":\"t\",\"body\":\"b\",\"published_ms\":1e300}}],"
        "\"cursor\":\"p\",\"more\":false,\"hub_time_ms\":1}";
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct star st[16];
    size_t n;

    (void)state;
    assert_int_equal(page_apply(f->store, page, strlen(page), "p"),
                     ERR_PROTO);
    assert_int_equal(store_stars(f->store, "month", st, 16, &n), ERR_OK);
    for (size_t i = 0; i < n; i++)
        assert_string_not_equal(st[i].name, "W");
    fixture_free(f);
}

static void posts_by_category_with_holders(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    char cats[16][32];
    struct post p[16];
    struct post_holder h[16];
    size_t n, nh;

    (void)state;
    assert_int_equal(store_post_categories(f->store, cats, 16, &n), ERR_OK);
    assert_int_equal(n, 8);
    assert_string_equal(cats[0], "财务");
    assert_string_equal(cats[7], "城建");
    assert_int_equal(store_posts(f->store, "财务", p, 16, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_string_equal(p[0].name, "财务监督岗");
    assert_true(strlen(p[0].duties) > 10);
    assert_int_equal(store_post_holders(f->store, p[0].id, h, 16, &nh),
                     ERR_OK);
    assert_true(nh >= 4);
    assert_int_equal(h[0].role, ROLE_HEAD);
    assert_int_equal(h[1].role, ROLE_DEPUTY);
    assert_true(strlen(h[0].name) > 0);
    assert_int_equal(store_posts(f->store, "", p, 16, &n), ERR_OK);
    assert_int_equal(n, 8);
    fixture_free(f);
}

/* A post's rules land beside it; the hub's claim replaces the one made
 * here that it answers; a snapshot keeps what is not yet answered. */
static void post_rules_and_claims_apply(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct post_rules r;
    struct post_claim c[4];
    size_t n;
    const char *why;
    (void)state;
    assert_int_equal(store_post_rules_get(f->store, "P01", &r), ERR_OK);
    assert_true(r.open);                  /* as the demo data has it */
    assert_int_equal(r.places, 1);
    assert_int_equal(store_post_rules_get(f->store, "P02", &r), ERR_OK);
    assert_false(r.open);
    const char *page = "{\"changes\":[{\"type\":\"post\",\"op\":\"put\","
        "\"key\":\"P01\",\"data\":{\"category\":\"财务\",\"name\":\"财务监督岗\","
        "\"duties\":\"d\",\"order\":1,\"holders\":[{\"member_no\":\"HQ0042\","
        "\"role\":\"head\"}],\"min_members\":3,\"max_members\":4,"
        "\"open\":true,\"places\":2}}],\"cursor\":\"c1\",\"more\":false,"
        "\"hub_time_ms\":1234}";
    assert_int_equal(page_apply(f->store, page, strlen(page), "c1"), ERR_OK);
    assert_int_equal(store_post_rules_get(f->store, "P01", &r), ERR_OK);
    assert_true(r.open);
    assert_int_equal(r.max_members, 4);
    assert_int_equal(r.places, 2);
    assert_int_equal(post_claim(f->store, "P01", "HQ0003", ROLE_DEPUTY, &t,
                                &why), ERR_OK);
    assert_int_equal(store_claims_for(f->store, "HQ0003", c, 4, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_false(c[0].from_hub);
    assert_int_equal(c[0].state, CHANGE_CLAIM_PENDING);
    page = "{\"changes\":[{\"type\":\"claim\",\"op\":\"put\",\"key\":\"5\","
        "\"data\":{\"kind\":\"claim\",\"member_no\":\"HQ0003\",\"post_id\":"
        "\"P01\",\"role\":\"deputy\",\"state\":\"approved\",\"filed_ms\":1,"
        "\"decided_ms\":2}}],\"cursor\":\"c2\",\"more\":false,"
        "\"hub_time_ms\":1234}";
    assert_int_equal(page_apply(f->store, page, strlen(page), "c2"), ERR_OK);
    assert_int_equal(store_claims_for(f->store, "HQ0003", c, 4, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_string_equal(c[0].id, "5");
    assert_true(c[0].from_hub);
    assert_int_equal(c[0].role, ROLE_DEPUTY);
    assert_int_equal(c[0].state, CHANGE_CLAIM_APPROVED);
    fixture_free(f);
}

static void contacts_by_building_and_unit(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    char b[32][16], u[8][16];
    struct contact c[16];
    size_t n, nu;

    (void)state;
    assert_int_equal(store_buildings(f->store, b, 32, &n), ERR_OK);
    assert_int_equal(n, 20);
    assert_string_equal(b[0], "1");
    assert_string_equal(b[1], "2");
    assert_string_equal(b[19], "20");
    assert_int_equal(store_units(f->store, "3", u, 8, &nu), ERR_OK);
    assert_int_equal(store_contacts(f->store, "3", "", c, 16, &n), ERR_OK);
    assert_true(n >= 2);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(c[i].building, "3");
    if (nu > 0) {
        size_t nn;
        assert_int_equal(store_contacts(f->store, "3", u[0], c, 16, &nn),
                         ERR_OK);
        assert_string_equal(c[0].unit, u[0]);      /* nearest person first */
        assert_true(nn < n || nu == 1);
    }
    fixture_free(f);
}

static void roster_notices_and_stars(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct duty_shift d[64];
    struct notice nt[16];
    struct star s[16];
    int64_t today = clock_local_day(t.wall_ms, 480), ms;
    size_t n;
    int members;

    (void)state;
    assert_int_equal(store_member_count(f->store, &members), ERR_OK);
    assert_int_equal(members, 60);
    assert_int_equal(store_shifts(f->store, today, today + 1, NULL, d, 64,
                                  &n), ERR_OK);
    assert_true(n >= 2);
    assert_int_equal(d[0].day, today);
    assert_int_equal(store_notices(f->store, nt, 16, &n), ERR_OK);
    assert_true(n >= 6);
    assert_true(nt[0].published_ms >= nt[n - 1].published_ms);
    assert_int_equal(store_stars(f->store, "month", s, 16, &n), ERR_OK);
    assert_int_equal(n, 10);
    assert_int_equal(s[0].rank, 1);
    assert_true(s[0].points >= s[9].points);
    assert_true(strlen(s[0].name) > 0);
    assert_int_equal(store_board_updated(f->store, "posts", &ms), ERR_OK);
    assert_int_equal(ms, t.wall_ms);
    fixture_free(f);
}

static void acked_seq_never_moves_back(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct event ev[8];
    struct visit_result r;
    uint64_t acked;
    size_t n;

    (void)state;
    visit_check_in(f->store, &f->cfg, "HQ0001", &t, &r);
    visit_check_in(f->store, &f->cfg, "HQ0002", &t, &r);
    visit_check_in(f->store, &f->cfg, "HQ0003", &t, &r);
    assert_int_equal(store_set_acked_seq(f->store, 2), ERR_OK);
    assert_int_equal(store_set_acked_seq(f->store, 1), ERR_OK);
    assert_int_equal(store_acked_seq(f->store, &acked), ERR_OK);
    assert_int_equal(acked, 2);
    assert_int_equal(store_events_after(f->store, acked, ev, 8, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_string_equal(ev[0].member_no, "HQ0003");
    fixture_free(f);
}

/* A photo lands as its bytes, is replaced whole and deleted by key. */
static void photos_apply_replace_and_delete(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct change_page p = { .hub_time_ms = t.wall_ms };
    struct change *c;
    static uint8_t png[CHANGE_PHOTO_MAX];
    size_t len = 0;

    (void)state;
    for (int i = 0; i < 2; i++) {             /* a put, then its update */
        assert_int_equal(change_page_add(&p, CHANGE_PHOTO, CHANGE_PUT,
                                         "member/M1", &c), ERR_OK);
        c->u.photo.len = 100 + (size_t)i;
        c->u.photo.png = xcalloc(1, c->u.photo.len);
        c->u.photo.png[0] = (uint8_t)(0x89 + i);
        assert_int_equal(store_hub_apply(f->store, &p, NULL), ERR_OK);
        change_page_free(&p);
    }
    assert_int_equal(store_photo_get(f->store, "member/M1", png, sizeof png,
                                     &len), ERR_OK);
    assert_int_equal(len, 101);
    assert_int_equal(png[0], 0x8a);
    /* Too big for the caller's buffer: not handed out cut. */
    assert_int_equal(store_photo_get(f->store, "member/M1", png, 50, &len),
                     ERR_NOTFOUND);
    assert_int_equal(change_page_add(&p, CHANGE_PHOTO, CHANGE_DEL,
                                     "member/M1", &c), ERR_OK);
    assert_int_equal(store_hub_apply(f->store, &p, NULL), ERR_OK);
    change_page_free(&p);
    assert_int_equal(store_photo_get(f->store, "member/M1", png, sizeof png,
                                     &len), ERR_NOTFOUND);
    fixture_free(f);
}

/* 双报到: units and the cross-station setting land (and go), a member's
 * unit and kind too; a registration stores them in its event, and a
 * second one stores nothing and says when the first was. */
static void work_units_settings_and_registration(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(0, &t);
    struct change_page p = { .hub_time_ms = t.wall_ms };
    struct change *c;
    struct work_unit u;
    struct visit_result r;
    bool on = true;

    (void)state;
    assert_int_equal(store_hub_setting(f->store, "cross_station_registration",
                                       &on), ERR_OK);
    assert_false(on);                           /* never sent: off */
    assert_int_equal(change_page_add(&p, CHANGE_WORK_UNIT, CHANGE_PUT, "edu",
                                     &c), ERR_OK);
    str_copy(c->u.work_unit.name, sizeof c->u.work_unit.name, "区教育局");
    str_copy(c->u.work_unit.paired_community,
             sizeof c->u.work_unit.paired_community, "红旗社区");
    assert_int_equal(change_page_add(&p, CHANGE_WORK_UNIT, CHANGE_PUT,
                                     "setting/cross_station_registration",
                                     &c), ERR_OK);
    c->u.work_unit.on = true;
    assert_int_equal(change_page_add(&p, CHANGE_MEMBER, CHANGE_PUT, "HQ1",
                                     &c), ERR_OK);
    str_copy(c->u.member.name, sizeof c->u.member.name, "张伟");
    c->u.member.active = true;
    str_copy(c->u.member.work_unit, sizeof c->u.member.work_unit, "edu");
    str_copy(c->u.member.reg_kind, sizeof c->u.member.reg_kind, "paired");
    assert_int_equal(store_hub_apply(f->store, &p, NULL), ERR_OK);
    change_page_free(&p);
    assert_int_equal(store_work_unit_get(f->store, "edu", &u), ERR_OK);
    assert_string_equal(u.name, "区教育局");
    assert_string_equal(u.paired_community, "红旗社区");
    assert_int_equal(store_hub_setting(f->store, "cross_station_registration",
                                       &on), ERR_OK);
    assert_true(on);

    assert_int_equal(visit_register(f->store, &f->cfg, "HQ1", &t, &r),
                     ERR_OK);
    assert_int_equal(r.outcome, VISIT_REGISTERED);
    struct event ev;
    size_t n = 0;
    assert_int_equal(store_events_after(f->store, r.seq - 1, &ev, 1, &n),
                     ERR_OK);
    assert_int_equal(n, 1);
    char want[200];
    snprintf(want, sizeof want, "{\"station\":\"%s\",\"work_unit\":\"edu\","
             "\"reg_kind\":\"paired\"}", f->cfg.station_id);
    assert_string_equal(ev.data, want);
    struct stamp later = t;
    later.wall_ms += 86400000;
    assert_int_equal(visit_register(f->store, &f->cfg, "HQ1", &later, &r),
                     ERR_OK);
    assert_int_equal(r.outcome, VISIT_ALREADY_REGISTERED);
    assert_int_equal(r.registered_ms, t.wall_ms);
    assert_int_equal(r.seq, 0);

    /* A member of another station: only while the setting is on. */
    assert_int_equal(visit_register_guest(f->store, &f->cfg, "LY1",
                                          "sq-lvyuan-02", &t, &r), ERR_OK);
    assert_int_equal(r.outcome, VISIT_REGISTERED);
    assert_true(r.guest);
    assert_int_equal(change_page_add(&p, CHANGE_WORK_UNIT, CHANGE_DEL,
                                     "setting/cross_station_registration",
                                     &c), ERR_OK);
    assert_int_equal(change_page_add(&p, CHANGE_WORK_UNIT, CHANGE_DEL, "edu",
                                     &c), ERR_OK);
    assert_int_equal(store_hub_apply(f->store, &p, NULL), ERR_OK);
    change_page_free(&p);
    assert_int_equal(store_work_unit_get(f->store, "edu", &u), ERR_NOTFOUND);
    assert_int_equal(visit_register_guest(f->store, &f->cfg, "LY2",
                                          "sq-lvyuan-02", &t, &r),
                     ERR_NOTFOUND);
    fixture_free(f);
}

/* The residents' changes land as rows: a type with its presets, a
 * ticket replaced whole and deleted by key; applied twice, the same. A
 * phone in a filing event is gone once the hub acknowledged it. */
static void ledger_changes_apply_and_phone_leaves_when_acked(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct change_page p = { .hub_time_ms = t.wall_ms };
    struct change *c;
    struct ledger_type ty;
    struct ticket tk;

    (void)state;
    assert_int_equal(change_page_add(&p, CHANGE_LEDGER_TYPE, CHANGE_PUT,
                                     "repair", &c), ERR_OK);
    str_copy(c->u.ledger_type.name, CHANGE_NAME, "设施维修");
    c->u.ledger_type.for_request = true;
    c->u.ledger_type.n_presets = 2;
    str_copy(c->u.ledger_type.presets[0], CHANGE_PRESET, "楼道灯不亮");
    str_copy(c->u.ledger_type.presets[1], CHANGE_PRESET, "水管漏水");
    assert_int_equal(change_page_add(&p, CHANGE_TICKET, CHANGE_PUT,
                                     "HQ01-2-0007", &c), ERR_OK);
    c->u.ticket.kind = LEDGER_REQUEST;
    c->u.ticket.state = LEDGER_ANSWERED;
    str_copy(c->u.ticket.type, CHANGE_LABEL, "repair");
    str_copy(c->u.ticket.answer, CHANGE_TEXT, "已修好");
    for (int i = 0; i < 2; i++)
        assert_int_equal(store_hub_apply(f->store, &p, NULL), ERR_OK);
    change_page_free(&p);
    assert_int_equal(store_ledger_type_get(f->store, "repair", &ty), ERR_OK);
    assert_int_equal(ty.n_presets, 2);
    assert_string_equal(ty.presets[1], "水管漏水");
    assert_int_equal(store_ticket_get(f->store, "HQ01-2-0007", &tk), ERR_OK);
    assert_int_equal(tk.state, LEDGER_ANSWERED);
    assert_string_equal(tk.answer, "已修好");
    assert_true(tk.from_hub);
    assert_int_equal(store_ticket_find(f->store, "20007", &tk), ERR_OK);

    struct change_page d = { .hub_time_ms = t.wall_ms };
    assert_int_equal(change_page_add(&d, CHANGE_TICKET, CHANGE_DEL,
                                     "HQ01-2-0007", &c), ERR_OK);
    assert_int_equal(store_hub_apply(f->store, &d, NULL), ERR_OK);
    change_page_free(&d);
    assert_int_equal(store_ticket_get(f->store, "HQ01-2-0007", &tk),
                     ERR_NOTFOUND);

    struct ticket_request rq = { .kind = LEDGER_REQUEST, .type = "repair",
                                 .building = "1", .unit = "",
                                 .text = "水管漏水", .phone = "13800001111" };
    struct ticket_filed out;
    const char *why;
    struct event ev[4];
    size_t n;
    assert_int_equal(ticket_file(f->store, &f->cfg, &rq, &t, &why, &out),
                     ERR_OK);
    assert_int_equal(store_events_after(f->store, 0, ev, 4, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_non_null(strstr(ev[0].data, "13800001111"));
    assert_int_equal(store_set_acked_seq(f->store, ev[0].seq), ERR_OK);
    assert_int_equal(store_events_after(f->store, 0, ev, 4, &n), ERR_OK);
    assert_null(strstr(ev[0].data, "13800001111"));
    assert_non_null(strstr(ev[0].data, "水管漏水"));
    fixture_free(f);
}

/* A star's own board lands beside the overall board without touching
 * it, and its key deletes it; awards land, are listed posts first, and
 * go by key and with a snapshot. */
static void star_boards_and_awards_apply(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct change_page p = { .hub_time_ms = t.wall_ms };
    struct change *c;
    struct star s[4];
    struct award a[4];
    size_t n;

    (void)state;
    assert_int_equal(change_page_add(&p, CHANGE_STAR, CHANGE_PUT, "month/1",
                                     &c), ERR_OK);
    c->u.star = (struct change_star){ .period = CHANGE_PERIOD_MONTH,
                                      .rank = 1, .points = 9 };
    str_copy(c->u.star.member_no, CHANGE_ID, "M1");
    assert_int_equal(change_page_add(&p, CHANGE_STAR, CHANGE_PUT,
                                     "security/month/1", &c), ERR_OK);
    c->u.star = (struct change_star){ .board = "security",
                                      .period = CHANGE_PERIOD_MONTH,
                                      .rank = 1, .points = 4 };
    str_copy(c->u.star.member_no, CHANGE_ID, "M2");
    assert_int_equal(change_page_add(&p, CHANGE_AWARD, CHANGE_PUT,
                                     "2025/member/M2", &c), ERR_OK);
    c->u.award = (struct change_award){ .year = 2025, .rank = 1,
                                        .kind = CHANGE_AWARD_MEMBER,
                                        .subject = "M2", .name = "李四",
                                        .points = 300 };
    assert_int_equal(change_page_add(&p, CHANGE_AWARD, CHANGE_PUT,
                                     "2025/post/P1", &c), ERR_OK);
    c->u.award = (struct change_award){ .year = 2025, .rank = 1,
                                        .kind = CHANGE_AWARD_POST,
                                        .subject = "P1", .name = "财务监督岗",
                                        .points = 40 };
    assert_int_equal(store_hub_apply(f->store, &p, NULL), ERR_OK);
    change_page_free(&p);

    assert_int_equal(store_stars(f->store, "month", s, 4, &n), ERR_OK);
    assert_true(n >= 1);
    assert_int_equal(s[0].rank, 1);
    assert_int_equal(s[0].points, 9);
    assert_int_equal(store_stars(f->store, "security/month", s, 4, &n),
                     ERR_OK);
    assert_int_equal(n, 1);
    assert_string_equal(s[0].member_no, "M2");
    assert_int_equal(store_awards(f->store, a, 4, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_string_equal(a[0].kind, "post");
    assert_string_equal(a[0].name, "财务监督岗");
    assert_string_equal(a[1].kind, "member");
    assert_int_equal(a[1].points, 300);

    assert_int_equal(change_page_add(&p, CHANGE_STAR, CHANGE_DEL,
                                     "security/month/1", &c), ERR_OK);
    assert_int_equal(change_page_add(&p, CHANGE_AWARD, CHANGE_DEL,
                                     "2025/post/P1", &c), ERR_OK);
    assert_int_equal(store_hub_apply(f->store, &p, NULL), ERR_OK);
    change_page_free(&p);
    assert_int_equal(store_stars(f->store, "security/month", s, 4, &n),
                     ERR_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_stars(f->store, "month", s, 4, &n), ERR_OK);
    assert_true(n >= 1);                     /* the overall board kept */
    assert_int_equal(s[0].points, 9);
    assert_int_equal(store_awards(f->store, a, 4, &n), ERR_OK);
    assert_int_equal(n, 1);
    fixture_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(database_files_are_private),
        cmocka_unit_test(second_connection_keeps_the_wal_for_other_processes),
        cmocka_unit_test(garbage_file_is_refused_as_corrupt),
        cmocka_unit_test(damaged_database_fails_integrity_check),
        cmocka_unit_test(foreign_database_is_refused),
        cmocka_unit_test(newer_schema_readable_by_us_is_used),
        cmocka_unit_test(newer_schema_is_refused),
        cmocka_unit_test(migrates_from_every_older_schema),
        cmocka_unit_test(change_page_is_all_or_nothing),
        cmocka_unit_test(typed_page_with_an_impossible_change_changes_nothing),
        cmocka_unit_test(typed_page_lands_row_by_row),
        cmocka_unit_test(confirmation_rows_land),
        cmocka_unit_test(snapshot_replaces_hub_state_whole_or_not_at_all),
        cmocka_unit_test(member_totals_and_pins_land),
        cmocka_unit_test(sync_state_reads_what_was_set),
        cmocka_unit_test(garbled_pages_are_refused_without_harm),
        cmocka_unit_test(numbers_out_of_range_refuse_the_page),
        cmocka_unit_test(posts_by_category_with_holders),
        cmocka_unit_test(post_rules_and_claims_apply),
        cmocka_unit_test(contacts_by_building_and_unit),
        cmocka_unit_test(roster_notices_and_stars),
        cmocka_unit_test(acked_seq_never_moves_back),
        cmocka_unit_test(ledger_changes_apply_and_phone_leaves_when_acked),
        cmocka_unit_test(photos_apply_replace_and_delete),
        cmocka_unit_test(star_boards_and_awards_apply),
        cmocka_unit_test(work_units_settings_and_registration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
