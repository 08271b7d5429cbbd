/* ui/screen_identify.c - "scan your card" for check-in or My record,
 * with a numeric keypad for the member number where the station allows
 * typed numbers (station.allow_member_number).
 *
 * A number is guessable (HQ0001, HQ0002, ...), so for a member's own data
 * (My record and the service log it opens) a typed or plainly scanned
 * number is followed by a second step: the member's PIN or the last four
 * digits of their phone (station.member_check, checked by
 * credential_member_secret). Wrong answers count per member number;
 * after station.pin_tries of them the number is locked for
 * station.pin_lock_minutes (a card still works). The counts live in this
 * screen's state, so leaving and coming back does not reset them. */
#include <string.h>

#include "base/xmalloc.h"
#include "ui/app.h"
#include "ui/screen_desk.h"

enum identify_step { STEP_NUMBER, STEP_SECRET };

/* What the left panel says: a hint, or what went wrong and the way on. */
enum identify_msg {
    MSG_NONE,
    MSG_NOT_FOUND,      /* 未找到编号 HQ0099 */
    MSG_WRONG,          /* wrong PIN, N tries left */
    MSG_LOCKED,         /* too many wrong tries */
    MSG_NO_SECRET,      /* the member has no PIN: card only */
};

/* Members whose wrong tries are remembered; the one tried longest ago
 * is forgotten first, so resetting a count means trying 32 other numbers
 * in between, each of which counts too. */
#define TRACKED 32
#define SECRET_MAX 6

struct tries {
    char     member_no[STORE_MEMBER_NO];
    int      wrong;
    uint64_t locked_until;              /* app_now_ms; 0: not locked */
    uint64_t last_ms;                   /* last asked about */
};

struct identify_state {
    enum identify_for  purpose;
    enum identify_step step;
    enum identify_msg  msg;
    char               digits[STORE_MEMBER_NO];
    char               secret[SECRET_MAX + 1];
    char               member_no[STORE_MEMBER_NO];  /* STEP_SECRET: whose */
    char               echo[STORE_MEMBER_NO + 64];  /* the number tried */
    bool               bad;
    struct tries       tries[TRACKED];
};

static struct identify_state *st(struct app *a)
{
    return app_state(a, &screen_identify_ops);
}

static struct tries *tries_of(struct app *a, const char *member_no)
{
    struct identify_state *s = st(a);
    struct tries *oldest = &s->tries[0];

    for (int i = 0; i < TRACKED; i++) {
        if (strcmp(s->tries[i].member_no, member_no) == 0) {
            s->tries[i].last_ms = app_now_ms(a);
            return &s->tries[i];
        }
        if (s->tries[i].last_ms < oldest->last_ms)
            oldest = &s->tries[i];
    }
    memset(oldest, 0, sizeof *oldest);
    str_copy(oldest->member_no, sizeof oldest->member_no, member_no);
    oldest->last_ms = app_now_ms(a);
    return oldest;
}

static bool locked(struct app *a, struct tries *t)
{
    if (t->locked_until == 0)
        return false;
    if (app_now_ms(a) < t->locked_until)
        return true;
    t->locked_until = 0;                /* the lock ran out: start again */
    t->wrong = 0;
    return false;
}

bool screen_identify_registering(struct app *a)
{
    return st(a)->purpose == IDENTIFY_REGISTER;
}

/* 报到 by a member known by number (typed, or a card read before). */
static void register_member(struct app *a, const char *member_no)
{
    struct controller_outcome o;
    struct stamp now;

    app_stamp(a, &now);
    controller_member(a->ctl, &now, member_no, CONTROLLER_REGISTER, &o);
    screen_result_show(a, &o);
    if (o.seq != 0)
        app_stored(a);
}

void screen_identify_open(struct app *a, enum identify_for purpose)
{
    st(a)->purpose = purpose;
    app_go(a, &screen_identify_ops);
}

static void reset_input(struct identify_state *s)
{
    s->step = STEP_NUMBER;
    s->msg = MSG_NONE;
    s->digits[0] = s->secret[0] = s->member_no[0] = '\0';
    s->bad = false;
}

