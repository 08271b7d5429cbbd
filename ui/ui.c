/* ui/ui.c - window, renderer, palette, scale and the touch registry. The
 * only file that creates SDL windows; screens draw through it. */
#include "ui/ui.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <dlfcn.h>

#include "base/log.h"
#include "base/xmalloc.h"

struct hit {
    char     id[UI_ID_MAX];
    SDL_Rect r;
};

struct ui {
    SDL_Window   *win;
    SDL_Renderer *r;
    struct text  *text;
    struct icons *icons;
    struct photos *photos;
    int           w, h;
    float         scale;
    bool          large;
    struct hit    hits[UI_MAX_HITS];
    int           n_hits;
    char          pressed[UI_ID_MAX];
    char          renderer_name[32];
};

/* Contrast with white or dark text is at least 4.5:1 for every pair the
 * widgets use (amber is a background, never a text colour);
 * tests/test_ui_screens.c checks it. Red means something failed: errors
 * and refused results only. Buttons and highlights are a deep navy (not
 * the result screens' blue, which marks a selected choice); the house
 * red stays only as the title bar, the station's brand. */
static const SDL_Color palette[UI_N_COLORS] = {
    [UI_BG]         = { 0xf4, 0xf1, 0xea, 0xff },
    [UI_SURFACE]    = { 0xff, 0xff, 0xff, 0xff },
    [UI_TEXT]       = { 0x1a, 0x1a, 0x1a, 0xff },
    [UI_MUTED]      = { 0x4a, 0x4a, 0x4a, 0xff },
    [UI_BORDER]     = { 0x8a, 0x84, 0x7a, 0xff },
    [UI_PRIMARY]    = { 0x1b, 0x3a, 0x5c, 0xff },
    [UI_ON_PRIMARY] = { 0xff, 0xff, 0xff, 0xff },
    [UI_OK]         = { 0x1b, 0x5e, 0x20, 0xff },
    [UI_INFO]       = { 0x0d, 0x47, 0xa1, 0xff },
    [UI_WARN]       = { 0xf9, 0xa8, 0x25, 0xff },
    [UI_ON_WARN]    = { 0x1a, 0x1a, 0x1a, 0xff },
    [UI_ERR]        = { 0xa1, 0x1b, 0x1b, 0xff },
    [UI_PRESSED]    = { 0xe0, 0xd8, 0xc8, 0xff },
    [UI_BRAND]      = { 0xb0, 0x1e, 0x1e, 0xff },
};

/* At 1024x600 (scale 1) body text is 24 px and secondary text 20 px,
 * what an elderly member reads at arm's length. Large text makes what
 * members read 1.6 times as big; titles and the huge figures are big
 * already and grow less, so every screen still fits. */
static const int font_base[UI_N_FONTS] = { 20, 24, 30, 36, 56 };
static const float font_large[UI_N_FONTS] = { 1.6f, 1.6f, 1.4f, 1.25f,
                                              1.15f };

static err_code make_window(struct ui *ui, const struct ui_opts *o)
{
    Uint32 flags = o->hidden ? SDL_WINDOW_HIDDEN : SDL_WINDOW_SHOWN;

    if (o->fullscreen)
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    ui->win = SDL_CreateWindow(o->title, SDL_WINDOWPOS_CENTERED,
                               SDL_WINDOWPOS_CENTERED, o->width, o->height,
                               flags);
    if (ui->win == NULL) {
        log_error("ui: window: %s", SDL_GetError());
        return ERR_UNSUPPORTED;
    }
    ui->r = SDL_CreateRenderer(ui->win, -1, o->software ?
                               SDL_RENDERER_SOFTWARE : 0);
    if (ui->r == NULL && !o->software)
        ui->r = SDL_CreateRenderer(ui->win, -1, SDL_RENDERER_SOFTWARE);
    if (ui->r == NULL) {
        log_error("ui: renderer: %s", SDL_GetError());
        return ERR_UNSUPPORTED;
    }
    SDL_GetRendererOutputSize(ui->r, &ui->w, &ui->h);
    return ERR_OK;
}

/* Headless drivers have no GPU: asking them for acceleration loads Mesa
 * (llvmpipe, ~90 MB and ~100 ms at start-up) to draw what the software
 * renderer draws for ~12 MB. A real KMS/DRM or X11 GPU keeps it. */
static bool want_software(const struct ui_opts *o)
{
    const char *drv = SDL_GetCurrentVideoDriver();

    return o->software || (drv && (strcmp(drv, "offscreen") == 0 ||
                                   strcmp(drv, "dummy") == 0));
}

