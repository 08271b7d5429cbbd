/* tests/test_board_sim.c - the simulated board: scripted scans through the
 * FIFO and the inject queue, taps, the manual clock, the fake backlight,
 * injected failures and recorded signals. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "board/board.h"
#include "board/board_sim.h"
#include "firmware/config.h"
#include "base/log.h"

struct fx {
    char dir[64];
    char fifo[96];
    struct config cfg;
    struct board *b;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);

    log_set_level(LOG_LVL_ERROR);
    strcpy(f->dir, "/tmp/boardsim.XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->fifo, sizeof f->fifo, "%s/scan.fifo", f->dir);
    config_defaults(&f->cfg);
    strcpy(f->cfg.board, "sim");
    strcpy(f->cfg.scanner, f->fifo);
    assert_int_equal(board_open(&f->cfg, &f->b), ERR_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    board_close(f->b);
    unlink(f->fifo);
    unlink(f->dir);
    rmdir(f->dir);
    free(f);
    return 0;
}

static void fifo_write(struct fx *f, const char *text)
{
    int fd = open(f->fifo, O_WRONLY | O_NONBLOCK);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

static void expect_scan(struct board *b, const char *want)
{
    char line[BOARD_LINE_MAX];
    size_t len = 0;

    assert_int_equal(board_scan_poll(b, line, sizeof line, &len), ERR_OK);
    assert_string_equal(line, want);
    assert_int_equal(len, strlen(want));
}

static void expect_no_scan(struct board *b)
{
    char line[BOARD_LINE_MAX];
    size_t len;

    assert_int_equal(board_scan_poll(b, line, sizeof line, &len),
                     ERR_NOTFOUND);
}

static void opened_board_is_sim_and_fifo_created(void **state)
{
    struct fx *f = *state;
    struct stat st;

    assert_string_equal(board_name(f->b), "sim");
    assert_int_equal(stat(f->fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    assert_true(board_scan_fd(f->b) >= 0);
    expect_no_scan(f->b);
}

static void injected_scans_come_out_in_order(void **state)
{
    struct fx *f = *state;

    assert_int_equal(board_sim_inject_scan(f->b, "KSK1:M:M0001"), ERR_OK);
    assert_int_equal(board_sim_inject_scan(f->b, "KSK1:M:M0002"), ERR_OK);
    expect_scan(f->b, "KSK1:M:M0001");
    expect_scan(f->b, "KSK1:M:M0002");
    expect_no_scan(f->b);
}

static void inject_refuses_line_breaks_and_full_queue(void **state)
{
    struct fx *f = *state;

    assert_int_equal(board_sim_inject_scan(f->b, "a\nb"), ERR_INVAL);
    for (int i = 0; i < BOARD_SIM_QUEUE; i++)
        assert_int_equal(board_sim_inject_scan(f->b, "x"), ERR_OK);
    assert_int_equal(board_sim_inject_scan(f->b, "x"), ERR_BUSY);
    for (int i = 0; i < BOARD_SIM_QUEUE; i++)
        expect_scan(f->b, "x");
    expect_no_scan(f->b);
}

static void fifo_lines_become_scans_only_when_whole(void **state)
{
    struct fx *f = *state;

    fifo_write(f, "KSK1:M:M0001\r\n\nKSK1:M:M0002\nKSK1:M:M0");
    expect_scan(f->b, "KSK1:M:M0001");
    expect_scan(f->b, "KSK1:M:M0002");
    expect_no_scan(f->b);
    fifo_write(f, "003\n");
    expect_scan(f->b, "KSK1:M:M0003");
    expect_no_scan(f->b);
}

static void closed_fifo_writer_does_not_wake_poll_forever(void **state)
{
    struct fx *f = *state;
    struct pollfd p = { .fd = board_scan_fd(f->b), .events = POLLIN };

    fifo_write(f, "one\n");
    assert_int_equal(poll(&p, 1, 0), 1);
    expect_scan(f->b, "one");
    assert_int_equal(poll(&p, 1, 0), 0);
}

static void overlong_fifo_line_is_dropped(void **state)
{
    struct fx *f = *state;
    char junk[BOARD_LINE_MAX * 2 + 2];

    memset(junk, 'A', sizeof junk - 2);
    junk[sizeof junk - 2] = '\n';
    junk[sizeof junk - 1] = '\0';
    fifo_write(f, junk);
    fifo_write(f, "after\n");
    expect_scan(f->b, "after");
    expect_no_scan(f->b);
}

static void short_buffer_cuts_line(void **state)
{
    struct fx *f = *state;
    char line[5];
    size_t len;

    board_sim_inject_scan(f->b, "123456789");
    assert_int_equal(board_scan_poll(f->b, line, sizeof line, &len), ERR_OK);
    assert_string_equal(line, "1234");
    assert_int_equal(len, 4);
}

static void tap_lines_become_taps_not_scans(void **state)
{
    struct fx *f = *state;
    int x = -1, y = -1;

    fifo_write(f, "tap 100 200\ntap nonsense\nKSK1:M:M0009\ntap 5 6\n");
    expect_scan(f->b, "KSK1:M:M0009");
    expect_no_scan(f->b);
    assert_int_equal(board_sim_tap_poll(f->b, &x, &y), ERR_OK);
    assert_int_equal(x, 100);
    assert_int_equal(y, 200);
    assert_int_equal(board_sim_tap_poll(f->b, &x, &y), ERR_OK);
    assert_int_equal(x, 5);
    assert_int_equal(y, 6);
    assert_int_equal(board_sim_tap_poll(f->b, &x, &y), ERR_NOTFOUND);
}

static void manual_clock_moves_only_when_told(void **state)
{
    struct fx *f = *state;
    uint64_t t0 = board_now_ms(f->b), t1;

    usleep(3000);
    t1 = board_now_ms(f->b);
    assert_true(t1 >= t0 + 2);
    board_sim_set_clock_ms(f->b, 1000);
    usleep(2000);
    assert_int_equal(board_now_ms(f->b), 1000);
    board_sim_advance_ms(f->b, 250);
    assert_int_equal(board_now_ms(f->b), 1250);
}

static void advance_on_real_clock_starts_from_now(void **state)
{
    struct fx *f = *state;
    uint64_t t0 = board_now_ms(f->b);

    board_sim_advance_ms(f->b, 60000);
    assert_true(board_now_ms(f->b) >= t0 + 60000);
    assert_true(board_now_ms(f->b) < t0 + 61000);
}

static void backlight_remembers_last_valid_value(void **state)
{
    struct fx *f = *state;

    assert_int_equal(board_sim_backlight(f->b), -1);
    assert_int_equal(board_backlight_set(f->b, 40), ERR_OK);
    assert_int_equal(board_sim_backlight(f->b), 40);
    assert_int_equal(board_backlight_set(f->b, 101), ERR_INVAL);
    assert_int_equal(board_sim_backlight(f->b), 40);
}

static void fail_next_fails_exactly_once(void **state)
{
    struct fx *f = *state;

    board_sim_fail_next(f->b, BOARD_SIM_BACKLIGHT, ERR_IO);
    assert_int_equal(board_backlight_set(f->b, 10), ERR_IO);
    assert_int_equal(board_sim_backlight(f->b), -1);
    assert_int_equal(board_backlight_set(f->b, 10), ERR_OK);

    board_sim_fail_next(f->b, BOARD_SIM_WATCHDOG, ERR_IO);
    assert_int_equal(board_watchdog_kick(f->b), ERR_IO);
    assert_int_equal(board_watchdog_kick(f->b), ERR_OK);
    assert_int_equal(board_sim_watchdog_kicks(f->b), 1);

    board_sim_inject_scan(f->b, "kept");
    board_sim_fail_next(f->b, BOARD_SIM_SCAN, ERR_IO);
    {
        char line[16];
        size_t len;

        assert_int_equal(board_scan_poll(f->b, line, sizeof line, &len),
                         ERR_IO);
    }
    expect_scan(f->b, "kept");

    board_sim_fail_next(f->b, BOARD_SIM_SIGNAL, ERR_UNSUPPORTED);
    assert_int_equal(board_signal(f->b, BOARD_SIGNAL_OK), ERR_UNSUPPORTED);
    assert_int_equal(board_sim_signals(f->b, NULL, 0), 0);
}

static void signals_are_recorded_in_order(void **state)
{
    struct fx *f = *state;
    enum board_signal got[4];

    assert_int_equal(board_signal(f->b, BOARD_SIGNAL_OK), ERR_OK);
    assert_int_equal(board_signal(f->b, BOARD_SIGNAL_ERROR), ERR_OK);
    assert_int_equal(board_signal(f->b, BOARD_SIGNAL_OK), ERR_OK);
    assert_int_equal(board_sim_signals(f->b, got, 4), 3);
    assert_int_equal(got[0], BOARD_SIGNAL_OK);
    assert_int_equal(got[1], BOARD_SIGNAL_ERROR);
    assert_int_equal(got[2], BOARD_SIGNAL_OK);
}

static void scanner_path_that_is_not_fifo_is_refused(void **state)
{
    struct fx *f = *state;
    struct config cfg = f->cfg;
    struct board *b = (struct board *)1;
    char path[128];
    FILE *fp;

    snprintf(path, sizeof path, "%s/plain", f->dir);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fclose(fp);
    strcpy(cfg.scanner, path);
    assert_int_equal(board_open(&cfg, &b), ERR_INVAL);
    assert_null(b);
    unlink(path);
}

static void board_without_fifo_still_takes_injected_scans(void **state)
{
    struct fx *f = *state;
    struct config cfg = f->cfg;
    struct board *b;

    cfg.scanner[0] = '\0';
    assert_int_equal(board_open(&cfg, &b), ERR_OK);
    assert_int_equal(board_scan_fd(b), -1);
    expect_no_scan(b);
    board_sim_inject_scan(b, "z");
    expect_scan(b, "z");
    board_close(b);
}

static void unknown_board_name_is_unsupported(void **state)
{
    struct fx *f = *state;
    struct config cfg = f->cfg;
    struct board *b;

    strcpy(cfg.board, "pdp11");
    assert_int_equal(board_open(&cfg, &b), ERR_UNSUPPORTED);
    assert_null(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(opened_board_is_sim_and_fifo_created),
        T(injected_scans_come_out_in_order),
        T(inject_refuses_line_breaks_and_full_queue),
        T(fifo_lines_become_scans_only_when_whole),
        T(closed_fifo_writer_does_not_wake_poll_forever),
        T(overlong_fifo_line_is_dropped),
        T(short_buffer_cuts_line),
        T(tap_lines_become_taps_not_scans),
        T(manual_clock_moves_only_when_told),
        T(advance_on_real_clock_starts_from_now),
        T(backlight_remembers_last_valid_value),
        T(fail_next_fails_exactly_once),
        T(signals_are_recorded_in_order),
        T(scanner_path_that_is_not_fifo_is_refused),
        T(board_without_fifo_still_takes_injected_scans),
        T(unknown_board_name_is_unsupported),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
