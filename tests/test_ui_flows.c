/* tests/test_ui_flows.c - the kiosk's flows walked by script, headless:
 * check-in -> result -> home, log service -> pending in My record,
 * contacts by building, idle rules, language switch, technician entry,
 * refusals. Each test starts from a fresh store and the scripted clock. */
#include "test_ui_ctx.h"

#include "base/pinhash.h"
#include "board/board_sim.h"
#include "firmware/summary.h"
#include "ui/voice.h"

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
               "expect text 签到时间：09:30\n"
               "wait 4900\n"
               "expect screen result\n"
               "wait 200\n"
               "expect screen home\n", NULL);
    assert_int_equal(store_visit_open_for(c.store, "M1001", &v), ERR_OK);
    /* 95 minutes later the same card checks out, with the duration. */
    ui_run(&c, "wait 5700000\n"
               "scan KSK1:M:M1001\n"
               "expect text 签退成功\n"
               "expect text 签到 09:30，签退 11:05\n"
               "expect text 在站1小时35分钟\n"
               "expect notext 服务 1小时\n"
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
               "tap home\n"
               "scan KSK1:M:M2001\n"
               "expect text 已停用\n"
               "tap home\n"
               "scan %%%garbage%%%\n"
               "expect text 无法识别\n"
               "tap retry\n"
               "expect screen identify\n"
               "tap back\n"
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
               "tap home\n"
               "tap record\nscan KSK1:M:M1002\n"
               "tap logsvc\ntap cat.0\ntap day.0\ntap dur.0\ntap note.0\n"
               "tap onpost.0\ntap served.0\ntap submit\n", NULL);
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
               "expect text 选择服务日期\n"
               "expect text 11月16日\n"        /* the whole week back */
               "tap day.1\n"
               "expect text 12小时\n"          /* the 12-hour rule */
               "tap dur.3\n"
               "expect text 夜间巡逻\n"        /* notes for a patrol */
               "expect notext 走访慰问老人\n"
               "tap note.2\n"
               "expect text 在哪个岗位上服务？（可不填）\n"
               "tap onpost.0\n"                  /* not on a post */
               "expect text 为谁服务（可不填）\n"   /* optional */
               "tap served.0\n"
               "expect text 请核对服务记录\n"
               "expect text 类别：治安巡逻\n"
               "expect text 日期：11月22日\n"
               "expect text 时长：2小时\n"
               "expect text 备注：夜间巡逻\n"
               "tap submit\n"
               "expect text 已提交，等待社区确认\n"
               "expect text 类别：治安巡逻\n"
               "expect text 备注：夜间巡逻\n"
               "expect notext note.\n"
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

/* The post step: a member who holds posts picks one (its name, its
 * category and the member's role on it offered), the review repeats it
 * and the upload names it, so the hub counts the log by that post's
 * points rule; 不在岗位上 uploads none; back from whom-it-served returns
 * to the post step; a member with no post never sees it. */
