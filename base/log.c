/* base/log.c - writes "<N>message" lines to stderr in one write(2) each,
 * so lines from the UI and sync threads never interleave mid-line. */
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static enum log_level log_max = LOG_LVL_INFO;   /* set once at start-up */

void log_set_level(enum log_level max)
{
    log_max = max;
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
    char line[1024];
    int n;
    va_list ap;

    if (lvl > log_max)
        return;
    n = snprintf(line, sizeof line, "<%d>", (int)lvl);
    va_start(ap, fmt);
    n += vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof line - 2)
        n = (int)sizeof line - 2;
    line[n++] = '\n';
    if (write(STDERR_FILENO, line, (size_t)n) < 0)
        return;     /* nowhere left to complain */
}
