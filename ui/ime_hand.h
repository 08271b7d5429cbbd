/* ui/ime_hand.h - handwriting recognition through zinnia with Debian's
 * simplified Chinese model (tegaki-zinnia-simplified-chinese), and the
 * ink it reads: strokes of points in the pad's own coordinates, kept
 * here so the pad draws exactly what the recogniser sees. */
#ifndef IME_HAND_H
#define IME_HAND_H

#include <stdbool.h>

#include "base/err.h"

#define IME_HAND_MODEL \
    "/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model"
#define IME_HAND_STROKES 48          /* a character's strokes, at most */
#define IME_HAND_POINTS  2048        /* points of all strokes, at most */
#define IME_HAND_CANDS   10
#define IME_HAND_CAND_BYTES 8        /* one character, UTF-8 */

struct ime_hand_ink {
    int   w, h;                      /* the pad's size */
    int   n_strokes;
    int   end[IME_HAND_STROKES];     /* stroke i: points end[i-1]..end[i]-1 */
    int   n_points;
    short x[IME_HAND_POINTS], y[IME_HAND_POINTS];
    bool  down;                      /* a stroke is being drawn */
};

struct ime_hand;

/* Open the model (memory-mapped). ERR_NOTFOUND: no model file. */
err_code ime_hand_create(const char *model, struct ime_hand **out);
void     ime_hand_destroy(struct ime_hand *h);       /* NULL is a no-op */

/* Recognise the ink: up to cap candidates, best first, into cand;
 * returns how many (0 for no ink). */
int ime_hand_classify(struct ime_hand *h, const struct ime_hand_ink *ink,
                      char cand[][IME_HAND_CAND_BYTES], int cap);

void ime_hand_ink_reset(struct ime_hand_ink *ink, int w, int h);
/* Pen down starts a stroke, move adds to it, up ends it. Points outside
 * the pad are clamped; points past the caps are dropped (a stroke past
 * IME_HAND_STROKES is not started). Returns whether a stroke ended. */
void ime_hand_ink_down(struct ime_hand_ink *ink, int x, int y);
void ime_hand_ink_move(struct ime_hand_ink *ink, int x, int y);
bool ime_hand_ink_up(struct ime_hand_ink *ink);
/* Remove the last stroke; false when there was none. */
bool ime_hand_ink_undo(struct ime_hand_ink *ink);

#endif
