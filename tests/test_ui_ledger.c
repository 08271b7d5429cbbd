/* tests/test_ui_ledger.c - the residents' screens drawn headless and
 * compared with tests/ref/<variant>_ledger_<name>.png, as
 * test_ui_screens.c does for the others (zh_CN and en, 1024x600 and
 * 800x480, large text): filing a request step by step (the description
 * written with pinyin), the ticket and PIN with the advice to note them
 * when nothing prints, the status, the PIN (wrong, locked), the answer
 * and the sign-off; the wish wall (newest first), a claim by card, a member's claims
 * and My record with the claimed wish. The flows are also checked by
 * what they stored: the filed request, the sign-off, the claim. */
#include "test_ui_ctx.h"
#include "test_ui_shot.h"
#include "test_ui_tour.h"

#include "base/file.h"
#include "base/ledger.h"
#include "firmware/receipt.h"
#include "firmware/store_ledger.h"
#include "firmware/ticket.h"
#include "board/board_sim.h"
#include "tests/support/escpos_render.h"

#define T0 1795397400000LL             /* 2026-11-23 09:30 +08 */

/* The hub's types and four tickets around the scripted clock: one
 * answered request (PIN 1234), one other request, two open wishes, a
 * wish M1001 claimed here, one whose claim another kiosk won and one he
 * fulfilled that was signed off (3 points). */
