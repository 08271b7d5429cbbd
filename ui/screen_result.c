/* ui/screen_result.c - what a scan or a typed number did: a title that
 * says it (签到成功, 签到失败, 此卡无效), the member's name, the times
 * (checked in at, in and out and how long at the station, when an earlier
 * check-in was), what to do next, a colour (red only for a failure), an
 * icon, the board's sound and a spoken prompt. A failure offers a way on
 * (重新输入, 返回首页); a check-out offers 登记本次服务. Returns home by
 * itself after APP_RESULT_MS, or at a touch. The outcome is the
 * controller's (firmware/controller.h); this file only shows it. */
#include <string.h>
#include <time.h>

#include "base/xmalloc.h"
#include "ui/app.h"
#include "ui/feed.h"

enum result_kind {
    RES_IN, RES_OUT, RES_ALREADY_IN, RES_NOT_IN, RES_ALREADY_OUT,
    RES_REGISTERED, RES_ALREADY_REGISTERED, RES_UNKNOWN, RES_INACTIVE,
    RES_UNREADABLE, RES_NUMBER_OFF, RES_FAILED,
    /* a card refused offline, one per check (firmware/credential.h) */
    RES_FORGED, RES_EXPIRED, RES_NOT_YET_VALID, RES_REVOKED,
    RES_OTHER_STATION, RES_UNKNOWN_KEY, RES_WRONG_KIND,
};

struct result_state {
    enum result_kind kind;
    char             name[STORE_NAME];
    char             member_no[STORE_MEMBER_NO];
    bool             card;          /* the member showed a card */
    int              minutes;
    int64_t          in_ms, out_ms;
    int64_t          registered_ms;         /* 报到 */
    char             work_unit[STORE_NAME];
    char             reg_kind[16];
    bool             guest;
};

static struct result_state *st(struct app *a)
{
    return app_state(a, &screen_result_ops);
}

struct look {
    const char      *name;      /* res.t.NAME: what happened, short;
                                 * res.NAME: the rest, what to do */
    enum widget_icon icon;
    enum ui_color    color;
};

static const struct look looks[] = {
    [RES_IN]                 = { "in", ICON_OK, UI_OK },
    [RES_OUT]                = { "out", ICON_INFO, UI_INFO },
    [RES_ALREADY_IN]         = { "already_in", ICON_WARN, UI_WARN },
    [RES_NOT_IN]             = { "not_in", ICON_WARN, UI_WARN },
    [RES_ALREADY_OUT]        = { "already_out", ICON_WARN, UI_WARN },
    [RES_REGISTERED]         = { "registered", ICON_OK, UI_OK },
    [RES_ALREADY_REGISTERED] = { "already_registered", ICON_WARN, UI_WARN },
    [RES_UNKNOWN]            = { "unknown", ICON_ERR, UI_ERR },
    [RES_INACTIVE]           = { "inactive", ICON_ERR, UI_ERR },
    [RES_UNREADABLE]         = { "unreadable", ICON_ERR, UI_ERR },
    [RES_NUMBER_OFF]         = { "number_off", ICON_ERR, UI_ERR },
    [RES_FAILED]             = { "failed", ICON_ERR, UI_ERR },
    [RES_FORGED]             = { "forged", ICON_ERR, UI_ERR },
    [RES_EXPIRED]            = { "expired", ICON_ERR, UI_ERR },
    [RES_NOT_YET_VALID]      = { "not_yet_valid", ICON_ERR, UI_ERR },
    [RES_REVOKED]            = { "revoked", ICON_ERR, UI_ERR },
    [RES_OTHER_STATION]      = { "other_station", ICON_ERR, UI_ERR },
    [RES_UNKNOWN_KEY]        = { "unknown_key", ICON_ERR, UI_ERR },
    [RES_WRONG_KIND]         = { "wrong_kind", ICON_ERR, UI_ERR },
};

static const char *title_of(struct app *a, enum result_kind k)
{
    return app_s(a, app_fmt(a, "res.t.%s", looks[k].name));
}

/* What the member is told when a line is refused: which check failed. */
static enum result_kind refusal_kind(enum credential_refusal why)
{
    switch (why) {
    case CRED_NUMBER_NOT_ALLOWED: return RES_NUMBER_OFF;
    case CRED_FORGED:             return RES_FORGED;
    case CRED_EXPIRED:            return RES_EXPIRED;
    case CRED_NOT_YET_VALID:      return RES_NOT_YET_VALID;
    case CRED_REVOKED:            return RES_REVOKED;
    case CRED_OTHER_STATION:      return RES_OTHER_STATION;
    case CRED_UNKNOWN_KEY:        return RES_UNKNOWN_KEY;
    case CRED_WRONG_KIND:         return RES_WRONG_KIND;
    case CRED_OK:
    case CRED_UNREADABLE:         break;
    }
    return RES_UNREADABLE;
}

