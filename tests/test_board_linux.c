/* tests/test_board_linux.c - the linux board without hardware: the serial
 * scanner through a pseudo-terminal (with unplug and replug), the
 * keyboard-wedge decoder with scanner and human timings, the backlight
 * against a fake sysfs directory, and both watchdogs against a file and a
 * datagram socket standing in for systemd. */
#define _XOPEN_SOURCE 700       /* posix_openpt, ptsname */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "board/board.h"
#include "board/board_feedback.h"
#include "board/board_gpio.h"
#include "board/board_keys.h"
#include "board/board_linux.h"
#include "firmware/config.h"
#include "base/log.h"

struct fx {
    char dir[64];
    char link[96];               /* the udev-style symlink to the scanner */
    struct config cfg;
    struct board *b;
};

static const struct board_linux_tuning fast = {
    .burst_gap_ms = BOARD_KEYS_GAP_MS, .pulse_ms = BOARD_FEEDBACK_PULSE_MS,
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);

    log_set_level(getenv("V") ? LOG_LVL_DEBUG : LOG_LVL_ERROR);
    strcpy(f->dir, "/tmp/boardlx.XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->link, sizeof f->link, "%s/scanner", f->dir);
    config_defaults(&f->cfg);
    strcpy(f->cfg.board, "linux");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    char cmd[128];

    board_close(f->b);
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
    unsetenv("NOTIFY_SOCKET");
    free(f);
    return 0;
}

static void open_board(struct fx *f)
{
    assert_int_equal(board_open(&f->cfg, &f->b), ERR_OK);
    board_linux_tune(f->b, &fast);
}

/* A new pseudo-terminal whose slave the symlink points at (atomically, as
 * udev re-creates /dev/scanner when the device comes back). */
static int plug_pty(struct fx *f)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    char tmp[128];

    assert_true(m >= 0);
    assert_int_equal(grantpt(m), 0);
    assert_int_equal(unlockpt(m), 0);
    snprintf(tmp, sizeof tmp, "%s.new", f->link);
    unlink(tmp);
    assert_int_equal(symlink(ptsname(m), tmp), 0);
    assert_int_equal(rename(tmp, f->link), 0);
    return m;
}

static void put(int fd, const char *s)
{
    assert_int_equal(write(fd, s, strlen(s)), (ssize_t)strlen(s));
}

/* Poll the board for up to tries * 10 ms (pty data arrives
 * asynchronously). */
static err_code poll_scan(struct board *b, char *line, size_t cap,
                          int tries)
{
    size_t len;

    for (int i = 0; i < tries; i++) {
        err_code e = board_scan_poll(b, line, cap, &len);
        struct pollfd p = { .fd = board_scan_fd(b), .events = POLLIN };

        if (e != ERR_NOTFOUND)
            return e;
        if (p.fd < 0 || poll(&p, 1, 10) == 0)
            usleep(p.fd < 0 ? 10000 : 0);
    }
    return ERR_NOTFOUND;
}

/* Expecting a line: wait up to a second. */
static err_code wait_scan(struct board *b, char *line, size_t cap)
{
    return poll_scan(b, line, cap, 100);
}

/* Expecting none: 50 ms is plenty to see that nothing comes. */
static err_code no_scan(struct board *b, char *line, size_t cap)
{
    return poll_scan(b, line, cap, 5);
}

static void serial_scanner_reads_lines_from_pty(void **state)
{
    struct fx *f = *state;
    int m = plug_pty(f);
    char line[BOARD_LINE_MAX];

    snprintf(f->cfg.scanner, sizeof f->cfg.scanner, "serial:%s@115200",
             f->link);
    open_board(f);
    assert_true(board_linux_scanner_connected(f->b));
    put(m, "KSK1:M:M0001\r\nKSK1:M:");
    assert_int_equal(wait_scan(f->b, line, sizeof line), ERR_OK);
    assert_string_equal(line, "KSK1:M:M0001");
    assert_int_equal(no_scan(f->b, line, sizeof line), ERR_NOTFOUND);
    put(m, "M0002\r");
    assert_int_equal(wait_scan(f->b, line, sizeof line), ERR_OK);
    assert_string_equal(line, "KSK1:M:M0002");
    close(m);
}

