/* ui/screen_served.c - the served resident confirms a member's service:
 * "党员 张伟 为您提供了 关爱老人 60分钟服务，是否属实？" 属实 asks how
 * satisfied (or no rating), 不属实 asks why from a few presets; each
 * answer is stored at once for the hub (firmware/served.h), which decides
 * the log. No typing: an elderly resident answers with two taps. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/ledger.h"
#include "base/xmalloc.h"
#include "firmware/served.h"
#include "ui/feed.h"
#include "ui/screen_served.h"
#include "ui/screen_ticket.h"

#define SERVED_MAX 8
#define N_REASONS  CONFIRM_REASON_PRESETS

enum step { STEP_ASK, STEP_RATE, STEP_REASON, STEP_DONE };

struct served_state {
    enum step       step;
    char            ticket[LEDGER_TICKET];
    char            pin[5];                 /* cleared on leaving */
    struct awaiting list[SERVED_MAX];
    size_t          n;
    int             asked;                  /* answered this visit */
    bool            saved, confirmed;
    const char     *why;
};

static struct served_state *st(struct app *a)
{
    return app_state(a, &screen_served_ops);
}

static size_t load(struct app *a, struct served_state *s)
{
    if (store_awaiting_for(a->store, s->ticket, s->list, SERVED_MAX, &s->n)
        != ERR_OK)
        s->n = 0;
    return s->n;
}

bool screen_served_pending(struct app *a, const char *ticket)
{
    struct awaiting one;
    size_t n = 0;
    return store_awaiting_for(a->store, ticket, &one, 1, &n) == ERR_OK &&
           n > 0;
}

void screen_served_open(struct app *a, const char *ticket, const char *pin)
{
    struct served_state *s = st(a);
    memset(s, 0, sizeof *s);
    str_copy(s->ticket, sizeof s->ticket, ticket);
    str_copy(s->pin, sizeof s->pin, pin);
    if (load(a, s) == 0)
        return;
    app_go(a, &screen_served_ops);
}

static void leave(struct app *a)
{
    memset(st(a)->pin, 0, sizeof st(a)->pin);
}

static void answer(struct app *a, bool confirmed, enum confirm_rating r,
                   const char *reason)
{
    struct served_state *s = st(a);
    struct stamp now;
    struct served_answer ans = {
        .ticket = s->ticket, .pin = s->pin, .key = s->list[0].key,
        .confirmed = confirmed, .rating = r, .reason = reason,
    };
    app_stamp(a, &now);
    err_code e = served_answer(a->store, &ans, &now, &s->why);
    s->saved = e == ERR_OK;
    s->confirmed = confirmed;
    if (s->saved) {
        app_stored(a);
        s->asked++;
    } else if (!s->why) {
        s->why = "failed";
    }
    if (a->board)
        board_signal(a->board, s->saved ? BOARD_SIGNAL_OK
                                        : BOARD_SIGNAL_ERROR);
    s->step = STEP_DONE;
}

static int index_of(const char *id, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(id, prefix, n) != 0 || id[n] != '.')
        return -1;
    return atoi(id + n + 1);
}

static void event(struct app *a, const char *id)
{
    struct served_state *s = st(a);
    int i;
    if (strcmp(id, "back") == 0) {
        if (s->step == STEP_RATE || s->step == STEP_REASON)
            s->step = STEP_ASK;
        else
            app_go(a, &screen_ticket_ops);
    } else if (strcmp(id, "done") == 0) {
        /* The next log, if the resident was served more than once. */
        if (s->saved && load(a, s) > 0)
            s->step = STEP_ASK;
        else
            app_go(a, &screen_ticket_ops);
    } else if (s->step == STEP_ASK && strcmp(id, "yes") == 0) {
        s->step = STEP_RATE;
    } else if (s->step == STEP_ASK && strcmp(id, "no") == 0) {
        s->step = STEP_REASON;
    } else if (s->step == STEP_RATE && (i = index_of(id, "rate")) >= 0 &&
               i <= 3) {
        /* 满意, 基本满意, 不满意, or no rating (tile 3). */
        static const enum confirm_rating r[] = { CONFIRM_SATISFIED,
            CONFIRM_BASIC, CONFIRM_UNSATISFIED, CONFIRM_RATING_NONE };
        answer(a, true, r[i], NULL);
    } else if (s->step == STEP_REASON && (i = index_of(id, "reason")) >= 0 &&
               i < N_REASONS) {
        /* Stored in Chinese whatever the language shown: staff read it
         * at the hub, the member on My record. */
        answer(a, false, CONFIRM_RATING_NONE, confirm_reason_preset(i, 1));
    }
}

/* ---- drawing ----------------------------------------------------------- */

static const char *category_name(struct app *a, const char *key)
{
    return app_s(a, app_fmt(a, "cat.%s", key));
}

