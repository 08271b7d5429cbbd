/* ui/screen_boards.c - the public boards' menu: posts, duty roster,
 * notices, star board. Anyone may look; nothing here is private. */
#include <stdlib.h>
#include <string.h>

#include "ui/app.h"

static const char *const keys[] = { "boards.posts", "boards.duty",
                                    "boards.notices", "boards.stars" };

static void draw(struct app *a)
{
    const char *labels[4];
    SDL_Rect c = widget_header(a->ui, app_s(a, "home.boards"),
                               app_s(a, "btn.back"), NULL);

    for (int i = 0; i < 4; i++)
        labels[i] = app_s(a, keys[i]);
    widget_tiles(a->ui, "board", labels, 4, -1, c,
                 ui_portrait(a->ui) ? 1 : 2);
}

static void event(struct app *a, const char *id)
{
    static const struct screen_ops *const to[] = {
        &screen_posts_ops, &screen_duty_ops, &screen_notices_ops,
        &screen_stars_ops,
    };

    if (strcmp(id, "back") == 0) {
        app_go(a, &screen_home_ops);
        return;
    }
    if (strncmp(id, "board.", 6) == 0) {
        int i = atoi(id + 6);
        if (i >= 0 && i < 4)        /* each opens at its first level */
            app_go(a, to[i]);
    }
}

const struct screen_ops screen_boards_ops = {
    .name = "boards",
    .idle = IDLE_HOME,
    .event = event,
    .draw = draw,
};
