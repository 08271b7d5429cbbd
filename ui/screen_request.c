/* ui/screen_request.c - filing a request (我要反映) or a small wish (微心愿)
 * without a card, in steps a 70-year-old can follow: the type (the hub's
 * list), the building and unit (the contacts data), the description (a
 * preset of the type, or written with the text entry), an optional
 * callback phone on the keypad (never shown: dots only), a review, and
 * the ticket with its PIN, large, with the receipt printed or, when it
 * cannot be, the advice to note both. */
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "ui/screen_ticket.h"
#include "ui/textentry.h"

enum step { STEP_TYPE, STEP_BUILDING, STEP_UNIT, STEP_TEXT, STEP_PHONE,
            STEP_REVIEW, STEP_DONE };

#define TYPES_MAX 12
#define PLACES_MAX 24

struct request_state {
    enum ledger_kind    kind;
    enum step           step;
    char                type[32];
    char                building[16], unit[16];
    char                text[LEDGER_TEXT_BYTES];
    char                phone[LEDGER_PHONE];  /* cleared on leaving */
    struct ticket_filed filed;                /* PIN cleared on leaving */
    bool                saved, printed;
    bool                writing;              /* off to the text entry */
    const char         *why;                  /* a refusal (static text) */
};

static struct request_state *st(struct app *a)
{
    return app_state(a, &screen_request_ops);
}

void screen_request_open(struct app *a, enum ledger_kind kind)
{
    struct request_state *s = st(a);
    memset(s, 0, sizeof *s);
    s->kind = kind;
    app_go(a, &screen_request_ops);
}

static void enter(struct app *a)
{
    struct request_state *s = st(a);
    char text[TEXTENTRY_BYTES];
    if (textentry_take(a, &screen_request_ops, NULL, text, sizeof text) ==
        TEXTENTRY_DONE && text[0]) {
        str_copy(s->text, sizeof s->text, text);
        s->step = STEP_PHONE;
    }
}

/* Nothing private outlives the screen: the phone and the PIN. */
static void leave(struct app *a)
{
    struct request_state *s = st(a);
    if (s->writing) {                        /* it comes back to us */
        s->writing = false;
        return;
    }
    memset(s->phone, 0, sizeof s->phone);
    memset(s->filed.pin, 0, sizeof s->filed.pin);
}

static int tile_index(const char *id, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(id, prefix, n) != 0 || id[n] != '.')
        return -1;
    return atoi(id + n + 1);
}

static size_t types(struct app *a, struct ledger_type *out)
{
    size_t n = 0;
    if (store_ledger_types(a->store, st(a)->kind, out, TYPES_MAX, &n)
        != ERR_OK)
        n = 0;
    return n;
}

static void submit(struct app *a)
{
    struct request_state *s = st(a);
    struct stamp now;
    struct ticket t;
    struct ticket_request rq = { .kind = s->kind, .type = s->type,
                                 .building = s->building, .unit = s->unit,
                                 .text = s->text, .phone = s->phone };
    app_stamp(a, &now);
    err_code e = ticket_file(a->store, &a->cfg, &rq, &now, &s->why,
                             &s->filed);
    memset(s->phone, 0, sizeof s->phone);
    s->saved = e == ERR_OK;
    s->printed = false;
    if (s->saved) {
        app_stored(a);
        if (store_ticket_get(a->store, s->filed.ticket, &t) == ERR_OK)
            s->printed = ticket_print(a, &t, &s->filed);
    } else if (!s->why) {
        s->why = "failed";
    }
    s->step = STEP_DONE;
    if (a->board)
        board_signal(a->board, s->saved ? BOARD_SIGNAL_OK
                                        : BOARD_SIGNAL_ERROR);
}

