/* cmd/kiosk_board.c - the technician's hardware check from a shell,
 * through the same board layer the kiosk uses: print scans as they come,
 * set the backlight, give a signal, kick the watchdog, print a test
 * receipt. Reads the kiosk's
 * config, so it tests exactly what the kiosk will open. Stop the kiosk
 * service first: a scanner can have one reader. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "board/board.h"
#include "board/board_linux.h"
#include "firmware/config.h"
#include "firmware/receipt.h"
#include "base/clock.h"
#include "base/log.h"

static const char usage[] =
    "usage: kiosk-board [--config FILE] [--set SECTION.KEY=VALUE]... CMD\n"
    "  scan [COUNT] [SECONDS]   print COUNT scans (default 1), give up after\n"
    "                           SECONDS (default 30)\n"
    "  backlight PERCENT        set the backlight\n"
    "  signal ok|error          LED / buzzer pattern\n"
    "  watchdog                 one kick\n"
    "  print                    a test receipt on board.printer\n";

static int set_option(struct config *cfg, const char *opt)
{
    char sect[32], msg[300];
    const char *dot = strchr(opt, '.'), *eq = strchr(opt, '=');

    if (dot == NULL || eq == NULL || dot > eq ||
        (size_t)(dot - opt) >= sizeof sect) {
        fprintf(stderr, "kiosk-board: --set wants SECTION.KEY=VALUE\n");
        return -1;
    }
    memcpy(sect, opt, (size_t)(dot - opt));
    sect[dot - opt] = '\0';
    {
        char key[64];
        size_t klen = (size_t)(eq - dot - 1);

        if (klen >= sizeof key)
            return -1;
        memcpy(key, dot + 1, klen);
        key[klen] = '\0';
        if (config_set(cfg, sect, key, eq + 1, msg, sizeof msg) != ERR_OK) {
            fprintf(stderr, "kiosk-board: %s\n", msg);
            return -1;
        }
    }
    return 0;
}

/* Wait for scans on the board's descriptor (or every 50 ms without). */
static int cmd_scan(struct board *b, int count, int seconds)
{
    uint64_t end = board_now_ms(b) + (uint64_t)seconds * 1000u;
    int got = 0;

    while (got < count && board_now_ms(b) < end) {
        char line[BOARD_LINE_MAX];
        size_t len;
        struct pollfd p = { .fd = board_scan_fd(b), .events = POLLIN };

        if (board_scan_poll(b, line, sizeof line, &len) == ERR_OK) {
            printf("%s\n", line);
            fflush(stdout);
            board_signal(b, BOARD_SIGNAL_OK);
            got++;
            continue;
        }
        board_watchdog_kick(b);
        poll(p.fd >= 0 ? &p : NULL, p.fd >= 0 ? 1 : 0, 50);
    }
    if (got < count)
        fprintf(stderr, "kiosk-board: %d of %d scans before the timeout\n",
                got, count);
    return got == count ? 0 : 1;
}

static int report(const char *what, err_code e)
{
    if (e == ERR_OK)
        return 0;
    fprintf(stderr, "kiosk-board: %s: %s\n", what, err_str(e));
    return 1;
}

/* What the kiosk's receipts use (GB18030, sizes, QR, cut), with this
 * unit's names, so one look at the paper checks the whole chain. */
static int cmd_print(struct board *b, const struct config *cfg)
{
    char when[32];
    time_t t = (time_t)(clock_wall_ms() / 1000) + cfg->utc_offset_minutes * 60;
    struct tm tm;
    struct receipt_line lines[] = {
        { "设备 Device", cfg->device_id },
        { "纸宽 Paper", cfg->printer_paper },
    };
    struct receipt r = {
        .station = cfg->station_name, .title = "打印测试",
        .ticket = "TEST-0000", .when = when, .lines = lines, .n_lines = 2,
        .qr = cfg->device_id, .next = "Printer test: 中文、English, 12345.",
        .footer = "党群服务站",
    };
    uint8_t *bytes;
    size_t len;
    err_code e;

    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
    e = receipt_escpos(&r, receipt_dots(cfg->printer_paper), &bytes, &len);
    if (e != ERR_OK)
        return report("receipt", e);
    e = board_print(b, bytes, len);
    free(bytes);
    if (e == ERR_UNSUPPORTED)
        fprintf(stderr, "kiosk-board: print: no printer (board.printer)\n");
    else if (e != ERR_OK)
        fprintf(stderr, "kiosk-board: print: the printer cannot print "
                        "(paper out, cover open, offline or unplugged)\n");
    return e == ERR_OK ? 0 : 1;
}

static int run(struct board *b, const struct config *cfg, int argc,
               char **argv)
{
    if (strcmp(argv[0], "print") == 0)
        return cmd_print(b, cfg);
    if (strcmp(argv[0], "scan") == 0)
        return cmd_scan(b, argc > 1 ? atoi(argv[1]) : 1,
                        argc > 2 ? atoi(argv[2]) : 30);
    if (strcmp(argv[0], "backlight") == 0 && argc == 2)
        return report("backlight", board_backlight_set(b, atoi(argv[1])));
    if (strcmp(argv[0], "signal") == 0 && argc == 2) {
        int rc = report("signal", board_signal(b, strcmp(argv[1], "ok") == 0
                                   ? BOARD_SIGNAL_OK : BOARD_SIGNAL_ERROR));
        char line[BOARD_LINE_MAX];
        size_t len;
        uint64_t end = board_now_ms(b) + 1000;

        /* Let the pattern play out: the board advances it when polled. */
        while (rc == 0 && board_now_ms(b) < end) {
            board_scan_poll(b, line, sizeof line, &len);
            poll(NULL, 0, 10);
        }
        return rc;
    }
    if (strcmp(argv[0], "watchdog") == 0)
        return report("watchdog", board_watchdog_kick(b));
    fputs(usage, stderr);
    return 2;
}

int main(int argc, char **argv)
{
    struct config cfg;
    struct board *b;
    char msg[300];
    int i = 1, rc;

    log_set_level(LOG_LVL_WARN);
    config_defaults(&cfg);
    if (argc > 2 && strcmp(argv[1], "--config") == 0) {
        if (config_load(argv[2], &cfg, msg, sizeof msg) != ERR_OK) {
            fprintf(stderr, "kiosk-board: %s\n", msg);
            return 2;
        }
        i = 3;
    }
    for (; i + 1 < argc && strcmp(argv[i], "--set") == 0; i += 2)
        if (set_option(&cfg, argv[i + 1]) != 0)
            return 2;
    if (i >= argc) {
        fputs(usage, stderr);
        return 2;
    }
    if (board_open(&cfg, &b) != ERR_OK)
        return 2;
    rc = run(b, &cfg, argc - i, argv + i);
    board_close(b);
    return rc;
}
