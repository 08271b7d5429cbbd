/* web/page_duty.c - /boards/duty: the station's duty roster (值班表) as a
 * week grid, days as columns (Monday first, today's marked) and shifts
 * as rows, the members on duty by name in the cells, with the previous
 * and next week a link away (?week=YYYY-MM-DD, any day of the week).
 * Editing adds a shift or removes one, or takes the whole list in
 * `hubctl publish duty`'s JSON (day_offset from today, shift,
 * member_no); each is previewed as a diff and published by
 * hub_publish_items. A publication holds today on: days before today
 * cannot be written in that format, so they leave the board. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/xmalloc.h"
#include "hub/hub_db_board_read.h"
#include "hub/hub_db_roster.h"
#include "web/boards_common.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/scope.h"

/* A local day number as YYYY-MM-DD. */
static void ymd(long day, char out[11])
{
    time_t t = (time_t)day * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* YYYY-MM-DD as a local day number; false when it is not a date. */
static bool day_of(const char *s, long *day)
{
    struct tm tm = { 0 };
    int y, m, d;
    char back[11], tail;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return false;
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    time_t t = timegm(&tm);
    *day = (long)(t / 86400);
    ymd(*day, back);             /* 2026-02-30 is no date */
    return strcmp(back, s) == 0;
}

/* ---- published shifts ---------------------------------------------------- */

struct shift {
    long day;
    char shift[64], no[32], name[64], key[160];
};

struct shifts {
    struct shift *v;
    size_t        n;
};

static void shift_add(void *ctx, const char *key, const char *data)
{
    struct shifts *s = ctx;
    cJSON *d = cJSON_Parse(data);
    long day;
    if (d && day_of(boards_jstr(d, "day"), &day)) {
        s->v = xrealloc(s->v, (s->n + 1) * sizeof *s->v);
        struct shift *x = &s->v[s->n++];
        x->day = day;
        snprintf(x->shift, sizeof x->shift, "%s", boards_jstr(d, "shift"));
        snprintf(x->no, sizeof x->no, "%s", boards_jstr(d, "member_no"));
        snprintf(x->name, sizeof x->name, "%s", boards_jstr(d, "name"));
        snprintf(x->key, sizeof x->key, "%s", key);
    }
    cJSON_Delete(d);
}

static cJSON *conv(struct web_req *req, const char *key, const cJSON *d)
{
    (void)key;
    long day, off;
    if (!day_of(boards_jstr(d, "day"), &day))
        return NULL;
    off = day - boards_day(req->now_ms);
    if (off < 0 || off > 366)
        return NULL;               /* past: not in a publication */
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "day_offset", off);
    cJSON_AddStringToObject(o, "shift", boards_jstr(d, "shift"));
    cJSON_AddStringToObject(o, "member_no", boards_jstr(d, "member_no"));
    return o;
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ---- the week grid ------------------------------------------------------- */

static void week_grid(struct web_req *req, FILE *o, const char *station,
                      long monday)
{
    static const char *const wd_zh[] = { "周一", "周二", "周三", "周四",
                                         "周五", "周六", "周日" };
    static const char *const wd_en[] = { "Mon", "Tue", "Wed", "Thu", "Fri",
                                         "Sat", "Sun" };
    struct shifts s = { 0 };
    hub_db_published_each(req->db, station, "shift", shift_add, &s);
    long today = boards_day(req->now_ms);
    char d0[11], d6[11], prev[11], next[11], now[11];
    ymd(monday, d0);
    ymd(monday + 6, d6);
    ymd(monday - 7, prev);
    ymd(monday + 7, next);
    ymd(today, now);

    /* The week and its navigation. */
    html_raw(o, "<nav class=\"week\" aria-label=\"");
    html_attr(o, web_t(req, S_WEEK));
    html_raw(o, "\"><a href=\"/boards/duty?station=");
    html_attr(o, station);
    html_raw(o, "&amp;week=%s\" rel=\"prev\">← ", prev);
    html_text(o, web_t(req, S_PREV_WEEK));
    html_raw(o, "</a><strong class=\"range\">%s – %s</strong>"
             "<a href=\"/boards/duty?station=", d0, d6);
    html_attr(o, station);
    html_raw(o, "&amp;week=%s\">", now);
    html_text(o, web_t(req, S_THIS_WEEK));
    html_raw(o, "</a><a href=\"/boards/duty?station=");
    html_attr(o, station);
    html_raw(o, "&amp;week=%s\" rel=\"next\">", next);
    html_text(o, web_t(req, S_NEXT_WEEK));
    html_raw(o, " →</a></nav>");

    /* The shifts of the week, each once, in order. */
    const char **rows = xcalloc(s.n + 1, sizeof *rows);
    size_t nr = 0;
    for (size_t i = 0; i < s.n; i++) {
        if (s.v[i].day < monday || s.v[i].day > monday + 6)
            continue;
        bool seen = false;
        for (size_t j = 0; j < nr && !seen; j++)
            seen = strcmp(rows[j], s.v[i].shift) == 0;
        if (!seen)
            rows[nr++] = s.v[i].shift;
    }
    qsort(rows, nr, sizeof *rows, str_cmp);

    html_raw(o, "<div class=\"table-wrap\"><table class=\"duty\"><thead><tr>"
             "<th scope=\"col\">");
    html_text(o, web_t(req, S_SHIFT));
    html_raw(o, "</th>");
    for (int d = 0; d < 7; d++) {
        char day[11];
        ymd(monday + d, day);
        bool is_today = monday + d == today;
        html_raw(o, "<th scope=\"col\"%s><span class=\"wd\">%s</span>"
                 " <span class=\"date\">%s</span>",
                 is_today ? " class=\"today\" aria-current=\"date\"" : "",
                 req->lang == WEB_EN ? wd_en[d] : wd_zh[d], day + 5);
        if (is_today) {
            html_raw(o, " <span class=\"tag ok\">");
            html_text(o, web_t(req, S_TODAY_WORD));
            html_raw(o, "</span>");
        }
        html_raw(o, "</th>");
    }
    html_raw(o, "</tr></thead><tbody>");
    for (size_t r = 0; r < nr; r++) {
        html_raw(o, "<tr><th scope=\"row\">");
        html_text(o, rows[r]);
        html_raw(o, "</th>");
        for (int d = 0; d < 7; d++) {
            html_raw(o, "<td data-day=\"%ld\"%s>", (long)d,
                     monday + d == today ? " class=\"today\"" : "");
            for (size_t i = 0; i < s.n; i++)
                if (s.v[i].day == monday + d &&
                    strcmp(s.v[i].shift, rows[r]) == 0) {
                    html_raw(o, "<span class=\"who\">");
                    html_text(o, s.v[i].name[0] ? s.v[i].name : s.v[i].no);
                    html_raw(o, "</span>");
                }
            html_raw(o, "</td>");
        }
        html_raw(o, "</tr>");
    }
    html_raw(o, "</tbody></table></div>");
    if (nr == 0)
        scope_notice(o, "notice", "status", web_t(req, S_NO_DUTY));
    free(rows);
    free(s.v);
}

/* ---- the forms ----------------------------------------------------------- */

static void forms(struct web_req *req, FILE *o, const char *station,
                  const char *list)
{
    cJSON *arr = cJSON_Parse(list);
    long today = boards_day(req->now_ms);
    char now[11];
    ymd(today, now);

    /* The shifts already named, offered while typing a new one. */
    html_raw(o, "<datalist id=\"shift-names\">");
    const cJSON *it;
    cJSON_ArrayForEach(it, arr) {
        bool seen = false;
        for (const cJSON *j = arr->child; j != it && !seen; j = j->next)
            seen = strcmp(boards_jstr(j, "shift"), boards_jstr(it, "shift"))
                   == 0;
        if (!seen) {
            html_raw(o, "<option value=\"");
            html_attr(o, boards_jstr(it, "shift"));
            html_raw(o, "\">");
        }
    }
    html_raw(o, "</datalist>");

    html_raw(o, "<h2>");
    html_text(o, web_t(req, S_ADD_SHIFT));
    html_raw(o, "</h2>");
    html_form_begin(req, o, "/boards/duty", "card");
    boards_hidden(o, "station", station);
    boards_items_hidden(o, list);
    boards_hidden(o, "op", "add");
    html_raw(o, "<div class=\"grid\"><div class=\"field\">");
    html_field(o, "d-date", web_t(req, S_DATE), "date", "date", now, true,
               "off");
    html_raw(o, "</div><div class=\"field\"><label for=\"d-shift\">");
    html_text(o, web_t(req, S_SHIFT));
    html_raw(o, "</label><input id=\"d-shift\" name=\"shift\" type=\"text\""
             " list=\"shift-names\" maxlength=\"31\" required"
             " autocomplete=\"off\"></div><div class=\"field\">");
    html_field(o, "d-member", web_t(req, S_ON_DUTY), "text", "member_no", "",
               true, "off");
    html_raw(o, "</div></div>");
    html_submit(o, web_t(req, S_PREVIEW), "primary");
    html_form_end(o);

    if (cJSON_GetArraySize(arr) > 0) {
        html_raw(o, "<h2>");
        html_text(o, web_t(req, S_REMOVE_SHIFT));
        html_raw(o, "</h2>");
        html_form_begin(req, o, "/boards/duty", "card");
        boards_hidden(o, "station", station);
        boards_items_hidden(o, list);
        boards_hidden(o, "op", "remove");
        html_raw(o, "<div class=\"field\"><label for=\"d-pick\">");
        html_text(o, web_t(req, S_SHIFT_PICK));
        html_raw(o, "</label><select id=\"d-pick\" name=\"pick\">");
        int i = 0;
        cJSON_ArrayForEach(it, arr) {
            const cJSON *off = cJSON_GetObjectItem(it, "day_offset");
            char day[11];
            struct hub_member m;
            const char *no = boards_jstr(it, "member_no");
            ymd(today + (cJSON_IsNumber(off) ? off->valueint : 0), day);
            html_raw(o, "<option value=\"%d\">%s ", i++, day);
            html_text(o, boards_jstr(it, "shift"));
            html_raw(o, " · ");
            html_text(o, hub_db_member_get(req->db, no, &m) == ERR_OK
                         ? m.name : no);
            html_raw(o, "</option>");
        }
        html_raw(o, "</select></div>");
        html_submit(o, web_t(req, S_PREVIEW), "");
        html_form_end(o);
    }
    boards_json_form(req, o, "/boards/duty", station, list);
    cJSON_Delete(arr);
}

/* ---- the diff ------------------------------------------------------------ */

static void draw(struct web_req *req, FILE *o, const char *key,
                 const char *json)
{
    (void)req;
    (void)key;
    cJSON *d = cJSON_Parse(json);
    html_raw(o, "<p class=\"t\">");
    html_text(o, boards_jstr(d, "day"));
    html_raw(o, " ");
    html_text(o, boards_jstr(d, "shift"));
    html_raw(o, "</p><p>");
    html_text(o, boards_jstr(d, "name"));
    html_raw(o, " <span class=\"muted\">");
    html_text(o, boards_jstr(d, "member_no"));
    html_raw(o, "</span></p>");
    cJSON_Delete(d);
}

static const struct boards_page page = {
    "duty", "shift", "/boards/duty", S_DUTY, draw, NULL, forms };

/* ---- handlers ------------------------------------------------------------ */

void page_duty(struct web_req *req, struct web_resp *resp)
{
    char station[64] = "", week[16] = "";
    if (!boards_get_begin(req, resp, &page, station, sizeof station))
        return;
    FILE *o = resp->out;
    long day;
    if (!web_query(req, "week", week, sizeof week) || !day_of(week, &day))
        day = boards_day(req->now_ms);
    /* 1970-01-01 was a Thursday: day 0 is weekday 3 counted from Monday. */
    long monday = day - ((day % 7) + 3) % 7;
    week_grid(req, o, station, monday);
    if (web_may(req, station, HUB_CHANGE)) {
        cJSON *arr = boards_current(req, station, "shift", conv);
        char *list = cJSON_Print(arr);
        scope_notice(o, "hint", "note", web_t(req, S_DUTY_HINT));
        forms(req, o, station, list);
        free(list);
        cJSON_Delete(arr);
    }
    html_page_end(req, resp);
}

void page_duty_post(struct web_req *req, struct web_resp *resp)
{
    char station[64] = "", op[8] = "";
    if (!boards_post_station(req, resp, station, sizeof station))
        return;
    bool sent;
    cJSON *arr = boards_items_field(req, &sent);
    if (!sent)
        arr = boards_current(req, station, "shift", conv);
    web_form(req, "op", op, sizeof op);
    if (cJSON_IsArray(arr) && strcmp(op, "add") == 0) {
        char date[16] = "", shift[64] = "", no[32] = "";
        long day;
        web_form(req, "date", date, sizeof date);
        web_form(req, "shift", shift, sizeof shift);
        web_form(req, "member_no", no, sizeof no);
        long off = day_of(date, &day) ? day - boards_day(req->now_ms) : -1;
        if (off < 0 || off > 366) {
            char *list = cJSON_Print(arr);
            cJSON_Delete(arr);
            resp->status = 400;
            html_page_begin(req, resp, web_t(req, S_DUTY));
            scope_notice(resp->out, "notice error", "alert",
                         web_t(req, S_DUTY_DAY_BAD));
            forms(req, resp->out, station, list);
            html_page_end(req, resp);
            free(list);
            return;
        }
        cJSON *x = cJSON_CreateObject();
        cJSON_AddNumberToObject(x, "day_offset", off);
        cJSON_AddStringToObject(x, "shift", shift);
        cJSON_AddStringToObject(x, "member_no", no);
        cJSON_AddItemToArray(arr, x);
    } else if (cJSON_IsArray(arr) && strcmp(op, "remove") == 0) {
        char pick[16] = "";
        web_form(req, "pick", pick, sizeof pick);
        int i = atoi(pick);
        if (pick[0] && i >= 0 && i < cJSON_GetArraySize(arr))
            cJSON_DeleteItemFromArray(arr, i);
    }
    static const char *const replay[] = {
        "op", "date", "shift", "member_no", "pick", NULL };
    boards_post_finish(req, resp, &page, station, arr, sent ? NULL : replay);
}
