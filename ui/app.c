/* ui/app.c - the UI thread: routes taps, keys and scans to the current
 * screen, runs the idle rules (attract, return home, privacy close,
 * backlight dim), and sleeps between events so an idle kiosk costs next
 * to nothing. Never touches the network; never blocks on anything but
 * input and the local store. */
#include "ui/app.h"

#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/xmalloc.h"
#include "firmware/visit.h"
#include "ui/voice.h"
#include "ui/textentry.h"

#define POLL_MS        20       /* input latency when SDL cannot sleep */
#define SCAN_POLL_MS   50       /* scanner check with an X11 wait */

static const char *const lang_names[2] = { "zh_CN", "en" };

static err_code load_langs(struct app *a)
{
    char dir[CONFIG_STR + 16];
    err_code e;

    snprintf(dir, sizeof dir, "%s/i18n", a->cfg.assets_dir);
    for (int i = 0; i < 2; i++) {
        e = i18n_load(dir, lang_names[i], &a->langs[i]);
        if (e != ERR_OK)
            return e;
    }
    a->lang = strcmp(a->cfg.language, "en") == 0 ? 1 : 0;
    return ERR_OK;
}

static err_code photo_from_store(void *ctx, const char *key, uint8_t *buf,
                                 size_t cap, size_t *len)
{
    return store_photo_get(ctx, key, buf, cap, len);
}

err_code app_create(const struct config *cfg, struct board *board,
                    struct store *store, const struct ui_opts *uo,
                    struct app **out)
{
    struct app *a = xcalloc(1, sizeof *a);
    char font[CONFIG_STR + 48], icons[CONFIG_STR + 48];
    struct ui_opts o = *uo;
    err_code e;

    *out = NULL;
    a->cfg = *cfg;
    a->board = board;
    a->store = store;
    e = controller_create(&a->cfg, store, &a->ctl);
    if (e == ERR_OK)
        e = load_langs(a);
    if (e != ERR_OK)
        goto fail;
    snprintf(font, sizeof font, "%s/fonts/NotoSansSC-kiosk.otf",
             cfg->assets_dir);
    o.font_path = font;
    snprintf(icons, sizeof icons, "%s/icons/MaterialIcons-kiosk.ttf",
             cfg->assets_dir);
    o.icon_path = icons;
    o.title = app_s(a, "app.title");
    e = ui_create(&o, &a->ui);
    if (e != ERR_OK)
        goto fail;
    ui_set_large(a->ui, cfg->large_text);
    ui_set_photo_source(a->ui, photo_from_store, store);
    if (cfg->voice && voice_create(cfg->voice_volume, &a->voice) != ERR_OK)
        log_warn("voice: no worker; prompts stay silent");
    a->screen = &screen_home_ops;
    if (a->screen->enter)
        a->screen->enter(a);
    a->dirty = true;
    *out = a;
    return ERR_OK;
fail:
    app_destroy(a);
    return e;
}

void app_destroy(struct app *a)
{
    if (a == NULL)
        return;
    if (a->screen && a->screen->leave)      /* a screen's own resources */
        a->screen->leave(a);
    for (int i = 0; i < APP_SCREENS; i++)
        free(a->states[i].data);
    voice_destroy(a->voice);
    ui_destroy(a->ui);
    controller_destroy(a->ctl);
    i18n_destroy(a->langs[1]);
    i18n_destroy(a->langs[0]);
    free(a);
}

void app_say(struct app *a, const char *text)
{
    voice_say(a->voice, lang_names[a->lang], text);
}

const char *app_s(const struct app *a, const char *key)
{
    return i18n_get(a->langs[a->lang], key);
}

static const char *vfmt(struct app *a, const char *fmt, va_list ap)
{
    size_t room = APP_SCRATCH - a->scratch_len;
    char *p = a->scratch + a->scratch_len;
    int n;

    if (room < 2)
        return "";
    n = vsnprintf(p, room, fmt, ap);
    if (n < 0)
        return "";
    a->scratch_len += (size_t)n < room ? (size_t)n + 1 : room;
    return p;
}

