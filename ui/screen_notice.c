/* ui/screen_notice.c - one notice in full: title, date, wrapped body. */
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"

#include "ui/app.h"
#include "ui/feed.h"

struct notice_state {
    struct notice notice;       /* a copy: the list may be reloaded */
    int           body_page;
};

static struct notice_state *st(struct app *a)
{
    return app_state(a, &screen_notice_ops);
}

void screen_notice_open(struct app *a, const struct notice *n)
{
    st(a)->notice = *n;
    app_go(a, &screen_notice_ops);
}

/* The body a page of lines at a time: a long notice is read in full,
 * not cut. Returns the number of pages. */
static int draw_body(struct app *a, const char *body, SDL_Rect b)
{
    struct ui *ui = a->ui;
    struct text_layout *lay = xmalloc(sizeof *lay);
    int px = ui_px(ui, UI_BIG), lh = text_line_height(ui_text(ui), px);
    int per = b.h / lh > 0 ? b.h / lh : 1, pages, first;
    struct notice_state *s = st(a);

    text_layout(ui_text(ui), body, px, b.w, 0, lay);
    pages = (lay->n + per - 1) / per;
    if (s->body_page >= pages)
        s->body_page = pages > 0 ? pages - 1 : 0;
    first = s->body_page * per;
    for (int i = first; i < lay->n && i < first + per; i++) {
        const struct text_line *l = &lay->lines[i];
        SDL_Rect r = { b.x, b.y + (i - first) * lh, b.w, lh };
        ui_label(ui, app_fmt(a, "%.*s%s", (int)l->len, l->start,
                             l->ellipsis ? "\xe2\x80\xa6" : ""),
                 UI_BIG, UI_TEXT, &r, TEXT_LEFT, 1, false);
    }
    free(lay);
    return pages;
}

static void draw(struct app *a)
{
    const struct notice_state *s = st(a);
    struct ui *ui = a->ui;
    const struct notice *n = &s->notice;
    SDL_Rect c = widget_header(ui, n->title, app_s(a, "btn.back"), NULL);
    struct stamp now;
    int lh = text_line_height(ui_text(ui), ui_px(ui, UI_BODY));
    int bh = ui_touch_h(ui, UI_BIG, 1), gap = ui_u(ui, 10);
    int day = (int)clock_local_day(n->published_ms,
                                   a->cfg.utc_offset_minutes);

    app_stamp(a, &now);
    ui_label(ui, app_fmt(a, "%s  ·  %s", feed_day(a, day),
                         feed_age(a, now.wall_ms - n->published_ms)),
             UI_BODY, UI_MUTED, &c, TEXT_LEFT, 1, false);
    SDL_Rect b = { c.x, c.y + lh + gap, c.w, c.h - lh - 2 * gap - bh };
    SDL_Rect bar = { c.x, c.y + c.h - bh, c.w, bh };
    ui_fill(ui, &b, UI_SURFACE);
    int pages = draw_body(a, n->body, widget_inset(b, ui_u(ui, 12)));
    if (pages <= 1)
        return;
    SDL_Rect mid = widget_cell(bar, 3, 1, 1, gap);
    ui_label(ui, app_fmt(a, "%d / %d", s->body_page + 1, pages),
             UI_BODY, UI_MUTED, &mid, TEXT_CENTER, 1, true);
    if (s->body_page > 0)
        widget_button(ui, "page.prev", app_s(a, "btn.prev"),
                      widget_cell(bar, 3, 1, 0, gap), WIDGET_PLAIN);
    if (s->body_page + 1 < pages)
        widget_button(ui, "page.next", app_s(a, "btn.next"),
                      widget_cell(bar, 3, 1, 2, gap), WIDGET_PLAIN);
}

static void enter(struct app *a)
{
    st(a)->body_page = 0;
}

static void event(struct app *a, const char *id)
{
    struct notice_state *s = st(a);

    if (strcmp(id, "back") == 0)
        app_go(a, &screen_notices_ops);
    else if (strcmp(id, "page.next") == 0)
        s->body_page++;
    else if (strcmp(id, "page.prev") == 0 && s->body_page > 0)
        s->body_page--;
}

const struct screen_ops screen_notice_ops = {
    .name = "notice",
    .idle = IDLE_HOME,
    .state_size = sizeof(struct notice_state),
    .enter = enter,
    .event = event,
    .draw = draw,
};
