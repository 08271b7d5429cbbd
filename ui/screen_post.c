/* ui/screen_post.c - one post: its head, deputy and members, and its
 * duties in full; at the bottom whether it is open for claiming (认领中)
 * with the places free and the claims waiting for review, 认领此岗位
 * while a place is free, and 申请互换 (screen_claim). */
#include <string.h>

#include "base/xmalloc.h"
#include "firmware/post_claim.h"
#include "ui/app.h"
#include "ui/feed.h"
#include "ui/screen_claim.h"

#define MAX_HOLDERS 16

struct post_state {
    char post_id[32];
};

static struct post_state *st(struct app *a)
{
    return app_state(a, &screen_post_ops);
}

void screen_post_open(struct app *a, const char *post_id)
{
    str_copy(st(a)->post_id, sizeof st(a)->post_id, post_id);
    app_go(a, &screen_post_ops);
}

static size_t n_holders(struct app *a, const char *post_id)
{
    struct post_holder h[MAX_HOLDERS];
    size_t n = 0;
    if (store_post_holders(a->store, post_id, h, MAX_HOLDERS, &n) != ERR_OK)
        n = 0;
    return n;
}

/* The bottom bar: the post's claiming state and its buttons; returns
 * its height. */
static int draw_claim_bar(struct app *a, SDL_Rect c, size_t holders)
{
    struct ui *ui = a->ui;
    struct post_rules r;
    struct post_claim pend[8];
    size_t n_pend = 0;
    bool deputy_free;
    int gap = ui_u(ui, 10), bh = ui_touch_h(ui, UI_BIG, 1);
    const char *id = st(a)->post_id;
    bool open = post_claim_open(a->store, id, &deputy_free);
    if (store_post_rules_get(a->store, id, &r) != ERR_OK ||
        store_claims_pending_on(a->store, id, pend, 8, &n_pend) != ERR_OK)
        n_pend = 0;
    /* The state a line of its own over the buttons: it fits in large
     * text and in English too. */
    int lh = text_line_height(ui_text(ui), ui_px(ui, UI_BODY));
    SDL_Rect bar = { c.x, c.y + c.h - bh, c.w, bh };
    SDL_Rect text = { c.x, bar.y - gap / 2 - lh, c.w, lh };
    /* A closed post with nothing under review: its short state beside
     * the one button, the duties keep the room. */
    bool compact = !open && n_pend == 0;
    if (compact)
        text = widget_cell(bar, 2, 1, 0, gap);
    const char *labels[2] = { app_s(a, "claim.swap_btn"),
                              app_s(a, "claim.btn") };
    const char *ids[2] = { "swap", "claim" };
    SDL_Rect cell[2];
    int k = open ? 2 : holders > 0 ? 1 : 0;
    SDL_Rect btns = k == 2 ? bar : widget_cell(bar, 2, 1, 1, gap);
    widget_split(ui, btns, labels, k, gap, cell);
    for (int i = 0; i < k; i++)
        widget_button(ui, ids[i], labels[i], cell[i],
                      i == 1 ? WIDGET_PRIMARY : WIDGET_PLAIN);
    const char *state = open ? app_sfmt(a, "claim.open", r.places)
                             : app_s(a, "claim.closed");
    if (n_pend > 0)
        state = app_sfmt(a, "claim.waiting", state, (int)n_pend);
    ui_label(ui, state, UI_BODY, open ? UI_PRIMARY : UI_MUTED, &text,
             TEXT_LEFT, 1, true);
    return compact ? bh : bh + gap / 2 + lh;
}

static void draw(struct app *a)
{
    static const char *const roles[] = { "head", "deputy", "member" };
    struct ui *ui = a->ui;
    struct post p;
    struct post_holder h[MAX_HOLDERS];
    size_t n = 0;
    int gap = ui_u(ui, 10);

    if (store_post_get(a->store, st(a)->post_id, &p) != ERR_OK) {
        widget_header(ui, "", app_s(a, "btn.back"), NULL);
        return;
    }
    SDL_Rect c = widget_header(ui, p.name, app_s(a, "btn.back"), p.category);
    c.h -= draw_claim_bar(a, c, n_holders(a, p.id)) + gap;
    if (store_post_holders(a->store, p.id, h, MAX_HOLDERS, &n) != ERR_OK)
        n = 0;
    /* Holders take at most half the screen: more of them go in columns. */
    int lh = text_line_height(ui_text(ui), ui_px(ui, UI_BIG)) + gap;
    int fit = c.h / 2 / lh > 0 ? c.h / 2 / lh : 1;
    int cols = ((int)n + fit - 1) / fit, rows;
    cols = cols < 1 ? 1 : cols > 3 ? 3 : cols;
    rows = ((int)n + cols - 1) / cols;
    if (rows > fit)
        rows = fit;
    SDL_Rect who = { c.x, c.y, c.w, (rows < 1 ? 1 : rows) * lh };
    ui_fill(ui, &who, UI_SURFACE);
    for (int i = 0; i < (int)n && i < rows * cols; i++) {
        SDL_Rect r = widget_cell(widget_inset(who, gap / 2), cols, rows, i,
                                 gap);
        /* Each holder's face (or initial) before the role and name. */
        int rad = (r.h - gap / 2) / 2;
        widget_face(ui, h[i].name, app_fmt(a, "member/%s", h[i].member_no),
                    r.x + rad, r.y + r.h / 2, rad);
        r.x += 2 * rad + gap;
        r.w -= 2 * rad + gap;
        ui_label(ui, app_sfmt(a, "fmt.label",
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
    bool deputy_free;
    if (strcmp(id, "back") == 0)
        app_go(a, &screen_posts_ops);
    else if (strcmp(id, "claim") == 0 &&
             post_claim_open(a->store, st(a)->post_id, &deputy_free))
        screen_claim_open(a, st(a)->post_id, false);
    else if (strcmp(id, "swap") == 0)
        screen_claim_open(a, st(a)->post_id, true);
}

const struct screen_ops screen_post_ops = {
    .name = "post",
    .idle = IDLE_HOME,
    .state_size = sizeof(struct post_state),
    .event = event,
    .draw = draw,
};
