/* web/page_reports.c - /reports: a report (check-ins, service hours, the
 * issue ledger, registration) over a period (month, quarter, year, or
 * from-to days) and a HIERARCHY filter (district -> street -> community
 * -> station, within the user's scope), shown as tables and downloaded
 * as CSV (/reports.csv: one table, UTF-8 BOM, formula-safe) or XLSX
 * (/reports.xlsx: every table a sheet). The tables are hub_stats_build's
 * and hub_reg_build's, the figures `hubctl report ... --org NODE`
 * gives; the node is turned into stations by hub_filter_org and the
 * store queries take them as their station filter.
 *
 * Scope: a node the user's scope does not cover answers 404, exactly as
 * an unknown node (a community secretary naming the next community in
 * the query string learns nothing); with no node a user gets her own
 * scope, an administrator every station. */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/xmalloc.h"
#include "hub/hub_db_users.h"
#include "hub/hub_org.h"
#include "hub/hub_stats.h"
#include "hub/hub_xlsx_mem.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/scope.h"

#define ZONE_MIN 480                  /* the stations' days: UTC+8 */

/* ---- a table as HTML (also /registration's) ----------------------------- */

static bool numeric(enum hub_col_kind k)
{
    return k == HUB_COL_INT || k == HUB_COL_DECIMAL || k == HUB_COL_PERCENT;
}

void web_table_html(struct web_req *req, FILE *o, const struct hub_table *t,
                    const char *cls)
{
    (void)req;
    html_raw(o, "<div class=\"table-wrap\"><table class=\"report ");
    html_attr(o, cls);
    html_raw(o, "\"><thead><tr>");
    for (int c = 0; c < t->ncols; c++) {
        html_raw(o, "<th scope=\"col\"%s>", numeric(t->cols[c].kind)
                                            ? " class=\"n\"" : "");
        html_text(o, hub_table_label(t, c));
        html_raw(o, "</th>");
    }
    html_raw(o, "</tr></thead><tbody>");
    for (size_t r = 0; r < t->nrows; r++) {
        bool total = t->total && r + 1 == t->nrows;
        html_raw(o, "<tr%s>", total ? " class=\"total\"" : "");
        for (int c = 0; c < t->ncols; c++) {
            const struct hub_cell *x = hub_table_cell(t, r, c);
            const struct hub_col *k = &t->cols[c];
            const char *tag = c == 0 ? "th" : "td";
            html_raw(o, "<%s%s%s>", tag, c == 0 ? " scope=\"row\"" : "",
                     numeric(k->kind) ? " class=\"n\"" : "");
            if (x && x->set) {
                char day[11];
                switch (k->kind) {
                case HUB_COL_TEXT:
                    html_text(o, x->s ? x->s : "");
                    break;
                case HUB_COL_INT:
                    html_raw(o, "%lld", (long long)x->i);
                    break;
                case HUB_COL_DECIMAL:
                    html_raw(o, "%.*f", k->decimals, x->d);
                    break;
                case HUB_COL_PERCENT:
                    html_raw(o, "%.*f%%", k->decimals, x->d * 100.0);
                    break;
                case HUB_COL_DATE:
                    clock_ymd(x->i * 86400000LL, 0, day);
                    html_text(o, day);
                    break;
                }
            }
            html_raw(o, "</%s>", tag);
        }
        html_raw(o, "</tr>");
    }
    if (t->nrows == 0) {
        html_raw(o, "<tr><td colspan=\"%d\">", t->ncols);
        html_text(o, web_t(req, S_NO_ROWS));
        html_raw(o, "</td></tr>");
    }
    html_raw(o, "</tbody></table></div>");
}

/* ---- the request: report, period, node ---------------------------------- */

enum { R_CHECKINS, R_SERVICE, R_LEDGER, R_REG, R_N };
static const char *const report_keys[R_N] = { "checkins", "service",
                                              "ledger", "registration" };
static const enum web_str report_names[R_N] = { S_R_CHECKINS, S_R_SERVICE,
                                                S_R_LEDGER, S_R_REG };

