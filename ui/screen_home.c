/* ui/screen_home.c - the home screen: station, date and time, whether
 * the kiosk is online and how old its boards are, and the big buttons.
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

static const char *status_line(struct app *a)
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
    ui_fill(ui, &bar, UI_PRIMARY);
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
    ui_label(ui, app_fmt(a, "%s  %s", app_sfmt(a, "fmt.ymd", y, mo, d),
                         app_s(a, wkey)), UI_BODY, UI_TEXT, &date, TEXT_LEFT,
             1, false);
    ui_label(ui, status_line(a), UI_BODY, UI_MUTED, &date, TEXT_RIGHT, 1,
             false);
    rest->x = pad;
    rest->y = date.y + lh + pad / 2;
    rest->w = ui_w(ui) - 2 * pad;
    rest->h = ui_h(ui) - rest->y - pad;
}

static void draw(struct app *a)
{
    struct ui *ui = a->ui;
    SDL_Rect rest, grid, row;
    int gap = ui_u(ui, 12), row_h = ui_touch_h(ui, UI_BIG, 1);
    static const char *const ids[6] = { "checkin", "record", "request",
                                        "boards", "contacts", "wish" };
    static const char *const keys[6] = { "home.checkin", "home.record",
                                         "home.request", "home.boards",
                                         "home.contacts", "home.wish" };

    draw_top(a, &rest);
    grid = rest;
    grid.h -= row_h + gap;
    for (int i = 0; i < 6; i++) {
        SDL_Rect r = ui_portrait(ui) ? widget_cell(grid, 2, 3, i, gap)
                                     : widget_cell(grid, 3, 2, i, gap);
        widget_button(ui, ids[i], app_s(a, keys[i]), r,
                      i == 0 ? WIDGET_PRIMARY : WIDGET_PLAIN);
    }
    row = (SDL_Rect){ rest.x, rest.y + rest.h - row_h, rest.w, row_h };
    widget_button(ui, "lang", app_s(a, "home.lang_other"),
                  widget_cell(row, 2, 1, 0, gap), WIDGET_PLAIN);
    widget_button(ui, "large", app_s(a, ui_large(ui) ? "home.large_off"
                                                      : "home.large_on"),
                  widget_cell(row, 2, 1, 1, gap),
                  ui_large(ui) ? WIDGET_SELECTED : WIDGET_PLAIN);
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
