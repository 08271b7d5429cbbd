/* board/board_sim.c - the simulated board: scans from a FIFO and from
 * board_sim_inject_scan, a manual clock, a backlight that only remembers,
 * and failures on demand. Production code (the desktop demo runs on it),
 * so it caps everything it reads like the real board does. It must not
 * touch SDL: the keyboard-as-scanner lives in ui/ and injects here. */
#include "board/board_sim.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "board/board_lines.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/xmalloc.h"

struct sim_tap { int x, y; };

struct sim {
    int      fd;                           /* FIFO, or -1 */
    struct board_lines lines;
    char     scans[BOARD_SIM_QUEUE][BOARD_LINE_MAX];
    size_t   scan_head, scan_count;
    struct sim_tap taps[BOARD_SIM_QUEUE];
    size_t   tap_head, tap_count;
    bool     manual_clock;
    uint64_t clock_ms;
    int      backlight;
    err_code fail[BOARD_SIM_CALLS];
    enum board_signal signals[BOARD_SIM_SIGNALS];
    size_t   signal_count;
    unsigned kicks;
    char     printer[CONFIG_STR];          /* receipts go here; "": none */
    bool     paper_out;
};

static struct sim *sim_of(struct board *b)
{
    assert(strcmp(board_name(b), "sim") == 0);
    return board_priv(b);
}

/* Consume a pending injected failure for that call, if any. */
static err_code take_fail(struct sim *s, enum board_sim_call call)
{
    err_code e = s->fail[call];

    s->fail[call] = ERR_OK;
    return e;
}

/* Create the FIFO if missing and open it read-write: holding a writer
 * ourselves means the FIFO never reports end-of-file when a script closes
 * it, so a poll loop on scan_fd does not spin. */
static err_code open_fifo(const char *path, int *fd)
{
    struct stat st;

    if (stat(path, &st) != 0) {
        if (errno != ENOENT || mkfifo(path, 0600) != 0) {
            log_error("board sim: %s: %s", path, strerror(errno));
            return ERR_IO;
        }
    } else if (!S_ISFIFO(st.st_mode)) {
        log_error("board sim: %s exists and is not a FIFO", path);
        return ERR_INVAL;
    }
    *fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (*fd < 0) {
        log_error("board sim: open %s: %s", path, strerror(errno));
        return ERR_IO;
    }
    return ERR_OK;
}

static err_code sim_open(const struct config *cfg, void **priv)
{
    struct sim *s = xcalloc(1, sizeof *s);

    s->fd = -1;
    s->backlight = -1;
    str_copy(s->printer, sizeof s->printer, cfg->printer);
    if (cfg->scanner[0] != '\0') {
        err_code e = open_fifo(cfg->scanner, &s->fd);

        if (e != ERR_OK) {
            free(s);
            return e;
        }
    }
    *priv = s;
    return ERR_OK;
}

static void sim_close(void *priv)
{
    struct sim *s = priv;

    if (s->fd >= 0)
        close(s->fd);
    free(s);
}

static void push_scan(struct sim *s, const char *line)
{
    size_t slot = (s->scan_head + s->scan_count) % BOARD_SIM_QUEUE;

    assert(s->scan_count < BOARD_SIM_QUEUE);
    str_copy(s->scans[slot], sizeof s->scans[slot], line);
    s->scan_count++;
}

/* A FIFO line is a tap ("tap X Y") or a scan. */
static void dispatch(struct sim *s, const char *line)
{
    int x, y;
    char end;

    if (strncmp(line, "tap ", 4) != 0) {
        push_scan(s, line);
        return;
    }
    if (sscanf(line + 4, "%d %d%c", &x, &y, &end) != 2 || x < 0 || y < 0) {
        log_warn("board sim: bad tap line ignored");
        return;
    }
    s->taps[(s->tap_head + s->tap_count) % BOARD_SIM_QUEUE] =
        (struct sim_tap){ x, y };
    s->tap_count++;
}

/* Move whole lines from the FIFO into the queues while both have room;
 * what does not fit stays in the FIFO, so nothing is lost or unbounded. */
static void pump(struct sim *s)
{
    char line[BOARD_LINE_MAX];
    size_t len, room;

    if (s->fd < 0)
        return;
    while (s->scan_count < BOARD_SIM_QUEUE && s->tap_count < BOARD_SIM_QUEUE) {
        char *space;
        ssize_t r;

        if (board_lines_take(&s->lines, line, sizeof line, &len) == ERR_OK) {
            dispatch(s, line);
            continue;
        }
        space = board_lines_space(&s->lines, &room);
        r = read(s->fd, space, room);
        if (r <= 0)
            return;
        board_lines_commit(&s->lines, (size_t)r);
    }
}

static err_code sim_scan_poll(void *priv, char *line, size_t cap,
                              size_t *len)
{
    struct sim *s = priv;
    err_code e = take_fail(s, BOARD_SIM_SCAN);

    if (e != ERR_OK)
        return e;
    pump(s);
    if (s->scan_count == 0)
        return ERR_NOTFOUND;
    str_copy(line, cap, s->scans[s->scan_head]);
    *len = strlen(line);
    s->scan_head = (s->scan_head + 1) % BOARD_SIM_QUEUE;
    s->scan_count--;
    return ERR_OK;
}

