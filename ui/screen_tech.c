/* ui/screen_tech.c - technician mode: a PIN keypad (the PIN is checked
 * against kiosk.tech_pin_hash, never stored in clear), then diagnostics.
 * Reached by tapping the station name five times, or a technician card.
 * While it is open every scanned line comes here raw (the scanner test)
 * and nobody is checked in. */
#include <stdio.h>
#include <string.h>

#include "firmware/techpin.h"
#include "ui/app.h"
#include "ui/feed.h"

#define TECH_MAX_FAILS 5
#define TECH_LOCK_MS   (5 * 60 * 1000)

#ifndef KIOSK_VERSION
#define KIOSK_VERSION "dev"
#endif

static void enter(struct app *a)
{
    memset(&a->tech, 0, sizeof a->tech);
}

static void leave(struct app *a)
{
    memset(&a->tech, 0, sizeof a->tech);    /* no PIN digits linger */
}

/* Five wrong PINs in a row lock the keypad for TECH_LOCK_MS: with
 * PBKDF2's cost, guessing four digits then takes weeks. */
static void check_pin(struct app *a)
{
    uint64_t now = app_now_ms(a);

    if (now < a->pin_locked_until) {
        a->tech.bad = true;
    } else if (techpin_verify(a->cfg.tech_pin_hash, a->tech.digits)
               == ERR_OK) {
        a->tech.unlocked = true;
        a->pin_fails = 0;
    } else {
        a->tech.bad = true;
        if (++a->pin_fails >= TECH_MAX_FAILS) {
            a->pin_fails = 0;
            a->pin_locked_until = now + TECH_LOCK_MS;
        }
    }
    memset(a->tech.digits, 0, sizeof a->tech.digits);
}

static void event(struct app *a, const char *id)
{
    size_t n = strlen(a->tech.digits);

    if (strcmp(id, "back") == 0 && a->tech.testing) {
        a->tech.testing = false;
    } else if (strcmp(id, "back") == 0) {
        app_go(a, &screen_home_ops);
    } else if (a->tech.unlocked) {
        if (strcmp(id, "test") == 0) {
            a->tech.testing = true;
            a->tech.touches = 0;
            a->tech.scan[0] = '\0';
        }
    } else if (strcmp(id, "key.del") == 0) {
        if (n > 0)
            a->tech.digits[n - 1] = '\0';
    } else if (strcmp(id, "key.ok") == 0) {
        check_pin(a);
    } else if (strncmp(id, "key.", 4) == 0 && id[4] >= '0' && id[4] <= '9' &&
               n < APP_PIN_MAX) {
        a->tech.digits[n] = id[4];
        a->tech.bad = false;
    }
}

static void draw_locked(struct app *a, SDL_Rect c)
{
    struct ui *ui = a->ui;
    int gap = ui_u(ui, 16);
    SDL_Rect left = widget_cell(c, 2, 1, 0, gap);
    SDL_Rect right = widget_cell(c, 2, 1, 1, gap);
    char dots[APP_PIN_MAX * 3 + 1] = "";
    const char *msg = a->cfg.tech_pin_hash[0] == '\0' ? "tech.no_pin"
                    : app_now_ms(a) < a->pin_locked_until ? "tech.locked"
                    : a->tech.bad ? "tech.bad_pin" : "tech.enter_pin";

    for (size_t i = 0; i < strlen(a->tech.digits); i++)
        strcat(dots, "\xe2\x97\x8f");             /* one dot per digit */
    SDL_Rect m = { left.x, left.y, left.w, left.h / 2 };
    SDL_Rect d = { left.x, left.y + left.h / 2, left.w, left.h / 2 };
    ui_label(ui, app_s(a, msg), UI_TITLE, a->tech.bad ? UI_ERR : UI_TEXT, &m,
             TEXT_CENTER, 3, true);
    ui_label(ui, dots, UI_TITLE, UI_TEXT, &d, TEXT_CENTER, 1, true);
    widget_keypad(ui, right, app_s(a, "key.del"), app_s(a, "key.ok"));
}

static const char *queue_line(struct app *a)
{
    uint64_t last = 0, acked = 0;

    store_last_seq(a->store, &last);
    store_acked_seq(a->store, &acked);
    return app_sfmt(a, "tech.queue", (unsigned long long)(last - acked),
                    (unsigned long long)last);
}

