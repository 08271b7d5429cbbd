/* ui/screen_notices.c - notices, newest first; one opens screen_notice. */
#include <stdlib.h>
#include <string.h>

#include "ui/app.h"
#include "ui/feed.h"

static void enter(struct app *a)
{
    int page = a->notices.page;

    feed_load_notices(a);
    a->notices.page = page;         /* back from a notice keeps the page */
}

static void draw(struct app *a)
{
    struct ui *ui = a->ui;
    struct widget_row rows[32];
    SDL_Rect c = widget_header(ui, app_s(a, "boards.notices"),
                               app_s(a, "btn.back"), NULL);
    int n = feed_notice_rows(a, rows, 32);

    if (n == 0)
        ui_label(ui, app_s(a, "list.empty"), UI_BIG, UI_MUTED, &c,
                 TEXT_CENTER, 1, true);
    widget_list(ui, "notice", rows, n, a->notices.page, c,
                app_s(a, "btn.prev"), app_s(a, "btn.next"));
}

static void event(struct app *a, const char *id)
{
    if (strcmp(id, "back") == 0) {
        a->notices.page = 0;
        app_go(a, &screen_boards_ops);
    } else if (strncmp(id, "notice.", 7) == 0) {
        int i = atoi(id + 7);
        if (i >= 0 && i < (int)a->notices.n) {
            a->notices.open = i;
            app_go(a, &screen_notice_ops);
        }
    } else if (strcmp(id, "page.next") == 0) {
        a->notices.page++;
    } else if (strcmp(id, "page.prev") == 0 && a->notices.page > 0) {
        a->notices.page--;
    }
}

const struct screen_ops screen_notices_ops = {
    .name = "notices",
    .idle = IDLE_HOME,
    .enter = enter,
    .event = event,
    .draw = draw,
};
