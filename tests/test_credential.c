/* tests/test_credential.c - what a scanned line means: signed cards made
 * by the hub's real issuing code (hub_card), published to the kiosk
 * through a change page decoded and applied as the sync worker does (the
 * page_apply helper), then scanned. Every
 * refusal names its reason and stores nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "firmware/credential.h"
#include "base/log.h"
#include "firmware/visit.h"
#include "base/xmalloc.h"
#include "hub/hub_card.h"
#include "tests/support/fixture.h"
#include "tests/support/page.h"

#define STATION "sq-hongqi-01"

struct env {
    struct fixture  *f;
    struct hub_card *hub;
    struct credential_checker *ck;  /* as the UI keeps one */
    struct stamp     now;           /* 2026-11-23 10:00 local, trusted */
    int64_t          today;
};

static int setup(void **state)
{
    struct env *e = calloc(1, sizeof *e);
    char dir[400], kid[CARD_KID_MAX + 1];

    log_set_level(LOG_LVL_ERROR);
    e->now = fixture_at(2026, 11, 23, 10, 0);
    e->today = clock_local_day(e->now.wall_ms, 480);
    e->f = fixture_new(1, &e->now);
    str_copy(e->f->cfg.station_id, sizeof e->f->cfg.station_id, STATION);
    snprintf(dir, sizeof dir, "%s/hub", e->f->dir);
    if (hub_card_open(dir, &e->hub) != ERR_OK ||
        hub_card_init_key(e->hub, kid) != ERR_OK)
        return -1;
    credential_checker_create(&e->f->cfg, e->f->store, &e->ck);
    *state = e;
    return 0;
}

static int teardown(void **state)
{
    struct env *e = *state;

    credential_checker_destroy(e->ck);
    hub_card_close(e->hub);
    fixture_free(e->f);
    free(e);
    return 0;
}

/* Send the hub's keys and revocations as one change page. */
static void publish(struct env *e, struct hub_card *hub)
{
    char *page = hub_card_page_json(hub, "cards-1", e->now.wall_ms);

    assert_int_equal(page_apply(e->f->store, page, strlen(page), "cards-1"),
                     ERR_OK);
    free(page);
}

static void issue(struct hub_card *hub, char kind, const char *id,
                  const char *scope, int64_t from, int64_t to, char *text)
{
    struct hub_card_request rq = { (enum card_kind)kind, id, scope, from,
                                   to };
    struct card c;

    assert_int_equal(hub_card_issue(hub, &rq, text, CARD_TEXT_MAX + 1, &c),
                     ERR_OK);
}

static uint64_t last_seq(struct env *e)
{
    uint64_t seq = 0;

    assert_int_equal(store_last_seq(e->f->store, &seq), ERR_OK);
    return seq;
}

/* Scan at `at` through the long-lived checker, as the UI does, and
 * check the one-off path (kioskctl) agrees. */
static err_code scan_at(struct env *e, const char *line, const struct stamp *at,
                        unsigned accept, struct credential *c,
                        enum credential_refusal *why)
{
    struct credential once;
    enum credential_refusal why_once;
    err_code e1 = credential_check(e->ck, at, accept, line, c, why);
    err_code e2 = credential_parse(&e->f->cfg, e->f->store, at, accept, line,
                                   &once, &why_once);

    assert_int_equal(e1, e2);
    assert_int_equal(*why, why_once);
    assert_memory_equal(c, &once, sizeof once);
    return e1;
}

/* A refusal: the right reason, nothing stored, no event. */
static void refused(struct env *e, const char *line, const struct stamp *at,
                    unsigned accept, enum credential_refusal want)
{
    uint64_t before = last_seq(e);
    struct credential c;
    enum credential_refusal why;
    err_code err = scan_at(e, line, at, accept, &c, &why);

    if (why != want)
        fail_msg("%s: got %s, want %s", line, credential_refusal_name(why),
                 credential_refusal_name(want));
    assert_int_equal(err, want == CRED_UNREADABLE ? ERR_INVAL : ERR_DENIED);
    assert_string_equal(c.id, "");
    assert_true(last_seq(e) == before);
}