const char *app_fmt(struct app *a, const char *fmt, ...)
{
    va_list ap;
    const char *s;

    va_start(ap, fmt);
    s = vfmt(a, fmt, ap);
    va_end(ap);
    return s;
}

const char *app_sfmt(struct app *a, const char *key, ...)
{
    va_list ap;
    const char *s;

    va_start(ap, key);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    s = vfmt(a, app_s(a, key), ap);
#pragma GCC diagnostic pop
    va_end(ap);
    return s;
}

void app_set_lang(struct app *a, int lang)
{
    a->lang = lang ? 1 : 0;
    SDL_SetWindowTitle(SDL_RenderGetWindow(ui_renderer(a->ui)),
                       app_s(a, "app.title"));
    a->dirty = true;
}

void app_set_large(struct app *a, bool large)
{
    ui_set_large(a->ui, large);
    text_flush_strings(ui_text(a->ui));
    a->dirty = true;
}

uint64_t app_now_ms(struct app *a)
{
    if (a->manual_clock)
        return a->manual_ms;
    if (a->board)
        return board_now_ms(a->board);
    return SDL_GetTicks64();
}

void app_stamp(struct app *a, struct stamp *out)
{
    if (!a->manual_clock) {
        clock_now(out);
        return;
    }
    memset(out, 0, sizeof *out);
    out->wall_ms = a->wall_base_ms + (int64_t)a->manual_ms;
    out->clock_trusted = true;
    str_copy(out->boot_id, sizeof out->boot_id, "scripted");
    out->mono_ms = (int64_t)a->manual_ms;
}

void app_local_time(struct app *a, int *y, int *mo, int *d, int *h, int *mi,
                    int *wday)
{
    struct stamp now;
    time_t t;
    struct tm tm;

    app_stamp(a, &now);
    t = (time_t)(now.wall_ms / 1000) + a->cfg.utc_offset_minutes * 60;
    gmtime_r(&t, &tm);
    *y = tm.tm_year + 1900;
    *mo = tm.tm_mon + 1;
    *d = tm.tm_mday;
    *h = tm.tm_hour;
    *mi = tm.tm_min;
    *wday = tm.tm_wday;
}

void app_timer(struct app *a, uint64_t ms)
{
    a->timer_ms = ms ? app_now_ms(a) + ms : 0;
}

void *app_state(struct app *a, const struct screen_ops *s)
{
    int i;

    for (i = 0; i < APP_SCREENS && a->states[i].ops; i++)
        if (a->states[i].ops == s)
            return a->states[i].data;
    if (i == APP_SCREENS) {         /* a screen added without room */
        log_error("ui: no room for the state of screen %s", s->name);
        abort();
    }
    a->states[i].ops = s;
    a->states[i].data = xcalloc(1, s->state_size ? s->state_size : 1);
    return a->states[i].data;
}

void app_go(struct app *a, const struct screen_ops *s)
{
    if (a->screen && a->screen->leave)
        a->screen->leave(a);
    a->from = a->screen;
    a->screen = s;
    a->timer_ms = 0;
    a->screen_since_ms = app_now_ms(a);
    if (s->enter)
        s->enter(a);
    a->dirty = true;
}

/* Any input: note it, and say whether it may act. The first touch on a
 * dimmed screen only wakes it, so nobody presses a button blind. */
static bool activity(struct app *a)
{
    a->last_input_ms = app_now_ms(a);
    if (!a->dimmed)
        return true;
    a->dimmed = false;
    if (a->board)
        board_backlight_set(a->board, 100);
    a->dirty = true;
    return false;
}

void app_tap_id(struct app *a, const char *id)
{
    if (!activity(a))
        return;
    if (a->screen->event)
        a->screen->event(a, id);
    a->dirty = true;
}

