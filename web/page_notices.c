/* web/page_notices.c - /boards/notices: a station's notices (公告). The
 * input is the list `hubctl publish notices` takes (a JSON array of
 * id, title, body, published_days_ago), shown in a textarea, plus a small
 * form to add one notice to it. Publishing is two steps: the preview
 * (hub_publish_items with dry_run: what is added, changed, removed, and
 * each new or changed notice drawn as the kiosk's notice screen will show
 * it), then the same list again with confirm, published and audited in
 * one transaction; both by web/boards_common.c, as for the other boards. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "base/xmalloc.h"
#include "web/boards_common.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/scope.h"

#define ZONE_MIN BOARD_ZONE_MIN
#define DAY_MS   BOARD_DAY_MS

/* ---- the current notices as the publish format -------------------------- */

static cJSON *cur_conv(struct web_req *req, const char *key, const cJSON *d)
{
    const cJSON *p = cJSON_GetObjectItem(d, "published_ms");
    int64_t ms = cJSON_IsNumber(p) ? (int64_t)p->valuedouble : req->now_ms;
    long ago = boards_day(req->now_ms) - boards_day(ms);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", key);
    cJSON_AddStringToObject(o, "title", boards_jstr(d, "title"));
    cJSON_AddStringToObject(o, "body", boards_jstr(d, "body"));
    cJSON_AddNumberToObject(o, "published_days_ago", ago < 0 ? 0 : ago);
    return o;
}

static char *current_json(struct web_req *req, const char *station)
{
    cJSON *arr = boards_current(req, station, "notice", cur_conv);
    char *s = cJSON_Print(arr);
    cJSON_Delete(arr);
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

static void draw(struct web_req *req, FILE *o, const char *key,
                 const char *json);
static void after(struct web_req *req, FILE *o, const char *key,
                  const char *json);
static void forms(struct web_req *req, FILE *o, const char *station,
                  const char *list)
{
    items_form(req, o, station, list);
}

static const struct boards_page page = {
    "notices", "notice", "/boards/notices", S_NOTICES, draw, after, forms };

void page_notices(struct web_req *req, struct web_resp *resp)
{
    char station[64] = "";
    if (!boards_get_begin(req, resp, &page, station, sizeof station))
        return;
    FILE *o = resp->out;
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

/* A notice in the diff: its title and body. */
static void draw(struct web_req *req, FILE *o, const char *key,
                 const char *json)
{
    (void)req;
    (void)key;
    cJSON *d = cJSON_Parse(json);
    html_raw(o, "<p class=\"t\">");
    html_text(o, boards_jstr(d, "title"));
    html_raw(o, "</p><p>");
    html_text(o, boards_jstr(d, "body"));
    html_raw(o, "</p>");
    cJSON_Delete(d);
}

/* A new or changed notice drawn as the kiosk will show it. */
static void after(struct web_req *req, FILE *o, const char *key,
                  const char *json)
{
    (void)key;
    cJSON *d = cJSON_Parse(json);
    const cJSON *pm = cJSON_GetObjectItem(d, "published_ms");
    kiosk_preview(req, o, boards_jstr(d, "title"), boards_jstr(d, "body"),
                  cJSON_IsNumber(pm) ? (int64_t)pm->valuedouble
                                     : req->now_ms);
    cJSON_Delete(d);
}

void page_notices_post(struct web_req *req, struct web_resp *resp)
{
    char station[64] = "";
    if (!boards_post_station(req, resp, station, sizeof station))
        return;
    bool sent;
    cJSON *arr = boards_items_field(req, &sent);
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
    boards_post_finish(req, resp, &page, station, arr, NULL);
}
