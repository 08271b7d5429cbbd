/* web/page_dashboard.c - the dashboard: per station in the user's scope,
 * check-ins today and this week, service logs to review, open ledger
 * items, kiosks not heard from for over an hour; totals on top. Days
 * and weeks are the stations' (UTC+8, weeks from Monday). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/xmalloc.h"
#include "hub/hub_db_ledger.h"
#include "hub/hub_db_ledger_list.h"
#include "hub/hub_db_report.h"
#include "hub/hub_db_trend.h"
#include "hub/hub_ledger.h"
#include "hub/hub_db_users.h"
#include "web/html.h"
#include "web/pages.h"

#define DAY_MS  (24LL * 3600 * 1000)
#define ZONE_MS (8LL * 3600 * 1000)

struct row {
    char    id[64], name[128];
    int64_t today, week, pending, open, offline, overdue, behind;
};

/* An enrolled kiosk of a station in scope, with the version it runs. */
struct kiosk {
    size_t row;
    char   version[32];
};

#define TREND_DAYS 14

struct rows {
    struct web_req *req;
    struct row     *v;
    size_t          n, cap;
    int64_t         first_day;            /* the trend's first local day */
    int64_t         trend[TREND_DAYS];    /* check-ins in scope a day */
    struct kiosk   *k;                    /* kiosks in scope */
    size_t          nk, kcap;
    char            newest[32];           /* any kiosk's, in scope or not */
    int64_t         now_ms;
};

static struct row *row_of(struct rows *rs, const char *station)
{
    for (size_t i = 0; i < rs->n; i++)
        if (strcmp(rs->v[i].id, station) == 0)
            return &rs->v[i];
    return NULL;                          /* out of scope */
}

static void add_day(void *ctx, const char *station, int64_t day, int64_t n)
{
    struct rows *rs = ctx;
    if (day >= rs->first_day && day < rs->first_day + TREND_DAYS &&
        row_of(rs, station))
        rs->trend[day - rs->first_day] += n;
}

/* Overdue tickets a station, counted in SQL by hub_ledger_overdue's
 * rule (hub/hub_db_ledger_list.c; its test checks the two agree), not
 * by loading every ticket of the year. */
static void add_overdue(void *ctx, const char *station, int64_t n)
{
    struct rows *rs = ctx;
    struct row *r = row_of(rs, station);
    if (r)
        r->overdue += n;
}

static void add_stat(void *ctx, const struct hub_station_stat *s)
{
    struct rows *rs = ctx;
    if (!web_may(rs->req, s->id, HUB_SEE))
        return;
    if (rs->n == rs->cap) {
        rs->cap = rs->cap ? rs->cap * 2 : 16;
        rs->v = xrealloc(rs->v, rs->cap * sizeof *rs->v);
    }
    struct row *r = &rs->v[rs->n++];
    memset(r, 0, sizeof *r);
    snprintf(r->id, sizeof r->id, "%s", s->id);
    snprintf(r->name, sizeof r->name, "%s", s->name);
    r->today = s->today;
    r->week = s->week;
    r->pending = s->pending;
    r->open = s->open_tickets;
}

/* hub_db_report_fleet's row: device, station, last_contact, age_s,
 * version (4), ..., state (8). Never seen, or silent for over an hour,
 * is offline; a version below the newest any kiosk reports is behind
 * (counted once every row is in: count_behind). */
static void add_fleet(void *ctx, int n, const char *const *cols)
{
    struct rows *rs = ctx;
    if (n < 9 || strcmp(cols[8], "enrolled") != 0)
        return;
    if (cols[4][0] && web_version_cmp(cols[4], rs->newest) > 0)
        snprintf(rs->newest, sizeof rs->newest, "%s", cols[4]);
    bool offline = !cols[3][0] || atoll(cols[3]) > 3600;
    for (size_t i = 0; i < rs->n; i++) {
        if (strcmp(rs->v[i].id, cols[1]) != 0)
            continue;
        if (offline)
            rs->v[i].offline++;
        if (cols[4][0]) {
            if (rs->nk == rs->kcap)
                rs->k = xrealloc(rs->k, (rs->kcap = rs->kcap ? rs->kcap * 2
                                                             : 16) *
                                        sizeof *rs->k);
            rs->k[rs->nk].row = i;
            snprintf(rs->k[rs->nk].version, sizeof rs->k[rs->nk].version,
                     "%s", cols[4]);
            rs->nk++;
        }
        break;
    }
}

