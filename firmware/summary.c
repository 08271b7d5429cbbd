/* firmware/summary.c - the numbers and lists on a member's own page.
 * Minutes count closed visits (time at the station) and service logs
 * separately; points come from logs the community confirmed, counted
 * by the hub over every station when it has sent a total, and from
 * wishes the member fulfilled and the resident signed off. */
#include "firmware/summary.h"

#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "firmware/store_ledger.h"

#define SUMMARY_SCAN 400    /* a year's logs for one member, generously */

static void add_log(struct period_total *t, const struct service_log *l)
{
    if (l->status == LOG_CONFIRMED) {
        t->service_minutes += l->minutes;
        t->points += l->points;
    } else if (l->status == LOG_PENDING) {
        t->pending_minutes += l->minutes;
    }
}

static err_code visit_totals(struct store *s, const char *no, int64_t now,
                             int off, struct member_summary *out)
{
    int64_t end = clock_day_start(now, off) + 86400000;
    err_code e;

    e = store_visit_minutes(s, no, clock_month_start(now, off), end,
                            &out->month.visit_minutes);
    if (e == ERR_OK)
        e = store_visit_minutes(s, no, clock_quarter_start(now, off), end,
                                &out->quarter.visit_minutes);
    if (e == ERR_OK)
        e = store_visit_minutes(s, no, clock_year_start(now, off), end,
                                &out->year.visit_minutes);
    return e;
}

static err_code log_totals(struct store *s, const char *no, int64_t now,
                           int off, struct member_summary *out)
{
    struct service_log *logs = xmalloc(SUMMARY_SCAN * sizeof *logs);
    int64_t month = clock_local_day(clock_month_start(now, off), off);
    int64_t quarter = clock_local_day(clock_quarter_start(now, off), off);
    int64_t year = clock_local_day(clock_year_start(now, off), off);
    size_t n;
    err_code e = store_logs_for(s, no, year, clock_local_day(now, off) + 1,
                                logs, SUMMARY_SCAN, &n);

    for (size_t i = 0; e == ERR_OK && i < n; i++) {
        add_log(&out->year, &logs[i]);
        if (logs[i].day >= quarter)
            add_log(&out->quarter, &logs[i]);
        if (logs[i].day >= month)
            add_log(&out->month, &logs[i]);
        if (logs[i].status == LOG_PENDING)
            out->n_pending++;
        if (out->n_logs < SUMMARY_LOGS)
            out->logs[out->n_logs++] = logs[i];
    }
    free(logs);
    return e;
}

/* The hub's totals, for each period that still holds today: the hub
 * counts every station's confirmed logs, so My record agrees with the
 * star board. A total counted in an earlier month is not shown as this
 * month's. */
static err_code hub_totals(struct store *s, const char *no, int64_t now,
                           int off, struct member_summary *out)
{
    int64_t (*const start[3])(int64_t, int) = {
        clock_month_start, clock_quarter_start, clock_year_start };
    struct period_total *p[3] = { &out->month, &out->quarter, &out->year };
    struct member_total t;
    err_code e = store_member_total(s, no, &t);

    if (e == ERR_NOTFOUND)
        return ERR_OK;
    if (e != ERR_OK)
        return e;
    /* noon of the day counted on, in UTC milliseconds */
    int64_t as_of_ms = t.as_of * 86400000 - (int64_t)off * 60000 + 43200000;
    for (int k = 0; k < 3; k++) {
        if (start[k](as_of_ms, off) != start[k](now, off))
            continue;
        p[k]->points = t.points[k];
        p[k]->rank = t.rank[k];
        p[k]->from_hub = true;
    }
    return ERR_OK;
}

/* A fulfilled wish's points (the hub's rule) count with the logs', for
 * a period the hub has not sent a total of: the hub's totals (and star
 * board) already hold them. */
static err_code wish_totals(struct store *s, const char *no, int64_t now,
                            int off, struct member_summary *out)
{
    int64_t end = clock_day_start(now, off) + 86400000;
    struct period_total *t[3] = { &out->month, &out->quarter, &out->year };
    int64_t from[3] = { clock_month_start(now, off),
                        clock_quarter_start(now, off),
                        clock_year_start(now, off) };
    err_code e = ERR_OK;
    for (int i = 0; e == ERR_OK && i < 3; i++) {
        int pts = 0;
        if (t[i]->from_hub)
            continue;
        e = store_wish_points(s, no, from[i], end, &pts);
        t[i]->points += pts;
    }
    return e;
}

err_code summary_for(struct store *s, const struct config *cfg,
                     const char *member_no, const struct stamp *now,
                     struct member_summary *out)
{
    int off = cfg->utc_offset_minutes;
    int64_t today = clock_local_day(now->wall_ms, off);
    struct visit v;
    err_code e;

    memset(out, 0, sizeof *out);
    e = store_member_get(s, member_no, &out->member);
    if (e != ERR_OK)
        return e;
    e = visit_totals(s, member_no, now->wall_ms, off, out);
    if (e == ERR_OK)
        e = log_totals(s, member_no, now->wall_ms, off, out);
    if (e == ERR_OK)
        e = hub_totals(s, member_no, now->wall_ms, off, out);
    if (e == ERR_OK)
        e = wish_totals(s, member_no, now->wall_ms, off, out);
    if (e == ERR_OK)
        e = store_member_posts(s, member_no, out->posts, SUMMARY_POSTS,
                               &out->n_posts);
    if (e == ERR_OK)
        e = store_shifts(s, today, today + 31, member_no, out->shifts,
                         SUMMARY_SHIFTS, &out->n_shifts);
    if (e != ERR_OK)
        return e;
    e = store_visit_open_for(s, member_no, &v);
    if (e == ERR_OK) {
        out->checked_in = true;
        out->checked_in_ms = v.in_ms;
    }
    return e == ERR_NOTFOUND ? ERR_OK : e;
}
