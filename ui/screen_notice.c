/* ui/screen_notice.c - one notice in full: title, date, wrapped body. */
#include <string.h>

#include "ui/app.h"
#include "ui/feed.h"

static void draw(struct app *a)
{
    struct ui *ui = a->ui;
    const struct notice *n = &a->notices.items[a->notices.open];
    SDL_Rect c = widget_header(ui, n->title, app_s(a, "btn.back"), NULL);
    struct stamp now;
    int lh = text_line_height(ui_text(ui), ui_px(ui, UI_BODY));
    int day = (int)clock_local_day(n->published_ms,
                                   a->cfg.utc_offset_minutes);

    app_stamp(a, &now);
    ui_label(ui, app_fmt(a, "%s  ·  %s", feed_day(a, day),
                         feed_age(a, now.wall_ms - n->published_ms)),
             UI_BODY, UI_MUTED, &c, TEXT_LEFT, 1, false);
    SDL_Rect b = { c.x, c.y + lh + ui_u(ui, 10), c.w,
                   c.h - lh - ui_u(ui, 10) };
    ui_fill(ui, &b, UI_SURFACE);
    b = widget_inset(b, ui_u(ui, 12));
    int lines = b.h / text_line_height(ui_text(ui), ui_px(ui, UI_BIG));
    ui_label(ui, n->body, UI_BIG, UI_TEXT, &b, TEXT_LEFT,
             lines < 1 ? 1 : lines, false);
}

static void event(struct app *a, const char *id)
{
    if (strcmp(id, "back") == 0)
        app_go(a, &screen_notices_ops);
}

const struct screen_ops screen_notice_ops = {
    .name = "notice",
    .idle = IDLE_HOME,
    .event = event,
    .draw = draw,
};