static void pick_type(struct app *a, int i)
{
    struct request_state *s = st(a);
    struct ledger_type t[TYPES_MAX];
    size_t n = types(a, t);
    if (i < 0 || (size_t)i >= n)
        return;
    str_copy(s->type, sizeof s->type, t[i].code);
    s->step = ticket_has_places(a) ? STEP_BUILDING
                                   : STEP_TEXT;  /* no contacts: no place */
}

static void pick_building(struct app *a, int i)
{
    struct request_state *s = st(a);
    int units = ticket_pick_building(a, i, s->building, s->unit);
    if (units >= 0)
        s->step = units ? STEP_UNIT : STEP_TEXT;
}

static void pick_unit(struct app *a, int i)
{
    struct request_state *s = st(a);
    if (ticket_pick_unit(a, s->building, i, s->unit))
        s->step = STEP_TEXT;
}

static void write_text(struct app *a)
{
    struct request_state *s = st(a);
    struct ledger_type t;
    const char *presets[CHANGE_PRESETS];
    int n = 0;
    if (store_ledger_type_get(a->store, s->type, &t) == ERR_OK)
        for (; n < t.n_presets; n++)
            presets[n] = t.presets[n];
    struct textentry_request rq = {
        .title_key = "ledger.write_title", .max_chars = LEDGER_TEXT_CHARS,
        .initial = s->text, .presets = presets, .n_presets = n,
    };
    st(a)->writing = true;
    textentry_open(a, &rq);
}

static void pick_text(struct app *a, int i)
{
    struct request_state *s = st(a);
    struct ledger_type t;
    if (store_ledger_type_get(a->store, s->type, &t) != ERR_OK || i < 0 ||
        i >= t.n_presets)
        return;
    str_copy(s->text, sizeof s->text, t.presets[i]);
    s->step = STEP_PHONE;
}

static void phone_key(struct app *a, const char *k)
{
    struct request_state *s = st(a);
    size_t n = strlen(s->phone);
    if (strcmp(k, "del") == 0) {
        if (n > 0)
            s->phone[n - 1] = '\0';
    } else if (strcmp(k, "ok") == 0) {
        if (ledger_phone_ok(s->phone))
            s->step = STEP_REVIEW;
    } else if (k[0] >= '0' && k[0] <= '9' && !k[1] &&
               n + 1 < sizeof s->phone && n < 15) {
        s->phone[n] = k[0];
        s->phone[n + 1] = '\0';
    }
}

static void back(struct app *a)
{
    struct request_state *s = st(a);
    switch (s->step) {
    case STEP_TYPE:
    case STEP_DONE:
        if (s->kind == LEDGER_WISH)
            screen_wish_open(a);
        else
            app_go(a, &screen_home_ops);
        return;
    case STEP_TEXT: {
        char u[PLACES_MAX][16];
        size_t nu = 0;
        if (!s->building[0])
            s->step = STEP_TYPE;
        else if (store_units(a->store, s->building, u, PLACES_MAX, &nu)
                 == ERR_OK && nu > 0)
            s->step = STEP_UNIT;
        else
            s->step = STEP_BUILDING;
        return;
    }
    default:
        s->step--;
    }
}

static void event(struct app *a, const char *id)
{
    struct request_state *s = st(a);
    int i;
    if (strcmp(id, "back") == 0)
        back(a);
    else if (strcmp(id, "done") == 0)
        back(a);
    else if (strcmp(id, "status") == 0)
        screen_ticket_open(a);
    else if (s->step == STEP_TYPE && (i = tile_index(id, "type")) >= 0)
        pick_type(a, i);
    else if (s->step == STEP_BUILDING && (i = tile_index(id, "bldg")) >= 0)
        pick_building(a, i);
    else if (s->step == STEP_UNIT && (i = tile_index(id, "unit")) >= 0)
        pick_unit(a, i);
    else if (s->step == STEP_TEXT && strcmp(id, "write") == 0)
        write_text(a);
    else if (s->step == STEP_TEXT && (i = tile_index(id, "note")) >= 0)
        pick_text(a, i);
    else if (s->step == STEP_PHONE && strncmp(id, "key.", 4) == 0)
        phone_key(a, id + 4);
    else if (s->step == STEP_PHONE && strcmp(id, "skip") == 0) {
        s->phone[0] = '\0';
        s->step = STEP_REVIEW;
    } else if (s->step == STEP_REVIEW && strcmp(id, "edit") == 0)
        s->step = STEP_TEXT;
    else if (s->step == STEP_REVIEW && strcmp(id, "submit") == 0)
        submit(a);
}