static void serial_scanner_survives_unplug_and_replug(void **state)
{
    struct fx *f = *state;
    int m = plug_pty(f);
    char line[BOARD_LINE_MAX];

    strcpy(f->cfg.scanner, f->link);      /* bare path: detected as tty */
    open_board(f);
    put(m, "before\n");
    assert_int_equal(wait_scan(f->b, line, sizeof line), ERR_OK);
    assert_string_equal(line, "before");

    close(m);                             /* unplug */
    unlink(f->link);
    assert_int_equal(no_scan(f->b, line, sizeof line), ERR_NOTFOUND);
    assert_false(board_linux_scanner_connected(f->b));
    assert_int_equal(board_scan_fd(f->b), -1);

    m = plug_pty(f);                      /* replug, at a new pts */
    assert_int_equal(no_scan(f->b, line, sizeof line), ERR_NOTFOUND);
    assert_true(board_linux_scanner_connected(f->b));
    put(m, "after\n");
    assert_int_equal(wait_scan(f->b, line, sizeof line), ERR_OK);
    assert_string_equal(line, "after");
    close(m);
}

static void scanner_absent_at_start_is_picked_up_later(void **state)
{
    struct fx *f = *state;
    char line[BOARD_LINE_MAX];
    int m;

    strcpy(f->cfg.scanner, f->link);
    open_board(f);
    assert_false(board_linux_scanner_connected(f->b));
    assert_int_equal(no_scan(f->b, line, sizeof line), ERR_NOTFOUND);
    m = plug_pty(f);
    assert_int_equal(no_scan(f->b, line, sizeof line), ERR_NOTFOUND);
    put(m, "late\n");
    assert_int_equal(wait_scan(f->b, line, sizeof line), ERR_OK);
    assert_string_equal(line, "late");
    close(m);
}

static void reconnect_waits_for_the_interval(void **state)
{
    struct fx *f = *state;
    struct board_linux_tuning slow = { .reconnect_ms = 60000,
                                      .burst_gap_ms = BOARD_KEYS_GAP_MS };
    char line[BOARD_LINE_MAX];
    size_t len;
    int m;

    strcpy(f->cfg.scanner, f->link);
    open_board(f);
    board_linux_tune(f->b, &slow);
    m = plug_pty(f);
    assert_int_equal(board_scan_poll(f->b, line, sizeof line, &len),
                     ERR_NOTFOUND);
    assert_false(board_linux_scanner_connected(f->b));
    close(m);
}

static void serial_garbage_line_is_dropped(void **state)
{
    struct fx *f = *state;
    int m = plug_pty(f);
    char line[BOARD_LINE_MAX], junk[BOARD_LINE_MAX + 100];

    strcpy(f->cfg.scanner, f->link);
    open_board(f);
    memset(junk, '#', sizeof junk - 1);
    junk[sizeof junk - 1] = '\0';
    put(m, junk);
    put(m, "\nok\n");
    assert_int_equal(wait_scan(f->b, line, sizeof line), ERR_OK);
    assert_string_equal(line, "ok");
    close(m);
}

/* ---- keyboard wedge ---- */

static struct input_event key(uint64_t ms, unsigned short code, int value)
{
    struct input_event ev;

    memset(&ev, 0, sizeof ev);
    ev.input_event_sec = (long)(ms / 1000);
    ev.input_event_usec = (long)(ms % 1000) * 1000;
    ev.type = EV_KEY;
    ev.code = code;
    ev.value = value;
    return ev;
}

