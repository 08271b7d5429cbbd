/* web/page_roster.c - the roster: a station's members (search by name or
 * number), importing a CSV with a preview (hub_roster_import_text, the
 * function `hubctl import` runs: bad lines by number, who would be added,
 * changed, made inactive; nothing changes until the user confirms), and
 * editing one member with a preview before making them inactive
 * (hub_member_edit). The CSV comes in a textarea: the dispatcher takes
 * urlencoded forms only, up to 64 KiB (a few hundred members a go). */
#include <stdlib.h>
#include <string.h>

#include "base/phone.h"
#include "base/xmalloc.h"
#include "hub/hub_db_roster.h"
#include "hub/hub_db_roster_list.h"
#include "hub/hub_roster.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/scope.h"

#define LIST_MAX 500

/* ---- the list ------------------------------------------------------------ */

struct list_ctx {
    struct web_req *req;
    FILE           *o;
    int             n;
};

static void list_row(void *ctx, const struct hub_member *m, bool active)
{
    struct list_ctx *c = ctx;
    char masked[PHONE_MASKED];
    phone_mask(m->phone, masked);
    html_raw(c->o, "<tr><td class=\"nowrap\"><a href=\"/members/");
    html_attr(c->o, m->member_no);
    html_raw(c->o, "\">");
    html_text(c->o, m->member_no);
    html_raw(c->o, "</a></td><td>");
    html_text(c->o, m->name);
    html_raw(c->o, "</td><td class=\"nowrap\">");
    html_text(c->o, masked);
    html_raw(c->o, "</td><td%s>", active ? "" : " class=\"muted\"");
    html_text(c->o, web_t(c->req, active ? S_IN_ROSTER : S_INACTIVE));
    html_raw(c->o, "</td></tr>");
    c->n++;
}

void page_roster(struct web_req *req, struct web_resp *resp)
{
    size_t n;
    struct scope_station *sv = scope_stations(req, HUB_SEE, &n);
    char station[64] = "", q[96] = "";
    web_query(req, "station", station, sizeof station);
    web_query(req, "q", q, sizeof q);
    if (station[0] && !web_may(req, station, HUB_SEE)) {
        free(sv);
        web_not_found(req, resp);
        return;
    }
    if (!station[0] && n > 0)
        snprintf(station, sizeof station, "%s", sv[0].id);
    FILE *o = resp->out;
    html_page_begin(req, resp, web_t(req, S_ROSTER));
    if (n == 0) {
        scope_notice(o, "notice", "status", web_t(req, S_NO_STATIONS));
        html_page_end(req, resp);
        free(sv);
        return;
    }
    html_raw(o, "<form method=\"get\" action=\"/roster\" class=\"filters\""
             " role=\"search\">");
    scope_select(req, o, web_t(req, S_STATION), sv, n, station);
    html_field(o, "q", web_t(req, S_SEARCH_HINT), "search", "q", q, false,
               "off");
    html_raw(o, "<div class=\"field\">");
    html_submit(o, web_t(req, S_SEARCH), "");
    html_raw(o, "</div></form>");
    char done[4] = "";
    if (web_query(req, "imported", done, sizeof done))
        scope_notice(o, "notice", "status", web_t(req, S_IMPORTED));
    if (web_may(req, station, HUB_CHANGE))
    {
        html_raw(o, "<p><a class=\"button\" href=\"/roster/import\">");
        html_text(o, web_t(req, S_IMPORT));
        html_raw(o, "</a></p>");
    }
    html_raw(o, "<div class=\"table-wrap\"><table class=\"roster\"><thead>"
             "<tr>");
    static const enum web_str heads[] = { S_MEMBER_NO, S_NAME, S_PHONE,
                                          S_STATE };
    for (size_t i = 0; i < 4; i++) {
        html_raw(o, "<th scope=\"col\">");
        html_text(o, web_t(req, heads[i]));
        html_raw(o, "</th>");
    }
    html_raw(o, "</tr></thead><tbody>");
    struct list_ctx c = { req, o, 0 };
    err_code e = hub_db_members_list(req->db, station, q, LIST_MAX, list_row,
                                     &c);
    html_raw(o, "</tbody></table></div>");
    if (e != ERR_OK)
        scope_notice(o, "notice error", "alert", web_t(req, S_ERROR));
    else if (c.n == 0)
        scope_notice(o, "notice", "status", web_t(req, S_NO_ROWS));
    html_page_end(req, resp);
    free(sv);
}

/* ---- the import ---------------------------------------------------------- */

/* hub_roster.c's reasons, in Chinese for zh_CN (matched by their start;
 * an unknown one is shown as it comes). */
