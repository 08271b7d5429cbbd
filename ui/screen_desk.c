/* ui/screen_desk.c - 来访登记 at the duty desk, in steps like the
 * residents' request: the duty member's card (or number and PIN), then
 * for each visitor the matter (the hub's request types), the building and
 * unit, a short description (a preset or written), the outcome (当场办结 /
 * 转办 / 不能办理 with the reason), a review, and the result with the
 * printed receipt (回执) for the visitor; "next visitor" starts again
 * without a card. Anyone not on today's roster, or not checked in, is
 * told why and what to do. Nothing of a visitor outlives the screen. */
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xmalloc.h"
#include "firmware/desk.h"
#include "firmware/receipt.h"
#include "ui/screen_desk.h"
#include "ui/screen_ticket.h"
#include "ui/textentry.h"

enum step { STEP_CARD, STEP_REFUSED, STEP_TYPE, STEP_BUILDING, STEP_UNIT,
            STEP_TEXT, STEP_OUTCOME, STEP_REASON, STEP_REVIEW, STEP_DONE };

enum writing { WRITE_NONE, WRITE_TEXT, WRITE_REASON };

#define TYPES_MAX 12
#define PLACES_MAX 24
#define REASONS 4

struct desk_state {
    enum step          step;
    enum desk_refusal  refusal;
    char               member_no[STORE_MEMBER_NO];
    char               name[STORE_NAME];
    char               type[32];
    char               building[16], unit[16];
    char               text[LEDGER_TEXT_BYTES];
    enum desk_outcome  outcome;
    char               reason[LEDGER_REASON_CHARS * 4 + 1];
    struct desk_logged logged;               /* PIN cleared on leaving */
    bool               saved, printed;
    enum writing       writing;              /* off to the text entry */
    const char        *why;                  /* a refusal (static text) */
    char               presets[CHANGE_PRESETS][CHANGE_PRESET];  /* shown */
};

static struct desk_state *st(struct app *a)
{
    return app_state(a, &screen_desk_ops);
}

/* A new visitor: the form empty, the duty member kept. */
static void clear_visitor(struct desk_state *s)
{
    s->type[0] = s->building[0] = s->unit[0] = '\0';
    s->text[0] = s->reason[0] = '\0';
    s->outcome = DESK_DONE;
    memset(&s->logged, 0, sizeof s->logged);
    s->saved = s->printed = false;
    s->why = NULL;
}

void screen_desk_open(struct app *a)
{
    struct desk_state *s = st(a);
    memset(s, 0, sizeof *s);
    app_go(a, &screen_desk_ops);
}

void screen_desk_member(struct app *a, const char *member_no)
{
    struct desk_state *s = st(a);
    struct member m;
    struct stamp now;
    /* Onto the screen first: leaving it (a card on the refusal) clears
     * the state this fills. */
    if (a->screen != &screen_desk_ops)
        app_go(a, &screen_desk_ops);
    memset(s, 0, sizeof *s);
    app_stamp(a, &now);
    str_copy(s->member_no, sizeof s->member_no, member_no);
    err_code e = desk_open(a->store, &a->cfg, member_no, &now, &s->refusal,
                           &m);
    if (e == ERR_OK) {
        str_copy(s->name, sizeof s->name, m.name);
        s->step = STEP_TYPE;
    } else {
        if (e != ERR_DENIED)
            s->refusal = DESK_UNKNOWN_MEMBER;   /* the store failed: ask */
        s->step = STEP_REFUSED;
        s->member_no[0] = '\0';
        if (a->board)
            board_signal(a->board, BOARD_SIGNAL_ERROR);
    }
    a->dirty = true;
}

static void enter(struct app *a)
{
    struct desk_state *s = st(a);
    char text[TEXTENTRY_BYTES];
    if (textentry_take(a, &screen_desk_ops, NULL, text, sizeof text) !=
        TEXTENTRY_DONE || !text[0])
        return;
    if (s->step == STEP_REASON) {
        str_copy(s->reason, sizeof s->reason, text);
        s->step = STEP_REVIEW;
    } else if (s->step == STEP_TEXT) {
        str_copy(s->text, sizeof s->text, text);
        s->step = STEP_OUTCOME;
    }
}

