/* tests/test_ui_flows.c - the kiosk's flows walked by script, headless:
 * check-in -> result -> home, log service -> pending in My record,
 * contacts by building, idle rules, language switch, technician entry,
 * refusals. Each test starts from a fresh store and the scripted clock. */
#include "test_ui_ctx.h"

#include "board/board_sim.h"
#include "firmware/summary.h"

static const struct ui_variant zh = { "zh_CN", false, true, false, 1024,
                                      600 };

static void checkin_shows_result_then_returns_home(void **st)
{
    struct ui_ctx c;
    struct visit v;

    (void)st;
    ui_ctx_open(&c, &zh);
    ui_run(&c, "expect screen home\n"
               "scan KSK1:M:M1001\n"
               "expect screen result\n"
               "expect text 张伟\n"
               "expect text 签到成功\n"
               "wait 4900\n"
               "expect screen result\n"
               "wait 200\n"
               "expect screen home\n", NULL);
    assert_int_equal(store_visit_open_for(c.store, "M1001", &v), ERR_OK);
    /* 95 minutes later the same card checks out, with the duration. */
    ui_run(&c, "wait 5700000\n"
               "scan KSK1:M:M1001\n"
               "expect text 签退成功，本次服务 1小时35分钟\n"
               "tap done\n"
               "expect screen home\n", NULL);
    assert_int_equal(store_visit_open_for(c.store, "M1001", &v),
                     ERR_NOTFOUND);
    ui_ctx_close(&c);
}

static void keypad_number_checks_in(void **st)
{
    struct ui_ctx c;
    struct visit v;

    (void)st;
    ui_ctx_open(&c, &zh);
    ui_run(&c, "tap checkin\n"
               "expect screen identify\n"
               "tap key.1\ntap key.0\ntap key.0\ntap key.9\ntap key.del\n"
               "key 2\n"
               "expect text M1002\n"
               "tap key.ok\n"
               "expect text 王秀英\n"
               "expect text 签到成功\n", NULL);
    assert_int_equal(store_visit_open_for(c.store, "M1002", &v), ERR_OK);
    ui_ctx_close(&c);
}

static void numbers_refused_where_station_forbids(void **st)
{
    struct ui_variant v = zh;
    struct ui_ctx c;

    (void)st;
    v.allow_number = false;
    ui_ctx_open(&c, &v);
    ui_run(&c, "tap checkin\n"
               "expect text 请扫描党员卡\n", NULL);
    assert_false(ui_hit_find(c.app->ui, "key.1", NULL));
    ui_run(&c, "scan M1001\n"
               "expect screen result\n"
               "expect text 本站不支持输入编号\n", NULL);
    ui_ctx_close(&c);
}

static void bad_scans_explain_themselves(void **st)
{
    struct ui_ctx c;

    (void)st;
    ui_ctx_open(&c, &zh);
    ui_run(&c, "scan KSK1:M:M9999\n"
               "expect text 未找到该党员\n"
               "tap done\n"
               "scan KSK1:M:M2001\n"
               "expect text 已停用\n"
               "tap done\n"
               "scan %%%garbage%%%\n"
               "expect text 无法识别\n"
               "tap done\n"
               "scan KSK1:R:M1003\n"
               "expect text 报到成功\n", NULL);
    ui_ctx_close(&c);
}

static void count_stored(void *ctx)
{
    (*(int *)ctx)++;
}

static void stored_events_wake_the_sync_worker(void **st)
{
    struct ui_ctx c;
    int stored = 0;

    (void)st;
    ui_ctx_open(&c, &zh);
    c.app->on_stored = count_stored;
    c.app->on_stored_ctx = &stored;
    ui_run(&c, "scan KSK1:M:M1001\n"       /* in: stored */
               "tap done\n"
               "scan KSK1:M:M1001\n"       /* a double read: nothing */
               "tap done\n"
               "scan KSK1:M:M9999\n"       /* unknown: nothing */
               "tap done\n"
               "tap record\nscan KSK1:M:M1002\n"
               "tap logsvc\ntap cat.0\ntap dur.0\ntap note.0\n", NULL);
    assert_int_equal(stored, 2);
    ui_ctx_close(&c);
}