static void valid_member_card_checks_in_once(void **state)
{
    struct env *e = *state;
    char card[CARD_TEXT_MAX + 1];
    struct credential c;
    enum credential_refusal why;
    struct visit_result r;
    struct stamp again = fixture_plus(e->now, 0);

    issue(e->hub, 'M', "HQ0001", STATION, e->today - 10, e->today + 300,
          card);
    publish(e, e->hub);
    assert_int_equal(scan_at(e, card, &e->now, CRED_ACCEPT_ANY, &c, &why),
                     ERR_OK);
    assert_int_equal(why, CRED_OK);
    assert_int_equal(c.kind, CRED_MEMBER_CARD);
    assert_string_equal(c.id, "HQ0001");
    assert_string_equal(c.card_id, "M.HQ0001.1");
    assert_int_equal(visit_scan(e->f->store, &e->f->cfg, c.id, &e->now, &r),
                     ERR_OK);
    assert_int_equal(r.outcome, VISIT_CHECKED_IN);
    assert_true(last_seq(e) == 1);
    /* The scanner reads the same card twice, 20 s apart: one action. */
    again.wall_ms += 20000;
    again.mono_ms += 20000;
    assert_int_equal(scan_at(e, card, &again, CRED_ACCEPT_ANY, &c, &why),
                     ERR_OK);
    assert_int_equal(visit_scan(e->f->store, &e->f->cfg, c.id, &again, &r),
                     ERR_OK);
    assert_int_equal(r.outcome, VISIT_ALREADY_IN);
    assert_true(last_seq(e) == 1);
}

static void damaged_cards_are_refused(void **state)
{
    struct env *e = *state;
    char card[CARD_TEXT_MAX + 1], bad[CARD_TEXT_MAX + 1];
    size_t n, sig_at;

    issue(e->hub, 'M', "HQ0001", STATION, e->today - 10, e->today + 300,
          card);
    publish(e, e->hub);
    n = strlen(card);
    sig_at = (size_t)(strrchr(card, '.') - card) + 1;
    /* One flipped byte anywhere: unreadable if it breaks the syntax,
     * forged (or another key) if it does not; never accepted. */
    for (size_t i = 0; i < n; i++) {
        struct credential c;
        enum credential_refusal why;

        memcpy(bad, card, n + 1);
        bad[i] ^= 0x01;
        assert_int_not_equal(scan_at(e, bad, &e->now, CRED_ACCEPT_ANY, &c,
                                     &why), ERR_OK);
        assert_true(why == CRED_UNREADABLE || why == CRED_FORGED ||
                    why == CRED_UNKNOWN_KEY);
    }
    memcpy(bad, card, n + 1);
    bad[sig_at + 3] = bad[sig_at + 3] == 'A' ? 'B' : 'A';
    refused(e, bad, &e->now, CRED_ACCEPT_ANY, CRED_FORGED);
    memcpy(bad, card, n + 1);
    memcpy(strstr(bad, "HQ0001"), "HQ0002", 6);    /* someone else's id */
    refused(e, bad, &e->now, CRED_ACCEPT_ANY, CRED_FORGED);
    for (size_t cut = strlen(CARD_PREFIX) + 1; cut < n; cut += 7) {
        memcpy(bad, card, cut);
        bad[cut] = '\0';
        refused(e, bad, &e->now, CRED_ACCEPT_ANY, CRED_UNREADABLE);
    }
    memcpy(bad, card, n - 1);           /* the last character lost */
    bad[n - 1] = '\0';
    refused(e, bad, &e->now, CRED_ACCEPT_ANY, CRED_UNREADABLE);
}

static void expired_and_future_cards_are_refused(void **state)
{
    struct env *e = *state;
    char old[CARD_TEXT_MAX + 1], later[CARD_TEXT_MAX + 1];

    issue(e->hub, 'M', "HQ0001", STATION, e->today - 400, e->today - 1, old);
    issue(e->hub, 'M', "HQ0002", STATION, e->today + 1, e->today + 30, later);
    publish(e, e->hub);
    refused(e, old, &e->now, CRED_ACCEPT_ANY, CRED_EXPIRED);
    refused(e, later, &e->now, CRED_ACCEPT_ANY, CRED_NOT_YET_VALID);
}