/* ---- drawing ----------------------------------------------------------- */

static int cols(struct app *a, int n)
{
    if (ui_portrait(a->ui))
        return 2;
    return n > 9 || (ui_large(a->ui) && n > 6) ? 4 : n > 4 ? 3 : 2;
}

static void draw_types(struct app *a, SDL_Rect c)
{
    struct ui *ui = a->ui;
    struct ledger_type t[TYPES_MAX];
    const char *labels[TYPES_MAX];
    size_t n = types(a, t);
    int gap = ui_u(ui, 10), bh = ui_touch_h(ui, UI_BIG, 1);
    SDL_Rect tiles = c;
    if (st(a)->kind == LEDGER_REQUEST)
        tiles.h -= bh + gap;
    for (size_t i = 0; i < n; i++)
        labels[i] = ticket_type_name(a, t[i].code);
    if (n == 0)
        ui_label(ui, app_s(a, "ledger.no_types"), UI_BIG, UI_MUTED, &tiles,
                 TEXT_CENTER, 3, true);
    else
        widget_tiles(ui, "type", labels, (int)n, -1, tiles, cols(a, (int)n));
    if (st(a)->kind == LEDGER_REQUEST) {
        SDL_Rect b = { c.x, c.y + c.h - bh, c.w, bh };
        widget_button(ui, "status", app_s(a, "ledger.check_status"), b,
                      WIDGET_PLAIN);
    }
}

static void draw_places(struct app *a, SDL_Rect c, bool units)
{
    struct request_state *s = st(a);
    char p[PLACES_MAX][16];
    const char *labels[PLACES_MAX + 1];
    size_t n = 0;
    int k = 0;
    err_code e = units ? store_units(a->store, s->building, p, PLACES_MAX,
                                     &n)
                       : store_buildings(a->store, p, PLACES_MAX, &n);
    if (e != ERR_OK)
        n = 0;
    if (units)
        labels[k++] = app_s(a, "ledger.whole_building");
    for (size_t i = 0; i < n; i++)
        labels[k++] = app_sfmt(a, units ? "contacts.unit_n" : "contacts.bldg",
                               p[i]);
    widget_tiles(a->ui, units ? "unit" : "bldg", labels, k, -1, c,
                 cols(a, k));
}

static void draw_text(struct app *a, SDL_Rect c)
{
    struct request_state *s = st(a);
    struct ui *ui = a->ui;
    struct ledger_type t;
    const char *labels[CHANGE_PRESETS];
    int n = 0, gap = ui_u(ui, 10), bh = ui_touch_h(ui, UI_BIG, 1);
    if (store_ledger_type_get(a->store, s->type, &t) == ERR_OK)
        for (; n < t.n_presets; n++)
            labels[n] = t.presets[n];
    SDL_Rect tiles = { c.x, c.y, c.w, c.h - bh - gap };
    SDL_Rect b = { c.x, c.y + c.h - bh, c.w, bh };
    widget_tiles(ui, "note", labels, n, -1, tiles, ui_portrait(ui) ? 1 : 2);
    widget_button(ui, "write", app_s(a, "ledger.write"), b, WIDGET_PRIMARY);
}

