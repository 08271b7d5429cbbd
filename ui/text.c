/* ui/text.c - font, glyph atlas, line breaking and the string cache.
 * Owns every SDL_ttf call of the kiosk; knows nothing of screens.
 *
 * Glyphs are rasterised once per (size, code point) into one atlas
 * texture, white with coverage in alpha, and tinted when drawn. A string
 * is composed once from the atlas into its own texture, cleared to
 * transparent white so blending keeps white colour and sums coverage;
 * later frames copy that texture whole. When the atlas is full it is
 * reset: strings already composed stay valid. */
#include "ui/text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SDL_ttf.h>

#include "base/log.h"
#include "base/xmalloc.h"

#define MAX_SIZES    16
#define ATLAS_PAGES  4               /* of side x side pixels each */
#define GLYPH_SLOTS  8192            /* open addressing, power of two */
#define STR_SLOTS    256
#define STR_MAX_AREA (6 * 1024 * 1024)  /* pixels of cached strings */
#define REC_CAP      16384
#define ELLIPSIS     "\xe2\x80\xa6"

struct glyph {
    uint32_t key;                    /* px << 21 | code point; 0 = empty */
    int16_t  x, y, w, h, adv;
    int8_t   page;
};

struct cached_str {
    char        *s;
    uint32_t     hash;
    int          px, wrap, max_lines, align;
    SDL_Texture *tex;
    int          w, h;
    int          lines;
    bool         cut;                /* ended in an ellipsis */
    unsigned     last_frame;
};

struct text {
    SDL_Renderer *r;
    void         *font_data;
    size_t        font_size;
    TTF_Font     *font;
    int           font_px;
    struct { int px, skip; } sizes[MAX_SIZES];
    int           n_sizes;
    SDL_Texture  *pages[ATLAS_PAGES];  /* made as they are needed */
    int           side, page, shelf_x, shelf_y, shelf_h;
    struct glyph *glyphs;
    struct cached_str strs[STR_SLOTS];
    long          str_area;
    unsigned      frame;
    struct text_stats st;
    bool          rec_on;
    char          rec[2][REC_CAP];
    size_t        rec_len;
    struct text_frame_check chk[2];  /* being drawn, last presented */
    bool          excerpt;
};

/* Map the font read-only: FreeType touches only the tables and glyphs
 * it needs, so start-up does not read and copy the whole file. */
static err_code load_file(const char *path, void **data, size_t *size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    void *p;

    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size <= 0 ||
        st.st_size > 64L * 1024 * 1024) {
        log_error("text: cannot open font %s (or it is empty or huge)",
                  path);
        if (fd >= 0)
            close(fd);
        return ERR_IO;
    }
    p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        log_error("text: cannot map font %s", path);
        return ERR_IO;
    }
    *data = p;
    *size = (size_t)st.st_size;
    return ERR_OK;
}

static bool page_make(struct text *t, int i)
{
    if (t->pages[i])
        return true;
    t->pages[i] = SDL_CreateTexture(t->r, SDL_PIXELFORMAT_ARGB8888,
                                    SDL_TEXTUREACCESS_STATIC, t->side,
                                    t->side);
    if (t->pages[i] == NULL) {
        log_error("text: atlas page: %s", SDL_GetError());
        return false;
    }
    SDL_SetTextureBlendMode(t->pages[i], SDL_BLENDMODE_BLEND);
    return true;
}

err_code text_create(SDL_Renderer *r, const char *font_path, int atlas_side,
                     struct text **out)
{
    struct text *t = xcalloc(1, sizeof *t);
    err_code e;

    *out = NULL;
    if (!TTF_WasInit() && TTF_Init() != 0) {
        log_error("text: TTF_Init: %s", TTF_GetError());
        free(t);
        return ERR_UNSUPPORTED;
    }
    e = load_file(font_path, &t->font_data, &t->font_size);
    if (e != ERR_OK)
        goto fail;
    SDL_RWops *rw = SDL_RWFromConstMem(t->font_data, (int)t->font_size);
    t->font = rw ? TTF_OpenFontRW(rw, 1, 24) : NULL;
    if (t->font == NULL) {
        log_error("text: %s is not a usable font: %s", font_path,
                  TTF_GetError());
        e = ERR_CORRUPT;
        goto fail;
    }
    t->font_px = 24;
    t->r = r;
    t->side = atlas_side;
    if (!page_make(t, 0)) {
        e = ERR_UNSUPPORTED;
        goto fail;
    }
    t->glyphs = xcalloc(GLYPH_SLOTS, sizeof *t->glyphs);
    *out = t;
    return ERR_OK;
fail:
    text_destroy(t);
    return e;
}

