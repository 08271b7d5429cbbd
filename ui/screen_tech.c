/* ui/screen_tech.c - technician mode: a PIN keypad (the PIN is checked
 * against kiosk.tech_pin_hash, never stored in clear), then diagnostics.
 * Reached by tapping the station name five times, or a technician card.
 * While it is open every scanned line comes here raw (the scanner test)
 * and nobody is checked in. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "firmware/diag.h"
#include "base/xmalloc.h"
#include "firmware/techpin.h"
#include "ui/app.h"
#include "ui/screen_desk.h"
#include "ui/feed.h"
#include "ui/tech_update.h"

/* What the unlocked screen shows (its view). */
enum { TECH_DIAG, TECH_SYNC, TECH_UPDATE };

#define TECH_POLL_MS      100       /* progress of a USB update */
#define TECH_SYNC_POLL_MS 1000      /* has the worker synced yet? */
#define TECH_SYNC_WAIT_MS 30000     /* then: no answer from the hub */

#define TECH_MAX_FAILS 5
#define TECH_LOCK_MS   (5 * 60 * 1000)

struct tech_state {
    struct {                        /* one visit: cleared on enter, leave */
        char digits[APP_PIN_MAX + 1];
        bool unlocked, bad, testing;    /* testing: touch + scanner test */
        int  touch_x, touch_y, touches;
        char scan[64];                  /* last line, shown as read */
        int  view;                      /* TECH_* */
        int64_t sync_from_ms;           /* last sync when "sync" tapped */
        uint64_t sync_asked_ms;         /* app time of the tap */
        bool hold_updates;              /* tests: step through phases */
        struct tech_update *upd;        /* USB update, running or done */
    } v;
    /* Across visits: leaving the screen does not lift the lockout. */
    int      pin_fails;                 /* wrong PINs in a row */
    uint64_t pin_locked_until;
};

static struct tech_state *st(struct app *a)
{
    return app_state(a, &screen_tech_ops);
}

struct tech_update *screen_tech_update(struct app *a)
{
    return st(a)->v.upd;
}

void screen_tech_hold_updates(struct app *a, bool hold)
{
    st(a)->v.hold_updates = hold;
}

static void enter(struct app *a)
{
    struct tech_state *s = st(a);

    memset(&s->v, 0, sizeof s->v);
}

static void leave(struct app *a)
{
    struct tech_state *s = st(a);

    tech_update_destroy(s->v.upd);      /* a running install goes on */
    memset(&s->v, 0, sizeof s->v);      /* no PIN digits linger */
}

/* The scanner test: the line exactly as read; nobody is checked in. */
static void scanner_test(struct app *a, const char *text)
{
    struct tech_state *s = st(a);

    str_copy(s->v.scan, sizeof s->v.scan, text);
}

/* The touch test sees every touch, on a button or not. */
static void touch_test(struct app *a, int x, int y)
{
    struct tech_state *s = st(a);

    s->v.touch_x = x;
    s->v.touch_y = y;
    s->v.touches++;
}

static int64_t last_sync(struct app *a)
{
    struct store_sync_state ss;

    return store_sync_state_get(a->store, &ss) == ERR_OK ? ss.last_sync_ms
                                                         : 0;
}

/* Forced sync: wake the kiosk's own sync worker (on_stored is sync_wake)
 * rather than syncing here, so the UI never waits on the network; the
 * timer then watches last_sync_ms move. */
static void start_sync(struct app *a)
{
    struct tech_state *s = st(a);

    s->v.view = TECH_SYNC;
    s->v.sync_from_ms = last_sync(a);
    s->v.sync_asked_ms = app_now_ms(a);
    if (a->on_stored) {
        a->on_stored(a->on_stored_ctx);
        app_timer(a, TECH_SYNC_POLL_MS);
    }
}

/* No stick mounted is told at once; a stick is searched and verified on
 * the worker thread. */