/* Nothing of the visitor outlives the screen, the PIN least of all. */
static void leave(struct app *a)
{
    struct desk_state *s = st(a);
    if (s->writing != WRITE_NONE) {          /* it comes back to us */
        s->writing = WRITE_NONE;
        return;
    }
    clear_visitor(s);
    s->member_no[0] = s->name[0] = '\0';
    s->step = STEP_CARD;
}

static int tile_index(const char *id, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(id, prefix, n) != 0 || id[n] != '.')
        return -1;
    return atoi(id + n + 1);
}

static size_t types(struct app *a, struct ledger_type *out)
{
    size_t n = 0;
    if (store_ledger_types(a->store, LEDGER_REQUEST, out, TYPES_MAX, &n)
        != ERR_OK)
        n = 0;
    return n;
}

static const char *outcome_key(enum desk_outcome o)
{
    return o == DESK_PASSED_ON ? "desk.out.passed_on"
         : o == DESK_CANNOT ? "desk.out.cannot" : "desk.out.done";
}

/* ---- the receipt (回执) --------------------------------------------------- */

static bool print_receipt(struct app *a)
{
    struct desk_state *s = st(a);
    if (!a->board)
        return false;
    int dots = receipt_dots(a->cfg.printer_paper);
    if (dots == 0)
        dots = RECEIPT_DOTS_58MM;
    struct receipt_line l[8];
    size_t n = 0;
    const char *passed = s->outcome == DESK_PASSED_ON ? s->logged.filed.ticket
                                                      : NULL;
    l[n++] = (struct receipt_line){ app_s(a, "desk.r_member"), s->name };
    l[n++] = (struct receipt_line){ app_s(a, "ledger.r_type"),
                                    ticket_type_name(a, s->type) };
    if (s->building[0])
        l[n++] = (struct receipt_line){ app_s(a, "ledger.r_place"),
                                        ticket_place(a, s->building,
                                                     s->unit) };
    l[n++] = (struct receipt_line){ app_s(a, "ledger.r_text"), s->text };
    l[n++] = (struct receipt_line){ app_s(a, "desk.r_outcome"),
                                    app_s(a, outcome_key(s->outcome)) };
    if (s->outcome == DESK_CANNOT)
        l[n++] = (struct receipt_line){ app_s(a, "desk.r_reason"),
                                        s->reason };
    if (passed)
        l[n++] = (struct receipt_line){ app_s(a, "ledger.r_pin"),
                                        s->logged.filed.pin };
    if (a->cfg.duty_phone[0])
        l[n++] = (struct receipt_line){ app_s(a, "desk.r_phone"),
                                        a->cfg.duty_phone };
    struct stamp now;
    app_stamp(a, &now);
    struct receipt r = {
        .station = a->cfg.station_name,
        .title = app_s(a, "desk.r_title"),
        .ticket = passed,
        .when = ticket_when(a, now.wall_ms),
        .lines = l,
        .n_lines = n,
        .qr = passed,
        .next = app_s(a, s->outcome == DESK_PASSED_ON ? "desk.r_next_passed"
                       : s->outcome == DESK_CANNOT ? "desk.r_next_cannot"
                                                   : "desk.r_next_done"),
        .footer = app_s(a, "ledger.r_footer"),
    };
    uint8_t *bytes = NULL;
    size_t len = 0;
    err_code e = receipt_escpos(&r, dots, &bytes, &len);
    if (e == ERR_OK)
        e = board_print(a->board, bytes, len);
    free(bytes);
    if (e != ERR_OK)
        log_info("visitor receipt not printed: %s", err_str(e));
    return e == ERR_OK;
}

/* ---- steps ---------------------------------------------------------------- */

