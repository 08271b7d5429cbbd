/* ui/screen_ticket.c - the status of a ticket by its number, for
 * anyone: its state and dates, never the text's author or a phone. With
 * the ticket's PIN: the community's answer and the sign-off (满意 closes
 * it: 销号; 不满意 with a reason reopens it: 重新办理). Wrong PINs count
 * and lock the ticket (firmware/ticket.h says where, and for how long). */
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "ui/screen_served.h"
#include "ui/screen_ticket.h"
#include "ui/textentry.h"

enum step { STEP_NUMBER, STEP_STATUS, STEP_PIN, STEP_ANSWER, STEP_DONE };

#define DIGITS_MAX 12

struct ticket_state {
    enum step      step;
    char           digits[DIGITS_MAX + 1];
    bool           not_found;
    struct ticket  t;
    char           pin[5];                  /* cleared on leaving */
    enum ticket_pin pin_result;
    int            left;
    int64_t        until;
    bool           tried, satisfied, saved, writing;
    bool           confirming;     /* away to 服务确认, coming back */
    const char    *why;
};

static struct ticket_state *st(struct app *a)
{
    return app_state(a, &screen_ticket_ops);
}

void screen_ticket_open(struct app *a)
{
    memset(st(a), 0, sizeof(struct ticket_state));
    app_go(a, &screen_ticket_ops);
}

static void signoff(struct app *a, bool satisfied, const char *reason)
{
    struct ticket_state *s = st(a);
    struct stamp now;
    app_stamp(a, &now);
    err_code e = ticket_signoff(a->store, s->t.ticket, s->pin, satisfied,
                                reason, &now, &s->why);
    s->saved = e == ERR_OK;
    s->satisfied = satisfied;
    if (s->saved)
        app_stored(a);
    else if (!s->why)
        s->why = "failed";
    store_ticket_get(a->store, s->t.ticket, &s->t);
    s->step = STEP_DONE;
}

static void enter(struct app *a)
{
    struct ticket_state *s = st(a);
    char text[TEXTENTRY_BYTES];
    switch (textentry_take(a, &screen_ticket_ops, NULL, text, sizeof text)) {
    case TEXTENTRY_DONE:
        if (text[0])
            signoff(a, false, text);
        break;
    default:
        break;
    }
    (void)s;
}

static void leave(struct app *a)
{
    struct ticket_state *s = st(a);
    if (s->writing || s->confirming) {
        s->writing = s->confirming = false;
        return;
    }
    memset(s->pin, 0, sizeof s->pin);
    memset(s->digits, 0, sizeof s->digits);
    s->step = STEP_NUMBER;
}

static void number_key(struct app *a, const char *k)
{
    struct ticket_state *s = st(a);
    size_t n = strlen(s->digits);
    s->not_found = false;
    if (strcmp(k, "del") == 0) {
        if (n > 0)
            s->digits[n - 1] = '\0';
    } else if (strcmp(k, "ok") == 0) {
        if (n > 0 && store_ticket_find(a->store, s->digits, &s->t) == ERR_OK)
            s->step = STEP_STATUS;
        else
            s->not_found = true;
    } else if (k[0] >= '0' && k[0] <= '9' && !k[1] && n < DIGITS_MAX) {
        s->digits[n] = k[0];
        s->digits[n + 1] = '\0';
    }
}

static void pin_key(struct app *a, const char *k)
{
    struct ticket_state *s = st(a);
    size_t n = strlen(s->pin);
    if (strcmp(k, "del") == 0) {
        if (n > 0)
            s->pin[n - 1] = '\0';
        return;
    }
    if (strcmp(k, "ok") == 0 || !(k[0] >= '0' && k[0] <= '9') || k[1])
        return;
    if (n < 4) {
        s->pin[n] = k[0];
        s->pin[n + 1] = '\0';
    }
    if (strlen(s->pin) < 4)
        return;
    /* Four digits: checked at once, as a door lock does. */
    struct stamp now;
    app_stamp(a, &now);
    s->tried = true;
    if (ticket_pin_check(a->store, s->t.ticket, s->pin, &now,
                         &s->pin_result, &s->left, &s->until) != ERR_OK)
        s->pin_result = TICKET_PIN_WRONG;
    if (s->pin_result == TICKET_PIN_OK) {
        store_ticket_get(a->store, s->t.ticket, &s->t);
        s->step = STEP_ANSWER;
        /* A member's service for this ticket waits for its resident's
         * word (服务确认): asked first, then back to the answer. */
        if (screen_served_pending(a, s->t.ticket)) {
            s->confirming = true;
            screen_served_open(a, s->t.ticket, s->pin);
        }
        return;
    }
    app_stored(a);                            /* the wrong PIN's event */
    memset(s->pin, 0, sizeof s->pin);
}

