/* base/clock.h - time as the kiosk knows it. A board without a
 * battery-backed clock may boot in 1970 or last week, so every event keeps
 * enough to be corrected later: the wall time, whether the clock was
 * trusted, the boot id and a monotonic stamp (see docs/time.md). */
#ifndef CLOCK_H
#define CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

struct stamp {
    int64_t wall_ms;        /* Unix ms by the local clock, maybe wrong */
    bool    clock_trusted;  /* NTP-synchronised, or set from the hub */
    char    boot_id[40];    /* /proc/sys/kernel/random/boot_id */
    int64_t mono_ms;        /* CLOCK_BOOTTIME: ms since this boot */
};

/* Read the system clocks now. */
void clock_now(struct stamp *out);

/* The three clocks, in one place so each caller says which it means:
 * - wall: Unix ms by CLOCK_REALTIME. Maybe wrong, and it jumps when NTP
 *   or the hub sets it; for what is recorded or shown, never for timers.
 * - boot: ms since boot by CLOCK_BOOTTIME, which keeps counting while the
 *   board is suspended; what a stamp records, so events of one boot keep
 *   their true spacing (docs/time.md).
 * - mono: CLOCK_MONOTONIC, which pauses during a suspend; for timeouts,
 *   deadlines and durations inside one process (a wait must not expire
 *   at resume because of the time spent asleep). Never negative. */
int64_t clock_wall_ms(void);
int64_t clock_boot_ms(void);
int64_t clock_mono_ms(void);
int64_t clock_mono_us(void);

/* Local calendar helpers; offset is the station's UTC offset in minutes.
 * A "day" is days since 1970-01-01 in local time. */
int64_t clock_local_day(int64_t wall_ms, int utc_offset_minutes);
/* Start (Unix ms) of the local day / month / quarter / year holding t. */
int64_t clock_day_start(int64_t wall_ms, int utc_offset_minutes);
int64_t clock_month_start(int64_t wall_ms, int utc_offset_minutes);
int64_t clock_quarter_start(int64_t wall_ms, int utc_offset_minutes);
int64_t clock_year_start(int64_t wall_ms, int utc_offset_minutes);
/* "YYYY-MM-DD" of the local day holding t (out has room for 11 bytes). */
void clock_ymd(int64_t wall_ms, int utc_offset_minutes, char out[11]);
/* Parse "YYYY-MM-DD" into a local day number; ERR_INVAL if malformed. */
err_code clock_parse_ymd(const char *s, int64_t *day);

#endif
