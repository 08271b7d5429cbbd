/* web/page_dashboard.c - the dashboard: per station in the user's scope,
 * check-ins today and this week, service logs to review, open ledger
 * items, kiosks not heard from for over an hour; totals on top. Days
 * and weeks are the stations' (UTC+8, weeks from Monday). */
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "hub/hub_db_report.h"
#include "hub/hub_db_users.h"
#include "web/html.h"
#include "web/pages.h"

#define DAY_MS  (24LL * 3600 * 1000)
#define ZONE_MS (8LL * 3600 * 1000)

struct row {
    char    id[64], name[128];
    int64_t today, week, pending, open, offline;
};

struct rows {
    struct web_req *req;
    struct row     *v;
    size_t          n, cap;
};

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

/* hub_db_report_fleet's row: device, station, last_contact, age_s, ...,
 * state (8). Never seen, or silent for over an hour, is offline. */
static void add_fleet(void *ctx, int n, const char *const *cols)
{
    struct rows *rs = ctx;
    if (n < 9 || strcmp(cols[8], "enrolled") != 0)
        return;
    bool offline = !cols[3][0] || atoll(cols[3]) > 3600;
    for (size_t i = 0; offline && i < rs->n; i++)
        if (strcmp(rs->v[i].id, cols[1]) == 0)
            rs->v[i].offline++;
}

static void card(FILE *o, const struct web_req *req, enum web_str label,
                 int64_t v)
{
    html_raw(o, "<div class=\"stat\"><span class=\"num\">%lld</span>"
             "<span class=\"lbl\">", (long long)v);
    html_text(o, web_t(req, label));
    html_raw(o, "</span></div>");
}

void page_dashboard(struct web_req *req, struct web_resp *resp)
{
    int64_t local_day = (req->now_ms + ZONE_MS) / DAY_MS;
    int64_t today = local_day * DAY_MS - ZONE_MS;
    int64_t week = (local_day - (local_day + 3) % 7) * DAY_MS - ZONE_MS;
    struct rows rs = { .req = req };
    err_code e = hub_db_station_stats(req->db, today, week, add_stat, &rs);
    if (e == ERR_OK)
        e = hub_db_report_fleet(req->db, add_fleet, &rs);
    if (e != ERR_OK) {
        free(rs.v);
        web_error(req, resp, 503, web_t(req, S_ERROR));
        return;
    }
    struct row tot = { 0 };
    for (size_t i = 0; i < rs.n; i++) {
        tot.today += rs.v[i].today;
        tot.week += rs.v[i].week;
        tot.pending += rs.v[i].pending;
        tot.open += rs.v[i].open;
        tot.offline += rs.v[i].offline;
    }
    FILE *o = resp->out;
    html_page_begin(req, resp, web_t(req, S_DASHBOARD));
    html_raw(o, "<section class=\"stats\" aria-label=\"");
    html_attr(o, web_t(req, S_OVERVIEW));
    html_raw(o, "\">");
    card(o, req, S_TODAY, tot.today);
    card(o, req, S_WEEK, tot.week);
    card(o, req, S_PENDING, tot.pending);
    card(o, req, S_OPEN_TICKETS, tot.open);
    card(o, req, S_OFFLINE, tot.offline);
    html_raw(o, "</section>");
    if (rs.n == 0) {
        html_raw(o, "<p class=\"notice\">");
        html_text(o, web_t(req, S_NO_STATIONS));
        html_raw(o, "</p>");
    } else {
        static const enum web_str heads[] = { S_STATION, S_TODAY, S_WEEK,
                                              S_PENDING, S_OPEN_TICKETS,
                                              S_OFFLINE };
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
                     "</tr>", (long long)r->today, (long long)r->week,
                     (long long)r->pending, (long long)r->open,
                     r->offline ? " warn" : "", (long long)r->offline);
        }
        html_raw(o, "</tbody></table></div>");
    }
    html_page_end(req, resp);
    free(rs.v);
}
