/* tests/test_controller.c - the one rule for "a line was scanned" or "a
 * member number was given", through the real store: cards issued by the
 * hub's own code (hub_card) and synced as a change page, the demo roster,
 * and each outcome the UI and kioskctl show. Outcomes that store nothing
 * are checked to store nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/log.h"
#include "base/xmalloc.h"
#include "firmware/controller.h"
#include "hub/hub_card.h"
#include "tests/support/fixture.h"
#include "tests/support/page.h"

#define STATION "sq-hongqi-01"

struct env {
    struct fixture    *f;
    struct hub_card   *hub;
    struct controller *ctl;
    struct stamp       now;         /* 2026-11-23 10:00 local, trusted */
    int64_t            today;
};

static int setup(void **state)
{
    struct env *e = calloc(1, sizeof *e);
    char dir[400], kid[CARD_KID_MAX + 1], *page;

    log_set_level(LOG_LVL_ERROR);
    e->now = fixture_at(2026, 11, 23, 10, 0);
    e->today = clock_local_day(e->now.wall_ms, 480);
    e->f = fixture_new(1, &e->now);
    str_copy(e->f->cfg.station_id, sizeof e->f->cfg.station_id, STATION);
    snprintf(dir, sizeof dir, "%s/hub", e->f->dir);
    if (hub_card_open(dir, &e->hub) != ERR_OK ||
        hub_card_init_key(e->hub, kid) != ERR_OK)
        return -1;
    page = hub_card_page_json(e->hub, "cards-1", e->now.wall_ms);
    if (page == NULL || page_apply(e->f->store, page, strlen(page),
                                        "cards-1") != ERR_OK)
        return -1;
    free(page);
    if (controller_create(&e->f->cfg, e->f->store, &e->ctl) != ERR_OK)
        return -1;
    *state = e;
    return 0;
}

static int teardown(void **state)
{
    struct env *e = *state;

    controller_destroy(e->ctl);
    hub_card_close(e->hub);
    fixture_free(e->f);
    free(e);
    return 0;
}

/* A card of kind 'M', 'R' or 'T' for this station, valid from `from` to
 * `to` days around today. */
static void card_for(struct env *e, char kind, const char *id, int from,
                     int to, char *text)
{
    struct hub_card_request rq = { (enum card_kind)kind, id, STATION,
                                   e->today + from, e->today + to };
    struct card c;

    assert_int_equal(hub_card_issue(e->hub, &rq, text, CARD_TEXT_MAX + 1,
                                    &c), ERR_OK);
}

static uint64_t last_seq(struct env *e)
{
    uint64_t seq = 0;

    assert_int_equal(store_last_seq(e->f->store, &seq), ERR_OK);
    return seq;
}

static void expect_kind(const struct controller_outcome *o,
                        enum controller_kind want)
{
    if (o->kind != want)
        fail_msg("got %s, want %s", controller_kind_name(o->kind),
                 controller_kind_name(want));
}

/* Scan at `at`; the outcome is `want` and nothing was stored. */
static void scan_stores_nothing(struct env *e, const char *line,
                                const struct stamp *at,
                                enum controller_action act,
                                enum controller_kind want,
                                struct controller_outcome *o)
{
    uint64_t before = last_seq(e);

    assert_int_equal(controller_scan(e->ctl, at, line, act, o), ERR_OK);
    expect_kind(o, want);
    assert_true(o->seq == 0);
    assert_true(last_seq(e) == before);
}

