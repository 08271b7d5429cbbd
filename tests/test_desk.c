/* tests/test_desk.c - the duty desk at the kiosk (firmware/desk.h): who
 * may open it, a visitor logged with each outcome (one event, one row,
 * and a ticket when passed on, all or nothing), and the shift credited
 * as service once per member and day. The demo station has HQ0021 on
 * today's roster and HQ0001 on no shift. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "firmware/desk.h"
#include "firmware/service.h"
#include "firmware/visit.h"
#include "tests/support/fixture.h"

static err_code fixed_random(void *buf, size_t n)
{
    memset(buf, 7, n);
    return ERR_OK;
}

static uint64_t last_seq(struct store *s)
{
    uint64_t n;
    assert_int_equal(store_last_seq(s, &n), ERR_OK);
    return n;
}

static struct event event_at(struct store *s, uint64_t seq)
{
    struct event ev[1];
    size_t n;
    assert_int_equal(store_events_after(s, seq - 1, ev, 1, &n), ERR_OK);
    assert_int_equal(n, 1);
    return ev[0];
}

static void only_todays_checked_in_duty_member_opens_it(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct visit_result r;
    enum desk_refusal why;

    (void)state;
    assert_int_equal(desk_open(f->store, &f->cfg, "HQ0001", &t, &why, NULL),
                     ERR_DENIED);
    assert_int_equal(why, DESK_NOT_ON_DUTY);
    assert_int_equal(desk_open(f->store, &f->cfg, "HQ9999", &t, &why, NULL),
                     ERR_DENIED);
    assert_int_equal(why, DESK_UNKNOWN_MEMBER);
    /* On the roster but not checked in: told to check in first. */
    assert_int_equal(desk_open(f->store, &f->cfg, "HQ0021", &t, &why, NULL),
                     ERR_DENIED);
    assert_int_equal(why, DESK_NOT_CHECKED_IN);
    assert_int_equal(visit_check_in(f->store, &f->cfg, "HQ0021", &t, &r),
                     ERR_OK);
    t = fixture_plus(t, 5);
    assert_int_equal(desk_open(f->store, &f->cfg, "HQ0021", &t, &why, NULL),
                     ERR_OK);
    assert_int_equal(why, DESK_OK);
    /* Checked in, but the other member of no shift still may not. */
    assert_int_equal(visit_check_in(f->store, &f->cfg, "HQ0001", &t, &r),
                     ERR_OK);
    assert_int_equal(desk_open(f->store, &f->cfg, "HQ0001", &t, &why, NULL),
                     ERR_DENIED);
    assert_int_equal(why, DESK_NOT_ON_DUTY);
    fixture_free(f);
}

