/* ui/screen_claim.c - claiming a place on a post (认领此岗位) and asking
 * to swap posts (申请互换), opened from the post's board (screen_post):
 * the member scans their card, then chooses the role (岗员, or 副岗长
 * while that place is free) or, for a swap, the holder of this post to
 * swap with; one tap stores it for the hub, where staff decide. The
 * outcome (待审核, 已通过, 未通过 with the reason) shows on the post and
 * in My record (post_claim_record_rows). */
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "firmware/post_claim.h"
#include "ui/app.h"
#include "ui/feed.h"
#include "ui/screen_claim.h"

enum step { STEP_SCAN, STEP_ROLE, STEP_PICK, STEP_MSG };

#define HOLDERS_MAX 16

struct claim_state {
    enum step step;
    bool      swap;
    char      post_id[32];
    char      member_no[STORE_MEMBER_NO];
    char      msg_key[64];
    bool      ok;
};

static struct claim_state *st(struct app *a)
{
    return app_state(a, &screen_claim_ops);
}

void screen_claim_open(struct app *a, const char *post_id, bool swap)
{
    struct claim_state *s = st(a);
    memset(s, 0, sizeof *s);
    s->swap = swap;
    str_copy(s->post_id, sizeof s->post_id, post_id);
    app_go(a, &screen_claim_ops);
}

static void leave(struct app *a)
{
    st(a)->member_no[0] = '\0';          /* who claimed is private */
}

static void message(struct app *a, bool ok, const char *key)
{
    struct claim_state *s = st(a);
    s->ok = ok;
    str_copy(s->msg_key, sizeof s->msg_key, key);
    s->step = STEP_MSG;
    if (a->board)
        board_signal(a->board, ok ? BOARD_SIGNAL_OK : BOARD_SIGNAL_ERROR);
}

/* The words of a refusal (the hub's reasons are the same words). */
const char *claim_why(struct app *a, const char *why)
{
    const char *key = app_fmt(a, "claim.why.%s", why ? why : "failed");
    return i18n_has(a->langs[a->lang], key) ? app_s(a, key) : why;
}

static void scan(struct app *a, const char *member_no)
{
    struct claim_state *s = st(a);
    if (s->step != STEP_SCAN)
        return;
    str_copy(s->member_no, sizeof s->member_no, member_no);
    s->step = s->swap ? STEP_PICK : STEP_ROLE;
}

static void submit_claim(struct app *a, enum post_role role)
{
    struct claim_state *s = st(a);
    struct stamp now;
    const char *why = NULL;
    app_stamp(a, &now);
    err_code e = post_claim(a->store, s->post_id, s->member_no, role, &now,
                            &why);
    if (e == ERR_OK) {
        app_stored(a);
        message(a, true, "claim.sent");
    } else {
        message(a, false, app_fmt(a, "claim.why.%s", why ? why : "failed"));
    }
}

static void submit_swap(struct app *a, int i)
{
    struct claim_state *s = st(a);
    struct post_holder h[HOLDERS_MAX];
    size_t n = 0;
    struct stamp now;
    const char *why = NULL;
    if (store_post_holders(a->store, s->post_id, h, HOLDERS_MAX, &n)
        != ERR_OK || i < 0 || (size_t)i >= n)
        return;
    app_stamp(a, &now);
    err_code e = post_swap(a->store, s->member_no, h[i].member_no,
                           s->post_id, &now, &why);
    if (e == ERR_OK) {
        app_stored(a);
        message(a, true, "claim.swap_sent");
    } else {
        message(a, false, app_fmt(a, "claim.why.%s", why ? why : "failed"));
    }
}

static void event(struct app *a, const char *id)
{
    struct claim_state *s = st(a);
    if (strcmp(id, "back") == 0 || strcmp(id, "done") == 0)
        screen_post_open(a, s->post_id);
    else if (s->step == STEP_ROLE && strcmp(id, "role.member") == 0)
        submit_claim(a, ROLE_MEMBER);
    else if (s->step == STEP_ROLE && strcmp(id, "role.deputy") == 0)
        submit_claim(a, ROLE_DEPUTY);
    else if (s->step == STEP_PICK && strncmp(id, "holder.", 7) == 0)
        submit_swap(a, atoi(id + 7));
}

