/* ui/screen_identify.c - "scan your card" for check-in or My record,
 * with a numeric keypad for the member number where the station allows
 * typed numbers (station.allow_member_number). */
#include <string.h>

#include "ui/app.h"

static void enter(struct app *a)
{
    a->identify.digits[0] = '\0';
    a->identify.bad = false;
}

static void act(struct app *a, const char *member_no)
{
    if (a->identify.purpose == IDENTIFY_RECORD)
        app_open_record(a, member_no);
    else
        app_visit(a, member_no, false);
}

static void submit(struct app *a)
{
    char line[STORE_MEMBER_NO + 16];
    struct credential c;
    enum credential_refusal why;
    struct stamp now;

    if (a->identify.digits[0] == '\0')
        return;
    snprintf(line, sizeof line, "%s%s", a->cfg.member_prefix,
             a->identify.digits);
    app_stamp(a, &now);
    if (credential_check(a->cards, &now, CRED_ACCEPT_MEMBER, line, &c, &why)
        != ERR_OK) {
        a->identify.bad = true;
        return;
    }
    act(a, c.id);
}

static void event(struct app *a, const char *id)
{
    size_t n = strlen(a->identify.digits);

    a->identify.bad = false;
    if (strcmp(id, "back") == 0) {
        app_go(a, &screen_home_ops);
    } else if (strcmp(id, "key.del") == 0) {
        if (n > 0)
            a->identify.digits[n - 1] = '\0';
    } else if (strcmp(id, "key.ok") == 0) {
        submit(a);
    } else if (strncmp(id, "key.", 4) == 0 && id[4] >= '0' && id[4] <= '9' &&
               a->cfg.allow_member_number && n < 12) {
        a->identify.digits[n] = id[4];
        a->identify.digits[n + 1] = '\0';
    }
}

static void scan(struct app *a, const struct credential *c)
{
    act(a, c->id);
}

static void draw_keypad(struct app *a, SDL_Rect area)
{
    struct ui *ui = a->ui;
    int box_h = ui_touch_h(ui, UI_TITLE, 1), gap = ui_u(ui, 10);
    SDL_Rect box = { area.x, area.y, area.w, box_h };
    SDL_Rect pad = { area.x, area.y + box_h + gap, area.w,
                     area.h - box_h - gap };

    ui_fill(ui, &box, UI_SURFACE);
    ui_frame_rect(ui, &box, a->identify.bad ? UI_ERR : UI_BORDER, 2);
    SDL_Rect in = widget_inset(box, ui_u(ui, 8));
    if (a->identify.digits[0] || a->cfg.member_prefix[0])
        ui_label(ui, app_fmt(a, "%s%s", a->cfg.member_prefix,
                             a->identify.digits),
                 UI_TITLE, UI_TEXT, &in, TEXT_CENTER, 1, true);
    widget_keypad(ui, pad, app_s(a, "key.del"), app_s(a, "key.ok"));
}

static void draw(struct app *a)
{
    struct ui *ui = a->ui;
    bool keypad = a->cfg.allow_member_number;
    SDL_Rect c = widget_header(ui, app_s(a, a->identify.purpose ==
                                         IDENTIFY_RECORD ? "home.record"
                                                         : "home.checkin"),
                               app_s(a, "btn.back"), NULL);
    SDL_Rect left = c, right = c;
    int gap = ui_u(ui, 16);

    if (keypad && !ui_portrait(ui)) {
        left.w = c.w / 2 - gap / 2;
        right.x = c.x + c.w / 2 + gap / 2;
        right.w = c.w / 2 - gap / 2;
    } else if (keypad) {
        left.h = c.h / 3;
        right.y = c.y + c.h / 3 + gap;
        right.h = c.h - c.h / 3 - gap;
    }
    const char *hint = app_s(a, keypad ? "id.scan_or_type" : "id.scan");
    if (a->identify.bad)
        hint = app_s(a, "id.bad_number");
    ui_label(ui, hint, UI_TITLE, a->identify.bad ? UI_ERR : UI_TEXT, &left,
             TEXT_CENTER, 4, true);
    if (keypad)
        draw_keypad(a, right);
}

const struct screen_ops screen_identify_ops = {
    .name = "identify",
    .idle = IDLE_HOME,
    .enter = enter,
    .event = event,
    .draw = draw,
    .scan = scan,
};
