/* tests/test_ledger_list.c - the ledger's lists for the console
 * (hub/hub_db_ledger_list.c) on the store the tests run against (SQLite,
 * or PostgreSQL under tests/hub_pg_test.sh): every filter in SQL (the
 * user's stations, one station, kind, state, open, overdue, period), the
 * page and the total, newest first; the counts by state; the overdue
 * count a station agreeing with hub_ledger_overdue over every ticket;
 * and a staff step's audit line written in the step's transaction (none
 * for a refused step, none for a kiosk's). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/event.h"
#include "base/ledger.h"
#include "hub/hub_audit.h"
#include "hub/hub_db.h"
#include "hub/hub_db_ledger.h"
#include "hub/hub_db_ledger_list.h"
#include "hub/hub_ledger.h"
#include "sync/proto.h"
#include "tests/support/hub_fixture.h"

#define DAY_MS (24LL * 3600 * 1000)
#define T0     1767225600000LL          /* 2026-01-01 00:00 UTC */

static char dir[] = "/tmp/test_ledger_list.XXXXXX";
static struct hub_db *db;

/* A kiosk's filing, through the upload's own path. */
static void file(const char *station, const char *ticket, const char *kind,
                 const char *type, int64_t at)
{
    struct proto_event ev = { .seq = 1 };
    snprintf(ev.kind, sizeof ev.kind, "%s",
             event_kind_name(EVENT_LEDGER_FILE));
    snprintf(ev.data, sizeof ev.data, "{\"ticket\":\"%s\",\"kind\":\"%s\","
             "\"type\":\"%s\",\"building\":\"3栋\",\"unit\":\"2单元\","
             "\"text\":\"楼道灯坏了\",\"phone\":\"\",\"pin_hash\":\"%064d\"}",
             ticket, kind, type, 0);
    const char *why = NULL;
    assert_int_equal(hub_db_begin(db), ERR_OK);
    assert_int_equal(hub_db_ledger_event(db, station, "k1", &ev, at, &why),
                     ERR_OK);
    assert_null(why);
    assert_int_equal(hub_db_commit(db), ERR_OK);
}

static void step(const char *ticket, enum ledger_step s, const char *to,
                 const char *text, int64_t at)
{
    const char *why = NULL;
    struct hub_ledger_act a = { .step = s, .actor = "staff", .to = to,
                                .text = text, .satisfied = true, .at = at };
    assert_int_equal(hub_db_ledger_act(db, ticket, &a, &why), ERR_OK);
}

struct seen {
    char    tickets[16][LEDGER_TICKET];
    int     n;
};

static void seen_row(void *ctx, const struct hub_ticket *t)
{
    struct seen *s = ctx;
    if (s->n < 16)
        snprintf(s->tickets[s->n++], LEDGER_TICKET, "%s", t->ticket);
}

static int64_t search(const struct hub_ledger_filter *f, struct seen *s)
{
    int64_t total = -1;
    memset(s, 0, sizeof *s);
    assert_int_equal(hub_db_ledger_search(db, f, seen_row, s, &total),
                     ERR_OK);
    return total;
}

/* Five tickets at st-a, two at st-b, over ten days; now is T0 + 20 d. */
static void fill(void)
{
    file("st-a", "A1-1-0001", "request", "safety", T0);           /* 1 d */
    file("st-a", "A1-1-0002", "request", "repair", T0 + DAY_MS);
    file("st-a", "A1-1-0003", "wish", "daily", T0 + 2 * DAY_MS);
    file("st-a", "A1-1-0004", "request", "noise", T0 + 3 * DAY_MS);
    file("st-a", "A1-1-0005", "request", "sanitation", T0 + 9 * DAY_MS);
    file("st-b", "B1-1-0001", "request", "repair", T0 + 4 * DAY_MS);
    file("st-b", "B1-1-0002", "request", "repair", T0 + 19 * DAY_MS);
    step("A1-1-0002", LEDGER_STEP_ACCEPT, NULL, NULL, T0 + DAY_MS + 1);
    step("A1-1-0004", LEDGER_STEP_ACCEPT, NULL, NULL, T0 + 3 * DAY_MS + 1);
    step("A1-1-0004", LEDGER_STEP_ASSIGN, "王师傅", NULL, T0 + 3 * DAY_MS + 2);
    step("A1-1-0004", LEDGER_STEP_ANSWER, NULL, "已修好", T0 + 4 * DAY_MS);
    step("A1-1-0004", LEDGER_STEP_SIGNOFF, NULL, "", T0 + 4 * DAY_MS + 5);
}

