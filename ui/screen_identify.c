/* ui/screen_identify.c - "scan your card" for check-in or My record,
 * with a numeric keypad for the member number where the station allows
 * typed numbers (station.allow_member_number). */
#include <string.h>

#include "ui/app.h"

struct identify_state {
    enum identify_for purpose;
    char              digits[STORE_MEMBER_NO];
    bool              bad;
};

static struct identify_state *st(struct app *a)
{
    return app_state(a, &screen_identify_ops);
}

void screen_identify_open(struct app *a, enum identify_for purpose)
{
    st(a)->purpose = purpose;
    app_go(a, &screen_identify_ops);
}

static void enter(struct app *a)
{
    st(a)->digits[0] = '\0';
    st(a)->bad = false;
}

static void act(struct app *a, const char *member_no)
{
    if (st(a)->purpose == IDENTIFY_RECORD)
        screen_record_open(a, member_no);
    else
        app_visit(a, member_no);
}

/* The typed number is checked as a credential first (numbers allowed
 * here?); a refused one stays on the keypad, marked. */
static void submit(struct app *a)
{
    struct identify_state *s = st(a);
    char line[STORE_MEMBER_NO + 16];
    struct controller_outcome o;
    struct stamp now;

    if (s->digits[0] == '\0')
        return;
    snprintf(line, sizeof line, "%s%s", a->cfg.member_prefix, s->digits);
    app_stamp(a, &now);
    controller_typed(a->ctl, &now, line, CONTROLLER_IDENTIFY, &o);
    if (o.kind != CONTROLLER_MEMBER) {
        s->bad = true;
        return;
    }
    act(a, o.member_no);
}

static void event(struct app *a, const char *id)
{
    struct identify_state *s = st(a);
    size_t n = strlen(s->digits);

    s->bad = false;
    if (strcmp(id, "back") == 0) {
        app_go(a, &screen_home_ops);
    } else if (strcmp(id, "key.del") == 0) {
        if (n > 0)
            s->digits[n - 1] = '\0';
    } else if (strcmp(id, "key.ok") == 0) {
        submit(a);
    } else if (strncmp(id, "key.", 4) == 0 && id[4] >= '0' && id[4] <= '9' &&
               a->cfg.allow_member_number && n < 12) {
        s->digits[n] = id[4];
        s->digits[n + 1] = '\0';
    }
}

static void scan(struct app *a, const char *member_no)
{
    act(a, member_no);
}

static void draw_keypad(struct app *a, SDL_Rect area)
{
    const struct identify_state *s = st(a);
    struct ui *ui = a->ui;
    int box_h = ui_touch_h(ui, UI_TITLE, 1), gap = ui_u(ui, 10);
    SDL_Rect box = { area.x, area.y, area.w, box_h };
    SDL_Rect pad = { area.x, area.y + box_h + gap, area.w,
                     area.h - box_h - gap };

    ui_fill(ui, &box, UI_SURFACE);
    ui_frame_rect(ui, &box, s->bad ? UI_ERR : UI_BORDER, 2);
    SDL_Rect in = widget_inset(box, ui_u(ui, 8));
    if (s->digits[0] || a->cfg.member_prefix[0])
        ui_label(ui, app_fmt(a, "%s%s", a->cfg.member_prefix, s->digits),
                 UI_TITLE, UI_TEXT, &in, TEXT_CENTER, 1, true);
    widget_keypad(ui, pad, app_s(a, "key.del"), app_s(a, "key.ok"));
}

static void draw(struct app *a)
{
    const struct identify_state *s = st(a);
    struct ui *ui = a->ui;
    bool keypad = a->cfg.allow_member_number;
    SDL_Rect c = widget_header(ui, app_s(a, s->purpose ==
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
    if (s->bad)
        hint = app_s(a, "id.bad_number");
    ui_label(ui, hint, UI_TITLE, s->bad ? UI_ERR : UI_TEXT, &left,
             TEXT_CENTER, 4, true);
    if (keypad)
        draw_keypad(a, right);
}

const struct screen_ops screen_identify_ops = {
    .name = "identify",
    .idle = IDLE_HOME,
    .state_size = sizeof(struct identify_state),
    .enter = enter,
    .event = event,
    .draw = draw,
    .scan = scan,
};
