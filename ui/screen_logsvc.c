/* ui/screen_logsvc.c - log service done elsewhere, with no typing:
 * category tiles, then duration (and which day), then an optional preset
 * note; saved as pending until the community confirms it on the hub. */
#include <stdlib.h>
#include <string.h>

#include "firmware/service.h"
#include "ui/app.h"
#include "ui/feed.h"

enum { STEP_CATEGORY, STEP_DURATION, STEP_NOTE, STEP_DONE };

static const int durations[] = { 30, 60, 90, 120, 180, 240 };
#define N_DUR ((int)(sizeof durations / sizeof durations[0]))
#define N_DAYS 3

/* The steps' choices, for the member being served (a->member_no). */
struct logsvc_state {
    int  step, cat, minutes, days_ago, note;
    bool saved;
    int  refusal;       /* enum service_refusal, or -1: the store failed */
};

static struct logsvc_state *st(struct app *a)
{
    return app_state(a, &screen_logsvc_ops);
}

static void enter(struct app *a)
{
    memset(st(a), 0, sizeof(struct logsvc_state));
}

static void save(struct app *a)
{
    struct logsvc_state *s = st(a);
    size_t n_cat, n_note;
    const struct service_category *cats = service_categories(&n_cat);
    const char *const *notes = service_note_presets(&n_note);
    enum service_refusal why = SERVICE_OK;
    struct stamp now;
    struct service_request req = {
        .member_no = a->member_no,
        .category = cats[s->cat].key,
        .minutes = s->minutes,
        .days_ago = s->days_ago,
        .note = s->note > 0 ? notes[s->note - 1] : NULL,
    };

    (void)n_note;
    app_stamp(a, &now);
    err_code e = service_log(a->store, &a->cfg, &req, &now, &why, NULL);
    s->saved = e == ERR_OK;
    if (e == ERR_OK)
        app_stored(a);
    s->refusal = e == ERR_INVAL ? (int)why : -1;
    s->step = STEP_DONE;
    if (a->board)
        board_signal(a->board, e == ERR_OK ? BOARD_SIGNAL_OK
                                           : BOARD_SIGNAL_ERROR);
}

static int tile_index(const char *id, const char *prefix)
{
    size_t n = strlen(prefix);

    if (strncmp(id, prefix, n) != 0 || id[n] != '.')
        return -1;
    return atoi(id + n + 1);
}

static void event(struct app *a, const char *id)
{
    struct logsvc_state *s = st(a);
    int i;

    if (strcmp(id, "back") == 0) {
        if (s->step == STEP_CATEGORY || s->step == STEP_DONE)
            screen_record_open(a, a->member_no);
        else
            s->step--;
    } else if (strcmp(id, "done") == 0) {
        screen_record_open(a, a->member_no);
    } else if ((i = tile_index(id, "cat")) >= 0) {
        s->cat = i;
        s->step = STEP_DURATION;
    } else if ((i = tile_index(id, "day")) >= 0 && i < N_DAYS) {
        s->days_ago = i;
    } else if ((i = tile_index(id, "dur")) >= 0 && i < N_DUR) {
        s->minutes = durations[i];
        s->step = STEP_NOTE;
    } else if ((i = tile_index(id, "note")) >= 0) {
        s->note = i;             /* 0: no note */
        save(a);
    }
}

static void draw_categories(struct app *a, SDL_Rect c)
{
    size_t n;
    const struct service_category *cats = service_categories(&n);
    const char *labels[16];

    for (size_t i = 0; i < n && i < 16; i++)
        labels[i] = app_s(a, app_fmt(a, "cat.%s", cats[i].key));
    widget_tiles(a->ui, "cat", labels, (int)n, -1, c,
                 ui_portrait(a->ui) ? 2 : 3);
}

static void draw_duration(struct app *a, SDL_Rect c)
{
    struct ui *ui = a->ui;
    const char *labels[N_DUR], *days[N_DAYS];
    int row = ui_touch_h(ui, UI_BIG, 1), gap = ui_u(ui, 10);
    int n_days = a->cfg.service_backfill_days + 1;
    SDL_Rect top = { c.x, c.y, c.w, c.h - row - gap };
    SDL_Rect bot = { c.x, c.y + c.h - row, c.w, row };

    for (int i = 0; i < N_DUR; i++)
        labels[i] = feed_duration(a, durations[i]);
    widget_tiles(ui, "dur", labels, N_DUR, -1, top, 3);
    for (int i = 0; i < N_DAYS; i++)
        days[i] = app_s(a, app_fmt(a, "svc.day%d", i));
    widget_tiles(ui, "day", days, n_days < N_DAYS ? n_days : N_DAYS,
                 st(a)->days_ago, bot, N_DAYS);
}

static void draw_notes(struct app *a, SDL_Rect c)
{
    size_t n;
    const char *const *notes = service_note_presets(&n);
    const char *labels[16];

    labels[0] = app_s(a, "svc.no_note");
    for (size_t i = 0; i < n && i < 15; i++)
        labels[i + 1] = app_s(a, notes[i]);
    widget_tiles(a->ui, "note", labels, (int)(n < 15 ? n : 15) + 1, -1, c,
                 ui_portrait(a->ui) ? 2 : 3);
}

static void draw_done(struct app *a, SDL_Rect c)
{
    struct ui *ui = a->ui;
    int bh = ui_touch_h(ui, UI_BIG, 1), r = c.h / 6;
    SDL_Rect msg = { c.x, c.y + 2 * r + ui_u(ui, 10), c.w,
                     c.h - 2 * r - bh - ui_u(ui, 20) };
    SDL_Rect b = { c.x + c.w / 3, c.y + c.h - bh, c.w / 3, bh };
    const struct logsvc_state *s = st(a);
    const char *text = s->saved ? app_s(a, "svc.saved")
        : s->refusal >= 0
            ? app_s(a, app_fmt(a, "svc.refused%d", s->refusal))
            : app_s(a, "res.failed");

    widget_icon(ui, s->saved ? ICON_OK : ICON_ERR, c.x + c.w / 2,
                c.y + r, r);
    ui_label(ui, text, UI_TITLE, UI_TEXT, &msg, TEXT_CENTER, 3, true);
    widget_button(ui, "done", app_s(a, "btn.done"), b, WIDGET_PRIMARY);
}

static void draw(struct app *a)
{
    static const char *const titles[] = { "svc.pick_category",
        "svc.pick_duration", "svc.pick_note", "svc.title" };
    int step = st(a)->step;
    SDL_Rect c = widget_header(a->ui, app_s(a, titles[step]),
                               app_s(a, "btn.back"), NULL);

    switch (step) {
    case STEP_CATEGORY: draw_categories(a, c); break;
    case STEP_DURATION: draw_duration(a, c);   break;
    case STEP_NOTE:     draw_notes(a, c);      break;
    default:            draw_done(a, c);       break;
    }
}

const struct screen_ops screen_logsvc_ops = {
    .name = "logsvc",
    .idle = IDLE_PRIVATE,
    .state_size = sizeof(struct logsvc_state),
    .enter = enter,
    .event = event,
    .draw = draw,
};