static const char *const reasons_zh[][2] = {
    { "expected 5 fields", "应有5列：党员编号、姓名、联系电话、社区、服务站" },
    { "member_no looks", "党员编号以＝＋－＠等符号开头，可能被表格软件当作公式" },
    { "name looks", "姓名以＝＋－＠等符号开头，可能被表格软件当作公式" },
    { "phone looks", "联系电话以＝＋－＠等符号开头，可能被表格软件当作公式" },
    { "community looks", "社区以＝＋－＠等符号开头，可能被表格软件当作公式" },
    { "station looks", "服务站以＝＋－＠等符号开头，可能被表格软件当作公式" },
    { "member_no must", "党员编号须为1至31位字母、数字、点、下划线或横线" },
    { "name is empty", "姓名为空、过长或编码不是统一码" },
    { "phone must", "联系电话须为以1开头的11位数字" },
    { "community is empty", "社区为空、过长或编码不是统一码" },
    { "unknown station", "服务站不存在，或不在您的管辖范围内" },
    { "member_no appears twice", "党员编号重复出现" },
    { "line too long", "该行过长" },
    { "header must", "首行须为表头：member_no,name,phone,community,station" },
};

static const char *reason(const struct web_req *req, const char *why)
{
    if (req->lang == WEB_EN)
        return why;
    for (size_t i = 0; i < sizeof reasons_zh / sizeof reasons_zh[0]; i++)
        if (strncmp(why, reasons_zh[i][0], strlen(reasons_zh[i][0])) == 0)
            return reasons_zh[i][1];
    return why;
}

struct plan {
    struct web_req *req;
    struct {
        int  line;
        char why[160];
    }      *bad;
    size_t  n_bad;
    struct {
        char              what;
        struct hub_member m;
    }      *rows;
    size_t  n_rows;
};

static bool station_ok(void *ctx, const char *station)
{
    struct plan *p = ctx;
    return web_may(p->req, station, HUB_CHANGE);
}

static void on_bad(void *ctx, int line, const char *why)
{
    struct plan *p = ctx;
    p->bad = xrealloc(p->bad, (p->n_bad + 1) * sizeof *p->bad);
    p->bad[p->n_bad].line = line;
    snprintf(p->bad[p->n_bad].why, sizeof p->bad[p->n_bad].why, "%s", why);
    p->n_bad++;
}

static void on_row(void *ctx, char what, const struct hub_member *m)
{
    struct plan *p = ctx;
    p->rows = xrealloc(p->rows, (p->n_rows + 1) * sizeof *p->rows);
    p->rows[p->n_rows].what = what;
    p->rows[p->n_rows].m = *m;
    p->n_rows++;
}

static void import_form(struct web_req *req, FILE *o, const char *csv)
{
    html_form_begin(req, o, "/roster/import", "card");
    html_raw(o, "<div class=\"field\"><label for=\"csv\">");
    html_text(o, web_t(req, S_CSV_TEXT));
    html_raw(o, "</label><textarea id=\"csv\" name=\"csv\" rows=\"12\""
             " required spellcheck=\"false\">");
    html_text(o, csv);
    html_raw(o, "</textarea></div>");
    html_submit(o, web_t(req, S_PREVIEW), "primary");
    html_form_end(o);
}

void page_roster_import(struct web_req *req, struct web_resp *resp)
{
    html_page_begin(req, resp, web_t(req, S_IMPORT));
    import_form(req, resp->out, "member_no,name,phone,community,station\n");
    html_page_end(req, resp);
}

static void plan_table(struct web_req *req, FILE *o, const struct plan *p,
                       char what, enum web_str title)
{
    size_t k = 0;
    for (size_t i = 0; i < p->n_rows; i++)
        k += p->rows[i].what == what;
    if (k == 0)
        return;
    html_raw(o, "<h2 id=\"plan-%c\">", what == '+' ? 'a' : what == '~' ?
             'c' : 'd');
    html_text(o, web_t(req, title));
    html_raw(o, "（%zu）</h2><div class=\"table-wrap\"><table class=\"plan\">"
             "<thead><tr>", k);
    static const enum web_str heads[] = { S_MEMBER_NO, S_NAME, S_COMMUNITY,
                                          S_STATION };
    for (size_t i = 0; i < 4; i++) {
        html_raw(o, "<th scope=\"col\">");
        html_text(o, web_t(req, heads[i]));
        html_raw(o, "</th>");
    }
    html_raw(o, "</tr></thead><tbody>");
    for (size_t i = 0; i < p->n_rows; i++) {
        const struct hub_member *m = &p->rows[i].m;
        if (p->rows[i].what != what)
            continue;
        html_raw(o, "<tr><td class=\"nowrap\">");
        html_text(o, m->member_no);
        html_raw(o, "</td><td>");
        html_text(o, m->name);
        html_raw(o, "</td><td>");
        html_text(o, m->community);
        html_raw(o, "</td><td>");
        html_text(o, m->station);
        html_raw(o, "</td></tr>");
    }
    html_raw(o, "</tbody></table></div>");
}

