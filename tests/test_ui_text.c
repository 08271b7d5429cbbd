/* tests/test_ui_text.c - line breaking, ellipsis and the glyph and string
 * caches, with the shipped font on a headless software renderer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/log.h"
#include "ui/text.h"

#define FONT "assets/fonts/NotoSansSC-kiosk.otf"
#define PX   24

struct fx {
    SDL_Window   *win;
    SDL_Renderer *r;
    struct text  *t;
};

static int setup(void **st)
{
    struct fx *f = calloc(1, sizeof *f);

    setenv("SDL_VIDEODRIVER", "offscreen", 0);
    log_set_level(LOG_LVL_WARN);
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    assert_int_equal(SDL_Init(SDL_INIT_VIDEO), 0);
    f->win = SDL_CreateWindow("t", 0, 0, 640, 480, SDL_WINDOW_HIDDEN);
    f->r = SDL_CreateRenderer(f->win, -1, SDL_RENDERER_SOFTWARE);
    assert_non_null(f->r);
    assert_int_equal(text_create(f->r, FONT, 1024, &f->t), ERR_OK);
    *st = f;
    return 0;
}

static int teardown(void **st)
{
    struct fx *f = *st;

    text_destroy(f->t);
    SDL_DestroyRenderer(f->r);
    SDL_DestroyWindow(f->win);
    SDL_Quit();
    free(f);
    return 0;
}

/* Line i of a layout as a new string (the caller frees). */
static char *line(const struct text_layout *l, int i)
{
    char *s = calloc(1, l->lines[i].len + 1);

    memcpy(s, l->lines[i].start, l->lines[i].len);
    return s;
}

static void expect_line(const struct text_layout *l, int i, const char *want)
{
    char *got = line(l, i);

    assert_string_equal(got, want);
    free(got);
}

static void chinese_breaks_between_ideographs(void **st)
{
    struct fx *f = *st;
    struct text_layout l;
    int w = text_width(f->t, "党员服务", PX);

    text_layout(f->t, "党员服务站欢迎您", PX, w, 0, &l);
    assert_int_equal(l.n, 2);
    expect_line(&l, 0, "党员服务");
    expect_line(&l, 1, "站欢迎您");
    assert_false(l.cut);
}

static void latin_words_and_numbers_stay_whole(void **st)
{
    struct fx *f = *st;
    struct text_layout l;
    int w = text_width(f->t, "Visited elderly", PX);

    text_layout(f->t, "Visited elderly residents", PX, w, 0, &l);
    assert_int_equal(l.n, 2);
    expect_line(&l, 0, "Visited elderly");
    expect_line(&l, 1, "residents");
    /* A number after Chinese moves whole to the next line. */
    w = text_width(f->t, "电话：138000050", PX);
    text_layout(f->t, "电话：13800005001", PX, w, 0, &l);
    expect_line(&l, 0, "电话：");
    expect_line(&l, 1, "13800005001");
}

static void closing_punctuation_never_starts_a_line(void **st)
{
    struct fx *f = *st;
    struct text_layout l;
    int w = text_width(f->t, "请各位居民", PX);

    text_layout(f->t, "请各位居民，配合检查。", PX, w, 0, &l);
    assert_true(l.n >= 2);
    for (int i = 1; i < l.n; i++)
        assert_true(strncmp(l.lines[i].start, "，", 3) != 0 &&
                    strncmp(l.lines[i].start, "。", 3) != 0);
}

static void newline_breaks_and_long_word_is_forced(void **st)
{
    struct fx *f = *st;
    struct text_layout l;
    int w = text_width(f->t, "abcd", PX);

    text_layout(f->t, "第一行\n第二行", PX, 0, 0, &l);
    assert_int_equal(l.n, 2);
    expect_line(&l, 1, "第二行");
    text_layout(f->t, "abcdefghij", PX, w, 0, &l);
    assert_true(l.n >= 2);
    for (int i = 0; i < l.n; i++)
        assert_true(l.lines[i].width <= w);
}

static void cut_text_ends_with_ellipsis_within_width(void **st)
{
    struct fx *f = *st;
    struct text_layout l;
    int w = text_width(f->t, "负责第一网格的日常", PX);

    text_layout(f->t, "负责第一网格的日常巡查和人口信息采集，收集居民诉求。", PX,
                w, 1, &l);
    assert_int_equal(l.n, 1);
    assert_true(l.cut);
    assert_true(l.lines[0].ellipsis);
    assert_true(l.lines[0].width <= w);
    assert_true(l.lines[0].len > 0);
    text_layout(f->t, "短", PX, w, 1, &l);
    assert_false(l.cut);
}

static void garbled_utf8_is_replaced_not_overrun(void **st)
{
    struct fx *f = *st;
    struct text_layout l;
    const char bad[] = "ab\xe5\x85" "\xff" "c\xe4";
    const char *p = bad, *end = bad + sizeof bad - 1;
    int n = 0;

    while (p < end) {
        text_utf8_next(&p, end);
        n++;
    }
    assert_true(p == end);
    assert_true(n >= 5);
    text_layout(f->t, bad, PX, 100, 0, &l);
    assert_true(l.n >= 1);
}