/* ---- drawing ----------------------------------------------------------- */

static void draw_scan(struct app *a, SDL_Rect c)
{
    struct ui *ui = a->ui;
    int gap = ui_u(ui, 10);
    SDL_Rect hint = { c.x, c.y, c.w, c.h / 3 };
    ui_label(ui, app_s(a, st(a)->swap ? "claim.swap_hint" : "claim.hint"),
             UI_BIG, UI_TEXT, &hint, TEXT_CENTER, 3, true);
    SDL_Rect cta = { c.x, c.y + c.h / 3 + gap, c.w, c.h * 2 / 3 - gap };
    ui_fill(ui, &cta, UI_SURFACE);
    ui_frame_rect(ui, &cta, UI_PRIMARY, 3);
    ui_label(ui, app_s(a, "claim.scan"), UI_TITLE, UI_PRIMARY, &cta,
             TEXT_CENTER, 2, true);
}

static void draw_role(struct app *a, SDL_Rect c)
{
    struct claim_state *s = st(a);
    struct ui *ui = a->ui;
    struct member m;
    bool deputy_free = false;
    int gap = ui_u(ui, 10), bh = ui_touch_h(ui, UI_TITLE, 1);
    post_claim_open(a->store, s->post_id, &deputy_free);
    SDL_Rect q = { c.x, c.y, c.w, c.h / 3 };
    ui_label(ui, app_sfmt(a, "claim.choose_role",
                          store_member_get(a->store, s->member_no, &m)
                          == ERR_OK ? m.name : s->member_no),
             UI_BIG, UI_TEXT, &q, TEXT_CENTER, 2, true);
    SDL_Rect row = { c.x, c.y + c.h / 3 + gap, c.w, bh };
    int cols = deputy_free ? 2 : 1;
    SDL_Rect b0 = widget_cell(row, cols, 1, 0, gap);
    if (!deputy_free)
        b0 = (SDL_Rect){ c.x + c.w / 4, row.y, c.w / 2, bh };
    widget_button(ui, "role.member", app_s(a, "claim.as_member"), b0,
                  WIDGET_PRIMARY);
    if (deputy_free)
        widget_button(ui, "role.deputy", app_s(a, "claim.as_deputy"),
                      widget_cell(row, cols, 1, 1, gap), WIDGET_PRIMARY);
    SDL_Rect note = { c.x, row.y + bh + gap, c.w,
                      c.y + c.h - row.y - bh - gap };
    ui_label(ui, app_s(a, "claim.review_note"), UI_BODY, UI_MUTED, &note,
             TEXT_CENTER, 2, true);
}

static void draw_pick(struct app *a, SDL_Rect c)
{
    static const char *const roles[] = { "head", "deputy", "member" };
    struct claim_state *s = st(a);
    struct ui *ui = a->ui;
    struct post_holder h[HOLDERS_MAX];
    struct widget_row rows[HOLDERS_MAX];
    size_t n = 0;
    int lh = text_line_height(ui_text(ui), ui_px(ui, UI_BIG)) +
             ui_u(ui, 10);
    if (store_post_holders(a->store, s->post_id, h, HOLDERS_MAX, &n)
        != ERR_OK)
        n = 0;
    SDL_Rect q = { c.x, c.y, c.w, lh };
    ui_label(ui, app_s(a, "claim.pick"), UI_BIG, UI_TEXT, &q, TEXT_LEFT, 1,
             true);
    for (size_t i = 0; i < n; i++)
        rows[i] = (struct widget_row){
            .title = h[i].name,
            .right = feed_role(a, roles[h[i].role % 3]),
            .right_color = UI_MUTED,
            .avatar = h[i].name,
            .photo = app_fmt(a, "member/%s", h[i].member_no),
        };
    SDL_Rect list = { c.x, c.y + lh, c.w, c.h - lh };
    widget_list(ui, "holder", rows, (int)n, 0, list, app_s(a, "btn.prev"),
                app_s(a, "btn.next"));
}

