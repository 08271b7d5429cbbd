/* board/board_linux.c - the real board (kiosk.board = linux): a serial or
 * keyboard-wedge scanner that may be unplugged and plugged back at any
 * time, a sysfs backlight and a watchdog (systemd or a device). A missing
 * scanner or backlight never stops the kiosk: it logs and carries on, and
 * the technician screen shows the state. A watchdog device that cannot be
 * opened does stop it, since a kiosk nobody watches must not look healthy.
 * This file must not block: every descriptor is non-blocking. */
#include "board/board_linux.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "board/board_feedback.h"
#include "board/board_gpio.h"
#include "board/board_keys.h"
#include "board/board_lines.h"
#include "board/board_printer.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/xmalloc.h"

enum scan_kind { SCAN_AUTO, SCAN_SERIAL, SCAN_EVDEV, SCAN_STREAM };
enum wd_kind { WD_NONE, WD_SYSTEMD, WD_DEVICE };

struct lx {
    struct board_linux_tuning tune;
    /* scanner */
    char     scan_path[CONFIG_STR];
    enum scan_kind want, kind;
    speed_t  baud;
    int      scan_fd;
    uint64_t last_try_ms;
    bool     warned;                   /* "unplugged" logged already */
    struct board_lines lines;
    struct board_keys keys;
    /* backlight */
    char     brightness[CONFIG_STR + 16];
    long     max_brightness;           /* 0: no backlight */
    struct board_feedback feedback;    /* LED and buzzer */
    /* watchdog */
    enum wd_kind wd;
    int      wd_fd;                    /* device, or datagram socket */
    struct sockaddr_un notify;
    socklen_t notify_len;
    bool     kicked;
    uint64_t last_kick_ms;
    struct board_printer printer;      /* receipts; path "": none */
};

static speed_t baud_of(long b)
{
    switch (b) {
    case 1200: return B1200;
    case 2400: return B2400;
    case 4800: return B4800;
    case 9600: return B9600;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 115200: return B115200;
    default: return 0;
    }
}

/* "serial:PATH[@BAUD]", "evdev:PATH" or PATH. */
static err_code parse_scanner(struct lx *l, const char *spec)
{
    char *at;

    l->want = SCAN_AUTO;
    l->baud = B9600;
    if (strncmp(spec, "serial:", 7) == 0) {
        l->want = SCAN_SERIAL;
        spec += 7;
    } else if (strncmp(spec, "evdev:", 6) == 0) {
        l->want = SCAN_EVDEV;
        spec += 6;
    }
    str_copy(l->scan_path, sizeof l->scan_path, spec);
    at = strrchr(l->scan_path, '@');
    if (at != NULL && l->want != SCAN_EVDEV) {
        l->baud = baud_of(strtol(at + 1, NULL, 10));
        *at = '\0';
        if (l->baud == 0) {
            log_error("board linux: scanner %s: unsupported baud rate", spec);
            return ERR_INVAL;
        }
    }
    return ERR_OK;
}

/* Raw 8N1, no echo, no line editing: the scanner's bytes as they come. */
static err_code set_raw(int fd, speed_t baud)
{
    struct termios t;

    if (tcgetattr(fd, &t) != 0)
        return ERR_IO;
    cfmakeraw(&t);
    t.c_cflag |= CLOCAL | CREAD;
    /* VMIN 1 with O_NONBLOCK: an empty line reads EAGAIN, so a read of 0
     * means the device hung up (unplugged), as for any other stream. */
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    cfsetispeed(&t, baud);
    cfsetospeed(&t, baud);
    if (tcsetattr(fd, TCSANOW, &t) != 0)
        return ERR_IO;
    tcflush(fd, TCIFLUSH);          /* half a code from before: garbage */
    return ERR_OK;
}

