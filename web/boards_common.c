/* web/boards_common.c - see boards_common.h. The diff and the publishing
 * are hub_publish_items' (dry_run + the diff and bad callbacks, then the
 * real publication with the actor): the console checks nothing itself
 * that hubctl would not, and cannot publish what hubctl would refuse. */
#include "web/boards_common.h"

#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "hub/hub_db_board_read.h"
#include "hub/hub_publish.h"
#include "web/html.h"
#include "web/scope.h"

const char *boards_jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : "";
}

void boards_cell_label(struct web_req *req, FILE *o, enum web_str label)
{
    html_raw(o, "<span class=\"lbl\">");
    html_text(o, web_t(req, label));
    html_raw(o, "%s</span>", req->lang == WEB_EN ? ": " : "：");
}

long boards_day(int64_t ms)
{
    int64_t zone = BOARD_ZONE_MIN * 60000LL;
    int64_t t = ms + zone;
    /* Floor, so times before 1970 (none expected) stay ordered. */
    return (long)(t >= 0 ? t / BOARD_DAY_MS : (t - BOARD_DAY_MS + 1) /
                                              BOARD_DAY_MS);
}

/* ---- the station --------------------------------------------------------- */

bool boards_pick_station(struct web_req *req, const char *named,
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

bool boards_get_begin(struct web_req *req, struct web_resp *resp,
                     const struct boards_page *p, char *station, size_t cap)
{
    char named[64] = "";
    web_query(req, "station", named, sizeof named);
    if (!boards_pick_station(req, named, HUB_SEE, station, cap)) {
        if (named[0]) {
            web_not_found(req, resp);
            return false;
        }
        html_page_begin(req, resp, web_t(req, p->title));
        scope_notice(resp->out, "notice", "status",
                     web_t(req, S_NO_STATIONS));
        html_page_end(req, resp);
        return false;
    }
    FILE *o = resp->out;
    html_page_begin(req, resp, web_t(req, p->title));
    char done[4];
    if (web_query(req, "published", done, sizeof done))
        scope_notice(o, "notice", "status", web_t(req, S_PUBLISHED));
    size_t n;
    struct scope_station *sv = scope_stations(req, HUB_SEE, &n);
    html_raw(o, "<form method=\"get\" action=\"");
    html_attr(o, p->path);
    html_raw(o, "\" class=\"filters\">");
    scope_select(req, o, web_t(req, S_STATION), sv, n, station);
    html_raw(o, "<div class=\"field\">");
    html_submit(o, web_t(req, S_FILTER), "");
    html_raw(o, "</div></form>");
    free(sv);
    return true;
}

/* ---- the current list ---------------------------------------------------- */

struct cur {
    struct web_req *req;
    cJSON          *arr;
    cJSON        *(*conv)(struct web_req *req, const char *key,
                          const cJSON *data);
};

static void cur_add(void *ctx, const char *key, const char *data)
{
    struct cur *c = ctx;
    cJSON *d = cJSON_Parse(data);
    cJSON *o = d ? c->conv(c->req, key, d) : NULL;
    if (o)
        cJSON_AddItemToArray(c->arr, o);
    cJSON_Delete(d);
}

cJSON *boards_current(struct web_req *req, const char *station,
                     const char *type,
                     cJSON *(*conv)(struct web_req *req, const char *key,
                                    const cJSON *data))
{
    struct cur c = { req, cJSON_CreateArray(), conv };
    hub_db_published_each(req->db, station, type, cur_add, &c);
    return c.arr;
}

/* ---- forms --------------------------------------------------------------- */

void boards_hidden(FILE *o, const char *name, const char *value)
{
    html_raw(o, "<input type=\"hidden\" name=\"");
    html_attr(o, name);
    html_raw(o, "\" value=\"");
    html_attr(o, value);
    html_raw(o, "\">");
}

void boards_items_hidden(FILE *o, const char *list)
{
    cJSON *a = cJSON_Parse(list);
    char *compact = a ? cJSON_PrintUnformatted(a) : NULL;
    boards_hidden(o, "items", compact ? compact : list);
    free(compact);
    cJSON_Delete(a);
}

void boards_json_form(struct web_req *req, FILE *o, const char *path,
                     const char *station, const char *list)
{
    html_raw(o, "<details class=\"json\"><summary>");
    html_text(o, web_t(req, S_ALL_LIST));
    html_raw(o, "</summary>");
    html_form_begin(req, o, path, "card");
    boards_hidden(o, "station", station);
    html_raw(o, "<div class=\"field\"><label for=\"items\">");
    html_text(o, web_t(req, S_ALL_LIST));
    html_raw(o, "</label><textarea id=\"items\" name=\"items\" rows=\"14\""
             " spellcheck=\"false\" class=\"code\">");
    html_text(o, list);
    html_raw(o, "</textarea></div>");
    html_submit(o, web_t(req, S_PREVIEW), "");
    html_form_end(o);
    html_raw(o, "</details>");
}

bool boards_post_station(struct web_req *req, struct web_resp *resp,
                        char *station, size_t cap)
{
    web_form(req, "station", station, cap);
    if (!station[0] || !web_may(req, station, HUB_CHANGE)) {
        web_not_found(req, resp);
        return false;
    }
    return true;
}

cJSON *boards_items_field(struct web_req *req, bool *sent)
{
    char *items = xmalloc(WEB_BODY_MAX + 1);
    *sent = web_form(req, "items", items, WEB_BODY_MAX + 1);
    cJSON *arr = *sent ? cJSON_Parse(items) : NULL;
    free(items);
    return arr;
}

/* ---- the diff ------------------------------------------------------------ */

struct diff {
    struct {
        char  what, key[160];
        char *old, *new_;
    }      *v;
    size_t  n;
    struct {
        int  index;
        char why[320];
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

static void diff_free(struct diff *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].old);
        free(d->v[i].new_);
    }
    free(d->v);
    free(d->bad);
}

