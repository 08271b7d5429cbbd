/* board/board_printer.h - an ESC/POS receipt printer on a device node:
 * a USB printer-class node (/dev/usb/lp0, usblp) or a serial port. The
 * linux board's print operation; a module of its own so the status
 * protocol can be tested over a pseudo-terminal.
 *
 * Before each print it asks the printer's real-time status (DLE EOT 1,
 * the printer, and DLE EOT 4, the paper sensor) and waits up to
 * status_ms for each answer. An answer saying offline or paper out
 * refuses the print (ERR_IO). No answer is "unknown", not a fault: many
 * USB printers, and usblp without a read channel, never answer, so the
 * bytes are sent anyway. */
#ifndef BOARD_PRINTER_H
#define BOARD_PRINTER_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "firmware/config.h"

#define BOARD_PRINTER_STATUS_MS 300    /* wait for one status answer */
#define BOARD_PRINTER_WRITE_MS  5000   /* the whole receipt, at most */

enum board_printer_status {
    BOARD_PRINTER_READY,
    BOARD_PRINTER_UNKNOWN,            /* it did not answer */
    BOARD_PRINTER_PAPER_LOW,          /* near end: prints, logs */
    BOARD_PRINTER_PAPER_OUT,
    BOARD_PRINTER_OFFLINE,            /* cover open, error, paper out */
};

struct board_printer {
    char     path[CONFIG_STR];        /* "": none fitted */
    int      baud;                    /* serial; 0: not a serial port */
    unsigned status_ms, write_ms;
    enum board_printer_status last;   /* what the last print found */
};

void board_printer_init(struct board_printer *p, const char *path, int baud);

/* Open the device, check its status, write len bytes, close.
 * ERR_UNSUPPORTED: no path; ERR_IO: cannot open (unplugged), offline,
 * paper out, or the write failed or timed out. p->last says why. */
err_code board_printer_print(struct board_printer *p, const uint8_t *bytes,
                             size_t len);

#endif