static enum result_kind kind_of(const struct controller_outcome *o)
{
    switch (o->kind) {
    case CONTROLLER_CHECKED_IN:         return RES_IN;
    case CONTROLLER_CHECKED_OUT:        return RES_OUT;
    case CONTROLLER_ALREADY_IN:         return RES_ALREADY_IN;
    case CONTROLLER_NOT_IN:             return RES_NOT_IN;
    case CONTROLLER_ALREADY_OUT:        return RES_ALREADY_OUT;
    case CONTROLLER_REGISTERED:         return RES_REGISTERED;
    case CONTROLLER_ALREADY_REGISTERED: return RES_ALREADY_REGISTERED;
    case CONTROLLER_UNKNOWN_MEMBER:     return RES_UNKNOWN;
    case CONTROLLER_INACTIVE:           return RES_INACTIVE;
    case CONTROLLER_REFUSED:            return refusal_kind(o->why);
    case CONTROLLER_MEMBER:             /* not a result: never shown */
    case CONTROLLER_TECHNICIAN:
    case CONTROLLER_FAILED:             break;
    }
    return RES_FAILED;
}

static bool is_error(enum result_kind k)
{
    return looks[k].color == UI_ERR;
}

/* "09:30", local time of the station. */
static const char *clock_text(struct app *a, int64_t ms)
{
    time_t t = (time_t)(ms / 1000) + a->cfg.utc_offset_minutes * 60;
    struct tm tm;

    gmtime_r(&t, &tm);
    return app_fmt(a, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

/* "2026年11月3日", the station's local day. */
static const char *date_text(struct app *a, int64_t ms)
{
    time_t t = (time_t)(ms / 1000) + a->cfg.utc_offset_minutes * 60;
    struct tm tm;

    gmtime_r(&t, &tm);
    return app_sfmt(a, "fmt.ymd", tm.tm_year + 1900, tm.tm_mon + 1,
                    tm.tm_mday);
}

/* 报到's words: thanks (or when it was), then the member's unit and the
 * kind of registration as the roster says, or that they are of another
 * station. */
static const char *registration(struct app *a)
{
    const struct result_state *s = st(a);
    const char *head = s->kind == RES_REGISTERED
        ? app_s(a, "res.registered")
        : app_sfmt(a, "reg.already_on", date_text(a, s->registered_ms));
    const char *unit = s->work_unit[0] ? app_sfmt(a, "reg.unit", s->work_unit)
                                       : NULL;
    const char *kind = s->reg_kind[0]
        ? app_s(a, app_fmt(a, "reg.kind.%s", s->reg_kind)) : NULL;
    const char *who = s->guest ? app_s(a, "reg.guest")
                    : unit && kind ? app_sfmt(a, "reg.unit_kind", unit, kind)
                    : unit ? unit : kind;
    return who ? app_fmt(a, "%s\n%s", head, who) : head;
}

/* The words under the title: times where there are any. */
static const char *detail(struct app *a)
{
    const struct result_state *s = st(a);

    switch (s->kind) {
    case RES_IN:
        return app_sfmt(a, "res.in_at", clock_text(a, s->in_ms));
    case RES_ALREADY_IN:
        return app_sfmt(a, "res.already_in_at", clock_text(a, s->in_ms));
    case RES_OUT:
        return app_sfmt(a, "res.out_at", clock_text(a, s->in_ms),
                        clock_text(a, s->out_ms),
                        feed_duration(a, s->minutes));
    case RES_ALREADY_OUT:
        return app_sfmt(a, "res.already_out_at", clock_text(a, s->out_ms));
    case RES_REGISTERED:
        return registration(a);
    case RES_ALREADY_REGISTERED:
        if (s->registered_ms > 0)
            return registration(a);
        break;
    default:
        break;
    }
    switch (s->kind) {
    default:
        return app_s(a, app_fmt(a, "res.%s", looks[s->kind].name));
    }
}

void screen_result_show(struct app *a, const struct controller_outcome *o)
{
    struct result_state *s = st(a);
    enum result_kind k = kind_of(o);
    bool good = k == RES_IN || k == RES_OUT || k == RES_REGISTERED;

    s->kind = k;
    str_copy(s->name, sizeof s->name, o->name);
    str_copy(s->member_no, sizeof s->member_no, o->member_no);
    s->card = o->cred.kind == CRED_MEMBER_CARD && o->cred.card_id[0];
    s->minutes = o->minutes;
    s->in_ms = o->in_ms;
    s->out_ms = o->out_ms;
    s->registered_ms = o->registered_ms;
    str_copy(s->work_unit, sizeof s->work_unit, o->work_unit);
    str_copy(s->reg_kind, sizeof s->reg_kind, o->reg_kind);
    s->guest = o->guest;
    if (s->guest && !s->name[0])       /* known here by the card alone */
        str_copy(s->name, sizeof s->name, s->member_no);
    if (a->board)
        board_signal(a->board, good ? BOARD_SIGNAL_OK : BOARD_SIGNAL_ERROR);
    /* Spoken: what happened and to whom ("签到成功，张伟"), or what failed
     * and what to do ("此卡已过期，请联系工作人员换发新卡"). */
    if (is_error(k))
        app_say(a, app_sfmt(a, "res.say", title_of(a, k), detail(a)));
    else if (s->name[0])
        app_say(a, app_sfmt(a, "res.say", title_of(a, k), s->name));
    else
        app_say(a, title_of(a, k));
    app_go(a, &screen_result_ops);
}

static void draw_buttons(struct app *a, SDL_Rect bar)
{
    const struct result_state *s = st(a);
    struct ui *ui = a->ui;
    int gap = ui_u(ui, 16), bw = ui_w(ui) / 3;

    if (is_error(s->kind)) {
        /* where numbers are off, the way on is the card again */
        widget_button(ui, "retry", app_s(a, a->cfg.allow_member_number
                                                ? "btn.retry" : "btn.rescan"),
                      widget_cell(bar, 2, 1, 0, gap), WIDGET_PRIMARY);
        widget_button(ui, "home", app_s(a, "btn.home"),
                      widget_cell(bar, 2, 1, 1, gap), WIDGET_PLAIN);
    } else if (s->kind == RES_OUT && s->member_no[0]) {
        widget_button(ui, "logsvc", app_s(a, "res.log_this"),
                      widget_cell(bar, 2, 1, 0, gap), WIDGET_PRIMARY);
        widget_button(ui, "done", app_s(a, "btn.done"),
                      widget_cell(bar, 2, 1, 1, gap), WIDGET_PLAIN);
    } else {
        SDL_Rect b = { bar.x + (bar.w - bw) / 2, bar.y, bw, bar.h };
        widget_button(ui, "done", app_s(a, "btn.done"), b, WIDGET_PLAIN);
    }
}

static void draw(struct app *a)
{
    struct ui *ui = a->ui;
    const struct result_state *s = st(a);
    const struct look *l = &looks[s->kind];
    enum ui_color fg = l->color == UI_WARN ? UI_ON_WARN : UI_ON_PRIMARY;
    int band = ui_h(ui) * 3 / 5, r = band / 6, pad = ui_u(ui, 16);
    int bh = ui_touch_h(ui, UI_BIG, 1);
    int th = text_line_height(ui_text(ui), ui_px(ui, UI_TITLE));
    SDL_Rect top = { 0, 0, ui_w(ui), band };
    SDL_Rect title = { pad, pad + 2 * r + pad, ui_w(ui) - 2 * pad, th };
    SDL_Rect name = { pad, title.y + th + pad / 2, ui_w(ui) - 2 * pad,
                      band - title.y - th - pad };

    ui_fill(ui, &top, l->color);
    ui_fill_circle(ui, ui_w(ui) / 2, pad + r, r + ui_u(ui, 4), fg);
    widget_icon(ui, l->icon, ui_w(ui) / 2, pad + r, r);
    ui_label(ui, title_of(a, s->kind), UI_TITLE, fg, &title, TEXT_CENTER, 1,
             true);
    if (s->name[0])
        ui_label(ui, s->name, UI_HUGE, fg, &name, TEXT_CENTER, 1, true);
    SDL_Rect m = { pad, band + pad, ui_w(ui) - 2 * pad,
                   ui_h(ui) - band - 3 * pad - bh };
    ui_label(ui, detail(a), UI_TITLE, UI_TEXT, &m, TEXT_CENTER,
             s->kind == RES_REGISTERED || s->kind == RES_ALREADY_REGISTERED
                 ? 3 : 2, true);
    draw_buttons(a, (SDL_Rect){ pad, ui_h(ui) - bh - pad,
                                ui_w(ui) - 2 * pad, bh });
}

static void event(struct app *a, const char *id)
{
    const struct result_state *s = st(a);

    if (strcmp(id, "retry") == 0)
        screen_identify_open(a, IDENTIFY_CHECKIN);
    else if (strcmp(id, "logsvc") == 0)
        screen_identify_for(a, IDENTIFY_LOGSVC, s->member_no, s->card);
    else
        app_go(a, &screen_home_ops);
}

const struct screen_ops screen_result_ops = {
    .name = "result",
    .idle = IDLE_RESULT,
    .state_size = sizeof(struct result_state),
    .event = event,
    .draw = draw,
};