static void count_behind(struct rows *rs)
{
    for (size_t i = 0; i < rs->nk; i++)
        if (web_version_cmp(rs->k[i].version, rs->newest) < 0)
            rs->v[rs->k[i].row].behind++;
}

static void card(FILE *o, const struct web_req *req, enum web_str label,
                 int64_t v)
{
    html_raw(o, "<div class=\"stat\"><span class=\"num\">%lld</span>"
             "<span class=\"lbl\">", (long long)v);
    html_text(o, web_t(req, label));
    html_raw(o, "</span></div>");
}

/* The same, the whole card a link (pending reviews: to the queue). */
static void card_link(FILE *o, const struct web_req *req, enum web_str label,
                      int64_t v, const char *href, bool warn)
{
    html_raw(o, "<a class=\"stat%s\" href=\"", warn ? " warn" : "");
    html_url(o, href);
    html_raw(o, "\"><span class=\"num\">%lld</span><span class=\"lbl\">",
             (long long)v);
    html_text(o, web_t(req, label));
    html_raw(o, "</span></a>");
}

/* The last TREND_DAYS days' check-ins as bars, drawn here as SVG (no
 * script; presentation attributes only, which the CSP allows). The
 * numbers are also in the SVG's text, so a screen reader has them. */
static void trend_svg(FILE *o, const struct web_req *req,
                      const struct rows *rs)
{
    const int W = 1100, H = 220, top = 24, base = 190, bw = 52;
    int64_t max = 1;
    for (int i = 0; i < TREND_DAYS; i++)
        if (rs->trend[i] > max)
            max = rs->trend[i];
    html_raw(o, "<section class=\"trend card\"><h2 id=\"trend-h\">");
    html_text(o, web_t(req, S_TREND));
    html_raw(o, "</h2><svg viewBox=\"0 0 %d %d\" role=\"img\" "
             "aria-labelledby=\"trend-h\" class=\"chart\">", W, H);
    html_raw(o, "<line x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
             "stroke=\"#9aa3b2\"/>", base, W, base);
    for (int i = 0; i < TREND_DAYS; i++) {
        int64_t v = rs->trend[i];
        int h = (int)(v * (base - top) / max);
        int x = 8 + i * (W - 16) / TREND_DAYS;
        bool today = i == TREND_DAYS - 1;
        html_raw(o, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                 "fill=\"%s\"/>", x, base - h, bw, h,
                 today ? "#b3261e" : "#5b7fa6");
        html_raw(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
                 "font-size=\"13\" fill=\"#1f2937\">%lld</text>",
                 x + bw / 2, base - h - 6, (long long)v);
        /* The day as M-D (local), under every bar. */
        time_t t = (time_t)((rs->first_day + i) * 86400);
        struct tm tm;
        gmtime_r(&t, &tm);
        html_raw(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
                 "font-size=\"12\" fill=\"#5b6472\">%d-%d</text>",
                 x + bw / 2, base + 18, tm.tm_mon + 1, tm.tm_mday);
    }
    html_raw(o, "</svg></section>");
}