void app_tap_xy(struct app *a, int x, int y)
{
    const char *id = ui_hit_at(a->ui, x, y);

    if (a->screen->touch) {             /* the touch test sees all */
        a->screen->touch(a, x, y);
        a->dirty = true;
    }
    if (id == NULL) {               /* attract: any touch goes home */
        if (activity(a) && a->screen == &screen_attract_ops)
            app_go(a, &screen_home_ops);
        return;
    }
    char copy[UI_ID_MAX];
    str_copy(copy, sizeof copy, id);
    app_tap_id(a, copy);
}

void app_key(struct app *a, SDL_Keycode k)
{
    char id[UI_ID_MAX];

    if (k >= SDLK_0 && k <= SDLK_9) {
        snprintf(id, sizeof id, "key.%c", (char)k);
    } else if (k >= SDLK_KP_1 && k <= SDLK_KP_9) {
        snprintf(id, sizeof id, "key.%d", (int)(k - SDLK_KP_1) + 1);
    } else if (k == SDLK_KP_0) {
        str_copy(id, sizeof id, "key.0");
    } else if (k == SDLK_ESCAPE) {
        str_copy(id, sizeof id, "back");
    } else if (k == SDLK_BACKSPACE) {
        str_copy(id, sizeof id, "key.del");
    } else if (k == SDLK_RETURN || k == SDLK_KP_ENTER) {
        str_copy(id, sizeof id, "key.ok");
    } else {
        activity(a);
        return;
    }
    app_tap_id(a, id);
}

void app_pen(struct app *a, enum app_pen phase, int x, int y)
{
    /* On a dimmed screen the lift's tap wakes it (app_tap_xy) and nothing
     * is drawn, so a first touch never writes or presses blind. */
    if (a->screen->pen == NULL || a->dimmed)
        return;
    a->last_input_ms = app_now_ms(a);
    a->screen->pen(a, phase, x, y);
    a->dirty = true;
}

void app_visit(struct app *a, const char *member_no)
{
    struct controller_outcome o;
    struct stamp now;

    app_stamp(a, &now);
    controller_member(a->ctl, &now, member_no, CONTROLLER_TOGGLE, &o);
    screen_result_show(a, &o);
    if (o.seq != 0)
        app_stored(a);
}

void app_stored(struct app *a)
{
    if (a->on_stored)
        a->on_stored(a->on_stored_ctx);
}

/* A member's card or number goes to the screen that asked for a member
 * (identify, My record); anywhere else it checks in or out. */
void app_scan(struct app *a, const char *line)
{
    struct controller_outcome o;
    struct stamp now;

    activity(a);                    /* a scan wakes and still counts */
    if (a->screen->line) {          /* the scanner test */
        a->screen->line(a, line);
        a->dirty = true;
        return;
    }
    app_stamp(a, &now);
    enum controller_action act = a->screen->scan ? CONTROLLER_IDENTIFY
                                                 : CONTROLLER_TOGGLE;
    if (a->screen == &screen_identify_ops && screen_identify_registering(a))
        act = CONTROLLER_REGISTER;
    controller_scan(a->ctl, &now, line, act, &o);
    if (o.kind == CONTROLLER_TECHNICIAN) {
        app_go(a, &screen_tech_ops);
    } else if (o.kind == CONTROLLER_MEMBER) {
        a->member_card = o.cred.kind == CRED_MEMBER_CARD &&
                         o.cred.card_id[0] != '\0';
        a->screen->scan(a, o.member_no);
    } else {
        screen_result_show(a, &o);
    }
    if (o.seq != 0)
        app_stored(a);
    a->dirty = true;
}

static uint64_t idle_limit_ms(const struct app *a)
{
    if (a->screen == &screen_home_ops)      /* home idles into attract */
        return (uint64_t)a->cfg.idle_home_seconds * 1000;
    switch (a->screen->idle) {
    case IDLE_HOME:    return (uint64_t)a->cfg.idle_home_seconds * 1000;
    case IDLE_PRIVATE: return (uint64_t)a->cfg.idle_record_seconds * 1000;
    case IDLE_RESULT:  return APP_RESULT_MS;
    case IDLE_NONE:    return 0;
    }
    return 0;
}