static int sim_scan_fd(void *priv)
{
    return ((struct sim *)priv)->fd;
}

static err_code sim_backlight_set(void *priv, int percent)
{
    struct sim *s = priv;
    err_code e = take_fail(s, BOARD_SIM_BACKLIGHT);

    if (e != ERR_OK)
        return e;
    if (percent < 0 || percent > 100)
        return ERR_INVAL;
    s->backlight = percent;
    return ERR_OK;
}

static err_code sim_watchdog_kick(void *priv)
{
    struct sim *s = priv;
    err_code e = take_fail(s, BOARD_SIM_WATCHDOG);

    if (e == ERR_OK)
        s->kicks++;
    return e;
}

static err_code sim_signal(void *priv, enum board_signal sig)
{
    struct sim *s = priv;
    err_code e = take_fail(s, BOARD_SIM_SIGNAL);

    if (e != ERR_OK)
        return e;
    if (s->signal_count < BOARD_SIM_SIGNALS)
        s->signals[s->signal_count] = sig;
    s->signal_count++;
    return ERR_OK;
}

static uint64_t sim_now_ms(void *priv)
{
    struct sim *s = priv;

    return s->manual_clock ? s->clock_ms : (uint64_t)clock_mono_ms();
}

static err_code sim_scan_inject(void *priv, const char *line)
{
    struct sim *s = priv;

    if (strpbrk(line, "\r\n") != NULL)
        return ERR_INVAL;
    if (s->scan_count >= BOARD_SIM_QUEUE)
        return ERR_BUSY;
    push_scan(s, line);
    return ERR_OK;
}

static err_code sim_tap_poll(void *priv, int *x, int *y)
{
    struct sim *s = priv;

    pump(s);
    if (s->tap_count == 0)
        return ERR_NOTFOUND;
    *x = s->taps[s->tap_head].x;
    *y = s->taps[s->tap_head].y;
    s->tap_head = (s->tap_head + 1) % BOARD_SIM_QUEUE;
    s->tap_count--;
    return ERR_OK;
}

/* The paper switch: board_sim_paper_out, or a file PRINTER.paperout a
 * shell script can create. */
static bool sim_paper_out(const struct sim *s)
{
    char flag[CONFIG_STR + 16];

    snprintf(flag, sizeof flag, "%s.paperout", s->printer);
    return s->paper_out || access(flag, F_OK) == 0;
}

static err_code sim_print(void *priv, const uint8_t *bytes, size_t len)
{
    struct sim *s = priv;
    err_code e = take_fail(s, BOARD_SIM_PRINT);
    FILE *f;

    if (e != ERR_OK)
        return e;
    if (s->printer[0] == '\0')
        return ERR_UNSUPPORTED;
    if (sim_paper_out(s))
        return ERR_IO;
    f = fopen(s->printer, "ab");
    if (f == NULL) {
        log_error("board sim: printer %s: %s", s->printer, strerror(errno));
        return ERR_IO;
    }
    if (fwrite(bytes, 1, len, f) != len) {
        fclose(f);
        return ERR_IO;
    }
    return fclose(f) == 0 ? ERR_OK : ERR_IO;
}

const struct board_ops board_sim_ops = {
    .name = "sim",
    .open = sim_open,
    .close = sim_close,
    .scan_poll = sim_scan_poll,
    .scan_fd = sim_scan_fd,
    .backlight_set = sim_backlight_set,
    .watchdog_kick = sim_watchdog_kick,
    .signal = sim_signal,
    .now_ms = sim_now_ms,
    .tap_poll = sim_tap_poll,
    .scan_inject = sim_scan_inject,
    .print = sim_print,
};

err_code board_sim_inject_scan(struct board *b, const char *line)
{
    return sim_scan_inject(sim_of(b), line);
}

err_code board_sim_tap_poll(struct board *b, int *x, int *y)
{
    return sim_tap_poll(sim_of(b), x, y);
}

void board_sim_set_clock_ms(struct board *b, uint64_t ms)
{
    struct sim *s = sim_of(b);

    s->manual_clock = true;
    s->clock_ms = ms;
}

void board_sim_advance_ms(struct board *b, uint64_t ms)
{
    struct sim *s = sim_of(b);

    if (!s->manual_clock)
        board_sim_set_clock_ms(b, (uint64_t)clock_mono_ms());
    s->clock_ms += ms;
}

int board_sim_backlight(struct board *b)
{
    return sim_of(b)->backlight;
}

void board_sim_fail_next(struct board *b, enum board_sim_call call,
                         err_code e)
{
    assert(call < BOARD_SIM_CALLS);
    sim_of(b)->fail[call] = e;
}

size_t board_sim_signals(struct board *b, enum board_signal *out, size_t cap)
{
    struct sim *s = sim_of(b);
    size_t kept = s->signal_count < BOARD_SIM_SIGNALS ? s->signal_count
                                                      : BOARD_SIM_SIGNALS;

    for (size_t i = 0; i < kept && i < cap; i++)
        out[i] = s->signals[i];
    return s->signal_count;
}

unsigned board_sim_watchdog_kicks(struct board *b)
{
    return sim_of(b)->kicks;
}

void board_sim_paper_out(struct board *b, bool out)
{
    sim_of(b)->paper_out = out;
}