err_code ui_create(const struct ui_opts *o, struct ui **out)
{
    struct ui *ui = xcalloc(1, sizeof *ui);
    struct ui_opts eff = *o;
    SDL_RendererInfo info;
    err_code e;

    *out = NULL;
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        log_error("ui: SDL video: %s", SDL_GetError());
        free(ui);
        return ERR_UNSUPPORTED;
    }
    eff.software = want_software(o);
    if (eff.software)
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    e = make_window(ui, &eff);
    if (e != ERR_OK)
        goto fail;
    SDL_GetRendererInfo(ui->r, &info);
    str_copy(ui->renderer_name, sizeof ui->renderer_name, info.name);
    ui->scale = (float)(ui->w < ui->h ? ui->w : ui->h) / 600.0f;
    e = text_create(ui->r, o->font_path, ui->scale > 1.1f ? 1024 : 512,
                    &ui->text);
    if (e != ERR_OK)
        goto fail;
    icons_create(ui->r, o->icon_path ? o->icon_path : "", &ui->icons);
    /* Every colour is opaque: plain fills are several times faster than
     * blended ones in the software renderer. */
    SDL_SetRenderDrawBlendMode(ui->r, SDL_BLENDMODE_NONE);
    *out = ui;
    return ERR_OK;
fail:
    ui_destroy(ui);
    return e;
}

void ui_destroy(struct ui *ui)
{
    if (ui == NULL)
        return;
    photos_destroy(ui->photos);
    icons_destroy(ui->icons);
    text_destroy(ui->text);
    if (ui->r)
        SDL_DestroyRenderer(ui->r);
    if (ui->win)
        SDL_DestroyWindow(ui->win);
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    free(ui);
}

void ui_set_photo_source(struct ui *ui, photo_source src, void *ctx)
{
    photos_destroy(ui->photos);
    ui->photos = src ? photos_create(ui->r, src, ctx) : NULL;
}

SDL_Texture *ui_photo(struct ui *ui, const char *key)
{
    return photos_get(ui->photos, key);
}

int ui_photos_decoded(const struct ui *ui)
{
    return photos_decoded(ui->photos);
}

SDL_Renderer *ui_renderer(struct ui *ui) { return ui->r; }
struct text  *ui_text(struct ui *ui)     { return ui->text; }
int  ui_w(const struct ui *ui)           { return ui->w; }
int  ui_h(const struct ui *ui)           { return ui->h; }
bool ui_portrait(const struct ui *ui)    { return ui->h > ui->w; }
bool ui_large(const struct ui *ui)       { return ui->large; }
const char *ui_renderer_name(struct ui *ui) { return ui->renderer_name; }

void ui_set_large(struct ui *ui, bool large)
{
    ui->large = large;
}

int ui_u(const struct ui *ui, int n)
{
    return (int)lroundf((float)n * ui->scale);
}

int ui_px(const struct ui *ui, enum ui_font f)
{
    float px = (float)font_base[f] * ui->scale *
               (ui->large ? font_large[f] : 1.0f);
    int n = (int)lroundf(px);

    return n < 12 ? 12 : n;
}

int ui_touch_h(const struct ui *ui, enum ui_font f, int lines)
{
    int h = lines * text_line_height(ui->text, ui_px(ui, f)) + ui_u(ui, 16);

    return h < UI_MIN_TOUCH ? UI_MIN_TOUCH : h;
}

SDL_Color ui_color(enum ui_color c) { return palette[c]; }

