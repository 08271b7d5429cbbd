/* tests/test_ui_shot.h - compare what a UI test's kiosk shows with its
 * reference tests/ref/<name>.png, as tests/test_ui_screens.c does (the
 * same tolerance and the same .err.png / .diff.png on a mismatch,
 * UPDATE_REFS=1 rewrites), and check every touch area's size. Included
 * after test_ui_ctx.h by the UI tests that keep their own references. */
#include <SDL_image.h>

#define TOLERANCE   24        /* per channel, for rasteriser differences */
#define MAX_BAD_PPM 500       /* differing pixels allowed, per million */

static const char *out_dir(void)
{
    const char *d = getenv("UI_OUT");

    return d && d[0] ? d : "build/test-ui";
}

static SDL_Surface *load(const char *path)
{
    SDL_Surface *s = IMG_Load(path), *c;

    if (s == NULL)
        return NULL;
    c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(s);
    return c;
}

/* Count pixels differing by more than TOLERANCE; paint them into diff. */
static long compare(SDL_Surface *a, SDL_Surface *b, SDL_Surface *diff)
{
    long bad = 0;

    for (int y = 0; y < a->h; y++) {
        Uint32 *pa = (Uint32 *)((Uint8 *)a->pixels + y * a->pitch);
        Uint32 *pb = (Uint32 *)((Uint8 *)b->pixels + y * b->pitch);
        Uint32 *pd = (Uint32 *)((Uint8 *)diff->pixels + y * diff->pitch);
        for (int x = 0; x < a->w; x++) {
            int worst = 0;
            for (int sh = 0; sh < 24; sh += 8) {
                int d = abs((int)((pa[x] >> sh) & 255) -
                            (int)((pb[x] >> sh) & 255));
                worst = d > worst ? d : worst;
            }
            bad += worst > TOLERANCE;
            pd[x] = worst > TOLERANCE ? 0xffff0000u
                                      : 0xff000000u | ((pa[x] >> 2) & 0x3f3f3f);
        }
    }
    return bad;
}

/* Compare what the kiosk shows now with tests/ref/<name>.png. Pixels
 * are read from the renderer (no PNG round trip unless it fails). */
static void check_shot(struct ui_ctx *c, const char *name)
{
    char ref[256], err[256], dpath[256];
    SDL_Surface *a, *b, *diff;
    long bad, limit;
    bool update = getenv("UPDATE_REFS") && strcmp(getenv("UPDATE_REFS"),
                                                  "1") == 0;

    snprintf(ref, sizeof ref, "tests/ref/%s.png", name);
    assert_int_equal(ui_read_pixels(c->app->ui, &a), ERR_OK);
    if (update) {
        assert_int_equal(IMG_SavePNG(a, ref), 0);
        SDL_FreeSurface(a);
        return;
    }
    snprintf(err, sizeof err, "%s/%s.err.png", out_dir(), name);
    b = load(ref);
    if (b == NULL || a->w != b->w || a->h != b->h) {
        IMG_SavePNG(a, err);
        SDL_FreeSurface(a);
        SDL_FreeSurface(b);
        fail_msg("%s: missing or of another size; drawn: %s (check it, "
                 "then `make refs`)", ref, err);
    }
    diff = SDL_CreateRGBSurfaceWithFormat(0, a->w, a->h, 32,
                                          SDL_PIXELFORMAT_ARGB8888);
    bad = compare(a, b, diff);
    limit = (long)MAX_BAD_PPM * a->w * a->h / 1000000L;
    if (bad > limit) {
        snprintf(dpath, sizeof dpath, "%s/%s.diff.png", out_dir(), name);
        IMG_SavePNG(a, err);
        IMG_SavePNG(diff, dpath);
        print_message("# %s: %ld pixels differ; see %s and %s\n", name, bad,
                      err, dpath);
    }
    SDL_FreeSurface(diff);
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);
    if (bad > limit)
        fail_msg("%s differs from its reference", name);
}

static void check_touch_targets(struct ui_ctx *c, const char *name)
{
    int n = ui_hit_count(c->app->ui);

    for (int i = 0; i < n; i++) {
        SDL_Rect r;
        const char *id = ui_hit_get(c->app->ui, i, &r);
        if (r.w < UI_MIN_TOUCH || r.h < UI_MIN_TOUCH)
            fail_msg("%s: %s is %dx%d, under %d px", name, id, r.w, r.h,
                     UI_MIN_TOUCH);
        if (r.x < 0 || r.y < 0 || r.x + r.w > ui_w(c->app->ui) ||
            r.y + r.h > ui_h(c->app->ui))
            fail_msg("%s: %s leaves the screen", name, id);
    }
}