void text_destroy(struct text *t)
{
    if (t == NULL)
        return;
    text_flush_strings(t);
    free(t->glyphs);
    for (int i = 0; i < ATLAS_PAGES; i++)
        if (t->pages[i])
            SDL_DestroyTexture(t->pages[i]);
    if (t->font)
        TTF_CloseFont(t->font);
    if (t->font_data)
        munmap(t->font_data, t->font_size);
    free(t);
}

/* One TTF_Font for every size: opening a face parses the whole CFF
 * table (milliseconds for a CJK font), resizing it does not. SDL_ttf's
 * own cache is flushed on a size change, but we rasterise each glyph
 * once into the atlas anyway. */
static TTF_Font *font_at(struct text *t, int px)
{
    SDL_RWops *rw;

    if (t->font == NULL) {
        rw = SDL_RWFromConstMem(t->font_data, (int)t->font_size);
        t->font = rw ? TTF_OpenFontRW(rw, 1, px) : NULL;
        if (t->font == NULL) {
            log_error("text: open font: %s", TTF_GetError());
            abort();        /* checked in text_create: out of memory */
        }
        t->font_px = px;
    }
    if (t->font_px != px) {
        if (TTF_SetFontSize(t->font, px) != 0)
            log_warn("text: %d px: %s", px, TTF_GetError());
        t->font_px = px;
        t->st.size_switches++;
    }
    return t->font;
}

/* Line skip per size, remembered: asking means switching the font. */
int text_line_height(struct text *t, int px)
{
    for (int i = 0; i < t->n_sizes; i++)
        if (t->sizes[i].px == px)
            return t->sizes[i].skip;
    int skip = TTF_FontLineSkip(font_at(t, px));
    if (t->n_sizes < MAX_SIZES) {
        t->sizes[t->n_sizes].px = px;
        t->sizes[t->n_sizes++].skip = skip;
    }
    return skip;
}

unsigned text_utf8_next(const char **p, const char *end)
{
    const unsigned char *s = (const unsigned char *)*p;
    unsigned c = s[0], need, cp;

    if (c < 0x80) {
        *p += 1;
        return c;
    }
    need = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
    if (need == 0 || end - *p <= (long)need) {
        *p += 1;
        return 0xfffd;
    }
    cp = c & (0x3f >> need);
    for (unsigned i = 1; i <= need; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            *p += 1;
            return 0xfffd;
        }
        cp = cp << 6 | (s[i] & 0x3f);
    }
    *p += need + 1;
    return cp;
}

static void atlas_reset(struct text *t)
{
    memset(t->glyphs, 0, GLYPH_SLOTS * sizeof *t->glyphs);
    t->page = t->shelf_x = t->shelf_y = t->shelf_h = 0;
    t->st.glyphs = 0;
    t->st.atlas_resets++;
}

/* Find room for a w x h box on the shelves, opening the next page when
 * one is full; false when every page is. */
static bool atlas_place(struct text *t, int w, int h, int *x, int *y,
                        int *page)
{
    if (w > t->side || h > t->side)
        return false;
    for (;;) {
        if (t->shelf_x + w > t->side) {
            t->shelf_y += t->shelf_h;
            t->shelf_x = t->shelf_h = 0;
        }
        if (t->shelf_y + h <= t->side)
            break;
        if (t->page + 1 >= ATLAS_PAGES || !page_make(t, t->page + 1))
            return false;
        t->page++;
        t->shelf_x = t->shelf_y = t->shelf_h = 0;
    }
    *x = t->shelf_x;
    *y = t->shelf_y;
    *page = t->page;
    t->shelf_x += w + 1;
    if (h + 1 > t->shelf_h)
        t->shelf_h = h + 1;
    return true;
}

static struct glyph *glyph_slot(struct text *t, uint32_t key)
{
    uint32_t i = (key * 2654435761u) & (GLYPH_SLOTS - 1);

