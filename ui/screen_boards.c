/* ui/screen_boards.c - the public boards' menu: posts, duty roster,
 * notices, star board. Anyone may look; nothing here is private. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/app.h"

static const char *const keys[] = { "boards.posts", "boards.duty",
                                    "boards.notices", "boards.stars" };

static void draw(struct app *a)
{
    static const enum icon_glyph icons[4] = {
        GLYPH_GROUPS, GLYPH_CALENDAR, GLYPH_CAMPAIGN, GLYPH_STAR,
    };
    SDL_Rect c = widget_header(a->ui, app_s(a, "home.boards"),
                               app_s(a, "btn.back"), NULL);
    int cols = ui_portrait(a->ui) ? 1 : 2, gap = ui_u(a->ui, 10);
    char id[UI_ID_MAX];

    for (int i = 0; i < 4; i++) {
        snprintf(id, sizeof id, "board.%d", i);
        widget_icon_button(a->ui, id, icons[i], app_s(a, keys[i]),
                           widget_cell(c, cols, 4 / cols, i, gap),
                           WIDGET_PLAIN);
    }
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
