/* ui/screen_record.c - My record: a member's minutes and points this
 * month / quarter / year, service logs with their status, posts held and
 * next duty shifts. Private: closes after kiosk.idle_record_seconds. */
#include <string.h>
#include <time.h>

#include "base/service_confirm.h"
#include "base/xmalloc.h"
#include "firmware/service.h"
#include "firmware/summary.h"
#include "ui/app.h"
#include "ui/feed.h"
#include "ui/screen_claim.h"
#include "ui/screen_ticket.h"

struct record_state {
    struct member_summary summary;  /* of a->member_no */
    int                   page;
};

static struct record_state *st(struct app *a)
{
    return app_state(a, &screen_record_ops);
}

/* An unknown number says so on the result screen. */
void screen_record_open(struct app *a, const char *member_no)
{
    struct controller_outcome unknown = {
        .kind = CONTROLLER_UNKNOWN_MEMBER };
    struct stamp now;

    app_stamp(a, &now);
    if (summary_for(a->store, &a->cfg, member_no, &now, &st(a)->summary)
        != ERR_OK) {
        screen_result_show(a, &unknown);
        return;
    }
    str_copy(a->member_no, sizeof a->member_no, member_no);
    app_go(a, &screen_record_ops);
}

static void draw_totals(struct app *a, SDL_Rect r)
{
    static const char *const heads[4] = { "", "rec.visits", "rec.service",
                                          "rec.points" };
    static const char *const rows[3] = { "rec.month", "rec.quarter",
                                         "rec.year" };
    const struct member_summary *s = &st(a)->summary;
    const struct period_total *t[3] = { &s->month, &s->quarter, &s->year };
    struct ui *ui = a->ui;

    /* The column heads a line of secondary type, the periods a line of
     * body type each: no taller than they need. */
    int hh = text_line_height(ui_text(ui), ui_px(ui, UI_SMALL)) +
             ui_u(ui, 6);
    int rh = (r.h - hh) / 3, cw = r.w / 4;

    ui_fill(ui, &r, UI_SURFACE);
    for (int i = 0; i < 4; i++) {
        SDL_Rect c = { r.x + i * cw, r.y, cw, hh };
        ui_label(ui, app_s(a, heads[i]), UI_SMALL, UI_MUTED, &c, TEXT_CENTER,
                 1, true);
    }
    for (int j = 0; j < 3; j++) {
        const char *cells[4] = {
            app_s(a, rows[j]), feed_duration(a, t[j]->visit_minutes),
            feed_duration(a, t[j]->service_minutes),
            t[j]->rank > 0 ? app_sfmt(a, "rec.points_rank", t[j]->points,
                                      t[j]->rank)
                           : app_fmt(a, "%d", t[j]->points),
        };
        for (int i = 0; i < 4; i++) {
            SDL_Rect c = { r.x + i * cw, r.y + hh + j * rh, cw, rh };
            ui_label(ui, cells[i], UI_BODY, UI_TEXT, &c, TEXT_CENTER, 1, true);
        }
    }
}

static const char *category_name(struct app *a, const char *key)
{
    return app_s(a, app_fmt(a, "cat.%s", key));
}

/* When a log was done, as people say it: 今天, 昨天, 3天前; a date
 * beyond a week. */
static const char *log_day(struct app *a, int64_t day)
{
    struct stamp now;
    int64_t ago;

    app_stamp(a, &now);
    ago = clock_local_day(now.wall_ms, a->cfg.utc_offset_minutes) - day;
    if (ago >= 0 && ago <= 1)
        return app_s(a, ago == 0 ? "svc.day0" : "svc.day1");
    if (ago > 1 && ago < 7)
        return app_sfmt(a, "age.day", (int)ago);
    time_t t = (time_t)(day * 86400);
    struct tm tm;
    gmtime_r(&t, &tm);
    return app_sfmt(a, "rec.date", tm.tm_mon + 1, tm.tm_mday);
}

/* The second line of a log's row: how it was confirmed (and the served
 * person's word), why it was not, or whom it waits for. */
