/* ui/screen_wish.c - the small-wish wall (微心愿): open wishes, anonymised
 * (type, building, the short text: never a name or a number), that a
 * member claims with their card (认领); a member's card on the wall shows
 * the wishes they claimed here, to mark one done. The hub decides
 * between two kiosks' claims of one wish; the member who lost sees it in
 * My record after the next sync (wish_record_rows). */
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "ui/screen_ticket.h"

enum step { STEP_WALL, STEP_DETAIL, STEP_MINE, STEP_MSG };

#define WALL_MAX 48
#define MINE_MAX 16

struct wish_state {
    enum step     step;
    int           page;
    struct ticket wish;                  /* the one tapped */
    char          member_no[STORE_MEMBER_NO];
    char          msg_key[48];
    bool          ok;
};

static struct wish_state *st(struct app *a)
{
    return app_state(a, &screen_wish_ops);
}

void screen_wish_open(struct app *a)
{
    memset(st(a), 0, sizeof(struct wish_state));
    app_go(a, &screen_wish_ops);
}

static void leave(struct app *a)
{
    struct wish_state *s = st(a);
    s->member_no[0] = '\0';               /* a member's list is private */
    s->step = STEP_WALL;
}

static void message(struct app *a, bool ok, const char *key)
{
    struct wish_state *s = st(a);
    s->ok = ok;
    str_copy(s->msg_key, sizeof s->msg_key, key);
    s->step = STEP_MSG;
    if (a->board)
        board_signal(a->board, ok ? BOARD_SIGNAL_OK : BOARD_SIGNAL_ERROR);
}

static const char *why_key(struct app *a, const char *why)
{
    return app_fmt(a, "ledger.why.%s", why ? why : "failed");
}

static void claim(struct app *a, const char *member_no)
{
    struct wish_state *s = st(a);
    struct stamp now;
    const char *why = NULL;
    app_stamp(a, &now);
    err_code e = wish_claim(a->store, s->wish.ticket, member_no, &now, &why);
    if (e == ERR_OK) {
        app_stored(a);
        message(a, true, "ledger.claimed");
    } else {
        message(a, false, why_key(a, why));
    }
}

static size_t mine(struct app *a, struct wish_claim *out)
{
    size_t n = 0;
    if (store_wish_claims_for(a->store, st(a)->member_no, out, MINE_MAX, &n)
        != ERR_OK)
        n = 0;
    return n;
}

static void done(struct app *a, int i)
{
    struct wish_claim c[MINE_MAX];
    struct stamp now;
    const char *why = NULL;
    size_t n = mine(a, c);
    if (i < 0 || (size_t)i >= n)
        return;
    app_stamp(a, &now);
    err_code e = wish_done(a->store, c[i].t.ticket, st(a)->member_no, "",
                           &now, &why);
    if (e == ERR_OK) {
        app_stored(a);
        message(a, true, "ledger.marked_done");
    } else {
        message(a, false, why_key(a, why));
    }
}

/* A card on the wall: the member's claims; on a wish: claim it. */
static void scan(struct app *a, const char *member_no)
{
    struct wish_state *s = st(a);
    if (s->step == STEP_DETAIL) {
        claim(a, member_no);
        return;
    }
    str_copy(s->member_no, sizeof s->member_no, member_no);
    s->page = 0;
    s->step = STEP_MINE;
}

static void event(struct app *a, const char *id)
{
    struct wish_state *s = st(a);
    struct ticket w[WALL_MAX];
    size_t n = 0;
    if (strcmp(id, "back") == 0 || strcmp(id, "done") == 0) {
        if (s->step == STEP_WALL)
            app_go(a, &screen_home_ops);
        else {
            s->step = STEP_WALL;
            s->member_no[0] = '\0';
        }
    } else if (strcmp(id, "new") == 0) {
        screen_request_open(a, LEDGER_WISH);
    } else if (strcmp(id, "page.next") == 0) {
        s->page++;
    } else if (strcmp(id, "page.prev") == 0 && s->page > 0) {
        s->page--;
    } else if (s->step == STEP_WALL && strncmp(id, "wish.", 5) == 0) {
        int i = atoi(id + 5);
        if (store_wishes_open(a->store, w, WALL_MAX, &n) == ERR_OK &&
            i >= 0 && (size_t)i < n) {
            s->wish = w[i];
            s->step = STEP_DETAIL;
        }
    } else if (s->step == STEP_MINE && strncmp(id, "mine.", 5) == 0) {
        done(a, atoi(id + 5));
    }
}

/* ---- drawing ----------------------------------------------------------- */

static void draw_wall(struct app *a, SDL_Rect c)
{
    struct ui *ui = a->ui;
    struct ticket w[WALL_MAX];
    struct widget_row rows[WALL_MAX];
    size_t n = 0;
    int gap = ui_u(ui, 10), bh = ui_touch_h(ui, UI_BIG, 1);
    if (store_wishes_open(a->store, w, WALL_MAX, &n) != ERR_OK)
        n = 0;
    for (size_t i = 0; i < n; i++)
        rows[i] = (struct widget_row){
            .title = app_fmt(a, "%s", w[i].text),
            .detail = app_fmt(a, "%s · %s", ticket_type_name(a, w[i].type),
                              ticket_place(a, w[i].building, "")),
            .right = app_s(a, "ledger.claim_it"),
            .right_color = UI_PRIMARY,
        };
    SDL_Rect list = { c.x, c.y, c.w, c.h - bh - gap };
    SDL_Rect bar = { c.x, c.y + c.h - bh, c.w, bh };
    if (n == 0)
        ui_label(ui, app_s(a, "ledger.wall_empty"), UI_BIG, UI_MUTED, &list,
                 TEXT_CENTER, 3, true);
    else
        widget_list(ui, "wish", rows, (int)n, st(a)->page, list,
                    app_s(a, "btn.prev"), app_s(a, "btn.next"));
    SDL_Rect hint = widget_cell(bar, 2, 1, 0, gap);
    ui_label(ui, app_s(a, "ledger.wall_hint"), UI_BODY, UI_MUTED, &hint,
             TEXT_LEFT, 1, true);
    widget_button(ui, "new", app_s(a, "ledger.make_wish"),
                  widget_cell(bar, 2, 1, 1, gap), WIDGET_PRIMARY);
}

