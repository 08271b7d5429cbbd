/* tests/test_console_cards.c - the hub functions behind the console's
 * cards and update pages: the issued-cards table (both engines: run on
 * PostgreSQL by tests/hub_pg_test.sh), issuing and voiding with their
 * audit lines, a station's roster, serials that never repeat when two
 * console workers and a `hubctl card` process issue at once (the card
 * office's lock), and the pilot rule for publishing to every station. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <pthread.h>
#include <cmocka.h>

#include "base/card.h"
#include "base/clock.h"
#include "hub/hub_audit.h"
#include "hub/hub_bundle_pilot.h"
#include "hub/hub_card.h"
#include "hub/hub_card_office.h"
#include "hub/hub_db.h"
#include "hub/hub_db_cards.h"
#include "hub/hub_db_roster.h"
#include "tests/support/hub_fixture.h"

static char dir[] = "/tmp/test_console_cards.XXXXXX";
static char cards[300], store[300];
static struct hub_db *db;

static int audit_count(const char *action, const char *object)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct hub_audit_filter flt = { .action = action, .limit = 200 };
    assert_int_equal(hub_audit_csv(db, &flt, f), ERR_OK);
    fclose(f);
    int n = 0;
    for (char *p = buf; (p = strstr(p, object)); p++)
        n++;
    free(buf);
    return n;
}

static void member(const char *no, const char *station, bool active)
{
    struct hub_member m = { 0 };
    snprintf(m.member_no, sizeof m.member_no, "%s", no);
    snprintf(m.name, sizeof m.name, "名%s", no);
    snprintf(m.phone, sizeof m.phone, "13800000000");
    snprintf(m.station, sizeof m.station, "%s", station);
    assert_int_equal(hub_db_member_put(db, &m, active), ERR_OK);
}

static struct hub_card_order order(char kind, const char *holder)
{
    int64_t now = clock_wall_ms();
    return (struct hub_card_order){ .kind = kind, .holder = holder,
                                    .from_day = now / HUB_CARD_DAY_MS,
                                    .to_day = now / HUB_CARD_DAY_MS + 364,
                                    .actor = "tester", .now_ms = now };
}

static void issue_record_void(void **state)
{
    (void)state;
    char msg[200];
    struct hub_card_rec r, g;
    struct hub_card_order o = order('M', "A1");
    assert_int_equal(hub_card_office_issue(db, cards, &o, &r, msg,
                                           sizeof msg), ERR_OK);
    assert_string_equal(r.card_id, "M.A1.1");
    assert_string_equal(r.station, "st-a");
    struct card c;
    assert_int_equal(card_parse(r.text, strlen(r.text), &c), ERR_OK);
    assert_string_equal(c.scope, "st-a");
    assert_int_equal(hub_db_card_get(db, "M.A1.1", &g), ERR_OK);
    assert_string_equal(g.text, r.text);
    assert_string_equal(g.issued_by, "tester");
    assert_int_equal(g.revoked_ms, 0);
    assert_int_equal(audit_count("card.issue", "member:A1"), 1);

    /* Refusals: an unknown or inactive member, dates the wrong way. */
    o.holder = "NOPE";
    assert_int_equal(hub_card_office_issue(db, cards, &o, &r, msg,
                                           sizeof msg), ERR_NOTFOUND);
    o.holder = "A9";
    assert_int_equal(hub_card_office_issue(db, cards, &o, &r, msg,
                                           sizeof msg), ERR_INVAL);
    o = order('M', "A1");
    o.to_day = o.from_day - 1;
    assert_int_equal(hub_card_office_issue(db, cards, &o, &r, msg,
                                           sizeof msg), ERR_INVAL);

    /* Void: a reason is required; then the record, the signer's list and
     * the audit line; a second void is refused. */
    assert_int_equal(hub_card_office_revoke(db, cards, "M.A1.1", "", "tester",
                                            1000, msg, sizeof msg), ERR_INVAL);
    assert_int_equal(hub_card_office_revoke(db, cards, "M.A1.9", "lost",
                                            "tester", 1000, msg, sizeof msg),
                     ERR_NOTFOUND);
    assert_int_equal(hub_card_office_revoke(db, cards, "M.A1.1", "遗失",
                                            "tester", 1000, msg, sizeof msg),
                     ERR_OK);
    assert_int_equal(hub_db_card_get(db, "M.A1.1", &g), ERR_OK);
    assert_int_equal(g.revoked_ms, 1000);
    assert_string_equal(g.reason, "遗失");
    assert_int_equal(hub_card_office_revoke(db, cards, "M.A1.1", "again",
                                            "tester", 2000, msg, sizeof msg),
                     ERR_INVAL);
    struct hub_card *h;
    assert_int_equal(hub_card_open(cards, &h), ERR_OK);
    char *ch = hub_card_changes_json(h);
    assert_non_null(strstr(ch, "\"M.A1.1\""));
    free(ch);
    hub_card_close(h);
    assert_int_equal(audit_count("card.revoke", "member:A1"), 1);
}

