/* hub/hub_filter.c - a report's period and stations. */
#include "hub/hub_filter.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/xmalloc.h"

#define DAY_MS (24LL * 3600 * 1000)

static err_code bad(char *msg, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, cap, fmt, ap);
    va_end(ap);
    return ERR_INVAL;
}

/* Exactly `n` digits at s; their value. */
static bool digits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        *v = *v * 10 + (s[i] - '0');
    }
    return true;
}

static bool year_ok(int y)
{
    return y >= 2000 && y <= 2199;
}

static int month_days(int y, int m)
{
    static const int d[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
                               31 };
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

static void months(struct hub_filter *f, int y, int m0, int m1)
{
    snprintf(f->from, sizeof f->from, "%04d-%02d-01", y, m0);
    snprintf(f->to, sizeof f->to, "%04d-%02d-%02d", y, m1,
             month_days(y, m1));
}

err_code hub_filter_period(struct hub_filter *f, const char *how,
                           const char *v, char *msg, size_t cap)
{
    int y, m;
    int64_t day;
    if (!v)
        v = "";
    if (strcmp(how, "month") == 0) {
        if (strlen(v) != 7 || !digits(v, 4, &y) || v[4] != '-' ||
            !digits(v + 5, 2, &m) || m < 1 || m > 12 || !year_ok(y))
            return bad(msg, cap, "--month takes YYYY-MM, not \"%s\"", v);
        months(f, y, m, m);
    } else if (strcmp(how, "quarter") == 0) {
        if (strlen(v) != 7 || !digits(v, 4, &y) || v[4] != '-' ||
            (v[5] != 'Q' && v[5] != 'q') || v[6] < '1' || v[6] > '4' ||
            !year_ok(y))
            return bad(msg, cap, "--quarter takes YYYY-Qn (n 1-4), not"
                       " \"%s\"", v);
        m = (v[6] - '1') * 3 + 1;
        months(f, y, m, m + 2);
    } else if (strcmp(how, "year") == 0) {
        if (strlen(v) != 4 || !digits(v, 4, &y) || !year_ok(y))
            return bad(msg, cap, "--year takes YYYY, not \"%s\"", v);
        months(f, y, 1, 12);
    } else if (strcmp(how, "from") == 0 || strcmp(how, "to") == 0) {
        char *dst = how[0] == 'f' ? f->from : f->to;
        /* clock_parse_ymd refuses 2026-02-30 too. */
        if (clock_parse_ymd(v, &day) != ERR_OK || !digits(v, 4, &y) ||
            !year_ok(y))
            return bad(msg, cap, "--%s takes a day YYYY-MM-DD, not \"%s\"",
                       how, v);
        str_copy(dst, sizeof f->from, v);
    } else {
        return bad(msg, cap, "unknown period \"%s\"", how);
    }
    return ERR_OK;
}

err_code hub_filter_done(struct hub_filter *f, int64_t now, char *msg,
                         size_t cap)
{
    if (f->to[0] && !f->from[0])
        return bad(msg, cap, "--to needs --from (or give --month, --quarter"
                   " or --year)");
    if (!f->from[0]) {
        char today[11];
        int y, m;
        clock_ymd(now, f->utc_offset, today);
        digits(today, 4, &y);
        digits(today + 5, 2, &m);
        months(f, y, m, m);
    } else if (!f->to[0]) {
        clock_ymd(now, f->utc_offset, f->to);
    }
    int64_t d0, d1;
    hub_filter_days(f, &d0, &d1);
    if (d1 < d0)
        return bad(msg, cap, "the period ends (%s) before it starts (%s)",
                   f->to, f->from);
    if (f->n_stations > HUB_FILTER_STATIONS_MAX)
        return bad(msg, cap, "at most %d stations in one report",
                   HUB_FILTER_STATIONS_MAX);
    return ERR_OK;
}

void hub_filter_days(const struct hub_filter *f, int64_t *d0, int64_t *d1)
{
    if (clock_parse_ymd(f->from, d0) != ERR_OK)
        *d0 = 0;
    if (clock_parse_ymd(f->to, d1) != ERR_OK)
        *d1 = -1;
}

void hub_filter_ms(const struct hub_filter *f, int64_t *from_ms,
                   int64_t *to_ms)
{
    int64_t d0, d1, off = (int64_t)f->utc_offset * 60000;
    hub_filter_days(f, &d0, &d1);
    *from_ms = d0 * DAY_MS - off;
    *to_ms = (d1 + 1) * DAY_MS - off;
}
