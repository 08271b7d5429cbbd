/* ui/textentry.h - the Chinese text entry screen: any screen that needs
 * free text opens it and gets the text back when it closes.
 *
 * The resident picks how to write: pinyin on an on-screen keyboard
 * (librime, ui/ime_pinyin.h) with the composed pinyin shown and large
 * candidates in a paged row, a digits and punctuation page and a 中/英
 * switch; or handwriting on a pad (zinnia, ui/ime_hand.h), candidates
 * after each stroke, undo stroke and clear. Presets, when given, are one
 * tap each.
 *
 * The hand-back fits the screen model (ui/app.h): screens keep their
 * state in app_state and their enter decides what to reset. The opener
 * calls textentry_open from one of its handlers; when the resident taps
 * OK or Back, the text entry screen goes back to the opener with
 * app_go, and the opener's enter asks textentry_take whether it is
 * coming back from text entry, and with what:
 *
 *     static void enter(struct app *a)
 *     {
 *         char text[TEXTENTRY_BYTES];
 *         int field;
 *
 *         switch (textentry_take(a, &screen_report_ops, &field, text,
 *                                sizeof text)) {
 *         case TEXTENTRY_DONE:      store text in field; return;
 *         case TEXTENTRY_CANCELLED: return;     (state kept as it was)
 *         case TEXTENTRY_NONE:      break;      (a fresh visit)
 *         }
 *         reset the screen's state;
 *     }
 *
 * A result is taken once; opening text entry again drops one not taken.
 * If the kiosk idles home from text entry, nothing is handed back. */
#ifndef TEXTENTRY_H
#define TEXTENTRY_H

#include <stddef.h>

#include "ui/app.h"

#define TEXTENTRY_MAX_CHARS   200   /* the most any caller may ask for */
#define TEXTENTRY_BYTES       (TEXTENTRY_MAX_CHARS * 4 + 1)
#define TEXTENTRY_MAX_PRESETS 8
#define TEXTENTRY_PRESET_BYTES 128

enum textentry_mode { TEXTENTRY_PINYIN, TEXTENTRY_HANDWRITING };

struct textentry_request {
    const char *title_key;          /* string-table key of the title */
    int         max_chars;          /* 1..TEXTENTRY_MAX_CHARS characters */
    const char *initial;            /* text to start from; NULL: empty */
    /* Ready-made texts (already in the shown language), one tap each
     * replaces the text; at most TEXTENTRY_MAX_PRESETS, each cut to
     * TEXTENTRY_PRESET_BYTES - 1. Copied: need not outlive the call. */
    const char *const *presets;
    int         n_presets;
    int         tag;                /* the opener's own number: which field */
};

enum textentry_result {
    TEXTENTRY_NONE,                 /* not coming back from text entry */
    TEXTENTRY_DONE,                 /* OK: the text is in out */
    TEXTENTRY_CANCELLED,            /* Back: nothing to change */
};

extern const struct screen_ops screen_textentry_ops;

/* Open text entry over the current screen (the opener, never text entry
 * itself), which it goes back to when it closes. The request is copied; max_chars is clamped to
 * 1..TEXTENTRY_MAX_CHARS and the initial text cut to it. */
void textentry_open(struct app *a, const struct textentry_request *req);

/* For the opener's enter: TEXTENTRY_DONE (text in out, cut at a UTF-8
 * boundary to cap, and *tag set) or TEXTENTRY_CANCELLED (*tag set) when
 * text entry just closed back to opener, else TEXTENTRY_NONE. Taking the
 * result clears it. tag may be NULL. */
enum textentry_result textentry_take(struct app *a,
                                     const struct screen_ops *opener,
                                     int *tag, char *out, size_t cap);

/* Which way of writing opens first (the last one the resident chose,
 * until the kiosk goes home; pinyin at start). For tests and scripts. */
void textentry_set_mode(struct app *a, enum textentry_mode mode);

/* Start deploying the pinyin engine's data in its own thread, so the
 * first text entry does not wait for it (cmd and app start-up call it;
 * it returns at once, and a second call does nothing). */
void textentry_warm_up(struct app *a);

#endif