/* Type codes[] pressing one key every step_ms; returns the feed result of
 * the last event and the line. */
static err_code type_keys(struct board_keys *k, const unsigned short *codes,
                          size_t n, uint64_t step_ms, char *line)
{
    err_code e = ERR_NOTFOUND;
    size_t len;
    uint64_t t = 1000;

    for (size_t i = 0; i < n; i++, t += step_ms) {
        struct input_event down = key(t, codes[i], 1);
        struct input_event up = key(t + 1, codes[i], 0);
        struct input_event syn = { .type = EV_SYN };

        e = board_keys_feed(k, &down, line, BOARD_LINE_MAX, &len);
        if (e == ERR_OK)
            break;
        board_keys_feed(k, &syn, line, BOARD_LINE_MAX, &len);
        board_keys_feed(k, &up, line, BOARD_LINE_MAX, &len);
    }
    return e;
}

static const unsigned short burst[] = {
    KEY_K, KEY_S, KEY_K, KEY_1, KEY_SEMICOLON, KEY_M,
    KEY_SEMICOLON, KEY_M, KEY_0, KEY_0, KEY_0, KEY_7, KEY_ENTER,
};

static void wedge_burst_becomes_a_line(void **state)
{
    struct board_keys k;
    char line[BOARD_LINE_MAX];

    (void)state;
    board_keys_init(&k, BOARD_KEYS_GAP_MS);
    assert_int_equal(type_keys(&k, burst, 13, 5, line), ERR_OK);
    assert_string_equal(line, "ksk1;m;m0007");
}

static void wedge_shift_gives_upper_case_and_colon(void **state)
{
    struct board_keys k;
    char line[BOARD_LINE_MAX];
    size_t len;
    uint64_t t = 5000;
    struct input_event evs[] = {
        key(t, KEY_LEFTSHIFT, 1), key(t + 1, KEY_K, 1), key(t + 2, KEY_K, 0),
        key(t + 3, KEY_SEMICOLON, 1), key(t + 4, KEY_LEFTSHIFT, 0),
        key(t + 5, KEY_1, 1), key(t + 6, KEY_2, 1), key(t + 7, KEY_ENTER, 1),
    };
    err_code e = ERR_NOTFOUND;

    (void)state;
    board_keys_init(&k, BOARD_KEYS_GAP_MS);
    for (size_t i = 0; i < sizeof evs / sizeof evs[0]; i++)
        e = board_keys_feed(&k, &evs[i], line, sizeof line, &len);
    assert_int_equal(e, ERR_OK);
    assert_string_equal(line, "K:12");
    assert_int_equal(len, 4);
}

static void wedge_human_typing_is_not_a_scan(void **state)
{
    struct board_keys k;
    char line[BOARD_LINE_MAX];

    (void)state;
    board_keys_init(&k, BOARD_KEYS_GAP_MS);
    assert_int_equal(type_keys(&k, burst, 13, 150, line), ERR_NOTFOUND);
    /* A burst after the person stops still works. */
    assert_int_equal(type_keys(&k, burst, 13, 3, line), ERR_OK);
}

static void wedge_short_burst_is_rollover(void **state)
{
    struct board_keys k;
    char line[BOARD_LINE_MAX];
    const unsigned short two[] = { KEY_A, KEY_B, KEY_ENTER };

    (void)state;
    board_keys_init(&k, BOARD_KEYS_GAP_MS);
    assert_int_equal(type_keys(&k, two, 3, 2, line), ERR_NOTFOUND);
}

static void wedge_overlong_burst_is_dropped(void **state)
{
    struct board_keys k;
    char line[BOARD_LINE_MAX];
    unsigned short many[BOARD_LINE_MAX + 10];

    (void)state;
    for (size_t i = 0; i < BOARD_LINE_MAX + 9; i++)
        many[i] = KEY_7;
    many[BOARD_LINE_MAX + 9] = KEY_ENTER;
    board_keys_init(&k, BOARD_KEYS_GAP_MS);
    assert_int_equal(type_keys(&k, many, BOARD_LINE_MAX + 10, 1, line),
                     ERR_NOTFOUND);
    assert_int_equal(type_keys(&k, burst, 13, 1, line), ERR_OK);
}

