/* ui/ime_pinyin.h - pinyin to Chinese characters through librime, with
 * Debian's simplified pinyin schema (rime-data-pinyin-simp, prebuilt in
 * /usr/share/rime-data/build). One engine per process (rime is a
 * process-wide singleton); any number of sessions.
 *
 * Rime needs a user data directory with a deployed schema. ime_pinyin_
 * start writes the two patches the kiosk needs there (only pinyin_simp
 * in the schema list; no user dictionary, so a public kiosk never learns
 * what one resident typed and candidates stay in the same order) and
 * starts rime's deployment in rime's own thread: it returns at once.
 * The first session waits for the deployment to end (measured in
 * docs/ui.md). The engine is finalised at process exit. */
#ifndef IME_PINYIN_H
#define IME_PINYIN_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

#define IME_PINYIN_SHARED_DIR "/usr/share/rime-data"
#define IME_PINYIN_SCHEMA     "pinyin_simp"
#define IME_PINYIN_PAGE       6          /* candidates a page */
#define IME_PINYIN_CAND_BYTES 64         /* one candidate, cut */
#define IME_PINYIN_PREEDIT    128        /* the composed pinyin shown */

struct ime_pinyin;

struct ime_pinyin_view {
    char preedit[IME_PINYIN_PREEDIT];    /* "xiu li"; "" when idle */
    char cand[IME_PINYIN_PAGE][IME_PINYIN_CAND_BYTES];
    int  n_cand;                         /* on this page */
    int  page;                           /* 0-based */
    bool last_page;
};

/* Start the engine over user_dir (created if missing). ERR_IO: the
 * directory cannot be made or written. Rime cannot start twice in a
 * process: a later call keeps the first directory (making it and
 * deploying again if it has gone) whatever it is given. */
err_code ime_pinyin_start(const char *shared_dir, const char *user_dir);

/* A session (waits for the deployment to finish the first time).
 * ERR_UNSUPPORTED: the engine was not started, or the schema did not
 * deploy (logged). */
err_code ime_pinyin_create(struct ime_pinyin **out);
void     ime_pinyin_destroy(struct ime_pinyin *p);   /* NULL is a no-op */

/* A letter a..z or an apostrophe (syllable break) into the composition. */
void ime_pinyin_letter(struct ime_pinyin *p, char c);
/* Remove the last letter; false when there was nothing to remove. */
bool ime_pinyin_backspace(struct ime_pinyin *p);
void ime_pinyin_clear(struct ime_pinyin *p);
bool ime_pinyin_composing(struct ime_pinyin *p);
void ime_pinyin_page(struct ime_pinyin *p, bool next);
/* Choose candidate i of the page shown. When that ends the composition
 * the chosen text is copied into out (cap bytes) and true returned; a
 * choice covering only part of the pinyin returns false and the rest
 * stays composed (xiu'li'gong: 修理 then 工). */
bool ime_pinyin_choose(struct ime_pinyin *p, int i, char *out, size_t cap);
/* Take the pinyin typed as plain letters (the space bar when no
 * candidate is wanted); true when there was any. */
bool ime_pinyin_commit_raw(struct ime_pinyin *p, char *out, size_t cap);
void ime_pinyin_view(struct ime_pinyin *p, struct ime_pinyin_view *v);

#endif