static uint64_t idle_since(const struct app *a)
{
    return a->last_input_ms > a->screen_since_ms ? a->last_input_ms
                                                 : a->screen_since_ms;
}

static bool shows_clock(const struct app *a)
{
    return a->screen == &screen_home_ops || a->screen == &screen_attract_ops;
}

static int64_t wall_minute(struct app *a)
{
    struct stamp now;

    app_stamp(a, &now);
    return now.wall_ms / 60000;
}

/* The loop sleeps this long. */
/* Seconds left before an idle screen closes itself, while under
 * APP_COUNTDOWN_MS (0 otherwise): shown on a banner, so nobody reading
 * a board has it vanish without warning. Home only turns to attract; a
 * result and the screens with their own timers count down themselves. */
static int countdown_s(struct app *a)
{
    uint64_t limit = idle_limit_ms(a), now = app_now_ms(a), end;

    if (!limit || a->screen == &screen_home_ops ||
        (a->screen->idle != IDLE_HOME && a->screen->idle != IDLE_PRIVATE))
        return 0;
    end = idle_since(a) + limit;
    if (now >= end || end - now > APP_COUNTDOWN_MS)
        return 0;
    return (int)((end - now + 999) / 1000);
}

/* When the banner next changes: its start, then each second. */
static uint64_t countdown_next(struct app *a)
{
    uint64_t limit = idle_limit_ms(a), now = app_now_ms(a), end, left;

    if (!limit || a->screen == &screen_home_ops ||
        (a->screen->idle != IDLE_HOME && a->screen->idle != IDLE_PRIVATE))
        return 0;
    end = idle_since(a) + limit;
    if (now >= end)
        return 0;
    left = end - now;
    if (left > APP_COUNTDOWN_MS)
        return end - APP_COUNTDOWN_MS;
    return now + (left % 1000 ? left % 1000 : 1000);
}

static void draw_countdown(struct app *a, int s)
{
    struct ui *ui = a->ui;
    int h = ui_touch_h(ui, UI_BIG, 1);
    SDL_Rect b = { 0, ui_h(ui) - h, ui_w(ui), h };
    SDL_Rect in = widget_inset(b, ui_u(ui, 6));

    ui_fill(ui, &b, UI_WARN);
    ui_label(ui, app_sfmt(a, "count.close", s), UI_BIG, UI_ON_WARN, &in,
             TEXT_CENTER, 1, true);
}

void app_draw_screen(struct app *a)
{
    a->screen->draw(a);
    a->shown_countdown = countdown_s(a);
    if (a->shown_countdown)
        draw_countdown(a, a->shown_countdown);
}

uint64_t app_next_deadline(struct app *a)
{
    uint64_t now = app_now_ms(a), best = UINT64_MAX, limit = idle_limit_ms(a);
    /* Dimmed, nobody is looking: the attract loop rests too. */
    uint64_t at[3] = { 0, 0, a->dimmed ? 0 : a->timer_ms };

    if (limit)
        at[0] = idle_since(a) + limit;
    if (!a->dimmed)
        at[1] = a->last_input_ms + (uint64_t)a->cfg.dim_seconds * 1000;
    for (int i = 0; i < 3; i++)
        if (at[i] && at[i] < best)
            best = at[i];
    uint64_t cd = a->dimmed ? 0 : countdown_next(a);
    if (cd && cd < best)
        best = cd;
    if (shows_clock(a) && !a->dimmed) {
        struct stamp st;
        app_stamp(a, &st);
        uint64_t m = now + 60000 - (uint64_t)(st.wall_ms % 60000);
        if (m < best)
            best = m;
    }
    if (best == UINT64_MAX)
        return 3600 * 1000;
    return best > now ? best - now : 0;
}

