/* web/page_notices.c - /boards/notices: a station's notices (公告). The
 * input is the list `hubctl publish notices` takes (a JSON array of
 * id, title, body, published_days_ago), shown in a textarea, plus a small
 * form to add one notice to it. Publishing is two steps: the preview
 * (hub_publish_items with dry_run: what is added, changed, removed, and
 * each new or changed notice drawn as the kiosk's notice screen will show
 * it), then the same list again with confirm, published and audited in
 * one transaction. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "base/xmalloc.h"
#include "hub/hub_db_board_read.h"
#include "hub/hub_publish.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/scope.h"

#define ZONE_MIN (8 * 60)           /* the stations' UTC+8 */
#define DAY_MS   (24LL * 3600 * 1000)

/* ---- the current notices as the publish format -------------------------- */

struct cur {
    const struct web_req *req;
    cJSON                *arr;
};

static void cur_add(void *ctx, const char *key, const char *data)
{
    struct cur *c = ctx;
    cJSON *d = cJSON_Parse(data);
    if (!d)
        return;
    const cJSON *t = cJSON_GetObjectItem(d, "title");
    const cJSON *b = cJSON_GetObjectItem(d, "body");
    const cJSON *p = cJSON_GetObjectItem(d, "published_ms");
    int64_t ms = cJSON_IsNumber(p) ? (int64_t)p->valuedouble
                                   : c->req->now_ms;
    int64_t zone = ZONE_MIN * 60000LL;
    long ago = (long)((c->req->now_ms + zone) / DAY_MS -
                      (ms + zone) / DAY_MS);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", key);
    cJSON_AddStringToObject(o, "title", cJSON_IsString(t) ?
                            t->valuestring : "");
    cJSON_AddStringToObject(o, "body", cJSON_IsString(b) ?
                            b->valuestring : "");
    cJSON_AddNumberToObject(o, "published_days_ago", ago < 0 ? 0 : ago);
    cJSON_AddItemToArray(c->arr, o);
    cJSON_Delete(d);
}

static char *current_json(struct web_req *req, const char *station)
{
    struct cur c = { req, cJSON_CreateArray() };
    hub_db_published_each(req->db, station, "notice", cur_add, &c);
    char *s = cJSON_Print(c.arr);
    cJSON_Delete(c.arr);
    return s;
}

/* ---- the kiosk preview --------------------------------------------------- */

/* The kiosk's notice screen (ui/screen_notice.c) in HTML and CSS at its
 * 1024x600 proportions: the brand-red title bar with 返回, the date line,
 * the body on a white panel over the beige, 24 px type at full size. */
