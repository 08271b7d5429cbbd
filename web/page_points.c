/* web/page_points.c - /points (the points rules in force), /stars (the
 * six 打擂争星 star boards of a station and the category -> star
 * mapping) and /awards (the year's 优秀监督岗 and 优秀党员, computed and
 * published by an administrator).
 *
 * Rules and the mapping hold for every station of the hub, so they are
 * changed only by those whose scope is the whole hub's: administrators
 * and district editors (hub_user_may_hubwide); a community or street
 * account reads them. Every change goes through the function hubctl
 * calls (hub_points_rule_set_by, hub_points_star_category_set_by,
 * hub_awards_run), which validates it and writes its audit line in the
 * change's transaction. */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/service_rules.h"
#include "base/xmalloc.h"
#include "hub/hub_awards.h"
#include "hub/hub_db_org.h"
#include "hub/hub_db_points.h"
#include "hub/hub_db_roster.h"
#include "hub/hub_org.h"
#include "hub/hub_points.h"
#include "hub/hub_stars.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/scope.h"

#define ZONE_MIN 480                  /* the stations' days: UTC+8 */

/* The English text of a refusal from hub/ on en pages; the generic
 * words on zh_CN pages (no English there). */
static const char *why_text(struct web_req *req, char *buf, enum web_str zh)
{
    size_t n = strlen(buf);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
        buf[--n] = '\0';
    return req->lang == WEB_EN && buf[0] ? buf : web_t(req, zh);
}

static void th(FILE *o, struct web_req *req, enum web_str s, bool num)
{
    html_raw(o, "<th scope=\"col\"%s>", num ? " class=\"n\"" : "");
    html_text(o, web_t(req, s));
    html_raw(o, "</th>");
}

static const char *cat_label(struct web_req *req, const char *key)
{
    const struct service_category *c = service_category_find(key);
    return !c ? key : req->lang == WEB_EN ? c->en : c->zh;
}

static const char *star_label(struct web_req *req, const char *key)
{
    const struct hub_star_kind *k = hub_star_kind_find(key);
    return !k ? key : req->lang == WEB_EN ? k->en : k->zh;
}

/* ---- /points ------------------------------------------------------------ */

struct rules {
    struct hub_points_rule *v;
    size_t                  n;
};

static void rule_add(void *ctx, const struct hub_points_rule *r)
{
    struct rules *rs = ctx;
    rs->v = xrealloc(rs->v, (rs->n + 1) * sizeof *rs->v);
    rs->v[rs->n++] = *r;
}

static const struct hub_points_rule *rule_find(const struct rules *rs,
                                               const char *scope)
{
    for (size_t i = 0; i < rs->n; i++)
        if (strcmp(rs->v[i].scope, scope) == 0)
            return &rs->v[i];
    return NULL;
}

static void pct(FILE *o, int v)
{
    html_raw(o, "<td class=\"n\">%d.%02d</td>", v / 100, v % 100);
}

static void rule_cells(struct web_req *req, FILE *o,
                       const struct hub_points_rule *r)
{
    html_raw(o, "<td class=\"n\">%d</td>", r->per30);
    pct(o, r->satisfied);
    pct(o, r->basic);
    pct(o, r->unsatisfied);
    html_raw(o, "<td class=\"n\">");
    if (r->cap)
        html_raw(o, "%d", r->cap);
    else
        html_text(o, web_t(req, S_NO_CAP));
    html_raw(o, "</td>");
}

/* A multiplier typed as "1", "1.5" or "0.75", in hundredths. */
static bool hundredths(const char *s, int *out)
{
    int whole = 0, frac = 0, digits = 0;
    const char *p = s;
    if (*p < '0' || *p > '9')
        return false;
    while (*p >= '0' && *p <= '9' && whole < 1000)
        whole = whole * 10 + (*p++ - '0');
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9' && digits < 2) {
            frac = frac * 10 + (*p++ - '0');
            digits++;
        }
        if (!digits)
            return false;
    }
    if (*p || whole >= 1000)
        return false;
    *out = whole * 100 + (digits == 1 ? frac * 10 : frac);
    return true;
}