/* Decide what the opened node is and prepare it. */
static err_code scanner_setup(struct lx *l, int fd)
{
    int version;

    if (l->want == SCAN_EVDEV ||
        (l->want == SCAN_AUTO && ioctl(fd, EVIOCGVERSION, &version) == 0)) {
        l->kind = SCAN_EVDEV;
        /* Grab it so the codes never reach a console or the UI as keys. */
        if (ioctl(fd, EVIOCGRAB, (void *)1) != 0 && errno != ENOTTY &&
            errno != EINVAL)
            log_warn("board linux: cannot grab %s: %s", l->scan_path,
                     strerror(errno));
        board_keys_init(&l->keys, l->tune.burst_gap_ms);
        return ERR_OK;
    }
    if (isatty(fd)) {
        l->kind = SCAN_SERIAL;
        return set_raw(fd, l->baud);
    }
    l->kind = SCAN_STREAM;      /* a FIFO or file: scripted input */
    return ERR_OK;
}

static void scanner_open(struct lx *l)
{
    int fd = open(l->scan_path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);

    l->last_try_ms = clock_mono_ms();
    if (fd >= 0 && scanner_setup(l, fd) != ERR_OK) {
        close(fd);
        fd = -1;
    }
    if (fd < 0) {
        if (!l->warned)
            log_warn("board linux: scanner %s not available: %s",
                     l->scan_path, strerror(errno));
        l->warned = true;
        return;
    }
    board_lines_reset(&l->lines);
    l->scan_fd = fd;
    l->warned = false;
    log_info("board linux: scanner %s connected", l->scan_path);
}

static void scanner_lost(struct lx *l, const char *why)
{
    log_warn("board linux: scanner %s lost (%s); will reconnect",
             l->scan_path, why);
    close(l->scan_fd);
    l->scan_fd = -1;
    l->warned = true;
    l->last_try_ms = clock_mono_ms();
}

/* Read what a line stream has; ERR_OK with a line, else ERR_NOTFOUND. */
static err_code poll_lines(struct lx *l, char *line, size_t cap, size_t *len)
{
    for (;;) {
        size_t room;
        char *space;
        ssize_t r;

        if (board_lines_take(&l->lines, line, cap, len) == ERR_OK)
            return ERR_OK;
        space = board_lines_space(&l->lines, &room);
        r = read(l->scan_fd, space, room);
        if (r > 0) {
            board_lines_commit(&l->lines, (size_t)r);
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && errno == EAGAIN)
            return ERR_NOTFOUND;
        scanner_lost(l, r == 0 ? "end of file" : strerror(errno));
        return ERR_NOTFOUND;
    }
}

/* Read key events one at a time, so none is lost past a finished line. */
static err_code poll_keys(struct lx *l, char *line, size_t cap, size_t *len)
{
    for (;;) {
        struct input_event ev;
        ssize_t r = read(l->scan_fd, &ev, sizeof ev);

        if (r == (ssize_t)sizeof ev) {
            if (board_keys_feed(&l->keys, &ev, line, cap, len) == ERR_OK)
                return ERR_OK;
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && errno == EAGAIN)
            return ERR_NOTFOUND;
        scanner_lost(l, r == 0 ? "end of file"
                        : r > 0 ? "short event" : strerror(errno));
        return ERR_NOTFOUND;
    }
}

static err_code lx_scan_poll(void *priv, char *line, size_t cap, size_t *len)
{
    struct lx *l = priv;

    board_feedback_service(&l->feedback, clock_mono_ms());
    if (l->scan_path[0] == '\0')
        return ERR_NOTFOUND;
    if (l->scan_fd < 0) {
        if (clock_mono_ms() - l->last_try_ms < l->tune.reconnect_ms)
            return ERR_NOTFOUND;
        scanner_open(l);
        if (l->scan_fd < 0)
            return ERR_NOTFOUND;
    }
    if (l->kind == SCAN_EVDEV)
        return poll_keys(l, line, cap, len);
    return poll_lines(l, line, cap, len);
}

static int lx_scan_fd(void *priv)
{
    return ((struct lx *)priv)->scan_fd;
}

/* Read a small decimal sysfs value. */
static err_code read_long(const char *path, long *out)
{
    char buf[32];
    ssize_t r;
    char *end;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return ERR_IO;
    r = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (r <= 0)
        return ERR_IO;
    buf[r] = '\0';
    *out = strtol(buf, &end, 10);
    if (end == buf || (*end != '\0' && *end != '\n'))
        return ERR_INVAL;
    return ERR_OK;
}

