/* ui/screen_duty.c - the station desk's duty roster, today or this week. */
#include <string.h>

#include "ui/app.h"
#include "ui/feed.h"

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