static void visitor_outcomes_are_stored_with_their_event(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct visit_result r;
    enum desk_refusal no;
    const char *why;
    struct desk_logged out;
    struct visitor_row rows[4];
    struct ticket tk;
    size_t n;

    (void)state;
    ticket_set_random(fixed_random);
    visit_check_in(f->store, &f->cfg, "HQ0021", &t, &r);
    t = fixture_plus(t, 10);
    struct desk_visitor done = { .member_no = "HQ0021", .type = "policy",
        .building = "3号楼", .unit = "2单元", .text = "咨询医保报销",
        .outcome = DESK_DONE };
    assert_int_equal(desk_log_visitor(f->store, &f->cfg, &done, &t, &no,
                                      &why, &out), ERR_OK);
    struct event ev = event_at(f->store, out.seq);
    assert_int_equal(ev.kind, EVENT_VISITOR);
    assert_string_equal(ev.member_no, "HQ0021");
    assert_non_null(strstr(ev.data, "\"outcome\":\"done\""));
    assert_non_null(strstr(ev.data, "\"day\":\"2026-11-20\""));
    assert_string_equal(out.filed.ticket, "");

    /* Passed on: a request ticket filed first, named by the visitor. */
    t = fixture_plus(t, 10);
    struct desk_visitor pass = done;
    pass.type = "repair";
    pass.text = "楼道灯坏了";
    pass.outcome = DESK_PASSED_ON;
    uint64_t before = last_seq(f->store);
    assert_int_equal(desk_log_visitor(f->store, &f->cfg, &pass, &t, &no,
                                      &why, &out), ERR_OK);
    assert_int_equal(out.seq, before + 2);
    assert_int_equal(event_at(f->store, before + 1).kind, EVENT_LEDGER_FILE);
    assert_true(out.filed.ticket[0] != '\0');
    assert_int_equal(strlen(out.filed.pin), 4);
    assert_int_equal(store_ticket_get(f->store, out.filed.ticket, &tk),
                     ERR_OK);
    assert_string_equal(tk.type, "repair");
    assert_string_equal(tk.text, "楼道灯坏了");
    assert_non_null(strstr(event_at(f->store, out.seq).data,
                           out.filed.ticket));

    /* Cannot: the reason is required, and kept. */
    t = fixture_plus(t, 10);
    struct desk_visitor cannot = done;
    cannot.outcome = DESK_CANNOT;
    before = last_seq(f->store);
    assert_int_equal(desk_log_visitor(f->store, &f->cfg, &cannot, &t, &no,
                                      &why, &out), ERR_INVAL);
    assert_string_equal(why, "reason missing");
    assert_int_equal(last_seq(f->store), before);
    cannot.reason = "不属于社区职责";
    assert_int_equal(desk_log_visitor(f->store, &f->cfg, &cannot, &t, &no,
                                      &why, &out), ERR_OK);

    /* An unknown matter type stores nothing, nor a ticket. */
    struct desk_visitor bad = pass;
    bad.type = "nope";
    before = last_seq(f->store);
    assert_int_equal(desk_log_visitor(f->store, &f->cfg, &bad, &t, &no,
                                      &why, &out), ERR_INVAL);
    assert_string_equal(why, "unknown type");
    assert_int_equal(last_seq(f->store), before);

    int64_t day = clock_local_day(t.wall_ms, f->cfg.utc_offset_minutes);
    assert_int_equal(store_visitors_day(f->store, day, rows, 4, &n), ERR_OK);
    assert_int_equal(n, 3);
    assert_int_equal(rows[0].outcome, DESK_DONE);
    assert_int_equal(rows[1].outcome, DESK_PASSED_ON);
    assert_string_equal(rows[1].ticket, tk.ticket);
    assert_int_equal(rows[2].outcome, DESK_CANNOT);
    assert_string_equal(rows[2].reason, "不属于社区职责");
    assert_int_equal(store_visitors_day(f->store, day + 1, rows, 4, &n),
                     ERR_OK);
    assert_int_equal(n, 0);
    ticket_set_random(NULL);
    fixture_free(f);
}

static void not_on_duty_logs_nothing(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct visit_result r;
    enum desk_refusal no;
    const char *why;
    struct desk_logged out;

    (void)state;
    visit_check_in(f->store, &f->cfg, "HQ0001", &t, &r);
    uint64_t before = last_seq(f->store);
    struct desk_visitor v = { .member_no = "HQ0001", .type = "repair",
        .building = "", .unit = "", .text = "楼道灯坏了",
        .outcome = DESK_PASSED_ON };
    assert_int_equal(desk_log_visitor(f->store, &f->cfg, &v, &t, &no, &why,
                                      &out), ERR_DENIED);
    assert_int_equal(no, DESK_NOT_ON_DUTY);
    assert_int_equal(last_seq(f->store), before);
    /* The duty member who checked out in between is refused too. */
    visit_check_in(f->store, &f->cfg, "HQ0021", &t, &r);
    t = fixture_plus(t, 30);
    visit_check_out(f->store, &f->cfg, "HQ0021", &t, &r);
    before = last_seq(f->store);
    v.member_no = "HQ0021";
    assert_int_equal(desk_log_visitor(f->store, &f->cfg, &v, &t, &no, &why,
                                      &out), ERR_DENIED);
    assert_int_equal(no, DESK_NOT_CHECKED_IN);
    assert_int_equal(last_seq(f->store), before);
    fixture_free(f);
}

