/* ui/keyboard.h - the on-screen keyboard of text entry: QWERTY letters
 * and a digits and punctuation page, drawn like every widget (immediate,
 * one touch area per key). Key ids:
 *   kb.a .. kb.z      letters          kb.s0 .. kb.sN  symbol keys
 *   kb.del            backspace        kb.space        space
 *   kb.page           letters <-> symbols               kb.lang  中/英
 *   kb.quote          syllable break (') on the letters page
 * keyboard_text says what a letter or symbol key types. */
#ifndef KEYBOARD_H
#define KEYBOARD_H

#include <stdbool.h>

#include "ui/ui.h"

enum keyboard_page { KEYBOARD_LETTERS, KEYBOARD_SYMBOLS };

struct keyboard_labels {
    const char *del, *space, *page;   /* "⌫", "空格", "123" / "ABC" */
    const char *lang;                 /* "中" or "英": what is on now */
};

/* Draw the keyboard over area: four rows. */
void keyboard_draw(struct ui *ui, SDL_Rect area, enum keyboard_page page,
                   const struct keyboard_labels *l);

/* The UTF-8 text a letter (kb.a) or symbol (kb.s3) key types; NULL for
 * every other id. */
const char *keyboard_text(const char *id);

#endif
