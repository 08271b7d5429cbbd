/* ui/screen_stars.c - the star board: top members by points this month,
 * quarter or year. */
#include <string.h>

#include "ui/app.h"
#include "ui/feed.h"

struct stars_state {
    struct feed_stars feed;
};

static struct stars_state *st(struct app *a)
{
    return app_state(a, &screen_stars_ops);
}

/* The board opens on this month. */
static void enter(struct app *a)
{
    feed_load_stars(a, &st(a)->feed, 0);
}

static void draw(struct app *a)
{
    const struct stars_state *s = st(a);
    struct ui *ui = a->ui;
    struct widget_row rows[FEED_STARS];
    const char *tabs[3] = { app_s(a, "stars.month"), app_s(a, "stars.quarter"),
                            app_s(a, "stars.year") };
    int th = ui_touch_h(ui, UI_BIG, 1), gap = ui_u(ui, 10);
    SDL_Rect c = widget_header(ui, app_s(a, "boards.stars"),
                               app_s(a, "btn.back"), NULL);
    SDL_Rect tabr = { c.x, c.y, c.w, th };
    SDL_Rect list = { c.x, c.y + th + gap, c.w, c.h - th - gap };
    int n;

    widget_tiles(ui, "tab", tabs, 3, s->feed.period, tabr, 3);
    n = feed_star_rows(a, &s->feed, rows, FEED_STARS);
    if (n == 0)
        ui_label(ui, feed_empty_text(a, s->feed.failed), UI_BIG, UI_MUTED, &list,
                 TEXT_CENTER, 1, true);
    /* Two columns of ranks: ten names fit without paging. */
    SDL_Rect l = widget_cell(list, 2, 1, 0, gap);
    SDL_Rect r = widget_cell(list, 2, 1, 1, gap);
    widget_list(ui, NULL, rows, n < 5 ? n : 5, 0, l, NULL, NULL);
    if (n > 5)
        widget_list(ui, NULL, rows + 5, n - 5 < 5 ? n - 5 : 5, 0, r, NULL,
                    NULL);
}

static void event(struct app *a, const char *id)
{
    if (strcmp(id, "back") == 0)
        app_go(a, &screen_boards_ops);
    else if (strncmp(id, "tab.", 4) == 0 && id[4] >= '0' && id[4] <= '2')
        feed_load_stars(a, &st(a)->feed, id[4] - '0');
}

const struct screen_ops screen_stars_ops = {
    .name = "stars",
    .idle = IDLE_HOME,
    .state_size = sizeof(struct stars_state),
    .enter = enter,
    .event = event,
    .draw = draw,
};
