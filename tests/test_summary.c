/* tests/test_summary.c - My record's numbers: periods, confirmations from
 * the hub, posts and next shifts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "firmware/service.h"
#include "firmware/summary.h"
#include "firmware/visit.h"
#include "tests/support/fixture.h"
#include "tests/support/page.h"

static void log_at(struct fixture *f, struct stamp t, const char *cat,
                   int minutes, int days_ago, uint64_t *seq)
{
    struct service_request req = { "HQ0001", cat, minutes, days_ago, NULL,
                                   NULL, NULL };
    enum service_refusal why;
    struct service_log l;

    assert_int_equal(service_log(f->store, &f->cfg, &req, &t, &why, &l),
                     ERR_OK);
    if (seq)
        *seq = l.seq;
}

static void confirm(struct fixture *f, uint64_t seq, const char *status,
                    int points)
{
    char page[256];

    snprintf(page, sizeof page, "{\"changes\":[{\"type\":\"log_status\","
             "\"op\":\"put\",\"key\":\"%llu\",\"data\":{\"seq\":%llu,"
             "\"status\":\"%s\",\"points\":%d}}],\"cursor\":\"x\","
             "\"more\":false,\"hub_time_ms\":0}", (unsigned long long)seq,
             (unsigned long long)seq, status, points);
    assert_int_equal(page_apply(f->store, page, strlen(page), "x"),
                     ERR_OK);
}

static void totals_split_by_month_quarter_year(void **state)
{
    /* Logged on 2026-11-05 (Q4), 2026-08-10 (Q3) and confirmed. */
    struct stamp aug = fixture_at(2026, 8, 10, 10, 0);
    struct stamp nov = fixture_at(2026, 11, 5, 10, 0);
    struct stamp now = fixture_at(2026, 11, 20, 10, 0);
    struct fixture *f = fixture_new(1, &now);
    struct member_summary m;
    uint64_t a, b, c;

    (void)state;
    log_at(f, aug, "patrol", 120, 0, &a);
    log_at(f, nov, "mediation", 60, 0, &b);
    log_at(f, now, "environment", 30, 1, &c);    /* stays pending */
    confirm(f, a, "confirmed", 4);
    confirm(f, b, "confirmed", 2);
    assert_int_equal(summary_for(f->store, &f->cfg, "HQ0001", &now, &m),
                     ERR_OK);
    assert_int_equal(m.month.service_minutes, 60);
    assert_int_equal(m.month.points, 2);
    assert_int_equal(m.month.pending_minutes, 30);
    assert_int_equal(m.quarter.service_minutes, 60);
    assert_int_equal(m.year.service_minutes, 180);
    assert_int_equal(m.year.points, 6);
    assert_int_equal(m.n_pending, 1);
    assert_int_equal(m.n_logs, 3);
    assert_int_equal(m.logs[0].seq, c);          /* newest day first */
    fixture_free(f);
}

/* The hub's count (every station's confirmed logs, the star board's
 * figure) replaces this kiosk's own, for the periods that still hold
 * today; one counted last month is not this month's. */