static void unsatisfied(struct app *a)
{
    const char *presets[3] = { app_s(a, "ledger.reason1"),
                               app_s(a, "ledger.reason2"),
                               app_s(a, "ledger.reason3") };
    struct textentry_request rq = {
        .title_key = "ledger.reason_title",
        .max_chars = LEDGER_REASON_CHARS, .presets = presets,
        .n_presets = 3,
    };
    st(a)->writing = true;
    textentry_open(a, &rq);
}

static void event(struct app *a, const char *id)
{
    struct ticket_state *s = st(a);
    if (strcmp(id, "back") == 0 || strcmp(id, "done") == 0) {
        if (s->step == STEP_NUMBER || s->step == STEP_DONE ||
            strcmp(id, "done") == 0)
            app_go(a, &screen_home_ops);
        else {
            memset(s->pin, 0, sizeof s->pin);
            s->step = s->step == STEP_STATUS ? STEP_NUMBER : STEP_STATUS;
        }
    } else if (s->step == STEP_NUMBER && strncmp(id, "key.", 4) == 0) {
        number_key(a, id + 4);
    } else if (s->step == STEP_STATUS && strcmp(id, "pin") == 0) {
        memset(s->pin, 0, sizeof s->pin);
        s->tried = false;
        s->step = STEP_PIN;
    } else if (s->step == STEP_PIN && strncmp(id, "key.", 4) == 0) {
        pin_key(a, id + 4);
    } else if (s->step == STEP_ANSWER && strcmp(id, "yes") == 0) {
        signoff(a, true, "");
    } else if (s->step == STEP_ANSWER && strcmp(id, "no") == 0) {
        unsatisfied(a);
    }
}

/* ---- drawing ----------------------------------------------------------- */

static const char *typed_number(struct app *a)
{
    char prefix[24];
    int device;
    ticket_prefix(&a->cfg, prefix, sizeof prefix, &device);
    return app_fmt(a, "%s-%s", prefix, st(a)->digits);
}

static void draw_number(struct app *a, SDL_Rect c)
{
    struct ticket_state *s = st(a);
    struct ui *ui = a->ui;
    int gap = ui_u(ui, 12), lh = ui_touch_h(ui, UI_HUGE, 1);
    bool port = ui_portrait(ui);
    SDL_Rect left = port ? (SDL_Rect){ c.x, c.y, c.w, c.h * 2 / 5 - gap }
                         : (SDL_Rect){ c.x, c.y, c.w / 2 - gap, c.h };
    SDL_Rect pad = port ? (SDL_Rect){ c.x, c.y + c.h * 2 / 5, c.w,
                                      c.h * 3 / 5 }
                        : (SDL_Rect){ c.x + c.w / 2, c.y, c.w / 2, c.h };
    SDL_Rect box = { left.x, left.y, left.w, lh };
    ui_fill(ui, &box, UI_SURFACE);
    ui_frame_rect(ui, &box, UI_BORDER, 2);
    ui_label(ui, typed_number(a), UI_TITLE, UI_TEXT, &box, TEXT_CENTER, 1,
             true);
    SDL_Rect hint = { left.x, left.y + lh + gap, left.w,
                      left.h - lh - gap };
    ui_label(ui, app_s(a, s->not_found ? "ledger.not_found"
                                       : "ledger.number_hint"),
             UI_BODY, s->not_found ? UI_ERR : UI_TEXT, &hint, TEXT_LEFT, 5,
             false);
    widget_keypad(ui, pad, app_s(a, "key.del"), app_s(a, "key.ok"));
}