static void fixture(struct ui_ctx *c)
{
    char h1[LEDGER_PIN_HASH], h2[LEDGER_PIN_HASH], *page = malloc(16384);
    ledger_pin_hash("HQ01-2-0007", "1234", h1);
    ledger_pin_hash("HQ01-2-0008", "5678", h2);
    snprintf(page, 16384,
        "{\"changes\":["
        "{\"type\":\"ledger_type\",\"op\":\"put\",\"key\":\"sanitation\","
        "\"data\":{\"name\":\"环境卫生\",\"name_en\":\"Sanitation\","
        "\"kinds\":[\"request\"],\"order\":1,\"presets\":[\"楼道堆放杂物\","
        "\"垃圾未及时清运\"]}},"
        "{\"type\":\"ledger_type\",\"op\":\"put\",\"key\":\"repair\","
        "\"data\":{\"name\":\"设施维修\",\"name_en\":\"Repairs\","
        "\"kinds\":[\"request\"],\"order\":2,\"presets\":[\"楼道灯不亮\","
        "\"单元门禁损坏\",\"水管漏水\",\"电梯故障\"]}},"
        "{\"type\":\"ledger_type\",\"op\":\"put\",\"key\":\"noise\","
        "\"data\":{\"name\":\"噪音扰民\",\"name_en\":\"Noise\","
        "\"kinds\":[\"request\"],\"order\":3,\"presets\":[\"夜间装修噪音\"]}},"
        "{\"type\":\"ledger_type\",\"op\":\"put\",\"key\":\"neighbour\","
        "\"data\":{\"name\":\"邻里纠纷\",\"name_en\":\"Neighbours\","
        "\"kinds\":[\"request\"],\"order\":4,\"presets\":[\"宠物扰邻\"]}},"
        "{\"type\":\"ledger_type\",\"op\":\"put\",\"key\":\"safety\","
        "\"data\":{\"name\":\"安全隐患\",\"name_en\":\"Safety hazard\","
        "\"kinds\":[\"request\"],\"order\":5,\"presets\":[\"消防通道被堵\"]}},"
        "{\"type\":\"ledger_type\",\"op\":\"put\",\"key\":\"policy\","
        "\"data\":{\"name\":\"政策咨询\",\"name_en\":\"Policy question\","
        "\"kinds\":[\"request\"],\"order\":6,\"presets\":[\"医保报销怎么办\"]}},"
        "{\"type\":\"ledger_type\",\"op\":\"put\",\"key\":\"help\","
        "\"data\":{\"name\":\"求助\",\"name_en\":\"Help needed\","
        "\"kinds\":[\"request\",\"wish\"],\"order\":7,"
        "\"presets\":[\"轮椅需要修理\"]}},"
        "{\"type\":\"ledger_type\",\"op\":\"put\",\"key\":\"other\","
        "\"data\":{\"name\":\"其他\",\"name_en\":\"Other\","
        "\"kinds\":[\"request\",\"wish\"],\"order\":9,"
        "\"presets\":[\"其他问题\"]}},"
        "{\"type\":\"ledger_type\",\"op\":\"put\",\"key\":\"daily\","
        "\"data\":{\"name\":\"生活帮扶\",\"name_en\":\"Daily help\","
        "\"kinds\":[\"wish\"],\"order\":10,\"presets\":[\"帮忙代买药品\"]}},"
        "{\"type\":\"ticket\",\"op\":\"put\",\"key\":\"HQ01-2-0007\","
        "\"data\":{\"kind\":\"request\",\"type\":\"repair\",\"building\":"
        "\"1\",\"unit\":\"1\",\"text\":\"楼道灯不亮\",\"state\":"
        "\"answered\",\"filed_ms\":%lld,\"accepted_ms\":%lld,"
        "\"assigned_ms\":%lld,\"answered_ms\":%lld,\"answer\":"
        "\"已更换楼道灯泡，请您查看。\",\"pin_hash\":\"%s\"}},"
        "{\"type\":\"ticket\",\"op\":\"put\",\"key\":\"HQ01-2-0008\","
        "\"data\":{\"kind\":\"request\",\"type\":\"noise\",\"building\":"
        "\"2\",\"unit\":\"\",\"text\":\"夜间装修噪音\",\"state\":"
        "\"accepted\",\"filed_ms\":%lld,\"accepted_ms\":%lld,"
        "\"pin_hash\":\"%s\"}},"
        "{\"type\":\"ticket\",\"op\":\"put\",\"key\":\"HQ01-2-0009\","
        "\"data\":{\"kind\":\"wish\",\"type\":\"daily\",\"building\":"
        "\"2\",\"unit\":\"2\",\"text\":\"帮忙代买降压药\",\"state\":"
        "\"accepted\",\"filed_ms\":%lld,\"accepted_ms\":%lld,"
        "\"pin_hash\":\"%s\"}},"
        "{\"type\":\"ticket\",\"op\":\"put\",\"key\":\"HQ01-2-0010\","
        "\"data\":{\"kind\":\"wish\",\"type\":\"help\",\"building\":"
        "\"1\",\"unit\":\"\",\"text\":\"轮椅刹车坏了，想请人帮忙修理\","
        "\"state\":\"accepted\",\"filed_ms\":%lld,\"accepted_ms\":%lld,"
        "\"pin_hash\":\"%s\"}},"
        "{\"type\":\"ticket\",\"op\":\"put\",\"key\":\"HQ01-2-0011\","
        "\"data\":{\"kind\":\"wish\",\"type\":\"daily\",\"building\":"
        "\"1\",\"unit\":\"\",\"text\":\"陪独居老人聊聊天\","
        "\"state\":\"accepted\",\"filed_ms\":%lld,\"accepted_ms\":%lld,"
        "\"pin_hash\":\"%s\"}},"
        "{\"type\":\"ticket\",\"op\":\"put\",\"key\":\"HQ01-2-0012\","
        "\"data\":{\"kind\":\"wish\",\"type\":\"study\",\"building\":"
        "\"2\",\"unit\":\"\",\"text\":\"教老人用智能手机\","
        "\"state\":\"accepted\",\"filed_ms\":%lld,\"pin_hash\":\"%s\"}},"
        "{\"type\":\"ticket\",\"op\":\"put\",\"key\":\"HQ01-2-0013\","
        "\"data\":{\"kind\":\"wish\",\"type\":\"daily\",\"building\":"
        "\"1\",\"unit\":\"\",\"text\":\"帮忙修好晾衣架\","
        "\"state\":\"accepted\",\"filed_ms\":%lld,\"pin_hash\":\"%s\"}}],"
        "\"cursor\":\"l1\",\"more\":false,\"hub_time_ms\":%lld}",
        T0 - 5 * 86400000LL, T0 - 4 * 86400000LL, T0 - 4 * 86400000LL + 3600000,
        T0 - 86400000LL, h1,
        T0 - 2 * 86400000LL, T0 - 86400000LL, h2,
        T0 - 3 * 86400000LL, T0 - 2 * 86400000LL, h2,
        T0 - 2 * 86400000LL, T0 - 86400000LL, h2,
        T0 - 6 * 86400000LL, T0 - 5 * 86400000LL, h2,
        T0 - 7 * 86400000LL, h2, T0 - 8 * 86400000LL, h2, T0);
    assert_int_equal(page_apply(c->store, page, strlen(page), "l1"), ERR_OK);
    free(page);
    /* M1001 claimed one here earlier. */
    struct stamp at = { .wall_ms = T0 - 3600000, .clock_trusted = true };
    const char *why;
    assert_int_equal(wish_claim(c->store, "HQ01-2-0011", "M1001", &at, &why),
                     ERR_OK);
    /* ... and one that another kiosk's claim won: the hub's change names
     * another member, which My record shows. */
    assert_int_equal(wish_claim(c->store, "HQ01-2-0012", "M1001", &at, &why),
                     ERR_OK);
    /* ... and one fulfilled and signed off: the type's points are his. */
    assert_int_equal(wish_claim(c->store, "HQ01-2-0013", "M1001", &at, &why),
                     ERR_OK);
    page = malloc(4096);
    snprintf(page, 4096, "{\"changes\":[{\"type\":\"ticket\",\"op\":"
        "\"put\",\"key\":\"HQ01-2-0012\",\"data\":{\"kind\":\"wish\","
        "\"type\":\"study\",\"building\":\"2\",\"unit\":\"\",\"text\":"
        "\"教老人用智能手机\",\"state\":\"assigned\",\"filed_ms\":%lld,"
        "\"claimer\":\"M1005\",\"pin_hash\":\"%s\"}},"
        "{\"type\":\"ticket\",\"op\":\"put\",\"key\":\"HQ01-2-0013\","
        "\"data\":{\"kind\":\"wish\",\"type\":\"daily\",\"building\":"
        "\"1\",\"unit\":\"\",\"text\":\"帮忙修好晾衣架\",\"state\":"
        "\"closed\",\"filed_ms\":%lld,\"closed_ms\":%lld,\"claimer\":"
        "\"M1001\",\"points\":3,\"pin_hash\":\"%s\"}}],\"cursor\":\"l2\","
        "\"more\":false,\"hub_time_ms\":%lld}", T0 - 7 * 86400000LL, h2,
        T0 - 8 * 86400000LL, T0 - 1800000LL, h2, T0);
    assert_int_equal(page_apply(c->store, page, strlen(page), "l2"), ERR_OK);
    free(page);
}