static double lin(Uint8 v)
{
    double c = v / 255.0;

    return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

double ui_contrast(SDL_Color a, SDL_Color b)
{
    double la = 0.2126 * lin(a.r) + 0.7152 * lin(a.g) + 0.0722 * lin(a.b);
    double lb = 0.2126 * lin(b.r) + 0.7152 * lin(b.g) + 0.0722 * lin(b.b);

    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

void ui_frame_begin(struct ui *ui)
{
    SDL_Color c = palette[UI_BG];

    ui->n_hits = 0;
    SDL_SetRenderDrawColor(ui->r, c.r, c.g, c.b, 255);
    SDL_RenderClear(ui->r);
}

void ui_present(struct ui *ui)
{
    SDL_RenderPresent(ui->r);
    text_frame_end(ui->text);
    icons_frame_end(ui->icons);
}

void ui_fill(struct ui *ui, const SDL_Rect *r, enum ui_color c)
{
    SDL_Color k = palette[c];

    SDL_SetRenderDrawColor(ui->r, k.r, k.g, k.b, k.a);
    SDL_RenderFillRect(ui->r, r);
}

void ui_frame_rect(struct ui *ui, const SDL_Rect *r, enum ui_color c, int t)
{
    SDL_Rect e[4] = {
        { r->x, r->y, r->w, t }, { r->x, r->y + r->h - t, r->w, t },
        { r->x, r->y, t, r->h }, { r->x + r->w - t, r->y, t, r->h },
    };
    SDL_Color k = palette[c];

    SDL_SetRenderDrawColor(ui->r, k.r, k.g, k.b, k.a);
    SDL_RenderFillRects(ui->r, e, 4);
}

void ui_fill_circle(struct ui *ui, int cx, int cy, int radius,
                    enum ui_color c)
{
    SDL_Color k = palette[c];

    SDL_SetRenderDrawColor(ui->r, k.r, k.g, k.b, k.a);
    for (int dy = -radius; dy <= radius; dy++) {
        int dx = (int)sqrt((double)radius * radius - (double)dy * dy);
        SDL_RenderDrawLine(ui->r, cx - dx, cy + dy, cx + dx, cy + dy);
    }
}

void ui_line(struct ui *ui, int x1, int y1, int x2, int y2, int thick,
             enum ui_color c)
{
    SDL_Color k = palette[c];
    double dx = x2 - x1, dy = y2 - y1, len = sqrt(dx * dx + dy * dy);
    float nx, ny;
    SDL_Vertex v[4];
    int idx[6] = { 0, 1, 2, 1, 3, 2 };

    if (len < 1)
        return;
    nx = (float)(-dy / len * thick / 2);
    ny = (float)(dx / len * thick / 2);
    for (int i = 0; i < 4; i++) {
        v[i].color = k;
        v[i].tex_coord.x = v[i].tex_coord.y = 0;
    }
    v[0].position = (SDL_FPoint){ x1 + nx, y1 + ny };
    v[1].position = (SDL_FPoint){ x1 - nx, y1 - ny };
    v[2].position = (SDL_FPoint){ x2 + nx, y2 + ny };
    v[3].position = (SDL_FPoint){ x2 - nx, y2 - ny };
    SDL_RenderGeometry(ui->r, NULL, v, 4, idx, 6);
}

void ui_icon(struct ui *ui, enum icon_glyph g, int px, enum ui_color c,
             int cx, int cy)
{
    icons_draw(ui->icons, g, px, palette[c], cx, cy);
}

int ui_icons_drawn(const struct ui *ui)
{
    return icons_drawn(ui->icons);
}

int ui_label(struct ui *ui, const char *s, enum ui_font f, enum ui_color c,
             const SDL_Rect *box, enum text_align a, int max_lines,
             bool valign)
{
    return text_draw(ui->text, s, ui_px(ui, f), palette[c], box, a,
                     max_lines, valign);
}

void ui_hit_add(struct ui *ui, const char *id, const SDL_Rect *r)
{
    if (ui->n_hits == UI_MAX_HITS) {
        log_warn("ui: too many touch areas; %s dropped", id);
        return;
    }
    str_copy(ui->hits[ui->n_hits].id, UI_ID_MAX, id);
    ui->hits[ui->n_hits++].r = *r;
}

const char *ui_hit_at(const struct ui *ui, int x, int y)
{
    SDL_Point p = { x, y };

    for (int i = ui->n_hits - 1; i >= 0; i--)   /* topmost first */
        if (SDL_PointInRect(&p, &ui->hits[i].r))
            return ui->hits[i].id;
    return NULL;
}

bool ui_hit_find(const struct ui *ui, const char *id, SDL_Rect *r)
{
    for (int i = 0; i < ui->n_hits; i++)
        if (strcmp(ui->hits[i].id, id) == 0) {
            if (r)
                *r = ui->hits[i].r;
            return true;
        }
    return false;
}

int ui_hit_count(const struct ui *ui)
{
    return ui->n_hits;
}

const char *ui_hit_get(const struct ui *ui, int i, SDL_Rect *r)
{
    *r = ui->hits[i].r;
    return ui->hits[i].id;
}

void ui_hit_pressed(struct ui *ui, const char *id)
{
    str_copy(ui->pressed, sizeof ui->pressed, id ? id : "");
}

bool ui_is_pressed(const struct ui *ui, const char *id)
{
    return ui->pressed[0] && strcmp(ui->pressed, id) == 0;
}

err_code ui_read_pixels(struct ui *ui, SDL_Surface **out)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, ui->w, ui->h, 32,
                                                    SDL_PIXELFORMAT_ARGB8888);

    *out = NULL;
    if (s == NULL)
        return ERR_IO;
    if (SDL_RenderReadPixels(ui->r, NULL, SDL_PIXELFORMAT_ARGB8888,
                             s->pixels, s->pitch) != 0) {
        log_error("ui: read pixels: %s", SDL_GetError());
        SDL_FreeSurface(s);
        return ERR_IO;
    }
    *out = s;
    return ERR_OK;
}

/* SDL2_image is opened only when a screenshot is taken: linked, it
 * brings libtiff, libwebp, libjpeg and libstdc++ into every start-up of
 * the kiosk (a third of its start-up time), for a feature scripts use. */
typedef int (*save_png_fn)(SDL_Surface *s, const char *path);

static save_png_fn save_png(void)
{
    void *lib = dlopen("libSDL2_image-2.0.so.0", RTLD_NOW | RTLD_LOCAL);
    save_png_fn fn;

    if (lib == NULL) {
        log_error("ui: screenshots need SDL2_image: %s", dlerror());
        return NULL;
    }
    *(void **)&fn = dlsym(lib, "IMG_SavePNG");
    return fn;              /* the library stays loaded: never closed */
}

err_code ui_screenshot(struct ui *ui, const char *path)
{
    SDL_Surface *s;
    save_png_fn fn = save_png();
    err_code e = fn ? ui_read_pixels(ui, &s) : ERR_UNSUPPORTED;

    if (e != ERR_OK)
        return e;
    if (fn(s, path) != 0) {
        log_error("ui: screenshot %s: %s", path, SDL_GetError());
        e = ERR_IO;
    }
    SDL_FreeSurface(s);
    return e;
}
