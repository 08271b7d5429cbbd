/* tests/test_ui_desk.c - the duty desk's screens (来访登记, today's
 * visitors) drawn headless and compared with
 * tests/ref/<variant>_desk_<name>.png, as test_ui_screens.c does for the
 * others (zh_CN and en, 1024x600 and 800x480, large text), in a file of
 * their own like test_ui_ledger.c: the desk needs the hub's request types
 * and the roster's shifts. M1001 holds the scripted day's morning shift;
 * M1003 holds none. The flows are also checked by what they stored. */
#include "test_ui_ctx.h"
#include "test_ui_shot.h"
#include "test_ui_tour.h"

#include "firmware/desk.h"
#include "firmware/ticket.h"

static const char types_page[] =
    "{\"changes\":["
    "{\"type\":\"ledger_type\",\"op\":\"put\",\"key\":\"sanitation\","
    "\"data\":{\"name\":\"环境卫生\",\"name_en\":\"Sanitation\","
    "\"kinds\":[\"request\"],\"order\":1,\"presets\":[\"楼道堆放杂物\","
    "\"垃圾未及时清运\"]}},"
    "{\"type\":\"ledger_type\",\"op\":\"put\",\"key\":\"repair\","
    "\"data\":{\"name\":\"设施维修\",\"name_en\":\"Repairs\","
    "\"kinds\":[\"request\"],\"order\":2,\"presets\":[\"楼道灯不亮\","
    "\"单元门禁损坏\",\"水管漏水\",\"电梯故障\"]}},"
    "{\"type\":\"ledger_type\",\"op\":\"put\",\"key\":\"neighbour\","
    "\"data\":{\"name\":\"邻里纠纷\",\"name_en\":\"Neighbours\","
    "\"kinds\":[\"request\"],\"order\":3,\"presets\":[\"宠物扰邻\"]}},"
    "{\"type\":\"ledger_type\",\"op\":\"put\",\"key\":\"policy\","
    "\"data\":{\"name\":\"政策咨询\",\"name_en\":\"Policy question\","
    "\"kinds\":[\"request\"],\"order\":4,\"presets\":[\"医保报销怎么办\","
    "\"老年证怎么办理\"]}},"
    "{\"type\":\"ledger_type\",\"op\":\"put\",\"key\":\"other\","
    "\"data\":{\"name\":\"其他\",\"name_en\":\"Other\","
    "\"kinds\":[\"request\",\"wish\"],\"order\":9,"
    "\"presets\":[\"其他问题\"]}}"
    "],\"cursor\":\"d1\",\"more\":false,\"hub_time_ms\":0}";

static err_code fixed_random(void *buf, size_t n)
{
    uint32_t v = 4821;                 /* the same PIN in every shot */
    memset(buf, 0, n);
    memcpy(buf, &v, n < sizeof v ? n : sizeof v);
    return ERR_OK;
}

static const char *const tour[] = {
    "tap boards", "tap board.1", "screenshot duty_today",
    "tap desk", "screenshot card",
    "scan KSK1:M:M1003", "screenshot not_on_duty",
    "tap done", "tap desk", "scan KSK1:M:M1001",
    "screenshot not_checked_in",
    "tap done", "tap back", "tap back", "scan KSK1:M:M1001", "wait 6000",
    "tap boards", "tap board.1", "tap desk", "scan KSK1:M:M1001",
    "screenshot type",
    "tap type.1", "screenshot building",
    "tap bldg.0", "screenshot unit",
    "tap unit.1", "screenshot text",
    "tap note.0", "screenshot outcome",
    "tap out.1", "screenshot review",
    "tap submit", "screenshot passed_on",
    "tap again", "tap type.3", "tap bldg.0", "tap unit.0", "tap note.1",
    "tap out.2", "screenshot reason",
    "tap note.1", "screenshot review_cannot",
    "tap submit", "screenshot cannot",
    "tap again", "tap type.2", "tap bldg.0", "tap unit.1", "tap note.0",
    "tap out.0", "tap submit", "screenshot done",
    "tap done", "tap back", "tap back",
    "tap station", "tap station", "tap station", "tap station",
    "tap station", "tap key.2", "tap key.4", "tap key.6", "tap key.8",
    "tap key.ok", "tap desk", "screenshot log",
    NULL,
};


static void run_tour(const struct ui_variant *v)
{
    char prefix[64], name[128];
    struct ui_ctx c;
    snprintf(prefix, sizeof prefix, "%s%s_%dx%d_desk", v->lang,
             v->large ? "_large" : "", v->w, v->h);
    mkdir("build", 0755);
    mkdir(out_dir(), 0755);
    ui_ctx_open(&c, v);
    assert_int_equal(page_apply(c.store, types_page, sizeof types_page - 1,
                                "d1"), ERR_OK);
    ticket_set_random(fixed_random);
    str_copy(c.app->cfg.ticket_prefix, sizeof c.app->cfg.ticket_prefix,
             "HQ01");
    c.app->cfg.ticket_device = 1;
    str_copy(c.app->cfg.duty_phone, sizeof c.app->cfg.duty_phone,
             "010-6500 1234");
    ui_run(&c, "expect screen home", NULL);
    for (int i = 0; tour[i]; i++) {
        if (strncmp(tour[i], "screenshot ", 11) != 0) {
            ui_run(&c, tour[i], NULL);
            continue;
        }
        snprintf(name, sizeof name, "%s_%s", prefix, tour[i] + 11);
        app_draw(c.app, true, NULL);
        check_touch_targets(&c, name);
        check_type(&c, name);
        check_shot(&c, name);
    }
    assert_string_equal(c.app->screen->name, "desklog");
    /* What the screens stored: three visitors, one ticket passed on. */
    struct visitor_row rows[4];
    size_t n = 0;
    struct ticket t;
    int64_t day = clock_local_day(1795397400000LL, 480);
    assert_int_equal(store_visitors_day(c.store, day, rows, 4, &n), ERR_OK);
    assert_int_equal(n, 3);
    assert_string_equal(rows[0].member_no, "M1001");
    assert_int_equal(rows[0].outcome, DESK_PASSED_ON);
    assert_string_equal(rows[0].ticket, "HQ01-1-0001");
    assert_int_equal(store_ticket_get(c.store, "HQ01-1-0001", &t), ERR_OK);
    assert_string_equal(t.type, "repair");
    assert_string_equal(t.text, "楼道灯不亮");
    assert_int_equal(rows[1].outcome, DESK_CANNOT);
    assert_true(rows[1].reason[0] != '\0');
    assert_int_equal(rows[2].outcome, DESK_DONE);
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
