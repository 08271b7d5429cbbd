/* tests/test_board_printer.c - the board's print operation on both
 * boards. The sim board appends to a file and can be out of paper (by
 * call or by a .paperout file). The linux board talks to a printer
 * played by this test on a pseudo-terminal: a thread that answers the
 * real-time status queries (DLE EOT 1 and 4) with the bytes a printer
 * sends, or not at all, and keeps everything else it is sent. */
#define _XOPEN_SOURCE 700       /* posix_openpt, ptsname */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "base/file.h"
#include "base/log.h"
#include "board/board.h"
#include "board/board_printer.h"
#include "board/board_sim.h"
#include "firmware/config.h"

static const uint8_t receipt[] = "\x1b@\x1c&HQ01-0042\n\x1dV\x42\x00";
#define RECEIPT_LEN (sizeof receipt - 1)

struct fx {
    char dir[64], path[96];
    struct config cfg;
    struct board *b;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);

    log_set_level(LOG_LVL_ERROR);
    strcpy(f->dir, "/tmp/printer.XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/receipts.bin", f->dir);
    config_defaults(&f->cfg);
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
    free(f);
    return 0;
}

static void open_board(struct fx *f, const char *board, const char *printer)
{
    strcpy(f->cfg.board, board);
    strcpy(f->cfg.printer, printer);
    assert_int_equal(board_open(&f->cfg, &f->b), ERR_OK);
}

static size_t printed(struct fx *f, char **data)
{
    size_t n = 0;

    if (file_read_capped(f->path, 1 << 20, data, &n) != ERR_OK)
        return 0;
    return n;
}

static void sim_without_printer_is_unsupported(void **state)
{
    struct fx *f = *state;

    open_board(f, "sim", "");
    assert_int_equal(board_print(f->b, receipt, RECEIPT_LEN),
                     ERR_UNSUPPORTED);
}

static void sim_appends_each_receipt_to_its_file(void **state)
{
    struct fx *f = *state;
    char *data;

    open_board(f, "sim", f->path);
    assert_int_equal(board_print(f->b, receipt, RECEIPT_LEN), ERR_OK);
    assert_int_equal(board_print(f->b, receipt, RECEIPT_LEN), ERR_OK);
    assert_int_equal(printed(f, &data), 2 * RECEIPT_LEN);
    assert_memory_equal(data + RECEIPT_LEN, receipt, RECEIPT_LEN);
    free(data);
}

static void sim_out_of_paper_prints_nothing(void **state)
{
    struct fx *f = *state;
    char flag[128], *data = NULL;

    open_board(f, "sim", f->path);
    board_sim_paper_out(f->b, true);
    assert_int_equal(board_print(f->b, receipt, RECEIPT_LEN), ERR_IO);
    assert_int_equal(printed(f, &data), 0);
    board_sim_paper_out(f->b, false);
    /* The switch a shell script uses. */
    snprintf(flag, sizeof flag, "%s.paperout", f->path);
    assert_int_equal(file_write_atomic(flag, "", 0, 0600), ERR_OK);
    assert_int_equal(board_print(f->b, receipt, RECEIPT_LEN), ERR_IO);
    unlink(flag);
    board_sim_fail_next(f->b, BOARD_SIM_PRINT, ERR_IO);
    assert_int_equal(board_print(f->b, receipt, RECEIPT_LEN), ERR_IO);
    assert_int_equal(board_print(f->b, receipt, RECEIPT_LEN), ERR_OK);
    assert_int_equal(printed(f, &data), RECEIPT_LEN);
    free(data);
}

/* The printer on the master side of a pty. */
struct printer {
    int      master, slave;      /* slave held open: no hang-up between */
    volatile int eot1, eot4;     /* answers; -1: stays silent */
    volatile bool done;
    uint8_t  got[4096];
    size_t   n;
    int      queries;
    pthread_t thread;
};

static void answer(struct printer *p, uint8_t n)
{
    int reply = n == 1 ? p->eot1 : n == 4 ? p->eot4 : -1;
    uint8_t b = (uint8_t)reply;

    p->queries++;
    if (reply >= 0)
        assert_int_equal(write(p->master, &b, 1), 1);
}

/* Read until told to stop and nothing more comes within 100 ms. */
static void *printer_run(void *arg)
{
    struct printer *p = arg;
    uint8_t buf[256];

    for (;;) {
        struct pollfd pf = { .fd = p->master, .events = POLLIN };
        int r = poll(&pf, 1, 100);
        if (r <= 0) {
            if (p->done)
                return NULL;
            continue;
        }
        ssize_t k = read(p->master, buf, sizeof buf);
        for (ssize_t i = 0; i < k; i++) {
            if (p->n >= 2 && p->got[p->n - 2] == 0x10 &&
                p->got[p->n - 1] == 0x04) {
                p->n -= 2;              /* a query, not receipt bytes */
                answer(p, buf[i]);
            } else if (p->n < sizeof p->got) {
                p->got[p->n++] = buf[i];
            }
        }
    }
}

