/* ui/screen_home.c - the home screen: station, date and time, whether
 * the kiosk is online and how old its boards are, the big buttons with
 * their icons, where and how to scan (a drawing of the scanner), and
 * 呼叫工作人员 and help.
 * Tapping the station name five times quickly opens technician mode. */
#include <stdlib.h>
#include <string.h>

#include "ui/app.h"
#include "ui/feed.h"
#include "ui/screen_ticket.h"

#define HIDDEN_TAPS 5
#define HIDDEN_MS   4000

struct home_state {
    int      hidden_taps;       /* the technician gesture */
    uint64_t hidden_first_ms;
};

static struct home_state *st(struct app *a)
{
    return app_state(a, &screen_home_ops);
}

static const char *const boards[] = {
    "members", "posts", "duty", "contacts", "notices", "stars",
};

/* Newest board change, 0 if the boards were never loaded. */
static int64_t boards_updated(struct app *a)
{
    int64_t best = 0, ms;

    for (size_t i = 0; i < sizeof boards / sizeof boards[0]; i++)
        if (store_board_updated(a->store, boards[i], &ms) == ERR_OK &&
            ms > best)
            best = ms;
    return best;
}

static const char *status_line(struct app *a, bool with_boards)
{
    struct stamp now;
    struct store_sync_state ss;
    int64_t sync = 0, upd = boards_updated(a);
    bool online;

    app_stamp(a, &now);
    if (store_sync_state_get(a->store, &ss) == ERR_OK)
        sync = ss.last_sync_ms;
    online = sync > 0 && a->cfg.hub_host[0] &&
             now.wall_ms - sync < 3000LL * a->cfg.sync_interval_seconds;
    if (!with_boards)
        return app_s(a, online ? "home.online" : "home.offline");
    return app_fmt(a, "%s  ·  %s", app_s(a, online ? "home.online"
                                                   : "home.offline"),
                   upd ? app_sfmt(a, "home.updated",
                                  feed_age(a, now.wall_ms - upd))
                       : app_s(a, "home.never"));
}

static void draw_top(struct app *a, SDL_Rect *rest)
{
    struct ui *ui = a->ui;
    int y, mo, d, h, mi, wd, pad = ui_u(ui, 16);
    int top = ui_touch_h(ui, UI_TITLE, 1);
    char wkey[8];
    SDL_Rect bar = { 0, 0, ui_w(ui), top };

    app_local_time(a, &y, &mo, &d, &h, &mi, &wd);
    snprintf(wkey, sizeof wkey, "wd.%d", wd);
    ui_fill(ui, &bar, UI_BRAND);
    const char *clock = app_fmt(a, "%02d:%02d", h, mi);
    int cw = text_width(ui_text(ui), clock, ui_px(ui, UI_TITLE));
    SDL_Rect name = { pad, 0, ui_w(ui) - 3 * pad - cw, top };
    SDL_Rect tr = { ui_w(ui) - pad - cw, 0, cw, top };
    ui_label(ui, a->cfg.station_name, UI_TITLE, UI_ON_PRIMARY, &name,
             TEXT_LEFT, 1, true);
    ui_hit_add(ui, "station", &name);
    ui_label(ui, clock, UI_TITLE, UI_ON_PRIMARY, &tr, TEXT_RIGHT, 1, true);
    int lh = text_line_height(ui_text(ui), ui_px(ui, UI_BODY));
    SDL_Rect date = { pad, top + pad / 2, ui_w(ui) - 2 * pad, lh };
    const char *day = app_fmt(a, "%s  %s", app_sfmt(a, "fmt.ymd", y, mo, d),
                              app_s(a, wkey));
    int dw = text_width(ui_text(ui), day, ui_px(ui, UI_BODY)) + 2 * pad;
    SDL_Rect status = { date.x + dw, date.y, date.w - dw, date.h };
    const char *line = status_line(a, true);
    ui_label(ui, day, UI_BODY, UI_TEXT, &date, TEXT_LEFT, 1, false);
    if (text_width(ui_text(ui), line, ui_px(ui, UI_BODY)) > status.w)
        line = status_line(a, false);    /* no room: online or not */
    ui_label(ui, line, UI_BODY, UI_MUTED, &status, TEXT_RIGHT, 1, false);
    rest->x = pad;
    rest->y = date.y + lh + pad / 2;
    rest->w = ui_w(ui) - 2 * pad;
    rest->h = ui_h(ui) - rest->y - pad;
}

/* Where and how to scan, drawn: the kiosk's screen, the scanner window
 * just below it (the red line is its light), and a member card with its
 * QR code held to it. */