static void submit(struct app *a)
{
    struct desk_state *s = st(a);
    struct stamp now;
    struct desk_visitor v = { .member_no = s->member_no, .type = s->type,
        .building = s->building, .unit = s->unit, .text = s->text,
        .outcome = s->outcome, .reason = s->reason };
    app_stamp(a, &now);
    err_code e = desk_log_visitor(a->store, &a->cfg, &v, &now, &s->refusal,
                                  &s->why, &s->logged);
    if (e == ERR_DENIED) {                   /* checked out meanwhile */
        s->step = STEP_REFUSED;
        clear_visitor(s);
        if (a->board)
            board_signal(a->board, BOARD_SIGNAL_ERROR);
        return;
    }
    s->saved = e == ERR_OK;
    s->printed = false;
    if (s->saved) {
        app_stored(a);
        s->printed = print_receipt(a);
    } else if (!s->why) {
        s->why = "failed";
    }
    s->step = STEP_DONE;
    if (a->board)
        board_signal(a->board, s->saved ? BOARD_SIGNAL_OK
                                        : BOARD_SIGNAL_ERROR);
}

static void pick_type(struct app *a, int i)
{
    struct desk_state *s = st(a);
    struct ledger_type t[TYPES_MAX];
    size_t n = types(a, t);
    if (i < 0 || (size_t)i >= n)
        return;
    str_copy(s->type, sizeof s->type, t[i].code);
    s->step = ticket_has_places(a) ? STEP_BUILDING
                                   : STEP_TEXT;  /* no contacts: no place */
}

static void pick_building(struct app *a, int i)
{
    struct desk_state *s = st(a);
    int units = ticket_pick_building(a, i, s->building, s->unit);
    if (units >= 0)
        s->step = units ? STEP_UNIT : STEP_TEXT;
}

static void pick_unit(struct app *a, int i)
{
    struct desk_state *s = st(a);
    if (ticket_pick_unit(a, s->building, i, s->unit))
        s->step = STEP_TEXT;
}

static int text_presets(struct app *a, const char **out)
{
    struct desk_state *s = st(a);
    struct ledger_type t;
    int n = 0;
    /* Kept in the screen's state: the labels outlive this call. */
    if (store_ledger_type_get(a->store, s->type, &t) == ERR_OK)
        for (; n < t.n_presets; n++) {
            str_copy(s->presets[n], CHANGE_PRESET, t.presets[n]);
            out[n] = s->presets[n];
        }
    return n;
}

static int reason_presets(struct app *a, const char **out)
{
    for (int i = 0; i < REASONS; i++)
        out[i] = app_s(a, app_fmt(a, "desk.reason.%d", i + 1));
    return REASONS;
}

static void write_text(struct app *a, bool reason)
{
    struct desk_state *s = st(a);
    const char *presets[CHANGE_PRESETS > REASONS ? CHANGE_PRESETS : REASONS];
    int n = reason ? reason_presets(a, presets) : text_presets(a, presets);
    struct textentry_request rq = {
        .title_key = reason ? "desk.reason_title" : "desk.write_title",
        .max_chars = reason ? LEDGER_REASON_CHARS : LEDGER_TEXT_CHARS,
        .initial = reason ? s->reason : s->text,
        .presets = presets, .n_presets = n,
    };
    s->writing = reason ? WRITE_REASON : WRITE_TEXT;
    textentry_open(a, &rq);
}

static void pick_preset(struct app *a, int i, bool reason)
{
    struct desk_state *s = st(a);
    const char *presets[CHANGE_PRESETS > REASONS ? CHANGE_PRESETS : REASONS];
    int n = reason ? reason_presets(a, presets) : text_presets(a, presets);
    if (i < 0 || i >= n)
        return;
    if (reason) {
        str_copy(s->reason, sizeof s->reason, presets[i]);
        s->step = STEP_REVIEW;
    } else {
        str_copy(s->text, sizeof s->text, presets[i]);
        s->step = STEP_OUTCOME;
    }
}

static void pick_outcome(struct app *a, int i)
{
    struct desk_state *s = st(a);
    if (i < 0 || i > 2)
        return;
    s->outcome = (enum desk_outcome)i;
    if (s->outcome != DESK_CANNOT)
        s->reason[0] = '\0';
    s->step = s->outcome == DESK_CANNOT ? STEP_REASON : STEP_REVIEW;
}