static void draw_msg(struct app *a, SDL_Rect c)
{
    struct claim_state *s = st(a);
    struct ui *ui = a->ui;
    int gap = ui_u(ui, 10), bh = ui_touch_h(ui, UI_BIG, 1), r = c.h / 6;
    SDL_Rect msg = { c.x, c.y + 2 * r + gap, c.w,
                     c.h - 2 * r - bh - 2 * gap };
    SDL_Rect b = { c.x + c.w / 4, c.y + c.h - bh, c.w / 2, bh };
    widget_icon(ui, s->ok ? ICON_OK : ICON_ERR, c.x + c.w / 2, c.y + r, r);
    ui_label(ui, app_s(a, s->msg_key), UI_TITLE, UI_TEXT, &msg,
             TEXT_CENTER, 3, true);
    widget_button(ui, "done", app_s(a, "btn.done"), b, WIDGET_PRIMARY);
}

static void draw(struct app *a)
{
    struct claim_state *s = st(a);
    struct post p;
    const char *name = store_post_get(a->store, s->post_id, &p) == ERR_OK
                       ? p.name : s->post_id;
    SDL_Rect c = widget_header(a->ui, app_sfmt(a, s->swap ? "claim.swap_title"
                                                          : "claim.title",
                                               name),
                               app_s(a, "btn.back"), NULL);
    switch (s->step) {
    case STEP_SCAN: draw_scan(a, c); break;
    case STEP_ROLE: draw_role(a, c); break;
    case STEP_PICK: draw_pick(a, c); break;
    default:        draw_msg(a, c);  break;
    }
}

/* ---- My record's part -------------------------------------------------- */

int post_claim_record_rows(struct app *a, const char *member_no,
                           struct widget_row *rows, int cap)
{
    static const char *const state[] = { "claim.pending", "claim.approved",
                                         "claim.declined" };
    static const enum ui_color col[] = { UI_PRIMARY, UI_OK, UI_ERR };
    static const char *const roles[] = { "head", "deputy", "member" };
    struct post_claim c[4];
    size_t n = 0;
    int k = 0;
    if (cap <= 0 ||
        store_claims_for(a->store, member_no, c, 4, &n) != ERR_OK)
        return 0;
    for (size_t i = 0; i < n && k < cap; i++) {
        struct post p, q;
        const char *name = store_post_get(a->store, c[i].post_id, &p)
                           == ERR_OK ? p.name : c[i].post_id;
        const char *title;
        if (c[i].kind == CHANGE_CLAIM_SWAP) {
            struct member m;
            title = app_sfmt(a, "claim.rec_swap", name,
                             store_post_get(a->store, c[i].other_post, &q)
                             == ERR_OK ? q.name : c[i].other_post,
                             store_member_get(a->store, c[i].other_no, &m)
                             == ERR_OK ? m.name : c[i].other_no);
        } else {
            title = app_sfmt(a, "claim.rec_claim", name,
                             feed_role(a, roles[c[i].role % 3]));
        }
        rows[k++] = (struct widget_row){
            .title = title, .right = app_s(a, state[c[i].state % 3]),
            .right_color = col[c[i].state % 3],
        };
        /* A decline's reason a row of its own: the whole width. */
        if (c[i].state == CHANGE_CLAIM_DECLINED && c[i].reason[0] &&
            k < cap)
            rows[k++] = (struct widget_row){
                .title = app_sfmt(a, "claim.declined_why",
                                  claim_why(a, c[i].reason)),
            };
    }
    return k;
}

const struct screen_ops screen_claim_ops = {
    .name = "claim",
    .idle = IDLE_PRIVATE,
    .state_size = sizeof(struct claim_state),
    .leave = leave,
    .event = event,
    .draw = draw,
    .scan = scan,
};