/* hub_publish's reasons (English, for hubctl) in zh_CN words. */
static const char *why_zh(const struct web_req *req, const char *why,
                          char *buf, size_t cap)
{
    static const struct { const char *has, *zh; } post_rules[] = {
        { "capacity must lie", "岗位人数上下限须在3至5人之间" },
        { "at most", "人数超过上限" },
        { "heads", "须有且只有一名岗长" },
        { "deputies", "副岗长最多一名" },
        { "cannot be open", "已满员，不能开放认领" },
        { "places open, but", "开放认领的名额多于空缺" },
        { "places open, at", "现有人数加开放名额少于下限" },
        { "at least", "人数少于下限（或开放认领）" },
        { "listed twice", "同一党员重复列出" },
    };
    static const struct { const char *prefix, *zh; } whole[] = {
        { "notice needs", "通知须有编号（字母、数字、点、横线）、标题（127字节"
                          "以内）、正文（2047字节以内）和发布于几天前（0至3650）" },
        { "item is not", "该条不是对象格式" },
        { "post needs", "岗位须有编号、类别、名称、职责、顺序和岗位成员" },
        { "post's min_members", "人数上下限须为数字，开放认领须为是或否" },
        { "post's places", "开放名额须为数字" },
        { "holder role", "成员角色须为岗长、副岗长或岗员" },
        { "holder is not", "岗位成员不在党员名册中" },
        { "shift needs", "班次须有日期（今天起366天内）和班次名称（31字节以内）" },
        { "shift member", "值班党员不在党员名册中" },
        { "contact needs an id", "联系方式须有编号（字母、数字、点、横线）" },
        { "contact needs", "须填写楼栋、单元、姓名、职务、职责和电话（各500字节以内）" },
        { "contact role", "职务须为网格长、网格员、楼栋长或单元长" },
    };
    if (req->lang == WEB_EN)
        return why;
    for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++)
        if (strncmp(why, whole[i].prefix, strlen(whole[i].prefix)) == 0)
            return whole[i].zh;
    if (strncmp(why, "post ", 5) == 0 && strchr(why, ':')) {
        const char *id = why + 5, *colon = strchr(why, ':');
        for (size_t i = 0; i < sizeof post_rules / sizeof post_rules[0]; i++)
            if (strstr(colon, post_rules[i].has)) {
                snprintf(buf, cap, "岗位%.*s：%s", (int)(colon - id), id,
                         post_rules[i].zh);
                return buf;
            }
    }
    return "不符合发布规则";
}

