/* ui/screen_help.c - how to use the kiosk, in four steps with their
 * icons, and 呼叫工作人员: the call is stored as an event for the hub
 * (firmware/staff_call.h), the buzzer sounds, and the screen says staff
 * are coming, counting down to home. */
#include <string.h>

#include "firmware/staff_call.h"
#include "ui/app.h"

#define CALL_SHOWN_S 30          /* the confirmation, then home */

enum call_state { CALL_NONE, CALL_MADE, CALL_AGAIN, CALL_FAILED };

struct help_state {
    enum call_state call;
    int             left_s;      /* countdown home, while a call shows */
};

static struct help_state *st(struct app *a)
{
    return app_state(a, &screen_help_ops);
}

static void enter(struct app *a)
{
    st(a)->call = CALL_NONE;
}

void screen_help_call(struct app *a, const char *where)
{
    struct help_state *s;
    struct stamp now;
    bool stored = false;
    err_code e;

    app_stamp(a, &now);
    e = staff_call(a->store, &now, where, &stored);
    if (a->board)
        board_signal(a->board, e == ERR_OK ? BOARD_SIGNAL_OK
                                           : BOARD_SIGNAL_ERROR);
    if (stored)
        app_stored(a);
    if (a->screen != &screen_help_ops)
        app_go(a, &screen_help_ops);
    s = st(a);
    s->call = e != ERR_OK ? CALL_FAILED : stored ? CALL_MADE : CALL_AGAIN;
    s->left_s = CALL_SHOWN_S;
    app_timer(a, 1000);
    a->dirty = true;
}

static void timer(struct app *a)
{
    struct help_state *s = st(a);

    if (s->call == CALL_NONE)
        return;
    if (--s->left_s <= 0) {
        app_go(a, &screen_home_ops);
        return;
    }
    app_timer(a, 1000);
}

/* One step: its icon in a square on the left, the sentence beside it. */
static void step(struct app *a, enum icon_glyph g, const char *text,
                 SDL_Rect r)
{
    struct ui *ui = a->ui;
    int side = r.h < ui_u(ui, 64) ? r.h : ui_u(ui, 64);
    SDL_Rect ic = { r.x, r.y, side, r.h };
    SDL_Rect tx = { r.x + side + ui_u(ui, 12), r.y,
                    r.w - side - ui_u(ui, 12), r.h };

    int fit = r.h / text_line_height(ui_text(ui), ui_px(ui, UI_BODY));
    enum ui_font f = widget_fit(ui, text, tx.w, fit > 0 ? fit : 1, UI_BODY,
                                UI_SMALL);
    int lines = widget_lines(ui, text, f, tx.w);

    widget_glyph(ui, g, UI_PRIMARY, ic, side * 4 / 5);
    ui_label(ui, text, f, UI_TEXT, &tx, TEXT_LEFT, lines, true);
}

static void draw_steps(struct app *a, SDL_Rect area)
{
    static const enum icon_glyph icons[4] = {
        GLYPH_QR_SCANNER, GLYPH_BADGE, GLYPH_ASSIGNMENT, GLYPH_EVENT_NOTE,
    };
    const char *keys[4] = {
        "help.scan", a->cfg.allow_member_number ? "help.number"
                                                : "help.no_number",
        "help.record", "help.boards",
    };
    int gap = ui_u(a->ui, 6);

    for (int i = 0; i < 4; i++)
        step(a, icons[i], app_s(a, keys[i]),
             widget_cell(area, 1, 4, i, gap));
}

static void draw_call(struct app *a, SDL_Rect area)
{
    static const char *const says[] = {
        [CALL_MADE] = "call.wait", [CALL_AGAIN] = "call.again",
        [CALL_FAILED] = "call.failed",
    };
    const struct help_state *s = st(a);
    struct ui *ui = a->ui;
    bool ok = s->call != CALL_FAILED;
    int big = ui_px(ui, UI_HUGE) * 3 / 2, lt = ui_touch_h(ui, UI_TITLE, 1);
    SDL_Rect ic = { area.x, area.y, area.w, big + ui_u(ui, 8) };
    SDL_Rect title = { area.x, ic.y + ic.h, area.w, lt };
    SDL_Rect body = { area.x, title.y + title.h, area.w,
                      ui_touch_h(ui, UI_BIG, 2) };
    SDL_Rect count = { area.x, body.y + body.h, area.w,
                       ui_touch_h(ui, UI_BODY, 1) };

    widget_glyph(ui, ok ? GLYPH_SUPPORT_AGENT : GLYPH_WARNING,
                 ok ? UI_OK : UI_ERR, ic, big);
    ui_label(ui, app_s(a, ok ? "call.title" : "home.call"), UI_TITLE,
             ok ? UI_OK : UI_ERR, &title, TEXT_CENTER, 1, true);
    ui_label(ui, app_s(a, says[s->call]), UI_BIG, UI_TEXT, &body,
             TEXT_CENTER, 2, true);
    ui_label(ui, app_sfmt(a, "count.home", s->left_s), UI_BODY, UI_TEXT,
             &count, TEXT_CENTER, 1, true);
}

static void draw(struct app *a)
{
    struct ui *ui = a->ui;
    const struct help_state *s = st(a);
    SDL_Rect area = widget_header(ui, app_s(a, "help.title"),
                                  app_s(a, "btn.back"), NULL);
    int gap = ui_u(ui, 12), bh = ui_touch_h(ui, UI_BIG, 1);
    SDL_Rect bar = { area.x, area.y + area.h - bh, area.w, bh };

    area.h -= bh + gap;
    if (s->call == CALL_NONE) {
        draw_steps(a, area);
        widget_icon_button(ui, "call", GLYPH_SUPPORT_AGENT,
                           app_s(a, "home.call"), bar, WIDGET_PRIMARY);
    } else {
        draw_call(a, area);
        widget_icon_button(ui, "home", GLYPH_HOME, app_s(a, "btn.home"),
                           bar, WIDGET_PLAIN);
    }
}

static void event(struct app *a, const char *id)
{
    if (strcmp(id, "back") == 0 || strcmp(id, "home") == 0)
        app_go(a, &screen_home_ops);
    else if (strcmp(id, "call") == 0)
        screen_help_call(a, "help");
}

const struct screen_ops screen_help_ops = {
    .name = "help",
    .idle = IDLE_HOME,
    .state_size = sizeof(struct help_state),
    .enter = enter,
    .event = event,
    .draw = draw,
    .timer = timer,
};