static void draw_scanner(struct app *a, SDL_Rect r)
{
    struct ui *ui = a->ui;
    int u = ui_u(ui, 1) > 0 ? ui_u(ui, 1) : 1;
    int kw = r.w * 5 / 10, kh = r.h;
    SDL_Rect body = { r.x, r.y, kw, kh };
    SDL_Rect screen = { body.x + 6 * u, body.y + 6 * u, kw - 12 * u,
                        kh * 55 / 100 };
    SDL_Rect slot = { body.x + kw / 4, screen.y + screen.h + kh / 10,
                      kw / 2, kh / 8 };
    SDL_Rect beam = { slot.x + 4 * u, slot.y + slot.h / 2 - u, slot.w - 8 * u,
                      2 * u };
    int cs = kh * 45 / 100;
    SDL_Rect card = { r.x + r.w - cs - 2 * u, slot.y + slot.h / 2 - cs / 2,
                      cs, cs };

    if (card.y + card.h > r.y + r.h)
        card.y = r.y + r.h - card.h;
    ui_fill(ui, &body, UI_BORDER);
    ui_fill(ui, &screen, UI_INFO);
    ui_fill(ui, &slot, UI_TEXT);
    ui_fill(ui, &beam, UI_PRIMARY);
    widget_glyph(ui, GLYPH_TOUCH_APP, UI_ON_PRIMARY, screen,
                 screen.h * 3 / 5);
    ui_fill(ui, &card, UI_SURFACE);
    ui_frame_rect(ui, &card, UI_TEXT, 2 * u);
    widget_glyph(ui, GLYPH_QR_CODE, UI_TEXT, card, cs * 4 / 5);
    SDL_Rect arrow = { body.x + kw, slot.y + slot.h / 2 - cs / 2,
                       card.x - body.x - kw, cs };
    widget_glyph(ui, GLYPH_ARROW_BACK, UI_PRIMARY, arrow,
                 arrow.w < cs ? arrow.w : cs * 3 / 4);
}

/* The guidance panel: the picture above, then what to do and where. */
static void draw_guide(struct app *a, SDL_Rect r)
{
    struct ui *ui = a->ui;
    int pad = ui_u(ui, 12);
    SDL_Rect in = widget_inset(r, pad);
    const char *scan = app_s(a, "guide.scan"), *wh_s = app_s(a, "guide.where");
    enum ui_font fs = widget_fit(ui, scan, in.w, 2, UI_BIG, UI_BODY);
    enum ui_font fw = widget_fit(ui, wh_s, in.w, 2, UI_BODY, UI_SMALL);
    int ns = widget_lines(ui, scan, fs, in.w), nw = widget_lines(ui, wh_s,
                                                                 fw, in.w);
    int th = ns * text_line_height(ui_text(ui), ui_px(ui, fs));
    int wh = nw * text_line_height(ui_text(ui), ui_px(ui, fw));
    SDL_Rect pic = { in.x, in.y, in.w, in.h - th - wh - pad };
    SDL_Rect say = { in.x, pic.y + pic.h + pad, in.w, th };
    SDL_Rect where = { in.x, say.y + th, in.w, wh };

    ui_fill(ui, &r, UI_SURFACE);
    ui_frame_rect(ui, &r, UI_BORDER, ui_u(ui, 2) > 0 ? ui_u(ui, 2) : 1);
    if (pic.h > ui_u(ui, 60)) {
        int w = pic.h * 2 < pic.w ? pic.h * 2 : pic.w;
        SDL_Rect p = { pic.x + (pic.w - w) / 2, pic.y, w, pic.h };
        draw_scanner(a, p);
    }
    ui_label(ui, scan, fs, UI_TEXT, &say, TEXT_CENTER, ns, true);
    ui_label(ui, wh_s, fw, UI_TEXT, &where, TEXT_CENTER, nw, true);
}