static bool whole_num(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < 0 || v > 100000)
        return false;
    *out = (int)v;
    return true;
}

static void num_field(FILE *o, const char *id, const char *label,
                      const char *value, const char *mode)
{
    html_raw(o, "<div class=\"field\"><label for=\"%s\">", id);
    html_text(o, label);
    html_raw(o, "</label><input id=\"%s\" name=\"%s\" type=\"text\" "
             "inputmode=\"%s\" required value=\"", id, id, mode);
    html_attr(o, value);
    html_raw(o, "\"></div>");
}

static void points_page(struct web_req *req, struct web_resp *resp,
                        const char *notice, bool error)
{
    FILE *o = resp->out;
    struct rules rs = { 0 };
    err_code e = hub_db_points_rules_each(req->db, rule_add, &rs);
    html_page_begin(req, resp, web_t(req, S_POINTS));
    html_raw(o, "<p class=\"hint lead\">");
    html_text(o, web_t(req, S_POINTS_HINT));
    html_raw(o, "</p>");
    if (notice)
        scope_notice(o, error ? "notice error" : "notice",
                     error ? "alert" : "status", notice);
    if (e != ERR_OK)
        scope_notice(o, "notice error", "alert", web_t(req, S_ERROR));
    html_raw(o, "<div class=\"table-wrap\"><table class=\"rules\"><thead>"
             "<tr>");
    th(o, req, S_RULE_SCOPE, false);
    th(o, req, S_PER30, true);
    th(o, req, S_X_SATISFIED, true);
    th(o, req, S_X_BASIC, true);
    th(o, req, S_X_UNSATISFIED, true);
    th(o, req, S_CAP, true);
    html_raw(o, "</tr></thead><tbody><tr class=\"total\"><th scope=\"row\">");
    html_text(o, web_t(req, S_DEFAULT_RULE));
    html_raw(o, "</th>");
    rule_cells(req, o, &hub_points_default);
    html_raw(o, "</tr>");
    size_t nc;
    const struct service_category *cats = service_categories(&nc);
    for (size_t i = 0; i < nc; i++) {
        const struct hub_points_rule *r = rule_find(&rs, cats[i].key);
        html_raw(o, "<tr><th scope=\"row\">");
        html_text(o, req->lang == WEB_EN ? cats[i].en : cats[i].zh);
        html_raw(o, "</th>");
        if (r) {
            rule_cells(req, o, r);
        } else {
            html_raw(o, "<td colspan=\"5\" class=\"muted\">");
            html_text(o, web_t(req, S_USES_DEFAULT));
            html_raw(o, "</td>");
        }
        html_raw(o, "</tr>");
    }
    for (size_t i = 0; i < rs.n; i++) {
        if (strncmp(rs.v[i].scope, "post:", 5) != 0)
            continue;
        html_raw(o, "<tr><th scope=\"row\">");
        html_text(o, rs.v[i].scope);
        html_raw(o, "</th>");
        rule_cells(req, o, &rs.v[i]);
        html_raw(o, "</tr>");
    }
    html_raw(o, "</tbody></table></div>");
    if (!hub_user_may_hubwide(&req->user)) {
        scope_notice(o, "notice", "status", web_t(req, S_READ_ONLY));
    } else {
        char scope[HUB_POINTS_SCOPE] = "", post[64] = "", per30[16] = "1",
             sat[16] = "1", basic[16] = "1", unsat[16] = "1", cap[16] = "0";
        if (error) {
            web_form(req, "scope", scope, sizeof scope);
            web_form(req, "post", post, sizeof post);
            web_form(req, "per30", per30, sizeof per30);
            web_form(req, "satisfied", sat, sizeof sat);
            web_form(req, "basic", basic, sizeof basic);
            web_form(req, "unsatisfied", unsat, sizeof unsat);
            web_form(req, "cap", cap, sizeof cap);
        }
        html_form_begin(req, o, "/points", "card grid");
        html_raw(o, "<div class=\"field\"><label for=\"scope\">");
        html_text(o, web_t(req, S_RULE_SCOPE));
        html_raw(o, "</label><select id=\"scope\" name=\"scope\">");
        for (size_t i = 0; i < nc; i++) {
            html_raw(o, "<option value=\"");
            html_attr(o, cats[i].key);
            html_raw(o, "\"%s>", strcmp(scope, cats[i].key) == 0
                                 ? " selected" : "");
            html_text(o, req->lang == WEB_EN ? cats[i].en : cats[i].zh);
            html_raw(o, "</option>");
        }
        html_raw(o, "</select></div>");
        html_field(o, "post", web_t(req, S_RULE_POST_ID), "text", "post", post,
                   false, "off");
        num_field(o, "per30", web_t(req, S_PER30), per30, "numeric");
        num_field(o, "satisfied", web_t(req, S_X_SATISFIED), sat, "decimal");
        num_field(o, "basic", web_t(req, S_X_BASIC), basic, "decimal");
        num_field(o, "unsatisfied", web_t(req, S_X_UNSATISFIED), unsat,
                  "decimal");
        num_field(o, "cap", web_t(req, S_CAP), cap, "numeric");
        html_raw(o, "<div class=\"actions\">");
        html_submit(o, web_t(req, S_SET_RULE), "primary");
        html_raw(o, "</div>");
        html_form_end(o);
    }
    html_page_end(req, resp);
    free(rs.v);
}

