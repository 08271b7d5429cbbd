/* tests/test_clock.c - local calendar arithmetic at the station's offset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "base/clock.h"
#include "tests/support/fixture.h"

static void local_day_turns_at_local_midnight(void **state)
{
    struct stamp a = fixture_at(2026, 11, 20, 23, 59);
    struct stamp b = fixture_at(2026, 11, 21, 0, 0);
    char ymd[11];

    (void)state;
    assert_int_equal(clock_local_day(b.wall_ms, 480) -
                     clock_local_day(a.wall_ms, 480), 1);
    clock_ymd(a.wall_ms, 480, ymd);
    assert_string_equal(ymd, "2026-11-20");
    assert_int_equal(clock_day_start(a.wall_ms, 480),
                     fixture_at(2026, 11, 20, 0, 0).wall_ms);
}

static void period_starts(void **state)
{
    struct stamp t = fixture_at(2026, 11, 20, 10, 0);

    (void)state;
    assert_int_equal(clock_month_start(t.wall_ms, 480),
                     fixture_at(2026, 11, 1, 0, 0).wall_ms);
    assert_int_equal(clock_quarter_start(t.wall_ms, 480),
                     fixture_at(2026, 10, 1, 0, 0).wall_ms);
    assert_int_equal(clock_year_start(t.wall_ms, 480),
                     fixture_at(2026, 1, 1, 0, 0).wall_ms);
    t = fixture_at(2026, 3, 31, 23, 0);
    assert_int_equal(clock_quarter_start(t.wall_ms, 480),
                     fixture_at(2026, 1, 1, 0, 0).wall_ms);
}

static void parse_ymd_refuses_nonsense(void **state)
{
    static const char *const bad[] = { "2026-02-30", "2026-13-01", "26-1-1",
        "2026-01-01x", "", "1969-12-31", "2026/01/01" };
    int64_t day;

    (void)state;
    assert_int_equal(clock_parse_ymd("2026-11-20", &day), ERR_OK);
    assert_int_equal(day, clock_local_day(fixture_at(2026, 11, 20, 12, 0)
                                          .wall_ms, 480));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (clock_parse_ymd(bad[i], &day) != ERR_INVAL)
            fail_msg("accepted %s", bad[i]);
}

static void now_has_boot_id_and_monotonic_stamp(void **state)
{
    struct stamp a, b;

    (void)state;
    clock_now(&a);
    clock_now(&b);
    assert_int_equal(strlen(a.boot_id), 36);
    assert_string_equal(a.boot_id, b.boot_id);
    assert_true(b.mono_ms >= a.mono_ms);
    assert_true(a.wall_ms > 1700000000000LL);
}

/* Each clock is the one its name says: the stamp's monotonic part is the
 * boot clock, which never runs behind the monotonic one (it also counts
 * suspends), and the wall clock agrees with time(). */
static void clocks_read_the_named_kernel_clocks(void **state)
{
    int64_t mono = clock_mono_ms(), us = clock_mono_us();
    int64_t boot = clock_boot_ms(), wall = clock_wall_ms();
    struct stamp s;

    (void)state;
    clock_now(&s);
    assert_true(mono >= 0);
    assert_true(us / 1000 >= mono);
    assert_true(clock_mono_ms() >= us / 1000);
    assert_true(boot >= mono);
    assert_true(s.mono_ms >= boot);
    assert_true(s.mono_ms - boot < 60000);
    assert_true(llabs(s.wall_ms - wall) < 60000);
    assert_true(llabs((int64_t)time(NULL) - wall / 1000) < 60);
}

static void mono_clock_never_goes_back(void **state)
{
    int64_t last = clock_mono_ms();

    (void)state;
    for (int i = 0; i < 10000; i++) {
        int64_t now = clock_mono_ms();

        assert_true(now >= last);
        last = now;
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(local_day_turns_at_local_midnight),
        cmocka_unit_test(period_starts),
        cmocka_unit_test(parse_ymd_refuses_nonsense),
        cmocka_unit_test(now_has_boot_id_and_monotonic_stamp),
        cmocka_unit_test(clocks_read_the_named_kernel_clocks),
        cmocka_unit_test(mono_clock_never_goes_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
