/* ui/screen_posts.c - supervision posts: category tiles, then that
 * category's posts; a post opens its detail (screen_post). A category
 * of one post opens that post straight away: one tap fewer. */
#include <stdlib.h>
#include <string.h>

#include "ui/app.h"
#include "ui/feed.h"

struct posts_state {
    char              cats[16][32];
    size_t            n_cats;
    int               cat;          /* -1: choosing a category */
    struct feed_posts feed;         /* the chosen category's posts */
    int               page;
};

static struct posts_state *st(struct app *a)
{
    return app_state(a, &screen_posts_ops);
}

/* Back from a post: the same category and page; otherwise the board
 * opens at its first level. */
static void enter(struct app *a)
{
    struct posts_state *s = st(a);

    if (a->from != &screen_post_ops)
        s->cat = -1;
    if (store_post_categories(a->store, s->cats, 16, &s->n_cats) != ERR_OK)
        s->n_cats = 0;
    if (s->cat >= (int)s->n_cats)
        s->cat = -1;
}

static void draw(struct app *a)
{
    const struct posts_state *s = st(a);
    struct ui *ui = a->ui;
    struct widget_row rows[APP_MAX_ROWS];
    const char *labels[16];
    SDL_Rect c;

    if (s->cat < 0) {
        c = widget_header(ui, app_s(a, "boards.posts"),
                          app_s(a, "btn.back"), NULL);
        for (size_t i = 0; i < s->n_cats; i++)
            labels[i] = s->cats[i];
        if (s->n_cats == 0)
            ui_label(ui, app_s(a, "list.empty"), UI_BIG, UI_MUTED, &c,
                     TEXT_CENTER, 1, true);
        widget_tiles(ui, "cat", labels, (int)s->n_cats, -1, c,
                     ui_portrait(ui) ? 2 : 4);
        return;
    }
    c = widget_header(ui, app_sfmt(a, "posts.in", s->cats[s->cat]),
                      app_s(a, "btn.back"), NULL);
    int n = feed_post_rows(a, &s->feed, rows, APP_MAX_ROWS);
    widget_list(ui, "post", rows, n, s->page, c, app_s(a, "btn.prev"),
                app_s(a, "btn.next"));
}

static void event(struct app *a, const char *id)
{
    struct posts_state *s = st(a);

    if (strcmp(id, "back") == 0) {
        if (s->cat < 0) {
            app_go(a, &screen_boards_ops);
        } else {
            s->cat = -1;
        }
    } else if (strncmp(id, "cat.", 4) == 0) {
        int i = atoi(id + 4);
        if (i >= 0 && i < (int)s->n_cats) {
            s->cat = i;
            s->page = 0;
            feed_load_posts(a, &s->feed, s->cats[i]);
            if (s->feed.n == 1) {   /* back from it: the categories */
                s->cat = -1;
                screen_post_open(a, s->feed.items[0].id);
            }
        }
    } else if (strncmp(id, "post.", 5) == 0) {
        int i = atoi(id + 5);
        if (i >= 0 && i < (int)s->feed.n)
            screen_post_open(a, s->feed.items[i].id);
    } else if (strcmp(id, "page.next") == 0) {
        s->page++;
    } else if (strcmp(id, "page.prev") == 0 && s->page > 0) {
        s->page--;
    }
}

const struct screen_ops screen_posts_ops = {
    .name = "posts",
    .idle = IDLE_HOME,
    .state_size = sizeof(struct posts_state),
    .enter = enter,
    .event = event,
    .draw = draw,
};