static void enter(struct app *a)
{
    reset_input(st(a));
}

/* The second step for member_no: asked for, or refused at once when the
 * number is locked. */
static void ask_secret(struct app *a, const char *member_no)
{
    struct identify_state *s = st(a);

    s->step = STEP_SECRET;
    s->secret[0] = '\0';
    s->msg = MSG_NONE;
    str_copy(s->member_no, sizeof s->member_no, member_no);
    str_copy(s->echo, sizeof s->echo, member_no);
    if (credential_member_has_secret(&a->cfg, a->store, member_no) != ERR_OK)
        s->msg = MSG_NO_SECRET;
    else if (locked(a, tries_of(a, member_no)))
        s->msg = MSG_LOCKED;
}


/* The member's own screen this identification was for. */
static void open_own(struct app *a, const char *member_no)
{
    if (st(a)->purpose == IDENTIFY_LOGSVC) {
        str_copy(a->member_no, sizeof a->member_no, member_no);
        app_go(a, &screen_logsvc_ops);
    } else if (st(a)->purpose == IDENTIFY_DESK) {
        screen_desk_member(a, member_no);
    } else {
        screen_record_open(a, member_no);
    }
}

void screen_identify_for(struct app *a, enum identify_for purpose,
                         const char *member_no, bool card)
{
    st(a)->purpose = purpose;
    if (purpose == IDENTIFY_CHECKIN) {
        app_visit(a, member_no);
    } else if (card) {
        open_own(a, member_no);
    } else {
        app_go(a, &screen_identify_ops);
        ask_secret(a, member_no);
    }
}

/* A member known by a credential: a card opens their own screen at once;
 * a number (typed, or a bare number scanned) asks for the second factor. */
static void act(struct app *a, const char *member_no, bool card)
{
    if (st(a)->purpose == IDENTIFY_CHECKIN)
        app_visit(a, member_no);
    else if (st(a)->purpose == IDENTIFY_REGISTER)
        register_member(a, member_no);  /* not private: no second step */
    else if (card)
        open_own(a, member_no);
    else
        ask_secret(a, member_no);
}

/* The digits as the station writes its numbers: prefix, then zeros up to
 * station.member_digits ("1" -> "HQ0001"). */
static void full_number(struct app *a, char *out, size_t cap)
{
    const struct identify_state *s = st(a);
    int pad = a->cfg.member_digits - (int)strlen(s->digits);

    int n = snprintf(out, cap, "%s%.*s%s", a->cfg.member_prefix,
                     pad > 0 ? pad : 0, "000000000000", s->digits);

    if (n < 0 || (size_t)n >= cap)      /* too long for a member number */
        out[0] = '\0';
}

/* The typed number is checked as a credential first (numbers allowed
 * here?); one that is not a member stays on the keypad, echoed. */
static void submit_number(struct app *a)
{
    struct identify_state *s = st(a);
    struct controller_outcome o;
    struct stamp now;

    if (s->digits[0] == '\0')
        return;
    full_number(a, s->echo, sizeof s->echo);
    app_stamp(a, &now);
    controller_typed(a->ctl, &now, s->echo, CONTROLLER_IDENTIFY, &o);
    if (o.kind == CONTROLLER_MEMBER) {
        act(a, o.member_no, false);
    } else if (o.kind == CONTROLLER_UNKNOWN_MEMBER) {
        s->msg = MSG_NOT_FOUND;
        s->bad = true;
        if (a->board)
            board_signal(a->board, BOARD_SIGNAL_ERROR);
    } else {
        screen_result_show(a, &o);      /* inactive, refused, failed */
    }
}

