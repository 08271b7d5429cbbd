/* tests/test_ui_screens.c - every screen and state, drawn headless and
 * compared with tests/ref/<name>.png within a small per-pixel tolerance:
 * zh_CN and en at 1024x600 and 800x480, large text, and a shorter tour at
 * 600x1024 (portrait), 1280x800 and 1920x1080. Every touch area on every
 * screen is checked to be at least UI_MIN_TOUCH px both ways.
 *
 * A mismatch writes <out>/<name>.png (what was drawn) as <name>.err.png
 * beside <name>.diff.png (differing pixels in red), out being $UI_OUT or
 * build/test-ui. UPDATE_REFS=1 (or `make refs`) rewrites the references
 * instead. */
#include "test_ui_ctx.h"
#include "test_ui_shot.h"

static const char *const tour[] = {
    "screenshot home",
    "tap help", "screenshot help",
    "tap call", "screenshot help_called", "tap home",
    "tap checkin", "screenshot identify",
    "tap key.1", "tap key.0", "tap key.0", "tap key.1",
    "screenshot identify_typed",
    "tap key.ok", "screenshot result_in",
    "wait 6000", "scan KSK1:M:M1001", "screenshot result_already_in",
    "tap done", "scan KSK1:M:M9999", "screenshot result_unknown",
    "tap home", "scan KSK1:M:M2001", "screenshot result_inactive",
    "tap home", "scan ???", "screenshot result_unreadable",
    "tap home", "scan FORGED:M:M1003", "screenshot result_forged",
    "tap home", "scan KSK1:R:M1002", "screenshot result_registered",
    "tap done", "tap checkin", "tap register",
    "screenshot identify_register",
    "scan KSK1:M:M1002", "screenshot result_already_registered",
    "tap done", "tap checkin", "tap register", "scan KSK1:M:M9999",
    "screenshot result_registered_guest",
    "tap done", "tap record",
    "tap key.1", "tap key.0", "tap key.0", "tap key.2", "tap key.ok",
    "screenshot identify_pin",
    "tap key.1", "tap key.3", "tap key.5", "tap key.7", "tap key.ok",
    "screenshot identify_wrong_pin",
    "tap back", "tap record", "tap key.9", "tap key.ok",
    "screenshot identify_not_found",
    "tap retry", "tap key.1", "tap key.0", "tap key.0", "tap key.1",
    "tap key.ok", "screenshot identify_no_pin",
    "tap home", "tap record", "scan KSK1:M:M1001", "screenshot record",
    "tap logsvc", "screenshot svc_category",
    "tap cat.1", "screenshot svc_day",
    "tap day.1", "screenshot svc_duration",
    "tap dur.2", "screenshot svc_note",
    "tap note.1", "screenshot svc_post",
    "tap onpost.1", "screenshot svc_served",
    "tap served.1", "screenshot svc_building",
    "tap bldg.0", "screenshot svc_unit",
    "tap unit.1", "screenshot svc_review",
    "tap submit", "screenshot svc_saved",
    "tap done", "screenshot record_pending",
    "tap back", "tap boards", "screenshot boards",
    "tap board.0", "screenshot posts",
    "tap cat.2", "screenshot post",
    "tap back", "tap back",
    "tap board.1", "screenshot duty_today",
    "tap tab.1", "screenshot duty_week",
    "tap back", "tap board.2", "screenshot notices",
    "tap notice.0", "screenshot notice",
    "tap back", "tap back", "tap board.3", "screenshot stars_month",
    "tap tab.1", "screenshot stars_quarter",
    "tap tab.2", "screenshot stars_year",
    "tap tab.0", "tap pick", "screenshot stars_pick",
    "tap board.5", "screenshot stars_security",
    "tap pick", "tap board.3", "screenshot stars_culture_empty",
    "tap pick", "tap board.7", "screenshot stars_awards_posts",
    "tap award.1", "screenshot stars_awards_members",
    "tap back", "tap back", "tap record", "scan KSK1:M:M1007",
    "screenshot record_star_points", "tap back", "tap boards", "tap board.3",
    "tap back", "tap back", "tap contacts", "screenshot contacts",
    "tap bldg.0", "screenshot contacts_units",
    "tap unit.1", "screenshot contacts_list",
    "tap back", "tap back", "tap back",
    "tap station", "tap station", "tap station", "tap station",
    "tap station", "tap key.1", "tap key.2", "screenshot tech_pin",
    "tap key.ok", "screenshot tech_bad_pin",
    "tap key.2", "tap key.4", "tap key.6", "tap key.8", "tap key.ok",
    "tap sync", "screenshot tech_sync_none", "tap done",
    "tap usb", "screenshot tech_usb_none", "tap done",
    "tap test", "tap 200 300", "scan M1001", "screenshot tech_test",
    "tap back", "tap back", "wait 61000", "screenshot attract",
    "wait 12000", "screenshot attract_notices",
    "wait 12000", "screenshot attract_stars",
    "wait 12000", "screenshot attract_posts",
    "wait 1800000", "scan KSK1:M:M1001", "screenshot result_out",
    NULL,
};

/* A station that takes cards only: no keypad, typed numbers refused. */
static const char *const cards_only_tour[] = {
    "tap checkin", "screenshot identify_cards_only",
    "scan M1001", "screenshot result_number_off",
    "tap home", "tap contacts", "tap bldg.1", "screenshot contacts_no_units",
    NULL,
};