static void kiosk_preview(struct web_req *req, FILE *o, const char *title,
                          const char *body, int64_t published_ms)
{
    /* The kiosk's date line: "12月1日 星期二 · 今天" (its zh_CN). */
    static const char *const wd[] = { "星期四", "星期五", "星期六", "星期日",
                                      "星期一", "星期二", "星期三" };
    int64_t zone = ZONE_MIN * 60000LL;
    int64_t day = (published_ms + zone) / DAY_MS;
    long ago = (long)((req->now_ms + zone) / DAY_MS - day);
    time_t t = (time_t)((published_ms + zone) / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    char date[96];
    if (ago <= 0)
        snprintf(date, sizeof date, "%d月%d日 %s · 今天", tm.tm_mon + 1,
                 tm.tm_mday, wd[day % 7]);
    else if (ago == 1)
        snprintf(date, sizeof date, "%d月%d日 %s · 昨天", tm.tm_mon + 1,
                 tm.tm_mday, wd[day % 7]);
    else
        snprintf(date, sizeof date, "%d月%d日 %s · %ld天前", tm.tm_mon + 1,
                 tm.tm_mday, wd[day % 7], ago);
    html_raw(o, "<figure class=\"kiosk\"><div class=\"k-screen\">"
             "<div class=\"k-bar\"><span class=\"k-back\">← ");
    html_text(o, "返回");
    html_raw(o, "</span><span class=\"k-title\">");
    html_text(o, title);
    html_raw(o, "</span></div><div class=\"k-date\">");
    html_text(o, date);
    html_raw(o, "</div><div class=\"k-body\">");
    html_text(o, body);
    html_raw(o, "</div></div><figcaption>");
    html_text(o, web_t(req, S_KIOSK_PREVIEW));
    html_raw(o, "</figcaption></figure>");
}

/* ---- the forms ----------------------------------------------------------- */

static void items_form(struct web_req *req, FILE *o, const char *station,
                       const char *items)
{
    html_raw(o, "<h2>");
    html_text(o, web_t(req, S_ADD_NOTICE));
    html_raw(o, "</h2>");
    html_form_begin(req, o, "/boards/notices", "card");
    html_raw(o, "<input type=\"hidden\" name=\"station\" value=\"");
    html_attr(o, station);
    html_raw(o, "\"><input type=\"hidden\" name=\"items\" value=\"");
    html_attr(o, items);
    html_raw(o, "\"><div class=\"grid\"><div class=\"field\">");
    html_field(o, "n-id", web_t(req, S_NOTICE_ID), "text", "new_id", "",
               true, "off");
    html_raw(o, "</div><div class=\"field\">");
    html_field(o, "n-days", web_t(req, S_NOTICE_DAYS), "number", "new_days",
               "0", true, "off");
    html_raw(o, "</div></div><div class=\"field\">");
    html_field(o, "n-title", web_t(req, S_NOTICE_TITLE), "text",
               "new_title", "", true, "off");
    html_raw(o, "</div><div class=\"field\"><label for=\"n-body\">");
    html_text(o, web_t(req, S_NOTICE_BODY));
    html_raw(o, "</label><textarea id=\"n-body\" name=\"new_body\" rows=\"5\""
             " required></textarea></div>");
    html_submit(o, web_t(req, S_PREVIEW), "primary");
    html_form_end(o);

    html_raw(o, "<h2>");
    html_text(o, web_t(req, S_ALL_ITEMS));
    html_raw(o, "</h2>");
    html_form_begin(req, o, "/boards/notices", "card");
    html_raw(o, "<input type=\"hidden\" name=\"station\" value=\"");
    html_attr(o, station);
    html_raw(o, "\"><div class=\"field\"><label for=\"items\">");
    html_text(o, web_t(req, S_ALL_ITEMS));
    html_raw(o, "</label><textarea id=\"items\" name=\"items\" rows=\"14\""
             " spellcheck=\"false\" class=\"code\">");
    html_text(o, items);
    html_raw(o, "</textarea></div>");
    html_submit(o, web_t(req, S_PREVIEW), "");
    html_form_end(o);
}

static void notices_table(struct web_req *req, FILE *o, const char *items)
{
    cJSON *arr = cJSON_Parse(items);
    const cJSON *it;
    size_t n = 0;
    html_raw(o, "<div class=\"table-wrap\"><table class=\"notices\"><thead>"
             "<tr><th scope=\"col\">");
    html_text(o, web_t(req, S_NOTICE_ID));
    html_raw(o, "</th><th scope=\"col\">");
    html_text(o, web_t(req, S_NOTICE_TITLE));
    html_raw(o, "</th><th scope=\"col\" class=\"n\">");
    html_text(o, web_t(req, S_NOTICE_DAYS));
    html_raw(o, "</th></tr></thead><tbody>");
    cJSON_ArrayForEach(it, arr) {
        const cJSON *id = cJSON_GetObjectItem(it, "id");
        const cJSON *t = cJSON_GetObjectItem(it, "title");
        const cJSON *d = cJSON_GetObjectItem(it, "published_days_ago");
        html_raw(o, "<tr><td class=\"nowrap\">");
        html_text(o, cJSON_IsString(id) ? id->valuestring : "");
        html_raw(o, "</td><td>");
        html_text(o, cJSON_IsString(t) ? t->valuestring : "");
        html_raw(o, "</td><td class=\"n\">%d</td></tr>",
                 cJSON_IsNumber(d) ? d->valueint : 0);
        n++;
    }
    html_raw(o, "</tbody></table></div>");
    if (n == 0)
        scope_notice(o, "notice", "status", web_t(req, S_NO_ROWS));
    cJSON_Delete(arr);
}

/* The station named by the request that the user may see (want), or the
 * first of the scope; false: none (404 when one was named). */
static bool pick_station(struct web_req *req, const char *named,
                         enum hub_access want, char *out, size_t cap)
{
    if (named[0]) {
        if (!web_may(req, named, want))
            return false;
        snprintf(out, cap, "%s", named);
        return true;
    }
    size_t n;
    struct scope_station *v = scope_stations(req, want, &n);
    if (n > 0)
        snprintf(out, cap, "%s", v[0].id);
    free(v);
    return n > 0;
}

void page_notices(struct web_req *req, struct web_resp *resp)
{
    char named[64] = "", station[64] = "";
    web_query(req, "station", named, sizeof named);
    if (!pick_station(req, named, HUB_SEE, station, sizeof station)) {
        if (named[0]) {
            web_not_found(req, resp);
            return;
        }
        html_page_begin(req, resp, web_t(req, S_NOTICES));
        scope_notice(resp->out, "notice", "status", web_t(req, S_NO_STATIONS));
        html_page_end(req, resp);
        return;
    }
    FILE *o = resp->out;
    html_page_begin(req, resp, web_t(req, S_NOTICES));
    char done[4];
    if (web_query(req, "published", done, sizeof done))
        scope_notice(o, "notice", "status", web_t(req, S_PUBLISHED));
    size_t n;
    struct scope_station *sv = scope_stations(req, HUB_SEE, &n);
    html_raw(o, "<form method=\"get\" action=\"/boards/notices\""
             " class=\"filters\">");
    scope_select(req, o, web_t(req, S_STATION), sv, n, station);
    html_raw(o, "<div class=\"field\">");
    html_submit(o, web_t(req, S_FILTER), "");
    html_raw(o, "</div></form>");
    free(sv);
    char *items = current_json(req, station);
    html_raw(o, "<h2>");
    html_text(o, web_t(req, S_CURRENT));
    html_raw(o, "</h2>");
    notices_table(req, o, items ? items : "[]");
    if (web_may(req, station, HUB_CHANGE))
        items_form(req, o, station, items ? items : "[]");
    free(items);
    html_page_end(req, resp);
}

/* ---- preview and publish ------------------------------------------------- */

struct diff {
    struct web_req *req;
    struct {
        char  what, key[160];
        char *old, *new_;
    }      *v;
    size_t  n;
    struct {
        int  index;
        char why[160];
    }      *bad;
    size_t  n_bad;
};

static void on_diff(void *ctx, char what, const char *key, const char *old,
                    const char *new_)
{
    struct diff *d = ctx;
    d->v = xrealloc(d->v, (d->n + 1) * sizeof *d->v);
    d->v[d->n].what = what;
    snprintf(d->v[d->n].key, sizeof d->v[d->n].key, "%s", key);
    d->v[d->n].old = old ? xstrdup(old) : NULL;
    d->v[d->n].new_ = new_ ? xstrdup(new_) : NULL;
    d->n++;
}

static void on_bad(void *ctx, int index, const char *why)
{
    struct diff *d = ctx;
    d->bad = xrealloc(d->bad, (d->n_bad + 1) * sizeof *d->bad);
    d->bad[d->n_bad].index = index;
    snprintf(d->bad[d->n_bad].why, sizeof d->bad[d->n_bad].why, "%s", why);
    d->n_bad++;
}

static const char *jget(const char *json, const char *k, char *buf,
                        size_t cap)
{
    buf[0] = '\0';
    cJSON *o = json ? cJSON_Parse(json) : NULL;
    const cJSON *v = cJSON_GetObjectItem(o, k);
    if (cJSON_IsString(v))
        snprintf(buf, cap, "%s", v->valuestring);
    cJSON_Delete(o);
    return buf;
}

static const char *why_zh(const struct web_req *req, const char *why)
{
    if (req->lang == WEB_EN)
        return why;
    if (strncmp(why, "notice needs", 12) == 0)
        return "通知须有编号（字母、数字、点、横线）、标题（127字节以内）、"
               "正文（2047字节以内）和发布于几天前（0至3650）";
    if (strstr(why, "appears twice"))
        return "编号重复出现";
    if (strncmp(why, "item is not", 11) == 0)
        return "该条不是对象格式";
    return why;
}

static void diff_list(struct web_req *req, FILE *o, const struct diff *d)
{
    static const struct { char what; enum web_str label; const char *cls; }
        kinds[] = { { '+', S_ADDED, "added" }, { '~', S_CHANGED, "changed" },
                    { '-', S_REMOVED, "removed" } };
    html_raw(o, "<h2>");
    html_text(o, web_t(req, S_DIFF));
    html_raw(o, "</h2><ul class=\"diff\">");
    for (size_t k = 0; k < 3; k++)
        for (size_t i = 0; i < d->n; i++) {
            if (d->v[i].what != kinds[k].what)
                continue;
            char t_old[160], t_new[160], b_old[2100], b_new[2100];
            jget(d->v[i].old, "title", t_old, sizeof t_old);
            jget(d->v[i].new_, "title", t_new, sizeof t_new);
            jget(d->v[i].old, "body", b_old, sizeof b_old);
            jget(d->v[i].new_, "body", b_new, sizeof b_new);
            html_raw(o, "<li class=\"%s\"><span class=\"tag %s\">",
                     kinds[k].cls, kinds[k].cls);
            html_text(o, web_t(req, kinds[k].label));
            html_raw(o, "</span> <span class=\"id\">");
            html_text(o, d->v[i].key);
            html_raw(o, "</span> ");
            if (d->v[i].what == '~') {
                html_raw(o, "<div class=\"sides\"><div><h3>");
                html_text(o, web_t(req, S_BEFORE));
                html_raw(o, "</h3><p class=\"t\">");
                html_text(o, t_old);
                html_raw(o, "</p><p>");
                html_text(o, b_old);
                html_raw(o, "</p></div><div><h3>");
                html_text(o, web_t(req, S_AFTER));
                html_raw(o, "</h3><p class=\"t\">");
                html_text(o, t_new);
                html_raw(o, "</p><p>");
                html_text(o, b_new);
                html_raw(o, "</p></div></div>");
            } else {
                html_raw(o, "<strong>");
                html_text(o, d->v[i].what == '-' ? t_old : t_new);
                html_raw(o, "</strong>");
            }
            if (d->v[i].what != '-') {
                cJSON *nd = cJSON_Parse(d->v[i].new_);
                const cJSON *pm = cJSON_GetObjectItem(nd, "published_ms");
                kiosk_preview(req, o, t_new, b_new, cJSON_IsNumber(pm)
                              ? (int64_t)pm->valuedouble : req->now_ms);
                cJSON_Delete(nd);
            }
            html_raw(o, "</li>");
        }
    html_raw(o, "</ul>");
}

static void diff_free(struct diff *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].old);
        free(d->v[i].new_);
    }
    free(d->v);
    free(d->bad);
}