static void submit_secret(struct app *a)
{
    struct identify_state *s = st(a);
    struct tries *t = tries_of(a, s->member_no);

    if (s->secret[0] == '\0' || locked(a, t))
        return;
    err_code e = credential_member_secret(&a->cfg, a->store, s->member_no,
                                          s->secret);
    s->secret[0] = '\0';
    if (e == ERR_OK) {
        t->wrong = 0;
        open_own(a, s->member_no);
        return;
    }
    if (e == ERR_DENIED) {
        t->wrong++;
        s->msg = MSG_WRONG;
        if (t->wrong >= a->cfg.pin_tries) {
            t->locked_until = app_now_ms(a) +
                              (uint64_t)a->cfg.pin_lock_minutes * 60000;
            s->msg = MSG_LOCKED;
        }
    } else if (e == ERR_UNSUPPORTED) {
        s->msg = MSG_NO_SECRET;
    } else {
        s->msg = MSG_NOT_FOUND;
    }
    if (a->board)
        board_signal(a->board, BOARD_SIGNAL_ERROR);
}

static void type_digit(struct app *a, char d)
{
    struct identify_state *s = st(a);

    if (s->step == STEP_SECRET) {
        size_t n = strlen(s->secret);
        if (s->msg != MSG_LOCKED && s->msg != MSG_NO_SECRET &&
            n < SECRET_MAX) {
            s->secret[n] = d;
            s->secret[n + 1] = '\0';
        }
        return;
    }
    size_t n = strlen(s->digits);
    if (a->cfg.allow_member_number && n < 12) {
        s->digits[n] = d;
        s->digits[n + 1] = '\0';
    }
}

static void event(struct app *a, const char *id)
{
    struct identify_state *s = st(a);
    char *field = s->step == STEP_SECRET ? s->secret : s->digits;
    size_t n = strlen(field);

    s->bad = false;
    if (strcmp(id, "back") == 0 || strcmp(id, "home") == 0) {
        app_go(a, &screen_home_ops);
    } else if (strcmp(id, "retry") == 0) {
        reset_input(s);
    } else if (strcmp(id, "register") == 0) {
        s->purpose = IDENTIFY_REGISTER;
        reset_input(s);
    } else if (strcmp(id, "key.del") == 0) {
        if (n > 0)
            field[n - 1] = '\0';
    } else if (strcmp(id, "key.ok") == 0) {
        if (s->step == STEP_SECRET)
            submit_secret(a);
        else
            submit_number(a);
    } else if (strncmp(id, "key.", 4) == 0 && id[4] >= '0' && id[4] <= '9' &&
               id[5] == '\0') {
        if (s->step == STEP_NUMBER)
            s->msg = MSG_NONE;
        type_digit(a, id[4]);
    }
}

static void scan(struct app *a, const char *member_no)
{
    act(a, member_no, a->member_card);
}

static void draw_keypad(struct app *a, SDL_Rect area)
{
    const struct identify_state *s = st(a);
    struct ui *ui = a->ui;
    int box_h = ui_touch_h(ui, UI_TITLE, 1), gap = ui_u(ui, 10);
    SDL_Rect box = { area.x, area.y, area.w, box_h };
    SDL_Rect pad = { area.x, area.y + box_h + gap, area.w,
                     area.h - box_h - gap };
    const char *shown = NULL;

    ui_fill(ui, &box, UI_SURFACE);
    ui_frame_rect(ui, &box, s->bad ? UI_ERR : UI_BORDER, 2);
    SDL_Rect in = widget_inset(box, ui_u(ui, 8));
    if (s->step == STEP_SECRET) {
        static const char dots[] = "\u25cf\u25cf\u25cf\u25cf\u25cf\u25cf";
        shown = app_fmt(a, "%.*s", (int)strlen(s->secret) * 3, dots);
    } else if (s->digits[0] || a->cfg.member_prefix[0]) {
        shown = app_fmt(a, "%s%s", a->cfg.member_prefix, s->digits);
    }
    if (shown && shown[0])
        ui_label(ui, shown, UI_TITLE, UI_TEXT, &in, TEXT_CENTER, 1, true);
    widget_keypad(ui, pad, app_s(a, "key.del"), app_s(a, "key.ok"));
}

