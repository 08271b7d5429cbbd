/* ui/textentry_int.h - the text entry screen's state, shared by its
 * logic (textentry.c) and its drawing (textentry_draw.c) only. */
#ifndef TEXTENTRY_INT_H
#define TEXTENTRY_INT_H

#include "ui/ime_hand.h"
#include "ui/ime_pinyin.h"
#include "ui/keyboard.h"
#include "ui/textentry.h"

enum textentry_tab { TAB_PINYIN, TAB_HAND, TAB_PRESETS };

struct textentry_state {
    /* the request */
    const struct screen_ops *opener;
    char  title_key[64];
    int   max_chars, tag;
    char  presets[TEXTENTRY_MAX_PRESETS][TEXTENTRY_PRESET_BYTES];
    int   n_presets;
    /* the result, until the opener takes it */
    const struct screen_ops *result_for;
    enum textentry_result result;
    int   result_tag;
    char  result_text[TEXTENTRY_BYTES];
    /* editing */
    char  text[TEXTENTRY_BYTES];
    enum textentry_tab tab;
    enum textentry_mode mode;          /* the last writing tab chosen */
    enum keyboard_page page;
    bool  english;                     /* 英: letters go in as typed */
    bool  too_long;                    /* the last input was refused */
    struct ime_pinyin *py;             /* NULL: pinyin unavailable */
    struct ime_hand   *hand;           /* NULL: handwriting unavailable */
    struct ime_hand_ink ink;
    SDL_Rect pad;                      /* where the ink is drawn */
    char  hand_cand[IME_HAND_CANDS][IME_HAND_CAND_BYTES];
    int   n_hand;
    bool  warmed;                      /* pinyin deployment started */
};

struct textentry_state *textentry_st(struct app *a);
int  textentry_chars(const char *s);
void textentry_draw(struct app *a);

#endif
