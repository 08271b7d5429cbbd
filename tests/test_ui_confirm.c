/* tests/test_ui_confirm.c - 服务确认 on the kiosk's screens, drawn headless
 * and compared with tests/ref/<variant>_confirm_<name>.png as
 * test_ui_screens.c does (zh_CN and en, 1024x600 and 800x480, large
 * text): the resident opens their ticket with its PIN and is asked about
 * the two services members logged for it (属实 with a rating, 不属实 with
 * a reason), then sees the ticket's answer as before; My record shows
 * the member's year: each log's day (今天, 昨天, 3天前), state and how it
 * was decided (电话回访, the resident here, a rejection's reason). The
 * answers are also checked as stored: two events for the hub. */
#include "test_ui_ctx.h"
#include "test_ui_shot.h"
#include "test_ui_tour.h"

#include "base/ledger.h"
#include "firmware/service.h"
#include "firmware/store_confirm.h"
#include "firmware/store_ledger.h"
#include "firmware/ticket.h"

#define T0 1795397400000LL             /* 2026-11-23 09:30 +08 */
#define DAY 86400000LL

/* M1001's logs this year with the hub's verdicts, and a request of this
 * station (PIN 1234) that two members' logs name, awaiting its
 * resident. */
static void fixture(struct ui_ctx *c)
{
    char h[LEDGER_PIN_HASH], *page = malloc(16384);
    struct service_log l[5];
    enum service_refusal why;
    static const struct { const char *cat; int min, ago; } logs[5] = {
        { "elderly_care", 60, 0 }, { "patrol", 90, 1 },
        { "mediation", 120, 3 }, { "elderly_care", 30, 12 },
        { "environment", 60, 20 },
    };
    for (int i = 0; i < 5; i++) {
        struct stamp at = { .wall_ms = T0 - 60000 * (5 - i),
                            .clock_trusted = true };
        struct service_request rq = {
            .member_no = "M1001", .category = logs[i].cat,
            .minutes = logs[i].min, .days_ago = logs[i].ago,
            .served_ticket = i == 0 ? "HQ01-2-0007" : NULL,
        };
        c->cfg.service_backfill_days = 31;
        assert_int_equal(service_log(c->store, &c->cfg, &rq, &at, &why,
                                     &l[i]), ERR_OK);
    }
    ledger_pin_hash("HQ01-2-0007", "1234", h);
    snprintf(page, 16384,
        "{\"changes\":["
        "{\"type\":\"ledger_type\",\"op\":\"put\",\"key\":\"repair\","
        "\"data\":{\"name\":\"设施维修\",\"name_en\":\"Repairs\","
        "\"kinds\":[\"request\"],\"order\":2,\"presets\":[\"楼道灯不亮\"]}},"
        "{\"type\":\"ticket\",\"op\":\"put\",\"key\":\"HQ01-2-0007\","
        "\"data\":{\"kind\":\"request\",\"type\":\"repair\",\"building\":"
        "\"1\",\"unit\":\"1\",\"text\":\"楼道灯不亮\",\"state\":"
        "\"answered\",\"filed_ms\":%lld,\"accepted_ms\":%lld,"
        "\"assigned_ms\":%lld,\"answered_ms\":%lld,\"answer\":"
        "\"已更换楼道灯泡，请您查看。\",\"pin_hash\":\"%s\"}},"
        "{\"type\":\"ledger_type\",\"op\":\"put\",\"key\":\"daily\","
        "\"data\":{\"name\":\"生活帮扶\",\"name_en\":\"Daily help\","
        "\"kinds\":[\"wish\"],\"order\":10,\"presets\":[\"帮忙代买药品\"]}},"
        "{\"type\":\"ticket\",\"op\":\"put\",\"key\":\"HQ01-2-0011\","
        "\"data\":{\"kind\":\"wish\",\"type\":\"daily\",\"building\":"
        "\"1\",\"unit\":\"\",\"text\":\"陪独居老人聊聊天\","
        "\"state\":\"accepted\",\"filed_ms\":%lld,\"accepted_ms\":%lld,"
        "\"pin_hash\":\"%s\"}},"
        "{\"type\":\"service_awaiting\",\"op\":\"put\","
        "\"key\":\"kiosk-3/e3/41\",\"data\":{\"ticket\":\"HQ01-2-0007\","
        "\"device\":\"kiosk-3\",\"epoch\":\"e3\",\"seq\":41,"
        "\"member_no\":\"M1002\",\"name\":\"王丽华\","
        "\"category\":\"elderly_care\",\"minutes\":60,"
        "\"day\":\"2026-11-22\"}},"
        "{\"type\":\"service_awaiting\",\"op\":\"put\","
        "\"key\":\"kiosk-3/e3/42\",\"data\":{\"ticket\":\"HQ01-2-0007\","
        "\"device\":\"kiosk-3\",\"epoch\":\"e3\",\"seq\":42,"
        "\"member_no\":\"M1003\",\"name\":\"郑丽华\","
        "\"category\":\"patrol\",\"minutes\":90,"
        "\"day\":\"2026-11-21\"}},"
        "{\"type\":\"log_status\",\"op\":\"put\",\"key\":\"%llu\",\"data\":"
        "{\"seq\":%llu,\"status\":\"confirmed\",\"points\":3,"
        "\"method\":\"phone\",\"rating\":\"satisfied\",\"decided_ms\":%lld}},"
        "{\"type\":\"log_status\",\"op\":\"put\",\"key\":\"%llu\",\"data\":"
        "{\"seq\":%llu,\"status\":\"rejected\",\"points\":0,"
        "\"method\":\"kiosk_pin\",\"reason\":\"不是为我提供的服务\","
        "\"decided_ms\":%lld}},"
        "{\"type\":\"log_status\",\"op\":\"put\",\"key\":\"%llu\",\"data\":"
        "{\"seq\":%llu,\"status\":\"confirmed\",\"points\":1,"
        "\"method\":\"kiosk_pin\",\"rating\":\"basic\",\"decided_ms\":%lld}},"
        "{\"type\":\"log_status\",\"op\":\"put\",\"key\":\"%llu\",\"data\":"
        "{\"seq\":%llu,\"status\":\"confirmed\",\"points\":2}}],"
        "\"cursor\":\"f1\",\"more\":false,\"hub_time_ms\":%lld}",
        T0 - 5 * DAY, T0 - 4 * DAY, T0 - 4 * DAY + 3600000, T0 - DAY, h,
        T0 - 6 * DAY, T0 - 5 * DAY, h,
        (unsigned long long)l[1].seq, (unsigned long long)l[1].seq, T0,
        (unsigned long long)l[2].seq, (unsigned long long)l[2].seq, T0,
        (unsigned long long)l[3].seq, (unsigned long long)l[3].seq, T0,
        (unsigned long long)l[4].seq, (unsigned long long)l[4].seq, T0);
    assert_int_equal(page_apply(c->store, page, strlen(page), "f1"), ERR_OK);
    free(page);
    /* M1001 claimed a wish here: his log can name it. */
    struct stamp at = { .wall_ms = T0 - 3600000, .clock_trusted = true };
    const char *bad;
    assert_int_equal(wish_claim(c->store, "HQ01-2-0011", "M1001", &at, &bad),
                     ERR_OK);
}