static void shift_is_credited_once_on_check_out(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct visit_result r;
    struct service_log logs[4];
    size_t n;

    (void)state;
    int64_t day = clock_local_day(t.wall_ms, f->cfg.utc_offset_minutes);
    assert_int_equal(visit_check_in(f->store, &f->cfg, "HQ0021", &t, &r),
                     ERR_OK);
    t = fixture_plus(t, 180);
    assert_int_equal(visit_check_out(f->store, &f->cfg, "HQ0021", &t, &r),
                     ERR_OK);
    assert_int_equal(r.outcome, VISIT_CHECKED_OUT);
    assert_int_equal(r.duty_seq, r.seq + 1);
    struct event ev = event_at(f->store, r.duty_seq);
    assert_int_equal(ev.kind, EVENT_SERVICE_LOG);
    assert_non_null(strstr(ev.data, "\"category\":\"duty_desk\""));
    assert_non_null(strstr(ev.data, "\"minutes\":180"));
    assert_int_equal(store_logs_for(f->store, "HQ0021", day, day + 1, logs,
                                    4, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_string_equal(logs[0].category, "duty_desk");
    assert_int_equal(logs[0].status, LOG_PENDING);
    assert_int_equal(logs[0].minutes, 180);

    /* Back in the afternoon and out again: the day is credited already. */
    t = fixture_plus(t, 120);
    visit_check_in(f->store, &f->cfg, "HQ0021", &t, &r);
    t = fixture_plus(t, 60);
    assert_int_equal(visit_check_out(f->store, &f->cfg, "HQ0021", &t, &r),
                     ERR_OK);
    assert_int_equal(r.duty_seq, 0);
    assert_int_equal(store_logs_for(f->store, "HQ0021", day, day + 1, logs,
                                    4, &n), ERR_OK);
    assert_int_equal(n, 1);

    /* A member of no shift is credited nothing; nor a short stop. */
    visit_check_in(f->store, &f->cfg, "HQ0001", &t, &r);
    t = fixture_plus(t, 90);
    visit_check_out(f->store, &f->cfg, "HQ0001", &t, &r);
    assert_int_equal(r.duty_seq, 0);
    fixture_free(f);
}

static void a_short_visit_or_one_closed_by_rule_credits_nothing(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct visit_result r;
    int closed;

    (void)state;
    visit_check_in(f->store, &f->cfg, "HQ0021", &t, &r);
    t = fixture_plus(t, SERVICE_MIN_MINUTES - 1);
    visit_check_out(f->store, &f->cfg, "HQ0021", &t, &r);
    assert_int_equal(r.duty_seq, 0);
    /* Left open overnight: closed by rule, flagged, and not credited. */
    visit_check_in(f->store, &f->cfg, "HQ0021", &t, &r);
    t = fixture_plus(t, 24 * 60);
    assert_int_equal(visit_close_stale(f->store, &f->cfg, &t, &closed),
                     ERR_OK);
    assert_int_equal(closed, 1);
    uint64_t n;
    assert_int_equal(store_last_seq(f->store, &n), ERR_OK);
    assert_int_equal(event_at(f->store, n).kind, EVENT_CHECK_OUT);
    struct service_log logs[2];
    size_t k;
    assert_int_equal(store_logs_for(f->store, "HQ0021", 0, INT64_MAX, logs,
                                    2, &k), ERR_OK);
    assert_int_equal(k, 0);
    fixture_free(f);
}

static void members_cannot_log_the_duty_desk_by_hand(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    enum service_refusal why;
    struct service_request rq = { .member_no = "HQ0021",
                                  .category = "duty_desk", .minutes = 60 };

    (void)state;
    assert_int_equal(service_log(f->store, &f->cfg, &rq, &t, &why, NULL),
                     ERR_INVAL);
    assert_int_equal(why, SERVICE_UNKNOWN_CATEGORY);
    const struct service_category *c = service_category_find("duty_desk");
    assert_non_null(c);
    assert_string_equal(c->zh, "值班接待");
    assert_string_equal(c->en, "Duty desk");
    assert_true(c->by_rule);
    fixture_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(only_todays_checked_in_duty_member_opens_it),
        cmocka_unit_test(visitor_outcomes_are_stored_with_their_event),
        cmocka_unit_test(not_on_duty_logs_nothing),
        cmocka_unit_test(shift_is_credited_once_on_check_out),
        cmocka_unit_test(a_short_visit_or_one_closed_by_rule_credits_nothing),
        cmocka_unit_test(members_cannot_log_the_duty_desk_by_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