static void unchanged_strings_are_not_redrawn(void **st)
{
    struct fx *f = *st;
    struct text_stats a, b;
    SDL_Rect box = { 0, 0, 600, 400 };
    SDL_Color c = { 0, 0, 0, 255 };
    const char *s = "红旗社区党群服务站 值班表 星期一 上午 09:00-12:00";

    text_draw(f->t, s, PX, c, &box, TEXT_LEFT, 0, false);
    text_frame_end(f->t);
    text_stats(f->t, &a);
    for (int i = 0; i < 10; i++) {
        text_draw(f->t, s, PX, c, &box, TEXT_LEFT, 0, false);
        text_frame_end(f->t);
    }
    text_stats(f->t, &b);
    assert_int_equal(b.string_misses, a.string_misses);
    assert_int_equal(b.string_hits, a.string_hits + 10);
    assert_int_equal(b.glyphs, a.glyphs);
}

/* What the snapshot tours assert: the smallest text of a frame, and a
 * string cut short or taller than its box is reported; an excerpt may
 * be cut. */
static void frame_check_reports_small_and_cut_text(void **st)
{
    struct fx *f = *st;
    struct text_frame_check k;
    SDL_Color c = { 0, 0, 0, 255 };
    SDL_Rect wide = { 0, 0, 600, 100 }, narrow = { 0, 0, 80, 100 };
    SDL_Rect flat = { 0, 0, 600, 10 };

    text_record(f->t, true);
    text_draw(f->t, "签到成功", 30, c, &wide, TEXT_LEFT, 1, true);
    text_draw(f->t, "刚刚", 20, c, &wide, TEXT_LEFT, 1, true);
    text_frame_end(f->t);
    text_frame_check(f->t, &k);
    assert_int_equal(k.min_px, 20);
    assert_string_equal(k.min_text, "刚刚");
    assert_int_equal(k.bad, 0);
    text_draw(f->t, "请将党员卡二维码对准扫码口", 30, c, &narrow, TEXT_LEFT,
              1, true);
    text_frame_end(f->t);
    text_frame_check(f->t, &k);
    assert_int_equal(k.bad, 1);
    assert_non_null(strstr(k.bad_text, "cut"));
    text_excerpt(f->t, true);
    text_draw(f->t, "请将党员卡二维码对准扫码口", 30, c, &narrow, TEXT_LEFT,
              1, true);
    text_excerpt(f->t, false);
    text_draw(f->t, "值班", 30, c, &flat, TEXT_LEFT, 1, true);
    text_frame_end(f->t);
    text_frame_check(f->t, &k);
    assert_int_equal(k.bad, 1);
    assert_non_null(strstr(k.bad_text, "taller than its box"));
    text_record(f->t, false);
}

/* A zh_CN screen may show numbers, ids and allowed words, nothing else
 * in Latin letters. */
static void latin_words_found_beside_numbers_and_ids(void **st)
{
    char w[64];

    (void)st;
    assert_false(text_latin_word("签到成功 HQ0001 09:30 138****1001 2/3 "
                                 "A 1.2.0 sq-hongqi-01", "", w, sizeof w));
    assert_true(text_latin_word("张伟\nMonitors property 物业", "", w,
                                sizeof w));
    assert_string_equal(w, "Monitors");
    assert_false(text_latin_word("U盘升级 QR码 English", "U QR English", w,
                                 sizeof w));
    assert_true(text_latin_word("TLS 错误", "QR", w, sizeof w));
    assert_string_equal(w, "TLS");
}

static void thousands_of_hanzi_fit_the_atlas_without_thrash(void **st)
{
    struct fx *f = *st;
    struct text_stats a, b;
    char buf[4 * 600 + 1];
    size_t n = 0;

    /* 600 distinct common hanzi (U+4E00..): rasterised once each. */
    for (unsigned cp = 0x4e00; cp < 0x4e00 + 600; cp++) {
        buf[n++] = (char)(0xe0 | cp >> 12);
        buf[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
        buf[n++] = (char)(0x80 | (cp & 0x3f));
    }
    buf[n] = '\0';
    text_width(f->t, buf, PX);
    text_stats(f->t, &a);
    text_width(f->t, buf, PX);
    text_stats(f->t, &b);
    assert_int_equal(a.atlas_resets, b.atlas_resets);
    assert_int_equal(a.glyphs, b.glyphs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chinese_breaks_between_ideographs),
        cmocka_unit_test(latin_words_and_numbers_stay_whole),
        cmocka_unit_test(closing_punctuation_never_starts_a_line),
        cmocka_unit_test(newline_breaks_and_long_word_is_forced),
        cmocka_unit_test(cut_text_ends_with_ellipsis_within_width),
        cmocka_unit_test(garbled_utf8_is_replaced_not_overrun),
        cmocka_unit_test(unchanged_strings_are_not_redrawn),
        cmocka_unit_test(thousands_of_hanzi_fit_the_atlas_without_thrash),
        cmocka_unit_test(frame_check_reports_small_and_cut_text),
        cmocka_unit_test(latin_words_found_beside_numbers_and_ids),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
