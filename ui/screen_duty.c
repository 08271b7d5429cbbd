/* ui/screen_duty.c - the station desk's duty roster: today as a list, or
 * the week on one screen as a grid of days by 上午/下午; the duty desk's
 * phone (station.duty_phone) under either. */
#include <stdlib.h>
#include <string.h>

#include "ui/app.h"
#include "ui/feed.h"
#include "ui/screen_desk.h"

struct duty_state {
    struct feed_duty feed;
    int              page;
};

static struct duty_state *st(struct app *a)
{
    return app_state(a, &screen_duty_ops);
}

static void load(struct app *a, bool week)
{
    feed_load_duty(a, &st(a)->feed, week);
    st(a)->page = 0;
}

/* The roster opens on today. */
static void enter(struct app *a)
{
    load(a, false);
}

/* 上午 (0) or 下午 (1): by the hour the published shift starts. */
static int half_of(const char *shift)
{
    const char *p = shift;

    while (*p && (*p < '0' || *p > '9'))
        p++;
    return *p && atoi(p) >= 12;
}

/* Who is on in one cell: names one a line, as many as fit. */
static void cell(struct app *a, const struct feed_duty *f, int64_t day,
                 int half, SDL_Rect r, bool today)
{
    struct ui *ui = a->ui;
    char names[256] = "";
    size_t len = 0;
    int count = 0;

    ui_fill(ui, &r, today ? UI_SURFACE : UI_SURFACE);
    ui_frame_rect(ui, &r, today ? UI_INFO : UI_BORDER,
                  today ? ui_u(ui, 3) : 1);
    for (size_t i = 0; i < f->n; i++)
        if (f->items[i].day == day && half_of(f->items[i].shift) == half &&
            ++count)
            len += (size_t)snprintf(names + len, sizeof names - len, "%s%s",
                                    len ? "\n" : "", f->items[i].name);
    if (len == 0 || len >= sizeof names)
        return;
    SDL_Rect in = widget_inset(r, ui_u(ui, 4));
    /* A name on one line each: the smaller size before a name breaks. */
    enum ui_font fn = widget_fit(ui, names, in.w, count, UI_BODY, UI_SMALL);
    ui_label(ui, names, fn, UI_TEXT, &in, TEXT_CENTER,
             widget_lines(ui, names, fn, in.w), true);
}

/* The week: a header row of days, then 上午 and 下午 rows. */
static void draw_week(struct app *a, const struct feed_duty *f, SDL_Rect g)
{
    struct ui *ui = a->ui;
    int small = text_line_height(ui_text(ui), ui_px(ui, UI_SMALL));
    int hh = 2 * small + ui_u(ui, 8), gap = ui_u(ui, 4);
    const char *halves[2] = { app_s(a, "duty.am"), app_s(a, "duty.pm") };
    int lw = text_width(ui_text(ui), halves[0], ui_px(ui, UI_BODY));
    int pw = text_width(ui_text(ui), halves[1], ui_px(ui, UI_BODY));
    int label_w = (lw > pw ? lw : pw) + ui_u(ui, 12);
    SDL_Rect days = { g.x + label_w + gap, g.y, g.w - label_w - gap, hh };
    SDL_Rect body = { days.x, g.y + hh + gap, days.w, g.h - hh - gap };

    for (int d = 0; d < 7; d++) {
        SDL_Rect h = widget_cell(days, 7, 1, d, gap);
        SDL_Rect top = { h.x, h.y, h.w, small + ui_u(ui, 4) };
        SDL_Rect bot = { h.x, top.y + top.h, h.w, h.h - top.h };
        if (d == 0)
            ui_fill(ui, &h, UI_INFO);
        ui_label(ui, feed_weekday(a, f->day0 + d), UI_SMALL,
                 d == 0 ? UI_ON_PRIMARY : UI_TEXT, &top, TEXT_CENTER, 1,
                 true);
        ui_label(ui, feed_month_day(a, f->day0 + d), UI_SMALL,
                 d == 0 ? UI_ON_PRIMARY : UI_TEXT, &bot, TEXT_CENTER, 1,
                 true);
    }
    for (int half = 0; half < 2; half++) {
        SDL_Rect row = widget_cell(body, 1, 2, half, gap);
        SDL_Rect lab = { g.x, row.y, label_w, row.h };
        ui_label(ui, halves[half], UI_BODY, UI_TEXT, &lab, TEXT_CENTER, 1,
                 true);
        for (int d = 0; d < 7; d++)
            cell(a, f, f->day0 + d, half, widget_cell(row, 7, 1, d, gap),
                 d == 0);
    }
}