static void draw(struct app *a)
{
    struct ui *ui = a->ui;
    SDL_Rect rest, grid, guide, row;
    int gap = ui_u(ui, 12), row_h = ui_touch_h(ui, UI_BIG, 1);
    static const char *const ids[6] = { "checkin", "record", "boards",
                                        "contacts", "request", "wish" };
    static const char *const keys[6] = { "home.checkin", "home.record",
                                         "home.boards", "home.contacts",
                                         "home.request", "home.wish" };
    static const enum icon_glyph icons[6] = {
        GLYPH_HOW_TO_REG, GLYPH_ASSIGNMENT, GLYPH_EVENT_NOTE, GLYPH_CONTACTS,
        GLYPH_EDIT_NOTE, GLYPH_VOLUNTEER,
    };
    bool portrait = ui_portrait(ui);

    draw_top(a, &rest);
    grid = rest;
    grid.h -= (portrait ? 2 : 1) * (row_h + gap);
    guide = grid;
    if (portrait) {                   /* tiles above, guidance below */
        grid.h = grid.h * 68 / 100;  /* six tiles, with 我要反映 and 微心愿 */
        guide.y = grid.y + grid.h + gap;
        guide.h -= grid.h + gap;
    } else if (!ui_large(ui)) {       /* tiles left, guidance right */
        grid.w = grid.w * 70 / 100;
        guide.x = grid.x + grid.w + gap;
        guide.w -= grid.w + gap;
    }
    /* Large text across a landscape screen: six tiles need the width, and
     * the scan guidance stays with check-in (the identify screen). */
    bool guided = portrait || !ui_large(ui);
    for (int i = 0; i < 6; i++)
        widget_icon_button(ui, ids[i], icons[i], app_s(a, keys[i]),
                           portrait ? widget_cell(grid, 2, 3, i, gap)
                                    : widget_cell(grid, 3, 2, i, gap),
                           i == 0 ? WIDGET_PRIMARY : WIDGET_PLAIN);
    if (guided)
        draw_guide(a, guide);
    row = (SDL_Rect){ rest.x, rest.y + rest.h - (portrait ? 2 : 1) *
                      (row_h + gap) + gap, rest.w,
                      (portrait ? 2 : 1) * (row_h + gap) - gap };
    static const char *const bids[4] = { "call", "help", "lang", "large" };
    static const enum icon_glyph bicons[4] = {
        GLYPH_SUPPORT_AGENT, GLYPH_HELP, GLYPH_TRANSLATE, GLYPH_TEXT_INCREASE,
    };
    const char *blabels[4] = {
        app_s(a, "home.call"), app_s(a, "home.help"),
        app_s(a, "home.lang_other"),
        app_s(a, ui_large(ui) ? "home.large_off" : "home.large_on"),
    };
    SDL_Rect cells[4];
    if (portrait) {
        for (int i = 0; i < 4; i++)
            cells[i] = widget_cell(row, 2, 2, i, gap);
    } else {
        widget_split(ui, row, blabels, 4, gap, cells);
    }
    for (int i = 0; i < 4; i++)
        widget_icon_button(ui, bids[i], bicons[i], blabels[i], cells[i],
                           i == 3 && ui_large(ui) ? WIDGET_SELECTED
                                                  : WIDGET_PLAIN);
}


static void hidden_tap(struct app *a)
{
    struct home_state *s = st(a);
    uint64_t now = app_now_ms(a);

    if (s->hidden_taps == 0 || now - s->hidden_first_ms > HIDDEN_MS) {
        s->hidden_taps = 0;
        s->hidden_first_ms = now;
    }
    if (++s->hidden_taps >= HIDDEN_TAPS) {
        s->hidden_taps = 0;
        app_go(a, &screen_tech_ops);
    }
}

static void event(struct app *a, const char *id)
{
    if (strcmp(id, "station") == 0) {
        hidden_tap(a);
        return;
    }
    st(a)->hidden_taps = 0;
    if (strcmp(id, "checkin") == 0 || strcmp(id, "record") == 0) {
        screen_identify_open(a, id[0] == 'c' ? IDENTIFY_CHECKIN
                                             : IDENTIFY_RECORD);
    } else if (strcmp(id, "boards") == 0) {
        app_go(a, &screen_boards_ops);
    } else if (strcmp(id, "contacts") == 0) {
        app_go(a, &screen_contacts_ops);
    } else if (strcmp(id, "help") == 0) {
        app_go(a, &screen_help_ops);
    } else if (strcmp(id, "call") == 0) {
        screen_help_call(a, "home");
    } else if (strcmp(id, "request") == 0) {
        screen_request_open(a, LEDGER_REQUEST);
    } else if (strcmp(id, "wish") == 0) {
        screen_wish_open(a);
    } else if (strcmp(id, "lang") == 0) {
        app_set_lang(a, !a->lang);
    } else if (strcmp(id, "large") == 0) {
        app_set_large(a, !ui_large(a->ui));
    }
}

static void enter(struct app *a)
{
    st(a)->hidden_taps = 0;
}

const struct screen_ops screen_home_ops = {
    .name = "home",
    .idle = IDLE_NONE,
    .state_size = sizeof(struct home_state),
    .enter = enter,
    .event = event,
    .draw = draw,
};
