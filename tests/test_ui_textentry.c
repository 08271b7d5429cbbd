/* tests/test_ui_textentry.c - the text entry screen through the real
 * engines: librime with Debian's pinyin_simp and zinnia with Debian's
 * simplified Chinese model. Typing xiuli and choosing 修理 gives 修理;
 * a stroke file of a character (tests/data/NAME.strokes) offers it among
 * the first candidates; Back hands back nothing; the length cap holds;
 * the result goes to the screen that opened text entry, once. Then
 * both ways of writing drawn in zh_CN and en, 1024x600 and 800x480 and
 * large text, compared with tests/ref/textentry_*.png. */
#include "test_ui_ctx.h"
#include "test_ui_shot.h"

#include "ui/textentry.h"

static struct ui_ctx ctx;

/* One rime directory for the whole run: rime starts once a process. */
#define IME_DIR "build/test-ui/rime"

static void open_ctx(const struct ui_variant *v)
{
    ui_ctx_open(&ctx, v);
    str_copy(ctx.app->cfg.ime_dir, CONFIG_STR, IME_DIR);
    ui_run(&ctx, "expect screen home", NULL);   /* the script clock */
}

static int setup(void **st)
{
    const struct ui_variant v = { "zh_CN", false, true, false, 1024, 600 };

    (void)st;
    open_ctx(&v);
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    ui_ctx_close(&ctx);
    return 0;
}

static const char *const presets[] = { "楼道灯坏了，晚上看不见",
                                       "垃圾没有及时清运" };

static void open_entry(int max, const char *initial)
{
    struct textentry_request rq = {
        .title_key = "te.title.demo", .max_chars = max, .initial = initial,
        .presets = presets, .n_presets = 2, .tag = 7,
    };

    textentry_open(ctx.app, &rq);
    ui_run(&ctx, "expect screen textentry", NULL);
}

