/* web/page_audit.c - the audit log: filters (who, action, object prefix,
 * from and to date), newest first, and the same rows as CSV
 * (formula-safe, hub_audit_csv_field). An administrator sees every row;
 * anyone else their own actions and those on stations in their scope
 * (objects "station:ID"). */
#define _XOPEN_SOURCE 700
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hub/hub_audit.h"
#include "web/html.h"
#include "web/pages.h"

#define PAGE_ROWS 200
#define ZONE_S    (8 * 3600)          /* dates are the stations' (UTC+8) */

struct filter {
    char actor[64], action[32], object[80], from[16], to[16];
    struct hub_audit_filter f;
};

/* YYYY-MM-DD (a local day) as Unix ms at its start; 0 when empty or bad. */
static int64_t day_ms(const char *s)
{
    struct tm tm = { 0 };
    if (strlen(s) != 10 || !strptime(s, "%Y-%m-%d", &tm))
        return 0;
    return ((int64_t)timegm(&tm) - ZONE_S) * 1000;
}

static void filter_read(struct web_req *req, struct filter *f, int limit)
{
    web_query(req, "actor", f->actor, sizeof f->actor);
    web_query(req, "action", f->action, sizeof f->action);
    web_query(req, "object", f->object, sizeof f->object);
    web_query(req, "from", f->from, sizeof f->from);
    web_query(req, "to", f->to, sizeof f->to);
    f->f = (struct hub_audit_filter){ f->actor, f->action, f->object,
                                      day_ms(f->from), 0, limit };
    int64_t to = day_ms(f->to);
    if (to)
        f->f.to_ms = to + 24LL * 3600 * 1000;    /* the whole day */
}

static bool row_visible(const struct web_req *req,
                        const struct hub_audit_row *r)
{
    if (hub_user_is_admin(&req->user) || strcmp(r->actor, req->user.name) == 0)
        return true;
    return strncmp(r->object, "station:", 8) == 0 &&
           web_may(req, r->object + 8, HUB_SEE);
}

struct out {
    struct web_req *req;
    FILE           *o;
    int             n;
};

static void html_row(void *ctx, const struct hub_audit_row *r)
{
    struct out *x = ctx;
    if (!row_visible(x->req, r))
        return;
    FILE *o = x->o;
    x->n++;
    html_raw(o, "<tr><td class=\"nowrap\">");
    html_time(o, x->req, r->at_ms);
    const char *f[] = { r->actor, r->action, r->object, r->before, r->after };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        html_raw(o, i >= 3 ? "</td><td><code>" : "</td><td>");
        html_text(o, f[i]);
        if (i >= 3)
            html_raw(o, "</code>");
    }
    html_raw(o, "</td></tr>");
}

static void csv_row(void *ctx, const struct hub_audit_row *r)
{
    struct out *x = ctx;
    if (!row_visible(x->req, r))
        return;
    char at[32];
    time_t t = (time_t)(r->at_ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    const char *f[] = { at, r->actor, r->action, r->object, r->before,
                        r->after };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        if (i)
            fputc(',', x->o);
        hub_audit_csv_field(x->o, f[i]);
    }
    fputs("\r\n", x->o);
}

static void query_field(FILE *o, const char *id, const char *label,
                        const char *type, const char *value)
{
    html_field(o, id, label, type, id, value, false, "off");
}

void page_audit(struct web_req *req, struct web_resp *resp)
{
    struct filter f = { 0 };
    filter_read(req, &f, PAGE_ROWS);
    FILE *o = resp->out;
    html_page_begin(req, resp, web_t(req, S_AUDIT));
    /* A GET form: filters change nothing, so no CSRF field. */
    html_raw(o, "<form method=\"get\" action=\"/audit\" class=\"card grid\">");
    query_field(o, "actor", web_t(req, S_ACTOR), "text", f.actor);
    query_field(o, "action", web_t(req, S_ACTION), "text", f.action);
    query_field(o, "object", web_t(req, S_OBJECT), "text", f.object);
    query_field(o, "from", web_t(req, S_FROM), "date", f.from);
    query_field(o, "to", web_t(req, S_TO), "date", f.to);
    html_submit(o, web_t(req, S_FILTER), "primary");
    html_raw(o, "</form><p><a class=\"button\" href=\"/audit.csv?");
    html_attr(o, req->query);
    html_raw(o, "\" download>");
    html_text(o, web_t(req, S_EXPORT));
    html_raw(o, "</a></p>");
    static const enum web_str heads[] = { S_TIME, S_ACTOR, S_ACTION, S_OBJECT,
                                          S_BEFORE, S_AFTER };
    html_raw(o, "<div class=\"table-wrap\"><table class=\"audit\"><thead><tr>");
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        html_raw(o, "<th scope=\"col\">");
        html_text(o, web_t(req, heads[i]));
        html_raw(o, "</th>");
    }
    html_raw(o, "</tr></thead><tbody>");
    struct out x = { req, o, 0 };
    err_code e = hub_db_audit_each(req->db, &f.f, html_row, &x);
    html_raw(o, "</tbody></table></div>");
    if (e != ERR_OK || x.n == 0) {
        html_raw(o, "<p class=\"notice%s\">", e != ERR_OK ? " error" : "");
        html_text(o, web_t(req, e != ERR_OK ? S_ERROR : S_NO_ROWS));
        html_raw(o, "</p>");
    }
    html_page_end(req, resp);
}

void page_audit_csv(struct web_req *req, struct web_resp *resp)
{
    struct filter f = { 0 };
    filter_read(req, &f, 0);
    resp->type = "text/csv; charset=utf-8";
    web_header(resp, "Content-Disposition: attachment; filename=\"audit.csv\"");
    /* A BOM, so that spreadsheets read the Chinese as UTF-8. */
    fputs("\xEF\xBB\xBF" "at_utc,actor,action,object,before,after\r\n",
          resp->out);
    struct out x = { req, resp->out, 0 };
    if (hub_db_audit_each(req->db, &f.f, csv_row, &x) != ERR_OK)
        resp->status = 503;
}