static void evdev_stream_is_decoded_by_the_board(void **state)
{
    struct fx *f = *state;
    char fifo[128], line[BOARD_LINE_MAX];
    int w;
    uint64_t t = 1000;

    snprintf(fifo, sizeof fifo, "%s/event0", f->dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    snprintf(f->cfg.scanner, sizeof f->cfg.scanner, "evdev:%s", fifo);
    open_board(f);
    w = open(fifo, O_WRONLY | O_NONBLOCK);
    assert_true(w >= 0);
    for (size_t i = 0; i < sizeof burst / sizeof burst[0]; i++, t += 4) {
        struct input_event ev = key(t, burst[i], 1);

        assert_int_equal(write(w, &ev, sizeof ev), (ssize_t)sizeof ev);
    }
    assert_int_equal(wait_scan(f->b, line, sizeof line), ERR_OK);
    assert_string_equal(line, "ksk1;m;m0007");
    close(w);
}

/* ---- backlight ---- */

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[192];
    FILE *fp;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void read_file(const char *path, char *buf, size_t cap)
{
    FILE *fp = fopen(path, "r");
    size_t n;

    assert_non_null(fp);
    n = fread(buf, 1, cap - 1, fp);
    buf[n] = '\0';
    fclose(fp);
}

static void expect_brightness(struct fx *f, const char *want)
{
    char path[128], buf[32];

    snprintf(path, sizeof path, "%s/bl/brightness", f->dir);
    read_file(path, buf, sizeof buf);
    assert_string_equal(buf, want);
}

static void backlight_scales_percent_to_max_brightness(void **state)
{
    struct fx *f = *state;
    char bl[96];

    snprintf(bl, sizeof bl, "%s/bl", f->dir);
    assert_int_equal(mkdir(bl, 0700), 0);
    write_file(bl, "max_brightness", "255\n");
    write_file(bl, "brightness", "255\n");
    strcpy(f->cfg.backlight_dir, bl);
    open_board(f);
    assert_int_equal(board_backlight_set(f->b, 40), ERR_OK);
    expect_brightness(f, "102\n");
    assert_int_equal(board_backlight_set(f->b, 100), ERR_OK);
    expect_brightness(f, "255\n");
    assert_int_equal(board_backlight_set(f->b, 0), ERR_OK);
    expect_brightness(f, "0\n");
    assert_int_equal(board_backlight_set(f->b, 150), ERR_INVAL);
    expect_brightness(f, "0\n");
}

static void backlight_low_percent_never_rounds_to_dark(void **state)
{
    struct fx *f = *state;
    char bl[96];

    snprintf(bl, sizeof bl, "%s/bl", f->dir);
    assert_int_equal(mkdir(bl, 0700), 0);
    write_file(bl, "max_brightness", "7");
    write_file(bl, "brightness", "7");
    strcpy(f->cfg.backlight_dir, bl);
    open_board(f);
    assert_int_equal(board_backlight_set(f->b, 1), ERR_OK);
    expect_brightness(f, "1\n");
}

static void backlight_missing_or_broken_is_unsupported(void **state)
{
    struct fx *f = *state;
    char bl[96];

    snprintf(bl, sizeof bl, "%s/bl", f->dir);
    assert_int_equal(mkdir(bl, 0700), 0);
    write_file(bl, "max_brightness", "lots");
    strcpy(f->cfg.backlight_dir, bl);
    open_board(f);
    assert_int_equal(board_backlight_set(f->b, 50), ERR_UNSUPPORTED);
}

/* ---- watchdog ---- */

static void watchdog_device_is_kicked_and_closed_magically(void **state)
{
    struct fx *f = *state;
    char dev[96], buf[16];

    snprintf(dev, sizeof dev, "%s/watchdog", f->dir);
    write_file(f->dir, "watchdog", "");
    strcpy(f->cfg.watchdog, dev);
    open_board(f);
    assert_int_equal(board_watchdog_kick(f->b), ERR_OK);
    assert_int_equal(board_watchdog_kick(f->b), ERR_OK);
    read_file(dev, buf, sizeof buf);
    assert_string_equal(buf, "kk");
    board_close(f->b);
    f->b = NULL;
    read_file(dev, buf, sizeof buf);
    assert_string_equal(buf, "kkV");
}

static void watchdog_kicks_are_rate_limited(void **state)
{
    struct fx *f = *state;
    struct board_linux_tuning t = { .kick_ms = 60000,
                                   .burst_gap_ms = BOARD_KEYS_GAP_MS };
    char dev[96], buf[16];

    snprintf(dev, sizeof dev, "%s/watchdog", f->dir);
    write_file(f->dir, "watchdog", "");
    strcpy(f->cfg.watchdog, dev);
    open_board(f);
    board_linux_tune(f->b, &t);
    for (int i = 0; i < 5; i++)
        assert_int_equal(board_watchdog_kick(f->b), ERR_OK);
    read_file(dev, buf, sizeof buf);
    assert_string_equal(buf, "k");
}

static void watchdog_device_missing_stops_open(void **state)
{
    struct fx *f = *state;

    snprintf(f->cfg.watchdog, sizeof f->cfg.watchdog, "%s/nope/wd", f->dir);
    assert_int_equal(board_open(&f->cfg, &f->b), ERR_IO);
    assert_null(f->b);
}

/* A datagram socket standing in for systemd's notify socket. */
static int notify_listener(const char *name, bool abstract)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    int s = socket(AF_UNIX, SOCK_DGRAM, 0);
    socklen_t len;

    assert_true(s >= 0);
    strcpy(a.sun_path, name);
    len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(name));
    if (abstract)
        a.sun_path[0] = '\0';
    assert_int_equal(bind(s, (struct sockaddr *)&a, len), 0);
    setenv("NOTIFY_SOCKET", name, 1);
    return s;
}