static void back(struct app *a)
{
    struct desk_state *s = st(a);
    char u[PLACES_MAX][16];
    size_t nu = 0;
    switch (s->step) {
    case STEP_CARD:
    case STEP_REFUSED:
    case STEP_TYPE:
    case STEP_DONE:
        app_go(a, &screen_duty_ops);
        return;
    case STEP_TEXT:
        if (!s->building[0])
            s->step = STEP_TYPE;
        else if (store_units(a->store, s->building, u, PLACES_MAX, &nu)
                 == ERR_OK && nu > 0)
            s->step = STEP_UNIT;
        else
            s->step = STEP_BUILDING;
        return;
    case STEP_REVIEW:
        s->step = s->outcome == DESK_CANNOT ? STEP_REASON : STEP_OUTCOME;
        return;
    default:
        s->step--;
    }
}

/* The duty member's card (or a number: its PIN first). */
static void scan(struct app *a, const char *member_no)
{
    struct desk_state *s = st(a);
    if (s->step != STEP_CARD && s->step != STEP_REFUSED)
        return;                   /* a card mid-form changes nothing */
    if (a->member_card)
        screen_desk_member(a, member_no);
    else
        screen_identify_for(a, IDENTIFY_DESK, member_no, false);
}

static void event(struct app *a, const char *id)
{
    struct desk_state *s = st(a);
    int i;
    if (strcmp(id, "back") == 0 || strcmp(id, "done") == 0)
        back(a);
    else if (strcmp(id, "number") == 0)
        screen_identify_open(a, IDENTIFY_DESK);
    else if (s->step == STEP_DONE && strcmp(id, "again") == 0) {
        clear_visitor(s);
        s->step = STEP_TYPE;
    } else if (s->step == STEP_TYPE && (i = tile_index(id, "type")) >= 0)
        pick_type(a, i);
    else if (s->step == STEP_BUILDING && (i = tile_index(id, "bldg")) >= 0)
        pick_building(a, i);
    else if (s->step == STEP_UNIT && (i = tile_index(id, "unit")) >= 0)
        pick_unit(a, i);
    else if ((s->step == STEP_TEXT || s->step == STEP_REASON) &&
             strcmp(id, "write") == 0)
        write_text(a, s->step == STEP_REASON);
    else if ((s->step == STEP_TEXT || s->step == STEP_REASON) &&
             (i = tile_index(id, "note")) >= 0)
        pick_preset(a, i, s->step == STEP_REASON);
    else if (s->step == STEP_OUTCOME && (i = tile_index(id, "out")) >= 0)
        pick_outcome(a, i);
    else if (s->step == STEP_REVIEW && strcmp(id, "edit") == 0)
        s->step = STEP_TEXT;
    else if (s->step == STEP_REVIEW && strcmp(id, "submit") == 0)
        submit(a);
}

/* ---- drawing -------------------------------------------------------------- */

static int cols(struct app *a, int n)
{
    if (ui_portrait(a->ui))
        return 2;
    return n > 9 || (ui_large(a->ui) && n > 6) ? 4 : n > 4 ? 3 : 2;
}

static void draw_card(struct app *a, SDL_Rect c)
{
    struct ui *ui = a->ui;
    int gap = ui_u(ui, 12), bh = ui_touch_h(ui, UI_BIG, 1);
    int r = c.h / 8;
    const char *scan = app_s(a, "desk.scan");
    enum ui_font fs = widget_fit(ui, scan, c.w, 1, UI_TITLE, UI_BIG);
    SDL_Rect say = { c.x, c.y + 2 * r + gap, c.w, ui_touch_h(ui, fs, 1) };
    SDL_Rect hint = { c.x, say.y + say.h + gap, c.w,
                      c.y + c.h - bh - 2 * gap - (say.y + say.h + gap) };
    SDL_Rect b = { c.x + c.w / 4, c.y + c.h - bh, c.w / 2, bh };
    const char *h = app_s(a, "desk.scan_hint");
    enum ui_font fh = widget_fit(ui, h, c.w, 2, UI_BIG, UI_BODY);
    widget_icon(ui, ICON_INFO, c.x + c.w / 2, c.y + r, r);
    ui_label(ui, scan, fs, UI_PRIMARY, &say, TEXT_CENTER, 1, true);
    ui_label(ui, h, fh, UI_TEXT, &hint, TEXT_CENTER,
             widget_lines(ui, h, fh, c.w), true);
    widget_button(ui, "number", app_s(a, "desk.by_number"), b,
                  WIDGET_PLAIN);
}

