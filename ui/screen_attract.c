/* ui/screen_attract.c - while nobody uses the kiosk, the boards take
 * turns on the full screen, one every kiosk.attract_seconds, above a band
 * that says where and how to scan. Any touch returns home; a scan checks
 * in as usual. */
#include "ui/app.h"
#include "ui/feed.h"

#define N_BOARDS 4
#define ROWS     32

/* Its own copy of each board: the board screens keep theirs. */
struct attract_state {
    int                 board;      /* which board is showing */
    struct feed_duty    duty;
    struct feed_notices notices;
    struct feed_stars   stars;
    struct feed_posts   posts;
};

static struct attract_state *st(struct app *a)
{
    return app_state(a, &screen_attract_ops);
}

static void load(struct app *a)
{
    struct attract_state *s = st(a);

    switch (s->board) {
    case 0: feed_load_duty(a, &s->duty, false);   break;
    case 1: feed_load_notices(a, &s->notices);    break;
    case 2: feed_load_stars(a, &s->stars, 0);     break;
    default: feed_load_posts(a, &s->posts, "");   break;
    }
    app_timer(a, (uint64_t)a->cfg.attract_seconds * 1000);
}

static void enter(struct app *a)
{
    st(a)->board = 0;
    load(a);
}

static void timer(struct app *a)
{
    st(a)->board = (st(a)->board + 1) % N_BOARDS;
    load(a);
}

/* The band's text: its width (between the arrows), font and lines. */
static int band_text(struct app *a, enum ui_font *f, int *lines)
{
    struct ui *ui = a->ui;
    int ar = ui_touch_h(ui, UI_BIG, 1) * 3 / 4, pad = ui_u(ui, 12);
    int w = ui_w(ui) - 2 * (ar + pad);
    const char *scan = app_s(a, "attract.scan");

    *f = widget_fit(ui, scan, w, 1, UI_BIG, UI_BODY);
    *lines = widget_lines(ui, scan, *f, w);
    return w;
}

static int band_height(struct app *a)
{
    struct ui *ui = a->ui;
    enum ui_font f;
    int lines;

    band_text(a, &f, &lines);
    return lines * text_line_height(ui_text(ui), ui_px(ui, f)) +
           text_line_height(ui_text(ui), ui_px(ui, UI_BODY)) + ui_u(ui, 12);
}

/* Where and how to scan, along the bottom edge, right above the
 * scanner: arrows down to it at both ends. */
static void draw_band(struct app *a, SDL_Rect b)
{
    struct ui *ui = a->ui;
    int lb = text_line_height(ui_text(ui), ui_px(ui, UI_BODY));
    int ar = ui_touch_h(ui, UI_BIG, 1) * 3 / 4, pad = ui_u(ui, 12), lines;
    enum ui_font f;
    int w = band_text(a, &f, &lines);
    SDL_Rect top = { b.x + ar + pad, b.y + ui_u(ui, 4), w,
                     b.h - lb - ui_u(ui, 8) };
    SDL_Rect bot = { top.x, top.y + top.h, top.w, lb };
    const char *scan = app_s(a, "attract.scan");

    ui_fill(ui, &b, UI_INFO);
    widget_glyph(ui, GLYPH_ARROW_DOWN, UI_ON_PRIMARY,
                 (SDL_Rect){ b.x + pad / 2, b.y, ar, b.h }, ar);
    widget_glyph(ui, GLYPH_ARROW_DOWN, UI_ON_PRIMARY,
                 (SDL_Rect){ b.x + b.w - ar - pad / 2, b.y, ar, b.h }, ar);
    ui_label(ui, scan, f, UI_ON_PRIMARY, &top, TEXT_CENTER, lines, true);
    ui_label(ui, app_s(a, "attract.touch"), UI_BODY, UI_ON_PRIMARY, &bot,
             TEXT_CENTER, 1, true);
}

static void draw(struct app *a)
{
    static const char *const titles[N_BOARDS] = {
        "duty.today", "boards.notices", "stars.month", "boards.posts",
    };
    const struct attract_state *s = st(a);
    struct ui *ui = a->ui;
    struct widget_row rows[ROWS];
    int y, mo, d, h, mi, wd, n, band = band_height(a);
    bool failed;
    SDL_Rect all = { 0, 0, ui_w(ui), ui_h(ui) };

    app_local_time(a, &y, &mo, &d, &h, &mi, &wd);
    SDL_Rect area = widget_header(ui, app_s(a, titles[s->board]),
                                  NULL, app_fmt(a, "%s  %02d:%02d",
                                                a->cfg.station_name, h, mi));
    switch (s->board) {
    case 0: n = feed_duty_rows(a, &s->duty, rows, ROWS);      break;
    case 1: n = feed_notice_rows(a, &s->notices, rows, ROWS); break;
    case 2: n = feed_star_rows(a, &s->stars, rows, ROWS);     break;
    default: n = feed_post_rows(a, &s->posts, rows, ROWS);    break;
    }
    failed = (s->board == 0 && s->duty.failed) ||
             (s->board == 1 && s->notices.failed) ||
             (s->board == 2 && s->stars.failed) ||
             (s->board > 2 && s->posts.failed);
    area.h -= band;
    if (n == 0)
        ui_label(ui, feed_empty_text(a, failed), UI_BIG, UI_MUTED, &area,
                 TEXT_CENTER, 1, true);
    else
        widget_list(ui, NULL, rows, n, 0, area, NULL, NULL);
    draw_band(a, (SDL_Rect){ 0, ui_h(ui) - band, ui_w(ui), band });
    ui_hit_add(ui, "attract", &all);
}

static void event(struct app *a, const char *id)
{
    (void)id;
    app_go(a, &screen_home_ops);
}

const struct screen_ops screen_attract_ops = {
    .name = "attract",
    .idle = IDLE_NONE,
    .state_size = sizeof(struct attract_state),
    .enter = enter,
    .event = event,
    .draw = draw,
    .timer = timer,
};