static void poll_scanner(struct app *a)
{
    char line[BOARD_LINE_MAX];
    size_t len;
    int x, y;

    if (a->board == NULL)
        return;
    for (int i = 0; i < 8 &&                 /* scripted "tap X Y" */
         board_tap_poll(a->board, &x, &y) == ERR_OK; i++)
        app_tap_xy(a, x, y);
    for (int i = 0; i < 8; i++) {         /* cap: a stuck scanner */
        if (board_scan_poll(a->board, line, sizeof line, &len) != ERR_OK)
            return;
        line[len < sizeof line ? len : sizeof line - 1] = '\0';
        app_scan(a, line);
    }
}

/* Visits left open past midnight or the limit are closed by rule every
 * APP_STALE_MS, not only when their member scans again (docs/rules.md). */
static void close_stale_visits(struct app *a, uint64_t now)
{
    struct stamp st;
    int closed = 0;

    if (a->stale_check_ms && now - a->stale_check_ms < APP_STALE_MS)
        return;
    a->stale_check_ms = now ? now : 1;
    app_stamp(a, &st);
    if (visit_close_stale(a->store, &a->cfg, &st, &closed) == ERR_OK &&
        closed > 0) {
        log_info("ui: %d visit(s) left open closed by rule", closed);
        app_stored(a);
    }
}

void app_tick(struct app *a)
{
    uint64_t now, limit;

    poll_scanner(a);
    close_stale_visits(a, app_now_ms(a));
    now = app_now_ms(a);
    limit = idle_limit_ms(a);
    if (limit && now - idle_since(a) >= limit) {
        app_go(a, a->screen == &screen_home_ops ? &screen_attract_ops
                                                : &screen_home_ops);
        now = app_now_ms(a);
    }
    if (!a->dimmed &&
        now - a->last_input_ms >= (uint64_t)a->cfg.dim_seconds * 1000) {
        a->dimmed = true;
        if (a->board)
            board_backlight_set(a->board, APP_DIM_PERCENT);
    }
    if (a->timer_ms && now >= a->timer_ms && !a->dimmed) {
        a->timer_ms = 0;
        if (a->screen->timer)
            a->screen->timer(a);
        a->dirty = true;
    }
    if (shows_clock(a) && wall_minute(a) != a->shown_minute)
        a->dirty = true;
    if (countdown_s(a) != a->shown_countdown)
        a->dirty = true;
    if (a->board)       /* from the loop: a hung UI must be restarted */
        board_watchdog_kick(a->board);
}

void app_draw(struct app *a, bool force, const char *shot_path)
{
    if (!a->dirty && !force)
        return;
    a->scratch_len = 0;
    a->shown_minute = wall_minute(a);
    ui_frame_begin(a->ui);
    app_draw_screen(a);
    if (shot_path)
        ui_screenshot(a->ui, shot_path);
    ui_present(a->ui);
    a->dirty = false;
    if (!a->presented) {        /* start-up time, for the journal */
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        a->presented = true;
        log_info("ui: first frame presented at monotonic %.3f ms",
                 ts.tv_sec * 1e3 + ts.tv_nsec / 1e6);
        if (a->on_first_frame && !a->manual_clock)
            a->on_first_frame();
        if (a->warm_up_input)
            textentry_warm_up(a);
    }
}

/* The desktop's keyboard doubles as the scanner: text typed and ended
 * with Enter is a scan when it holds more than digits (digits alone are
 * the keypad's). On the sim board it goes through the board's queue, as
 * a real scanner's line would. */
static void typed(struct app *a, const char *text)
{
    size_t n = strlen(a->typed), m = strlen(text);

    if (n + m < sizeof a->typed) {
        memcpy(a->typed + n, text, m + 1);
    }
}

