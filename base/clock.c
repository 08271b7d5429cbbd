/* base/clock.c - reading the clocks and local-calendar arithmetic.
 * Calendar maths uses the station's fixed UTC offset from the config, not
 * the process TZ, so results do not depend on how the unit was set up. */
#include "base/clock.h"

#include <stdio.h>
#include <string.h>
#include <sys/timex.h>
#include <time.h>

#include "base/xmalloc.h"

static void read_boot_id(char out[40])
{
    FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");

    out[0] = '\0';
    if (f == NULL)
        return;
    if (fgets(out, 40, f) != NULL)
        out[strcspn(out, "\n")] = '\0';
    fclose(f);
}

/* tv_nsec is never negative, so both are floors even before 1970. */
static int64_t read_ms(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t read_us(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t clock_wall_ms(void)
{
    return read_ms(CLOCK_REALTIME);
}

int64_t clock_boot_ms(void)
{
    return read_ms(CLOCK_BOOTTIME);
}

int64_t clock_mono_ms(void)
{
    return read_ms(CLOCK_MONOTONIC);
}

int64_t clock_mono_us(void)
{
    return read_us(CLOCK_MONOTONIC);
}

void clock_now(struct stamp *out)
{
    static char boot_id[40];        /* constant for the process's life */
    struct timex tx = { .modes = 0 };

    out->wall_ms = clock_wall_ms();
    out->mono_ms = clock_boot_ms();
    /* The kernel knows whether NTP has disciplined the clock. */
    out->clock_trusted = adjtimex(&tx) != TIME_ERROR &&
                         !(tx.status & STA_UNSYNC);
    if (boot_id[0] == '\0')
        read_boot_id(boot_id);
    str_copy(out->boot_id, sizeof out->boot_id, boot_id);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t clock_local_day(int64_t wall_ms, int off)
{
    return floor_div(wall_ms + (int64_t)off * 60000, 86400000);
}

int64_t clock_day_start(int64_t wall_ms, int off)
{
    return clock_local_day(wall_ms, off) * 86400000 - (int64_t)off * 60000;
}

static void local_tm(int64_t wall_ms, int off, struct tm *tm)
{
    time_t t = (time_t)floor_div(wall_ms + (int64_t)off * 60000, 1000);
    gmtime_r(&t, tm);
}

static int64_t local_to_ms(int year, int mon, int off)
{
    struct tm tm = { .tm_year = year - 1900, .tm_mon = mon, .tm_mday = 1 };
    return (int64_t)timegm(&tm) * 1000 - (int64_t)off * 60000;
}

int64_t clock_month_start(int64_t wall_ms, int off)
{
    struct tm tm;
    local_tm(wall_ms, off, &tm);
    return local_to_ms(tm.tm_year + 1900, tm.tm_mon, off);
}

int64_t clock_quarter_start(int64_t wall_ms, int off)
{
    struct tm tm;
    local_tm(wall_ms, off, &tm);
    return local_to_ms(tm.tm_year + 1900, tm.tm_mon - tm.tm_mon % 3, off);
}

int64_t clock_year_start(int64_t wall_ms, int off)
{
    struct tm tm;
    local_tm(wall_ms, off, &tm);
    return local_to_ms(tm.tm_year + 1900, 0, off);
}

void clock_ymd(int64_t wall_ms, int off, char out[11])
{
    struct tm tm;
    local_tm(wall_ms, off, &tm);
    /* The bounds keep the compiler sure the text fits in 11 bytes. */
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(tm.tm_year + 1900) % 10000u,
             (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u);
}

err_code clock_parse_ymd(const char *s, int64_t *day)
{
    int y, m, d, n = 0;
    struct tm tm = { 0 };
    time_t t;

    if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
        strlen(s) != 10 || m < 1 || m > 12 || d < 1 || d > 31 || y < 1970)
        return ERR_INVAL;
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    t = timegm(&tm);
    gmtime_r(&t, &tm);
    if (tm.tm_mday != d)            /* 2026-02-30 and friends */
        return ERR_INVAL;
    *day = (int64_t)t / 86400;
    return ERR_OK;
}
