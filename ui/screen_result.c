/* ui/screen_result.c - what a scan or a typed number did: the member's
 * name, the outcome in words, a colour and an icon. Returns home by
 * itself after APP_RESULT_MS, or at a touch. */
#include "ui/app.h"
#include "ui/feed.h"

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

static void draw(struct app *a)
{
    struct ui *ui = a->ui;
    const struct look *l = &looks[a->result.kind];
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
    ui_label(ui, a->result.name[0] ? a->result.name : app_s(a, "res.none"),
             UI_HUGE, fg, &name, TEXT_CENTER, 1, true);
    if (a->result.kind == RES_OUT)
        msg = app_sfmt(a, "res.out_for", feed_duration(a, a->result.minutes));
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
    .event = event,
    .draw = draw,
};