static int textentry_chars_of(const char *s)
{
    int n = 0;

    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

static enum textentry_result take(char *out, size_t cap)
{
    int tag = -1;
    enum textentry_result r = textentry_take(ctx.app, &screen_home_ops,
                                             &tag, out, cap);

    if (r != TEXTENTRY_NONE)
        assert_int_equal(tag, 7);
    return r;
}

/* OK, back on the opener, and the text it was handed. */
static void expect_done(const char *want)
{
    char text[TEXTENTRY_BYTES];

    ui_run(&ctx, "tap te.ok\nexpect screen home", NULL);
    assert_int_equal(take(text, sizeof text), TEXTENTRY_DONE);
    assert_string_equal(text, want);
    assert_int_equal(take(text, sizeof text), TEXTENTRY_NONE);   /* once */
}

static void typing_xiuli_and_choosing_xiuli_gives_xiuli(void **st)
{
    (void)st;
    open_entry(50, NULL);
    ui_run(&ctx, "type xiuli\n"
                 "expect text xiu li\n"
                 "expect text 修理\n"
                 "tap cand.0\n"
                 "expect notext xiu li\n"
                 "expect text 修理", NULL);
    expect_done("修理");
}

/* Choosing one syllable's character keeps the rest composed. */
static void choosing_part_of_the_pinyin_keeps_the_rest(void **st)
{
    (void)st;
    open_entry(50, "楼道");
    ui_run(&ctx, "type xiuli\n"
                 "tap cand.2\n"              /* 修 alone */
                 "expect text li\n"
                 "tap cand.0\n", NULL);      /* then li's first */
    ui_run(&ctx, "tap te.ok", NULL);
    char text[TEXTENTRY_BYTES];
    assert_int_equal(take(text, sizeof text), TEXTENTRY_DONE);
    assert_true(strncmp(text, "楼道修", strlen("楼道修")) == 0);
    assert_int_equal((int)strlen(text), 4 * 3);  /* four characters */
}

static void candidates_page_both_ways(void **st)
{
    SDL_Rect r;

    (void)st;
    open_entry(50, NULL);
    ui_run(&ctx, "type shi\nexpect text 是", NULL);
    assert_false(ui_hit_find(ctx.app->ui, "cand.prev", &r));
    ui_run(&ctx, "tap cand.next\nexpect notext 是\n"
                 "tap cand.0", NULL);            /* a page-2 character */
    char text[TEXTENTRY_BYTES];
    ui_run(&ctx, "type shi\ntap cand.next\ntap cand.prev\n"
                 "expect text 是\ntap te.ok", NULL);
    assert_int_equal(take(text, sizeof text), TEXTENTRY_DONE);
    assert_int_equal(textentry_chars_of(text), 2);
    assert_true(strcmp(text + strlen(text) - strlen("是"), "是") == 0);
    assert_true(strncmp(text, "是", strlen("是")) != 0);
}

static void backspace_edits_pinyin_then_text(void **st)
{
    (void)st;
    open_entry(50, "灯");
    ui_run(&ctx, "type xiul\n"
                 "tap kb.del\n"              /* the l */
                 "expect text xiu\n"
                 "tap kb.del\ntap kb.del\ntap kb.del\n"
                 "tap kb.del\n",             /* then 灯 */
           NULL);
    expect_done("");
}

static void english_and_symbols_go_in_as_typed(void **st)
{
    (void)st;
    open_entry(50, NULL);
    ui_run(&ctx, "tap kb.lang\n"
                 "type b\n"
                 "tap kb.page\n"
                 "tap kb.s2\n"               /* 3 */
                 "tap kb.s10\n"              /* ， */
                 "tap kb.page\n"
                 "tap kb.lang\n"
                 "type hao\n"
                 "tap kb.space\n", NULL);    /* first candidate: 好 */
    expect_done("b3，好");
}

/* niang: 娘 酿 孃 嬢 釀 醸; the font (GB2312 and the strings) has only the
 * first two, and the others are not shown as '?'. */
static void candidates_the_font_lacks_are_left_out(void **st)
{
    SDL_Rect r;

    (void)st;
    open_entry(50, NULL);
    ui_run(&ctx, "type niang\nexpect text 娘\nexpect text 酿\n"
                 "expect notext 孃", NULL);
    assert_true(ui_hit_find(ctx.app->ui, "cand.1", &r));
    assert_false(ui_hit_find(ctx.app->ui, "cand.2", &r));
    assert_false(ui_hit_find(ctx.app->ui, "cand.5", &r));
    ui_run(&ctx, "tap cand.1", NULL);
    expect_done("酿");
}

static void stroke_file_offers_its_character(void **st)
{
    char text[TEXTENTRY_BYTES];

    (void)st;
    /* Among the first three candidates: try each, on a fresh pad. */
    for (int k = 0; k < 3; k++) {
        char line[64];
        open_entry(50, NULL);
        ui_run(&ctx, "tap te.hand\n"
                     "expect text 在这里写一个字\n"
                     "strokes hand.pad tests/data/da.strokes\n"
                     "expect notext 在这里写一个字", NULL);
        snprintf(line, sizeof line, "tap cand.%d\ntap te.ok", k);
        ui_run(&ctx, line, NULL);
        assert_int_equal(take(text, sizeof text), TEXTENTRY_DONE);
        if (strcmp(text, "大") == 0)
            return;
    }
    fail_msg("大 is not among the first three candidates");
}

static void push(const SDL_Event *e)
{
    SDL_Event copy = *e;

    assert_int_equal(SDL_PushEvent(&copy), 1);
}

static void push_finger(Uint32 type, SDL_Rect pad, int x, int y)
{
    SDL_Event e = { .type = type };

    e.tfinger.x = (float)(pad.x + x * pad.w / 1000) / (float)ui_w(ctx.app->ui);
    e.tfinger.y = (float)(pad.y + y * pad.h / 1000) / (float)ui_h(ctx.app->ui);
    push(&e);
}

static void push_mouse(Uint32 type, SDL_Rect pad, int x, int y)
{
    SDL_Event e = { .type = type };

    if (type == SDL_MOUSEMOTION) {
        e.motion.x = pad.x + x * pad.w / 1000;
        e.motion.y = pad.y + y * pad.h / 1000;
        e.motion.state = SDL_BUTTON_LMASK;
    } else {
        e.button.x = pad.x + x * pad.w / 1000;
        e.button.y = pad.y + y * pad.h / 1000;
        e.button.button = SDL_BUTTON_LEFT;
    }
    push(&e);
}

static void run_queued_events(void)
{
    SDL_Event quit = { .type = SDL_QUIT };

    push(&quit);
    assert_int_equal(app_run(ctx.app), ERR_OK);
    ctx.app->quit = false;
}

/* Through SDL's event queue and the real loop: 一 with a finger, then 十
 * with the mouse (a move with no button down between its strokes draws
 * nothing). */
static void finger_and_mouse_draw_on_the_pad(void **st)
{
    SDL_Event hover = { .type = SDL_MOUSEMOTION };
    SDL_Rect pad;

    (void)st;
    open_entry(50, NULL);
    ui_run(&ctx, "tap te.hand", NULL);
    app_draw(ctx.app, true, NULL);
    assert_true(ui_hit_find(ctx.app->ui, "hand.pad", &pad));
    push_finger(SDL_FINGERDOWN, pad, 140, 480);
    for (int x = 200; x <= 860; x += 60)
        push_finger(SDL_FINGERMOTION, pad, x, 475);
    push_finger(SDL_FINGERUP, pad, 860, 470);
    run_queued_events();
    ui_run(&ctx, "tap cand.0", NULL);
    push_mouse(SDL_MOUSEBUTTONDOWN, pad, 140, 480);
    for (int x = 200; x <= 860; x += 60)
        push_mouse(SDL_MOUSEMOTION, pad, x, 475);
    push_mouse(SDL_MOUSEBUTTONUP, pad, 860, 470);
    hover.motion.x = pad.x + pad.w / 4;
    hover.motion.y = pad.y + pad.h / 4;
    push(&hover);
    push_mouse(SDL_MOUSEBUTTONDOWN, pad, 500, 110);
    for (int y = 170; y <= 910; y += 60)
        push_mouse(SDL_MOUSEMOTION, pad, 502, y);
    push_mouse(SDL_MOUSEBUTTONUP, pad, 505, 910);
    run_queued_events();
    ui_run(&ctx, "tap cand.0", NULL);
    expect_done("一十");
}

/* A dimmed screen: the first touch wakes it and writes nothing. */
static void dimmed_pad_only_wakes(void **st)
{
    SDL_Rect pad;

    (void)st;
    open_entry(50, NULL);
    ui_run(&ctx, "tap te.hand", NULL);
    app_draw(ctx.app, true, NULL);
    assert_true(ui_hit_find(ctx.app->ui, "hand.pad", &pad));
    ctx.app->dimmed = true;
    push_mouse(SDL_MOUSEBUTTONDOWN, pad, 140, 480);
    push_mouse(SDL_MOUSEMOTION, pad, 500, 480);
    push_mouse(SDL_MOUSEBUTTONUP, pad, 860, 470);
    run_queued_events();
    assert_false(ctx.app->dimmed);
    ui_run(&ctx, "expect text 在这里写一个字", NULL);
    assert_false(ui_hit_find(ctx.app->ui, "cand.0", &pad));
    /* A button pressed while dimmed is not pressed either. */
    SDL_Rect tab;
    assert_true(ui_hit_find(ctx.app->ui, "te.pinyin", &tab));
    ctx.app->dimmed = true;
    push_mouse(SDL_MOUSEBUTTONDOWN, tab, 500, 500);
    push_mouse(SDL_MOUSEBUTTONUP, tab, 500, 500);
    run_queued_events();
    ui_run(&ctx, "expect text 在这里写一个字", NULL);    /* still writing */
}

static void undo_stroke_and_clear(void **st)
{
    (void)st;
    open_entry(50, NULL);
    /* 十 written, its second stroke undone: what is left is 一. */
    ui_run(&ctx, "tap te.hand\n"
                 "strokes hand.pad tests/data/shi.strokes\n"
                 "tap hand.undo\n"
                 "tap cand.0\n"
                 "strokes hand.pad tests/data/shi.strokes\n"
                 "tap hand.clear\n"
                 "expect text 在这里写一个字\n"
                 "strokes hand.pad tests/data/shi.strokes\n"
                 "tap cand.0", NULL);
    expect_done("一十");
}

static void back_hands_back_nothing(void **st)
{
    char text[TEXTENTRY_BYTES] = "unchanged";

    (void)st;
    open_entry(50, "原来的话");
    ui_run(&ctx, "type xiuli\ntap cand.0\ntap back\nexpect screen home",
           NULL);
    assert_int_equal(take(text, sizeof text), TEXTENTRY_CANCELLED);
    assert_string_equal(text, "unchanged");
    /* Another screen is not the opener: nothing for it. */
    open_entry(50, NULL);
    ui_run(&ctx, "tap te.ok", NULL);
    assert_int_equal(textentry_take(ctx.app, &screen_record_ops, NULL, text,
                                    sizeof text), TEXTENTRY_NONE);
}

static void max_length_is_enforced(void **st)
{
    (void)st;
    open_entry(3, "太长的初始文字");           /* cut to 3 */
    ui_run(&ctx, "expect text 太长的\n"
                 "tap kb.del\n"
                 "type xiuli\ntap cand.0\n"  /* 修理 would make 4 */
                 "expect text 最多 3 个字\n"
                 "expect text xiu li\n"      /* the pinyin is kept */
                 "tap kb.del\ntap kb.del\n"
                 "tap cand.0\n"              /* 修 fits: 太长修 */
                 "expect notext 最多 3 个字\n"
                 "tap kb.lang\n"
                 "type a\n"
                 "expect text 最多 3 个字", NULL);
    expect_done("太长修");
}

static void preset_replaces_the_text(void **st)
{
    (void)st;
    open_entry(8, "abc");
    ui_run(&ctx, "tap te.presets\n"
                 "tap preset.1", NULL);
    expect_done("垃圾没有及时清运");
    open_entry(5, NULL);                     /* cut to the cap */
    ui_run(&ctx, "tap te.presets\ntap preset.0", NULL);
    expect_done("楼道灯坏了");
}

/* Goldens: each variant, pinyin composing, symbols, handwriting with
 * candidates, presets. */
static void shots(const struct ui_variant *v)
{
    static const char *const steps[][2] = {
        { "type xiuli", "pinyin" },
        { "tap cand.0\ntap kb.page", "symbols" },
        { "tap te.hand\nstrokes hand.pad tests/data/da.strokes", "hand" },
        { "tap te.presets", "presets" },
    };
    char prefix[64], name[128];

    snprintf(prefix, sizeof prefix, "textentry_%s%s_%dx%d", v->lang,
             v->large ? "_large" : "", v->w, v->h);
    open_ctx(v);
    open_entry(50, "楼道灯");
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        ui_run(&ctx, steps[i][0], NULL);
        snprintf(name, sizeof name, "%s_%s", prefix, steps[i][1]);
        app_draw(ctx.app, true, NULL);
        check_touch_targets(&ctx, name);
        check_shot(&ctx, name);
    }
    ui_ctx_close(&ctx);
}

