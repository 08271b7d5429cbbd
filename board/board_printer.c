/* board/board_printer.c - ESC/POS printing to a device node with a
 * real-time status check first (board_printer.h). The device is opened
 * for each receipt and closed after, so a printer unplugged and plugged
 * back (a new usblp node) just works on the next receipt. Nothing here
 * waits without a ceiling: every read and write is polled. */
#include "board/board_printer.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/xmalloc.h"

#define DLE 0x10
#define EOT 0x04

void board_printer_init(struct board_printer *p, const char *path, int baud)
{
    memset(p, 0, sizeof *p);
    str_copy(p->path, sizeof p->path, path);
    p->baud = baud;
    p->status_ms = BOARD_PRINTER_STATUS_MS;
    p->write_ms = BOARD_PRINTER_WRITE_MS;
}

static speed_t speed_of(int baud)
{
    switch (baud) {
    case 4800: return B4800;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 115200: return B115200;
    case 230400: return B230400;
    case 460800: return B460800;
    case 921600: return B921600;
    default: return B9600;
    }
}

/* A serial line must be raw: no CR added to LF, no XON/XOFF eaten from
 * the QR code's bytes. */
static err_code set_raw(int fd, int baud)
{
    struct termios t;

    if (tcgetattr(fd, &t) != 0)
        return ERR_IO;
    cfmakeraw(&t);
    t.c_cflag |= CLOCAL | CREAD;
    t.c_cc[VMIN] = 0;
    t.c_cc[VTIME] = 0;
    cfsetispeed(&t, speed_of(baud));
    cfsetospeed(&t, speed_of(baud));
    if (tcsetattr(fd, TCSANOW, &t) != 0)
        return ERR_IO;
    tcflush(fd, TCIOFLUSH);
    return ERR_OK;
}

static err_code write_all(int fd, const uint8_t *b, size_t len,
                          unsigned ms)
{
    int64_t until = clock_mono_ms() + ms;

    while (len > 0) {
        struct pollfd pf = { .fd = fd, .events = POLLOUT };
        int64_t left = until - clock_mono_ms();
        ssize_t w;

        if (left <= 0 || poll(&pf, 1, (int)left) <= 0)
            return ERR_TIMEOUT;
        w = write(fd, b, len);
        if (w < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (w <= 0)
            return ERR_IO;
        b += w;
        len -= (size_t)w;
    }
    return ERR_OK;
}

/* One DLE EOT n query; *byte is the answer. ERR_TIMEOUT: none came. A
 * status byte always reads 0xx1xx10 (bits 1 and 4 set, 0 and 7 clear);
 * anything else is not an answer. */
static err_code query(int fd, int n, unsigned ms, uint8_t *byte)
{
    const uint8_t q[3] = { DLE, EOT, (uint8_t)n };
    int64_t until;

    if (write_all(fd, q, sizeof q, ms) != ERR_OK)
        return ERR_IO;
    until = clock_mono_ms() + ms;
    for (;;) {
        struct pollfd pf = { .fd = fd, .events = POLLIN };
        int64_t left = until - clock_mono_ms();
        ssize_t r;

        if (left <= 0 || poll(&pf, 1, (int)left) <= 0)
            return ERR_TIMEOUT;
        r = read(fd, byte, 1);
        if (r == 1 && (*byte & 0x93) == 0x12)
            return ERR_OK;
        if (r < 0 && errno != EINTR && errno != EAGAIN)
            return ERR_TIMEOUT;     /* no read channel (usblp): unknown */
        if (r == 0)
            return ERR_TIMEOUT;
    }
}

static enum board_printer_status status(int fd, unsigned ms)
{
    uint8_t b;

    if (query(fd, 1, ms, &b) != ERR_OK)
        return BOARD_PRINTER_UNKNOWN;
    if (b & 0x08)                       /* printer: offline */
        return BOARD_PRINTER_OFFLINE;
    if (query(fd, 4, ms, &b) != ERR_OK)
        return BOARD_PRINTER_UNKNOWN;
    if (b & 0x60)                       /* paper sensor: end */
        return BOARD_PRINTER_PAPER_OUT;
    if (b & 0x0c)                       /* paper sensor: near end */
        return BOARD_PRINTER_PAPER_LOW;
    return BOARD_PRINTER_READY;
}

static int open_device(const char *path)
{
    int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);

    if (fd < 0 && (errno == EACCES || errno == EROFS))  /* write-only */
        fd = open(path, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    return fd;
}

err_code board_printer_print(struct board_printer *p, const uint8_t *bytes,
                             size_t len)
{
    err_code e;
    int fd;

    if (p->path[0] == '\0')
        return ERR_UNSUPPORTED;
    fd = open_device(p->path);
    if (fd < 0) {
        log_warn("board: printer %s: %s", p->path, strerror(errno));
        p->last = BOARD_PRINTER_OFFLINE;
        return ERR_IO;
    }
    if (isatty(fd) && set_raw(fd, p->baud) != ERR_OK) {
        log_warn("board: printer %s: cannot set the line", p->path);
        close(fd);
        return ERR_IO;
    }
    p->last = status(fd, p->status_ms);
    if (p->last == BOARD_PRINTER_OFFLINE ||
        p->last == BOARD_PRINTER_PAPER_OUT) {
        log_warn("board: printer %s: %s", p->path,
                 p->last == BOARD_PRINTER_OFFLINE ? "offline" : "paper out");
        close(fd);
        return ERR_IO;
    }
    if (p->last == BOARD_PRINTER_PAPER_LOW)
        log_warn("board: printer %s: paper low", p->path);
    e = write_all(fd, bytes, len, p->write_ms);
    close(fd);
    if (e != ERR_OK) {
        log_warn("board: printer %s: write failed: %s", p->path, err_str(e));
        return ERR_IO;
    }
    return ERR_OK;
}