    while (t->glyphs[i].key != 0 && t->glyphs[i].key != key)
        i = (i + 1) & (GLYPH_SLOTS - 1);
    return &t->glyphs[i];
}

static void glyph_raster(struct text *t, struct glyph *g, TTF_Font *f,
                         unsigned cp)
{
    SDL_Color white = { 255, 255, 255, 255 };
    SDL_Surface *s;
    int minx, maxx, miny, maxy, adv = 0, x, y, page;

    if (!TTF_GlyphIsProvided32(f, cp))
        cp = '?';
    TTF_GlyphMetrics32(f, cp, &minx, &maxx, &miny, &maxy, &adv);
    g->adv = (int16_t)adv;
    s = cp == ' ' ? NULL : TTF_RenderGlyph32_Blended(f, cp, white);
    if (s == NULL)
        return;                              /* space: advance only */
    if (!atlas_place(t, s->w, s->h, &x, &y, &page)) {
        uint32_t key = g->key;
        atlas_reset(t);
        g = glyph_slot(t, key);
        g->key = key;
        g->adv = (int16_t)adv;
        if (!atlas_place(t, s->w, s->h, &x, &y, &page)) {
            SDL_FreeSurface(s);
            return;
        }
    }
    SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_Rect dst = { x, y, s->w, s->h };
    if (c) {
        SDL_UpdateTexture(t->pages[page], &dst, c->pixels, c->pitch);
        SDL_FreeSurface(c);
    }
    g->page = (int8_t)page;
    g->x = (int16_t)x;
    g->y = (int16_t)y;
    g->w = (int16_t)s->w;
    g->h = (int16_t)s->h;
    SDL_FreeSurface(s);
}

/* The glyph for cp at px, rasterising it on first use. The pointer is
 * valid until the next glyph_get (an atlas reset moves entries). */
static struct glyph glyph_get(struct text *t, int px, unsigned cp)
{
    uint32_t key = ((uint32_t)px << 21) | (cp & 0x1fffff);
    struct glyph *g;

    if (cp == 0)
        key |= 1;
    g = glyph_slot(t, key);
    if (g->key == key)
        return *g;
    if (t->st.glyphs >= GLYPH_SLOTS / 2)
        atlas_reset(t);
    g = glyph_slot(t, key);
    g->key = key;
    t->st.glyphs++;
    glyph_raster(t, g, font_at(t, px), cp);
    return *glyph_slot(t, key);
}

static int span_width(struct text *t, const char *s, size_t len, int px)
{
    const char *p = s, *end = s + len;
    int w = 0;

    while (p < end)
        w += glyph_get(t, px, text_utf8_next(&p, end)).adv;
    return w;
}

int text_width(struct text *t, const char *s, int px)
{
    return span_width(t, s, strlen(s), px);
}

bool text_has_glyphs(struct text *t, const char *s)
{
    const char *end = s + strlen(s);

    while (s < end)
        if (!TTF_GlyphIsProvided32(t->font, text_utf8_next(&s, end)))
            return false;
    return true;
}

/* ---- line breaking ---------------------------------------------------- */

static bool is_cjk(unsigned c)
{
    return (c >= 0x2e80 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) ||
           (c >= 0xff00 && c <= 0xffef) || (c >= 0x20000 && c <= 0x3ffff);
}

/* Closing punctuation never starts a line; opening never ends one. */
static bool no_start(unsigned c)
{
    static const unsigned list[] = {
        0x3001, 0x3002, 0xff0c, 0xff0e, 0xff1a, 0xff1b, 0xff01, 0xff1f,
        0xff09, 0x300b, 0x300d, 0x300f, 0x3011, 0x201d, 0x2019, 0x2026,
        0xff05, ',', '.', ';', ':', '!', '?', ')', ']', '%',
    };
    for (size_t i = 0; i < sizeof list / sizeof list[0]; i++)
        if (list[i] == c)
            return true;
    return false;
}

static bool no_end(unsigned c)
{
    return c == 0xff08 || c == 0x300a || c == 0x300c || c == 0x300e ||
           c == 0x3010 || c == 0x201c || c == 0x2018 || c == '(' || c == '[';
}

static bool can_break(unsigned prev, unsigned cur)
{
    if (prev == ' ')
        return cur != ' ';
    if (no_start(cur) || no_end(prev))
        return false;
    return is_cjk(prev) || is_cjk(cur);
}

