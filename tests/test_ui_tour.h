/* tests/test_ui_tour.h - what the UI tests that tour one screen's states
 * (test_ui_confirm, _desk, _ledger, _posts) share besides
 * test_ui_shot.h: the check of the type on every state, and TOUR, one
 * cmocka test per variant of the test's run_tour. Included after
 * test_ui_shot.h. */
/* The type, as test_ui_screens.c checks every screen: nothing under
 * 20 px (32 in large text), no string cut short or taller than its box. */
static void check_type(struct ui_ctx *c, const char *name)
{
    struct text_frame_check k;
    int floor_px = ui_u(c->app->ui, ui_large(c->app->ui) ? 32 : 20);
    text_frame_check(ui_text(c->app->ui), &k);
    if (getenv("TYPE_REPORT")) {
        if (k.min_px < floor_px || k.bad)
            print_message("# %s: min %d (%s) bad %d: %s\n", name, k.min_px,
                          k.min_text, k.bad, k.bad_text);
        return;
    }
    if (k.min_px < floor_px)
        fail_msg("%s: text of %d px (\"%s\"), under %d px", name, k.min_px,
                 k.min_text, floor_px);
    if (k.bad)
        fail_msg("%s: %d string(s) do not fit, first: %s", name, k.bad,
                 k.bad_text);
}

/* A tour (run_tour, defined by the test) in one variant as a cmocka
 * test: TOUR(zh_1024x600, "zh_CN", false, 1024, 600). */
#define TOUR(fn, lang, large, w, h)                                       \
    static void fn(void **st)                                             \
    {                                                                     \
        const struct ui_variant v = { lang, large, true, false, w, h };   \
        (void)st;                                                         \
        run_tour(&v);                                                     \
    }
