/* ui/screen_post.c - one post: its head, deputy and members, and its
 * duties in full. */
#include <string.h>

#include "ui/app.h"
#include "ui/feed.h"

#define MAX_HOLDERS 16

static void draw(struct app *a)
{
    static const char *const roles[] = { "head", "deputy", "member" };
    struct ui *ui = a->ui;
    struct post p;
    struct post_holder h[MAX_HOLDERS];
    size_t n = 0;
    int gap = ui_u(ui, 10);

    if (store_post_get(a->store, a->posts.post_id, &p) != ERR_OK) {
        widget_header(ui, "", app_s(a, "btn.back"), NULL);
        return;
    }
    SDL_Rect c = widget_header(ui, p.name, app_s(a, "btn.back"), p.category);
    if (store_post_holders(a->store, p.id, h, MAX_HOLDERS, &n) != ERR_OK)
        n = 0;
    int lh = text_line_height(ui_text(ui), ui_px(ui, UI_BIG)) + gap;
    SDL_Rect who = { c.x, c.y, c.w, (int)(n < 1 ? 1 : n) * lh };
    ui_fill(ui, &who, UI_SURFACE);
    for (size_t i = 0; i < n; i++) {
        SDL_Rect r = { c.x + gap, c.y + (int)i * lh, c.w - 2 * gap, lh };
        ui_label(ui, app_fmt(a, "%s:  %s",
                             feed_role(a, roles[h[i].role % 3]), h[i].name),
                 UI_BIG, UI_TEXT, &r, TEXT_LEFT, 1, true);
    }
    SDL_Rect d = { c.x, who.y + who.h + gap, c.w,
                   c.h - who.h - gap };
    int dh = text_line_height(ui_text(ui), ui_px(ui, UI_BODY));
    ui_label(ui, app_s(a, "post.duties"), UI_BODY, UI_MUTED, &d, TEXT_LEFT, 1,
             false);
    d.y += dh;
    d.h -= dh;
    int lines = d.h / text_line_height(ui_text(ui), ui_px(ui, UI_BIG));
    ui_label(ui, p.duties, UI_BIG, UI_TEXT, &d, TEXT_LEFT,
             lines < 1 ? 1 : lines, false);
}

static void event(struct app *a, const char *id)
{
    if (strcmp(id, "back") == 0)
        app_go(a, &screen_posts_ops);
}

const struct screen_ops screen_post_ops = {
    .name = "post",
    .idle = IDLE_HOME,
    .event = event,
    .draw = draw,
};