static void draw_refused(struct app *a, SDL_Rect c)
{
    struct desk_state *s = st(a);
    struct ui *ui = a->ui;
    static const char *const keys[] = { "desk.no.unknown", "desk.no.unknown",
        "desk.no.inactive", "desk.no.not_on_duty", "desk.no.not_checked_in" };
    int gap = ui_u(ui, 12), bh = ui_touch_h(ui, UI_BIG, 1), r = c.h / 8;
    bool in = s->refusal == DESK_NOT_CHECKED_IN;
    SDL_Rect head = { c.x, c.y + 2 * r + gap, c.w,
                      ui_touch_h(ui, UI_TITLE, 1) };
    SDL_Rect msg = { c.x, head.y + head.h + gap, c.w,
                     c.y + c.h - bh - 2 * gap - (head.y + head.h + gap) };
    SDL_Rect b = { c.x + c.w / 4, c.y + c.h - bh, c.w / 2, bh };
    widget_icon(ui, in ? ICON_WARN : ICON_ERR, c.x + c.w / 2, c.y + r, r);
    ui_label(ui, app_s(a, in ? "desk.no.head_in" : "desk.no.head"),
             UI_TITLE, UI_TEXT, &head, TEXT_CENTER, 1, true);
    const char *m = app_s(a, keys[(unsigned)s->refusal < 5 ? s->refusal
                                                              : 0]);
    enum ui_font fm = widget_fit(ui, m, msg.w, 3, UI_BIG, UI_BODY);
    ui_label(ui, m, fm, UI_TEXT, &msg, TEXT_CENTER,
             widget_lines(ui, m, fm, msg.w), true);
    widget_button(ui, "done", app_s(a, "btn.back"), b, WIDGET_PRIMARY);
}

static void draw_types(struct app *a, SDL_Rect c)
{
    struct ledger_type t[TYPES_MAX];
    const char *labels[TYPES_MAX];
    size_t n = types(a, t);
    for (size_t i = 0; i < n; i++)
        labels[i] = ticket_type_name(a, t[i].code);
    if (n == 0)
        ui_label(a->ui, app_s(a, "ledger.no_types"), UI_BIG, UI_MUTED, &c,
                 TEXT_CENTER, 3, true);
    else
        widget_tiles(a->ui, "type", labels, (int)n, -1, c, cols(a, (int)n));
}

static void draw_places(struct app *a, SDL_Rect c, bool units)
{
    struct desk_state *s = st(a);
    char p[PLACES_MAX][16];
    const char *labels[PLACES_MAX + 1];
    size_t n = 0;
    int k = 0;
    err_code e = units ? store_units(a->store, s->building, p, PLACES_MAX,
                                     &n)
                       : store_buildings(a->store, p, PLACES_MAX, &n);
    if (e != ERR_OK)
        n = 0;
    if (units)
        labels[k++] = app_s(a, "ledger.whole_building");
    for (size_t i = 0; i < n; i++)
        labels[k++] = app_sfmt(a, units ? "contacts.unit_n" : "contacts.bldg",
                               p[i]);
    widget_tiles(a->ui, units ? "unit" : "bldg", labels, k, -1, c,
                 cols(a, k));
}

/* Presets as tiles and the text entry below: the description, or the
 * reason it cannot be handled. */