static void diff_list(struct web_req *req, FILE *o,
                      const struct boards_page *p, const struct diff *d)
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
            html_raw(o, "<li class=\"%s\"><span class=\"tag %s\">",
                     kinds[k].cls, kinds[k].cls);
            html_text(o, web_t(req, kinds[k].label));
            html_raw(o, "</span> <span class=\"id\">");
            html_text(o, d->v[i].key);
            html_raw(o, "</span> ");
            if (d->v[i].what == '~') {
                html_raw(o, "<div class=\"sides\"><div class=\"old\"><h3>");
                html_text(o, web_t(req, S_BEFORE));
                html_raw(o, "</h3>");
                p->draw(req, o, d->v[i].key, d->v[i].old);
                html_raw(o, "</div><div class=\"new\"><h3>");
                html_text(o, web_t(req, S_AFTER));
                html_raw(o, "</h3>");
                p->draw(req, o, d->v[i].key, d->v[i].new_);
                html_raw(o, "</div></div>");
            } else {
                html_raw(o, "<div class=\"one\">");
                p->draw(req, o, d->v[i].key, d->v[i].what == '-'
                        ? d->v[i].old : d->v[i].new_);
                html_raw(o, "</div>");
            }
            if (d->v[i].what != '-' && p->after)
                p->after(req, o, d->v[i].key, d->v[i].new_);
            html_raw(o, "</li>");
        }
    html_raw(o, "</ul>");
}

static void bad_table(struct web_req *req, FILE *o, const struct diff *d)
{
    char buf[200];
    html_raw(o, "<div class=\"table-wrap\"><table class=\"bad\"><thead>"
             "<tr><th scope=\"col\" class=\"n\">");
    html_text(o, web_t(req, S_ITEM));
    html_raw(o, "</th><th scope=\"col\">");
    html_text(o, web_t(req, S_REASON));
    html_raw(o, "</th></tr></thead><tbody>");
    for (size_t i = 0; i < d->n_bad; i++) {
        html_raw(o, "<tr><td class=\"n\">%d</td><td>", d->bad[i].index);
        html_text(o, why_zh(req, d->bad[i].why, buf, sizeof buf));
        html_raw(o, "</td></tr>");
    }
    html_raw(o, "</tbody></table></div>");
}