static void draw_phone(struct app *a, SDL_Rect c)
{
    struct request_state *s = st(a);
    struct ui *ui = a->ui;
    int gap = ui_u(ui, 12), bh = ui_touch_h(ui, UI_BIG, 1);
    bool port = ui_portrait(ui);
    SDL_Rect left = port ? (SDL_Rect){ c.x, c.y, c.w, c.h * 2 / 5 - gap }
                         : (SDL_Rect){ c.x, c.y, c.w / 2 - gap, c.h };
    SDL_Rect pad = port ? (SDL_Rect){ c.x, c.y + c.h * 2 / 5, c.w,
                                      c.h * 3 / 5 }
                        : (SDL_Rect){ c.x + c.w / 2, c.y, c.w / 2, c.h };
    char dots[3 * 16 + 1] = "";
    /* Never the digits: one dot each, so the count can be checked. */
    for (size_t i = 0; s->phone[i]; i++)
        strcat(dots, "●");
    int lh = ui_touch_h(ui, UI_HUGE, 1);
    SDL_Rect box = { left.x, left.y, left.w, lh };
    ui_fill(ui, &box, UI_SURFACE);
    ui_frame_rect(ui, &box, UI_BORDER, 2);
    SDL_Rect din = widget_inset(box, ui_u(ui, 8));
    ui_label(ui, dots[0] ? dots : app_s(a, "ledger.phone_empty"),
             dots[0] ? widget_fit(ui, dots, din.w, 1, UI_TITLE, UI_BODY)
                     : UI_BODY, dots[0] ? UI_TEXT : UI_MUTED,
             &box, TEXT_CENTER, 1, true);
    SDL_Rect hint = { left.x, left.y + lh + gap, left.w,
                      left.h - lh - 2 * gap - bh };
    ui_label(ui, app_s(a, "ledger.phone_hint"), UI_BODY, UI_TEXT, &hint,
             TEXT_LEFT, 4, false);
    SDL_Rect skip = { left.x, left.y + left.h - bh, left.w, bh };
    widget_button(ui, "skip", app_s(a, "ledger.phone_skip"), skip,
                  WIDGET_PLAIN);
    widget_keypad(ui, pad, app_s(a, "key.del"), app_s(a, "key.ok"));
}

static void draw_review(struct app *a, SDL_Rect c)
{
    struct request_state *s = st(a);
    struct ui *ui = a->ui;
    int gap = ui_u(ui, 10), bh = ui_touch_h(ui, UI_BIG, 1);
    struct widget_row rows[4] = {
        { .title = app_s(a, "ledger.r_type"),
          .right = ticket_type_name(a, s->type) },
        { .title = app_s(a, "ledger.r_place"),
          .right = ticket_place(a, s->building, s->unit) },
        { .title = app_s(a, "ledger.r_text"), .detail = s->text },
        { .title = app_s(a, "ledger.r_phone"),
          .right = app_s(a, s->phone[0] ? "ledger.phone_given"
                                        : "ledger.phone_none") },
    };
    for (int i = 0; i < 4; i++)
        rows[i].right_color = UI_TEXT;
    SDL_Rect list = { c.x, c.y, c.w, c.h - bh - gap };
    SDL_Rect bar = { c.x, c.y + c.h - bh, c.w, bh };
    widget_list(ui, NULL, rows, 4, 0, list, NULL, NULL);
    widget_button(ui, "edit", app_s(a, "ledger.edit"),
                  widget_cell(bar, 2, 1, 0, gap), WIDGET_PLAIN);
    widget_button(ui, "submit", app_s(a, "ledger.submit"),
                  widget_cell(bar, 2, 1, 1, gap), WIDGET_PRIMARY);
}

