/* board/board_lines.h - cuts a byte stream from a scanner (serial port,
 * FIFO) into lines. Shared by the sim and linux boards so both treat
 * overlong lines, CR/LF and empty lines the same way. */
#ifndef BOARD_LINES_H
#define BOARD_LINES_H

#include <stdbool.h>
#include <stddef.h>

#include "board/board.h"
#include "base/err.h"

struct board_lines {
    char   pend[BOARD_LINE_MAX];   /* bytes read, no line end among them */
    size_t n;
    bool   skipping;               /* inside an overlong line: drop to EOL */
};

void board_lines_reset(struct board_lines *bl);

/* Where the next read may go and how much room there is; room is 0 only
 * when a whole line is already pending (take it first). */
char  *board_lines_space(struct board_lines *bl, size_t *room);
/* Record that n bytes were read into the space. */
void   board_lines_commit(struct board_lines *bl, size_t n);

/* Take the next complete, non-empty line (without CR/LF) into line,
 * always terminated; a line longer than cap - 1 is cut. A line that
 * reaches BOARD_LINE_MAX bytes without an end is garbage (a scanner
 * spewing noise) and is dropped up to its end. ERR_NOTFOUND when no
 * whole line is pending. */
err_code board_lines_take(struct board_lines *bl, char *line, size_t cap,
                          size_t *len);

#endif
