/* ui/text.h - text on screen: one font file loaded once, a glyph atlas of
 * our own (SDL_ttf's cache has 256 slots keyed by the low byte of the
 * glyph index, so Chinese thrashes it), line breaking that knows Chinese
 * (break between ideographs, never inside a Latin word or a number),
 * ellipsis where text is cut, and a texture per unchanged string so a
 * frame re-rasterises nothing. */
#ifndef TEXT_H
#define TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include <SDL.h>

#include "base/err.h"

#define TEXT_MAX_LINES 64
#define TEXT_MAX_BYTES 4096          /* longer strings are cut */

enum text_align { TEXT_LEFT = 0, TEXT_CENTER = 1, TEXT_RIGHT = 2 };

struct text;

struct text_line {
    const char *start;
    size_t      len;
    int         width;
    bool        ellipsis;            /* draw "…" after it */
};

struct text_layout {
    struct text_line lines[TEXT_MAX_LINES];
    int              n;
    int              width, height;  /* of the whole block */
    int              line_h;
    bool             cut;            /* text did not fit: ellipsis shown */
};

struct text_stats {
    int glyphs, atlas_resets, strings, string_hits, string_misses;
    int size_switches;
};

/* Map the font file once (one face, resized as needed). The glyph atlas
 * grows by pages of atlas_side x atlas_side pixels, up to four, then
 * starts over. */
err_code text_create(SDL_Renderer *r, const char *font_path, int atlas_side,
                     struct text **out);
void     text_destroy(struct text *t);               /* NULL is a no-op */

/* Lay s out at px pixels, wrapping at wrap pixels (0: never) into at most
 * max_lines lines (0: TEXT_MAX_LINES); the last line is cut with "…" if
 * text remains. Line pointers point into s. */
void text_layout(struct text *t, const char *s, int px, int wrap,
                 int max_lines, struct text_layout *out);

/* Draw s inside box in colour c, wrapped to box->w; vertically centred
 * when valign is true, else from the top. Returns the height used. The
 * string's texture is cached until it goes unused for a while. */
int text_draw(struct text *t, const char *s, int px, SDL_Color c,
              const SDL_Rect *box, enum text_align align, int max_lines,
              bool valign);

/* Pixel width of one unwrapped line. */
int text_width(struct text *t, const char *s, int px);
int text_line_height(struct text *t, int px);
/* Whether the font has every character of s (the kiosk's font is a
 * subset: an input engine's rare characters would draw as '?'). */
bool text_has_glyphs(struct text *t, const char *s);

/* Called once per presented frame: ages the string cache. */
void text_frame_end(struct text *t);
/* Drop every cached string texture (e.g. after a language switch). */
void text_flush_strings(struct text *t);
void text_stats(const struct text *t, struct text_stats *out);

/* Record every string drawn until the next text_frame_end, for scripts
 * that check what the screen says. */
void text_record(struct text *t, bool on);
bool text_frame_has(const struct text *t, const char *needle);
/* Every string of the last recorded frame, one per line. */
const char *text_frame_strings(const struct text *t);

/* What the last recorded frame drew: its smallest text and the strings
 * that did not fit (cut with an ellipsis, or taller than their box). */
struct text_frame_check {
    int  min_px;
    char min_text[96];
    int  bad;                        /* strings that did not fit */
    char bad_text[160];              /* the first of them */
};
void text_frame_check(const struct text *t, struct text_frame_check *out);
/* Strings drawn while on are excerpts of a text shown in full elsewhere
 * (a notice's first lines in a list): cutting them is by design. */
void text_excerpt(struct text *t, bool on);

/* The first Latin word in s (a run of two or more ASCII letters, not
 * part of a token holding a digit, such as a number or an id like
 * HQ0001) that is not in allow (words separated by spaces), copied to
 * out; false when there is none. What a zh_CN screen may show. */
bool text_latin_word(const char *s, const char *allow, char *out,
                     size_t cap);

/* UTF-8: decode one code point at *p, advancing it; invalid bytes give
 * U+FFFD and advance one byte. */
unsigned text_utf8_next(const char **p, const char *end);

#endif