void page_dashboard(struct web_req *req, struct web_resp *resp)
{
    int64_t local_day = (req->now_ms + ZONE_MS) / DAY_MS;
    int64_t today = local_day * DAY_MS - ZONE_MS;
    int64_t week = (local_day - (local_day + 3) % 7) * DAY_MS - ZONE_MS;
    struct rows rs = { .req = req, .now_ms = req->now_ms,
                       .first_day = local_day - (TREND_DAYS - 1) };
    err_code e = hub_db_station_stats(req->db, today, week, add_stat, &rs);
    if (e == ERR_OK)
        e = hub_db_report_fleet(req->db, add_fleet, &rs);
    if (e == ERR_OK)
        e = hub_db_checkins_daily(req->db, rs.first_day * DAY_MS - ZONE_MS,
                                  add_day, &rs);
    if (e == ERR_OK)
        e = hub_db_ledger_overdue_count(req->db, req->now_ms, add_overdue,
                                        &rs);
    if (e != ERR_OK) {
        free(rs.v);
        free(rs.k);
        web_error(req, resp, 503, web_t(req, S_ERROR));
        return;
    }
    count_behind(&rs);
    free(rs.k);
    struct row tot = { 0 };
    for (size_t i = 0; i < rs.n; i++) {
        tot.today += rs.v[i].today;
        tot.week += rs.v[i].week;
        tot.pending += rs.v[i].pending;
        tot.open += rs.v[i].open;
        tot.offline += rs.v[i].offline;
        tot.behind += rs.v[i].behind;
        tot.overdue += rs.v[i].overdue;
    }
    FILE *o = resp->out;
    html_page_begin(req, resp, web_t(req, S_DASHBOARD));
    html_raw(o, "<section class=\"stats\" aria-label=\"");
    html_attr(o, web_t(req, S_OVERVIEW));
    html_raw(o, "\">");
    card(o, req, S_TODAY, tot.today);
    card(o, req, S_WEEK, tot.week);
    card_link(o, req, S_PENDING, tot.pending, "/reviews", tot.pending > 0);
    card(o, req, S_OPEN_TICKETS, tot.open);
    card_link(o, req, S_OVERDUE, tot.overdue, "/ledger?state=overdue",
              tot.overdue > 0);
    card_link(o, req, S_OFFLINE, tot.offline, "/fleet", tot.offline > 0);
    card_link(o, req, S_BEHIND, tot.behind, "/fleet", tot.behind > 0);
    html_raw(o, "</section>");
    trend_svg(o, req, &rs);
    if (rs.n == 0) {
        html_raw(o, "<p class=\"notice\">");
        html_text(o, web_t(req, S_NO_STATIONS));
        html_raw(o, "</p>");
    } else {
        static const enum web_str heads[] = { S_STATION, S_TODAY, S_WEEK,
                                              S_PENDING, S_OPEN_TICKETS,
                                              S_OVERDUE, S_OFFLINE,
                                              S_BEHIND };
        html_raw(o, "<div class=\"table-wrap\"><table><thead><tr>");
        for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
            html_raw(o, i ? "<th scope=\"col\" class=\"n\">"
                          : "<th scope=\"col\">");
            html_text(o, web_t(req, heads[i]));
            html_raw(o, "</th>");
        }
        html_raw(o, "</tr></thead><tbody>");
        for (size_t i = 0; i < rs.n; i++) {
            const struct row *r = &rs.v[i];
            html_raw(o, "<tr><th scope=\"row\">");
            html_text(o, r->name);
            html_raw(o, " <span class=\"id\">");
            html_text(o, r->id);
            html_raw(o, "</span></th><td class=\"n\">%lld</td>"
                     "<td class=\"n\">%lld</td><td class=\"n\">%lld</td>"
                     "<td class=\"n\">%lld</td><td class=\"n%s\">%lld</td>"
                     "<td class=\"n%s\">%lld</td>"
                     "<td class=\"n%s\">%lld</td></tr>",
                     (long long)r->today, (long long)r->week,
                     (long long)r->pending, (long long)r->open,
                     r->overdue ? " warn" : "", (long long)r->overdue,
                     r->offline ? " warn" : "", (long long)r->offline,
                     r->behind ? " warn" : "", (long long)r->behind);
        }
        html_raw(o, "</tbody></table></div>");
    }
    html_page_end(req, resp);
    free(rs.v);
}
