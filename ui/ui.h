/* ui/ui.h - the window, the renderer, the colours and sizes every screen
 * uses, and the registry of touchable areas of the last frame (so a tap,
 * or a script's "tap ID", finds its widget). Sizes scale with the
 * shorter side of the window: 600 px is scale 1. */
#ifndef UI_H
#define UI_H

#include <stdbool.h>

#include <SDL.h>

#include "base/err.h"
#include "ui/icon.h"
#include "ui/photo.h"
#include "ui/text.h"

#define UI_ID_MAX   32
#define UI_MAX_HITS 160
#define UI_MIN_TOUCH 48             /* px: smallest touch target */

enum ui_color {
    UI_BG, UI_SURFACE, UI_TEXT, UI_MUTED, UI_BORDER,
    UI_PRIMARY, UI_ON_PRIMARY, UI_OK, UI_INFO, UI_WARN, UI_ON_WARN, UI_ERR,
    UI_PRESSED, UI_BRAND, UI_N_COLORS
};

enum ui_font {                      /* text sizes, before large-text */
    UI_SMALL, UI_BODY, UI_BIG, UI_TITLE, UI_HUGE, UI_N_FONTS
};

struct ui_opts {
    int         width, height;
    bool        fullscreen;
    bool        software;           /* software renderer, no GPU */
    bool        hidden;             /* no visible window (tests) */
    const char *font_path;
    const char *icon_path;          /* NULL or missing: no icons */
    const char *title;
};

struct ui;

err_code ui_create(const struct ui_opts *o, struct ui **out);
void     ui_destroy(struct ui *ui);                 /* NULL is a no-op */

SDL_Renderer *ui_renderer(struct ui *ui);
struct text  *ui_text(struct ui *ui);
int  ui_w(const struct ui *ui);
int  ui_h(const struct ui *ui);
bool ui_portrait(const struct ui *ui);
/* A length of n at scale 1, scaled to this window. */
int  ui_u(const struct ui *ui, int n);
/* Pixel size of a font, including large-text. */
int  ui_px(const struct ui *ui, enum ui_font f);
void ui_set_large(struct ui *ui, bool large);
/* Where faces come from (ui/photo.h); without one every face is an
 * initial. */
void ui_set_photo_source(struct ui *ui, photo_source src, void *ctx);
/* The round texture of a photo key ("member/HQ0001"), or NULL. */
SDL_Texture *ui_photo(struct ui *ui, const char *key);
/* Photos decoded so far (tests: once a face, never at start-up). */
int          ui_photos_decoded(const struct ui *ui);
bool ui_large(const struct ui *ui);
/* Height of a touch target: big enough for two lines of f, at least
 * UI_MIN_TOUCH. */
int  ui_touch_h(const struct ui *ui, enum ui_font f, int lines);

SDL_Color ui_color(enum ui_color c);
/* WCAG contrast ratio of two colours (1..21). */
double    ui_contrast(SDL_Color a, SDL_Color b);

/* Drawing: a frame starts by clearing the registry and the screen. */
void ui_frame_begin(struct ui *ui);
void ui_present(struct ui *ui);
void ui_fill(struct ui *ui, const SDL_Rect *r, enum ui_color c);
void ui_frame_rect(struct ui *ui, const SDL_Rect *r, enum ui_color c, int t);
void ui_fill_circle(struct ui *ui, int cx, int cy, int radius,
                    enum ui_color c);
/* A thick line (for icons). */
void ui_line(struct ui *ui, int x1, int y1, int x2, int y2, int thick,
             enum ui_color c);
/* Icon g, px tall, centred on (cx, cy). */
void ui_icon(struct ui *ui, enum icon_glyph g, int px, enum ui_color c,
             int cx, int cy);
/* Icons drawn in the last presented frame (tests). */
int  ui_icons_drawn(const struct ui *ui);
int  ui_label(struct ui *ui, const char *s, enum ui_font f, enum ui_color c,
              const SDL_Rect *box, enum text_align a, int max_lines,
              bool valign);

/* Touch registry of the frame being drawn. */
void        ui_hit_add(struct ui *ui, const char *id, const SDL_Rect *r);
const char *ui_hit_at(const struct ui *ui, int x, int y);
bool        ui_hit_find(const struct ui *ui, const char *id, SDL_Rect *r);
void        ui_hit_pressed(struct ui *ui, const char *id);  /* feedback */
/* The registry of the last frame, for tests (touch target sizes). */
int         ui_hit_count(const struct ui *ui);
const char *ui_hit_get(const struct ui *ui, int i, SDL_Rect *r);
bool        ui_is_pressed(const struct ui *ui, const char *id);

/* What the renderer shows, as a new ARGB8888 surface (caller frees). */
err_code ui_read_pixels(struct ui *ui, SDL_Surface **out);
/* Save what the renderer shows as a PNG. */
err_code ui_screenshot(struct ui *ui, const char *path);
const char *ui_renderer_name(struct ui *ui);

#endif