static void filters(void **state)
{
    (void)state;
    int64_t now = T0 + 20 * DAY_MS;
    const char *a_only[] = { "st-a" };
    struct seen s;
    struct hub_ledger_filter f = { .now_ms = now };
    /* Every station (an administrator), newest first. */
    assert_int_equal(search(&f, &s), 7);
    assert_string_equal(s.tickets[0], "B1-1-0002");
    assert_string_equal(s.tickets[6], "A1-1-0001");
    /* The user's stations. */
    f.stations = a_only;
    f.n_stations = 1;
    assert_int_equal(search(&f, &s), 5);
    assert_string_equal(s.tickets[0], "A1-1-0005");
    /* An empty scope sees nothing; a station outside it neither. */
    f.n_stations = 0;
    assert_int_equal(search(&f, &s), 0);
    f.n_stations = 1;
    f.station = "st-b";
    assert_int_equal(search(&f, &s), 0);
    f.station = "st-a";
    /* Kind. */
    f.kind = LEDGER_WISH;
    assert_int_equal(search(&f, &s), 1);
    assert_string_equal(s.tickets[0], "A1-1-0003");
    f.kind = 0;
    /* States: one, open (not closed), overdue. */
    f.state = "accepted";
    assert_int_equal(search(&f, &s), 1);
    assert_string_equal(s.tickets[0], "A1-1-0002");
    f.state = "open";
    assert_int_equal(search(&f, &s), 4);
    /* Past deadline and not answered: 0001 (1 d), 0002 (5 d), 0003 (14
     * d: no, filed day 2 + 14 = day 16 < 20: yes), 0005 (day 9 + 3 = 12:
     * yes); 0004 is closed. */
    f.state = "overdue";
    assert_int_equal(search(&f, &s), 4);
    f.state = "nonsense";
    int64_t total;
    assert_int_equal(hub_db_ledger_search(db, &f, seen_row, &s, &total),
                     ERR_INVAL);
    f.state = NULL;
    /* Period: filed on days 1 to 3 (from inclusive, to exclusive). */
    f.from_ms = T0 + DAY_MS;
    f.to_ms = T0 + 3 * DAY_MS;
    assert_int_equal(search(&f, &s), 2);
    assert_string_equal(s.tickets[0], "A1-1-0003");
    f.from_ms = f.to_ms = 0;
    /* A page of two from the third: the total is all that match. */
    f.limit = 2;
    f.offset = 2;
    assert_int_equal(search(&f, &s), 5);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.tickets[0], "A1-1-0003");
    assert_string_equal(s.tickets[1], "A1-1-0002");
}

static void counts(void **state)
{
    (void)state;
    int64_t by[LEDGER_REOPENED + 1], overdue;
    const char *a_only[] = { "st-a" };
    struct hub_ledger_filter f = { .stations = a_only, .n_stations = 1,
                                   .now_ms = T0 + 20 * DAY_MS,
                                   .state = "closed" };  /* ignored */
    assert_int_equal(hub_db_ledger_counts(db, &f, by, &overdue), ERR_OK);
    assert_int_equal(by[LEDGER_REGISTERED], 3);
    assert_int_equal(by[LEDGER_ACCEPTED], 1);
    assert_int_equal(by[LEDGER_CLOSED], 1);
    assert_int_equal(by[LEDGER_ASSIGNED], 0);
    assert_int_equal(overdue, 4);
    f.kind = LEDGER_REQUEST;
    assert_int_equal(hub_db_ledger_counts(db, &f, by, &overdue), ERR_OK);
    assert_int_equal(by[LEDGER_REGISTERED], 2);
    assert_int_equal(overdue, 3);
}

struct per_station {
    int64_t a, b;
};

static void count_row(void *ctx, const char *station, int64_t n)
{
    struct per_station *p = ctx;
    if (strcmp(station, "st-a") == 0)
        p->a += n;
    else if (strcmp(station, "st-b") == 0)
        p->b += n;
}