/* Fit one line starting at s: *end is where its text ends (trailing
 * spaces dropped), *next where the following line starts. */
static int line_fit(struct text *t, const char *s, const char *stop, int px,
                    int wrap, const char **end, const char **next)
{
    const char *p = s, *brk = NULL;
    unsigned prev = 0;
    int w = 0, brk_w = 0;

    while (p < stop) {
        const char *q = p;
        unsigned cp = text_utf8_next(&p, stop);
        int adv;

        if (cp == '\n') {
            *end = q;
            *next = p;
            return w;
        }
        if (q > s && can_break(prev, cp)) {
            brk = q;
            brk_w = w;
        }
        adv = glyph_get(t, px, cp).adv;
        if (wrap > 0 && w + adv > wrap && q > s && cp != ' ') {
            if (brk != NULL) {
                *end = brk;
                w = brk_w;
            } else {
                *end = q;
            }
            while (*end > s && (*end)[-1] == ' ') {
                (*end)--;
                w -= glyph_get(t, px, ' ').adv;
            }
            *next = brk ? brk : q;
            while (**next == ' ')
                (*next)++;
            return w;
        }
        w += adv;
        prev = cp;
    }
    *end = *next = stop;
    return w;
}

/* Cut the line at [s, stop) so that it and "…" fit in wrap. */
static int cut_for_ellipsis(struct text *t, const char *s, const char *stop,
                            int px, int wrap, const char **end)
{
    int room = wrap - text_width(t, ELLIPSIS, px), w = 0;
    const char *p = s;

    *end = s;
    while (p < stop) {
        unsigned cp = text_utf8_next(&p, stop);
        int adv = glyph_get(t, px, cp).adv;
        if (cp == '\n' || (wrap > 0 && w + adv > room))
            break;
        w += adv;
        *end = p;
    }
    while (*end > s && (*end)[-1] == ' ') {
        (*end)--;
        w -= glyph_get(t, px, ' ').adv;
    }
    return w + text_width(t, ELLIPSIS, px);
}

void text_layout(struct text *t, const char *s, int px, int wrap,
                 int max_lines, struct text_layout *out)
{
    size_t len = strnlen(s, TEXT_MAX_BYTES);
    const char *p = s, *stop = s + len;

    memset(out, 0, sizeof *out);
    if (max_lines <= 0 || max_lines > TEXT_MAX_LINES)
        max_lines = TEXT_MAX_LINES;
    out->line_h = text_line_height(t, px);
    while (out->n < max_lines) {
        struct text_line *l = &out->lines[out->n++];
        const char *end, *next;

        l->start = p;
        l->width = line_fit(t, p, stop, px, wrap, &end, &next);
        l->len = (size_t)(end - p);
        p = next;
        if (p >= stop)
            break;
        if (out->n == max_lines) {
            l->width = cut_for_ellipsis(t, l->start, stop, px, wrap, &end);
            l->len = (size_t)(end - l->start);
            l->ellipsis = true;
            out->cut = true;
        }
    }
    for (int i = 0; i < out->n; i++)
        if (out->lines[i].width > out->width)
            out->width = out->lines[i].width;
    out->height = out->n * out->line_h;
}

/* ---- drawing and the string cache ------------------------------------- */