static void draw(struct app *a)
{
    const struct duty_state *s = st(a);
    struct ui *ui = a->ui;
    struct widget_row rows[APP_MAX_ROWS];
    const char *tabs[2] = { app_s(a, "duty.today"), app_s(a, "duty.week") };
    int th = ui_touch_h(ui, UI_BIG, 1), gap = ui_u(ui, 10);
    SDL_Rect c = widget_header(ui, app_s(a, "boards.duty"),
                               app_s(a, "btn.back"), NULL);
    SDL_Rect tabr = { c.x, c.y, c.w, th };
    SDL_Rect list = { c.x, c.y + th + gap, c.w, c.h - th - gap };

    widget_tiles(ui, "tab", tabs, 2, s->feed.week ? 1 : 0, tabr, 2);
    /* The member on duty opens the visitor log here, where the roster
     * that lets them in is shown (screen_desk.c): at the bottom right,
     * the duty phone beside it when both fit, else above it. */
    const char *dl = app_s(a, "desk.open");
    int bw = text_width(ui_text(ui), dl, ui_px(ui, UI_BIG)) +
             ui_px(ui, UI_BIG) * 2 + ui_u(ui, 48);
    bw = bw > list.w / 2 ? list.w / 2 : bw;
    SDL_Rect bar = { list.x, list.y + list.h - th, list.w, th };
    SDL_Rect desk = { bar.x + bar.w - bw, bar.y, bw, th };
    SDL_Rect pr = { bar.x, bar.y, bar.w - bw - gap, th };
    list.h -= th + gap;
    if (a->cfg.duty_phone[0]) {          /* the phone along the bottom */
        const char *t = app_sfmt(a, "duty.phone", a->cfg.duty_phone);
        int tw = text_width(ui_text(ui), t, ui_px(ui, UI_BIG));
        int ipx = ui_px(ui, UI_BIG) * 6 / 5;
        if (tw + ipx + ui_u(ui, 18) > pr.w) {     /* a row of its own */
            int ph = ui_touch_h(ui, UI_BIG, 1) - ui_u(ui, 8);
            pr = (SDL_Rect){ list.x, list.y + list.h - ph, list.w, ph };
            list.h -= ph + gap;
            desk.x = bar.x + (bar.w - bw) / 2;
        }
        SDL_Rect ir = { pr.x + (pr.w - tw - ipx) / 2 - ui_u(ui, 6), pr.y,
                        ipx, pr.h };
        SDL_Rect tr = { ir.x + ipx + ui_u(ui, 6), pr.y, tw, pr.h };
        widget_glyph(ui, GLYPH_PHONE, UI_PRIMARY, ir, ipx);
        ui_label(ui, t, UI_BIG, UI_TEXT, &tr, TEXT_LEFT, 1, true);
    } else {
        desk.x = bar.x + (bar.w - bw) / 2;
    }
    widget_icon_button(ui, "desk", GLYPH_EDIT_NOTE, dl, desk,
                       WIDGET_PRIMARY);
    if (s->feed.week && !s->feed.failed) {
        draw_week(a, &s->feed, list);
        return;
    }
    int n = feed_duty_rows(a, &s->feed, rows, APP_MAX_ROWS);
    if (n == 0)
        ui_label(ui, feed_empty_text(a, s->feed.failed), UI_BIG, UI_MUTED, &list,
                 TEXT_CENTER, 1, true);
    widget_list(ui, NULL, rows, n, s->page, list, app_s(a, "btn.prev"),
                app_s(a, "btn.next"));
}

static void event(struct app *a, const char *id)
{
    struct duty_state *s = st(a);

    if (strcmp(id, "back") == 0)
        app_go(a, &screen_boards_ops);
    else if (strcmp(id, "desk") == 0)
        screen_desk_open(a);
    else if (strcmp(id, "tab.0") == 0)
        load(a, false);
    else if (strcmp(id, "tab.1") == 0)
        load(a, true);
    else if (strcmp(id, "page.next") == 0)
        s->page++;
    else if (strcmp(id, "page.prev") == 0 && s->page > 0)
        s->page--;
}

const struct screen_ops screen_duty_ops = {
    .name = "duty",
    .idle = IDLE_HOME,
    .state_size = sizeof(struct duty_state),
    .enter = enter,
    .event = event,
    .draw = draw,
};