static void expect_notify(int s, const char *want)
{
    char buf[64];
    ssize_t n = recv(s, buf, sizeof buf - 1, MSG_DONTWAIT);

    assert_true(n > 0);
    buf[n] = '\0';
    assert_string_equal(buf, want);
}

static void systemd_watchdog(struct fx *f, int s)
{
    char buf[8];

    strcpy(f->cfg.watchdog, "systemd");
    open_board(f);
    assert_int_equal(board_watchdog_kick(f->b), ERR_OK);
    expect_notify(s, "READY=1\nWATCHDOG=1");
    assert_int_equal(board_watchdog_kick(f->b), ERR_OK);
    expect_notify(s, "WATCHDOG=1");
    assert_true(recv(s, buf, sizeof buf, MSG_DONTWAIT) < 0);
    close(s);
}

static void systemd_watchdog_notifies_path_socket(void **state)
{
    struct fx *f = *state;
    char path[96];

    snprintf(path, sizeof path, "%s/notify", f->dir);
    systemd_watchdog(f, notify_listener(path, false));
}

static void systemd_watchdog_notifies_abstract_socket(void **state)
{
    struct fx *f = *state;
    char name[96];

    snprintf(name, sizeof name, "@kiosk-test-%d", (int)getpid());
    systemd_watchdog(f, notify_listener(name, true));
}

static void systemd_watchdog_without_socket_is_quiet(void **state)
{
    struct fx *f = *state;

    unsetenv("NOTIFY_SOCKET");
    strcpy(f->cfg.watchdog, "systemd");
    open_board(f);
    assert_int_equal(board_watchdog_kick(f->b), ERR_OK);
    assert_int_equal(board_signal(f->b, BOARD_SIGNAL_OK), ERR_UNSUPPORTED);
}