void page_points(struct web_req *req, struct web_resp *resp)
{
    char done[8];
    points_page(req, resp, web_query(req, "done", done, sizeof done)
                           ? web_t(req, S_RULE_SAVED) : NULL, false);
}

void page_points_post(struct web_req *req, struct web_resp *resp)
{
    if (!hub_user_may_hubwide(&req->user)) {
        web_forbidden(req, resp, S_NO_PERMISSION);
        return;
    }
    char scope[HUB_POINTS_SCOPE], post[64], v[5][16];
    static const char *const names[5] = { "per30", "satisfied", "basic",
                                          "unsatisfied", "cap" };
    struct hub_points_rule r = hub_points_default;
    web_form(req, "scope", scope, sizeof scope);
    web_form(req, "post", post, sizeof post);
    bool ok = true;
    for (int i = 0; i < 5; i++)
        ok &= web_form(req, names[i], v[i], sizeof v[i]);
    ok = ok && whole_num(v[0], &r.per30) && hundredths(v[1], &r.satisfied) &&
         hundredths(v[2], &r.basic) && hundredths(v[3], &r.unsatisfied) &&
         whole_num(v[4], &r.cap);
    /* A post id, when given, makes it the post's rule. */
    if (ok && post[0])
        ok = snprintf(r.scope, sizeof r.scope, "post:%s", post) <
             (int)sizeof r.scope;
    else
        snprintf(r.scope, sizeof r.scope, "%s", scope);
    char *msg = NULL;
    size_t len = 0;
    FILE *err = open_memstream(&msg, &len);
    err_code e = ok ? hub_points_rule_set_by(req->db, &r, req->user.name,
                                             err)
                    : ERR_INVAL;
    fclose(err);
    if (e != ERR_OK) {
        resp->status = e == ERR_INVAL ? 400 : 503;
        points_page(req, resp, e == ERR_INVAL
                    ? why_text(req, msg, S_INPUT_BAD)
                    : web_t(req, S_SAVE_FAILED), true);
    } else {
        web_redirect(resp, "/points?done=1");
    }
    free(msg);
}

/* ---- /stars ------------------------------------------------------------- */

