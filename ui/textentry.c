/* ui/textentry.c - the text entry screen's logic (textentry.h): the
 * request and the hand-back, the text being written, and what each key,
 * candidate and stroke does. The engines live only while the screen is
 * up (created in enter, freed in leave); the pinyin engine's data is
 * deployed once, off the frame loop (textentry_warm_up). Drawing is in
 * textentry_draw.c. */
#include "ui/textentry_int.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "base/xmalloc.h"

struct textentry_state *textentry_st(struct app *a)
{
    return app_state(a, &screen_textentry_ops);
}

int textentry_chars(const char *s)
{
    int n = 0;

    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

/* Cut s to at most max characters, at a character boundary. */
static void cut_chars(char *s, int max)
{
    int n = 0;

    for (char *p = s; *p; p++) {
        if (((unsigned char)*p & 0xc0) != 0x80 && n++ == max) {
            *p = '\0';
            return;
        }
    }
}

void textentry_warm_up(struct app *a)
{
    struct textentry_state *s = textentry_st(a);
    char dir[CONFIG_STR + 8];

    if (s->warmed)
        return;
    s->warmed = true;
    if (a->cfg.ime_dir[0])
        str_copy(dir, sizeof dir, a->cfg.ime_dir);
    else
        snprintf(dir, sizeof dir, "%s/rime", a->cfg.state_dir);
    if (ime_pinyin_start(IME_PINYIN_SHARED_DIR, dir) != ERR_OK)
        log_warn("ui: pinyin input unavailable");
}

void textentry_open(struct app *a, const struct textentry_request *req)
{
    struct textentry_state *s = textentry_st(a);
    int max = req->max_chars;

    /* Not from itself: text entry does not nest. */
    assert(a->screen != &screen_textentry_ops);
    s->opener = a->screen;
    s->result = TEXTENTRY_NONE;
    s->result_for = NULL;
    str_copy(s->title_key, sizeof s->title_key, req->title_key);
    s->max_chars = max < 1 ? 1 : max > TEXTENTRY_MAX_CHARS
                                      ? TEXTENTRY_MAX_CHARS : max;
    s->tag = req->tag;
    s->n_presets = 0;
    for (int i = 0; i < req->n_presets && i < TEXTENTRY_MAX_PRESETS; i++)
        str_copy(s->presets[s->n_presets++], TEXTENTRY_PRESET_BYTES,
                 req->presets[i]);
    str_copy(s->text, sizeof s->text, req->initial ? req->initial : "");
    cut_chars(s->text, s->max_chars);
    app_go(a, &screen_textentry_ops);
}

enum textentry_result textentry_take(struct app *a,
                                     const struct screen_ops *opener,
                                     int *tag, char *out, size_t cap)
{
    struct textentry_state *s = textentry_st(a);
    enum textentry_result r = s->result;

    if (r == TEXTENTRY_NONE || s->result_for != opener)
        return TEXTENTRY_NONE;
    if (tag)
        *tag = s->result_tag;
    if (r == TEXTENTRY_DONE && cap > 0)
        str_copy(out, cap, s->result_text);
    s->result = TEXTENTRY_NONE;
    s->result_for = NULL;
    return r;
}

void textentry_set_mode(struct app *a, enum textentry_mode mode)
{
    struct textentry_state *s = textentry_st(a);

    s->mode = mode;
    if (a->screen == &screen_textentry_ops)
        s->tab = mode == TEXTENTRY_PINYIN ? TAB_PINYIN : TAB_HAND;
}

static void enter(struct app *a)
{
    struct textentry_state *s = textentry_st(a);

    textentry_warm_up(a);
    s->tab = s->mode == TEXTENTRY_HANDWRITING ? TAB_HAND : TAB_PINYIN;
    s->page = KEYBOARD_LETTERS;
    s->english = false;
    s->too_long = false;
    s->n_hand = 0;
    ime_hand_ink_reset(&s->ink, 1, 1);
    if (ime_pinyin_create(&s->py) != ERR_OK)
        log_warn("ui: pinyin input unavailable");
    if (ime_hand_create(IME_HAND_MODEL, &s->hand) != ERR_OK)
        log_warn("ui: handwriting unavailable");
}

static void leave(struct app *a)
{
    struct textentry_state *s = textentry_st(a);

    ime_pinyin_destroy(s->py);
    s->py = NULL;
    ime_hand_destroy(s->hand);
    s->hand = NULL;
}

/* Append t unless the text would pass max_chars (then it is marked). */
static void append(struct textentry_state *s, const char *t)
{
    size_t n = strlen(s->text), m = strlen(t);

    if (textentry_chars(s->text) + textentry_chars(t) > s->max_chars ||
        n + m >= sizeof s->text) {
        s->too_long = true;
        return;
    }
    memcpy(s->text + n, t, m + 1);
}

static void delete_char(struct textentry_state *s)
{
    size_t n = strlen(s->text);

    while (n > 0 && ((unsigned char)s->text[n - 1] & 0xc0) == 0x80)
        n--;
    if (n > 0)
        n--;
    s->text[n] = '\0';
}

static bool composing(struct textentry_state *s)
{
    return s->py && ime_pinyin_composing(s->py);
}

static void choose(struct textentry_state *s, int i)
{
    char got[TEXTENTRY_BYTES];
    struct ime_pinyin_view v;

    if (s->tab == TAB_HAND) {
        if (i < s->n_hand) {
            append(s, s->hand_cand[i]);
            ime_hand_ink_reset(&s->ink, s->ink.w, s->ink.h);
            s->n_hand = 0;
        }
        return;
    }
    if (s->py == NULL)
        return;
    /* Refused before choosing, so the pinyin stays for a shorter one. */
    ime_pinyin_view(s->py, &v);
    if (i < v.n_cand && textentry_chars(s->text) +
                            textentry_chars(v.cand[i]) > s->max_chars) {
        s->too_long = true;
        return;
    }
    if (ime_pinyin_choose(s->py, i, got, sizeof got))
        append(s, got);
}

static void close_with(struct app *a, enum textentry_result r)
{
    struct textentry_state *s = textentry_st(a);

    if (r == TEXTENTRY_DONE && composing(s))
        choose(s, 0);                   /* what is composed is meant */
    s->result = r;
    s->result_tag = s->tag;
    s->result_for = s->opener;
    str_copy(s->result_text, sizeof s->result_text,
             r == TEXTENTRY_DONE ? s->text : "");
    app_go(a, s->opener ? s->opener : &screen_home_ops);
}

static void key_del(struct textentry_state *s)
{
    if (s->py && ime_pinyin_backspace(s->py))
        return;
    delete_char(s);
}

static void key_space(struct textentry_state *s)
{
    if (composing(s))
        choose(s, 0);
    else
        append(s, " ");
}

static void letter(struct textentry_state *s, const char *t)
{
    bool is_letter = t[0] >= 'a' && t[0] <= 'z' && t[1] == '\0';

    if (is_letter && !s->english && s->py) {
        ime_pinyin_letter(s->py, t[0]);
        return;
    }
    if (composing(s))                    /* a symbol ends the pinyin */
        choose(s, 0);
    append(s, t);
}

/* The recogniser's best ten that the font can draw (it knows rarer
 * characters than the kiosk's font holds). */
static void reclassify(struct app *a, struct textentry_state *s)
{
    char all[2 * IME_HAND_CANDS][IME_HAND_CAND_BYTES];
    int n = s->hand ? ime_hand_classify(s->hand, &s->ink, all,
                                        2 * IME_HAND_CANDS) : 0;

    s->n_hand = 0;
    for (int i = 0; i < n && s->n_hand < IME_HAND_CANDS; i++)
        if (text_has_glyphs(ui_text(a->ui), all[i]))
            memcpy(s->hand_cand[s->n_hand++], all[i], IME_HAND_CAND_BYTES);
}

static void keyboard_event(struct textentry_state *s, const char *id)
{
    char raw[IME_PINYIN_PREEDIT];
    const char *t = keyboard_text(id);

    if (t)
        letter(s, t);
    else if (strcmp(id, "kb.del") == 0)
        key_del(s);
    else if (strcmp(id, "kb.space") == 0)
        key_space(s);
    else if (strcmp(id, "kb.quote") == 0)
        composing(s) ? ime_pinyin_letter(s->py, '\'') : append(s, "'");
    else if (strcmp(id, "kb.page") == 0)
        s->page = s->page == KEYBOARD_LETTERS ? KEYBOARD_SYMBOLS
                                              : KEYBOARD_LETTERS;
    else if (strcmp(id, "kb.lang") == 0) {
        if (s->py && ime_pinyin_commit_raw(s->py, raw, sizeof raw))
            append(s, raw);
        s->english = !s->english;
    }
}

static bool tab_event(struct textentry_state *s, const char *id)
{
    if (strcmp(id, "te.pinyin") == 0) {
        s->tab = TAB_PINYIN;
        s->mode = TEXTENTRY_PINYIN;
    } else if (strcmp(id, "te.hand") == 0) {
        s->tab = TAB_HAND;
        s->mode = TEXTENTRY_HANDWRITING;
    } else if (strcmp(id, "te.presets") == 0) {
        s->tab = TAB_PRESETS;
    } else {
        return false;
    }
    if (s->py)
        ime_pinyin_clear(s->py);
    return true;
}

static void event(struct app *a, const char *id)
{
    struct textentry_state *s = textentry_st(a);
    int i;
    char end;

    s->too_long = false;
    if (strcmp(id, "back") == 0)
        close_with(a, TEXTENTRY_CANCELLED);
    else if (strcmp(id, "te.ok") == 0 || strcmp(id, "key.ok") == 0)
        close_with(a, TEXTENTRY_DONE);
    else if (strcmp(id, "key.del") == 0 || strcmp(id, "te.del") == 0)
        key_del(s);
    else if (tab_event(s, id))
        return;
    else if (sscanf(id, "cand.%d%c", &i, &end) == 1)
        choose(s, i);
    else if (strcmp(id, "cand.next") == 0 || strcmp(id, "cand.prev") == 0) {
        if (s->py)
            ime_pinyin_page(s->py, id[5] == 'n');
    } else if (sscanf(id, "preset.%d%c", &i, &end) == 1 && i >= 0 &&
               i < s->n_presets) {
        str_copy(s->text, sizeof s->text, s->presets[i]);
        cut_chars(s->text, s->max_chars);
    } else if (strcmp(id, "hand.undo") == 0) {
        ime_hand_ink_undo(&s->ink);
        reclassify(a, s);
    } else if (strcmp(id, "hand.clear") == 0) {
        ime_hand_ink_reset(&s->ink, s->ink.w, s->ink.h);
        s->n_hand = 0;
    } else if (strncmp(id, "kb.", 3) == 0)
        keyboard_event(s, id);
}

/* Ink in pad coordinates; a stroke starts only inside the pad. */
static void pen(struct app *a, enum app_pen phase, int x, int y)
{
    struct textentry_state *s = textentry_st(a);
    SDL_Point p = { x, y };

    if (s->tab != TAB_HAND || s->pad.w <= 0)
        return;
    x -= s->pad.x;
    y -= s->pad.y;
    if (phase == APP_PEN_DOWN && SDL_PointInRect(&p, &s->pad))
        ime_hand_ink_down(&s->ink, x, y);
    else if (phase == APP_PEN_MOVE)
        ime_hand_ink_move(&s->ink, x, y);
    else if (phase == APP_PEN_UP && ime_hand_ink_up(&s->ink))
        reclassify(a, s);
}

const struct screen_ops screen_textentry_ops = {
    .name = "textentry",
    .idle = IDLE_HOME,
    .state_size = sizeof(struct textentry_state),
    .enter = enter,
    .leave = leave,
    .event = event,
    .draw = textentry_draw,
    .pen = pen,
};
