/* web/page_registration.c - /registration: the 报到 (registration) rates
 * of the active members of the user's stations, by community and by
 * work unit (hub_reg_build, the figures of `hubctl report registration`
 * narrowed to the scope's stations), and the members of those stations
 * not yet registered (hub_db_unregistered_in; `hubctl report
 * unregistered`). Read only. */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/xmalloc.h"
#include "hub/hub_db_org.h"
#include "hub/hub_org.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/scope.h"

#define ZONE_MIN    480               /* the stations' days: UTC+8 */
#define SHOWN_MAX   500               /* unregistered members listed */

struct unreg {
    struct web_req *req;
    FILE           *o;
    size_t          n;
};

static void unreg_row(void *ctx, const struct hub_unregistered *m)
{
    struct unreg *u = ctx;
    if (u->n++ >= SHOWN_MAX)
        return;
    FILE *o = u->o;
    html_raw(o, "<tr><th scope=\"row\"><a href=\"/members/");
    html_attr(o, m->member_no);
    html_raw(o, "\">");
    html_text(o, m->member_no);
    html_raw(o, "</a></th><td>");
    html_text(o, m->name);
    html_raw(o, "</td><td>");
    html_text(o, m->community);
    html_raw(o, "</td><td>");
    html_text(o, m->unit_name[0] ? m->unit_name : m->work_unit);
    html_raw(o, "</td></tr>");
}

void page_registration(struct web_req *req, struct web_resp *resp)
{
    FILE *o = resp->out;
    size_t n;
    struct scope_station *st = scope_stations(req, HUB_SEE, &n);
    bool all = hub_user_is_admin(&req->user);
    html_page_begin(req, resp, web_t(req, S_REGISTRATION));
    html_raw(o, "<p class=\"hint lead\">");
    html_text(o, web_t(req, S_REG_HINT));
    html_raw(o, "</p>");
    if (n == 0 && !all) {
        /* No station: nothing to count (and none must not read as all). */
        scope_notice(o, "notice", "status", web_t(req, S_NO_STATIONS));
        html_page_end(req, resp);
        free(st);
        return;
    }
    const char **ids = xcalloc(n ? n : 1, sizeof *ids);
    for (size_t i = 0; i < n; i++)
        ids[i] = st[i].id;
    struct hub_filter f = { .utc_offset = ZONE_MIN,
                            .stations = all ? NULL : ids,
                            .n_stations = all ? 0 : n };
    /* Every registration so far: from the hub's first possible day. */
    snprintf(f.from, sizeof f.from, "2000-01-01");
    clock_ymd(req->now_ms, ZONE_MIN, f.to);
    struct hub_book book = { 0 };
    err_code e = hub_reg_build(req->db, &f, req->lang == WEB_EN
                               ? HUB_LANG_EN : HUB_LANG_ZH, &book);
    if (e != ERR_OK)
        scope_notice(o, "notice error", "alert", web_t(req, S_ERROR));
    for (int i = 0; i < book.n; i++) {
        html_raw(o, "<section class=\"report\"><h2>");
        html_text(o, book.t[i]->title);
        html_raw(o, "</h2>");
        web_table_html(req, o, book.t[i], "registration");
        html_raw(o, "</section>");
    }
    hub_book_free(&book);
    html_raw(o, "<section class=\"report\"><h2>");
    html_text(o, web_t(req, S_UNREGISTERED));
    html_raw(o, "</h2><div class=\"table-wrap\"><table class=\"unreg\">"
             "<thead><tr><th scope=\"col\">");
    html_text(o, web_t(req, S_MEMBER_NO));
    html_raw(o, "</th><th scope=\"col\">");
    html_text(o, web_t(req, S_NAME));
    html_raw(o, "</th><th scope=\"col\">");
    html_text(o, web_t(req, S_COMMUNITY));
    html_raw(o, "</th><th scope=\"col\">");
    html_text(o, web_t(req, S_WORK_UNIT));
    html_raw(o, "</th></tr></thead><tbody>");
    struct unreg u = { req, o, 0 };
    e = hub_db_unregistered_in(req->db, f.stations, f.n_stations, unreg_row,
                               &u);
    if (e != ERR_OK || u.n == 0) {
        html_raw(o, "<tr><td colspan=\"4\">");
        html_text(o, web_t(req, e != ERR_OK ? S_ERROR : S_NO_ROWS));
        html_raw(o, "</td></tr>");
    }
    html_raw(o, "</tbody></table></div>");
    if (u.n > SHOWN_MAX)
        html_raw(o, "<p class=\"hint\">%d / %zu</p>", SHOWN_MAX, u.n);
    html_raw(o, "</section>");
    html_page_end(req, resp);
    free(ids);
    free(st);
}