static void backlight_init(struct lx *l, const char *dir)
{
    char path[CONFIG_STR + 32];
    long max = 0;

    if (dir[0] == '\0')
        return;
    snprintf(path, sizeof path, "%s/max_brightness", dir);
    if (read_long(path, &max) != ERR_OK || max <= 0 || max > 1000000) {
        log_error("board linux: backlight %s unusable; not dimming", dir);
        return;
    }
    snprintf(l->brightness, sizeof l->brightness, "%s/brightness", dir);
    l->max_brightness = max;
}

static err_code lx_backlight_set(void *priv, int percent)
{
    struct lx *l = priv;
    char buf[24];
    long v;
    int fd, n;
    ssize_t w;

    if (l->max_brightness == 0)
        return ERR_UNSUPPORTED;
    if (percent < 0 || percent > 100)
        return ERR_INVAL;
    v = (l->max_brightness * percent + 50) / 100;
    if (v == 0 && percent > 0)
        v = 1;                      /* dim, but never dark by rounding */
    n = snprintf(buf, sizeof buf, "%ld\n", v);
    fd = open(l->brightness, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0) {
        log_error("board linux: %s: %s", l->brightness, strerror(errno));
        return ERR_IO;
    }
    w = write(fd, buf, (size_t)n);
    close(fd);
    if (w != n) {
        log_error("board linux: write %s failed", l->brightness);
        return ERR_IO;
    }
    return ERR_OK;
}

/* $NOTIFY_SOCKET is a path, or "@name" for an abstract socket. */
static err_code systemd_init(struct lx *l)
{
    const char *env = getenv("NOTIFY_SOCKET");
    size_t n;

    if (env == NULL || env[0] == '\0' ||
        (n = strlen(env)) >= sizeof l->notify.sun_path) {
        log_warn("board linux: watchdog = systemd but no usable "
                 "NOTIFY_SOCKET; not kicking");
        return ERR_OK;
    }
    l->notify.sun_family = AF_UNIX;
    memcpy(l->notify.sun_path, env, n);
    if (env[0] == '@')
        l->notify.sun_path[0] = '\0';
    l->notify_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
    l->wd_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (l->wd_fd < 0) {
        log_error("board linux: notify socket: %s", strerror(errno));
        return ERR_IO;
    }
    l->wd = WD_SYSTEMD;
    return ERR_OK;
}

static err_code watchdog_init(struct lx *l, const char *spec)
{
    if (spec[0] == '\0' || strcmp(spec, "none") == 0)
        return ERR_OK;
    if (strcmp(spec, "systemd") == 0)
        return systemd_init(l);
    /* Opening the device arms it: from here on we must keep kicking. */
    l->wd_fd = open(spec, O_WRONLY | O_CLOEXEC);
    if (l->wd_fd < 0) {
        log_error("board linux: watchdog %s: %s", spec, strerror(errno));
        return ERR_IO;
    }
    l->wd = WD_DEVICE;
    return ERR_OK;
}

static err_code kick_systemd(struct lx *l)
{
    /* The first kick also says READY=1: the unit is Type=notify and the
     * kiosk is ready once its main loop runs. */
    const char *msg = l->kicked ? "WATCHDOG=1" : "READY=1\nWATCHDOG=1";

    if (sendto(l->wd_fd, msg, strlen(msg), MSG_NOSIGNAL,
               (const struct sockaddr *)&l->notify, l->notify_len) < 0) {
        log_error("board linux: sd_notify: %s", strerror(errno));
        return ERR_IO;
    }
    return ERR_OK;
}

static err_code lx_watchdog_kick(void *priv)
{
    struct lx *l = priv;
    uint64_t now = clock_mono_ms();
    err_code e = ERR_OK;

    board_feedback_service(&l->feedback, now);
    if (l->wd == WD_NONE)
        return ERR_OK;
    if (l->kicked && now - l->last_kick_ms < l->tune.kick_ms)
        return ERR_OK;
    if (l->wd == WD_SYSTEMD) {
        e = kick_systemd(l);
    } else if (write(l->wd_fd, "k", 1) != 1) {
        log_error("board linux: watchdog write: %s", strerror(errno));
        e = ERR_IO;
    }
    if (e == ERR_OK) {
        l->kicked = true;
        l->last_kick_ms = now;
    }
    return e;
}