static const char *const tour[] = {
    "tap request", "tap status",
    "tap key.2", "tap key.0", "tap key.0", "tap key.0", "tap key.7",
    "tap key.ok", "tap pin",
    "tap key.1", "tap key.2", "tap key.3", "tap key.4",
    "expect screen served", "screenshot ask",
    "tap yes", "screenshot rate",
    "tap rate.0", "screenshot thanks",
    "tap done", "expect screen served", "screenshot ask_second",
    "tap no", "screenshot reason",
    "tap reason.2", "screenshot thanks_not_true",
    "tap done", "expect screen ticket", "screenshot back_to_answer",
    "tap back", "tap back", "tap back", "expect screen home",
    "tap record", "scan KSK1:M:M1001", "screenshot record",
    "tap logsvc", "tap cat.3", "tap day.0", "tap dur.1", "tap note.0",
    "tap onpost.0", "screenshot svc_served_wish", "tap served.2",
    "screenshot svc_review_wish", "tap submit", "tap done",
    "expect screen record", "screenshot record_wish_logged",
    NULL,
};


static void run_tour(const struct ui_variant *v)
{
    char prefix[64], name[128];
    struct ui_ctx c;
    snprintf(prefix, sizeof prefix, "%s%s_%dx%d_confirm", v->lang,
             v->large ? "_large" : "", v->w, v->h);
    mkdir("build", 0755);
    mkdir(out_dir(), 0755);
    ui_ctx_open(&c, v);
    fixture(&c);
    str_copy(c.app->cfg.ticket_prefix, sizeof c.app->cfg.ticket_prefix,
             "HQ01");
    c.app->cfg.ticket_device = 1;
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
    /* What the screens stored: both answers, for the hub, and neither
     * asked again. */
    struct event evs[64];
    size_t n = 0, yes = 0, no = 0;
    assert_int_equal(store_events_after(c.store, 0, evs, 64, &n), ERR_OK);
    for (size_t i = 0; i < n; i++) {
        if (evs[i].kind != EVENT_SERVICE_CONFIRM)
            continue;
        yes += strstr(evs[i].data, "\"confirmed\":true") &&
               strstr(evs[i].data, "\"rating\":\"satisfied\"") &&
               strstr(evs[i].data, "\"log_seq\":41");
        no += strstr(evs[i].data, "\"confirmed\":false") &&
              strstr(evs[i].data, "\"log_seq\":42") != NULL;
    }
    assert_int_equal(yes, 1);
    assert_int_equal(no, 1);
    struct awaiting w[4];
    assert_int_equal(store_awaiting_for(c.store, "HQ01-2-0007", w, 4, &n),
                     ERR_OK);
    assert_int_equal(n, 0);
    /* The log named the wish, for its resident to confirm. */
    struct service_log l[8];
    assert_int_equal(store_logs_for(c.store, "M1001", 0, INT64_MAX / 2, l, 8,
                                    &n), ERR_OK);
    bool named = false;
    for (size_t i = 0; i < n; i++)
        named |= strcmp(l[i].served_ticket, "HQ01-2-0011") == 0;
    assert_true(named);
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