static int date_rows(struct app *a, struct widget_row *rows)
{
    const struct ticket *t = &st(a)->t;
    static const char *const keys[] = { "ledger.d_filed", "ledger.d_accepted",
        "ledger.d_assigned", "ledger.d_answered", "ledger.d_closed" };
    const int64_t ms[] = { t->filed_ms, t->accepted_ms, t->assigned_ms,
                           t->answered_ms, t->closed_ms };
    int n = 0;
    for (int i = 0; i < 5; i++)
        if (ms[i] > 0) {
            const char *k = keys[i];
            if (t->kind == LEDGER_WISH && i == 2)
                k = "ledger.d_claimed";
            else if (t->kind == LEDGER_WISH && i == 3)
                k = "ledger.d_fulfilled";
            rows[n++] = (struct widget_row){ .title = app_s(a, k),
                .right = ticket_when(a, ms[i]), .right_color = UI_TEXT };
        }
    return n;
}

static void draw_status(struct app *a, SDL_Rect c)
{
    struct ticket_state *s = st(a);
    struct ui *ui = a->ui;
    struct widget_row rows[6];
    int gap = ui_u(ui, 10), bh = ui_touch_h(ui, UI_BIG, 1);
    int lh = ui_touch_h(ui, UI_TITLE, 1);
    SDL_Rect head = { c.x, c.y, c.w, lh };
    ui_fill(ui, &head, UI_SURFACE);
    SDL_Rect in = widget_inset(head, ui_u(ui, 8));
    ui_label(ui, app_fmt(a, "%s  %s", s->t.ticket,
                         ticket_type_name(a, s->t.type)),
             UI_BIG, UI_TEXT, &in, TEXT_LEFT, 1, true);
    ui_label(ui, ticket_state_name(a, s->t.kind, s->t.state), UI_TITLE,
             s->t.state == LEDGER_CLOSED ? UI_OK : UI_PRIMARY, &in,
             TEXT_RIGHT, 1, true);
    int n = date_rows(a, rows);
    if (!s->t.from_hub)
        rows[n++] = (struct widget_row){ .title = app_s(a,
                                                        "ledger.not_synced") };
    SDL_Rect list = { c.x, c.y + lh + gap, c.w, c.h - lh - bh - 2 * gap };
    widget_list(ui, NULL, rows, n, 0, list, NULL, NULL);
    SDL_Rect b = { c.x, c.y + c.h - bh, c.w, bh };
    widget_button(ui, "pin", app_s(a, "ledger.enter_pin"), b,
                  WIDGET_PRIMARY);
}

static void draw_pin(struct app *a, SDL_Rect c)
{
    struct ticket_state *s = st(a);
    struct ui *ui = a->ui;
    int gap = ui_u(ui, 12), lh = ui_touch_h(ui, UI_HUGE, 1);
    bool port = ui_portrait(ui);
    SDL_Rect left = port ? (SDL_Rect){ c.x, c.y, c.w, c.h * 2 / 5 - gap }
                         : (SDL_Rect){ c.x, c.y, c.w / 2 - gap, c.h };
    SDL_Rect pad = port ? (SDL_Rect){ c.x, c.y + c.h * 2 / 5, c.w,
                                      c.h * 3 / 5 }
                        : (SDL_Rect){ c.x + c.w / 2, c.y, c.w / 2, c.h };
    char dots[32] = "";
    for (int i = 0; i < 4; i++)
        strcat(dots, i < (int)strlen(s->pin) ? "● " : "○ ");
    SDL_Rect box = { left.x, left.y, left.w, lh };
    ui_fill(ui, &box, UI_SURFACE);
    ui_frame_rect(ui, &box, UI_BORDER, 2);
    ui_label(ui, dots, UI_TITLE, UI_TEXT, &box, TEXT_CENTER, 1, true);
    SDL_Rect hint = { left.x, left.y + lh + gap, left.w,
                      left.h - lh - gap };
    const char *msg = app_sfmt(a, "ledger.pin_hint", s->t.ticket);
    enum ui_color col = UI_TEXT;
    if (s->tried && s->pin_result == TICKET_PIN_WRONG) {
        msg = app_sfmt(a, "ledger.pin_wrong", s->left);
        col = UI_ERR;
    } else if (s->tried && s->pin_result == TICKET_PIN_LOCKED) {
        msg = app_sfmt(a, "ledger.pin_locked", ticket_when(a, s->until));
        col = UI_ERR;
    }
    ui_label(ui, msg, UI_BIG, col, &hint, TEXT_LEFT, 5, false);
    widget_keypad(ui, pad, app_s(a, "key.del"), app_s(a, "key.ok"));
}