static void card_checks_in_then_out_with_double_reads_ignored(void **state)
{
    struct env *e = *state;
    char card[CARD_TEXT_MAX + 1];
    struct controller_outcome o;
    struct stamp t = e->now;

    card_for(e, 'M', "HQ0001", -10, 300, card);
    assert_int_equal(controller_scan(e->ctl, &t, card, CONTROLLER_TOGGLE,
                                     &o), ERR_OK);
    expect_kind(&o, CONTROLLER_CHECKED_IN);
    assert_string_equal(o.member_no, "HQ0001");
    assert_string_equal(o.name, "吴桂芳");
    assert_int_equal(o.cred.kind, CRED_MEMBER_CARD);
    assert_string_equal(o.cred.card_id, "M.HQ0001.1");
    assert_true(o.seq != 0 && o.seq == last_seq(e));
    /* The scanner reads the card again 20 s later: one action. */
    t.wall_ms += 20000;
    t.mono_ms += 20000;
    scan_stores_nothing(e, card, &t, CONTROLLER_TOGGLE,
                        CONTROLLER_ALREADY_IN, &o);
    assert_string_equal(o.name, "吴桂芳");
    /* 95 minutes after the check-in: out, with the visit's length. */
    t = fixture_plus(e->now, 95);
    assert_int_equal(controller_scan(e->ctl, &t, card, CONTROLLER_TOGGLE,
                                     &o), ERR_OK);
    expect_kind(&o, CONTROLLER_CHECKED_OUT);
    assert_int_equal(o.minutes, 95);
    assert_false(o.auto_closed);
    assert_true(o.seq != 0 && o.seq == last_seq(e));
    /* And read again at once: already out, nothing stored. */
    t.wall_ms += 5000;
    t.mono_ms += 5000;
    scan_stores_nothing(e, card, &t, CONTROLLER_TOGGLE,
                        CONTROLLER_ALREADY_OUT, &o);
}

static void numbers_check_in_and_out_as_asked(void **state)
{
    struct env *e = *state;
    struct controller_outcome o;
    struct stamp later = fixture_plus(e->now, 30);
    uint64_t before = last_seq(e);

    assert_int_equal(controller_member(e->ctl, &e->now, "HQ0002",
                                       CONTROLLER_CHECK_OUT, &o), ERR_OK);
    expect_kind(&o, CONTROLLER_NOT_IN);
    assert_string_equal(o.name, "王丽华");
    assert_true(o.seq == 0 && last_seq(e) == before);
    assert_int_equal(controller_member(e->ctl, &e->now, "HQ0002",
                                       CONTROLLER_CHECK_IN, &o), ERR_OK);
    expect_kind(&o, CONTROLLER_CHECKED_IN);
    assert_true(o.seq == before + 1);
    /* Asked to check in again, much later: no second visit. */
    assert_int_equal(controller_member(e->ctl, &later, "HQ0002",
                                       CONTROLLER_CHECK_IN, &o), ERR_OK);
    expect_kind(&o, CONTROLLER_ALREADY_IN);
    assert_true(o.seq == 0 && last_seq(e) == before + 1);
    assert_int_equal(controller_member(e->ctl, &later, "HQ0002",
                                       CONTROLLER_CHECK_OUT, &o), ERR_OK);
    expect_kind(&o, CONTROLLER_CHECKED_OUT);
    assert_int_equal(o.minutes, 30);
    assert_true(o.seq == before + 2);
}

static void visit_left_open_overnight_is_closed_by_rule(void **state)
{
    struct env *e = *state;
    struct controller_outcome o;
    struct stamp next_day = fixture_plus(e->now, 24 * 60);

    assert_int_equal(controller_member(e->ctl, &e->now, "HQ0003",
                                       CONTROLLER_CHECK_IN, &o), ERR_OK);
    expect_kind(&o, CONTROLLER_CHECKED_IN);
    assert_int_equal(controller_member(e->ctl, &next_day, "HQ0003",
                                       CONTROLLER_CHECK_OUT, &o), ERR_OK);
    expect_kind(&o, CONTROLLER_CHECKED_OUT);
    assert_true(o.auto_closed);
    assert_int_equal(o.minutes, e->f->cfg.stale_visit_credit_minutes);
}

