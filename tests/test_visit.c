/* tests/test_visit.c - check-in, check-out, registration and the rule for
 * visits left open. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "firmware/visit.h"
#include "tests/support/fixture.h"
#include "tests/support/page.h"

static uint64_t event_count(struct store *s)
{
    uint64_t n;
    assert_int_equal(store_last_seq(s, &n), ERR_OK);
    return n;
}

static struct event last_event(struct store *s)
{
    struct event ev[1];
    size_t n;
    uint64_t last = event_count(s);
    assert_int_equal(store_events_after(s, last - 1, ev, 1, &n), ERR_OK);
    assert_int_equal(n, 1);
    return ev[0];
}

static void check_in_stores_event_with_full_stamp(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct visit_result r;
    struct event ev;

    (void)state;
    t.clock_trusted = false;
    assert_int_equal(visit_check_in(f->store, &f->cfg, "HQ0001", &t, &r),
                     ERR_OK);
    assert_int_equal(r.outcome, VISIT_CHECKED_IN);
    assert_string_equal(r.member.name, "吴桂芳");
    ev = last_event(f->store);
    assert_int_equal(ev.seq, r.seq);
    assert_int_equal(ev.kind, EVENT_CHECK_IN);
    assert_string_equal(ev.member_no, "HQ0001");
    assert_int_equal(ev.at.wall_ms, t.wall_ms);
    assert_false(ev.at.clock_trusted);
    assert_string_equal(ev.at.boot_id, "boot-a");
    assert_int_equal(ev.at.mono_ms, t.mono_ms);
    fixture_free(f);
}

static void second_check_in_is_answered_not_stored(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct visit_result r;

    (void)state;
    visit_check_in(f->store, &f->cfg, "HQ0001", &t, &r);
    t = fixture_plus(t, 30);
    assert_int_equal(visit_check_in(f->store, &f->cfg, "HQ0001", &t, &r),
                     ERR_OK);
    assert_int_equal(r.outcome, VISIT_ALREADY_IN);
    assert_int_equal(r.seq, 0);
    assert_int_equal(r.visit.in_ms, fixture_at(2026, 11, 20, 9, 0).wall_ms);
    assert_int_equal(event_count(f->store), 1);
    fixture_free(f);
}

static void check_out_computes_whole_minutes(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct visit_result r;
    struct event ev;

    (void)state;
    visit_check_in(f->store, &f->cfg, "HQ0002", &t, &r);
    t = fixture_plus(t, 95);
    t.wall_ms += 59000;                        /* 95 min 59 s is 95 min */
    t.mono_ms += 59000;
    assert_int_equal(visit_check_out(f->store, &f->cfg, "HQ0002", &t, &r),
                     ERR_OK);
    assert_int_equal(r.outcome, VISIT_CHECKED_OUT);
    assert_int_equal(r.visit.minutes, 95);
    assert_false(r.visit.auto_closed);
    ev = last_event(f->store);
    assert_int_equal(ev.kind, EVENT_CHECK_OUT);
    assert_non_null(strstr(ev.data, "\"minutes\":95"));
    assert_non_null(strstr(ev.data, "\"auto_closed\":false"));
    fixture_free(f);
}

static void check_out_with_no_open_visit_stores_nothing(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct visit_result r;

    (void)state;
    assert_int_equal(visit_check_out(f->store, &f->cfg, "HQ0003", &t, &r),
                     ERR_OK);
    assert_int_equal(r.outcome, VISIT_NOT_IN);
    assert_int_equal(event_count(f->store), 0);
    fixture_free(f);
}

static void unknown_member_is_refused_and_nothing_stored(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct visit_result r;

    (void)state;
    assert_int_equal(visit_check_in(f->store, &f->cfg, "XX9999", &t, &r),
                     ERR_NOTFOUND);
    assert_int_equal(visit_scan(f->store, &f->cfg, "", &t, &r), ERR_NOTFOUND);
    assert_int_equal(event_count(f->store), 0);
    fixture_free(f);
}

static void inactive_member_is_denied(void **state)
{
    static const char page[] = "{\"changes\":[{\"type\":\"member\","
        "\"op\":\"put\",\"key\":\"HQ0001\",\"data\":{\"name\":\"吴桂芳\","
        "\"active\":false}}],\"cursor\":\"c1\",\"more\":false,"
        "\"hub_time_ms\":0}";
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct visit_result r;

    (void)state;
    assert_int_equal(page_apply(f->store, page, strlen(page), "c1"),
                     ERR_OK);
    assert_int_equal(visit_scan(f->store, &f->cfg, "HQ0001", &t, &r),
                     ERR_DENIED);
    assert_int_equal(event_count(f->store), 0);
    fixture_free(f);
}

static void scan_toggles_and_ignores_double_reads(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct visit_result r;

    (void)state;
    f->cfg.duplicate_scan_seconds = 60;
    visit_scan(f->store, &f->cfg, "HQ0004", &t, &r);
    assert_int_equal(r.outcome, VISIT_CHECKED_IN);
    t.wall_ms += 2000;                          /* the scanner reads twice */
    t.mono_ms += 2000;
    visit_scan(f->store, &f->cfg, "HQ0004", &t, &r);
    assert_int_equal(r.outcome, VISIT_ALREADY_IN);
    t = fixture_plus(t, 40);
    visit_scan(f->store, &f->cfg, "HQ0004", &t, &r);
    assert_int_equal(r.outcome, VISIT_CHECKED_OUT);
    assert_int_equal(r.visit.minutes, 40);
    t.wall_ms += 3000;
    t.mono_ms += 3000;
    visit_scan(f->store, &f->cfg, "HQ0004", &t, &r);
    assert_int_equal(r.outcome, VISIT_ALREADY_OUT);
    t = fixture_plus(t, 5);
    visit_scan(f->store, &f->cfg, "HQ0004", &t, &r);
    assert_int_equal(r.outcome, VISIT_CHECKED_IN);
    assert_int_equal(event_count(f->store), 3);
    fixture_free(f);
}