/* The first day of the period holding today (station time). */
static void since_of(const char *period, int64_t now_ms, char since[11])
{
    clock_ymd(now_ms, ZONE_MIN, since);
    if (strcmp(period, "year") == 0) {
        memcpy(since + 5, "01-01", 5);
    } else if (strcmp(period, "quarter") == 0) {
        int m = (since[5] - '0') * 10 + (since[6] - '0');
        m = (m - 1) / 3 * 3 + 1;
        since[5] = (char)('0' + m / 10);
        since[6] = (char)('0' + m % 10);
        memcpy(since + 8, "01", 2);
    } else {
        memcpy(since + 8, "01", 2);
    }
}

struct mapping {
    char (*cat)[32];
    char (*star)[32];
    size_t n;
};

static void map_add(void *ctx, const char *cat, const char *star)
{
    struct mapping *m = ctx;
    m->cat = xrealloc(m->cat, (m->n + 1) * sizeof *m->cat);
    m->star = xrealloc(m->star, (m->n + 1) * sizeof *m->star);
    snprintf(m->cat[m->n], sizeof m->cat[0], "%s", cat);
    snprintf(m->star[m->n], sizeof m->star[0], "%s", star);
    m->n++;
}

static void period_option(FILE *o, struct web_req *req, const char *v,
                          enum web_str s, const char *cur)
{
    html_raw(o, "<option value=\"%s\"%s>", v,
             strcmp(v, cur) == 0 ? " selected" : "");
    html_text(o, web_t(req, s));
    html_raw(o, "</option>");
}