static void technician_card(void **state)
{
    (void)state;
    char msg[200];
    struct hub_card_rec r;
    struct hub_card_order o = order('T', "tech-7");
    /* A technician card needs its scope; then any pattern the card
     * format takes. */
    assert_int_equal(hub_card_office_issue(db, cards, &o, &r, msg,
                                           sizeof msg), ERR_INVAL);
    o.scope = "st-*";
    assert_int_equal(hub_card_office_issue(db, cards, &o, &r, msg,
                                           sizeof msg), ERR_OK);
    assert_string_equal(r.card_id, "T.tech-7.1");
    assert_string_equal(r.station, "st-*");
    assert_int_equal(audit_count("card.issue", "technician:tech-7"), 1);
    assert_int_equal(hub_card_office_revoke(db, cards, "T.tech-7.1", "left",
                                            "tester", 5, msg, sizeof msg),
                     ERR_OK);
    assert_int_equal(audit_count("card.revoke", "technician:tech-7"), 1);
}

static int listed;
static void count(void *ctx, const struct hub_card_rec *r)
{
    (void)ctx;
    (void)r;
    listed++;
}

static void roster_and_list(void **state)
{
    (void)state;
    char msg[200];
    int n = 0;
    struct hub_card_order o = order('R', NULL);
    assert_int_equal(hub_card_office_roster(db, cards, "st-b", &o, NULL, NULL,
                                            &n, msg, sizeof msg), ERR_OK);
    assert_int_equal(n, 2);                   /* B1, B2; B3 inactive */
    listed = 0;
    assert_int_equal(hub_db_cards_each(db, "st-b", NULL, 100, count, NULL),
                     ERR_OK);
    assert_int_equal(listed, 2);
    listed = 0;
    assert_int_equal(hub_db_cards_each(db, NULL, "B1", 100, count, NULL),
                     ERR_OK);
    assert_int_equal(listed, 1);
    assert_int_equal(hub_card_office_roster(db, cards, "st-x", &o, NULL, NULL,
                                            &n, msg, sizeof msg),
                     ERR_NOTFOUND);
}

/* ---- serials under concurrency ------------------------------------------- */

#define PER_THREAD 12
#define BY_HUBCTL  10

static void *worker(void *arg)
{
    (void)arg;
    struct hub_db *mine;
    char msg[200];
    if (hub_db_open(store, &mine) != ERR_OK)
        return (void *)1;
    for (int i = 0; i < PER_THREAD; i++) {
        struct hub_card_order o = order('M', "A2");
        struct hub_card_rec r;
        if (hub_card_office_issue(mine, cards, &o, &r, msg, sizeof msg) !=
            ERR_OK) {
            hub_db_close(mine);
            return (void *)1;
        }
    }
    hub_db_close(mine);
    return NULL;
}