static void draw_done(struct app *a, SDL_Rect c)
{
    struct request_state *s = st(a);
    struct ui *ui = a->ui;
    int gap = ui_u(ui, 10), bh = ui_touch_h(ui, UI_BIG, 1);
    SDL_Rect b = { c.x + c.w / 4, c.y + c.h - bh, c.w / 2, bh };
    if (!s->saved) {
        int r = c.h / 6;
        SDL_Rect msg = { c.x, c.y + 2 * r + gap, c.w, c.h - 2 * r - bh - 2 *
                         gap };
        widget_icon(ui, ICON_ERR, c.x + c.w / 2, c.y + r, r);
        ui_label(ui, app_s(a, app_fmt(a, "ledger.why.%s", s->why)),
                 UI_TITLE, UI_TEXT, &msg, TEXT_CENTER, 3, true);
        widget_button(ui, "done", app_s(a, "btn.done"), b, WIDGET_PRIMARY);
        return;
    }
    int big = ui_touch_h(ui, UI_HUGE, 1), lh = ui_touch_h(ui, UI_BODY, 1);
    SDL_Rect l1 = { c.x, c.y, c.w / 2 - gap, lh };
    SDL_Rect l2 = { c.x + c.w / 2, c.y, c.w / 2, lh };
    SDL_Rect v1 = { c.x, c.y + lh, c.w / 2 - gap, big };
    SDL_Rect v2 = { c.x + c.w / 2, c.y + lh, c.w / 2, big };
    ui_label(ui, app_s(a, "ledger.ticket_no"), UI_BODY, UI_MUTED, &l1,
             TEXT_CENTER, 1, true);
    ui_label(ui, app_s(a, "ledger.pin"), UI_BODY, UI_MUTED, &l2,
             TEXT_CENTER, 1, true);
    ui_fill(ui, &v1, UI_SURFACE);
    ui_fill(ui, &v2, UI_SURFACE);
    ui_label(ui, s->filed.ticket, UI_HUGE, UI_PRIMARY, &v1, TEXT_CENTER, 1,
             true);
    ui_label(ui, s->filed.pin, UI_HUGE, UI_PRIMARY, &v2, TEXT_CENTER, 1,
             true);
    SDL_Rect msg = { c.x, v1.y + big + gap, c.w,
                     c.y + c.h - bh - gap - (v1.y + big + gap) };
    const char *text = app_fmt(a, "%s\n%s",
        app_s(a, s->printed ? "ledger.printed" : "ledger.not_printed"),
        app_s(a, s->kind == LEDGER_WISH ? "ledger.next_wish"
                                        : "ledger.next"));
    ui_label(ui, text, UI_BIG, s->printed ? UI_TEXT : UI_ERR, &msg,
             TEXT_CENTER, 4, true);
    widget_button(ui, "done", app_s(a, "btn.done"), b, WIDGET_PRIMARY);
}

static void draw(struct app *a)
{
    static const char *const titles[] = { "ledger.pick_type",
        "ledger.pick_building", "ledger.pick_unit", "ledger.pick_text",
        "ledger.phone_title", "ledger.review", "ledger.done_title" };
    struct request_state *s = st(a);
    const char *title = s->step == STEP_TYPE && s->kind == LEDGER_WISH
        ? app_s(a, "ledger.pick_wish_type") : app_s(a, titles[s->step]);
    /* Which desk this is, on the first step only: later titles are long. */
    SDL_Rect c = widget_header(a->ui, title, app_s(a, "btn.back"),
        s->step != STEP_TYPE ? NULL
        : app_s(a, s->kind == LEDGER_WISH ? "home.wish" : "home.request"));
    switch (s->step) {
    case STEP_TYPE:     draw_types(a, c);          break;
    case STEP_BUILDING: draw_places(a, c, false);  break;
    case STEP_UNIT:     draw_places(a, c, true);   break;
    case STEP_TEXT:     draw_text(a, c);           break;
    case STEP_PHONE:    draw_phone(a, c);          break;
    case STEP_REVIEW:   draw_review(a, c);         break;
    default:            draw_done(a, c);           break;
    }
}

const struct screen_ops screen_request_ops = {
    .name = "request",
    .idle = IDLE_HOME,
    .state_size = sizeof(struct request_state),
    .enter = enter,
    .leave = leave,
    .event = event,
    .draw = draw,
};
