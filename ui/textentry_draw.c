/* ui/textentry_draw.c - how the text entry screen looks: the text with
 * its count, the ways of writing as tabs and OK, then the pinyin
 * keyboard with its candidate row, the handwriting pad with its
 * candidates, or the presets. Candidates are drawn in the title size or
 * larger: the people writing here are often old. Draws only. */
#include "ui/textentry_int.h"

#include <stdio.h>
#include <string.h>

static void candidate(struct ui *ui, const char *id, const char *label,
                      SDL_Rect r, enum ui_font f)
{
    SDL_Rect in = widget_inset(r, ui_u(ui, 3));
    SDL_Rect txt = widget_inset(in, ui_u(ui, 4));

    ui_fill(ui, &in, ui_is_pressed(ui, id) ? UI_PRESSED : UI_SURFACE);
    ui_frame_rect(ui, &in, UI_PRIMARY, ui_u(ui, 2) > 0 ? ui_u(ui, 2) : 1);
    ui_label(ui, label, f, UI_TEXT, &txt, TEXT_CENTER, 1, true);
    ui_hit_add(ui, id, &in);
}

/* The end of the text, which is where writing happens, when all of it
 * does not fit two lines of the box. */
static const char *tail(const char *text, int fit)
{
    int n = textentry_chars(text);
    const char *p = text;

    while (n > fit && *p) {
        p++;
        while (((unsigned char)*p & 0xc0) == 0x80)
            p++;
        n--;
    }
    return p;
}

static void text_box(struct app *a, struct textentry_state *s, SDL_Rect r)
{
    struct ui *ui = a->ui;
    SDL_Rect in = widget_inset(r, ui_u(ui, 8));
    SDL_Rect count = in;
    int px = ui_px(ui, UI_BIG), fit = 2 * in.w / (px ? px : 1) - 4;
    const char *shown = tail(s->text, fit > 4 ? fit : 4);

    ui_fill(ui, &r, UI_SURFACE);
    ui_frame_rect(ui, &r, s->too_long ? UI_ERR : UI_PRIMARY, ui_u(ui, 3));
    count.h = ui_px(ui, UI_SMALL) * 3 / 2;
    count.y = in.y + in.h - count.h;
    in.h -= count.h;
    if (s->text[0])
        ui_label(ui, app_fmt(a, "%s%s", shown == s->text ? "" : "…", shown),
                 UI_BIG, UI_TEXT, &in, TEXT_LEFT, 2, false);
    ui_label(ui, s->too_long ? app_sfmt(a, "te.too_long", s->max_chars)
                             : app_fmt(a, "%d / %d",
                                       textentry_chars(s->text),
                                       s->max_chars),
             UI_SMALL, s->too_long ? UI_ERR : UI_MUTED, &count, TEXT_RIGHT,
             1, true);
}

/* A button wide enough for its label on one line. */
static int fit_w(struct app *a, const char *label, int min)
{
    int w = text_width(ui_text(a->ui), label, ui_px(a->ui, UI_BIG)) +
            ui_u(a->ui, 28);

    return w > min ? w : min;
}

/* Text box, the tabs, OK. */
static SDL_Rect top_row(struct app *a, struct textentry_state *s,
                        SDL_Rect c)
{
    struct ui *ui = a->ui;
    static const char *const ids[3] = { "te.pinyin", "te.hand",
                                        "te.presets" };
    int h = ui_touch_h(ui, UI_BIG, 2), gap = ui_u(ui, 8);
    /* Large text on a short screen: the text box gives up its second
     * line so the keys below keep a finger's height. */
    if (h > c.h / 4)
        h = ui_touch_h(ui, UI_BIG, 1) > c.h / 4 ? ui_touch_h(ui, UI_BIG, 1)
                                                : c.h / 4;
    int ntabs = s->n_presets ? 3 : 2, tw[3], x;
    int ow = fit_w(a, app_s(a, "btn.done"), ui_u(ui, 120));
    SDL_Rect box = { c.x, c.y, c.w - ow - gap, h };

    for (int i = 0; i < ntabs; i++) {
        tw[i] = fit_w(a, app_s(a, ids[i]), ui_u(ui, 90));
        box.w -= tw[i] + gap;
    }
    text_box(a, s, box);
    x = box.x + box.w + gap;
    for (int i = 0; i < ntabs; i++) {
        widget_button(ui, ids[i], app_s(a, ids[i]),
                      (SDL_Rect){ x, c.y, tw[i], h },
                      (int)s->tab == i ? WIDGET_SELECTED : WIDGET_PLAIN);
        x += tw[i] + gap;
    }
    widget_button(ui, "te.ok", app_s(a, "btn.done"),
                  (SDL_Rect){ c.x + c.w - ow, c.y, ow, h }, WIDGET_PRIMARY);
    return (SDL_Rect){ c.x, c.y + h + gap, c.w, c.h - h - gap };
}