static int64_t serial_max;
static int serials[64];
static void note_serial(void *ctx, const struct hub_card_rec *r)
{
    (void)ctx;
    if (r->serial > 0 && r->serial < 64)
        serials[r->serial]++;
    if (r->serial > serial_max)
        serial_max = r->serial;
}

static void serials_never_repeat(void **state)
{
    (void)state;
    /* hubctl card issue in another process, beside two console workers. */
    fflush(NULL);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        if (!freopen("/dev/null", "w", stdout))
            _exit(3);
        for (int i = 0; i < BY_HUBCTL; i++) {
            char *argv[] = { "issue", "M", "A2", "st-a", NULL };
            if (hub_card_cli(cards, 4, argv, NULL, NULL) != 0)
                _exit(1);
        }
        _exit(0);
    }
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, worker, NULL), 0);
    for (int i = 0; i < 2; i++) {
        void *rc;
        pthread_join(t[i], &rc);
        assert_null(rc);
    }
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    /* Every serial the console recorded is distinct, and the signer's
     * last serial counts every card of both programs. */
    memset(serials, 0, sizeof serials);
    serial_max = 0;
    assert_int_equal(hub_db_cards_each(db, NULL, "A2", 100, note_serial,
                                       NULL), ERR_OK);
    for (int i = 0; i < 64; i++)
        assert_true(serials[i] <= 1);
    struct hub_card_order o = order('M', "A2");
    struct hub_card_rec r;
    char msg[200];
    assert_int_equal(hub_card_office_issue(db, cards, &o, &r, msg,
                                           sizeof msg), ERR_OK);
    assert_int_equal(r.serial, 2 * PER_THREAD + BY_HUBCTL + 1);
}

static void pilot_rule(void **state)
{
    (void)state;
    assert_true(hub_bundle_pilot_ok("1.3.0", "1.3.0", ""));
    assert_false(hub_bundle_pilot_ok("1.3.0", "1.2.0", ""));
    assert_false(hub_bundle_pilot_ok("1.3.0", "", ""));
    /* Rolled back from it and then (by a later attempt) back on it. */
    assert_false(hub_bundle_pilot_ok("1.3.0", "1.3.0",
                                     "2026-11-30T08:00:00Z 1.3.0->1.2.0 (x)"));
    /* An older rollback, from another version, does not count. */
    assert_true(hub_bundle_pilot_ok("1.3.0", "1.3.0",
                                    "2026-10-01T08:00:00Z 1.2.0->1.1.0 (x)"));
    assert_false(hub_bundle_pilot_ok("1.3", "1.3", "T 1.3->1.2 (x)"));
    assert_true(hub_bundle_pilot_ok("1.3", "1.3", "T 1.30->1.2 (x)"));
}

static int setup(void **state)
{
    (void)state;
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/hub.db", dir);
    snprintf(store, sizeof store, "%s", hubfx_store(path));
    snprintf(cards, sizeof cards, "%s/cards", dir);
    if (hub_db_open(store, &db) != ERR_OK)
        return -1;
    if (hub_db_station_add(db, "st-a", "A") != ERR_OK ||
        hub_db_station_add(db, "st-b", "B") != ERR_OK)
        return -1;
    member("A1", "st-a", true);
    member("A2", "st-a", true);
    member("A9", "st-a", false);
    member("B1", "st-b", true);
    member("B2", "st-b", true);
    member("B3", "st-b", false);
    struct hub_card *h;
    char kid[CARD_KID_MAX + 1];
    if (hub_card_open(cards, &h) != ERR_OK)
        return -1;
    err_code e = hub_card_init_key(h, kid);
    hub_card_close(h);
    return e == ERR_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    hub_db_close(db);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(issue_record_void),
        cmocka_unit_test(technician_card),
        cmocka_unit_test(roster_and_list),
        cmocka_unit_test(serials_never_repeat),
        cmocka_unit_test(pilot_rule),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