static void stars_page(struct web_req *req, struct web_resp *resp,
                       const char *notice, bool error)
{
    FILE *o = resp->out;
    size_t n;
    struct scope_station *st = scope_stations(req, HUB_SEE, &n);
    char station[64] = "", period[16] = "month";
    web_query(req, "station", station, sizeof station);
    web_query(req, "period", period, sizeof period);
    if (strcmp(period, "quarter") && strcmp(period, "year"))
        snprintf(period, sizeof period, "month");
    if (station[0] && !web_may(req, station, HUB_SEE)) {
        free(st);
        web_not_found(req, resp);
        return;
    }
    if (!station[0] && n > 0)
        snprintf(station, sizeof station, "%s", st[0].id);
    html_page_begin(req, resp, web_t(req, S_STARS));
    html_raw(o, "<p class=\"hint lead\">");
    html_text(o, web_t(req, S_STARS_HINT));
    html_raw(o, "</p>");
    if (notice)
        scope_notice(o, error ? "notice error" : "notice",
                     error ? "alert" : "status", notice);
    if (n == 0) {
        scope_notice(o, "notice", "status", web_t(req, S_NO_STATIONS));
    } else {
        html_raw(o, "<form method=\"get\" action=\"/stars\" "
                 "class=\"filters\">");
        scope_select(req, o, web_t(req, S_STATION), st, n, station);
        html_raw(o, "<div class=\"field\"><label for=\"period\">");
        html_text(o, web_t(req, S_PERIOD));
        html_raw(o, "</label><select id=\"period\" name=\"period\">");
        period_option(o, req, "month", S_P_MONTH, period);
        period_option(o, req, "quarter", S_P_QUARTER, period);
        period_option(o, req, "year", S_P_YEAR, period);
        html_raw(o, "</select></div><div class=\"field\">");
        html_submit(o, web_t(req, S_SHOW), "");
        html_raw(o, "</div></form>");
        char since[11];
        since_of(period, req->now_ms, since);
        size_t nk;
        const struct hub_star_kind *k = hub_star_kinds(&nk);
        html_raw(o, "<div class=\"boards\">");
        for (size_t i = 0; i < nk; i++) {
            struct hub_star top[HUB_STARS_TOP];
            size_t got = 0;
            err_code e = hub_db_star_board_top(req->db, station, k[i].key,
                                               since, top, HUB_STARS_TOP,
                                               &got);
            html_raw(o, "<section class=\"card board\"><h2>");
            html_text(o, req->lang == WEB_EN ? k[i].en : k[i].zh);
            html_raw(o, "</h2>");
            if (e != ERR_OK || got == 0) {
                html_raw(o, "<p class=\"hint\">");
                html_text(o, web_t(req, e != ERR_OK ? S_ERROR : S_NOBODY));
                html_raw(o, "</p></section>");
                continue;
            }
            html_raw(o, "<table class=\"board\"><thead><tr>");
            th(o, req, S_RANK, true);
            th(o, req, S_NAME, false);
            th(o, req, S_POINTS_COL, true);
            html_raw(o, "</tr></thead><tbody>");
            for (size_t j = 0; j < got; j++) {
                /* Ten names at most a board: one lookup each. */
                struct hub_member m;
                bool named = hub_db_member_get(req->db, top[j].member_no,
                                               &m) == ERR_OK;
                html_raw(o, "<tr><td class=\"n\">%zu</td><td>", j + 1);
                html_text(o, named ? m.name : top[j].member_no);
                html_raw(o, " <span class=\"id\">");
                html_text(o, top[j].member_no);
                html_raw(o, "</span></td><td class=\"n\">%d</td></tr>",
                         top[j].points);
            }
            html_raw(o, "</tbody></table></section>");
        }
        html_raw(o, "</div>");
    }
    /* The mapping, hub-wide. */
    struct mapping mp = { 0 };
    hub_db_star_categories_each(req->db, map_add, &mp);
    html_raw(o, "<h2>");
    html_text(o, web_t(req, S_STAR_MAP));
    html_raw(o, "</h2><div class=\"table-wrap\"><table class=\"map\">"
             "<thead><tr>");
    th(o, req, S_CATEGORY, false);
    th(o, req, S_STAR, false);
    html_raw(o, "</tr></thead><tbody>");
    for (size_t i = 0; i < mp.n; i++) {
        html_raw(o, "<tr><th scope=\"row\">");
        html_text(o, cat_label(req, mp.cat[i]));
        html_raw(o, "</th><td>");
        html_text(o, star_label(req, mp.star[i]));
        html_raw(o, "</td></tr>");
    }
    html_raw(o, "</tbody></table></div>");
    if (hub_user_may_hubwide(&req->user)) {
        size_t nc, nk;
        const struct service_category *cats = service_categories(&nc);
        const struct hub_star_kind *k = hub_star_kinds(&nk);
        html_form_begin(req, o, "/stars", "card grid");
        html_raw(o, "<div class=\"field\"><label for=\"category\">");
        html_text(o, web_t(req, S_CATEGORY));
        html_raw(o, "</label><select id=\"category\" name=\"category\">");
        for (size_t i = 0; i < nc; i++) {
            html_raw(o, "<option value=\"");
            html_attr(o, cats[i].key);
            html_raw(o, "\">");
            html_text(o, req->lang == WEB_EN ? cats[i].en : cats[i].zh);
            html_raw(o, "</option>");
        }
        html_raw(o, "</select></div><div class=\"field\"><label "
                 "for=\"star\">");
        html_text(o, web_t(req, S_STAR));
        html_raw(o, "</label><select id=\"star\" name=\"star\">");
        for (size_t i = 0; i < nk; i++) {
            html_raw(o, "<option value=\"");
            html_attr(o, k[i].key);
            html_raw(o, "\">");
            html_text(o, req->lang == WEB_EN ? k[i].en : k[i].zh);
            html_raw(o, "</option>");
        }
        html_raw(o, "</select></div><div class=\"actions\">");
        html_submit(o, web_t(req, S_SET_STAR), "primary");
        html_raw(o, "</div>");
        html_form_end(o);
    } else {
        scope_notice(o, "notice", "status", web_t(req, S_READ_ONLY));
    }
    html_page_end(req, resp);
    free(mp.cat);
    free(mp.star);
    free(st);
}