static void visit_open_past_midnight_is_closed_by_rule(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 16, 0);
    struct fixture *f = fixture_new(1, &t);
    struct visit_result r;
    struct event ev;

    (void)state;
    f->cfg.stale_visit_credit_minutes = 60;
    visit_check_in(f->store, &f->cfg, "HQ0005", &t, &r);
    t = fixture_at(2026, 11, 21, 8, 30);        /* forgot to check out */
    assert_int_equal(visit_scan(f->store, &f->cfg, "HQ0005", &t, &r), ERR_OK);
    /* Yesterday's visit is closed by rule and today's scan checks in. */
    assert_int_equal(r.stale_closed, 1);
    assert_int_equal(r.outcome, VISIT_CHECKED_IN);
    assert_int_equal(store_visit_last(f->store, "HQ0005", &r.visit), ERR_OK);
    assert_int_equal(r.visit.out_ms, 0);
    assert_int_equal(event_count(f->store), 3);
    ev = last_event(f->store);
    assert_int_equal(ev.kind, EVENT_CHECK_IN);
    fixture_free(f);
}

static void check_out_after_limit_credits_fixed_amount_and_flags(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 8, 0);
    struct fixture *f = fixture_new(1, &t);
    struct visit_result r;

    (void)state;
    f->cfg.max_visit_minutes = 600;
    f->cfg.stale_visit_credit_minutes = 60;
    visit_check_in(f->store, &f->cfg, "HQ0006", &t, &r);
    t = fixture_plus(t, 700);
    assert_int_equal(visit_check_out(f->store, &f->cfg, "HQ0006", &t, &r),
                     ERR_OK);
    assert_int_equal(r.outcome, VISIT_CHECKED_OUT);
    assert_int_equal(r.visit.minutes, 60);
    assert_true(r.visit.auto_closed);
    assert_non_null(strstr(last_event(f->store).data, "\"auto_closed\":true"));
    fixture_free(f);
}

static void close_stale_closes_only_stale_visits(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 10, 0);
    struct fixture *f = fixture_new(1, &t);
    struct visit_result r;
    int closed;

    (void)state;
    visit_check_in(f->store, &f->cfg, "HQ0007", &t, &r);
    t = fixture_at(2026, 11, 20, 23, 0);
    visit_check_in(f->store, &f->cfg, "HQ0008", &t, &r);
    t = fixture_at(2026, 11, 21, 0, 30);
    assert_int_equal(visit_close_stale(f->store, &f->cfg, &t, &closed),
                     ERR_OK);
    assert_int_equal(closed, 2);           /* both crossed midnight */
    assert_int_equal(visit_close_stale(f->store, &f->cfg, &t, &closed),
                     ERR_OK);
    assert_int_equal(closed, 0);
    t = fixture_plus(t, 1);
    visit_check_in(f->store, &f->cfg, "HQ0009", &t, &r);
    t = fixture_plus(t, 30);
    visit_close_stale(f->store, &f->cfg, &t, &closed);
    assert_int_equal(closed, 0);
    fixture_free(f);
}

static void duration_survives_wall_clock_jump_on_same_boot(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct visit_result r;

    (void)state;
    visit_check_in(f->store, &f->cfg, "HQ0010", &t, &r);
    /* NTP corrects the clock by -3 h while the member is inside. */
    t.mono_ms += 50 * 60000;
    t.wall_ms += 50 * 60000 - 3 * 3600000;
    visit_check_out(f->store, &f->cfg, "HQ0010", &t, &r);
    assert_int_equal(r.outcome, VISIT_CHECKED_OUT);
    assert_int_equal(r.visit.minutes, 50);
    fixture_free(f);
}

static void registration_is_recorded_once(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct visit_result r;

    (void)state;
    assert_int_equal(visit_register(f->store, &f->cfg, "HQ0011", &t, &r),
                     ERR_OK);
    assert_int_equal(r.outcome, VISIT_REGISTERED);
    assert_int_equal(last_event(f->store).kind, EVENT_REGISTRATION);
    visit_register(f->store, &f->cfg, "HQ0011", &t, &r);
    assert_int_equal(r.outcome, VISIT_ALREADY_REGISTERED);
    assert_int_equal(event_count(f->store), 1);
    fixture_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(check_in_stores_event_with_full_stamp),
        cmocka_unit_test(second_check_in_is_answered_not_stored),
        cmocka_unit_test(check_out_computes_whole_minutes),
        cmocka_unit_test(check_out_with_no_open_visit_stores_nothing),
        cmocka_unit_test(unknown_member_is_refused_and_nothing_stored),
        cmocka_unit_test(inactive_member_is_denied),
        cmocka_unit_test(scan_toggles_and_ignores_double_reads),
        cmocka_unit_test(visit_open_past_midnight_is_closed_by_rule),
        cmocka_unit_test(check_out_after_limit_credits_fixed_amount_and_flags),
        cmocka_unit_test(close_stale_closes_only_stale_visits),
        cmocka_unit_test(duration_survives_wall_clock_jump_on_same_boot),
        cmocka_unit_test(registration_is_recorded_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