static void draw_diag(struct app *a, SDL_Rect c)
{
    struct ui *ui = a->ui;
    struct widget_row rows[12];
    struct text_stats ts;
    struct stamp now;
    char integ[128] = "", sync[32] = "-";
    int members = 0, n = 0;

    app_stamp(a, &now);
    store_integrity(a->store, integ, sizeof integ);
    store_member_count(a->store, &members);
    store_meta_get(a->store, "last_sync_ms", sync, sizeof sync);
    text_stats(ui_text(ui), &ts);
#define ROW(k, ...) rows[n++] = (struct widget_row){ .title = app_s(a, k), \
    .right = app_fmt(a, __VA_ARGS__), .right_color = UI_TEXT }
    ROW("tech.version", "%s", KIOSK_VERSION);
    ROW("tech.device", "%s / %s", a->cfg.device_id, a->cfg.station_id);
    ROW("tech.board", "%s", a->board ? board_name(a->board) : "-");
    ROW("tech.hub", "%s", a->cfg.hub_host[0] ? a->cfg.hub_host : "-");
    ROW("tech.last_sync", "%s", sync);
    rows[n++] = (struct widget_row){ .title = app_s(a, "tech.queue_t"),
        .right = queue_line(a), .right_color = UI_TEXT };
    ROW("tech.db", "v%d  %s  %d", store_schema_version(a->store), integ,
        members);
    ROW("tech.clock", "%lld  %s", (long long)now.wall_ms,
        app_s(a, now.clock_trusted ? "tech.trusted" : "tech.untrusted"));
    ROW("tech.screen", "%dx%d  %s", ui_w(ui), ui_h(ui), ui_renderer_name(ui));
    ROW("tech.text", "%d / %d / %d", ts.glyphs, ts.strings, ts.atlas_resets);
#undef ROW
    if (ui_portrait(ui)) {
        widget_list(ui, NULL, rows, n, 0, c, NULL, NULL);
        return;
    }
    SDL_Rect l = widget_cell(c, 2, 1, 0, ui_u(ui, 10));
    SDL_Rect r = widget_cell(c, 2, 1, 1, ui_u(ui, 10));
    widget_list(ui, NULL, rows, 5, 0, l, NULL, NULL);
    widget_list(ui, NULL, rows + 5, n - 5, 0, r, NULL, NULL);
}

/* Touch and scanner test: a cross where the last touch landed, the
 * count of touches, and the last scanned line exactly as read. */
static void draw_test(struct app *a, SDL_Rect c)
{
    struct ui *ui = a->ui;
    int x = a->tech.touch_x, y = a->tech.touch_y, r = ui_u(ui, 30);
    SDL_Rect all = { 0, c.y, ui_w(ui), ui_h(ui) - c.y };

    ui_hit_add(ui, "canvas", &all);
    ui_label(ui, app_sfmt(a, "tech.test_hint", a->tech.touches),
             UI_BODY, UI_MUTED, &c, TEXT_CENTER, 2, false);
    SDL_Rect s = { c.x, c.y + c.h / 2, c.w, c.h / 2 };
    ui_label(ui, a->tech.scan[0] ? a->tech.scan : "-", UI_TITLE, UI_TEXT,
             &s, TEXT_CENTER, 2, true);
    if (a->tech.touches > 0) {
        ui_line(ui, x - r, y, x + r, y, 3, UI_PRIMARY);
        ui_line(ui, x, y - r, x, y + r, 3, UI_PRIMARY);
    }
}

static void draw(struct app *a)
{
    struct ui *ui = a->ui;
    bool test = a->tech.unlocked && a->tech.testing;
    SDL_Rect c = widget_header(ui, app_s(a, "tech.title"),
                               app_s(a, test ? "btn.back" : "btn.exit"),
                               NULL);

    if (!a->tech.unlocked) {
        draw_locked(a, c);
        return;
    }
    if (test) {
        draw_test(a, c);
        return;
    }
    int bh = ui_touch_h(ui, UI_BIG, 1), gap = ui_u(ui, 10);
    SDL_Rect list = { c.x, c.y, c.w, c.h - bh - gap };
    SDL_Rect b = { c.x + c.w - c.w / 3, c.y + c.h - bh, c.w / 3, bh };
    draw_diag(a, list);
    widget_button(ui, "test", app_s(a, "tech.test"), b, WIDGET_PLAIN);
}

const struct screen_ops screen_tech_ops = {
    .name = "tech",
    .idle = IDLE_HOME,
    .enter = enter,
    .leave = leave,
    .event = event,
    .draw = draw,
};