static void registration_slip_registers_once_whatever_the_screen(void **st)
{
    struct env *e = *st;
    char slip[CARD_TEXT_MAX + 1];
    struct controller_outcome o;

    card_for(e, 'R', "HQ0004", -1, 30, slip);
    /* Scanned where a screen wanted a member: it still registers. */
    assert_int_equal(controller_scan(e->ctl, &e->now, slip,
                                     CONTROLLER_IDENTIFY, &o), ERR_OK);
    expect_kind(&o, CONTROLLER_REGISTERED);
    assert_int_equal(o.cred.kind, CRED_REGISTRATION);
    assert_string_equal(o.member_no, "HQ0004");
    assert_true(o.seq != 0 && o.seq == last_seq(e));
    scan_stores_nothing(e, slip, &e->now, CONTROLLER_TOGGLE,
                        CONTROLLER_ALREADY_REGISTERED, &o);
}

static void identify_names_the_member_and_stores_nothing(void **state)
{
    struct env *e = *state;
    char card[CARD_TEXT_MAX + 1];
    struct controller_outcome o;

    card_for(e, 'M', "HQ0005", -10, 300, card);
    scan_stores_nothing(e, card, &e->now, CONTROLLER_IDENTIFY,
                        CONTROLLER_MEMBER, &o);
    assert_string_equal(o.member_no, "HQ0005");
    /* A typed number, where numbers are allowed. */
    assert_int_equal(controller_typed(e->ctl, &e->now, "HQ0006",
                                      CONTROLLER_IDENTIFY, &o), ERR_OK);
    expect_kind(&o, CONTROLLER_MEMBER);
    assert_int_equal(o.cred.kind, CRED_MEMBER_NUMBER);
    assert_string_equal(o.member_no, "HQ0006");
    assert_true(last_seq(e) == 0);
}

static void technician_card_opens_technician_mode(void **state)
{
    struct env *e = *state;
    char card[CARD_TEXT_MAX + 1];
    struct controller_outcome o;

    card_for(e, 'T', "tech-7", -1, 30, card);
    scan_stores_nothing(e, card, &e->now, CONTROLLER_TOGGLE,
                        CONTROLLER_TECHNICIAN, &o);
    assert_string_equal(o.cred.id, "tech-7");
    assert_string_equal(o.member_no, "");
    /* Never through the keypad path, which takes members only. */
    assert_int_equal(controller_typed(e->ctl, &e->now, card,
                                      CONTROLLER_TOGGLE, &o), ERR_OK);
    expect_kind(&o, CONTROLLER_REFUSED);
    assert_int_equal(o.why, CRED_WRONG_KIND);
}

static void unknown_and_inactive_members_are_refused(void **state)
{
    static const char page[] = "{\"changes\":[{\"type\":\"member\","
        "\"op\":\"put\",\"key\":\"HQ0001\",\"data\":{\"name\":\"吴桂芳\","
        "\"active\":false}}],\"cursor\":\"c2\",\"more\":false,"
        "\"hub_time_ms\":0}";
    struct env *e = *state;
    char card[CARD_TEXT_MAX + 1];
    struct controller_outcome o;

    card_for(e, 'M', "HQ9999", -10, 300, card);
    scan_stores_nothing(e, card, &e->now, CONTROLLER_TOGGLE,
                        CONTROLLER_UNKNOWN_MEMBER, &o);
    assert_string_equal(o.member_no, "HQ9999");
    assert_string_equal(o.name, "");
    scan_stores_nothing(e, "HQ9998", &e->now, CONTROLLER_TOGGLE,
                        CONTROLLER_UNKNOWN_MEMBER, &o);
    assert_int_equal(page_apply(e->f->store, page, strlen(page), "c2"),
                     ERR_OK);
    scan_stores_nothing(e, "HQ0001", &e->now, CONTROLLER_TOGGLE,
                        CONTROLLER_INACTIVE, &o);
    assert_string_equal(o.member_no, "HQ0001");
    assert_string_equal(o.name, "吴桂芳");
    /* A screen that only asks who it is hears the same at once. */
    assert_int_equal(controller_typed(e->ctl, &e->now, "HQ9998",
                                      CONTROLLER_IDENTIFY, &o), ERR_OK);
    expect_kind(&o, CONTROLLER_UNKNOWN_MEMBER);
    scan_stores_nothing(e, card, &e->now, CONTROLLER_IDENTIFY,
                        CONTROLLER_UNKNOWN_MEMBER, &o);
    scan_stores_nothing(e, "HQ0001", &e->now, CONTROLLER_IDENTIFY,
                        CONTROLLER_INACTIVE, &o);
    assert_string_equal(o.name, "吴桂芳");
}