/* ---- LED and buzzer ---- */

static void expect_file(const char *path, const char *want)
{
    char buf[16];

    read_file(path, buf, sizeof buf);
    assert_string_equal(buf, want);
}

struct outputs { char led[96], buzzer[96]; };

static void make_outputs(struct fx *f, struct outputs *o)
{
    snprintf(o->led, sizeof o->led, "%s/led", f->dir);
    snprintf(o->buzzer, sizeof o->buzzer, "%s/buzzer", f->dir);
    write_file(f->dir, "led", "255\n");
    write_file(f->dir, "buzzer", "1\n");
}

static void feedback_ok_is_a_beep_and_a_longer_light(void **state)
{
    struct fx *f = *state;
    struct board_feedback fb;
    struct outputs o;

    make_outputs(f, &o);
    board_feedback_init(&fb, o.led, o.buzzer, 100);
    expect_file(o.led, "0\n");                  /* off at start */
    expect_file(o.buzzer, "0\n");
    assert_int_equal(board_feedback_start(&fb, BOARD_SIGNAL_OK, 1000),
                     ERR_OK);
    expect_file(o.led, "1\n");
    expect_file(o.buzzer, "1\n");
    board_feedback_service(&fb, 1150);
    expect_file(o.led, "1\n");
    expect_file(o.buzzer, "0\n");
    board_feedback_service(&fb, 1499);
    expect_file(o.led, "1\n");
    board_feedback_service(&fb, 1500);
    expect_file(o.led, "0\n");
    assert_false(fb.active);
}

static void feedback_error_pulses_three_times(void **state)
{
    struct fx *f = *state;
    struct board_feedback fb;
    struct outputs o;
    const char *want[] = { "1\n", "0\n", "1\n", "0\n", "1\n", "0\n" };

    make_outputs(f, &o);
    board_feedback_init(&fb, o.led, o.buzzer, 100);
    assert_int_equal(board_feedback_start(&fb, BOARD_SIGNAL_ERROR, 0),
                     ERR_OK);
    for (int i = 0; i < 6; i++) {
        board_feedback_service(&fb, (uint64_t)i * 100 + 50);
        expect_file(o.led, want[i]);
        expect_file(o.buzzer, want[i]);
    }
}

static void feedback_without_outputs_is_unsupported(void **state)
{
    struct board_feedback fb;

    (void)state;
    board_feedback_init(&fb, "", "", 0);
    assert_false(board_feedback_fitted(&fb));
    assert_int_equal(board_feedback_start(&fb, BOARD_SIGNAL_OK, 0),
                     ERR_UNSUPPORTED);
}

static void board_signal_lights_the_configured_led(void **state)
{
    struct fx *f = *state;
    struct outputs o;
    char line[16];
    size_t len;

    make_outputs(f, &o);
    strcpy(f->cfg.led, o.led);
    open_board(f);                      /* buzzer not fitted */
    assert_int_equal(board_signal(f->b, BOARD_SIGNAL_OK), ERR_OK);
    expect_file(o.led, "1\n");
    expect_file(o.buzzer, "1\n");      /* untouched */
    usleep(5 * BOARD_FEEDBACK_PULSE_MS * 1000 + 20000);
    board_scan_poll(f->b, line, sizeof line, &len);   /* services it */
    expect_file(o.led, "0\n");
}

/* ---- GPIO lines (libgpiod) ----
 * This machine has no GPIO chip and no gpio-sim or gpio-mockup module
 * (a container without configfs or module loading), so what is tested is
 * the configuration and every failure path: a real chip is exercised on
 * the unit (docs/board.md). */