static void draw_write(struct app *a, SDL_Rect c, bool reason)
{
    struct ui *ui = a->ui;
    const char *labels[CHANGE_PRESETS > REASONS ? CHANGE_PRESETS : REASONS];
    int n = reason ? reason_presets(a, labels) : text_presets(a, labels);
    int gap = ui_u(ui, 10), bh = ui_touch_h(ui, UI_BIG, 1);
    SDL_Rect tiles = { c.x, c.y, c.w, c.h - bh - gap };
    SDL_Rect b = { c.x, c.y + c.h - bh, c.w, bh };
    widget_tiles(ui, "note", labels, n, -1, tiles, ui_portrait(ui) ? 1 : 2);
    widget_button(ui, "write", app_s(a, "ledger.write"), b, WIDGET_PRIMARY);
}

static void draw_outcome(struct app *a, SDL_Rect c)
{
    const char *labels[3] = { app_s(a, "desk.out.done"),
                              app_s(a, "desk.out.passed_on"),
                              app_s(a, "desk.out.cannot") };
    widget_tiles(a->ui, "out", labels, 3, -1, c,
                 ui_portrait(a->ui) ? 1 : 3);
}

static void draw_review(struct app *a, SDL_Rect c)
{
    struct desk_state *s = st(a);
    struct ui *ui = a->ui;
    int gap = ui_u(ui, 10), bh = ui_touch_h(ui, UI_BIG, 1), n = 0;
    struct widget_row rows[5];
    rows[n++] = (struct widget_row){ .title = app_s(a, "ledger.r_type"),
        .right = ticket_type_name(a, s->type) };
    if (s->building[0])
        rows[n++] = (struct widget_row){ .title = app_s(a, "ledger.r_place"),
            .right = ticket_place(a, s->building, s->unit) };
    rows[n++] = (struct widget_row){ .title = app_s(a, "ledger.r_text"),
        .detail = s->text };
    rows[n++] = (struct widget_row){ .title = app_s(a, "desk.r_outcome"),
        .right = app_s(a, outcome_key(s->outcome)) };
    if (s->outcome == DESK_CANNOT)
        rows[n++] = (struct widget_row){ .title = app_s(a, "desk.r_reason"),
            .detail = s->reason };
    for (int i = 0; i < n; i++)
        rows[i].right_color = UI_TEXT;
    SDL_Rect list = { c.x, c.y, c.w, c.h - bh - gap };
    SDL_Rect bar = { c.x, c.y + c.h - bh, c.w, bh };
    widget_list(ui, NULL, rows, n, 0, list, NULL, NULL);
    widget_button(ui, "edit", app_s(a, "ledger.edit"),
                  widget_cell(bar, 2, 1, 0, gap), WIDGET_PLAIN);
    widget_button(ui, "submit", app_s(a, "desk.submit"),
                  widget_cell(bar, 2, 1, 1, gap), WIDGET_PRIMARY);
}

static const char *why_text(struct app *a, const char *why)
{
    if (strncmp(why, "reason", 6) == 0)
        return app_s(a, app_fmt(a, "desk.why.%s", why));
    return app_s(a, app_fmt(a, "ledger.why.%s", why));
}