static void pinyin_row(struct app *a, struct textentry_state *s,
                       SDL_Rect r)
{
    struct ui *ui = a->ui;
    struct ime_pinyin_view v;
    int pw = r.w / 6, nav = ui_u(ui, 64) > UI_MIN_TOUCH + ui_u(ui, 8)
                                ? ui_u(ui, 64) : UI_MIN_TOUCH + ui_u(ui, 8);
    SDL_Rect pre = { r.x, r.y, pw, r.h };
    SDL_Rect cands = { r.x + pw, r.y, r.w - pw - 2 * nav, r.h };

    if (s->py == NULL) {
        ui_label(ui, app_s(a, "te.no_pinyin"), UI_BIG, UI_ERR, &r,
                 TEXT_CENTER, 1, true);
        return;
    }
    ime_pinyin_view(s->py, &v);
    /* Nothing typed yet: the hint may take the empty candidate row (in
     * large text a sixth of the width is too narrow for it). */
    if (!v.preedit[0] && v.n_cand == 0)
        pre.w = r.w - 2 * nav;
    ui_label(ui, v.preedit[0] ? v.preedit
                              : app_s(a, s->english ? "te.hint_en"
                                                    : "te.hint_pinyin"),
             v.preedit[0] ? UI_BIG : UI_BODY,
             v.preedit[0] ? UI_PRIMARY : UI_MUTED, &pre, TEXT_LEFT, 2, true);
    /* cand.N is rime's index on the page; one the font cannot draw is
     * left out rather than shown as '?'. */
    for (int i = 0, at = 0; i < v.n_cand; i++) {
        char id[UI_ID_MAX];
        if (!text_has_glyphs(ui_text(ui), v.cand[i]))
            continue;
        snprintf(id, sizeof id, "cand.%d", i);
        candidate(ui, id, v.cand[i],
                  widget_cell(cands, IME_PINYIN_PAGE, 1, at++, 0), UI_TITLE);
    }
    if (v.n_cand == 0)
        return;
    if (v.page > 0)
        candidate(ui, "cand.prev", "←",
                  (SDL_Rect){ cands.x + cands.w, r.y, nav, r.h }, UI_BIG);
    if (!v.last_page)
        candidate(ui, "cand.next", "→",
                  (SDL_Rect){ cands.x + cands.w + nav, r.y, nav, r.h },
                  UI_BIG);
}

static void pinyin(struct app *a, struct textentry_state *s, SDL_Rect r)
{
    struct ui *ui = a->ui;
    int ch = ui_touch_h(ui, UI_TITLE, 1), gap = ui_u(ui, 6);
    struct keyboard_labels l = {
        .del = app_s(a, "te.del"),
        .space = app_s(a, "te.space"),
        .page = app_s(a, s->page == KEYBOARD_LETTERS ? "te.symbols"
                                                      : "te.letters"),
        .lang = app_s(a, s->english ? "te.lang_en" : "te.lang_zh"),
    };

    pinyin_row(a, s, (SDL_Rect){ r.x, r.y, r.w, ch });
    keyboard_draw(ui, (SDL_Rect){ r.x, r.y + ch + gap, r.w,
                                  r.h - ch - gap },
                  s->page, &l);
}