static void logged_service_is_pending_in_my_record(void **st)
{
    struct ui_ctx c;
    struct service_log logs[4];
    size_t n = 0;

    (void)st;
    ui_ctx_open(&c, &zh);
    ui_run(&c, "tap record\n"
               "scan KSK1:M:M1004\n"
               "expect screen record\n"
               "expect text 刘洋的记录\n"
               "expect text 岗位：财务监督岗\n"
               "tap logsvc\n"
               "tap cat.0\n"
               "tap day.1\n"
               "tap dur.3\n"
               "tap note.5\n"
               "expect text 已提交，等待社区确认\n"
               "tap done\n"
               "expect screen record\n"
               "expect text 治安巡逻  2小时\n"
               "expect text 待确认\n"
               "expect text 1条记录待确认\n", NULL);
    assert_int_equal(store_logs_for(c.store, "M1004", 0, INT64_MAX / 2, logs,
                                    4, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(logs[0].status, LOG_PENDING);
    assert_int_equal(logs[0].minutes, 120);
    assert_string_equal(logs[0].category, "patrol");
    assert_true(logs[0].backfilled);
    ui_ctx_close(&c);
}

static void contacts_by_building_and_unit(void **st)
{
    struct ui_ctx c;

    (void)st;
    ui_ctx_open(&c, &zh);
    ui_run(&c, "tap contacts\n"
               "expect text 1号楼\n"
               "tap bldg.0\n"
               "expect text 2单元\n"
               "tap unit.1\n"
               "expect text 1号楼 2单元\n"
               "expect text 侯志远  网格长\n"
               "expect text 叶卫东  楼栋长\n"
               "expect text 郑强  单元长\n"
               "expect notext 钱红\n"
               "expect notext 冯兰\n"
               "tap back\ntap back\n"
               "tap bldg.1\n"
               "expect text 冯兰  楼栋长\n"
               "expect notext 叶卫东\n", NULL);
    ui_ctx_close(&c);
}

static void my_record_closes_itself(void **st)
{
    struct ui_ctx c;

    (void)st;
    ui_ctx_open(&c, &zh);
    ui_run(&c, "tap record\n"
               "scan KSK1:M:M1001\n"
               "wait 29000\n"
               "expect screen record\n"
               "tap 500 500\n"           /* a touch anywhere restarts it */
               "wait 29000\n"
               "expect screen record\n"
               "wait 1500\n"
               "expect screen home\n"
               "expect notext 张伟\n", NULL);
    ui_ctx_close(&c);
}

static void idle_home_attract_and_dim(void **st)
{
    struct ui_variant v = zh;
    struct ui_ctx c;

    (void)st;
    v.sim_board = true;
    ui_ctx_open(&c, &v);
    ui_run(&c, "tap boards\n"
               "wait 59000\n"
               "expect screen boards\n"
               "wait 2000\n"
               "expect screen home\n"
               "wait 59000\n"
               "expect screen attract\n"
               "expect text 今日值班\n"
               "wait 12000\n"
               "expect text 通知公告\n"
               "wait 12000\n"
               "expect text 月度之星\n"
               "wait 300000\n"
               "expect dimmed yes\n", NULL);
    assert_int_equal(board_sim_backlight(c.board), APP_DIM_PERCENT);
    /* The first touch only wakes; the second one acts. */
    ui_run(&c, "tap attract\n"
               "expect dimmed no\n"
               "expect screen attract\n"
               "tap attract\n"
               "expect screen home\n", NULL);
    assert_int_equal(board_sim_backlight(c.board), 100);
    /* A scan through the board's scanner wakes and checks in at once. */
    ui_run(&c, "wait 400000\nexpect dimmed yes\n", NULL);
    assert_int_equal(board_sim_inject_scan(c.board, ui_card(&c, "KSK1:M:M1005")),
                     ERR_OK);
    ui_run(&c, "wait 10\n"
               "expect dimmed no\n"
               "expect text 陈静\n", NULL);
    ui_ctx_close(&c);
}

/* A member who forgot to check out is closed by rule overnight, with no
 * scan: the kiosk's loop applies the rule by itself. */
static void forgotten_visit_closed_by_rule_overnight(void **st)
{
    struct ui_ctx c;
    struct visit v;

    (void)st;
    ui_ctx_open(&c, &zh);
    ui_run(&c, "scan KSK1:M:M1001\nexpect text 签到成功\n", NULL);
    assert_int_equal(store_visit_open_for(c.store, "M1001", &v), ERR_OK);
    ui_run(&c, "wait 86400000\n", NULL);        /* a day later */
    assert_int_equal(store_visit_open_for(c.store, "M1001", &v),
                     ERR_NOTFOUND);
    assert_int_equal(store_visit_last(c.store, "M1001", &v), ERR_OK);
    assert_true(v.auto_closed);
    ui_ctx_close(&c);
}

static void language_switch_from_home(void **st)
{
    struct ui_ctx c;

    (void)st;
    ui_ctx_open(&c, &zh);
    ui_run(&c, "expect text 签到 / 签退\n"
               "tap lang\n"
               "expect text Check in / out\n"
               "expect text Monday\n"
               "tap boards\n"
               "expect text Duty roster\n"
               "tap back\n"
               "tap lang\n"
               "expect text 公示栏\n"
               "tap large\n"
               "expect text 标准字号\n", NULL);
    assert_true(ui_large(c.app->ui));
    ui_ctx_close(&c);
}

static void long_notice_reads_in_pages(void **st)
{
    struct ui_variant v = zh;
    struct ui_ctx c;

    (void)st;
    v.large = true;
    ui_ctx_open(&c, &v);
    ui_run(&c, "tap boards\ntap board.2\ntap notice.0\n"
               "expect text 各位居民\n"
               "expect notext 红旗社区党委\n"
               "tap page.next\n"
               "expect text 红旗社区党委\n"
               "tap page.prev\n"
               "expect text 各位居民\n"
               "tap back\n"
               "expect screen notices\n", NULL);
    ui_ctx_close(&c);
}

static void technician_gesture_and_pin(void **st)
{
    struct ui_ctx c;

    (void)st;
    ui_ctx_open(&c, &zh);
    ui_run(&c, "tap station\ntap station\ntap station\ntap station\n"
               "expect screen home\n"
               "tap station\n"
               "expect screen tech\n"
               "tap key.1\ntap key.1\ntap key.ok\n"
               "expect text 密码错误\n"
               "tap key.2\ntap key.4\ntap key.6\ntap key.8\ntap key.ok\n"
               "expect text 上传队列\n"
               "expect text kiosk-dev\n"
               "tap test\n"
               "tap 300 300\ntap 310 320\n"
               "expect text 已触摸 2 次\n"
               "scan M1001\n"
               "expect screen tech\n"
               "expect text M1001\n"
               "tap back\n"
               "expect text 上传队列\n"
               "tap back\n"
               "expect screen home\n"
               "scan KSK1:T:tech01\n"
               "expect screen tech\n"
               "expect text 请输入技术员密码\n", NULL);
    /* The scanner test checked nobody in. */
    struct visit v;
    assert_int_equal(store_visit_open_for(c.store, "M1001", &v),
                     ERR_NOTFOUND);
    ui_ctx_close(&c);
}

static void wrong_pins_lock_the_keypad(void **st)
{
    struct ui_ctx c;

    (void)st;
    ui_ctx_open(&c, &zh);
    ui_run(&c, "scan KSK1:T:tech01\n"
               "tap key.1\ntap key.ok\ntap key.1\ntap key.ok\n"
               "tap key.1\ntap key.ok\ntap key.1\ntap key.ok\n"
               "tap key.1\ntap key.ok\n"
               "expect text 密码错误次数过多\n"
               "tap key.2\ntap key.4\ntap key.6\ntap key.8\ntap key.ok\n"
               "expect notext 上传队列\n"
               "wait 301000\n"
               "scan KSK1:T:tech01\n"
               "tap key.2\ntap key.4\ntap key.6\ntap key.8\ntap key.ok\n"
               "expect text 上传队列\n", NULL);
    ui_ctx_close(&c);
}

/* The lockout is the technician screen's own state, kept when the
 * screen is left: going home and back does not lift it. */
static void pin_lockout_outlives_leaving_the_screen(void **st)
{
    struct ui_ctx c;

    (void)st;
    ui_ctx_open(&c, &zh);
    ui_run(&c, "scan KSK1:T:tech01\n"
               "tap key.1\ntap key.ok\ntap key.1\ntap key.ok\n"
               "tap key.1\ntap key.ok\ntap key.1\ntap key.ok\n"
               "tap key.1\ntap key.ok\n"
               "tap back\n"
               "expect screen home\n"
               "scan KSK1:T:tech01\n"
               "expect text 密码错误次数过多\n"
               "tap key.2\ntap key.4\ntap key.6\ntap key.8\ntap key.ok\n"
               "expect notext 上传队列\n", NULL);
    ui_ctx_close(&c);
}

/* Back from a post returns to its category's list; the boards menu
 * always opens the posts at their categories. */
/* A category of one post (each of the fixture's) opens the post at once;
 * back from it is the categories; after going home the board opens at
 * its first level. */
static void posts_category_of_one_opens_its_post(void **st)
{
    struct ui_ctx c;

    (void)st;
    ui_ctx_open(&c, &zh);
    ui_run(&c, "tap boards\ntap board.0\ntap cat.1\n"
               "expect screen post\n"
               "expect text 服务监督岗\n"
               "tap back\n"
               "expect screen posts\n"
               "expect notext 服务监督岗\n"
               "tap cat.1\n"
               "expect screen post\n"
               "wait 60500\n"
               "expect screen home\n"
               "tap boards\ntap board.0\n"
               "expect screen posts\n"
               "expect notext 服务监督岗\n", NULL);
    ui_ctx_close(&c);
}

/* 呼叫工作人员 from home: one call_staff event (no member) for the hub,
 * the buzzer, a confirmation that counts down to home. Pressed again
 * within a minute (from help) it says staff are coming and stores
 * nothing; a minute later it calls again. */
static void call_staff_signals_and_counts_down(void **st)
{
    const struct ui_variant v = { "zh_CN", false, true, true, 1024, 600 };
    struct event ev[8];
    enum board_signal sig[8];
    struct ui_ctx c;
    size_t n = 0;
    int stored = 0;

    (void)st;
    ui_ctx_open(&c, &v);
    c.app->on_stored = count_stored;
    c.app->on_stored_ctx = &stored;
    ui_run(&c, "expect screen home\nexpect text 呼叫工作人员\n"
               "expect text 请将党员卡二维码\n"
               "tap call\nexpect screen help\nexpect text 已通知工作人员\n"
               "expect text 30秒后返回首页\n", NULL);
    assert_int_equal(stored, 1);
    assert_int_equal(board_sim_signals(c.board, sig, 8), 1);
    assert_int_equal(sig[0], BOARD_SIGNAL_OK);
    assert_int_equal(store_events_after(c.store, 0, ev, 8, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ev[0].kind, EVENT_CALL_STAFF);
    assert_string_equal(ev[0].member_no, "");
    assert_string_equal(ev[0].data, "{\"screen\":\"home\"}");
    ui_run(&c, "wait 10000\nexpect text 20秒后返回首页\n"
               "wait 19000\nexpect screen help\nexpect text 1秒后返回首页\n"
               "wait 1000\nexpect screen home\n"
               "tap help\nexpect screen help\nexpect text 扫码口\n"
               "tap call\nexpect text 刚才已经呼叫过\n", NULL);
    assert_int_equal(stored, 1);
    assert_int_equal(store_events_after(c.store, 0, ev, 8, &n), ERR_OK);
    assert_int_equal(n, 1);
    ui_run(&c, "tap home\nwait 31000\ntap help\ntap call\n"
               "expect text 已通知工作人员\n", NULL);
    assert_int_equal(stored, 2);
    assert_int_equal(store_events_after(c.store, 0, ev, 8, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_string_equal(ev[1].data, "{\"screen\":\"help\"}");
    ui_ctx_close(&c);
}

/* A board left alone says it is closing, second by second, for its last
 * ten seconds; a touch keeps it open. */
static void idle_screens_count_down_before_closing(void **st)
{
    struct ui_ctx c;
    char script[512];
    unsigned idle;

    (void)st;
    ui_ctx_open(&c, &zh);
    idle = (unsigned)c.app->cfg.idle_home_seconds * 1000;
    snprintf(script, sizeof script,
             "tap boards\nwait %u\nexpect notext 秒后返回首页\n"
             "wait 1000\nexpect text 10秒后返回首页\n"
             "wait 6000\nexpect text 4秒后返回首页\n"
             "tap 5 300\nexpect screen boards\nexpect notext 秒后返回首页\n"
             "wait %u\nexpect text 1秒后返回首页\n"
             "wait 1000\nexpect screen home\n", idle - 11000, idle - 1000);
    ui_run(&c, script, NULL);
    ui_ctx_close(&c);
}

static void slow_taps_do_not_open_technician_mode(void **st)
{
    struct ui_ctx c;

    (void)st;
    ui_ctx_open(&c, &zh);
    ui_run(&c, "tap station\nwait 1000\ntap station\nwait 1000\n"
               "tap station\nwait 1000\ntap station\nwait 1500\n"
               "tap station\n"
               "expect screen home\n", NULL);
    ui_ctx_close(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(checkin_shows_result_then_returns_home),
        cmocka_unit_test(keypad_number_checks_in),
        cmocka_unit_test(numbers_refused_where_station_forbids),
        cmocka_unit_test(bad_scans_explain_themselves),
        cmocka_unit_test(stored_events_wake_the_sync_worker),
        cmocka_unit_test(logged_service_is_pending_in_my_record),
        cmocka_unit_test(contacts_by_building_and_unit),
        cmocka_unit_test(my_record_closes_itself),
        cmocka_unit_test(idle_home_attract_and_dim),
        cmocka_unit_test(forgotten_visit_closed_by_rule_overnight),
        cmocka_unit_test(language_switch_from_home),
        cmocka_unit_test(long_notice_reads_in_pages),
        cmocka_unit_test(technician_gesture_and_pin),
        cmocka_unit_test(wrong_pins_lock_the_keypad),
        cmocka_unit_test(pin_lockout_outlives_leaving_the_screen),
        cmocka_unit_test(posts_category_of_one_opens_its_post),
        cmocka_unit_test(slow_taps_do_not_open_technician_mode),
        cmocka_unit_test(call_staff_signals_and_counts_down),
        cmocka_unit_test(idle_screens_count_down_before_closing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
