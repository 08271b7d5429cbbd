/* tests/test_receipt.c - receipts as ESC/POS (firmware/receipt.c):
 * the bytes a thermal printer gets, read back by the test renderer
 * (tests/support/escpos_render.c): GB18030 text that decodes to what was
 * given, lines wrapped to the paper (a CJK character is two columns, a
 * word or number never split, closing punctuation never first), no
 * command smuggled in through a field, the QR code holding the ticket
 * (decoded from the rendered picture by zbarimg, Debian's zbar-tools),
 * refusals, and the pictures of a 58 mm and an 80 mm receipt compared
 * with tests/ref/receipt_*.png (UPDATE_REFS=1 rewrites them). */
#define _GNU_SOURCE         /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SDL_image.h>

#include "firmware/receipt.h"
#include "tests/support/escpos_render.h"

#define FONT        "assets/fonts/NotoSansSC-kiosk.otf"
#define TOLERANCE   24
#define MAX_BAD_PPM 500

static const struct receipt_line lines[] = {
    { "类型", "设施维修" },
    { "楼栋", "3号楼 2单元" },
    { "查询密码", "见屏幕，请勿外传" },
    { "说明", "楼道灯坏了，晚上看不见路，老人上下楼很不方便，请尽快修理。"
              "Light on floor 3, unit 2 (B3-2)." },
};

static const struct receipt demo = {
    .station = "红旗社区党群服务站",
    .title = "民情受理回执",
    .ticket = "HQ01-0042",
    .when = "2026-11-23 09:30",
    .lines = lines,
    .n_lines = 4,
    .qr = "HQ01-0042",
    .next = "社区将在2个工作日内受理并交办。凭票号可在服务站一体机查询进度，"
            "输入查询密码可看答复并评价。",
    .footer = "谢谢您的反映！",
};

static void render(const struct receipt *r, int dots,
                   struct escpos_page *page)
{
    uint8_t *b;
    size_t n;
    char msg[128];

    assert_int_equal(receipt_escpos(r, dots, &b, &n), ERR_OK);
    if (escpos_render(b, n, dots, FONT, page, msg, sizeof msg) != ERR_OK)
        fail_msg("render: %s", msg);
    free(b);
}

static void starts_with_reset_and_chinese_mode_ends_with_cut(void **st)
{
    uint8_t *b;
    size_t n;

    (void)st;
    assert_int_equal(receipt_escpos(&demo, RECEIPT_DOTS_58MM, &b, &n),
                     ERR_OK);
    assert_true(n > 200);
    assert_memory_equal(b, "\x1b@\x1c&", 4);
    assert_memory_equal(b + n - 4, "\x1dV\x42\x00", 4);
    /* 修理 in GB18030 is D0 DE C0 ED. */
    assert_non_null(memmem(b, n, "\xd0\xde\xc0\xed", 4));
    free(b);
}

static void text_reads_back_and_fits_the_paper(void **st)
{
    static const int widths[2] = { RECEIPT_DOTS_58MM, RECEIPT_DOTS_80MM };

    (void)st;
    for (int i = 0; i < 2; i++) {
        struct escpos_page p;
        render(&demo, widths[i], &p);
        assert_non_null(strstr(p.text, "红旗社区党群服务站\n"));
        assert_non_null(strstr(p.text, "HQ01-0042\n"));
        assert_non_null(strstr(p.text, "设施维修"));
        assert_true(p.widest <= widths[i]);
        assert_int_equal(p.cuts, 1);
        /* Nothing lost in wrapping: the paragraph, spaces aside. */
        assert_non_null(strstr(p.text, "社区将在2个工作日内"));
        assert_null(strstr(p.text, "\n，"));       /* never first */
        assert_null(strstr(p.text, "\n。"));
        assert_null(strstr(p.text, "B3-\n"));      /* a word not split */
        SDL_FreeSurface(p.img);
    }
}