struct ask {
    int                report;        /* R_* */
    char               period[16];    /* month quarter year custom */
    char               month[16], qyear[8], q[4], year[8];
    char               from[16], to[16];
    char               org[64];       /* "" : the user's scope */
    struct hub_filter  f;
    struct hub_org_set keep;
    char               msg[300];
};

/* 0 ready; else the status to answer: 400 (msg says why, the form is
 * shown again) or 404 (a node out of scope or unknown). */
static int ask_read(struct web_req *req, struct ask *a)
{
    char r[32] = "checkins";
    memset(a, 0, sizeof *a);
    a->f.utc_offset = ZONE_MIN;
    if (!web_query(req, "report", r, sizeof r) || !r[0])
        snprintf(r, sizeof r, "checkins");
    web_query(req, "period", a->period, sizeof a->period);
    web_query(req, "month", a->month, sizeof a->month);
    web_query(req, "qyear", a->qyear, sizeof a->qyear);
    web_query(req, "q", a->q, sizeof a->q);
    web_query(req, "year", a->year, sizeof a->year);
    web_query(req, "from", a->from, sizeof a->from);
    web_query(req, "to", a->to, sizeof a->to);
    bool named = web_query(req, "org", a->org, sizeof a->org) && a->org[0];
    a->report = -1;
    for (int i = 0; i < R_N; i++)
        if (strcmp(r, report_keys[i]) == 0)
            a->report = i;
    if (a->report < 0) {
        a->report = R_CHECKINS;
        snprintf(a->msg, sizeof a->msg, "unknown report %.40s", r);
        return 400;
    }
    /* The node first: out of scope is 404 whatever else is wrong. */
    if (!named && !hub_user_is_admin(&req->user))
        snprintf(a->org, sizeof a->org, "%s", req->user.scope);
    if (a->org[0]) {
        if (!hub_user_may_node(req->db, &req->user, a->org))
            return 404;
        err_code e = hub_filter_org(req->db, &a->f, a->org, &a->keep,
                                    a->msg, sizeof a->msg);
        if (e == ERR_NOTFOUND && a->keep.n == 0) {
            struct hub_org_row o;
            if (hub_db_org_get(req->db, a->org, &o) != ERR_OK)
                return 404;
            snprintf(a->msg, sizeof a->msg, "%s",
                     web_t(req, S_ORG_EMPTY));
            return 400;
        }
        if (e != ERR_OK)
            return 404;
        /* Belt and braces: every station the node gave is in scope. */
        for (size_t i = 0; i < a->keep.n; i++)
            if (!web_may(req, a->keep.ids[i], HUB_SEE))
                return 404;
    }
    char v[16];
    err_code e = ERR_OK;
    if (strcmp(a->period, "month") == 0) {
        e = hub_filter_period(&a->f, "month", a->month, a->msg,
                              sizeof a->msg);
    } else if (strcmp(a->period, "quarter") == 0) {
        snprintf(v, sizeof v, "%.4s-Q%.1s", a->qyear, a->q);
        e = hub_filter_period(&a->f, "quarter", v, a->msg, sizeof a->msg);
    } else if (strcmp(a->period, "year") == 0) {
        e = hub_filter_period(&a->f, "year", a->year, a->msg, sizeof a->msg);
    } else if (strcmp(a->period, "custom") == 0) {
        e = hub_filter_period(&a->f, "from", a->from, a->msg, sizeof a->msg);
        if (e == ERR_OK)
            e = hub_filter_period(&a->f, "to", a->to, a->msg, sizeof a->msg);
    } else if (a->period[0]) {
        snprintf(a->msg, sizeof a->msg, "unknown period");
        e = ERR_INVAL;
    }
    if (e == ERR_OK)
        e = hub_filter_done(&a->f, req->now_ms, a->msg, sizeof a->msg);
    return e == ERR_OK ? 0 : 400;
}