void page_notices_post(struct web_req *req, struct web_resp *resp)
{
    char station[64] = "", confirm[4] = "";
    web_form(req, "station", station, sizeof station);
    if (!station[0] || !web_may(req, station, HUB_CHANGE)) {
        web_not_found(req, resp);
        return;
    }
    char *items = xmalloc(WEB_BODY_MAX + 1);
    web_form(req, "items", items, WEB_BODY_MAX + 1);
    web_form(req, "confirm", confirm, sizeof confirm);
    cJSON *arr = cJSON_Parse(items);
    /* The add form: one notice appended to the list it carried. */
    char nid[160] = "", ntitle[512] = "", *nbody = xmalloc(4096),
         ndays[16] = "";
    nbody[0] = '\0';
    if (web_form(req, "new_id", nid, sizeof nid) && cJSON_IsArray(arr)) {
        web_form(req, "new_title", ntitle, sizeof ntitle);
        web_form(req, "new_body", nbody, 4096);
        web_form(req, "new_days", ndays, sizeof ndays);
        cJSON *n = cJSON_CreateObject();
        cJSON_AddStringToObject(n, "id", nid);
        cJSON_AddStringToObject(n, "title", ntitle);
        cJSON_AddStringToObject(n, "body", nbody);
        cJSON_AddNumberToObject(n, "published_days_ago", atoi(ndays));
        /* The new one first: the kiosk lists notices newest first. */
        cJSON_InsertItemInArray(arr, 0, n);
    }
    free(nbody);
    char *list = cJSON_IsArray(arr) ? cJSON_Print(arr) : NULL;
    FILE *o = resp->out;
    if (!list) {
        cJSON_Delete(arr);
        resp->status = 400;
        html_page_begin(req, resp, web_t(req, S_NOTICES));
        scope_notice(o, "notice error", "alert", web_t(req, S_NOT_JSON));
        items_form(req, o, station, items);
        html_page_end(req, resp);
        free(items);
        return;
    }
    free(items);
    bool doit = strcmp(confirm, "1") == 0;
    struct diff d = { .req = req };
    char *errs = NULL;
    size_t errs_len = 0;
    FILE *err = open_memstream(&errs, &errs_len);
    struct hub_publish_opts po = {
        .label = "console", .err = err, .utc_offset_minutes = ZONE_MIN,
        .dry_run = !doit, .actor = req->user.name, .ctx = &d,
        .diff = on_diff, .bad = on_bad };
    int changes = 0;
    err_code e = hub_publish_items(req->db, "notices", arr, station, &po,
                                   &changes);
    fclose(err);
    free(errs);
    cJSON_Delete(arr);
    if (doit && e == ERR_OK) {
        char path[128];
        snprintf(path, sizeof path, "/boards/notices?station=%s&published=1",
                 station);
        web_redirect(resp, path);
        free(list);
        diff_free(&d);
        return;
    }
    if (e != ERR_OK)
        resp->status = e == ERR_INVAL ? 400 : 503;
    html_page_begin(req, resp, web_t(req, S_NOTICES));
    if (e == ERR_OK) {
        scope_notice(o, "notice", "status", web_t(req, d.n ? S_PREVIEW_NOTE
                                                  : S_NOTHING_TO_PUBLISH));
    } else if (d.n_bad) {
        scope_notice(o, "notice error", "alert", web_t(req, S_BAD_ITEMS));
        html_raw(o, "<div class=\"table-wrap\"><table class=\"bad\"><thead>"
                 "<tr><th scope=\"col\" class=\"n\">");
        html_text(o, web_t(req, S_ITEM));
        html_raw(o, "</th><th scope=\"col\">");
        html_text(o, web_t(req, S_REASON));
        html_raw(o, "</th></tr></thead><tbody>");
        for (size_t i = 0; i < d.n_bad; i++) {
            html_raw(o, "<tr><td class=\"n\">%d</td><td>", d.bad[i].index);
            html_text(o, why_zh(req, d.bad[i].why));
            html_raw(o, "</td></tr>");
        }
        html_raw(o, "</tbody></table></div>");
    } else {
        scope_notice(o, "notice error", "alert", web_t(req, S_ERROR));
    }
    if (e == ERR_OK && d.n > 0) {
        diff_list(req, o, &d);
        html_form_begin(req, o, "/boards/notices", "actions");
        html_raw(o, "<input type=\"hidden\" name=\"confirm\" value=\"1\">"
                 "<input type=\"hidden\" name=\"station\" value=\"");
        html_attr(o, station);
        html_raw(o, "\"><input type=\"hidden\" name=\"items\" value=\"");
        html_attr(o, list);
        html_raw(o, "\">");
        html_submit(o, web_t(req, S_PUBLISH), "primary");
        html_form_end(o);
    }
    items_form(req, o, station, list);
    html_page_end(req, resp);
    free(list);
    diff_free(&d);
}