static err_code fixed_random(void *buf, size_t n)
{
    /* 4821 % 10000: the same PIN in every screenshot. */
    uint32_t v = 4821;
    memset(buf, 0, n);
    memcpy(buf, &v, n < sizeof v ? n : sizeof v);
    return ERR_OK;
}

/* The description written with pinyin (xiuli, then 修理). */
static const char *const head[] = {
    "tap request", "screenshot req_type",
    "tap type.1", "screenshot req_building",
    "tap bldg.0", "screenshot req_unit",
    "tap unit.1", "screenshot req_text",
    "tap write", "type xiuli", "tap cand.0", "tap te.ok", NULL,
};

static const char *const tour[] = {
    "expect screen request", "screenshot req_phone",
    "tap key.1", "tap key.3", "tap key.9", "tap key.1", "tap key.2",
    "tap key.3", "tap key.4", "tap key.5", "tap key.6", "tap key.7",
    "tap key.8", "screenshot req_phone_typed",
    "tap key.ok", "screenshot req_review",
    "tap submit", "screenshot req_done",
    "tap done", "tap request", "tap status", "screenshot status_number",
    "tap key.9", "tap key.ok", "screenshot status_not_found",
    "tap key.del", "tap key.2", "tap key.0", "tap key.0", "tap key.0",
    "tap key.7", "tap key.ok", "screenshot status",
    "tap pin", "screenshot pin",
    "tap key.9", "tap key.9", "tap key.9", "tap key.9",
    "screenshot pin_wrong",
    "tap key.1", "tap key.2", "tap key.3", "tap key.4",
    "screenshot answer",
    "tap no", "screenshot reason", "tap back", "expect screen ticket",
    "tap yes", "screenshot signoff_done",
    "tap done", "tap request", "tap status",
    "tap key.2", "tap key.0", "tap key.0", "tap key.0", "tap key.8",
    "tap key.ok", "tap pin",
    "tap key.1", "tap key.1", "tap key.1", "tap key.1",
    "tap key.1", "tap key.1", "tap key.1", "tap key.1",
    "tap key.1", "tap key.1", "tap key.1", "tap key.1",
    "tap key.1", "tap key.1", "tap key.1", "tap key.1",
    "tap key.1", "tap key.1", "tap key.1", "tap key.1",
    "screenshot pin_locked",
    "tap back", "tap back", "tap back", "tap wish", "screenshot wall",
    "tap wish.0", "screenshot wish_detail",
    "scan KSK1:M:M1002", "screenshot wish_claimed",
    "tap done", "scan KSK1:M:M1001", "screenshot wish_mine",
    "tap mine.0", "screenshot wish_marked",
    "tap done", "tap new", "screenshot wish_type",
    "tap back", "tap back", "tap record", "scan KSK1:M:M1001",
    "screenshot record_wishes", "tap page.next",
    "screenshot record_wishes_more",
    NULL,
};