/* 58 mm: 32 columns. Sixteen CJK characters fill a line exactly. */
static void cjk_takes_two_columns(void **st)
{
    struct receipt r = { .next = "一二三四五六七八九十一二三四五六七" };
    struct escpos_page p;

    (void)st;
    assert_int_equal(receipt_columns("修理ab"), 6);
    render(&r, RECEIPT_DOTS_58MM, &p);
    assert_non_null(strstr(p.text, "一二三四五六七八九十一二三四五六\n七\n"));
    assert_int_equal(p.widest, RECEIPT_DOTS_58MM);
    SDL_FreeSurface(p.img);
}

/* 58 mm, 32 columns: fifteen characters and a full stop would end the
 * line at column 32; sixteen and a full stop would put the stop first on
 * the next line, so the sixteenth goes down with it. */
static void closing_punctuation_never_starts_a_line(void **st)
{
    struct receipt fits = { .next = "一二三四五六七八九十一二三四五。好" };
    struct receipt over = { .next = "一二三四五六七八九十一二三四五六。好" };
    struct escpos_page p;

    (void)st;
    render(&fits, RECEIPT_DOTS_58MM, &p);
    assert_non_null(strstr(p.text, "一二三四五六七八九十一二三四五。\n好\n"));
    SDL_FreeSurface(p.img);
    render(&over, RECEIPT_DOTS_58MM, &p);
    assert_non_null(strstr(p.text, "一二三四五六七八九十一二三四五\n六。好\n"));
    assert_true(p.widest <= RECEIPT_DOTS_58MM);
    SDL_FreeSurface(p.img);
}

static void control_characters_print_as_spaces(void **st)
{
    struct receipt_line l = { "说明", "灯\x1b" "d\x10\x04坏了\x1dV" };
    struct receipt r = { .title = "A\x1b@B", .lines = &l, .n_lines = 1 };
    struct escpos_page p;
    uint8_t *b;
    size_t n;

    (void)st;
    assert_int_equal(receipt_escpos(&r, RECEIPT_DOTS_58MM, &b, &n), ERR_OK);
    assert_null(memmem(b, n, "\x10\x04", 2));
    assert_null(memmem(b, n, "A\x1b@", 3));
    free(b);
    render(&r, RECEIPT_DOTS_58MM, &p);      /* the renderer refuses any
                                               command inside a line */
    assert_non_null(strstr(p.text, "A @B"));
    SDL_FreeSurface(p.img);
}

static void refusals(void **st)
{
    struct receipt_line many[RECEIPT_MAX_LINES + 1] = { { "a", "b" } };
    struct receipt r = { .title = "ok" };
    char big[RECEIPT_TEXT_MAX + 2], qr[RECEIPT_QR_MAX + 2];
    uint8_t *b = (uint8_t *)"x";
    size_t n = 1;

    (void)st;
    assert_int_equal(receipt_escpos(&r, 500, &b, &n), ERR_INVAL);
    assert_null(b);
    assert_int_equal(n, 0);
    r.title = "bad \xff utf-8";
    assert_int_equal(receipt_escpos(&r, RECEIPT_DOTS_58MM, &b, &n),
                     ERR_INVAL);
    r.title = "ok";
    r.lines = many;
    r.n_lines = RECEIPT_MAX_LINES + 1;
    assert_int_equal(receipt_escpos(&r, RECEIPT_DOTS_58MM, &b, &n),
                     ERR_INVAL);
    r.n_lines = 0;
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    r.next = big;
    assert_int_equal(receipt_escpos(&r, RECEIPT_DOTS_58MM, &b, &n),
                     ERR_INVAL);
    r.next = NULL;
    memset(qr, '1', sizeof qr - 1);
    qr[sizeof qr - 1] = '\0';
    r.qr = qr;
    assert_int_equal(receipt_escpos(&r, RECEIPT_DOTS_58MM, &b, &n),
                     ERR_INVAL);
    assert_int_equal(receipt_dots("58"), RECEIPT_DOTS_58MM);
    assert_int_equal(receipt_dots("80"), RECEIPT_DOTS_80MM);
    assert_int_equal(receipt_dots("76"), 0);
}