static void printer_start(struct printer *p, int eot1, int eot4)
{
    struct termios t;

    memset(p, 0, sizeof *p);
    p->eot1 = eot1;
    p->eot4 = eot4;
    p->master = posix_openpt(O_RDWR | O_NOCTTY);
    assert_true(p->master >= 0);
    assert_int_equal(grantpt(p->master), 0);
    assert_int_equal(unlockpt(p->master), 0);
    p->slave = open(ptsname(p->master), O_RDWR | O_NOCTTY);
    assert_true(p->slave >= 0);
    assert_int_equal(tcgetattr(p->slave, &t), 0);
    cfmakeraw(&t);
    assert_int_equal(tcsetattr(p->slave, TCSANOW, &t), 0);
    assert_int_equal(pthread_create(&p->thread, NULL, printer_run, p), 0);
}

static void printer_stop(struct printer *p)
{
    p->done = true;
    pthread_join(p->thread, NULL);
    close(p->slave);
    close(p->master);
}

/* Print on the linux board to a printer answering eot1/eot4. */
static err_code print_to(struct fx *f, struct printer *p, int eot1,
                         int eot4)
{
    err_code e;

    printer_start(p, eot1, eot4);
    f->cfg.printer_baud = 19200;
    open_board(f, "linux", ptsname(p->master));
    e = board_print(f->b, receipt, RECEIPT_LEN);
    printer_stop(p);
    return e;
}

static void linux_ready_printer_gets_the_bytes(void **state)
{
    struct printer p;

    assert_int_equal(print_to(*state, &p, 0x12, 0x12), ERR_OK);
    assert_int_equal(p.queries, 2);
    assert_int_equal(p.n, RECEIPT_LEN);
    assert_memory_equal(p.got, receipt, RECEIPT_LEN);
}

static void linux_paper_low_still_prints(void **state)
{
    struct printer p;

    assert_int_equal(print_to(*state, &p, 0x12, 0x12 | 0x0c), ERR_OK);
    assert_int_equal(p.n, RECEIPT_LEN);
}

static void linux_paper_out_prints_nothing(void **state)
{
    struct printer p;

    assert_int_equal(print_to(*state, &p, 0x12, 0x12 | 0x60), ERR_IO);
    assert_int_equal(p.n, 0);
}

static void linux_offline_prints_nothing(void **state)
{
    struct printer p;

    assert_int_equal(print_to(*state, &p, 0x12 | 0x08, 0x12), ERR_IO);
    assert_int_equal(p.queries, 1);
    assert_int_equal(p.n, 0);
}

/* A printer that never answers (many USB ones) is printed to anyway. */
static void linux_silent_printer_still_gets_the_bytes(void **state)
{
    struct printer p;

    assert_int_equal(print_to(*state, &p, -1, -1), ERR_OK);
    assert_int_equal(p.n, RECEIPT_LEN);
}

static void linux_unplugged_or_unfitted(void **state)
{
    struct fx *f = *state;
    char gone[128];

    snprintf(gone, sizeof gone, "%s/lp0", f->dir);
    open_board(f, "linux", gone);
    assert_int_equal(board_print(f->b, receipt, RECEIPT_LEN), ERR_IO);
    board_close(f->b);
    open_board(f, "linux", "");
    assert_int_equal(board_print(f->b, receipt, RECEIPT_LEN),
                     ERR_UNSUPPORTED);
}

/* Through the module: what it found is kept for diagnostics. */
static void status_is_remembered(void **state)
{
    struct printer p;
    struct board_printer bp;

    (void)state;
    printer_start(&p, 0x12, 0x12 | 0x60);
    board_printer_init(&bp, ptsname(p.master), 9600);
    assert_int_equal(board_printer_print(&bp, receipt, RECEIPT_LEN), ERR_IO);
    assert_int_equal(bp.last, BOARD_PRINTER_PAPER_OUT);
    p.eot4 = 0x12;
    assert_int_equal(board_printer_print(&bp, receipt, RECEIPT_LEN), ERR_OK);
    assert_int_equal(bp.last, BOARD_PRINTER_READY);
    printer_stop(&p);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(sim_without_printer_is_unsupported),
        T(sim_appends_each_receipt_to_its_file),
        T(sim_out_of_paper_prints_nothing),
        T(linux_ready_printer_gets_the_bytes),
        T(linux_paper_low_still_prints),
        T(linux_paper_out_prints_nothing),
        T(linux_offline_prints_nothing),
        T(linux_silent_printer_still_gets_the_bytes),
        T(linux_unplugged_or_unfitted),
        T(status_is_remembered),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