#define SHOTS(fn, lang, large, w, h)                                      \
    static void fn(void **st)                                             \
    {                                                                     \
        const struct ui_variant v = { lang, large, true, false, w, h };   \
        (void)st;                                                         \
        shots(&v);                                                        \
    }

SHOTS(shots_zh_1024x600, "zh_CN", false, 1024, 600)
SHOTS(shots_en_1024x600, "en", false, 1024, 600)
SHOTS(shots_zh_800x480, "zh_CN", false, 800, 480)
SHOTS(shots_en_800x480, "en", false, 800, 480)
SHOTS(shots_zh_large_1024x600, "zh_CN", true, 1024, 600)
SHOTS(shots_en_large_800x480, "en", true, 800, 480)

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(typing_xiuli_and_choosing_xiuli_gives_xiuli),
        T(choosing_part_of_the_pinyin_keeps_the_rest),
        T(candidates_page_both_ways),
        T(backspace_edits_pinyin_then_text),
        T(english_and_symbols_go_in_as_typed),
        T(candidates_the_font_lacks_are_left_out),
        T(stroke_file_offers_its_character),
        T(undo_stroke_and_clear),
        T(finger_and_mouse_draw_on_the_pad),
        T(dimmed_pad_only_wakes),
        T(back_hands_back_nothing),
        T(max_length_is_enforced),
        T(preset_replaces_the_text),
        cmocka_unit_test(shots_zh_1024x600),
        cmocka_unit_test(shots_en_1024x600),
        cmocka_unit_test(shots_zh_800x480),
        cmocka_unit_test(shots_en_800x480),
        cmocka_unit_test(shots_zh_large_1024x600),
        cmocka_unit_test(shots_en_large_800x480),
    };

    mkdir("build", 0755);
    mkdir(out_dir(), 0755);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