void page_stars(struct web_req *req, struct web_resp *resp)
{
    char done[8];
    stars_page(req, resp, web_query(req, "done", done, sizeof done)
                          ? web_t(req, S_STAR_SAVED) : NULL, false);
}

void page_stars_post(struct web_req *req, struct web_resp *resp)
{
    if (!hub_user_may_hubwide(&req->user)) {
        web_forbidden(req, resp, S_NO_PERMISSION);
        return;
    }
    char cat[64], star[64];
    web_form(req, "category", cat, sizeof cat);
    web_form(req, "star", star, sizeof star);
    char *msg = NULL;
    size_t len = 0;
    FILE *err = open_memstream(&msg, &len);
    err_code e = hub_points_star_category_set_by(req->db, cat, star,
                                                 req->user.name, err);
    fclose(err);
    if (e != ERR_OK) {
        resp->status = e == ERR_INVAL ? 400 : 503;
        stars_page(req, resp, e == ERR_INVAL
                   ? why_text(req, msg, S_INPUT_BAD)
                   : web_t(req, S_SAVE_FAILED), true);
    } else {
        /* The boards follow at the next refresh (hubd's timer). */
        web_redirect(resp, "/stars?done=1");
    }
    free(msg);
}

/* ---- /awards ------------------------------------------------------------ */

struct awards_list {
    struct web_req *req;
    FILE           *o;
    size_t          n;
    /* Rows come by station: its scope and name asked once a station. */
    char            station[64], sname[128];
    bool            may;
};

static void award_row(void *ctx, const struct hub_award_row *r)
{
    struct awards_list *l = ctx;
    if (strcmp(l->station, r->station) != 0) {
        snprintf(l->station, sizeof l->station, "%s", r->station);
        l->may = web_may(l->req, r->station, HUB_SEE);
        l->sname[0] = '\0';
        if (l->may)
            hub_db_station_name(l->req->db, r->station, l->sname,
                                sizeof l->sname);
    }
    if (!l->may)
        return;
    FILE *o = l->o;
    html_raw(o, "<tr><td>");
    html_text(o, l->sname[0] ? l->sname : r->station);
    html_raw(o, "</td><td>");
    html_text(o, web_t(l->req, strcmp(r->kind, "post") == 0
                               ? S_EXCELLENT_POST : S_EXCELLENT_MEMBER));
    html_raw(o, "</td><td class=\"n\">%d</td><td>", r->rank);
    html_text(o, r->name);
    html_raw(o, " <span class=\"id\">");
    html_text(o, r->subject);
    html_raw(o, "</span></td><td class=\"n\">%d</td></tr>", r->points);
    l->n++;
}

static int year_of(struct web_req *req)
{
    char y[16], today[11];
    clock_ymd(req->now_ms, ZONE_MIN, today);
    int v = atoi(today);
    if (web_query(req, "year", y, sizeof y) || web_form(req, "year", y,
                                                        sizeof y)) {
        char *end;
        long p = strtol(y, &end, 10);
        v = !*end && p >= 2000 && p <= 2200 ? (int)p : -1;
    }
    return v;
}