static err_code ask_build(struct web_req *req, struct ask *a,
                          struct hub_book *book)
{
    enum hub_lang lang = req->lang == WEB_EN ? HUB_LANG_EN : HUB_LANG_ZH;
    if (a->report == R_REG)
        return hub_reg_build(req->db, &a->f, lang, book);
    static const enum hub_stats_kind kinds[] = { HUB_STATS_CHECKINS,
                                                 HUB_STATS_SERVICE,
                                                 HUB_STATS_LEDGER };
    return hub_stats_build(req->db, kinds[a->report], &a->f, lang,
                           req->now_ms, book, a->msg, sizeof a->msg);
}

/* ---- the form ----------------------------------------------------------- */

struct nodes {
    struct web_req *req;
    FILE           *o;
    const char     *cur;
};

static void node_option(void *ctx, const struct hub_org_row *r)
{
    struct nodes *n = ctx;
    if (!hub_user_may_node(n->req->db, &n->req->user, r->id))
        return;
    const char *pad = strcmp(r->kind, "street") == 0 ? "\u3000"
                    : strcmp(r->kind, "community") == 0 ? "\u3000\u3000" : "";
    html_raw(n->o, "<option value=\"");
    html_attr(n->o, r->id);
    html_raw(n->o, "\"%s>", strcmp(n->cur, r->id) == 0 ? " selected" : "");
    html_text(n->o, pad);
    html_text(n->o, r->name);
    html_raw(n->o, "</option>");
}

static void radio(FILE *o, struct web_req *req, const char *value,
                  enum web_str label, const char *cur)
{
    html_raw(o, "<label class=\"radio\"><input type=\"radio\" name=\"period\""
             " value=\"%s\"%s> ", value, strcmp(cur, value) == 0
                                         ? " checked" : "");
    html_text(o, web_t(req, label));
    html_raw(o, "</label>");
}

