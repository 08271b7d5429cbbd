/* ui/screen_result.c - what a scan or a typed number did: the member's
 * name, the outcome in words, a colour, an icon and the board's sound.
 * Returns home by itself after APP_RESULT_MS, or at a touch. The outcome
 * is the controller's (firmware/controller.h); this file only shows it. */
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
    int              minutes;
};

static struct result_state *st(struct app *a)
{
    return app_state(a, &screen_result_ops);
}

struct look {
    const char      *key;       /* string table: the message */
    enum widget_icon icon;
    enum ui_color    color;
};

static const struct look looks[] = {
    [RES_IN]                 = { "res.in", ICON_OK, UI_OK },
    [RES_OUT]                = { "res.out", ICON_INFO, UI_INFO },
    [RES_ALREADY_IN]         = { "res.already_in", ICON_WARN, UI_WARN },
    [RES_NOT_IN]             = { "res.not_in", ICON_WARN, UI_WARN },
    [RES_ALREADY_OUT]        = { "res.already_out", ICON_WARN, UI_WARN },
    [RES_REGISTERED]         = { "res.registered", ICON_OK, UI_OK },
    [RES_ALREADY_REGISTERED] = { "res.already_registered", ICON_WARN,
                                 UI_WARN },
    [RES_UNKNOWN]            = { "res.unknown", ICON_ERR, UI_ERR },
    [RES_INACTIVE]           = { "res.inactive", ICON_ERR, UI_ERR },
    [RES_UNREADABLE]         = { "res.unreadable", ICON_ERR, UI_ERR },
    [RES_NUMBER_OFF]         = { "res.number_off", ICON_ERR, UI_ERR },
    [RES_FAILED]             = { "res.failed", ICON_ERR, UI_ERR },
    [RES_FORGED]             = { "res.forged", ICON_ERR, UI_ERR },
    [RES_EXPIRED]            = { "res.expired", ICON_ERR, UI_ERR },
    [RES_NOT_YET_VALID]      = { "res.not_yet_valid", ICON_ERR, UI_ERR },
    [RES_REVOKED]            = { "res.revoked", ICON_ERR, UI_ERR },
    [RES_OTHER_STATION]      = { "res.other_station", ICON_ERR, UI_ERR },
    [RES_UNKNOWN_KEY]        = { "res.unknown_key", ICON_ERR, UI_ERR },
    [RES_WRONG_KIND]         = { "res.wrong_kind", ICON_ERR, UI_ERR },
};

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

void screen_result_show(struct app *a, const struct controller_outcome *o)
{
    struct result_state *s = st(a);
    enum result_kind k = kind_of(o);
    bool good = k == RES_IN || k == RES_OUT || k == RES_REGISTERED;

    s->kind = k;
    str_copy(s->name, sizeof s->name, o->name);
    s->minutes = o->minutes;
    if (a->board)
        board_signal(a->board, good ? BOARD_SIGNAL_OK : BOARD_SIGNAL_ERROR);
    app_go(a, &screen_result_ops);
}

static void draw(struct app *a)
{
    struct ui *ui = a->ui;
    const struct result_state *s = st(a);
    const struct look *l = &looks[s->kind];
    enum ui_color fg = l->color == UI_WARN ? UI_ON_WARN : UI_ON_PRIMARY;
    int band = ui_h(ui) * 3 / 5, r = band / 4, pad = ui_u(ui, 16);
    SDL_Rect top = { 0, 0, ui_w(ui), band };
    SDL_Rect name = { pad, band / 2 + r / 2 + pad, ui_w(ui) - 2 * pad,
                      band / 2 - r / 2 - 2 * pad };
    const char *msg = app_s(a, l->key);

    ui_fill(ui, &top, l->color);
    ui_fill_circle(ui, ui_w(ui) / 2, band / 4 + pad, r + ui_u(ui, 4),
                   fg);
    widget_icon(ui, l->icon, ui_w(ui) / 2, band / 4 + pad, r);
    ui_label(ui, s->name[0] ? s->name : app_s(a, "res.none"),
             UI_HUGE, fg, &name, TEXT_CENTER, 1, true);
    if (s->kind == RES_OUT)
        msg = app_sfmt(a, "res.out_for", feed_duration(a, s->minutes));
    SDL_Rect m = { pad, band + pad, ui_w(ui) - 2 * pad,
                   ui_h(ui) - band - 3 * pad - ui_touch_h(ui, UI_BIG, 1) };
    ui_label(ui, msg, UI_TITLE, UI_TEXT, &m, TEXT_CENTER, 2, true);
    int bh = ui_touch_h(ui, UI_BIG, 1), bw = ui_w(ui) / 3;
    SDL_Rect b = { (ui_w(ui) - bw) / 2, ui_h(ui) - bh - pad, bw, bh };
    widget_button(ui, "done", app_s(a, "btn.done"), b, WIDGET_PLAIN);
}

static void event(struct app *a, const char *id)
{
    (void)id;
    app_go(a, &screen_home_ops);
}

const struct screen_ops screen_result_ops = {
    .name = "result",
    .idle = IDLE_RESULT,
    .state_size = sizeof(struct result_state),
    .event = event,
    .draw = draw,
};