static void gpio_lines_that_cannot_be_had_are_refused(void **state)
{
    struct board_gpio *g = (struct board_gpio *)1;

    (void)state;
    assert_int_equal(board_gpio_open("", 3, "t", &g), ERR_NOTFOUND);
    assert_null(g);
    assert_int_equal(board_gpio_open("gpiochip0", -1, "t", &g),
                     ERR_NOTFOUND);
    assert_int_equal(board_gpio_open("gpiochip97", 3, "t", &g),
                     ERR_NOTFOUND);
    assert_int_equal(board_gpio_open("/dev/null", 0, "t", &g),
                     ERR_NOTFOUND);             /* not a GPIO chip */
    assert_null(g);
    board_gpio_close(NULL);
}

static void gpio_chip_missing_leaves_the_board_running_silent(void **state)
{
    struct fx *f = *state;

    strcpy(f->cfg.gpio_chip, "gpiochip97");
    f->cfg.led_line = 17;
    f->cfg.buzzer_line = 27;
    open_board(f);                      /* the kiosk still starts */
    assert_int_equal(board_signal(f->b, BOARD_SIGNAL_OK), ERR_UNSUPPORTED);
}

static void gpio_line_replaces_the_led_file(void **state)
{
    struct fx *f = *state;
    struct board_feedback fb;
    struct outputs o;

    make_outputs(f, &o);
    board_feedback_init(&fb, o.led, o.buzzer, 100);
    /* The LED moves to a line (that cannot be had here): its file is no
     * longer written; the buzzer file still is. */
    assert_int_equal(board_feedback_use_gpio(&fb, "gpiochip97", 5, -1),
                     ERR_NOTFOUND);
    assert_int_equal(board_feedback_start(&fb, BOARD_SIGNAL_OK, 0), ERR_OK);
    expect_file(o.led, "0\n");
    expect_file(o.buzzer, "1\n");
    board_feedback_close(&fb);
}

static void sysfs_gpio_paths_are_refused(void **state)
{
    struct fx *f = *state;

    strcpy(f->cfg.led, "/sys/class/gpio/gpio17/value");
    assert_int_equal(board_open(&f->cfg, &f->b), ERR_INVAL);
    assert_null(f->b);
    assert_true(board_gpio_is_sysfs(
        "/sys/devices/platform/soc/gpio/gpio17/value"));
    assert_false(board_gpio_is_sysfs("/sys/class/leds/led0/brightness"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(serial_scanner_reads_lines_from_pty),
        T(serial_scanner_survives_unplug_and_replug),
        T(scanner_absent_at_start_is_picked_up_later),
        T(reconnect_waits_for_the_interval),
        T(serial_garbage_line_is_dropped),
        T(wedge_burst_becomes_a_line),
        T(wedge_shift_gives_upper_case_and_colon),
        T(wedge_human_typing_is_not_a_scan),
        T(wedge_short_burst_is_rollover),
        T(wedge_overlong_burst_is_dropped),
        T(evdev_stream_is_decoded_by_the_board),
        T(backlight_scales_percent_to_max_brightness),
        T(backlight_low_percent_never_rounds_to_dark),
        T(backlight_missing_or_broken_is_unsupported),
        T(watchdog_device_is_kicked_and_closed_magically),
        T(watchdog_kicks_are_rate_limited),
        T(watchdog_device_missing_stops_open),
        T(systemd_watchdog_notifies_path_socket),
        T(systemd_watchdog_notifies_abstract_socket),
        T(systemd_watchdog_without_socket_is_quiet),
        T(feedback_ok_is_a_beep_and_a_longer_light),
        T(feedback_error_pulses_three_times),
        T(feedback_without_outputs_is_unsupported),
        T(board_signal_lights_the_configured_led),
        T(gpio_lines_that_cannot_be_had_are_refused),
        T(gpio_chip_missing_leaves_the_board_running_silent),
        T(gpio_line_replaces_the_led_file),
        T(sysfs_gpio_paths_are_refused),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