static void awards_page(struct web_req *req, struct web_resp *resp,
                        int year, const char *notice, bool error)
{
    FILE *o = resp->out;
    html_page_begin(req, resp, web_t(req, S_AWARDS));
    html_raw(o, "<p class=\"hint lead\">");
    html_text(o, web_t(req, S_AWARDS_HINT));
    html_raw(o, "</p>");
    if (notice)
        scope_notice(o, error ? "notice error" : "notice",
                     error ? "alert" : "status", notice);
    char ys[8];
    snprintf(ys, sizeof ys, "%d", year);
    html_raw(o, "<form method=\"get\" action=\"/awards\" class=\"filters\">");
    html_field(o, "year", web_t(req, S_YEAR), "number", "year", ys, true,
               "off");
    html_raw(o, "<div class=\"field\">");
    html_submit(o, web_t(req, S_SHOW), "");
    html_raw(o, "</div></form>");
    html_raw(o, "<div class=\"table-wrap\"><table class=\"awards\"><thead>"
             "<tr>");
    th(o, req, S_STATION, false);
    th(o, req, S_REPORT_KIND, false);
    th(o, req, S_RANK, true);
    th(o, req, S_NAME, false);
    th(o, req, S_POINTS_COL, true);
    html_raw(o, "</tr></thead><tbody>");
    struct awards_list l = { .req = req, .o = o };
    err_code e = hub_db_awards_each(req->db, year, award_row, &l);
    if (e != ERR_OK || l.n == 0) {
        html_raw(o, "<tr><td colspan=\"5\">");
        html_text(o, web_t(req, e != ERR_OK ? S_ERROR : S_NO_AWARDS));
        html_raw(o, "</td></tr>");
    }
    html_raw(o, "</tbody></table></div>");
    if (hub_user_is_admin(&req->user)) {
        html_form_begin(req, o, "/awards", "card grid");
        html_field(o, "run-year", web_t(req, S_YEAR), "number", "year", ys,
                   true, "off");
        html_field(o, "posts", web_t(req, S_AWARDS_POSTS), "number",
                   "posts", "2", true, "off");
        html_field(o, "members", web_t(req, S_AWARDS_MEMBERS), "number",
                   "members", "10", true, "off");
        html_raw(o, "<div class=\"actions\">");
        html_submit(o, web_t(req, S_AWARDS_RUN), "primary");
        html_raw(o, "</div>");
        html_form_end(o);
    }
    html_page_end(req, resp);
}

void page_awards(struct web_req *req, struct web_resp *resp)
{
    int year = year_of(req);
    char done[8];
    if (year < 0) {
        char today[11];
        clock_ymd(req->now_ms, ZONE_MIN, today);
        resp->status = 400;
        awards_page(req, resp, atoi(today), web_t(req, S_INPUT_BAD), true);
        return;
    }
    awards_page(req, resp, year, web_query(req, "done", done, sizeof done)
                                 ? web_t(req, S_AWARDS_DONE) : NULL, false);
}

void page_awards_post(struct web_req *req, struct web_resp *resp)
{
    if (!hub_user_is_admin(&req->user)) {
        web_forbidden(req, resp, S_NO_PERMISSION);
        return;
    }
    char p[16], m[16];
    web_form(req, "posts", p, sizeof p);
    web_form(req, "members", m, sizeof m);
    struct hub_awards_opts opts = { .year = year_of(req),
                                    .utc_offset_minutes = ZONE_MIN,
                                    .actor = req->user.name };
    bool ok = opts.year > 0 && whole_num(p, &opts.posts) &&
              whole_num(m, &opts.members);
    char *msg = NULL, *csv = NULL;
    size_t len = 0, clen = 0;
    FILE *err = open_memstream(&msg, &len);
    FILE *out = open_memstream(&csv, &clen);
    int changes = 0;
    err_code e = ok ? hub_awards_run(req->db, &opts, out, err, &changes)
                    : ERR_INVAL;
    fclose(err);
    fclose(out);
    free(csv);
    if (e != ERR_OK) {
        resp->status = e == ERR_INVAL ? 400 : 503;
        awards_page(req, resp, opts.year > 0 ? opts.year : 2000,
                    e == ERR_INVAL ? why_text(req, msg, S_INPUT_BAD)
                                   : web_t(req, S_SAVE_FAILED), true);
    } else {
        char to[48];
        snprintf(to, sizeof to, "/awards?year=%d&done=1", opts.year);
        web_redirect(resp, to);
    }
    free(msg);
}