static void start_update(struct app *a)
{
    struct tech_state *s = st(a);
    struct stat sb;

    s->v.view = TECH_UPDATE;
    tech_update_destroy(s->v.upd);
    s->v.upd = NULL;
    if (stat(a->cfg.usb_dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return;
    if (tech_update_start(&a->cfg, s->v.hold_updates, &s->v.upd)
        == ERR_OK)
        app_timer(a, TECH_POLL_MS);
}

/* Poll the running job; the frame redraws on each tick. */
static void timer(struct app *a)
{
    struct tech_state *s = st(a);
    struct tech_update_view v;

    a->dirty = true;
    if (s->v.view == TECH_UPDATE && s->v.upd) {
        tech_update_view(s->v.upd, &v);
        if (!v.finished)
            app_timer(a, TECH_POLL_MS);
    } else if (s->v.view == TECH_SYNC && a->on_stored &&
               last_sync(a) == s->v.sync_from_ms &&
               app_now_ms(a) - s->v.sync_asked_ms < TECH_SYNC_WAIT_MS) {
        app_timer(a, TECH_SYNC_POLL_MS);
    }
}

static bool update_running(struct app *a)
{
    const struct tech_state *s = st(a);
    struct tech_update_view v;

    if (s->v.view != TECH_UPDATE || s->v.upd == NULL)
        return false;
    tech_update_view(s->v.upd, &v);
    return !v.finished;
}

/* Five wrong PINs in a row lock the keypad for TECH_LOCK_MS: with
 * PBKDF2's cost, guessing four digits then takes weeks. */
static void check_pin(struct app *a)
{
    struct tech_state *s = st(a);
    uint64_t now = app_now_ms(a);

    if (now < s->pin_locked_until) {
        s->v.bad = true;
    } else if (techpin_verify(a->cfg.tech_pin_hash, s->v.digits)
               == ERR_OK) {
        s->v.unlocked = true;
        s->pin_fails = 0;
    } else {
        s->v.bad = true;
        if (++s->pin_fails >= TECH_MAX_FAILS) {
            s->pin_fails = 0;
            s->pin_locked_until = now + TECH_LOCK_MS;
        }
    }
    memset(s->v.digits, 0, sizeof s->v.digits);
}

static void event(struct app *a, const char *id)
{
    struct tech_state *s = st(a);
    size_t n = strlen(s->v.digits);

    if (update_running(a)) {
        return;                     /* the install finishes first */
    } else if ((strcmp(id, "back") == 0 || strcmp(id, "done") == 0) &&
               (s->v.testing || s->v.view != TECH_DIAG)) {
        s->v.testing = false;
        s->v.view = TECH_DIAG;
        app_timer(a, 0);
    } else if (strcmp(id, "back") == 0) {
        app_go(a, &screen_home_ops);
    } else if (s->v.unlocked) {
        if (strcmp(id, "done") == 0) {
            store_salvage_ack(a->store);    /* the salvage panel, read */
        } else if (strcmp(id, "test") == 0) {
            s->v.testing = true;
            s->v.touches = 0;
            s->v.scan[0] = '\0';
        } else if (strcmp(id, "sync") == 0) {
            start_sync(a);
        } else if (strcmp(id, "usb") == 0) {
            start_update(a);
        } else if (strcmp(id, "desk") == 0) {
            screen_desklog_open(a);         /* today's visitors */
        }
    } else if (strcmp(id, "key.del") == 0) {
        if (n > 0)
            s->v.digits[n - 1] = '\0';
    } else if (strcmp(id, "key.ok") == 0) {
        check_pin(a);
    } else if (strncmp(id, "key.", 4) == 0 && id[4] >= '0' && id[4] <= '9' &&
               n < APP_PIN_MAX) {
        s->v.digits[n] = id[4];
        s->v.bad = false;
    }
}

static void draw_locked(struct app *a, SDL_Rect c)
{
    const struct tech_state *s = st(a);
    struct ui *ui = a->ui;
    int gap = ui_u(ui, 16);
    SDL_Rect left = widget_cell(c, 2, 1, 0, gap);
    SDL_Rect right = widget_cell(c, 2, 1, 1, gap);
    char dots[APP_PIN_MAX * 3 + 1] = "";
    const char *msg = a->cfg.tech_pin_hash[0] == '\0' ? "tech.no_pin"
                    : app_now_ms(a) < s->pin_locked_until ? "tech.locked"
                    : s->v.bad ? "tech.bad_pin" : "tech.enter_pin";

    for (size_t i = 0; i < strlen(s->v.digits); i++)
        strcat(dots, "\xe2\x97\x8f");             /* one dot per digit */
    SDL_Rect m = { left.x, left.y, left.w, left.h / 2 };
    SDL_Rect d = { left.x, left.y + left.h / 2, left.w, left.h / 2 };
    ui_label(ui, app_s(a, msg), UI_TITLE, s->v.bad ? UI_ERR : UI_TEXT, &m,
             TEXT_CENTER, 3, true);
    ui_label(ui, dots, UI_TITLE, UI_TEXT, &d, TEXT_CENTER, 1, true);
    widget_keypad(ui, right, app_s(a, "key.del"), app_s(a, "key.ok"));
}

static const char *when(struct app *a, int64_t ms)
{
    time_t t = (time_t)(ms / 1000 + a->cfg.utc_offset_minutes * 60);
    struct tm tm;

    if (ms <= 0)
        return "-";
    gmtime_r(&t, &tm);
    return app_fmt(a, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900,
                   tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
}

/* The same facts as `kioskctl status` (firmware/diag.c). */
static int diag_rows(struct app *a, struct widget_row *rows)
{
    struct text_stats ts;
    struct stamp now;
    struct diag d;
    char db[24], fr[24];
    int n = 0;

    app_stamp(a, &now);
    diag_collect_at(&a->cfg, a->store, &now, &d);
    diag_bytes(d.db_bytes, db, sizeof db);
    diag_bytes(d.free_bytes, fr, sizeof fr);
    text_stats(ui_text(a->ui), &ts);
#define ROW(k, c, ...) rows[n++] = (struct widget_row){ .title = app_s(a, k), \
    .right = app_fmt(a, __VA_ARGS__), .right_color = (c) }
    ROW("tech.version", UI_TEXT, "%s %s", d.version,
        d.on_trial ? app_s(a, "tech.on_trial") : "");
    ROW("tech.device", UI_TEXT, "%s / %s", a->cfg.device_id,
        a->cfg.station_id);
    ROW("tech.hub", UI_TEXT, "%s  %s",
        a->cfg.hub_host[0] ? a->cfg.hub_host : "-",
        app_s(a, d.enrolled ? "tech.enrolled" : "tech.not_enrolled"));
    ROW("tech.last_sync", d.online ? UI_OK : UI_ERR, "%s  %s",
        when(a, d.last_sync_ms), app_s(a, d.online ? "tech.online"
                                                   : "tech.offline"));
    ROW("tech.queue_t", d.queue ? UI_ERR : UI_TEXT, "%s",
        app_sfmt(a, "tech.queue", (unsigned long long)d.queue,
                 (unsigned long long)d.last_seq));
    ROW("tech.db", d.db_ok ? UI_TEXT : UI_ERR, "v%d  %s  %s  %d", d.schema,
        d.db_check, db, d.members);
    ROW("tech.storage", d.free_bytes >= 0 && d.free_bytes < (64 << 20)
        ? UI_ERR : UI_TEXT, "%s", fr);
    ROW(d.now.clock_trusted ? "tech.clock_ok" : "tech.clock_bad",
        d.now.clock_trusted ? UI_TEXT : UI_ERR, "%s",
        when(a, d.now.wall_ms));
    ROW("tech.board", UI_TEXT, "%s", a->board ? board_name(a->board) : "-");
    ROW("tech.screen", UI_TEXT, "%dx%d  %s", ui_w(a->ui), ui_h(a->ui),
        ui_renderer_name(a->ui));
    ROW("tech.text", UI_TEXT, "%d / %d / %d", ts.glyphs, ts.strings,
        ts.atlas_resets);
#undef ROW
    return n;
}

static void draw_diag(struct app *a, SDL_Rect c)
{
    struct ui *ui = a->ui;
    struct widget_row rows[12];
    int n = diag_rows(a, rows);

    if (ui_portrait(ui)) {
        widget_list(ui, NULL, rows, n, 0, c, NULL, NULL);
        return;
    }
    SDL_Rect l = widget_cell(c, 2, 1, 0, ui_u(ui, 10));
    SDL_Rect r = widget_cell(c, 2, 1, 1, ui_u(ui, 10));
    widget_list(ui, NULL, rows, 6, 0, l, NULL, NULL);
    widget_list(ui, NULL, rows + 6, n - 6, 0, r, NULL, NULL);
}

/* A result panel: an icon and up to a few lines, and "done" below. */
static void draw_panel(struct app *a, SDL_Rect c, enum widget_icon icon,
                       const char *title, const char *text)
{
    struct ui *ui = a->ui;
    int bh = ui_touch_h(ui, UI_BIG, 1), r = ui_u(ui, 36);
    SDL_Rect t = { c.x, c.y + 2 * r + ui_u(ui, 16), c.w, ui_u(ui, 60) };
    SDL_Rect m = { c.x, t.y + t.h, c.w, c.h - (t.y + t.h - c.y) - bh };
    SDL_Rect b = { c.x + c.w / 3, c.y + c.h - bh, c.w / 3, bh };

    widget_icon(ui, icon, c.x + c.w / 2, c.y + r + ui_u(ui, 8), r);
    ui_label(ui, title, UI_TITLE, UI_TEXT, &t, TEXT_CENTER, 1, true);
    ui_label(ui, text, UI_BODY, UI_TEXT, &m, TEXT_CENTER, 4, false);
    widget_button(ui, "done", app_s(a, "btn.done"), b, WIDGET_PRIMARY);
}

/* A salvage of a damaged database not yet acknowledged: *d filled. */
static bool salvage_pending(struct app *a, struct store_salvage *d)
{
    return store_salvage_get(a->store, d) == ERR_OK && !d->acknowledged;
}

/* Shown instead of the facts until a technician presses "done". */
static void draw_salvage(struct app *a, SDL_Rect c,
                         const struct store_salvage *d)
{
    draw_panel(a, c, ICON_WARN, app_s(a, "tech.salvage_title"),
               app_sfmt(a, "tech.salvage_text", when(a, d->when_ms), d->kept,
                        (unsigned long long)d->salvaged,
                        (unsigned long long)d->lost));
}

static void draw_sync(struct app *a, SDL_Rect c)
{
    const struct tech_state *s = st(a);
    int64_t last = last_sync(a);

    if (a->on_stored == NULL)
        draw_panel(a, c, ICON_WARN, app_s(a, "tech.sync"),
                   app_s(a, "tech.sync_none"));
    else if (last != s->v.sync_from_ms)
        draw_panel(a, c, ICON_OK, app_s(a, "tech.synced"), when(a, last));
    else if (app_now_ms(a) - s->v.sync_asked_ms < TECH_SYNC_WAIT_MS)
        draw_panel(a, c, ICON_INFO, app_s(a, "tech.syncing"),
                   app_s(a, "tech.sync_asked"));
    else
        draw_panel(a, c, ICON_WARN, app_s(a, "tech.sync"),
                   app_s(a, "tech.sync_noanswer"));
}

/* The install's phase, a bar over all phases and its percentage. */
static void draw_update(struct app *a, SDL_Rect c)
{
    static const char *const phase[] = { "tech.upd_verify", "tech.upd_copy",
                                         "tech.upd_switch", "tech.upd_done" };
    const struct tech_state *s = st(a);
    struct ui *ui = a->ui;
    struct tech_update_view v = { .finished = true, .result = ERR_IO };

    if (s->v.upd)
        tech_update_view(s->v.upd, &v);
    if (v.finished && v.result == ERR_OK) {
        draw_panel(a, c, ICON_OK, app_s(a, "tech.upd_installed"),
                   app_sfmt(a, "tech.upd_installed_text", v.msg));
        return;
    }
    if (v.finished) {
        draw_panel(a, c, ICON_ERR, app_s(a, v.msg[0] ? "tech.upd_refused"
                                          : "tech.upd_nostick_title"),
                   v.msg[0] ? v.msg : app_sfmt(a, "tech.upd_nostick",
                                               a->cfg.usb_dir));
        return;
    }
    int h = ui_u(ui, 48);
    SDL_Rect t = { c.x, c.y + c.h / 2 - 2 * h, c.w, h };
    SDL_Rect bar = { c.x + ui_u(ui, 40), c.y + c.h / 2 - h / 2,
                     c.w - ui_u(ui, 80), h };
    SDL_Rect p = { c.x, bar.y + h + ui_u(ui, 12), c.w, h };
    ui_label(ui, app_s(a, v.finding ? "tech.upd_find" : phase[v.phase]),
             UI_TITLE, UI_TEXT, &t, TEXT_CENTER, 1, true);
    widget_progress(ui, bar, v.permille);
    ui_label(ui, app_fmt(a, "%d%%", v.permille / 10), UI_BIG, UI_MUTED, &p,
             TEXT_CENTER, 1, true);
}

/* Touch and scanner test: a cross where the last touch landed, the
 * count of touches, and the last scanned line exactly as read. */
static void draw_test(struct app *a, SDL_Rect c)
{
    const struct tech_state *s = st(a);
    struct ui *ui = a->ui;
    int x = s->v.touch_x, y = s->v.touch_y, r = ui_u(ui, 30);
    SDL_Rect all = { 0, c.y, ui_w(ui), ui_h(ui) - c.y };

    ui_hit_add(ui, "canvas", &all);
    ui_label(ui, app_sfmt(a, "tech.test_hint", s->v.touches),
             UI_BODY, UI_MUTED, &c, TEXT_CENTER, 2, false);
    SDL_Rect last = { c.x, c.y + c.h / 2, c.w, c.h / 2 };
    ui_label(ui, s->v.scan[0] ? s->v.scan : "-", UI_TITLE, UI_TEXT,
             &last, TEXT_CENTER, 2, true);
    if (s->v.touches > 0) {
        ui_line(ui, x - r, y, x + r, y, 3, UI_PRIMARY);
        ui_line(ui, x, y - r, x, y + r, 3, UI_PRIMARY);
    }
}

static void draw(struct app *a)
{
    const struct tech_state *s = st(a);
    struct ui *ui = a->ui;
    bool test = s->v.unlocked && s->v.testing;
    SDL_Rect c = widget_header(ui, app_s(a, "tech.title"),
                               /* 返回 at top left as on every screen:
                                * out of a sub-view, or out of the mode */
                               update_running(a) ? NULL
                               : app_s(a, "btn.back"),
                               NULL);

    if (!s->v.unlocked) {
        draw_locked(a, c);
        return;
    }
    if (test) {
        draw_test(a, c);
        return;
    }
    if (s->v.view == TECH_SYNC) {
        draw_sync(a, c);
        return;
    }
    if (s->v.view == TECH_UPDATE) {
        draw_update(a, c);
        return;
    }
    struct store_salvage salv;
    if (salvage_pending(a, &salv)) {
        draw_salvage(a, c, &salv);
        return;
    }
    int bh = ui_touch_h(ui, UI_BIG, 1), gap = ui_u(ui, 10);
    SDL_Rect list = { c.x, c.y, c.w, c.h - bh - gap };
    SDL_Rect row = { c.x, c.y + c.h - bh, c.w, bh };
    draw_diag(a, list);
    widget_button(ui, "sync", app_s(a, "tech.sync"),
                  widget_cell(row, 4, 1, 0, gap), WIDGET_PLAIN);
    widget_button(ui, "usb", app_s(a, "tech.usb"),
                  widget_cell(row, 4, 1, 1, gap), WIDGET_PLAIN);
    widget_button(ui, "test", app_s(a, "tech.test"),
                  widget_cell(row, 4, 1, 2, gap), WIDGET_PLAIN);
    widget_button(ui, "desk", app_s(a, "tech.desk"),
                  widget_cell(row, 4, 1, 3, gap), WIDGET_PLAIN);
}

const struct screen_ops screen_tech_ops = {
    .name = "tech",
    .idle = IDLE_HOME,
    .state_size = sizeof(struct tech_state),
    .enter = enter,
    .leave = leave,
    .event = event,
    .draw = draw,
    .line = scanner_test,
    .touch = touch_test,
    .timer = timer,
};
