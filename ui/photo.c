/* ui/photo.c - a small cache of round photo textures. SDL2_image is
 * opened at the first photo, never at start-up (as for screenshots in
 * ui.c: linked, it would cost a third of the kiosk's start-up). */
#include "ui/photo.h"

#include <dlfcn.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/change.h"
#include "base/log.h"
#include "base/xmalloc.h"

#define SLOTS 48                   /* more faces than any screen shows */

struct slot {
    char         key[CHANGE_KEY_MAX + 1];
    SDL_Texture *tex;              /* NULL: no photo */
    uint32_t     loaded;           /* SDL_GetTicks() */
    uint32_t     used;
};

struct photos {
    SDL_Renderer *r;
    photo_source  src;
    void         *ctx;
    struct slot   slots[SLOTS];
    uint32_t      clock;
    int           decoded;
    SDL_Surface *(*load_rw)(SDL_RWops *, int);
    bool          tried_lib;
};

struct photos *photos_create(SDL_Renderer *r, photo_source src, void *ctx)
{
    struct photos *p = xcalloc(1, sizeof *p);
    p->r = r;
    p->src = src;
    p->ctx = ctx;
    return p;
}

void photos_destroy(struct photos *p)
{
    if (p == NULL)
        return;
    for (int i = 0; i < SLOTS; i++)
        if (p->slots[i].tex)
            SDL_DestroyTexture(p->slots[i].tex);
    free(p);
}

int photos_decoded(const struct photos *p) { return p ? p->decoded : 0; }

static bool open_image_lib(struct photos *p)
{
    if (!p->tried_lib) {
        p->tried_lib = true;
        void *lib = dlopen("libSDL2_image-2.0.so.0", RTLD_NOW | RTLD_LOCAL);
        if (lib)
            *(void **)&p->load_rw = dlsym(lib, "IMG_Load_RW");
        if (!p->load_rw)
            log_warn("photo: no SDL2_image (%s): initials only",
                     lib ? "IMG_Load_RW" : dlerror());
    }
    return p->load_rw != NULL;
}

/* The photo as RGBA with everything outside the inscribed circle clear,
 * its edge a pixel of soft alpha. */
static SDL_Texture *round_texture(struct photos *p, SDL_Surface *img)
{
    SDL_Surface *s = SDL_ConvertSurfaceFormat(img, SDL_PIXELFORMAT_RGBA32,
                                              0);
    if (!s)
        return NULL;
    float cx = s->w / 2.0f, cy = s->h / 2.0f;
    float rad = (s->w < s->h ? s->w : s->h) / 2.0f;
    SDL_LockSurface(s);
    for (int y = 0; y < s->h; y++) {
        uint8_t *row = (uint8_t *)s->pixels + (size_t)y * s->pitch;
        for (int x = 0; x < s->w; x++) {
            float d = hypotf(x + 0.5f - cx, y + 0.5f - cy);
            float a = rad - d + 0.5f;
            row[x * 4 + 3] = a >= 1 ? 255 : a <= 0 ? 0 : (uint8_t)(a * 255);
        }
    }
    SDL_UnlockSurface(s);
    SDL_Texture *t = SDL_CreateTextureFromSurface(p->r, s);
    SDL_FreeSurface(s);
    if (t) {
        SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
        SDL_SetTextureScaleMode(t, SDL_ScaleModeLinear);
    }
    return t;
}

static SDL_Texture *load(struct photos *p, const char *key)
{
    static uint8_t buf[CHANGE_PHOTO_MAX];
    size_t len = 0;
    if (p->src(p->ctx, key, buf, sizeof buf, &len) != ERR_OK || len == 0 ||
        !open_image_lib(p))
        return NULL;
    SDL_RWops *rw = SDL_RWFromConstMem(buf, (int)len);
    SDL_Surface *img = rw ? p->load_rw(rw, 1) : NULL;
    if (!img) {
        log_warn("photo %s does not decode: initials", key);
        return NULL;
    }
    SDL_Texture *t = round_texture(p, img);
    SDL_FreeSurface(img);
    p->decoded++;
    return t;
}

SDL_Texture *photos_get(struct photos *p, const char *key)
{
    if (p == NULL || key == NULL || !*key || strlen(key) > CHANGE_KEY_MAX)
        return NULL;
    uint32_t now = SDL_GetTicks();
    struct slot *s = NULL, *old = &p->slots[0];
    for (int i = 0; i < SLOTS && !s; i++) {
        if (strcmp(p->slots[i].key, key) == 0)
            s = &p->slots[i];
        else if (p->slots[i].used < old->used)
            old = &p->slots[i];
    }
    if (s && now - s->loaded > PHOTO_TTL_MS) {
        if (s->tex)
            SDL_DestroyTexture(s->tex);
        s->tex = load(p, key);
        s->loaded = now;
    } else if (!s) {
        s = old;                   /* the least recently drawn */
        if (s->tex)
            SDL_DestroyTexture(s->tex);
        strcpy(s->key, key);
        s->tex = load(p, key);
        s->loaded = now;
    }
    s->used = ++p->clock;
    return s->tex;
}