static const char *day_text(struct app *a, int64_t day)
{
    time_t t = (time_t)(day * 86400);
    struct tm tm;
    gmtime_r(&t, &tm);
    return app_sfmt(a, "served.when", app_sfmt(a, "rec.date", tm.tm_mon + 1,
                                               tm.tm_mday));
}

static void draw_ask(struct app *a, SDL_Rect c)
{
    struct served_state *s = st(a);
    const struct change_service_awaiting *w = &s->list[0].a;
    struct ui *ui = a->ui;
    int gap = ui_u(ui, 12), bh = ui_touch_h(ui, UI_BIG, 1);
    int lh = text_line_height(ui_text(ui), ui_px(ui, UI_BODY)) + gap;
    SDL_Rect card = { c.x, c.y, c.w, c.h - bh - gap };
    ui_fill(ui, &card, UI_SURFACE);
    SDL_Rect in = widget_inset(card, ui_u(ui, 20));
    SDL_Rect q = { in.x, in.y, in.w, in.h - lh };
    ui_label(ui, app_sfmt(a, "served.ask", w->name,
                          category_name(a, w->category), w->minutes),
             UI_TITLE, UI_TEXT, &q, TEXT_LEFT, 4, true);
    SDL_Rect when = { in.x, in.y + in.h - lh + gap, in.w, lh - gap };
    ui_label(ui, day_text(a, w->day), UI_BODY, UI_MUTED, &when, TEXT_LEFT,
             1, true);
    if (s->n > 1)
        ui_label(ui, app_sfmt(a, "served.count", 1, (int)s->n), UI_BODY,
                 UI_MUTED, &when, TEXT_RIGHT, 1, true);
    SDL_Rect bar = { c.x, c.y + c.h - bh, c.w, bh };
    widget_button(ui, "yes", app_s(a, "served.yes"),
                  widget_cell(bar, 2, 1, 0, gap), WIDGET_PRIMARY);
    widget_button(ui, "no", app_s(a, "served.no"),
                  widget_cell(bar, 2, 1, 1, gap), WIDGET_PLAIN);
}

static void draw_rate(struct app *a, SDL_Rect c)
{
    const char *labels[4] = { app_s(a, "rating.satisfied"),
                              app_s(a, "rating.basic"),
                              app_s(a, "rating.unsatisfied"),
                              app_s(a, "served.rate_skip") };
    widget_tiles(a->ui, "rate", labels, 4, -1, c, 2);
}

static void draw_reason(struct app *a, SDL_Rect c)
{
    const char *labels[N_REASONS];
    for (int i = 0; i < N_REASONS; i++)
        labels[i] = confirm_reason_preset(i, a->lang == 0);  /* 0: zh_CN */
    widget_tiles(a->ui, "reason", labels, N_REASONS, -1, c, 2);
}

static void draw_done(struct app *a, SDL_Rect c)
{
    struct served_state *s = st(a);
    struct ui *ui = a->ui;
    int gap = ui_u(ui, 10), bh = ui_touch_h(ui, UI_BIG, 1), r = c.h / 6;
    SDL_Rect msg = { c.x, c.y + 2 * r + gap, c.w,
                     c.h - 2 * r - bh - 2 * gap };
    SDL_Rect b = { c.x + c.w / 4, c.y + c.h - bh, c.w / 2, bh };
    bool more = s->saved && s->n > 1;
    widget_icon(ui, s->saved ? ICON_OK : ICON_ERR, c.x + c.w / 2, c.y + r,
                r);
    const char *text = !s->saved
        ? app_s(a, app_fmt(a, "ledger.why.%s", s->why))
        : app_s(a, s->confirmed ? "served.thanks_yes" : "served.thanks_no");
    ui_label(ui, text, UI_TITLE, UI_TEXT, &msg, TEXT_CENTER, 3, true);
    widget_button(ui, "done", app_s(a, more ? "served.next" : "btn.done"), b,
                  WIDGET_PRIMARY);
}

static void draw(struct app *a)
{
    static const char *const titles[] = { "served.title",
        "served.rate_title", "served.reason_title", "served.title" };
    struct served_state *s = st(a);
    SDL_Rect c = widget_header(a->ui, app_s(a, titles[s->step]),
                               app_s(a, "btn.back"), NULL);
    switch (s->step) {
    case STEP_ASK:    draw_ask(a, c);    break;
    case STEP_RATE:   draw_rate(a, c);   break;
    case STEP_REASON: draw_reason(a, c); break;
    default:          draw_done(a, c);   break;
    }
}

const struct screen_ops screen_served_ops = {
    .name = "served",
    .idle = IDLE_PRIVATE,
    .state_size = sizeof(struct served_state),
    .leave = leave,
    .event = event,
    .draw = draw,
};