static const char *log_detail(struct app *a, const struct service_log *l)
{
    const char *how;

    switch (l->status) {
    case LOG_CONFIRMED:
        if (l->method == CONFIRM_METHOD_NONE)
            return app_sfmt(a, "log.confirmed_points", l->points);
        how = app_s(a, app_fmt(a, "confirm.%s",
                               confirm_method_name(l->method)));
        if (l->rating != CONFIRM_RATING_NONE)
            return app_sfmt(a, "log.confirmed_rated", how,
                            app_s(a, app_fmt(a, "rating.%s",
                                             confirm_rating_name(l->rating))),
                            l->points);
        return app_sfmt(a, "log.confirmed_how", how, l->points);
    case LOG_REJECTED:
        return l->reason[0] ? app_sfmt(a, "log.rejected_why", l->reason)
                            : app_s(a, "log.rejected_no_reason");
    default:
        return l->served_ticket[0]
            ? app_sfmt(a, "log.awaiting_resident", l->served_ticket)
            : app_s(a, "log.awaiting_staff");
    }
}

/* Logs first (the year's, newest first), then posts, then shifts, as one
 * display list; a log's second line says how it stands. */
static int detail_rows(struct app *a, struct widget_row *rows, int cap)
{
    static const char *const status[] = { "log.pending", "log.confirmed",
                                          "log.rejected" };
    static const enum ui_color col[] = { UI_PRIMARY, UI_OK, UI_ERR };
    const struct member_summary *s = &st(a)->summary;
    int n = 0;

    for (size_t i = 0; i < s->n_logs && n < cap; i++, n++) {
        const struct service_log *l = &s->logs[i];
        int k = l->status <= LOG_REJECTED ? (int)l->status : 0;
        rows[n] = (struct widget_row){
            .title = app_fmt(a, "%s  %s  %s", log_day(a, l->day),
                             category_name(a, l->category),
                             feed_duration(a, l->minutes)),
            .detail = log_detail(a, l),
            .right = app_s(a, status[k]),
            .right_color = col[k],
        };
    }
    for (size_t i = 0; i < s->n_posts && n < cap; i++, n++)
        rows[n] = (struct widget_row){
            .title = app_sfmt(a, "rec.post", s->posts[i].name),
        };
    for (size_t i = 0; i < s->n_shifts && n < cap; i++, n++)
        rows[n] = (struct widget_row){
            .title = app_sfmt(a, "rec.shift", feed_day(a, s->shifts[i].day),
                              s->shifts[i].shift),
        };
    n += wish_record_rows(a, a->member_no, rows + n, cap - n);
    /* 我的认岗: claims and swaps with the hub's word on them. */
    n += post_claim_record_rows(a, a->member_no, rows + n, cap - n);
    return n;
}

/* Rows of a display-only list that fit h px: what widget_list draws for
 * these rows (as tall as the tallest, a log's second line included). */
static int rows_fit(struct ui *ui, const struct widget_row *rows, int n,
                    SDL_Rect r)
{
    int gap = ui_u(ui, 6), row_h = widget_list_row_h(ui, rows, n, r.w);
    int per = (r.h + gap) / (row_h + gap);

    return per > 0 ? per : 1;
}

/* Summary first: the totals and the rows that fit under them on page 0,
 * every later page the rows alone over the whole height; the paging
 * buttons share the bottom bar with 登记服务 instead of taking a row of
 * their own. In large text that keeps a member with logs, posts, shifts
 * and claimed wishes to two pages. */