/* An untrusted clock running a year behind must not revive an expired
 * card: the last hub time counts. It may be running ahead, so a card
 * issued "tomorrow" by it is taken. */
static void untrusted_clock_judges_expiry_by_hub_time(void **state)
{
    struct env *e = *state;
    char card[CARD_TEXT_MAX + 1], later[CARD_TEXT_MAX + 1];
    struct stamp behind = e->now;
    struct credential c;
    enum credential_refusal why;

    issue(e->hub, 'M', "HQ0001", STATION, e->today - 400, e->today - 1, card);
    issue(e->hub, 'M', "HQ0002", STATION, e->today + 1, e->today + 30, later);
    publish(e, e->hub);
    behind.wall_ms -= 200LL * HUB_CARD_DAY_MS;
    behind.clock_trusted = true;
    assert_int_equal(scan_at(e, card, &behind, CRED_ACCEPT_ANY, &c, &why),
                     ERR_OK);         /* a trusted clock is believed */
    behind.clock_trusted = false;
    assert_int_equal(store_set_hub_time(e->f->store, 0), ERR_OK);
    assert_int_equal(scan_at(e, card, &behind, CRED_ACCEPT_ANY, &c, &why),
                     ERR_OK);         /* nothing better to go on */
    assert_int_equal(store_set_hub_time(e->f->store, e->now.wall_ms), ERR_OK);
    refused(e, card, &behind, CRED_ACCEPT_ANY, CRED_EXPIRED);
    /* The same learned from the sync worker: our clock at the last round
     * and the hub's lead over it. */
    assert_int_equal(store_set_hub_time(e->f->store, 0), ERR_OK);
    assert_int_equal(store_set_last_sync(e->f->store, behind.wall_ms), ERR_OK);
    assert_int_equal(store_set_hub_offset(e->f->store,
                                          e->now.wall_ms - behind.wall_ms),
                     ERR_OK);
    refused(e, card, &behind, CRED_ACCEPT_ANY, CRED_EXPIRED);
    behind = e->now;
    behind.clock_trusted = false;
    assert_int_equal(scan_at(e, later, &behind, CRED_ACCEPT_ANY, &c, &why),
                     ERR_OK);
}

static void revoked_card_is_refused_after_sync(void **state)
{
    struct env *e = *state;
    char lost[CARD_TEXT_MAX + 1], fresh[CARD_TEXT_MAX + 1];
    struct credential c;
    enum credential_refusal why;

    issue(e->hub, 'M', "HQ0001", STATION, e->today - 10, e->today + 300,
          lost);
    publish(e, e->hub);
    assert_int_equal(scan_at(e, lost, &e->now, CRED_ACCEPT_ANY, &c, &why),
                     ERR_OK);
    /* Reported lost: revoke it and issue the member a new one. */
    assert_int_equal(hub_card_revoke(e->hub, "M.HQ0001.1", e->now.wall_ms),
                     ERR_OK);
    issue(e->hub, 'M', "HQ0001", STATION, e->today, e->today + 300, fresh);
    publish(e, e->hub);
    refused(e, lost, &e->now, CRED_ACCEPT_ANY, CRED_REVOKED);
    assert_int_equal(scan_at(e, fresh, &e->now, CRED_ACCEPT_ANY, &c, &why),
                     ERR_OK);
    assert_string_equal(c.card_id, "M.HQ0001.2");
}

