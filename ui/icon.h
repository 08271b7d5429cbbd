/* ui/icon.h - pictograms from the Material Icons font (Apache-2.0,
 * Debian's fonts-material-design-icons-iconfont), cut down by
 * scripts/make-icons.sh to the code points below and shipped in
 * assets/icons/. Each icon is rasterised once per size into a texture
 * (white, tinted when drawn), so a frame rasterises nothing. A kiosk
 * without the file draws no icons and says so once in the log. */
#ifndef ICON_H
#define ICON_H

#include <stdbool.h>

#include <SDL.h>

#include "base/err.h"

/* Code points of the icon font; scripts/make-icons.sh keeps exactly
 * these (it reads this list), so add one here and re-run it. */
enum icon_glyph {
    GLYPH_CHECK_CIRCLE  = 0xe86c,
    GLYPH_LOGOUT        = 0xe9ba,
    GLYPH_WARNING       = 0xe002,
    GLYPH_ERROR         = 0xe000,
    GLYPH_INFO          = 0xe88e,
    GLYPH_QR_SCANNER    = 0xf206,
    GLYPH_QR_CODE       = 0xe00a,
    GLYPH_ASSIGNMENT    = 0xe85e,
    GLYPH_EVENT_NOTE    = 0xe616,
    GLYPH_CONTACTS      = 0xe0ba,
    GLYPH_PHONE         = 0xe0cd,
    GLYPH_SUPPORT_AGENT = 0xf0e2,
    GLYPH_HELP          = 0xe887,
    GLYPH_HOME          = 0xe88a,
    GLYPH_ARROW_BACK    = 0xe5c4,
    GLYPH_STAR          = 0xe838,
    GLYPH_GROUPS        = 0xf233,
    GLYPH_CALENDAR      = 0xebcc,
    GLYPH_CAMPAIGN      = 0xef49,
    GLYPH_APARTMENT     = 0xea40,
    GLYPH_VOLUNTEER     = 0xea70,
    GLYPH_BADGE         = 0xea67,
    GLYPH_TEXT_INCREASE = 0xeae2,
    GLYPH_TRANSLATE     = 0xe8e2,
    GLYPH_HOW_TO_REG    = 0xe174,
    GLYPH_TOUCH_APP     = 0xe913,
    GLYPH_SCHEDULE      = 0xe8b5,
    GLYPH_FLAG          = 0xea23,
    GLYPH_USB_OFF       = 0xe4fa,
    GLYPH_EDIT_NOTE     = 0xe745,
    GLYPH_NOTIFY        = 0xe004,
    GLYPH_CHECK         = 0xe5ca,
    GLYPH_CLOSE         = 0xe5cd,
    GLYPH_PRIORITY      = 0xe645,
    GLYPH_ARROW_DOWN    = 0xe5db,
    GLYPH_CHEVRON_RIGHT = 0xe5cc,
    GLYPH_PHONE_IN_TALK = 0xe61d,
    GLYPH_HOURGLASS     = 0xea5b,
    GLYPH_MENU_BOOK     = 0xea19,
    GLYPH_FORUM         = 0xe0bf,
};

struct icons;

/* Open the icon font (path may name a missing file: then every draw is
 * a no-op). Never fails for a missing file; *out is always set. */
err_code icons_create(SDL_Renderer *r, const char *path, struct icons **out);
void     icons_destroy(struct icons *ic);            /* NULL is a no-op */
bool     icons_loaded(const struct icons *ic);

/* Draw glyph g, px pixels tall, centred on (cx, cy), in colour c. */
void icons_draw(struct icons *ic, enum icon_glyph g, int px, SDL_Color c,
                int cx, int cy);
/* Icons drawn since the last icons_frame_end (tests: what a screen
 * shows), and ageing of the texture cache. */
int  icons_drawn(const struct icons *ic);
void icons_frame_end(struct icons *ic);

#endif