static void draw_answer(struct app *a, SDL_Rect c)
{
    struct ticket_state *s = st(a);
    struct ui *ui = a->ui;
    int gap = ui_u(ui, 10), bh = ui_touch_h(ui, UI_BIG, 1);
    struct widget_row rows[3] = {
        { .title = app_s(a, "ledger.r_text"), .detail = s->t.text },
        { .title = app_s(a, s->t.kind == LEDGER_WISH ? "ledger.fulfilment"
                                                      : "ledger.answer"),
          .detail = s->t.answer[0] ? s->t.answer
                                   : app_s(a, "ledger.no_answer") },
        { .title = app_s(a, "ledger.state"),
          .right = ticket_state_name(a, s->t.kind, s->t.state),
          .right_color = UI_PRIMARY },
    };
    bool ask = ledger_step_ok(s->t.kind, s->t.state, LEDGER_STEP_SIGNOFF);
    SDL_Rect list = { c.x, c.y, c.w, c.h - (ask ? bh + gap : 0) };
    widget_list(ui, NULL, rows, 3, 0, list, NULL, NULL);
    if (ask) {
        SDL_Rect bar = { c.x, c.y + c.h - bh, c.w, bh };
        widget_button(ui, "yes", app_s(a, "ledger.satisfied"),
                      widget_cell(bar, 2, 1, 0, gap), WIDGET_PRIMARY);
        widget_button(ui, "no", app_s(a, "ledger.unsatisfied"),
                      widget_cell(bar, 2, 1, 1, gap), WIDGET_PLAIN);
    }
}

static void draw_done(struct app *a, SDL_Rect c)
{
    struct ticket_state *s = st(a);
    struct ui *ui = a->ui;
    int gap = ui_u(ui, 10), bh = ui_touch_h(ui, UI_BIG, 1), r = c.h / 6;
    SDL_Rect msg = { c.x, c.y + 2 * r + gap, c.w,
                     c.h - 2 * r - bh - 2 * gap };
    SDL_Rect b = { c.x + c.w / 4, c.y + c.h - bh, c.w / 2, bh };
    widget_icon(ui, s->saved ? ICON_OK : ICON_ERR, c.x + c.w / 2, c.y + r,
                r);
    const char *text = !s->saved
        ? app_s(a, app_fmt(a, "ledger.why.%s", s->why))
        : app_s(a, s->satisfied ? "ledger.closed_thanks"
                                : "ledger.reopened_thanks");
    ui_label(ui, text, UI_TITLE, UI_TEXT, &msg, TEXT_CENTER, 3, true);
    widget_button(ui, "done", app_s(a, "btn.done"), b, WIDGET_PRIMARY);
}

static void draw(struct app *a)
{
    static const char *const titles[] = { "ledger.status_title",
        "ledger.status_title", "ledger.pin_title", "ledger.answer_title",
        "ledger.signoff_title" };
    struct ticket_state *s = st(a);
    SDL_Rect c = widget_header(a->ui, app_s(a, titles[s->step]),
                               app_s(a, "btn.back"), NULL);
    switch (s->step) {
    case STEP_NUMBER: draw_number(a, c); break;
    case STEP_STATUS: draw_status(a, c); break;
    case STEP_PIN:    draw_pin(a, c);    break;
    case STEP_ANSWER: draw_answer(a, c); break;
    default:          draw_done(a, c);   break;
    }
}

const struct screen_ops screen_ticket_ops = {
    .name = "ticket",
    .idle = IDLE_PRIVATE,
    .state_size = sizeof(struct ticket_state),
    .enter = enter,
    .leave = leave,
    .event = event,
    .draw = draw,
};