static void lx_close(void *priv)
{
    struct lx *l = priv;

    if (l->wd == WD_DEVICE) {
        /* Magic close: a clean exit disarms; systemd restarts us. */
        if (write(l->wd_fd, "V", 1) != 1)
            log_warn("board linux: watchdog magic close failed");
    }
    if (l->wd_fd >= 0)
        close(l->wd_fd);
    if (l->scan_fd >= 0)
        close(l->scan_fd);
    board_feedback_close(&l->feedback);
    free(l);
}

static err_code lx_open(const struct config *cfg, void **priv)
{
    struct lx *l = xcalloc(1, sizeof *l);
    err_code e;

    l->tune = (struct board_linux_tuning){ BOARD_LINUX_RECONNECT_MS,
        BOARD_LINUX_KICK_MS, BOARD_KEYS_GAP_MS, BOARD_FEEDBACK_PULSE_MS };
    l->scan_fd = -1;
    l->wd_fd = -1;
    e = parse_scanner(l, cfg->scanner);
    if (e == ERR_OK)
        e = watchdog_init(l, cfg->watchdog);
    /* sysfs GPIO numbers change between kernels: lines are named by chip
     * and offset instead (board.gpio_chip, led_line, buzzer_line). */
    if (e == ERR_OK && (board_gpio_is_sysfs(cfg->led) ||
                        board_gpio_is_sysfs(cfg->buzzer))) {
        log_error("board linux: sysfs GPIO is not supported; set"
                  " board.gpio_chip and board.led_line / buzzer_line");
        e = ERR_INVAL;
    }
    if (e != ERR_OK) {
        lx_close(l);
        return e;
    }
    backlight_init(l, cfg->backlight_dir);
    board_feedback_init(&l->feedback, cfg->led, cfg->buzzer,
                        l->tune.pulse_ms);
    /* A missing chip or busy line leaves that output unfitted, logged: the
     * kiosk works without a beep. */
    if (cfg->led_line >= 0 || cfg->buzzer_line >= 0)
        board_feedback_use_gpio(&l->feedback, cfg->gpio_chip, cfg->led_line,
                                cfg->buzzer_line);
    if (l->scan_path[0] != '\0')
        scanner_open(l);
    board_printer_init(&l->printer, cfg->printer, cfg->printer_baud);
    *priv = l;
    return ERR_OK;
}

static err_code lx_signal(void *priv, enum board_signal sig)
{
    struct lx *l = priv;

    return board_feedback_start(&l->feedback, sig, clock_mono_ms());
}

static err_code lx_print(void *priv, const uint8_t *bytes, size_t len)
{
    struct lx *l = priv;

    return board_printer_print(&l->printer, bytes, len);
}

static uint64_t lx_now_ms(void *priv)
{
    (void)priv;
    return clock_mono_ms();
}

const struct board_ops board_linux_ops = {
    .name = "linux",
    .open = lx_open,
    .close = lx_close,
    .scan_poll = lx_scan_poll,
    .scan_fd = lx_scan_fd,
    .backlight_set = lx_backlight_set,
    .watchdog_kick = lx_watchdog_kick,
    .signal = lx_signal,
    .now_ms = lx_now_ms,
    .print = lx_print,
};

static struct lx *lx_of(struct board *b)
{
    assert(strcmp(board_name(b), "linux") == 0);
    return board_priv(b);
}

void board_linux_tune(struct board *b, const struct board_linux_tuning *t)
{
    struct lx *l = lx_of(b);

    l->tune = *t;
    l->keys.gap_ms = t->burst_gap_ms;
    l->feedback.pulse_ms = t->pulse_ms ? t->pulse_ms : BOARD_FEEDBACK_PULSE_MS;
}

bool board_linux_scanner_connected(struct board *b)
{
    return lx_of(b)->scan_fd >= 0;
}
