/* ui/ime_hand.c - zinnia behind ime_hand.h, and the ink buffer. The
 * recogniser is only asked between strokes (a few milliseconds), never
 * while a finger moves. */
#include "ui/ime_hand.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <zinnia.h>

#include "base/log.h"
#include "base/xmalloc.h"

/* libzinnia (and the C++ runtime it brings) is opened on first use, not
 * linked: handwriting starts after the first frame, and loading it before
 * would only add to start-up. The functions used, by name: */
#define ZINNIA_FUNCS(X)                                                  \
    X(recognizer_new) X(recognizer_open) X(recognizer_strerror)          \
    X(recognizer_destroy) X(recognizer_classify) X(character_new)        \
    X(character_destroy) X(character_clear) X(character_set_width)       \
    X(character_set_height) X(character_add) X(result_size)              \
    X(result_value) X(result_destroy)

static struct {
#define FIELD(f) __typeof__(zinnia_##f) *f;
    ZINNIA_FUNCS(FIELD)
#undef FIELD
    bool ok;
} zn;
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static void load(void)
{
    void *lib = dlopen("libzinnia.so.0", RTLD_NOW | RTLD_LOCAL);

    if (lib == NULL) {
        log_error("ime: %s", dlerror());
        return;
    }
    zn.ok = true;
#define LOOKUP(f)                                                        \
    *(void **)&zn.f = dlsym(lib, "zinnia_" #f);                          \
    zn.ok = zn.ok && zn.f != NULL;
    ZINNIA_FUNCS(LOOKUP)
#undef LOOKUP
}

struct ime_hand {
    zinnia_recognizer_t *rec;
    zinnia_character_t  *ch;
};

err_code ime_hand_create(const char *model, struct ime_hand **out)
{
    struct ime_hand *h = xcalloc(1, sizeof *h);

    *out = NULL;
    pthread_once(&load_once, load);
    if (!zn.ok) {
        free(h);
        return ERR_UNSUPPORTED;
    }
    h->rec = zn.recognizer_new();
    h->ch = zn.character_new();
    if (!zn.recognizer_open(h->rec, model)) {
        log_error("ime: handwriting model %s: %s", model,
                  zn.recognizer_strerror(h->rec));
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
        zn.character_destroy(h->ch);
    if (h->rec)
        zn.recognizer_destroy(h->rec);
    free(h);
}

int ime_hand_classify(struct ime_hand *h, const struct ime_hand_ink *ink,
                      char cand[][IME_HAND_CAND_BYTES], int cap)
{
    zinnia_result_t *res;
    int n = 0, start = 0;

    if (ink->n_strokes == 0 || cap <= 0)
        return 0;
    zn.character_clear(h->ch);
    zn.character_set_width(h->ch, (size_t)ink->w);
    zn.character_set_height(h->ch, (size_t)ink->h);
    for (int s = 0; s < ink->n_strokes; s++) {
        for (int i = start; i < ink->end[s]; i++)
            zn.character_add(h->ch, (size_t)s, ink->x[i], ink->y[i]);
        start = ink->end[s];
    }
    res = zn.recognizer_classify(h->rec, h->ch, (size_t)cap);
    if (res == NULL)
        return 0;
    for (size_t i = 0; i < zn.result_size(res) && n < cap; i++)
        str_copy(cand[n++], IME_HAND_CAND_BYTES, zn.result_value(res, i));
    zn.result_destroy(res);
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
