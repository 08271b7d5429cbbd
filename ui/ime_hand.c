/* ui/ime_hand.c - zinnia behind ime_hand.h, and the ink buffer. The
 * recogniser is only asked between strokes (a few milliseconds), never
 * while a finger moves. */
#include "ui/ime_hand.h"

#include <stdlib.h>
#include <string.h>

#include <zinnia.h>

#include "base/log.h"
#include "base/xmalloc.h"

struct ime_hand {
    zinnia_recognizer_t *rec;
    zinnia_character_t  *ch;
};

err_code ime_hand_create(const char *model, struct ime_hand **out)
{
    struct ime_hand *h = xcalloc(1, sizeof *h);

    *out = NULL;
    h->rec = zinnia_recognizer_new();
    h->ch = zinnia_character_new();
    if (!zinnia_recognizer_open(h->rec, model)) {
        log_error("ime: handwriting model %s: %s", model,
                  zinnia_recognizer_strerror(h->rec));
        ime_hand_destroy(h);
        return ERR_NOTFOUND;
    }
    *out = h;
    return ERR_OK;
}

void ime_hand_destroy(struct ime_hand *h)
{
    if (h == NULL)
        return;
    if (h->ch)
        zinnia_character_destroy(h->ch);
    if (h->rec)
        zinnia_recognizer_destroy(h->rec);
    free(h);
}

int ime_hand_classify(struct ime_hand *h, const struct ime_hand_ink *ink,
                      char cand[][IME_HAND_CAND_BYTES], int cap)
{
    zinnia_result_t *res;
    int n = 0, start = 0;

    if (ink->n_strokes == 0 || cap <= 0)
        return 0;
    zinnia_character_clear(h->ch);
    zinnia_character_set_width(h->ch, (size_t)ink->w);
    zinnia_character_set_height(h->ch, (size_t)ink->h);
    for (int s = 0; s < ink->n_strokes; s++) {
        for (int i = start; i < ink->end[s]; i++)
            zinnia_character_add(h->ch, (size_t)s, ink->x[i], ink->y[i]);
        start = ink->end[s];
    }
    res = zinnia_recognizer_classify(h->rec, h->ch, (size_t)cap);
    if (res == NULL)
        return 0;
    for (size_t i = 0; i < zinnia_result_size(res) && n < cap; i++)
        str_copy(cand[n++], IME_HAND_CAND_BYTES, zinnia_result_value(res, i));
    zinnia_result_destroy(res);
    return n;
}

void ime_hand_ink_reset(struct ime_hand_ink *ink, int w, int h)
{
    memset(ink, 0, sizeof *ink);
    ink->w = w;
    ink->h = h;
}

static int clamp(int v, int hi)
{
    return v < 0 ? 0 : v >= hi ? hi - 1 : v;
}

static void add(struct ime_hand_ink *ink, int x, int y)
{
    int at = ink->n_points;

    if (at >= IME_HAND_POINTS)
        return;
    ink->x[at] = (short)clamp(x, ink->w);
    ink->y[at] = (short)clamp(y, ink->h);
    ink->n_points++;
    ink->end[ink->n_strokes - 1] = ink->n_points;
}

void ime_hand_ink_down(struct ime_hand_ink *ink, int x, int y)
{
    if (ink->down || ink->n_strokes >= IME_HAND_STROKES)
        return;
    ink->down = true;
    ink->end[ink->n_strokes] = ink->n_points;
    ink->n_strokes++;
    add(ink, x, y);
}

void ime_hand_ink_move(struct ime_hand_ink *ink, int x, int y)
{
    if (ink->down)
        add(ink, x, y);
}

bool ime_hand_ink_up(struct ime_hand_ink *ink)
{
    if (!ink->down)
        return false;
    ink->down = false;
    return true;
}

bool ime_hand_ink_undo(struct ime_hand_ink *ink)
{
    if (ink->n_strokes == 0)
        return false;
    ink->down = false;
    ink->n_strokes--;
    ink->n_points = ink->n_strokes ? ink->end[ink->n_strokes - 1] : 0;
    return true;
}