static void ink(struct ui *ui, const struct textentry_state *s)
{
    int start = 0, thick = ui_u(ui, 6);

    for (int k = 0; k < s->ink.n_strokes; k++) {
        for (int i = start + 1; i < s->ink.end[k]; i++)
            ui_line(ui, s->pad.x + s->ink.x[i - 1], s->pad.y + s->ink.y[i - 1],
                    s->pad.x + s->ink.x[i], s->pad.y + s->ink.y[i], thick,
                    UI_TEXT);
        if (s->ink.end[k] - start == 1)
            ui_fill_circle(ui, s->pad.x + s->ink.x[start],
                           s->pad.y + s->ink.y[start], thick / 2, UI_TEXT);
        start = s->ink.end[k];
    }
}

/* The pad: a square with a faint cross, as on squared writing paper. */
static void pad(struct app *a, struct textentry_state *s, SDL_Rect r)
{
    struct ui *ui = a->ui;
    SDL_Rect hint = widget_inset(r, ui_u(ui, 10));

    if (s->pad.w != r.w || s->pad.h != r.h)
        ime_hand_ink_reset(&s->ink, r.w, r.h);
    s->pad = r;
    ui_hit_add(ui, "hand.pad", &r);     /* scripts draw strokes on it */
    ui_fill(ui, &r, UI_SURFACE);
    ui_frame_rect(ui, &r, UI_PRIMARY, ui_u(ui, 3));
    ui_line(ui, r.x + r.w / 2, r.y + 4, r.x + r.w / 2, r.y + r.h - 4, 1,
            UI_BORDER);
    ui_line(ui, r.x + 4, r.y + r.h / 2, r.x + r.w - 4, r.y + r.h / 2, 1,
            UI_BORDER);
    if (s->ink.n_strokes == 0)
        ui_label(ui, app_s(a, s->hand ? "te.hint_hand" : "te.no_hand"),
                 UI_BODY, s->hand ? UI_MUTED : UI_ERR, &hint, TEXT_CENTER,
                 2, false);
    ink(ui, s);
}

static void handwriting(struct app *a, struct textentry_state *s,
                        SDL_Rect r)
{
    struct ui *ui = a->ui;
    int side = r.h < r.w / 2 ? r.h : r.w / 2, gap = ui_u(ui, 12);
    int bh = ui_touch_h(ui, UI_BIG, 1);
    SDL_Rect right = { r.x + side + gap, r.y, r.w - side - gap, r.h };
    SDL_Rect grid = { right.x, right.y, right.w, right.h - bh - gap };
    SDL_Rect btns = { right.x, right.y + right.h - bh, right.w, bh };

    pad(a, s, (SDL_Rect){ r.x, r.y, side, side });
    for (int i = 0; i < s->n_hand; i++) {
        char id[UI_ID_MAX];
        snprintf(id, sizeof id, "cand.%d", i);
        candidate(ui, id, s->hand_cand[i],
                  widget_cell(grid, 5, 2, i, 0), UI_HUGE);
    }
    widget_button(ui, "hand.undo", app_s(a, "te.undo"),
                  widget_cell(btns, 3, 1, 0, gap), WIDGET_PLAIN);
    widget_button(ui, "hand.clear", app_s(a, "te.clear"),
                  widget_cell(btns, 3, 1, 1, gap), WIDGET_PLAIN);
    widget_button(ui, "te.del", app_s(a, "key.del"),
                  widget_cell(btns, 3, 1, 2, gap), WIDGET_PLAIN);
}

static void presets(struct app *a, struct textentry_state *s, SDL_Rect r)
{
    const char *labels[TEXTENTRY_MAX_PRESETS];

    for (int i = 0; i < s->n_presets; i++)
        labels[i] = s->presets[i];
    widget_tiles(a->ui, "preset", labels, s->n_presets, -1, r, 2);
}

void textentry_draw(struct app *a)
{
    struct textentry_state *s = textentry_st(a);
    SDL_Rect c = widget_header(a->ui, app_s(a, s->title_key),
                               app_s(a, "btn.back"), NULL);
    SDL_Rect rest = top_row(a, s, c);

    if (s->tab == TAB_PINYIN)
        pinyin(a, s, rest);
    else if (s->tab == TAB_HAND)
        handwriting(a, s, rest);
    else
        presets(a, s, rest);
}