void page_roster_import_post(struct web_req *req, struct web_resp *resp)
{
    char *csv = xmalloc(WEB_BODY_MAX + 1), confirm[8] = "";
    web_form(req, "csv", csv, WEB_BODY_MAX + 1);
    web_form(req, "confirm", confirm, sizeof confirm);
    bool doit = strcmp(confirm, "1") == 0;
    char *text = xstrdup(csv);
    struct plan p = { .req = req };
    struct hub_roster_opts opts = {
        .dry_run = !doit, .actor = req->user.name, .ctx = &p,
        .station_ok = station_ok, .bad = on_bad, .row = on_row };
    char *errs = NULL;
    size_t errs_len = 0;
    FILE *err = open_memstream(&errs, &errs_len);
    int imported = 0;
    err_code e = hub_roster_import_text(req->db, "roster", text, &opts, err,
                                        &imported);
    fclose(err);
    free(errs);
    free(text);
    FILE *o = resp->out;
    if (doit && e == ERR_OK) {
        free(csv);
        free(p.bad);
        free(p.rows);
        web_redirect(resp, "/roster?imported=1");
        return;
    }
    if (e != ERR_OK && e != ERR_INVAL && e != ERR_DENIED)
        resp->status = 503;
    else if (e != ERR_OK)
        resp->status = 400;
    html_page_begin(req, resp, web_t(req, S_IMPORT));
    if (e == ERR_OK)
        scope_notice(o, "notice", "status", web_t(req, S_PREVIEW_NOTE));
    else if (p.n_bad > 0)
        scope_notice(o, "notice error", "alert", web_t(req, S_FIX_FIRST));
    else if (e == ERR_DENIED)
        scope_notice(o, "notice error", "alert", web_t(req, S_TOO_MANY_DROP));
    else
        scope_notice(o, "notice error", "alert", web_t(req, S_ERROR));
    if (p.n_bad > 0) {
        html_raw(o, "<h2 id=\"bad-lines\">");
        html_text(o, web_t(req, S_BAD_LINES));
        html_raw(o, "（%zu）</h2><div class=\"table-wrap\"><table"
                 " class=\"bad\"><thead><tr><th scope=\"col\" class=\"n\">",
                 p.n_bad);
        html_text(o, web_t(req, S_LINE));
        html_raw(o, "</th><th scope=\"col\">");
        html_text(o, web_t(req, S_REASON));
        html_raw(o, "</th></tr></thead><tbody>");
        for (size_t i = 0; i < p.n_bad; i++) {
            html_raw(o, "<tr><td class=\"n\">%d</td><td>", p.bad[i].line);
            html_text(o, reason(req, p.bad[i].why));
            html_raw(o, "</td></tr>");
        }
        html_raw(o, "</tbody></table></div>");
    }
    plan_table(req, o, &p, '+', S_WILL_ADD);
    plan_table(req, o, &p, '~', S_WILL_CHANGE);
    plan_table(req, o, &p, '-', S_WILL_DEACT);
    if (e == ERR_OK && p.n_rows == 0)
        scope_notice(o, "notice", "status", web_t(req, S_NO_CHANGES));
    if (e == ERR_OK && p.n_rows > 0) {
        /* The same text again, now to apply: what was previewed is
         * exactly what is imported (checked again on the way). */
        html_form_begin(req, o, "/roster/import", "actions");
        html_raw(o, "<input type=\"hidden\" name=\"confirm\" value=\"1\">"
                 "<input type=\"hidden\" name=\"csv\" value=\"");
        html_attr(o, csv);
        html_raw(o, "\">");
        html_submit(o, web_t(req, S_CONFIRM_IMPORT), "primary");
        html_form_end(o);
    }
    html_raw(o, "<h2>");
    html_text(o, web_t(req, S_CSV_TEXT));
    html_raw(o, "</h2>");
    import_form(req, o, csv);
    html_page_end(req, resp);
    free(csv);
    free(p.bad);
    free(p.rows);
}

/* ---- one member ---------------------------------------------------------- */