/* The left panel's words: what to do, or what failed. */
static const char *message(struct app *a, bool *error)
{
    const struct identify_state *s = st(a);
    bool phone = strcmp(a->cfg.member_check, "phone4") == 0;
    int left;

    *error = true;
    switch (s->msg) {
    case MSG_NOT_FOUND:
        return app_sfmt(a, "id.not_found", s->echo);
    case MSG_WRONG:
        left = a->cfg.pin_tries - tries_of(a, s->member_no)->wrong;
        return app_sfmt(a, phone ? "id.wrong_phone4" : "id.wrong_pin", left);
    case MSG_LOCKED:
        return app_sfmt(a, "id.locked", a->cfg.pin_lock_minutes);
    case MSG_NO_SECRET:
        return app_sfmt(a, phone ? "id.no_phone" : "id.no_pin", s->echo);
    case MSG_NONE:
        break;
    }
    *error = false;
    if (s->purpose == IDENTIFY_REGISTER)
        return app_s(a, a->cfg.allow_member_number ? "reg.scan_or_type"
                                                   : "reg.scan");
    if (s->step == STEP_SECRET)
        return app_sfmt(a, phone ? "id.enter_phone4" : "id.enter_pin",
                        s->member_no);
    return app_s(a, a->cfg.allow_member_number ? "id.scan_or_type"
                                               : "id.scan");
}

/* A failure's way forward: type again, or go home. */
static void draw_ways(struct app *a, SDL_Rect r)
{
    struct ui *ui = a->ui;
    int gap = ui_u(ui, 12);

    widget_button(ui, "retry", app_s(a, "btn.retry"),
                  widget_cell(r, 2, 1, 0, gap), WIDGET_PRIMARY);
    widget_button(ui, "home", app_s(a, "btn.home"),
                  widget_cell(r, 2, 1, 1, gap), WIDGET_PLAIN);
}

static void draw(struct app *a)
{
    const struct identify_state *s = st(a);
    struct ui *ui = a->ui;
    /* No keypad where typing cannot help: a locked number, no PIN. */
    bool keypad = s->step == STEP_SECRET
        ? s->msg != MSG_LOCKED && s->msg != MSG_NO_SECRET
        : a->cfg.allow_member_number;
    const char *title = s->step == STEP_SECRET ? "id.title_secret"
                      : s->purpose == IDENTIFY_RECORD ? "home.record"
                      : s->purpose == IDENTIFY_LOGSVC ? "svc.title"
                      : s->purpose == IDENTIFY_DESK ? "desk.title"
                      : s->purpose == IDENTIFY_REGISTER ? "reg.title"
                                                      : "home.checkin";
    SDL_Rect c = widget_header(ui, app_s(a, title), app_s(a, "btn.back"),
                               NULL);
    SDL_Rect left = c, right = c;
    int gap = ui_u(ui, 16), bh = ui_touch_h(ui, UI_BIG, 1);
    bool error;

    if (keypad && !ui_portrait(ui)) {
        left.w = c.w / 2 - gap / 2;
        right.x = c.x + c.w / 2 + gap / 2;
        right.w = c.w / 2 - gap / 2;
    } else if (keypad) {
        left.h = c.h / 3;
        right.y = c.y + c.h / 3 + gap;
        right.h = c.h - c.h / 3 - gap;
    }
    const char *msg = message(a, &error);
    bool ways = s->msg == MSG_NOT_FOUND || s->msg == MSG_LOCKED ||
                s->msg == MSG_NO_SECRET;
    SDL_Rect words = left;
    if (ways && left.h > 3 * bh) {
        words.h = left.h - bh - gap;
        draw_ways(a, (SDL_Rect){ left.x, left.y + left.h - bh, left.w, bh });
    } else if (s->purpose == IDENTIFY_CHECKIN && s->step == STEP_NUMBER &&
               left.h > 2 * bh) {
        /* 报到 is the same gesture as checking in: the way to it is here,
         * where a member holding their card already is. */
        words.h = left.h - bh - gap;
        widget_button(ui, "register", app_s(a, "reg.button"),
                      (SDL_Rect){ left.x, left.y + left.h - bh, left.w, bh },
                      WIDGET_PLAIN);
    }
    ui_label(ui, msg, UI_TITLE, error ? UI_ERR : UI_TEXT, &words,
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
