/* ui/widget.h - the few widgets every screen is built from, drawn
 * immediately each frame: each registers its touch area under an id
 * ("back", "tile.3", "key.7", "row.12", "page.next"), which is what a
 * screen's event handler and a test script's "tap ID" see. */
#ifndef WIDGET_H
#define WIDGET_H

#include <stdbool.h>

#include "ui/ui.h"

enum widget_kind { WIDGET_PLAIN, WIDGET_PRIMARY, WIDGET_SELECTED };
enum widget_icon { ICON_OK, ICON_INFO, ICON_WARN, ICON_ERR };

struct widget_row {
    const char *title;
    const char *detail;            /* second line, may be NULL */
    const char *right;             /* right-aligned (status, points) */
    enum ui_color right_color;
    bool excerpt;                  /* detail previews a text shown in full
                                    * elsewhere: it may be cut short */
    const char *avatar;            /* a person's name: their face (or
                                    * initial) in a circle at the left */
    const char *photo;             /* the face's photo key, may be NULL */
};

SDL_Rect widget_inset(SDL_Rect r, int d);
/* The larger of two fonts in which s fits w pixels wide in at most
 * max_lines lines (the smaller one when neither does). */
enum ui_font widget_fit(struct ui *ui, const char *s, int w, int max_lines,
                        enum ui_font larger, enum ui_font smaller);
/* Lines s takes in font f wrapped at w pixels. */
int widget_lines(struct ui *ui, const char *s, enum ui_font f, int w);
/* Cell i of a cols x rows grid over area with gap px between cells. */
SDL_Rect widget_cell(SDL_Rect area, int cols, int rows, int i, int gap);

void widget_button(struct ui *ui, const char *id, const char *label,
                   SDL_Rect r, enum widget_kind k);
/* Title bar with an optional back button; returns the rest of the
 * screen, padded. */
SDL_Rect widget_header(struct ui *ui, const char *title,
                       const char *back_label, const char *right);
/* Split row into n buttons side by side, each as wide as its label (and
 * an icon, when all fit) needs, the room left shared equally: short
 * labels leave room for long ones. */
void widget_split(struct ui *ui, SDL_Rect row, const char *const *labels,
                  int n, int gap, SDL_Rect *out);
/* Buttons named prefix.0 .. prefix.n-1 in a grid of cols columns. */
void widget_tiles(struct ui *ui, const char *prefix,
                  const char *const *labels, int n, int selected,
                  SDL_Rect area, int cols);
/* Digits key.0..key.9, key.del and key.ok. */
void widget_keypad(struct ui *ui, SDL_Rect area, const char *del_label,
                   const char *ok_label);
/* The height widget_list gives each of these rows in w px (one with a
 * detail line, or two, makes every row that tall). */
int  widget_list_row_h(struct ui *ui, const struct widget_row *rows, int n,
                       int w);
/* Rows of one page; tappable rows are named prefix.<index> when prefix
 * is not NULL. Paging buttons page.prev / page.next appear when needed
 * (never when next_label is NULL: a display-only list).
 * Returns how many rows fit a page. */
int  widget_list(struct ui *ui, const char *prefix,
                 const struct widget_row *rows, int n, int page,
                 SDL_Rect area, const char *prev_label,
                 const char *next_label);
/* A result's sign: a filled circle in the outcome's colour (green done,
 * blue out, amber warning, red refused) with the icon set's glyph in it. */
void widget_icon(struct ui *ui, enum widget_icon icon, int cx, int cy,
                 int radius);
/* One glyph of the icon set, px tall, centred in r. */
void widget_glyph(struct ui *ui, enum icon_glyph g, enum ui_color c,
                  SDL_Rect r, int px);
/* A button with an icon: above the label when the button is tall enough
 * for both, else to its left. */
void widget_icon_button(struct ui *ui, const char *id, enum icon_glyph g,
                        const char *label, SDL_Rect r, enum widget_kind k);
/* A person without a photo: the first character of name (the surname)
 * in a circle of radius r centred on (cx, cy). */
void widget_avatar(struct ui *ui, const char *name, int cx, int cy, int r);
/* The photo of key in the circle when there is one, else the initial. */
void widget_face(struct ui *ui, const char *name, const char *photo_key,
                 int cx, int cy, int r);
/* A horizontal bar over r, filled permille/1000 from the left (clamped):
 * display only, no touch area. */
void widget_progress(struct ui *ui, SDL_Rect r, int permille);

#endif