static void edit_fields(struct web_req *req, FILE *o, const char *no,
                        const char *name, const char *phone, bool active)
{
    html_raw(o, "<input type=\"hidden\" name=\"no\" value=\"");
    html_attr(o, no);
    html_raw(o, "\">");
    html_raw(o, "<div class=\"field\">");
    html_field(o, "m-name", web_t(req, S_NAME), "text", "name", name, true,
               "off");
    html_raw(o, "</div><div class=\"field\">");
    html_field(o, "m-phone", web_t(req, S_PHONE), "tel", "phone", phone, true,
               "off");
    html_raw(o, "</div><div class=\"field check\"><label for=\"m-active\">"
             "<input type=\"checkbox\" id=\"m-active\" name=\"active\""
             " value=\"1\"%s> ", active ? " checked" : "");
    html_text(o, web_t(req, S_IN_ROSTER));
    html_raw(o, "</label></div>");
}

void roster_member_form(struct web_req *req, FILE *o,
                        const struct hub_member *m)
{
    bool active = false;
    if (!web_may(req, m->station, HUB_CHANGE) ||
        hub_db_member_active(req->db, m->member_no, &active) != ERR_OK)
        return;
    html_raw(o, "<h2>");
    html_text(o, web_t(req, S_EDIT));
    html_raw(o, "</h2>");
    html_form_begin(req, o, "/members/edit", "card narrow");
    edit_fields(req, o, m->member_no, m->name, m->phone, active);
    html_submit(o, web_t(req, S_SAVE), "primary");
    html_form_end(o);
}

void page_member_edit(struct web_req *req, struct web_resp *resp)
{
    char no[64], confirm[4] = "", on[4] = "";
    struct hub_member m, cur;
    bool was = false;
    if (!web_form(req, "no", no, sizeof no) ||
        hub_db_member_get(req->db, no, &cur) != ERR_OK ||
        !web_may(req, cur.station, HUB_CHANGE) ||
        hub_db_member_active(req->db, no, &was) != ERR_OK) {
        web_not_found(req, resp);
        return;
    }
    m = cur;
    web_form(req, "name", m.name, sizeof m.name);
    web_form(req, "phone", m.phone, sizeof m.phone);
    web_form(req, "confirm", confirm, sizeof confirm);
    bool active = web_form(req, "active", on, sizeof on) &&
                  strcmp(on, "1") == 0;
    FILE *o = resp->out;
    char path[96];
    snprintf(path, sizeof path, "/members/%s", no);
    /* Making a member inactive stops their card at the kiosks: shown
     * first, applied only once confirmed. */
    if (was && !active && strcmp(confirm, "1") != 0) {
        html_page_begin(req, resp, web_t(req, S_WILL_DEACT));
        scope_notice(o, "notice", "status", web_t(req, S_DEACT_PREVIEW));
        html_raw(o, "<dl class=\"card facts\"><dt>");
        html_text(o, web_t(req, S_MEMBER_NO));
        html_raw(o, "</dt><dd>");
        html_text(o, no);
        html_raw(o, "</dd><dt>");
        html_text(o, web_t(req, S_NAME));
        html_raw(o, "</dt><dd>");
        html_text(o, cur.name);
        html_raw(o, "</dd></dl>");
        html_form_begin(req, o, "/members/edit", "actions");
        html_raw(o, "<input type=\"hidden\" name=\"confirm\" value=\"1\">"
                 "<input type=\"hidden\" name=\"no\" value=\"");
        html_attr(o, no);
        html_raw(o, "\"><input type=\"hidden\" name=\"name\" value=\"");
        html_attr(o, m.name);
        html_raw(o, "\"><input type=\"hidden\" name=\"phone\" value=\"");
        html_attr(o, m.phone);
        html_raw(o, "\">");
        html_submit(o, web_t(req, S_CONFIRM_DEACT), "primary");
        html_raw(o, " <a class=\"button\" href=\"");
        html_url(o, path);
        html_raw(o, "\">");
        html_text(o, web_t(req, S_CANCEL));
        html_raw(o, "</a>");
        html_form_end(o);
        html_page_end(req, resp);
        return;
    }
    FILE *err = fopen("/dev/null", "w");
    err_code e = hub_member_edit(req->db, req->user.name, &m, active, err);
    if (err)
        fclose(err);
    if (e == ERR_OK) {
        web_redirect(resp, path);
        return;
    }
    resp->status = e == ERR_INVAL ? 400 : 503;
    html_page_begin(req, resp, web_t(req, S_EDIT));
    scope_notice(o, "notice error", "alert",
                 web_t(req, e == ERR_INVAL ? S_MEMBER_BAD : S_ERROR));
    html_form_begin(req, o, "/members/edit", "card narrow");
    edit_fields(req, o, no, m.name, m.phone, active);
    html_submit(o, web_t(req, S_SAVE), "primary");
    html_form_end(o);
    html_page_end(req, resp);
}