static void refused_lines_say_which_check_failed(void **state)
{
    struct env *e = *state;
    char old[CARD_TEXT_MAX + 1], good[CARD_TEXT_MAX + 1];
    struct controller_outcome o;

    scan_stores_nothing(e, "%%%garbage%%%", &e->now, CONTROLLER_TOGGLE,
                        CONTROLLER_REFUSED, &o);
    assert_int_equal(o.why, CRED_UNREADABLE);
    card_for(e, 'M', "HQ0007", -400, -1, old);
    scan_stores_nothing(e, old, &e->now, CONTROLLER_TOGGLE,
                        CONTROLLER_REFUSED, &o);
    assert_int_equal(o.why, CRED_EXPIRED);
    assert_string_equal(o.member_no, "");
    /* Numbers switched off: the config change counts at once. */
    card_for(e, 'M', "HQ0008", -10, 300, good);
    e->f->cfg.allow_member_number = false;
    scan_stores_nothing(e, "HQ0008", &e->now, CONTROLLER_TOGGLE,
                        CONTROLLER_REFUSED, &o);
    assert_int_equal(o.why, CRED_NUMBER_NOT_ALLOWED);
    assert_int_equal(controller_typed(e->ctl, &e->now, "HQ0008",
                                      CONTROLLER_IDENTIFY, &o), ERR_OK);
    expect_kind(&o, CONTROLLER_REFUSED);
    assert_int_equal(o.why, CRED_NUMBER_NOT_ALLOWED);
    /* The member's card still works. */
    assert_int_equal(controller_scan(e->ctl, &e->now, good,
                                     CONTROLLER_TOGGLE, &o), ERR_OK);
    expect_kind(&o, CONTROLLER_CHECKED_IN);
}

/* The store refuses to start the visit's transaction (one is already
 * open on the connection): failed, the error returned, nothing kept. */
static void store_failure_is_reported_and_stores_nothing(void **state)
{
    struct env *e = *state;
    struct controller_outcome o;
    struct visit v;
    err_code err;

    assert_int_equal(store_begin(e->f->store), ERR_OK);
    err = controller_scan(e->ctl, &e->now, "HQ0009", CONTROLLER_TOGGLE, &o);
    store_rollback(e->f->store);
    assert_int_not_equal(err, ERR_OK);
    expect_kind(&o, CONTROLLER_FAILED);
    assert_int_equal(o.err, err);
    assert_true(o.seq == 0);
    assert_string_equal(o.name, "");
    assert_true(last_seq(e) == 0);
    assert_int_equal(store_visit_open_for(e->f->store, "HQ0009", &v),
                     ERR_NOTFOUND);
    /* The same scan once the store answers again. */
    assert_int_equal(controller_scan(e->ctl, &e->now, "HQ0009",
                                     CONTROLLER_TOGGLE, &o), ERR_OK);
    expect_kind(&o, CONTROLLER_CHECKED_IN);
}

static void kind_names_are_stable(void **state)
{
    (void)state;
    assert_string_equal(controller_kind_name(CONTROLLER_CHECKED_IN),
                        "checked in");
    assert_string_equal(controller_kind_name(CONTROLLER_ALREADY_OUT),
                        "already checked out");
    assert_string_equal(controller_kind_name((enum controller_kind)99), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(card_checks_in_then_out_with_double_reads_ignored),
        T(numbers_check_in_and_out_as_asked),
        T(visit_left_open_overnight_is_closed_by_rule),
        T(registration_slip_registers_once_whatever_the_screen),
        T(identify_names_the_member_and_stores_nothing),
        T(technician_card_opens_technician_mode),
        T(unknown_and_inactive_members_are_refused),
        T(refused_lines_say_which_check_failed),
        T(store_failure_is_reported_and_stores_nothing),
        cmocka_unit_test(kind_names_are_stable),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
