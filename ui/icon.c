/* ui/icon.c - the icon font and a small texture cache of (glyph, size). */
#include "ui/icon.h"

#include <stdlib.h>

#include <SDL_ttf.h>

#include "base/log.h"
#include "base/xmalloc.h"

#define ICON_SLOTS 64            /* (glyph, size) pairs kept */

struct icon_tex {
    unsigned     glyph;
    int          px;
    SDL_Texture *tex;
    int          w, h;
    unsigned     last_frame;
};

struct icons {
    SDL_Renderer   *r;
    TTF_Font       *font;
    int             font_px;
    struct icon_tex slots[ICON_SLOTS];
    unsigned        frame;
    int             drawn, drawn_last;
};

err_code icons_create(SDL_Renderer *r, const char *path, struct icons **out)
{
    struct icons *ic = xcalloc(1, sizeof *ic);

    ic->r = r;
    *out = ic;
    if (!TTF_WasInit() && TTF_Init() != 0) {
        log_error("icons: TTF_Init: %s", TTF_GetError());
        return ERR_OK;
    }
    ic->font = TTF_OpenFont(path, 48);
    if (ic->font == NULL)
        log_warn("icons: %s: %s; screens show no icons", path,
                 TTF_GetError());
    ic->font_px = 48;
    return ERR_OK;
}

void icons_destroy(struct icons *ic)
{
    if (ic == NULL)
        return;
    for (int i = 0; i < ICON_SLOTS; i++)
        if (ic->slots[i].tex)
            SDL_DestroyTexture(ic->slots[i].tex);
    if (ic->font)
        TTF_CloseFont(ic->font);
    free(ic);
}

bool icons_loaded(const struct icons *ic)
{
    return ic && ic->font;
}

/* The cached texture, or a new one in the least recently used slot. */
static struct icon_tex *tex_get(struct icons *ic, unsigned g, int px)
{
    static const SDL_Color white = { 255, 255, 255, 255 };
    struct icon_tex *old = &ic->slots[0];
    SDL_Surface *s;

    for (int i = 0; i < ICON_SLOTS; i++) {
        struct icon_tex *e = &ic->slots[i];
        if (e->tex && e->glyph == g && e->px == px)
            return e;
        if (e->tex == NULL || e->last_frame < old->last_frame)
            old = e;
        if (e->tex == NULL)
            break;
    }
    if (ic->font_px != px) {
        TTF_SetFontSize(ic->font, px);
        ic->font_px = px;
    }
    s = TTF_RenderGlyph32_Blended(ic->font, g, white);
    if (s == NULL)
        return NULL;
    if (old->tex)
        SDL_DestroyTexture(old->tex);
    old->tex = SDL_CreateTextureFromSurface(ic->r, s);
    old->glyph = g;
    old->px = px;
    old->w = s->w;
    old->h = s->h;
    SDL_FreeSurface(s);
    if (old->tex)
        SDL_SetTextureBlendMode(old->tex, SDL_BLENDMODE_BLEND);
    return old->tex ? old : NULL;
}

void icons_draw(struct icons *ic, enum icon_glyph g, int px, SDL_Color c,
                int cx, int cy)
{
    struct icon_tex *e;

    if (ic == NULL || ic->font == NULL || px < 4)
        return;
    e = tex_get(ic, (unsigned)g, px);
    if (e == NULL)
        return;
    e->last_frame = ic->frame;
    /* The font's box is the em square plus its line gap: centre the
     * glyph's bitmap, which is the em square here. */
    SDL_Rect dst = { cx - e->w / 2, cy - e->h / 2, e->w, e->h };
    SDL_SetTextureColorMod(e->tex, c.r, c.g, c.b);
    SDL_RenderCopy(ic->r, e->tex, NULL, &dst);
    ic->drawn++;
}

int icons_drawn(const struct icons *ic)
{
    return ic ? ic->drawn_last : 0;
}

void icons_frame_end(struct icons *ic)
{
    if (ic == NULL)
        return;
    ic->frame++;
    ic->drawn_last = ic->drawn;
    ic->drawn = 0;
}