void boards_post_finish(struct web_req *req, struct web_resp *resp,
                       const struct boards_page *p, const char *station,
                       cJSON *arr, const char *const *replay)
{
    FILE *o = resp->out;
    char *list = cJSON_IsArray(arr) ? cJSON_Print(arr) : NULL;
    if (!list) {
        cJSON_Delete(arr);
        resp->status = 400;
        html_page_begin(req, resp, web_t(req, p->title));
        scope_notice(o, "notice error", "alert", web_t(req, S_NOT_JSON));
        p->forms(req, o, station, "[]");
        html_page_end(req, resp);
        return;
    }
    char confirm[4] = "";
    web_form(req, "confirm", confirm, sizeof confirm);
    bool doit = strcmp(confirm, "1") == 0;
    struct diff d = { 0 };
    char *errs = NULL;
    size_t errs_len = 0;
    FILE *err = open_memstream(&errs, &errs_len);
    struct hub_publish_opts po = {
        .label = "console", .err = err,
        .utc_offset_minutes = BOARD_ZONE_MIN, .dry_run = !doit,
        .actor = req->user.name, .ctx = &d, .diff = on_diff,
        .bad = on_bad };
    int changes = 0;
    err_code e = hub_publish_items(req->db, p->kind, arr, station, &po,
                                   &changes);
    fclose(err);
    cJSON_Delete(arr);
    if (doit && e == ERR_OK) {
        char path[160];
        snprintf(path, sizeof path, "%s?station=%s&published=1", p->path,
                 station);
        web_redirect(resp, path);
        free(errs);
        free(list);
        diff_free(&d);
        return;
    }
    if (e != ERR_OK)
        resp->status = e == ERR_INVAL ? 400 : 503;
    html_page_begin(req, resp, web_t(req, p->title));
    if (e == ERR_OK) {
        scope_notice(o, "notice", "status", web_t(req, d.n ? S_PREVIEW_NOTE
                                                  : S_NOTHING_TO_PUBLISH));
    } else if (d.n_bad) {
        scope_notice(o, "notice error", "alert", web_t(req, S_BAD_ITEMS));
        bad_table(req, o, &d);
    } else if (errs && strstr(errs, "appears twice")) {
        /* Two items under one key: hub_publish tells only its err. */
        scope_notice(o, "notice error", "alert", web_t(req, S_DUP_KEY));
    } else {
        scope_notice(o, "notice error", "alert", web_t(req, S_ERROR));
    }
    free(errs);
    if (e == ERR_OK && d.n > 0) {
        diff_list(req, o, p, &d);
        html_form_begin(req, o, p->path, "actions");
        boards_hidden(o, "confirm", "1");
        boards_hidden(o, "station", station);
        if (replay) {
            char *v = xmalloc(4096);
            for (size_t i = 0; replay[i]; i++)
                if (web_form(req, replay[i], v, 4096))
                    boards_hidden(o, replay[i], v);
            free(v);
        } else {
            boards_items_hidden(o, list);
        }
        html_submit(o, web_t(req, S_PUBLISH), "primary");
        html_form_end(o);
    }
    p->forms(req, o, station, list);
    html_page_end(req, resp);
    free(list);
    diff_free(&d);
}

void boards_form_end(struct web_req *req, FILE *o, const char *pfx,
                     enum web_str duties_label, const char *duties,
                     bool existing)
{
    html_raw(o, "<div class=\"field\"><label for=\"%s-duties\">", pfx);
    html_text(o, web_t(req, duties_label));
    html_raw(o, "</label><textarea id=\"%s-duties\" name=\"duties\""
             " rows=\"3\" required>", pfx);
    html_text(o, duties);
    html_raw(o, "</textarea></div>");
    if (existing) {
        html_raw(o, "<div class=\"field check\"><label for=\"%s-rm\">"
                 "<input type=\"checkbox\" id=\"%s-rm\" name=\"remove\""
                 " value=\"1\"> ", pfx, pfx);
        html_text(o, web_t(req, S_REMOVE_ITEM));
        html_raw(o, "</label></div>");
    }
    html_submit(o, web_t(req, S_PREVIEW), "primary");
    html_form_end(o);
}

void boards_edit_open(struct web_req *req, FILE *o, const cJSON *item,
                      const char *field)
{
    char edited[96] = "";
    web_form(req, field, edited, sizeof edited);
    /* The item just edited stays open under its preview. */
    html_raw(o, "<details class=\"edit\"%s><summary>",
             strcmp(edited, boards_jstr(item, "id")) == 0 ? " open" : "");
    html_text(o, web_t(req, S_EDIT_ITEM));
    html_raw(o, " ");
    html_text(o, boards_jstr(item, "name"));
    html_raw(o, " <span class=\"muted\">");
    html_text(o, boards_jstr(item, "id"));
    html_raw(o, "</span></summary>");
}