static void run_lines(struct ui_ctx *c, const char *prefix,
                      const char *const *lines)
{
    char name[128];
    for (int i = 0; lines[i]; i++) {
        if (strncmp(lines[i], "screenshot ", 11) != 0) {
            ui_run(c, lines[i], NULL);
            continue;
        }
        snprintf(name, sizeof name, "%s_%s", prefix, lines[i] + 11);
        app_draw(c->app, true, NULL);
        check_touch_targets(c, name);
        check_type(c, name);
        check_shot(c, name);
    }
}

static void run_tour(const struct ui_variant *v)
{
    char prefix[64];
    struct ui_ctx c;
    snprintf(prefix, sizeof prefix, "%s%s_%dx%d_ledger", v->lang,
             v->large ? "_large" : "", v->w, v->h);
    mkdir("build", 0755);
    mkdir(out_dir(), 0755);
    ui_ctx_open(&c, v);
    fixture(&c);
    ticket_set_random(fixed_random);
    str_copy(c.app->cfg.ticket_prefix, sizeof c.app->cfg.ticket_prefix,
             "HQ01");
    c.app->cfg.ticket_device = 1;
    ui_run(&c, "expect screen home", NULL);
    run_lines(&c, prefix, head);
    run_lines(&c, prefix, tour);
    /* My record with logs, a post, a shift and three claimed wishes: the
     * second page is the last, in large text too. */
    SDL_Rect next;
    assert_string_equal(c.app->screen->name, "record");
    assert_true(ui_hit_find(c.app->ui, "page.prev", &next));
    assert_false(ui_hit_find(c.app->ui, "page.next", &next));
    /* What the screens stored, not only what they drew. */
    struct ticket t;
    assert_int_equal(store_ticket_get(c.store, "HQ01-1-0001", &t), ERR_OK);
    assert_string_equal(t.text, "修理");
    assert_string_equal(t.building, "1");
    assert_int_equal(store_ticket_get(c.store, "HQ01-2-0007", &t), ERR_OK);
    assert_int_equal(t.state, LEDGER_CLOSED);
    assert_int_equal(store_ticket_get(c.store, "HQ01-2-0010", &t), ERR_OK);
    assert_string_equal(t.claimer, "M1002");
    assert_int_equal(store_ticket_get(c.store, "HQ01-2-0011", &t), ERR_OK);
    assert_int_equal(t.state, LEDGER_ANSWERED);
    /* The phone went into the filing event only, never onto a screen. */
    struct event evs[64];
    size_t n = 0;
    assert_int_equal(store_events_after(c.store, 0, evs, 64, &n), ERR_OK);
    bool phone = false;
    for (size_t i = 0; i < n; i++)
        phone |= evs[i].kind == EVENT_LEDGER_FILE &&
                 strstr(evs[i].data, "\"phone\":\"13912345678\"") != NULL;
    assert_true(phone);
    ticket_set_random(NULL);
    ui_ctx_close(&c);
}

TOUR(zh_1024x600, "zh_CN", false, 1024, 600)
TOUR(en_1024x600, "en", false, 1024, 600)
TOUR(zh_800x480, "zh_CN", false, 800, 480)
TOUR(en_800x480, "en", false, 800, 480)
TOUR(zh_large_1024x600, "zh_CN", true, 1024, 600)
TOUR(zh_large_800x480, "zh_CN", true, 800, 480)
TOUR(en_large_800x480, "en", true, 800, 480)

