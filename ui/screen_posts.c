/* ui/screen_posts.c - supervision posts: category tiles, then that
 * category's posts; a post opens its detail (screen_post). */
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "ui/app.h"
#include "ui/feed.h"

static void enter(struct app *a)
{
    if (store_post_categories(a->store, a->posts.cats, 16,
                              &a->posts.n_cats) != ERR_OK)
        a->posts.n_cats = 0;
    if (a->posts.cat >= (int)a->posts.n_cats)
        a->posts.cat = -1;
}

static void draw(struct app *a)
{
    struct ui *ui = a->ui;
    struct widget_row rows[APP_MAX_ROWS];
    const char *labels[16];
    SDL_Rect c;

    if (a->posts.cat < 0) {
        c = widget_header(ui, app_s(a, "boards.posts"),
                          app_s(a, "btn.back"), NULL);
        for (size_t i = 0; i < a->posts.n_cats; i++)
            labels[i] = a->posts.cats[i];
        if (a->posts.n_cats == 0)
            ui_label(ui, app_s(a, "list.empty"), UI_BIG, UI_MUTED, &c,
                     TEXT_CENTER, 1, true);
        widget_tiles(ui, "cat", labels, (int)a->posts.n_cats, -1, c,
                     ui_portrait(ui) ? 2 : 4);
        return;
    }
    c = widget_header(ui, app_sfmt(a, "posts.in", a->posts.cats[a->posts.cat]),
                      app_s(a, "btn.back"), NULL);
    int n = feed_post_rows(a, rows, APP_MAX_ROWS);
    widget_list(ui, "post", rows, n, a->posts.page, c, app_s(a, "btn.prev"),
                app_s(a, "btn.next"));
}

static void event(struct app *a, const char *id)
{
    if (strcmp(id, "back") == 0) {
        if (a->posts.cat < 0) {
            app_go(a, &screen_boards_ops);
        } else {
            a->posts.cat = -1;
        }
    } else if (strncmp(id, "cat.", 4) == 0) {
        int i = atoi(id + 4);
        if (i >= 0 && i < (int)a->posts.n_cats) {
            a->posts.cat = i;
            feed_load_posts(a, a->posts.cats[i]);
        }
    } else if (strncmp(id, "post.", 5) == 0) {
        int i = atoi(id + 5);
        if (i >= 0 && i < (int)a->posts.n_posts) {
            str_copy(a->posts.post_id, sizeof a->posts.post_id,
                     a->posts.posts[i].id);
            app_go(a, &screen_post_ops);
        }
    } else if (strcmp(id, "page.next") == 0) {
        a->posts.page++;
    } else if (strcmp(id, "page.prev") == 0 && a->posts.page > 0) {
        a->posts.page--;
    }
}

const struct screen_ops screen_posts_ops = {
    .name = "posts",
    .idle = IDLE_HOME,
    .enter = enter,
    .event = event,
    .draw = draw,
};