static void draw_detail(struct app *a, SDL_Rect c)
{
    struct wish_state *s = st(a);
    struct ui *ui = a->ui;
    int gap = ui_u(ui, 10);
    struct widget_row rows[3] = {
        { .title = app_s(a, "ledger.r_type"),
          .right = ticket_type_name(a, s->wish.type), .right_color = UI_TEXT },
        { .title = app_s(a, "ledger.r_place"),
          .right = ticket_place(a, s->wish.building, ""),
          .right_color = UI_TEXT },
        { .title = app_s(a, "ledger.r_text"), .detail = s->wish.text },
    };
    SDL_Rect list = { c.x, c.y, c.w, c.h * 3 / 5 };
    widget_list(ui, NULL, rows, 3, 0, list, NULL, NULL);
    SDL_Rect cta = { c.x, c.y + c.h * 3 / 5 + gap, c.w, c.h * 2 / 5 - gap };
    ui_fill(ui, &cta, UI_SURFACE);
    ui_frame_rect(ui, &cta, UI_PRIMARY, 3);
    ui_label(ui, app_s(a, "ledger.scan_to_claim"), UI_TITLE, UI_PRIMARY,
             &cta, TEXT_CENTER, 2, true);
}

static const char *claim_status(struct app *a, const struct wish_claim *c,
                                enum ui_color *col)
{
    *col = UI_PRIMARY;
    switch (wish_claim_state(c)) {
    case WISH_CLAIM_SENT:
        return app_s(a, c->done_ms ? "ledger.wish_state.answered"
                                   : "ledger.claim_sent");
    case WISH_CLAIM_LOST:
        *col = UI_MUTED;
        return app_s(a, "ledger.claim_lost");
    default:
        break;
    }
    if (c->t.state == LEDGER_CLOSED) {
        *col = UI_OK;
        return app_sfmt(a, "ledger.closed_points", c->t.points);
    }
    return ticket_state_name(a, c->t.kind, c->t.state);
}

int wish_record_rows(struct app *a, const char *member_no,
                     struct widget_row *rows, int cap)
{
    struct wish_claim c[MINE_MAX];
    size_t n = 0;
    int k = 0;
    if (store_wish_claims_for(a->store, member_no, c, MINE_MAX, &n)
        != ERR_OK)
        return 0;
    for (size_t i = 0; i < n && k < cap; i++, k++) {
        enum ui_color col;
        const char *status = claim_status(a, &c[i], &col);
        rows[k] = (struct widget_row){
            .title = app_sfmt(a, "ledger.rec_wish", c[i].t.text),
            .right = status, .right_color = col,
        };
    }
    return k;
}

static void draw_mine(struct app *a, SDL_Rect c)
{
    struct ui *ui = a->ui;
    struct wish_claim w[MINE_MAX];
    struct widget_row rows[MINE_MAX];
    size_t n = mine(a, w);
    for (size_t i = 0; i < n; i++) {
        /* Done once, or again when the resident was not satisfied. */
        bool can = wish_claim_state(&w[i]) != WISH_CLAIM_LOST &&
                   ledger_step_ok(LEDGER_WISH, w[i].t.state,
                                  LEDGER_STEP_ANSWER) &&
                   (!w[i].done_ms || w[i].t.state == LEDGER_REOPENED);
        enum ui_color col = UI_PRIMARY;
        const char *status = can ? app_s(a, "ledger.mark_done")
                                 : claim_status(a, &w[i], &col);
        rows[i] = (struct widget_row){
            .title = app_fmt(a, "%s", w[i].t.text),
            .detail = ticket_place(a, w[i].t.building, ""),
            .right = status, .right_color = col,
        };
    }
    if (n == 0)
        ui_label(ui, app_s(a, "ledger.mine_empty"), UI_BIG, UI_MUTED, &c,
                 TEXT_CENTER, 3, true);
    else
        widget_list(ui, "mine", rows, (int)n, st(a)->page, c,
                    app_s(a, "btn.prev"), app_s(a, "btn.next"));
}

static void draw_msg(struct app *a, SDL_Rect c)
{
    struct wish_state *s = st(a);
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
    struct wish_state *s = st(a);
    struct member m;
    const char *title = app_s(a, "ledger.wall_title");
    if (s->step == STEP_DETAIL)
        title = app_s(a, "ledger.detail_title");
    else if (s->step == STEP_MINE)
        title = store_member_get(a->store, s->member_no, &m) == ERR_OK
                ? app_sfmt(a, "ledger.mine_title", m.name)
                : app_s(a, "ledger.wall_title");
    SDL_Rect c = widget_header(a->ui, title, app_s(a, "btn.back"), NULL);
    switch (s->step) {
    case STEP_WALL:   draw_wall(a, c);   break;
    case STEP_DETAIL: draw_detail(a, c); break;
    case STEP_MINE:   draw_mine(a, c);   break;
    default:          draw_msg(a, c);    break;
    }
}

const struct screen_ops screen_wish_ops = {
    .name = "wish",
    .idle = IDLE_HOME,
    .state_size = sizeof(struct wish_state),
    .leave = leave,
    .event = event,
    .draw = draw,
    .scan = scan,
};