/* The receipt of a request filed on a kiosk with a printer: the bytes
 * the sim board's printer received, rendered as the printer would and
 * compared with tests/ref/receipt_ledger_58mm.png; the QR code is the
 * ticket. With the paper out the screen asks to note the number. */
static void receipt_printed_or_number_noted(void **st)
{
    const struct ui_variant v = { "zh_CN", false, true, false, 1024, 600 };
    struct ui_ctx c;
    struct config bc;
    struct board *b = NULL;
    char printer[128], *bytes = NULL, msg[128];
    size_t len = 0;
    struct escpos_page page;
    (void)st;
    ui_ctx_open(&c, &v);
    fixture(&c);
    ticket_set_random(fixed_random);
    str_copy(c.app->cfg.ticket_prefix, sizeof c.app->cfg.ticket_prefix,
             "HQ01");
    c.app->cfg.ticket_device = 1;
    snprintf(printer, sizeof printer, "%s/printer.bin", c.dir);
    bc = c.cfg;
    ui_set(&bc, "kiosk", "board", "sim");
    ui_set(&bc, "board", "printer", printer);
    assert_int_equal(board_open(&bc, &b), ERR_OK);
    c.app->board = b;
    ui_run(&c, "expect screen home\ntap request\ntap type.1\ntap bldg.0\n"
               "tap unit.1\ntap note.0\ntap skip\ntap submit", NULL);
    app_draw(c.app, true, NULL);
    check_shot(&c, "zh_CN_1024x600_ledger_req_done_printed");
    assert_int_equal(file_read_capped(printer, 1 << 20, &bytes, &len),
                     ERR_OK);
    if (escpos_render((const uint8_t *)bytes, len, RECEIPT_DOTS_58MM,
                      "assets/fonts/NotoSansSC-kiosk.otf", &page, msg,
                      sizeof msg) != ERR_OK)
        fail_msg("receipt: %s", msg);
    free(bytes);
    assert_string_equal(page.qr, "HQ01-1-0001");
    assert_non_null(strstr(page.text, "HQ01-1-0001"));
    assert_non_null(strstr(page.text, "4821"));
    assert_non_null(strstr(page.text, "设施维修"));
    assert_null(strstr(page.text, "138"));             /* no phone, ever */
    char ref[] = "tests/ref/receipt_ledger_58mm.png", err[256];
    if (getenv("UPDATE_REFS") && strcmp(getenv("UPDATE_REFS"), "1") == 0) {
        assert_int_equal(IMG_SavePNG(page.img, ref), 0);
    } else {
        SDL_Surface *want = load(ref);
        SDL_Surface *diff = SDL_CreateRGBSurfaceWithFormat(0, page.img->w,
            page.img->h, 32, SDL_PIXELFORMAT_ARGB8888);
        bool same = want && want->w == page.img->w &&
                    want->h == page.img->h &&
                    compare(page.img, want, diff) <=
                    (long)MAX_BAD_PPM * want->w * want->h / 1000000L;
        snprintf(err, sizeof err, "%s/receipt_ledger_58mm.err.png",
                 out_dir());
        if (!same)
            IMG_SavePNG(page.img, err);
        SDL_FreeSurface(want);
        SDL_FreeSurface(diff);
        if (!same)
            fail_msg("%s differs; drawn: %s", ref, err);
    }
    SDL_FreeSurface(page.img);
    /* Out of paper: nothing printed, the number and PIN to note. */
    board_sim_paper_out(b, true);
    ui_run(&c, "tap done\ntap request\ntap type.1\ntap bldg.0\n"
               "tap unit.1\ntap note.0\ntap skip\ntap submit\n"
               "expect text 未能打印回执，请记下编号和密码。", NULL);
    struct ticket t;
    assert_int_equal(store_ticket_get(c.store, "HQ01-1-0002", &t), ERR_OK);
    c.app->board = NULL;
    board_close(b);
    ticket_set_random(NULL);
    ui_ctx_close(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(zh_1024x600),
        cmocka_unit_test(en_1024x600),
        cmocka_unit_test(zh_800x480),
        cmocka_unit_test(en_800x480),
        cmocka_unit_test(zh_large_1024x600),
        cmocka_unit_test(zh_large_800x480),
        cmocka_unit_test(en_large_800x480),
        cmocka_unit_test(receipt_printed_or_number_noted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