static void reports_form(struct web_req *req, FILE *o, const struct ask *a)
{
    char today[11];
    clock_ymd(req->now_ms, ZONE_MIN, today);
    const char *period = a->period[0] ? a->period : "month";
    html_raw(o, "<form method=\"get\" action=\"/reports\" "
             "class=\"card report-form\"><div class=\"grid\">"
             "<div class=\"field\"><label for=\"report\">");
    html_text(o, web_t(req, S_REPORT));
    html_raw(o, "</label><select id=\"report\" name=\"report\">");
    for (int i = 0; i < R_N; i++) {
        html_raw(o, "<option value=\"%s\"%s>", report_keys[i],
                 i == a->report ? " selected" : "");
        html_text(o, web_t(req, report_names[i]));
        html_raw(o, "</option>");
    }
    html_raw(o, "</select></div><div class=\"field\"><label for=\"org\">");
    html_text(o, web_t(req, S_ORG));
    html_raw(o, "</label><select id=\"org\" name=\"org\">");
    if (hub_user_is_admin(&req->user)) {
        html_raw(o, "<option value=\"\"%s>", a->org[0] ? "" : " selected");
        html_text(o, web_t(req, S_ALL_AREAS));
        html_raw(o, "</option>");
    }
    struct nodes nd = { req, o, a->org };
    hub_db_org_each(req->db, node_option, &nd);
    size_t n;
    struct scope_station *st = scope_stations(req, HUB_SEE, &n);
    for (size_t i = 0; i < n; i++) {
        html_raw(o, "<option value=\"");
        html_attr(o, st[i].id);
        html_raw(o, "\"%s>\u3000\u3000\u3000", strcmp(a->org, st[i].id) == 0
                                               ? " selected" : "");
        html_text(o, st[i].name);
        html_raw(o, "</option>");
    }
    free(st);
    html_raw(o, "</select></div></div><fieldset class=\"period\"><legend>");
    html_text(o, web_t(req, S_PERIOD));
    html_raw(o, "</legend><div class=\"period-row\">");
    radio(o, req, "month", S_MONTH, period);
    html_raw(o, "<label class=\"sr\" for=\"month\">");
    html_text(o, web_t(req, S_MONTH));
    html_raw(o, "</label><input id=\"month\" name=\"month\" type=\"month\" "
             "value=\"");
    html_attr(o, a->month[0] ? a->month : "");
    if (!a->month[0])
        html_raw(o, "%.7s", today);
    html_raw(o, "\"></div><div class=\"period-row\">");
    radio(o, req, "quarter", S_QUARTER, period);
    html_raw(o, "<label class=\"sr\" for=\"qyear\">");
    html_text(o, web_t(req, S_YEAR));
    html_raw(o, "</label><input id=\"qyear\" name=\"qyear\" type=\"number\""
             " min=\"2000\" max=\"2199\" value=\"");
    if (a->qyear[0])
        html_attr(o, a->qyear);
    else
        html_raw(o, "%.4s", today);
    html_raw(o, "\"><label class=\"sr\" for=\"q\">");
    html_text(o, web_t(req, S_QUARTER));
    html_raw(o, "</label><select id=\"q\" name=\"q\">");
    static const enum web_str qs[4] = { S_Q1, S_Q2, S_Q3, S_Q4 };
    int curq = a->q[0] ? a->q[0] - '0'
                       : ((today[5] - '0') * 10 + today[6] - '0' - 1) / 3 + 1;
    for (int i = 1; i <= 4; i++) {
        html_raw(o, "<option value=\"%d\"%s>", i, i == curq ? " selected"
                                                            : "");
        html_text(o, web_t(req, qs[i - 1]));
        html_raw(o, "</option>");
    }
    html_raw(o, "</select></div><div class=\"period-row\">");
    radio(o, req, "year", S_YEAR, period);
    html_raw(o, "<label class=\"sr\" for=\"year\">");
    html_text(o, web_t(req, S_YEAR));
    html_raw(o, "</label><input id=\"year\" name=\"year\" type=\"number\" "
             "min=\"2000\" max=\"2199\" value=\"");
    if (a->year[0])
        html_attr(o, a->year);
    else
        html_raw(o, "%.4s", today);
    html_raw(o, "\"></div><div class=\"period-row\">");
    radio(o, req, "custom", S_P_CUSTOM, period);
    html_raw(o, "<label class=\"sr\" for=\"from\">");
    html_text(o, web_t(req, S_FROM));
    html_raw(o, "</label><input id=\"from\" name=\"from\" type=\"date\" "
             "value=\"");
    html_attr(o, a->from);
    html_raw(o, "\"><span aria-hidden=\"true\">–</span><label class=\"sr\" "
             "for=\"to\">");
    html_text(o, web_t(req, S_TO));
    html_raw(o, "</label><input id=\"to\" name=\"to\" type=\"date\" "
             "value=\"");
    html_attr(o, a->to);
    html_raw(o, "\"></div></fieldset><div class=\"actions\">");
    html_submit(o, web_t(req, S_VIEW_REPORT), "primary");
    html_raw(o, "</div></form>");
}

/* ---- the handlers ------------------------------------------------------- */

void page_reports(struct web_req *req, struct web_resp *resp)
{
    struct ask a;
    int status = ask_read(req, &a);
    if (status == 404) {
        hub_org_set_free(&a.keep);
        web_not_found(req, resp);
        return;
    }
    FILE *o = resp->out;
    struct hub_book book = { 0 };
    err_code e = status ? ERR_INVAL : ask_build(req, &a, &book);
    if (e != ERR_OK && !status)
        status = e == ERR_NOTFOUND ? 404 : 503;
    if (status == 404) {
        hub_book_free(&book);
        hub_org_set_free(&a.keep);
        web_not_found(req, resp);
        return;
    }
    resp->status = status ? status : 200;
    html_page_begin(req, resp, web_t(req, S_REPORTS));
    html_raw(o, "<p class=\"hint lead\">");
    html_text(o, web_t(req, S_REPORTS_HINT));
    html_raw(o, "</p>");
    if (status == 400)
        /* hub/'s reason in English on en pages; zh_CN's own words. */
        scope_notice(o, "notice error", "alert",
                     req->lang == WEB_EN ||
                     strcmp(a.msg, web_t(req, S_ORG_EMPTY)) == 0 ? a.msg
                     : strncmp(a.msg, "unknown report", 14) == 0
                     ? web_t(req, S_INPUT_BAD) : web_t(req, S_PERIOD_INVALID));
    else if (status)
        scope_notice(o, "notice error", "alert", web_t(req, S_ERROR));
    reports_form(req, o, &a);
    if (!status) {
        html_raw(o, "<div class=\"downloads actions\"><a class=\"button "
                 "primary\" href=\"/reports.xlsx?");
        html_attr(o, req->query);
        html_raw(o, "\" download>");
        html_text(o, web_t(req, S_DL_XLSX));
        html_raw(o, "</a></div>");
        for (int i = 0; i < book.n; i++) {
            const struct hub_table *t = book.t[i];
            html_raw(o, "<section class=\"report\"><div class=\"report-head\">"
                     "<h2>");
            html_text(o, t->title);
            html_raw(o, "</h2><a class=\"button\" href=\"/reports.csv?");
            html_attr(o, req->query);
            html_raw(o, "%stable=%d\" download>", req->query[0] ? "&amp;" : "",
                     i);
            html_text(o, web_t(req, S_DL_CSV));
            html_raw(o, "</a></div><p class=\"hint\">");
            html_text(o, t->scope);
            html_raw(o, "</p>");
            web_table_html(req, o, t, report_keys[a.report]);
            html_raw(o, "</section>");
        }
    }
    html_page_end(req, resp);
    hub_book_free(&book);
    hub_org_set_free(&a.keep);
}