struct by_rule {
    int64_t now, a, b;
};

static void rule_row(void *ctx, const struct hub_ticket *t)
{
    struct by_rule *r = ctx;
    if (hub_ledger_overdue(t, r->now))
        *(strcmp(t->station, "st-a") == 0 ? &r->a : &r->b) += 1;
}

/* The SQL count and hub_ledger_overdue agree at every moment that
 * matters (before, at and after each deadline). */
static void overdue_count_agrees(void **state)
{
    (void)state;
    for (int d = 0; d <= 30; d++) {
        int64_t now = T0 + d * DAY_MS + (d % 3 == 0 ? 0 : 7);
        struct per_station p = { 0 };
        struct by_rule r = { .now = now };
        assert_int_equal(hub_db_ledger_overdue_count(db, now, count_row, &p),
                         ERR_OK);
        assert_int_equal(hub_db_ledger_each(db, NULL, 0, INT64_MAX, rule_row,
                                            &r), ERR_OK);
        assert_int_equal(p.a, r.a);
        assert_int_equal(p.b, r.b);
    }
}

static int audit_count(const char *action)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct hub_audit_filter flt = { .action = action, .limit = 200 };
    assert_int_equal(hub_audit_csv(db, &flt, f), ERR_OK);
    fclose(f);
    int n = 0;
    for (char *p = buf; (p = strstr(p, action)); p++)
        n++;
    free(buf);
    return n;
}

static void steps_audited(void **state)
{
    (void)state;
    const char *why = NULL;
    int before = audit_count("ticket.accept");
    struct hub_ledger_act a = { .step = LEDGER_STEP_ACCEPT, .actor = "hq",
                                .audit = "hq", .at = T0 + 21 * DAY_MS };
    assert_int_equal(hub_db_ledger_act(db, "B1-1-0001", &a, &why), ERR_OK);
    assert_int_equal(audit_count("ticket.accept"), before + 1);
    /* Its line names the station, so the station's users see it. */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct hub_audit_filter flt = { .action = "ticket.accept",
                                    .object = "station:st-b", .limit = 10 };
    assert_int_equal(hub_audit_csv(db, &flt, f), ERR_OK);
    fclose(f);
    assert_non_null(strstr(buf, "B1-1-0001"));
    assert_non_null(strstr(buf, "registered"));
    free(buf);
    /* Refused (accepted already): no line, nothing changed. */
    assert_int_equal(hub_db_ledger_act(db, "B1-1-0001", &a, &why),
                     ERR_DENIED);
    assert_non_null(why);
    assert_int_equal(audit_count("ticket.accept"), before + 1);
    /* Unknown ticket: no line. */
    assert_int_equal(hub_db_ledger_act(db, "Z9-1-0001", &a, &why),
                     ERR_NOTFOUND);
    assert_int_equal(audit_count("ticket.accept"), before + 1);
    /* An assign audited with its assignee. */
    struct hub_ledger_act as = { .step = LEDGER_STEP_ASSIGN, .actor = "hq",
                                 .to = "李", .audit = "hq",
                                 .at = T0 + 21 * DAY_MS + 1 };
    assert_int_equal(hub_db_ledger_act(db, "B1-1-0001", &as, &why), ERR_OK);
    assert_int_equal(audit_count("ticket.assign"), 1);
}

static int setup(void **state)
{
    (void)state;
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/hub.db", dir);
    if (hub_db_open(hubfx_store(path), &db) != ERR_OK)
        return -1;
    int n = 0;
    FILE *sink = fopen("/dev/null", "w");
    err_code e = hub_ledger_types_load(db, "assets/demo/ledger_types.json",
                                       sink, &n);
    fclose(sink);
    if (e != ERR_OK || hub_db_station_add(db, "st-a", "A") != ERR_OK ||
        hub_db_station_add(db, "st-b", "B") != ERR_OK)
        return -1;
    fill();
    return 0;
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
        cmocka_unit_test(filters),
        cmocka_unit_test(counts),
        cmocka_unit_test(overdue_count_agrees),
        cmocka_unit_test(steps_audited),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