static void scope_and_key_must_match(void **state)
{
    struct env *e = *state;
    char other[CARD_TEXT_MAX + 1], community[CARD_TEXT_MAX + 1];
    char stranger[CARD_TEXT_MAX + 1], dir[400], kid[CARD_KID_MAX + 1];
    struct hub_card *rogue;
    struct credential c;
    enum credential_refusal why;

    issue(e->hub, 'M', "HQ0001", "sq-lvyuan-02", e->today, e->today + 9,
          other);
    issue(e->hub, 'M', "HQ0002", "sq-hongqi-*", e->today, e->today + 9,
          community);
    /* A second office whose key this kiosk was never sent. */
    snprintf(dir, sizeof dir, "%s/rogue", e->f->dir);
    assert_int_equal(hub_card_open(dir, &rogue), ERR_OK);
    assert_int_equal(hub_card_init_key(rogue, kid), ERR_OK);
    issue(rogue, 'M', "HQ0003", STATION, e->today, e->today + 9, stranger);
    hub_card_close(rogue);
    publish(e, e->hub);
    refused(e, other, &e->now, CRED_ACCEPT_ANY, CRED_OTHER_STATION);
    refused(e, stranger, &e->now, CRED_ACCEPT_ANY, CRED_UNKNOWN_KEY);
    assert_int_equal(scan_at(e, community, &e->now, CRED_ACCEPT_ANY, &c,
                             &why), ERR_OK);
}

static void kinds_do_what_they_say(void **state)
{
    struct env *e = *state;
    char tech[CARD_TEXT_MAX + 1], slip[CARD_TEXT_MAX + 1];
    struct credential c;
    enum credential_refusal why;
    struct visit_result r;
    bool registered = false;

    issue(e->hub, 'T', "tech-7", "*", e->today, e->today + 9, tech);
    issue(e->hub, 'R', "HQ0004", STATION, e->today, e->today + 9, slip);
    publish(e, e->hub);
    /* A technician card where a member card is wanted. */
    refused(e, tech, &e->now, CRED_ACCEPT_MEMBER, CRED_WRONG_KIND);
    refused(e, slip, &e->now, CRED_ACCEPT_MEMBER, CRED_WRONG_KIND);
    assert_int_equal(scan_at(e, tech, &e->now, CRED_ACCEPT_ANY, &c, &why),
                     ERR_OK);
    assert_int_equal(c.kind, CRED_TECHNICIAN);
    assert_string_equal(c.id, "tech-7");
    assert_int_equal(scan_at(e, slip, &e->now, CRED_ACCEPT_ANY, &c, &why),
                     ERR_OK);
    assert_int_equal(c.kind, CRED_REGISTRATION);
    assert_int_equal(visit_register(e->f->store, &e->f->cfg, c.id, &e->now,
                                    &r), ERR_OK);
    assert_int_equal(r.outcome, VISIT_REGISTERED);
    assert_int_equal(store_registered(e->f->store, "HQ0004", &registered),
                     ERR_OK);
    assert_true(registered);
}

/* After a rotation the new key signs; cards of the old key work until
 * they expire, and not after the old key's overlap ends. */
static void rotation_keeps_old_cards_until_they_expire(void **state)
{
    struct env *e = *state;
    char before[CARD_TEXT_MAX + 1], after[CARD_TEXT_MAX + 1];
    char kid[CARD_KID_MAX + 1], cut[CARD_TEXT_MAX + 1];
    struct stamp late = e->now;
    struct credential c;
    enum credential_refusal why;

    issue(e->hub, 'M', "HQ0001", STATION, e->today, e->today + 30, before);
    issue(e->hub, 'M', "HQ0005", STATION, e->today, e->today + 400, cut);
    assert_int_equal(hub_card_rotate(e->hub, e->now.wall_ms, 60, kid),
                     ERR_OK);
    issue(e->hub, 'M', "HQ0002", STATION, e->today, e->today + 300, after);
    assert_non_null(strstr(after, kid));
    assert_null(strstr(before, kid));
    publish(e, e->hub);
    assert_int_equal(scan_at(e, before, &e->now, CRED_ACCEPT_ANY, &c, &why),
                     ERR_OK);
    assert_int_equal(scan_at(e, after, &e->now, CRED_ACCEPT_ANY, &c, &why),
                     ERR_OK);
    /* 90 days on, the old key's 60-day overlap is over. */
    late.wall_ms += 90 * HUB_CARD_DAY_MS;
    refused(e, cut, &late, CRED_ACCEPT_ANY, CRED_EXPIRED);
    assert_int_equal(scan_at(e, after, &late, CRED_ACCEPT_ANY, &c, &why),
                     ERR_OK);
}