/* "checkins_sq-c1_2026-11-01_2026-11-30" (ids keep A-Z a-z 0-9 . _ -). */
static void file_name(const struct ask *a, const char *ext, char *out,
                      size_t cap)
{
    char org[64];
    snprintf(org, sizeof org, "%s", a->org[0] ? a->org : "all");
    for (char *p = org; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
              *p == '.'))
            *p = '_';
    snprintf(out, cap, "%s_%s_%s_%s.%s", report_keys[a->report], org,
             a->f.from, a->f.to, ext);
}

static void download(struct web_req *req, struct web_resp *resp, bool xlsx)
{
    struct ask a;
    int status = ask_read(req, &a);
    struct hub_book book = { 0 };
    err_code e = ERR_OK;
    if (!status) {
        e = ask_build(req, &a, &book);
        status = e == ERR_OK ? 0 : e == ERR_NOTFOUND ? 404 : 503;
    }
    char tv[8] = "0";
    web_query(req, "table", tv, sizeof tv);
    int table = atoi(tv);
    if (!status && !xlsx && (table < 0 || table >= book.n))
        status = 404;
    if (status == 404) {
        web_not_found(req, resp);
    } else if (status) {
        web_error(req, resp, status, status != 400 ? web_t(req, S_ERROR)
                                     : req->lang == WEB_EN ? a.msg
                                     : web_t(req, S_PERIOD_INVALID));
    } else {
        char name[200];
        file_name(&a, xlsx ? "xlsx" : "csv", name, sizeof name);
        if (xlsx) {
            char *bytes = NULL, msg[200];
            size_t len = 0;
            if (hub_xlsx_bytes(&book, &bytes, &len, msg, sizeof msg) !=
                ERR_OK) {
                fprintf(stderr, "console: %s\n", msg);
                web_error(req, resp, 503, web_t(req, S_ERROR));
            } else {
                resp->type = "application/vnd.openxmlformats-officedocument"
                             ".spreadsheetml.sheet";
                web_header(resp, "Content-Disposition: attachment; "
                           "filename=\"%s\"", name);
                fwrite(bytes, 1, len, resp->out);
            }
            free(bytes);
        } else {
            resp->type = "text/csv; charset=utf-8";
            web_header(resp, "Content-Disposition: attachment; "
                       "filename=\"%s\"", name);
            /* A BOM, so that spreadsheets read the Chinese as UTF-8. */
            fputs("\xEF\xBB\xBF", resp->out);
            hub_table_csv(book.t[table], resp->out);
        }
    }
    hub_book_free(&book);
    hub_org_set_free(&a.keep);
}

void page_reports_csv(struct web_req *req, struct web_resp *resp)
{
    download(req, resp, false);
}

void page_reports_xlsx(struct web_req *req, struct web_resp *resp)
{
    download(req, resp, true);
}
