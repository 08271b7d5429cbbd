/* tests/test_service.c - logging service done elsewhere, and refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "firmware/service.h"
#include "tests/support/fixture.h"

struct refusal_case {
    const char          *name;
    struct service_request req;
    enum service_refusal   why;
};

static void each_refusal_stores_nothing(void **state)
{
    static char long_note[SERVICE_NOTE_MAX + 2];
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    const struct refusal_case cases[] = {
        { "unknown member", { "XX0001", "patrol", 60, 0, NULL, NULL, NULL },
          SERVICE_UNKNOWN_MEMBER },
        { "unknown category", { "HQ0001", "skydiving", 60, 0, NULL, NULL,
                                NULL },
          SERVICE_UNKNOWN_CATEGORY },
        { "no category", { "HQ0001", NULL, 60, 0, NULL, NULL, NULL },
          SERVICE_UNKNOWN_CATEGORY },
        { "too short", { "HQ0001", "patrol", SERVICE_MIN_MINUTES - 1, 0,
                         NULL, NULL, NULL },
          SERVICE_MINUTES_OUT_OF_RANGE },
        { "too long", { "HQ0001", "patrol", SERVICE_MAX_MINUTES + 1, 0,
                        NULL, NULL, NULL },
          SERVICE_MINUTES_OUT_OF_RANGE },
        { "negative", { "HQ0001", "patrol", -30, 0, NULL, NULL, NULL },
          SERVICE_MINUTES_OUT_OF_RANGE },
        { "future", { "HQ0001", "patrol", 60, -1, NULL, NULL, NULL },
          SERVICE_DAY_IN_FUTURE },
        { "too old", { "HQ0001", "patrol", 60, 8, NULL, NULL, NULL },
          SERVICE_DAY_TOO_OLD },
        { "note too long", { "HQ0001", "patrol", 60, 0, long_note, NULL,
                             NULL },
          SERVICE_NOTE_TOO_LONG },
        { "served place without unit", { "HQ0001", "patrol", 60, 0, NULL,
                                         "2号楼", NULL },
          SERVICE_SERVED_MALFORMED },
        { "served ticket malformed", { "HQ0001", "patrol", 60, 0, NULL, NULL,
                                       "HQ01-x" },
          SERVICE_SERVED_MALFORMED },
    };
    enum service_refusal why;
    uint64_t n;

    (void)state;
    memset(long_note, 'x', sizeof long_note - 1);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        err_code e = service_log(f->store, &f->cfg, &cases[i].req, &t, &why,
                                 NULL);
        if (e != ERR_INVAL || why != cases[i].why)
            fail_msg("%s: got %d/%d", cases[i].name, e, why);
    }
    assert_int_equal(store_last_seq(f->store, &n), ERR_OK);
    assert_int_equal(n, 0);
    fixture_free(f);
}

static void service_is_stored_pending_with_its_event(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct service_request req = { "HQ0001", "elderly_care", 90, 2,
                                   "note.visited_elderly", NULL, NULL };
    enum service_refusal why;
    struct service_log l, got[4];
    struct event ev;
    size_t n;

    (void)state;
    assert_int_equal(service_log(f->store, &f->cfg, &req, &t, &why, &l),
                     ERR_OK);
    assert_int_equal(why, SERVICE_OK);
    assert_int_equal(l.status, LOG_PENDING);
    assert_true(l.backfilled);
    assert_int_equal(l.day, clock_local_day(t.wall_ms, 480) - 2);
    assert_int_equal(store_events_after(f->store, 0, &ev, 1, &n), ERR_OK);
    assert_int_equal(ev.kind, EVENT_SERVICE_LOG);
    assert_int_equal(ev.seq, l.seq);
    assert_string_equal(ev.data, "{\"category\":\"elderly_care\","
        "\"minutes\":90,\"day\":\"2026-11-18\",\"backfilled\":true,"
        "\"note\":\"note.visited_elderly\"}");
    assert_int_equal(store_logs_for(f->store, "HQ0001", 0, INT64_MAX / 2,
                                    got, 4, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_string_equal(got[0].category, "elderly_care");
    fixture_free(f);
}

static void note_with_quotes_is_escaped_in_event(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 9, 0);
    struct fixture *f = fixture_new(1, &t);
    struct service_request req = { "HQ0001", "other", 30, 0, "a \"b\"\n",
                                   NULL, NULL };
    enum service_refusal why;
    struct event ev;
    size_t n;

    (void)state;
    assert_int_equal(service_log(f->store, &f->cfg, &req, &t, &why, NULL),
                     ERR_OK);
    store_events_after(f->store, 0, &ev, 1, &n);
    assert_non_null(strstr(ev.data, "\"note\":\"a \\\"b\\\"\\n\""));
    fixture_free(f);
}

static void categories_have_chinese_and_english_names(void **state)
{
    size_t n;
    const struct service_category *c = service_categories(&n);

    (void)state;
    assert_int_equal(n, 7);             /* the six, then the duty desk */
    assert_string_equal(c[0].zh, "治安巡逻");
    assert_string_equal(service_category_find("mediation")->zh, "邻里调解");
    assert_null(service_category_find("nope"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_refusal_stores_nothing),
        cmocka_unit_test(service_is_stored_pending_with_its_event),
        cmocka_unit_test(note_with_quotes_is_escaped_in_event),
        cmocka_unit_test(categories_have_chinese_and_english_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
