/* ui/screen_notices.c - notices, newest first; one opens screen_notice. */
#include <stdlib.h>
#include <string.h>

#include "ui/app.h"
#include "ui/feed.h"

struct notices_state {
    struct feed_notices feed;
    int                 page;
};

static struct notices_state *st(struct app *a)
{
    return app_state(a, &screen_notices_ops);
}

static void enter(struct app *a)
{
    if (a->from != &screen_notice_ops)  /* back from one keeps the page */
        st(a)->page = 0;
    feed_load_notices(a, &st(a)->feed);
}

static void draw(struct app *a)
{
    const struct notices_state *s = st(a);
    struct ui *ui = a->ui;
    struct widget_row rows[FEED_NOTICES];
    SDL_Rect c = widget_header(ui, app_s(a, "boards.notices"),
                               app_s(a, "btn.back"), NULL);
    int n = feed_notice_rows(a, &s->feed, rows, FEED_NOTICES);

    if (n == 0)
        ui_label(ui, feed_empty_text(a, s->feed.failed), UI_BIG, UI_MUTED, &c,
                 TEXT_CENTER, 1, true);
    widget_list(ui, "notice", rows, n, s->page, c,
                app_s(a, "btn.prev"), app_s(a, "btn.next"));
}

static void event(struct app *a, const char *id)
{
    struct notices_state *s = st(a);

    if (strcmp(id, "back") == 0) {
        app_go(a, &screen_boards_ops);
    } else if (strncmp(id, "notice.", 7) == 0) {
        int i = atoi(id + 7);
        if (i >= 0 && i < (int)s->feed.n)
            screen_notice_open(a, &s->feed.items[i]);
    } else if (strcmp(id, "page.next") == 0) {
        s->page++;
    } else if (strcmp(id, "page.prev") == 0 && s->page > 0) {
        s->page--;
    }
}

const struct screen_ops screen_notices_ops = {
    .name = "notices",
    .idle = IDLE_HOME,
    .state_size = sizeof(struct notices_state),
    .enter = enter,
    .event = event,
    .draw = draw,
};