static void a_log_on_a_post_names_it_in_its_upload(void **st)
{
    struct ui_ctx c;
    struct event ev[4];
    size_t n = 0;

    (void)st;
    ui_ctx_open(&c, &zh);
    ui_run(&c, "tap record\nscan KSK1:M:M1004\nexpect screen record\n"
               "tap logsvc\ntap cat.0\ntap day.0\ntap dur.1\ntap note.0\n"
               "expect text 在哪个岗位上服务？（可不填）\n"
               "expect text 不在岗位上\n"
               "expect text 财务监督岗\n"
               "expect text 财务类 副岗长\n"
               "tap onpost.1\n"
               "expect text 为谁服务（可不填）\n"
               "tap back\n"
               "expect text 在哪个岗位上服务？（可不填）\n"
               "tap onpost.1\n"
               "tap served.0\n"
               "expect text 请核对服务记录\n"
               "expect text 服务岗位：财务监督岗\n"
               "tap submit\n"
               "expect text 已提交，等待社区确认\n"
               "tap done\n"
               "tap logsvc\ntap cat.0\ntap day.0\ntap dur.1\ntap note.0\n"
               "tap onpost.0\n"
               "tap served.0\n"
               "expect notext 服务岗位\n"
               "tap submit\ntap done\ntap back\n"
               "tap record\nscan KSK1:M:M1012\nexpect screen record\n"
               "tap logsvc\ntap cat.0\ntap day.0\ntap dur.1\ntap note.0\n"
               "expect text 为谁服务（可不填）\n"
               "tap back\n"
               "expect text 选择备注\n"
               "tap note.0\ntap served.0\n"
               "expect notext 服务岗位\n"
               "tap submit\nexpect text 已提交，等待社区确认\n", NULL);
    assert_int_equal(store_events_after(c.store, 0, ev, 4, &n), ERR_OK);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(ev[i].kind, EVENT_SERVICE_LOG);
    assert_string_equal(ev[0].member_no, "M1004");
    assert_non_null(strstr(ev[0].data, "\"post\":\"P01\""));
    assert_string_equal(ev[1].member_no, "M1004");
    assert_null(strstr(ev[1].data, "\"post\""));
    assert_string_equal(ev[2].member_no, "M1012");
    assert_null(strstr(ev[2].data, "\"post\""));
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

/* Faces are decoded when a board first shows them, once each: none at
 * start-up, none again on later frames or when the board comes back. */
static void photos_decoded_once_when_first_shown(void **st)
{
    struct ui_ctx c;

    (void)st;
    ui_ctx_open(&c, &zh);
    ui_run(&c, "expect screen home\n", NULL);
    assert_int_equal(ui_photos_decoded(c.app->ui), 0);
    ui_run(&c, "tap boards\ntap board.3\nexpect text 张伟\n", NULL);
    assert_int_equal(ui_photos_decoded(c.app->ui), 2);   /* 张伟, 李娜 */
    ui_run(&c, "tap tab.1\ntap tab.2\ntap tab.0\ntap back\ntap board.0\n"
               "tap cat.2\nexpect text 李娜\ntap back\ntap back\n"
               "tap board.3\nexpect text 张伟\n", NULL);
    assert_int_equal(ui_photos_decoded(c.app->ui), 2);
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

/* The member's PIN, as the hub sends it in the roster feed. */
static void give_pin(struct ui_ctx *c, const char *member_no, const char *pin)
{
    struct change_page page = { 0 };
    struct change *ch;
    struct member m;

    assert_int_equal(store_member_get(c->store, member_no, &m), ERR_OK);
    assert_int_equal(change_page_add(&page, CHANGE_MEMBER, CHANGE_PUT,
                                     member_no, &ch), ERR_OK);
    str_copy(ch->u.member.name, sizeof ch->u.member.name, m.name);
    str_copy(ch->u.member.phone_masked, sizeof ch->u.member.phone_masked,
             m.phone_masked);
    ch->u.member.active = true;
    assert_int_equal(pinhash_make(pin, 1000, ch->u.member.pin_hash,
                                  sizeof ch->u.member.pin_hash), ERR_OK);
    assert_int_equal(store_hub_apply(c->store, &page, NULL), ERR_OK);
    change_page_free(&page);
}

static void typed_number_alone_never_opens_my_record(void **st)
{
    struct ui_ctx c;

    (void)st;
    ui_ctx_open(&c, &zh);
    give_pin(&c, "M1002", "2468");
    /* A number with no PIN set: only a card opens that record. */
    ui_run(&c, "tap record\n"
               "tap key.1\ntap key.0\ntap key.0\ntap key.1\ntap key.ok\n"
               "expect screen identify\n"
               "expect text 编号M1001未设置个人密码\n"
               "expect notext 张伟\n"
               "tap retry\n"
               /* A number with a PIN: asked for it, not let in. */
               "tap key.1\ntap key.0\ntap key.0\ntap key.2\ntap key.ok\n"
               "expect screen identify\n"
               "expect text 请输入个人密码\n"
               "expect notext 王秀英\n"
               "tap key.ok\n"
               "expect screen identify\n"
               /* A bare number scanned is a typed number too. */
               "tap back\ntap record\n"
               "scan M1002\n"
               "expect screen identify\n"
               "expect text 请输入个人密码\n"
               "tap back\n"
               /* On a record a card opened, a bare number opens nothing. */
               "tap record\nscan KSK1:M:M1001\n"
               "expect screen record\n"
               "scan M1002\n"
               "expect screen identify\n"
               "expect notext 王秀英\n", NULL);
    ui_ctx_close(&c);
}

static void card_or_number_and_pin_open_my_record(void **st)
{
    struct ui_ctx c;

    (void)st;
    ui_ctx_open(&c, &zh);
    give_pin(&c, "M1002", "2468");
    ui_run(&c, "tap record\n"
               "scan KSK1:M:M1002\n"
               "expect screen record\n"
               "expect text 王秀英的记录\n"
               "tap back\n"
               "tap record\n"
               "tap key.1\ntap key.0\ntap key.0\ntap key.2\ntap key.ok\n"
               "tap key.2\ntap key.4\ntap key.6\ntap key.8\ntap key.ok\n"
               "expect screen record\n"
               "expect text 王秀英的记录\n", NULL);
    ui_ctx_close(&c);
}

static void wrong_member_pins_count_down_and_lock(void **st)
{
    struct ui_ctx c;

    (void)st;
    ui_ctx_open(&c, &zh);
    give_pin(&c, "M1002", "2468");
    c.app->cfg.pin_tries = 3;
    c.app->cfg.pin_lock_minutes = 10;
    ui_run(&c, "tap record\n"
               "tap key.1\ntap key.0\ntap key.0\ntap key.2\ntap key.ok\n"
               "tap key.1\ntap key.1\ntap key.1\ntap key.1\ntap key.ok\n"
               "expect screen identify\n"
               "expect text 还可尝试2次\n"
               "tap key.2\ntap key.2\ntap key.2\ntap key.2\ntap key.ok\n"
               "expect text 还可尝试1次\n"
               "tap key.3\ntap key.3\ntap key.3\ntap key.3\ntap key.ok\n"
               "expect text 请10分钟后再试\n"
               /* Locked: even the right PIN does not open it, and
                * leaving and coming back does not reset the count. */
               "expect notext 确定\n"
               "tap home\ntap record\n"
               "tap key.1\ntap key.0\ntap key.0\ntap key.2\ntap key.ok\n"
               "expect text 请10分钟后再试\n"
               /* a card still opens it */
               "scan KSK1:M:M1002\n"
               "expect screen record\n"
               "tap back\n", NULL);
    /* After the lock, the right PIN opens it. */
    c.app->cfg.dim_seconds = 3600;
    ui_run(&c, "wait 600000\n"
               "expect screen attract\n"
               "tap attract\n"
               "tap record\n"
               "tap key.1\ntap key.0\ntap key.0\ntap key.2\ntap key.ok\n"
               "tap key.2\ntap key.4\ntap key.6\ntap key.8\ntap key.ok\n"
               "expect screen record\n", NULL);
    ui_ctx_close(&c);
}

static void phone_digits_where_the_station_uses_them(void **st)
{
    struct ui_ctx c;

    (void)st;
    ui_ctx_open(&c, &zh);
    str_copy(c.app->cfg.member_check, sizeof c.app->cfg.member_check,
             "phone4");
    ui_run(&c, "tap record\n"
               "tap key.1\ntap key.0\ntap key.0\ntap key.3\ntap key.ok\n"
               "expect text 请输入手机号后四位\n"
               "tap key.1\ntap key.0\ntap key.0\ntap key.4\ntap key.ok\n"
               "expect text 手机号后四位不符\n"
               "tap key.1\ntap key.0\ntap key.0\ntap key.3\ntap key.ok\n"
               "expect screen record\n"
               "expect text 李娜的记录\n", NULL);
    ui_ctx_close(&c);
}

static void checkout_leads_straight_to_logging_the_service(void **st)
{
    struct ui_ctx c;

    (void)st;
    ui_ctx_open(&c, &zh);
    ui_run(&c, "scan KSK1:M:M1005\n"
               "tap done\n"
               "wait 30000\n"               /* a double read */
               "scan KSK1:M:M1005\n"
               "expect text 您已签到\n"
               "expect text 您已于09:30签到\n"
               "tap done\n"
               "wait 2490000\n"
               "scan KSK1:M:M1005\n"
               "expect text 签到 09:30，签退 10:12\n"
               "expect text 在站42分钟\n"
               "tap logsvc\n"
               "expect screen logsvc\n"
               "expect text 选择服务类别\n", NULL);
    /* A typed number checks out, but its service needs the PIN first. */
    c.app->cfg.idle_home_seconds = 3600;
    c.app->cfg.dim_seconds = 7200;
    ui_run(&c, "tap back\ntap back\n"
               "tap checkin\n"
               "tap key.1\ntap key.0\ntap key.0\ntap key.6\ntap key.ok\n"
               "tap done\n"
               "wait 1800000\n"
               "tap checkin\n"
               "tap key.1\ntap key.0\ntap key.0\ntap key.6\ntap key.ok\n"
               "expect text 在站30分钟\n"
               "tap logsvc\n"
               "expect screen identify\n"
               "expect text 编号M1006未设置个人密码\n", NULL);
    ui_ctx_close(&c);
}

/* With kiosk.voice on, a result is spoken without the screen waiting. */
static void results_are_spoken(void **st)
{
    struct ui_ctx c;
    unsigned played = 0, failed = 0;
    char said[VOICE_TEXT];

    (void)st;
    setenv("SDL_AUDIODRIVER", "dummy", 1);
    ui_ctx_open(&c, &zh);
    assert_int_equal(voice_create(50, &c.app->voice), ERR_OK);
    ui_run(&c, "scan KSK1:M:M1001\nexpect text 签到成功\n", NULL);
    voice_last(c.app->voice, said, sizeof said);
    assert_string_equal(said, "签到成功，张伟");
    for (int i = 0; i < 4000 && played + failed == 0; i++) {
        SDL_Delay(5);                   /* up to 20 s: a condition, polled */
        voice_counts(c.app->voice, &played, &failed);
    }
    assert_int_equal(played, 1);
    ui_run(&c, "tap done\nscan FORGED:M:M1003\nexpect text 此卡无效\n", NULL);
    voice_last(c.app->voice, said, sizeof said);
    assert_string_equal(said, "此卡无效，请联系工作人员");
    ui_ctx_close(&c);
}

static void unknown_typed_number_is_echoed_zero_padded(void **st)
{
    struct ui_ctx c;

    (void)st;
    ui_ctx_open(&c, &zh);
    c.app->cfg.member_digits = 4;
    ui_run(&c, "tap checkin\n"
               "tap key.9\ntap key.ok\n"
               "expect screen identify\n"
               "expect text 未找到编号 M0009\n"
               "tap retry\n"
               "expect text 请扫描党员卡\n"
               "tap key.2\ntap key.ok\n"
               "expect text 未找到编号 M0002\n"
               "tap home\n"
               "expect screen home\n", NULL);
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
        cmocka_unit_test(a_log_on_a_post_names_it_in_its_upload),
        cmocka_unit_test(contacts_by_building_and_unit),
        cmocka_unit_test(photos_decoded_once_when_first_shown),
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
        cmocka_unit_test(typed_number_alone_never_opens_my_record),
        cmocka_unit_test(card_or_number_and_pin_open_my_record),
        cmocka_unit_test(wrong_member_pins_count_down_and_lock),
        cmocka_unit_test(phone_digits_where_the_station_uses_them),
        cmocka_unit_test(unknown_typed_number_is_echoed_zero_padded),
        cmocka_unit_test(checkout_leads_straight_to_logging_the_service),
        cmocka_unit_test(results_are_spoken),
        cmocka_unit_test(call_staff_signals_and_counts_down),
        cmocka_unit_test(idle_screens_count_down_before_closing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