static void draw_done(struct app *a, SDL_Rect c)
{
    struct desk_state *s = st(a);
    struct ui *ui = a->ui;
    int gap = ui_u(ui, 10), bh = ui_touch_h(ui, UI_BIG, 1);
    SDL_Rect bar = { c.x, c.y + c.h - bh, c.w, bh };
    if (!s->saved) {
        int r = c.h / 6;
        SDL_Rect msg = { c.x, c.y + 2 * r + gap, c.w,
                         c.h - 2 * r - bh - 2 * gap };
        widget_icon(ui, ICON_ERR, c.x + c.w / 2, c.y + r, r);
        ui_label(ui, why_text(a, s->why), UI_TITLE, UI_TEXT, &msg,
                 TEXT_CENTER, 3, true);
        widget_button(ui, "again", app_s(a, "desk.again"),
                      widget_cell(bar, 2, 1, 0, gap), WIDGET_PLAIN);
        widget_button(ui, "done", app_s(a, "btn.done"),
                      widget_cell(bar, 2, 1, 1, gap), WIDGET_PRIMARY);
        return;
    }
    int y = c.y;
    if (s->outcome == DESK_PASSED_ON) {      /* the number and PIN, large */
        int big = ui_touch_h(ui, UI_HUGE, 1), lh = ui_touch_h(ui, UI_BODY, 1);
        SDL_Rect l1 = { c.x, y, c.w / 2 - gap, lh };
        SDL_Rect l2 = { c.x + c.w / 2, y, c.w / 2, lh };
        SDL_Rect v1 = { c.x, y + lh, c.w / 2 - gap, big };
        SDL_Rect v2 = { c.x + c.w / 2, y + lh, c.w / 2, big };
        ui_label(ui, app_s(a, "ledger.ticket_no"), UI_BODY, UI_MUTED, &l1,
                 TEXT_CENTER, 1, true);
        ui_label(ui, app_s(a, "ledger.pin"), UI_BODY, UI_MUTED, &l2,
                 TEXT_CENTER, 1, true);
        ui_fill(ui, &v1, UI_SURFACE);
        ui_fill(ui, &v2, UI_SURFACE);
        ui_label(ui, s->logged.filed.ticket, UI_HUGE, UI_PRIMARY, &v1,
                 TEXT_CENTER, 1, true);
        ui_label(ui, s->logged.filed.pin, UI_HUGE, UI_PRIMARY, &v2,
                 TEXT_CENTER, 1, true);
        y = v1.y + big + gap;
    } else {
        int r = c.h / 8;
        widget_icon(ui, ICON_OK, c.x + c.w / 2, c.y + r, r);
        y = c.y + 2 * r + gap;
    }
    SDL_Rect msg = { c.x, y, c.w, c.y + c.h - bh - gap - y };
    const char *text = app_fmt(a, "%s\n%s",
        app_s(a, app_fmt(a, "desk.saved.%s", desk_outcome_name(s->outcome))),
        app_s(a, s->printed ? "desk.printed"
              : s->outcome == DESK_PASSED_ON ? "desk.not_printed_ticket"
                                             : "desk.not_printed"));
    enum ui_font ft = widget_fit(ui, text, msg.w, 3, UI_BIG, UI_BODY);
    ui_label(ui, text, ft, s->printed ? UI_TEXT : UI_ERR, &msg,
             TEXT_CENTER, 4, true);
    widget_button(ui, "again", app_s(a, "desk.next"),
                  widget_cell(bar, 2, 1, 0, gap), WIDGET_PRIMARY);
    widget_button(ui, "done", app_s(a, "btn.done"),
                  widget_cell(bar, 2, 1, 1, gap), WIDGET_PLAIN);
}

static void draw(struct app *a)
{
    static const char *const titles[] = { "desk.title", "desk.title",
        "desk.pick_type", "ledger.pick_building", "ledger.pick_unit",
        "desk.pick_text", "desk.pick_outcome", "desk.pick_reason",
        "desk.review", "desk.done_title" };
    struct desk_state *s = st(a);
    /* Who is on duty, beside the title, once the form is theirs. */
    const char *who = s->name[0] && s->step >= STEP_TYPE
        ? app_sfmt(a, "desk.on_duty", s->name) : NULL;
    SDL_Rect c = widget_header(a->ui, app_s(a, titles[s->step]),
                               app_s(a, "btn.back"), who);
    switch (s->step) {
    case STEP_CARD:     draw_card(a, c);            break;
    case STEP_REFUSED:  draw_refused(a, c);         break;
    case STEP_TYPE:     draw_types(a, c);           break;
    case STEP_BUILDING: draw_places(a, c, false);   break;
    case STEP_UNIT:     draw_places(a, c, true);    break;
    case STEP_TEXT:     draw_write(a, c, false);    break;
    case STEP_OUTCOME:  draw_outcome(a, c);         break;
    case STEP_REASON:   draw_write(a, c, true);     break;
    case STEP_REVIEW:   draw_review(a, c);          break;
    default:            draw_done(a, c);            break;
    }
}

const struct screen_ops screen_desk_ops = {
    .name = "desk",
    .idle = IDLE_HOME,
    .state_size = sizeof(struct desk_state),
    .enter = enter,
    .leave = leave,
    .event = event,
    .draw = draw,
    .scan = scan,
};