static void draw(struct app *a)
{
    struct ui *ui = a->ui;
    const struct member_summary *s = &st(a)->summary;
    struct widget_row rows[SUMMARY_LOGS + SUMMARY_POSTS + SUMMARY_SHIFTS +
                           8 +                   /* claimed wishes */
                           8];                   /* claims of posts */
    int gap = ui_u(ui, 10), bh = ui_touch_h(ui, UI_BIG, 1), n, page;
    int first = 0, per0, per, pages;
    const char *state = s->checked_in ? app_s(a, "rec.in")
                                      : app_s(a, "rec.out");
    SDL_Rect c = widget_header(ui, app_sfmt(a, "rec.title", s->member.name),
                               app_s(a, "btn.back"), state);
    int th = text_line_height(ui_text(ui), ui_px(ui, UI_SMALL)) +
             3 * text_line_height(ui_text(ui), ui_px(ui, UI_BODY)) +
             4 * ui_u(ui, 6);
    SDL_Rect tot = { c.x, c.y, c.w, th };
    SDL_Rect list0 = { c.x, c.y + th + gap, c.w, c.h - th - 2 * gap - bh };
    SDL_Rect list = { c.x, c.y, c.w, c.h - gap - bh };
    SDL_Rect bar = { c.x, c.y + c.h - bh, c.w, bh };

    n = detail_rows(a, rows, (int)(sizeof rows / sizeof rows[0]));
    per0 = list0.h >= widget_list_row_h(ui, rows, n, list0.w)
           ? rows_fit(ui, rows, n, list0) : 0;
    per = rows_fit(ui, rows, n, list);
    pages = n <= per0 ? 1 : 1 + (n - per0 + per - 1) / per;
    page = st(a)->page < pages ? st(a)->page : pages - 1;
    if (page == 0) {
        draw_totals(a, tot);
        if (n == 0)
            ui_label(ui, app_s(a, "rec.nothing"), UI_BODY, UI_MUTED, &list0,
                     TEXT_CENTER, 2, true);
        else if (per0 > 0)
            widget_list(ui, NULL, rows, n < per0 ? n : per0, 0, list0, NULL,
                        NULL);
    } else {
        first = per0 + (page - 1) * per;
        widget_list(ui, NULL, rows + first, n - first < per ? n - first : per,
                    0, list, NULL, NULL);
    }
    if (pages > 1) {
        const char *labels[3];
        const char *ids[3];
        SDL_Rect cell[3];
        int k = 0;
        if (page > 0) {
            labels[k] = app_s(a, "btn.prev");
            ids[k++] = "page.prev";
        }
        if (page + 1 < pages) {
            labels[k] = app_s(a, "btn.next");
            ids[k++] = "page.next";
        }
        labels[k] = app_s(a, "rec.log_service");
        ids[k++] = "logsvc";
        widget_split(ui, bar, labels, k, gap, cell);
        for (int i = 0; i < k; i++)
            widget_button(ui, ids[i], labels[i], cell[i],
                          i + 1 == k ? WIDGET_PRIMARY : WIDGET_PLAIN);
        return;
    }
    widget_button(ui, "logsvc", app_s(a, "rec.log_service"),
                  widget_cell(bar, 2, 1, 1, gap), WIDGET_PRIMARY);
    if (s->n_pending > 0) {
        SDL_Rect p = widget_cell(bar, 2, 1, 0, gap);
        ui_label(ui, app_sfmt(a, "rec.pending", s->n_pending), UI_BODY,
                 UI_PRIMARY, &p, TEXT_LEFT, 2, true);
    }
}

static void enter(struct app *a)
{
    st(a)->page = 0;
}

static void event(struct app *a, const char *id)
{
    if (strcmp(id, "back") == 0)
        app_go(a, &screen_home_ops);
    else if (strcmp(id, "logsvc") == 0)
        app_go(a, &screen_logsvc_ops);
    else if (strcmp(id, "page.next") == 0)
        st(a)->page++;
    else if (strcmp(id, "page.prev") == 0 && st(a)->page > 0)
        st(a)->page--;
}

/* Another member's card: show theirs instead; a bare number asks for
 * that member's PIN first. */
static void scan(struct app *a, const char *member_no)
{
    screen_identify_for(a, IDENTIFY_RECORD, member_no, a->member_card);
}

const struct screen_ops screen_record_ops = {
    .name = "record",
    .idle = IDLE_PRIVATE,
    .state_size = sizeof(struct record_state),
    .enter = enter,
    .event = event,
    .draw = draw,
    .scan = scan,
};