static uint32_t hash_str(const char *s, size_t n)
{
    uint32_t h = 2166136261u;

    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void str_free(struct text *t, struct cached_str *c)
{
    if (c->tex) {
        SDL_DestroyTexture(c->tex);
        t->str_area -= (long)c->w * c->h;
    }
    free(c->s);
    memset(c, 0, sizeof *c);
}

void text_flush_strings(struct text *t)
{
    for (int i = 0; i < STR_SLOTS; i++)
        str_free(t, &t->strs[i]);
    t->st.strings = 0;
}

static int draw_span(struct text *t, const char *s, size_t len, int px,
                     int x, int y)
{
    const char *p = s, *end = s + len;

    while (p < end) {
        struct glyph g = glyph_get(t, px, text_utf8_next(&p, end));
        if (g.w > 0) {
            SDL_Rect src = { g.x, g.y, g.w, g.h };
            SDL_Rect dst = { x, y, g.w, g.h };
            SDL_RenderCopy(t->r, t->pages[g.page], &src, &dst);
        }
        x += g.adv;
    }
    return x;
}

/* Compose a laid-out block into a new texture, white on clear white. */
static SDL_Texture *compose(struct text *t, const struct text_layout *lay,
                            int px, enum text_align align)
{
    int w = lay->width > 0 ? lay->width : 1, h = lay->height;
    SDL_Texture *tex = SDL_CreateTexture(t->r, SDL_PIXELFORMAT_ARGB8888,
                                         SDL_TEXTUREACCESS_TARGET, w, h);
    SDL_Texture *old = SDL_GetRenderTarget(t->r);

    if (tex == NULL)
        return NULL;
    SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
    SDL_SetRenderTarget(t->r, tex);
    SDL_SetRenderDrawColor(t->r, 255, 255, 255, 0);
    SDL_RenderClear(t->r);
    for (int i = 0; i < lay->n; i++) {
        const struct text_line *l = &lay->lines[i];
        int x = align == TEXT_CENTER ? (w - l->width) / 2
              : align == TEXT_RIGHT ? w - l->width : 0;
        x = draw_span(t, l->start, l->len, px, x, i * lay->line_h);
        if (l->ellipsis)
            draw_span(t, ELLIPSIS, strlen(ELLIPSIS), px, x, i * lay->line_h);
    }
    SDL_SetRenderTarget(t->r, old);
    return tex;
}

/* Make room: drop strings unused for a while, oldest first. */
static struct cached_str *str_victim(struct text *t, uint32_t h)
{
    struct cached_str *best = &t->strs[h % STR_SLOTS];

    for (int i = 0; i < STR_SLOTS; i++) {
        struct cached_str *c = &t->strs[i];
        if (c->s == NULL)
            return c;
        if (c->last_frame < best->last_frame)
            best = c;
    }
    return best;
}

static void str_trim_area(struct text *t)
{
    while (t->str_area > STR_MAX_AREA) {
        struct cached_str *old = NULL;
        for (int i = 0; i < STR_SLOTS; i++)
            if (t->strs[i].s && t->strs[i].last_frame != t->frame &&
                (old == NULL || t->strs[i].last_frame < old->last_frame))
                old = &t->strs[i];
        if (old == NULL)
            return;
        str_free(t, old);
        t->st.strings--;
    }
}

static struct cached_str *str_get(struct text *t, const char *s, int px,
                                  int wrap, int max_lines,
                                  enum text_align align)
{
    size_t n = strnlen(s, TEXT_MAX_BYTES);
    uint32_t h = hash_str(s, n) ^ (uint32_t)(px * 131 + wrap * 7919 +
                                             max_lines * 31 + align);
    struct cached_str *c;
    struct text_layout *lay;

    for (int i = 0; i < STR_SLOTS; i++) {
        c = &t->strs[i];
        if (c->s && c->hash == h && c->px == px && c->wrap == wrap &&
            c->max_lines == max_lines && c->align == (int)align &&
            strncmp(c->s, s, n) == 0 && c->s[n] == '\0') {
            t->st.string_hits++;
            c->last_frame = t->frame;
            return c;
        }
    }
    t->st.string_misses++;
    c = str_victim(t, h);
    if (c->s)
        t->st.strings--;
    str_free(t, c);
    lay = xmalloc(sizeof *lay);
    text_layout(t, s, px, wrap, max_lines, lay);
    c->tex = compose(t, lay, px, align);
    c->w = lay->width > 0 ? lay->width : 1;
    c->h = lay->height;
    c->lines = lay->n;
    c->cut = lay->cut;
    free(lay);
    c->s = xmalloc(n + 1);
    memcpy(c->s, s, n);
    c->s[n] = '\0';
    c->hash = h;
    c->px = px;
    c->wrap = wrap;
    c->max_lines = max_lines;
    c->align = (int)align;
    c->last_frame = t->frame;
    t->str_area += (long)c->w * c->h;
    t->st.strings++;
    str_trim_area(t);
    return c;
}

static void record(struct text *t, const char *s)
{
    size_t n = strnlen(s, TEXT_MAX_BYTES);

    if (!t->rec_on || t->rec_len + n + 2 > REC_CAP)
        return;
    memcpy(t->rec[0] + t->rec_len, s, n);
    t->rec_len += n;
    t->rec[0][t->rec_len++] = '\n';
    t->rec[0][t->rec_len] = '\0';
}

/* What the snapshot tests assert about a frame: the smallest text drawn
 * and any string cut short or taller than its box (its lines' ink, px
 * each, spaced by the line height, must fit). */
static void check(struct text *t, const char *s, int px,
                  const struct cached_str *cs, const SDL_Rect *box)
{
    struct text_frame_check *k = &t->chk[0];
    int need = cs->lines > 0 ? (cs->h / cs->lines) * (cs->lines - 1) + px
                             : 0;
    const char *why = cs->cut && !t->excerpt ? "cut" : need > box->h ? "taller than its box"
                                                       : NULL;

    if (!t->rec_on)
        return;
    if (k->min_px == 0 || px < k->min_px) {
        k->min_px = px;
        snprintf(k->min_text, sizeof k->min_text, "%s", s);
    }
    if (why && k->bad == 0)
        snprintf(k->bad_text, sizeof k->bad_text, "%s (%d px, %s)", s, px,
                 why);
    k->bad += why != NULL;
}

int text_draw(struct text *t, const char *s, int px, SDL_Color c,
              const SDL_Rect *box, enum text_align align, int max_lines,
              bool valign)
{
    struct cached_str *cs;
    SDL_Rect dst;

    if (s == NULL || s[0] == '\0')
        return 0;
    record(t, s);
    cs = str_get(t, s, px, box->w, max_lines, align);
    if (cs->tex == NULL)
        return 0;
    dst.w = cs->w;
    dst.h = cs->h;
    dst.x = align == TEXT_CENTER ? box->x + (box->w - cs->w) / 2
          : align == TEXT_RIGHT ? box->x + box->w - cs->w : box->x;
    dst.y = valign ? box->y + (box->h - cs->h) / 2 : box->y;
    check(t, s, px, cs, box);
    SDL_SetTextureColorMod(cs->tex, c.r, c.g, c.b);
    SDL_SetTextureAlphaMod(cs->tex, c.a);
    SDL_RenderCopy(t->r, cs->tex, NULL, &dst);
    return cs->h;
}

void text_frame_end(struct text *t)
{
    t->frame++;
    if (t->rec_on) {
        memcpy(t->rec[1], t->rec[0], t->rec_len + 1);
        t->rec_len = 0;
        t->chk[1] = t->chk[0];
        memset(&t->chk[0], 0, sizeof t->chk[0]);
        t->rec[0][0] = '\0';
    }
}

void text_stats(const struct text *t, struct text_stats *out)
{
    *out = t->st;
}

void text_record(struct text *t, bool on)
{
    t->rec_on = on;
    t->rec_len = 0;
    t->rec[0][0] = t->rec[1][0] = '\0';
}

static bool alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool allowed(const char *allow, const char *w, size_t n)
{
    const char *p = allow ? allow : "";

    while (*p) {
        size_t k = strcspn(p, " ");
        if (k == n && strncmp(p, w, n) == 0)
            return true;
        p += k + (p[k] == ' ');
    }
    return false;
}

bool text_latin_word(const char *s, const char *allow, char *out,
                     size_t cap)
{
    while (*s) {
        size_t n = 0, letters = 0;
        bool digit = false;
        /* A token: ASCII letters and digits, with - _ . inside ids. */
        while (alpha(s[n]) || (s[n] >= '0' && s[n] <= '9') ||
               ((s[n] == '-' || s[n] == '_' || s[n] == '.') && n > 0 &&
                (alpha(s[n + 1]) || (s[n + 1] >= '0' && s[n + 1] <= '9')))) {
            digit |= s[n] >= '0' && s[n] <= '9';
            letters += alpha(s[n]);
            n++;
        }
        if (n == 0) {
            s++;
            continue;
        }
        if (!digit && letters >= 2 && !allowed(allow, s, n)) {
            snprintf(out, cap, "%.*s", (int)n, s);
            return true;
        }
        s += n;
    }
    return false;
}

void text_excerpt(struct text *t, bool on)
{
    t->excerpt = on;
}

void text_frame_check(const struct text *t, struct text_frame_check *out)
{
    *out = t->chk[1];
}

const char *text_frame_strings(const struct text *t)
{
    return t->rec[1];
}

bool text_frame_has(const struct text *t, const char *needle)
{
    return strstr(t->rec[1], needle) != NULL;
}