/* The checker keeps parsed keys, but a key the hub withdraws through
 * the feed is gone at the next scan. */
static void withdrawn_key_takes_effect_at_once(void **state)
{
    struct env *e = *state;
    char card[CARD_TEXT_MAX + 1], page[256];
    struct credential c;
    enum credential_refusal why;
    struct card parsed;

    issue(e->hub, 'M', "HQ0001", STATION, e->today, e->today + 9, card);
    publish(e, e->hub);
    assert_int_equal(scan_at(e, card, &e->now, CRED_ACCEPT_ANY, &c, &why),
                     ERR_OK);
    assert_int_equal(card_parse(card, strlen(card), &parsed), ERR_OK);
    snprintf(page, sizeof page, "{\"changes\":[{\"type\":\"credential_key\","
             "\"op\":\"del\",\"key\":\"%s\"}],\"cursor\":\"c2\","
             "\"more\":false,\"hub_time_ms\":0}", parsed.kid);
    assert_int_equal(page_apply(e->f->store, page, strlen(page), "c2"),
                     ERR_OK);
    refused(e, card, &e->now, CRED_ACCEPT_ANY, CRED_UNKNOWN_KEY);
    publish(e, e->hub);
    assert_int_equal(scan_at(e, card, &e->now, CRED_ACCEPT_ANY, &c, &why),
                     ERR_OK);
}

struct line_case {
    const char              *line;
    bool                     allow_numbers;
    err_code                 err;
    enum credential_refusal  why;
};

static void plain_lines_parse_as_expected(void **state)
{
    static char huge[CREDENTIAL_LINE_MAX + 10];
    const struct line_case cases[] = {
        { "HQ0003", true, ERR_OK, CRED_OK },
        { "HQ0003", false, ERR_DENIED, CRED_NUMBER_NOT_ALLOWED },
        { "", true, ERR_INVAL, CRED_UNREADABLE },
        { "KSK1:M:HQ0001", true, ERR_INVAL, CRED_UNREADABLE },
        { "KC1.", true, ERR_INVAL, CRED_UNREADABLE },
        { "KC1.M.HQ0001", true, ERR_INVAL, CRED_UNREADABLE },
        { "HQ 01", true, ERR_INVAL, CRED_UNREADABLE },
        { "https://example.invalid/?q=1", true, ERR_INVAL, CRED_UNREADABLE },
        { "党员", true, ERR_INVAL, CRED_UNREADABLE },
        { "12345678901234567890123456789012", true, ERR_INVAL,
          CRED_UNREADABLE },
        { huge, true, ERR_INVAL, CRED_UNREADABLE },
    };
    struct env *e = *state;

    memset(huge, '7', sizeof huge - 1);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct line_case *lc = &cases[i];
        struct credential c;
        enum credential_refusal why;
        err_code err;

        e->f->cfg.allow_member_number = lc->allow_numbers;
        err = scan_at(e, lc->line, &e->now, CRED_ACCEPT_ANY, &c, &why);
        if (err != lc->err || why != lc->why)
            fail_msg("case %zu: got %d/%s", i, err,
                     credential_refusal_name(why));
        if (err == ERR_OK)
            assert_int_equal(c.kind, CRED_MEMBER_NUMBER);
    }
    e->f->cfg.allow_member_number = true;
    refused(e, "HQ0003", &e->now, CRED_ACCEPT_TECHNICIAN, CRED_WRONG_KIND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(valid_member_card_checks_in_once),
        T(damaged_cards_are_refused),
        T(expired_and_future_cards_are_refused),
        T(untrusted_clock_judges_expiry_by_hub_time),
        T(revoked_card_is_refused_after_sync),
        T(scope_and_key_must_match),
        T(kinds_do_what_they_say),
        T(rotation_keeps_old_cards_until_they_expire),
        T(withdrawn_key_takes_effect_at_once),
        T(plain_lines_parse_as_expected),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