static void hub_totals_replace_local_points_in_their_period(void **state)
{
    struct stamp now = fixture_at(2026, 11, 20, 10, 0);
    struct fixture *f = fixture_new(1, &now);
    struct member_summary m;
    uint64_t a;
    char page[512];

    (void)state;
    log_at(f, now, "patrol", 120, 0, &a);
    confirm(f, a, "confirmed", 4);
    snprintf(page, sizeof page, "{\"changes\":[{\"type\":\"member_total\","
             "\"op\":\"put\",\"key\":\"HQ0001\",\"data\":{\"as_of\":"
             "\"%s\",\"month_points\":61,\"month_rank\":7,"
             "\"quarter_points\":70,\"quarter_rank\":0,"
             "\"year_points\":90,\"year_rank\":2}}],\"cursor\":\"y\","
             "\"more\":false,\"hub_time_ms\":0}", "2026-11-19");
    assert_int_equal(page_apply(f->store, page, strlen(page), "y"), ERR_OK);
    assert_int_equal(summary_for(f->store, &f->cfg, "HQ0001", &now, &m),
                     ERR_OK);
    assert_true(m.month.from_hub);
    assert_int_equal(m.month.points, 61);
    assert_int_equal(m.month.rank, 7);
    assert_int_equal(m.quarter.points, 70);
    assert_int_equal(m.quarter.rank, 0);
    assert_int_equal(m.year.points, 90);
    assert_int_equal(m.month.service_minutes, 120);    /* minutes: local */
    /* Counted in October: the month is this kiosk's own again, the
     * quarter and year still the hub's. */
    snprintf(page, sizeof page, "{\"changes\":[{\"type\":\"member_total\","
             "\"op\":\"put\",\"key\":\"HQ0001\",\"data\":{\"as_of\":"
             "\"%s\",\"month_points\":50,\"quarter_points\":60,"
             "\"year_points\":80}}],\"cursor\":\"z\","
             "\"more\":false,\"hub_time_ms\":0}", "2026-10-31");
    assert_int_equal(page_apply(f->store, page, strlen(page), "z"), ERR_OK);
    assert_int_equal(summary_for(f->store, &f->cfg, "HQ0001", &now, &m),
                     ERR_OK);
    assert_false(m.month.from_hub);
    assert_int_equal(m.month.points, 4);
    assert_true(m.quarter.from_hub);
    assert_int_equal(m.quarter.points, 60);
    assert_int_equal(m.year.points, 80);
    fixture_free(f);
}

static void rejected_log_earns_nothing(void **state)
{
    struct stamp now = fixture_at(2026, 11, 20, 10, 0);
    struct fixture *f = fixture_new(1, &now);
    struct member_summary m;
    uint64_t a;

    (void)state;
    log_at(f, now, "patrol", 120, 0, &a);
    confirm(f, a, "rejected", 0);
    summary_for(f->store, &f->cfg, "HQ0001", &now, &m);
    assert_int_equal(m.year.service_minutes, 0);
    assert_int_equal(m.year.pending_minutes, 0);
    assert_int_equal(m.logs[0].status, LOG_REJECTED);
    fixture_free(f);
}

static void station_minutes_count_closed_visits(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct member_summary m;
    struct visit_result r;

    (void)state;
    visit_check_in(f->store, &f->cfg, "HQ0001", &t, &r);
    t = fixture_plus(t, 75);
    visit_check_out(f->store, &f->cfg, "HQ0001", &t, &r);
    t = fixture_plus(t, 10);
    visit_check_in(f->store, &f->cfg, "HQ0001", &t, &r);
    assert_int_equal(summary_for(f->store, &f->cfg, "HQ0001", &t, &m),
                     ERR_OK);
    assert_int_equal(m.month.visit_minutes, 75);
    assert_int_equal(m.year.visit_minutes, 75);
    assert_true(m.checked_in);
    assert_int_equal(m.checked_in_ms, t.wall_ms);
    fixture_free(f);
}

static void posts_and_next_shifts_are_listed(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct duty_shift all[64];
    struct member_summary m;
    int64_t today = clock_local_day(t.wall_ms, 480);
    size_t n;

    (void)state;
    /* Pick a member with a shift this week, then ask for their page. */
    assert_int_equal(store_shifts(f->store, today, today + 7, NULL, all, 64,
                                  &n), ERR_OK);
    assert_true(n >= 14);
    assert_int_equal(summary_for(f->store, &f->cfg, all[0].member_no, &t, &m),
                     ERR_OK);
    assert_true(m.n_shifts >= 1);
    assert_int_equal(m.shifts[0].day, today);
    assert_int_equal(summary_for(f->store, &f->cfg, "HQ0042", &t, &m),
                     ERR_OK);
    assert_true(m.n_posts >= 1);
    assert_string_equal(m.posts[0].name, "财务监督岗");
    assert_int_equal(summary_for(f->store, &f->cfg, "nobody", &t, &m),
                     ERR_NOTFOUND);
    fixture_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(totals_split_by_month_quarter_year),
        cmocka_unit_test(rejected_log_earns_nothing),
        cmocka_unit_test(hub_totals_replace_local_points_in_their_period),
        cmocka_unit_test(station_minutes_count_closed_visits),
        cmocka_unit_test(posts_and_next_shifts_are_listed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