static bool typed_enter(struct app *a, SDL_Keycode k)
{
    char line[sizeof a->typed];
    bool scan = false;

    if (k == SDLK_ESCAPE)
        a->typed[0] = '\0';
    if (k != SDLK_RETURN && k != SDLK_KP_ENTER)
        return false;
    str_copy(line, sizeof line, a->typed);
    a->typed[0] = '\0';
    for (const char *p = line; *p; p++)
        scan |= *p < '0' || *p > '9';
    if (!scan)
        return false;
    if (a->board == NULL || board_scan_inject(a->board, line) != ERR_OK)
        app_scan(a, line);
    return true;
}

static void handle_event(struct app *a, const SDL_Event *ev)
{
    switch (ev->type) {
    case SDL_QUIT:
        a->quit = true;
        break;
    case SDL_MOUSEBUTTONDOWN:
        if (ev->button.which != SDL_TOUCH_MOUSEID)
            app_pen(a, APP_PEN_DOWN, ev->button.x, ev->button.y);
        break;
    case SDL_MOUSEMOTION:
        if (ev->motion.which != SDL_TOUCH_MOUSEID && ev->motion.state)
            app_pen(a, APP_PEN_MOVE, ev->motion.x, ev->motion.y);
        break;
    case SDL_MOUSEBUTTONUP:
        if (ev->button.which != SDL_TOUCH_MOUSEID) {
            app_pen(a, APP_PEN_UP, ev->button.x, ev->button.y);
            app_tap_xy(a, ev->button.x, ev->button.y);
        }
        break;
    case SDL_FINGERDOWN:
    case SDL_FINGERMOTION:
        app_pen(a, ev->type == SDL_FINGERDOWN ? APP_PEN_DOWN : APP_PEN_MOVE,
                (int)(ev->tfinger.x * (float)ui_w(a->ui)),
                (int)(ev->tfinger.y * (float)ui_h(a->ui)));
        break;
    case SDL_FINGERUP:
        app_pen(a, APP_PEN_UP, (int)(ev->tfinger.x * (float)ui_w(a->ui)),
                (int)(ev->tfinger.y * (float)ui_h(a->ui)));
        app_tap_xy(a, (int)(ev->tfinger.x * (float)ui_w(a->ui)),
                   (int)(ev->tfinger.y * (float)ui_h(a->ui)));
        break;
    case SDL_TEXTINPUT:
        typed(a, ev->text.text);
        break;
    case SDL_KEYDOWN:
        if (!typed_enter(a, ev->key.keysym.sym))
            app_key(a, ev->key.keysym.sym);
        break;
    case SDL_WINDOWEVENT:
        if (ev->window.event == SDL_WINDOWEVENT_EXPOSED)
            a->dirty = true;
        break;
    default:
        break;
    }
}

/* Sleep until input or the next deadline. X11 and Wayland can block in
 * SDL; the framebuffer, KMS/DRM and offscreen drivers cannot (SDL would
 * spin every millisecond), so those sleep in poll() on the scanner and
 * pump SDL every POLL_MS. */
static void wait_input(struct app *a, uint64_t ms, bool sdl_waits)
{
    int fd = a->board ? board_scan_fd(a->board) : -1;
    int cap = sdl_waits ? (a->board ? SCAN_POLL_MS : INT32_MAX) : POLL_MS;
    int t = ms > (uint64_t)cap ? cap : (int)ms;

    if (sdl_waits) {
        SDL_WaitEventTimeout(NULL, t);
        return;
    }
    struct pollfd p = { .fd = fd, .events = POLLIN };
    poll(&p, fd >= 0 ? 1 : 0, t);
}

err_code app_run(struct app *a)
{
    const char *drv = SDL_GetCurrentVideoDriver();
    bool sdl_waits = drv && (strcmp(drv, "x11") == 0 ||
                             strcmp(drv, "wayland") == 0);
    SDL_Event ev;

    a->last_input_ms = app_now_ms(a);
    while (!a->quit) {
        app_tick(a);
        app_draw(a, false, NULL);
        wait_input(a, app_next_deadline(a), sdl_waits);
        while (SDL_PollEvent(&ev))
            handle_event(a, &ev);
    }
    return ERR_OK;
}