/* The picture's QR code, read by zbarimg, is the ticket. */
static void qr_code_reads_back_as_the_ticket(void **st)
{
    struct escpos_page p;
    char path[] = "build/test-receipt-qr.png", out[128] = "";
    FILE *f;

    (void)st;
    render(&demo, RECEIPT_DOTS_58MM, &p);
    assert_string_equal(p.qr, "HQ01-0042");
    assert_int_equal(p.qr_level, '1');       /* M */
    assert_int_equal(IMG_SavePNG(p.img, path), 0);
    SDL_FreeSurface(p.img);
    f = popen("zbarimg --raw -q build/test-receipt-qr.png 2>/dev/null", "r");
    assert_non_null(f);
    if (fgets(out, sizeof out, f) == NULL)
        out[0] = '\0';
    pclose(f);
    out[strcspn(out, "\n")] = '\0';
    assert_string_equal(out, "HQ01-0042");
    unlink(path);
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

static long differing(SDL_Surface *a, SDL_Surface *b)
{
    long bad = 0;

    for (int y = 0; y < a->h; y++) {
        Uint32 *pa = (Uint32 *)((Uint8 *)a->pixels + y * a->pitch);
        Uint32 *pb = (Uint32 *)((Uint8 *)b->pixels + y * b->pitch);
        for (int x = 0; x < a->w; x++)
            for (int sh = 0; sh < 24; sh += 8)
                if (abs((int)((pa[x] >> sh) & 255) -
                        (int)((pb[x] >> sh) & 255)) > TOLERANCE) {
                    bad++;
                    break;
                }
    }
    return bad;
}

static void golden(const char *name, int dots)
{
    char ref[128], err[160];
    struct escpos_page p;
    SDL_Surface *want;
    const char *up = getenv("UPDATE_REFS");

    render(&demo, dots, &p);
    snprintf(ref, sizeof ref, "tests/ref/%s.png", name);
    if (up && strcmp(up, "1") == 0) {
        assert_int_equal(IMG_SavePNG(p.img, ref), 0);
        SDL_FreeSurface(p.img);
        return;
    }
    want = load(ref);
    snprintf(err, sizeof err, "build/%s.err.png", name);
    if (want == NULL || want->w != p.img->w || want->h != p.img->h ||
        differing(p.img, want) > (long)MAX_BAD_PPM * p.img->w * p.img->h /
                                     1000000L) {
        IMG_SavePNG(p.img, err);
        SDL_FreeSurface(p.img);
        SDL_FreeSurface(want);
        fail_msg("%s differs from its reference; drawn: %s", ref, err);
    }
    SDL_FreeSurface(want);
    SDL_FreeSurface(p.img);
}

static void receipt_58mm_looks_as_before(void **st)
{
    (void)st;
    golden("receipt_58mm", RECEIPT_DOTS_58MM);
}

static void receipt_80mm_looks_as_before(void **st)
{
    (void)st;
    golden("receipt_80mm", RECEIPT_DOTS_80MM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(starts_with_reset_and_chinese_mode_ends_with_cut),
        cmocka_unit_test(text_reads_back_and_fits_the_paper),
        cmocka_unit_test(cjk_takes_two_columns),
        cmocka_unit_test(closing_punctuation_never_starts_a_line),
        cmocka_unit_test(control_characters_print_as_spaces),
        cmocka_unit_test(refusals),
        cmocka_unit_test(qr_code_reads_back_as_the_ticket),
        cmocka_unit_test(receipt_58mm_looks_as_before),
        cmocka_unit_test(receipt_80mm_looks_as_before),
    };

    mkdir("build", 0755);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