/* The short tour for the other sizes: the densest screens. */
static const char *const short_tour[] = {
    "screenshot home",
    "tap help", "screenshot help", "tap back",
    "tap record", "scan KSK1:M:M1001", "screenshot record",
    "tap logsvc", "tap cat.0", "screenshot svc_day",
    "tap day.0", "screenshot svc_duration",
    "tap back", "tap back", "tap back", "tap back", "tap contacts",
    "tap bldg.0",
    "tap unit.0", "screenshot contacts_list",
    "tap back", "tap back", "tap back", "tap boards", "tap board.1",
    "tap tab.1", "screenshot duty_week",
    "tap back", "tap back", "tap checkin", "tap register",
    "screenshot identify_register",
    "scan KSK1:R:M1002", "screenshot result_registered",
    NULL,
};

/* Type an elderly member can read: nothing under 20 px at scale 1
 * (secondary text; body is 24), 1.6 times that in large text, and no
 * string cut short or taller than its box, from what the text layer
 * drew (not from pixels). */
static void check_type(struct ui_ctx *c, const struct ui_variant *v,
                       const char *name)
{
    struct text_frame_check k;
    int floor_px = ui_u(c->app->ui, v->large ? 32 : 20);

    text_frame_check(ui_text(c->app->ui), &k);
    if (getenv("TYPE_REPORT")) {    /* list every finding, fail none */
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

static void run_tour(const struct ui_variant *v, const char *const *lines)
{
    char prefix[64], name[128];
    struct ui_ctx c;

    snprintf(prefix, sizeof prefix, "%s%s_%dx%d", v->lang,
             v->large ? "_large" : "", v->w, v->h);
    mkdir("build", 0755);
    mkdir(out_dir(), 0755);
    ui_ctx_open(&c, v);
    /* No stick, wherever the tests run: the screenshot is the same. */
    str_copy(c.app->cfg.usb_dir, CONFIG_STR, "/nonexistent/usb");
    ui_run(&c, "expect screen home", NULL);     /* starts the script clock */
    for (int i = 0; lines[i]; i++) {
        if (strncmp(lines[i], "screenshot ", 11) != 0) {
            ui_run(&c, lines[i], NULL);
            continue;
        }
        snprintf(name, sizeof name, "%s_%s", prefix, lines[i] + 11);
        app_draw(c.app, true, NULL);
        check_touch_targets(&c, name);
        check_type(&c, v, name);
        check_shot(&c, name);
    }
    ui_ctx_close(&c);
}

#define TOUR(fn, lang, large, w, h, lines) TOUR_N(fn, lang, large, true, w, \
                                                  h, lines)
#define TOUR_N(fn, lang, large, numbers, w, h, lines)                      \
    static void fn(void **st)                                              \
    {                                                                      \
        const struct ui_variant v = { lang, large, numbers, false, w, h }; \
        (void)st;                                                          \
        run_tour(&v, lines);                                               \
    }

TOUR(zh_1024x600, "zh_CN", false, 1024, 600, tour)
TOUR(en_1024x600, "en", false, 1024, 600, tour)
TOUR(zh_800x480, "zh_CN", false, 800, 480, tour)
TOUR(en_800x480, "en", false, 800, 480, tour)
TOUR(zh_large_1024x600, "zh_CN", true, 1024, 600, tour)
TOUR(en_large_1024x600, "en", true, 1024, 600, tour)
TOUR(zh_large_800x480, "zh_CN", true, 800, 480, short_tour)
TOUR(zh_600x1024, "zh_CN", false, 600, 1024, short_tour)
TOUR(en_1280x800, "en", false, 1280, 800, short_tour)
TOUR(zh_1920x1080, "zh_CN", false, 1920, 1080, short_tour)
TOUR_N(zh_cards_only_1024x600, "zh_CN", false, false, 1024, 600,
       cards_only_tour)
TOUR_N(en_cards_only_800x480, "en", false, false, 800, 480, cards_only_tour)

static void text_colours_have_contrast(void **st)
{
    static const enum ui_color pairs[][2] = {
        { UI_TEXT, UI_BG }, { UI_TEXT, UI_SURFACE }, { UI_MUTED, UI_BG },
        { UI_MUTED, UI_SURFACE }, { UI_ON_PRIMARY, UI_PRIMARY },
        { UI_ON_PRIMARY, UI_OK }, { UI_ON_PRIMARY, UI_INFO },
        { UI_ON_PRIMARY, UI_ERR }, { UI_ON_WARN, UI_WARN },
        { UI_PRIMARY, UI_SURFACE }, { UI_OK, UI_SURFACE },
        { UI_TEXT, UI_PRESSED }, { UI_ERR, UI_BG },
        { UI_ON_PRIMARY, UI_BRAND }, { UI_PRIMARY, UI_BG },
    };

    (void)st;
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        double r = ui_contrast(ui_color(pairs[i][0]), ui_color(pairs[i][1]));
        if (r < 4.5)
            fail_msg("colours %d on %d: contrast %.2f", pairs[i][0],
                     pairs[i][1], r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_colours_have_contrast),
        cmocka_unit_test(zh_1024x600),
        cmocka_unit_test(en_1024x600),
        cmocka_unit_test(zh_800x480),
        cmocka_unit_test(en_800x480),
        cmocka_unit_test(zh_large_1024x600),
        cmocka_unit_test(en_large_1024x600),
        cmocka_unit_test(zh_large_800x480),
        cmocka_unit_test(zh_600x1024),
        cmocka_unit_test(en_1280x800),
        cmocka_unit_test(zh_1920x1080),
        cmocka_unit_test(zh_cards_only_1024x600),
        cmocka_unit_test(en_cards_only_800x480),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
