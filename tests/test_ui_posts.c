/* tests/test_ui_posts.c - claiming posts (认岗) drawn headless and
 * compared with tests/ref/<variant>_claims_<name>.png, as
 * test_ui_screens.c does for the others (zh_CN and en, 1024x600 and
 * 800x480, large text): a post open for claiming with a claim under
 * review, the card, the role (岗员 or 副岗长 while free), the claim sent,
 * a second claim refused, a swap (card, the holder to swap with, sent),
 * and My record with a claim under review and one declined with the
 * staff's reason. What the screens stored is checked too. */
#include "test_ui_ctx.h"
#include "test_ui_shot.h"
#include "test_ui_tour.h"

#include "firmware/post_claim.h"
#include "firmware/store_claims.h"

#define T0 1795397400000LL             /* 2026-11-23 09:30 +08 */

/* 财务监督岗 open with two places and no deputy; M1011 claimed it here
 * an hour ago; the hub declined M1011's claim of 服务监督岗. */
static void fixture(struct ui_ctx *c)
{
    static const char page[] =
        "{\"changes\":[{\"type\":\"post\",\"op\":\"put\",\"key\":\"P01\","
        "\"data\":{\"category\":\"财务\",\"name\":\"财务监督岗\","
        "\"duties\":\"监督社区集体资金、资产、资源的使用和管理，参与审核每季度"
        "财务公开内容。\",\"order\":1,\"holders\":[{\"member_no\":\"M1001\","
        "\"name\":\"张伟\",\"role\":\"head\"},{\"member_no\":\"M1007\","
        "\"name\":\"赵敏\",\"role\":\"member\"},{\"member_no\":\"M1010\","
        "\"name\":\"吴刚\",\"role\":\"member\"}],\"min_members\":3,"
        "\"max_members\":5,\"open\":true,\"places\":2}},"
        "{\"type\":\"claim\",\"op\":\"put\",\"key\":\"7\",\"data\":{"
        "\"kind\":\"claim\",\"member_no\":\"M1011\",\"post_id\":\"P02\","
        "\"role\":\"member\",\"other_no\":\"\",\"other_post\":\"\","
        "\"state\":\"declined\",\"reason\":\"本岗位已满员，请选择其他岗位\","
        "\"filed_ms\":1795300000000,\"decided_ms\":1795390000000}}],"
        "\"cursor\":\"p1\",\"more\":false,\"hub_time_ms\":1795397400000}";
    assert_int_equal(page_apply(c->store, page, sizeof page - 1, "p1"),
                     ERR_OK);
    struct stamp at = { .wall_ms = T0 - 3600000, .clock_trusted = true };
    const char *why;
    assert_int_equal(post_claim(c->store, "P01", "M1011", ROLE_MEMBER, &at,
                                &why), ERR_OK);
}

static const char *const tour[] = {
    "tap boards", "tap board.0", "tap cat.0", "screenshot post_open",
    "tap claim", "screenshot claim_scan",
    "scan KSK1:M:M1012", "screenshot claim_role",
    "tap role.deputy", "screenshot claim_sent",
    "tap done", "screenshot post_pending",
    "tap claim", "scan KSK1:M:M1012", "tap role.member",
    "screenshot claim_refused",
    "tap done", "tap swap", "screenshot swap_scan",
    "scan KSK1:M:M1002", "screenshot swap_pick",
    "tap holder.0", "screenshot swap_sent",
    "tap done", "tap back", "tap back", "tap back", "tap record",
    "scan KSK1:M:M1011", "screenshot record_claims",
    NULL,
};


static void run_tour(const struct ui_variant *v)
{
    char prefix[64], name[128];
    struct ui_ctx c;
    snprintf(prefix, sizeof prefix, "%s%s_%dx%d_claims", v->lang,
             v->large ? "_large" : "", v->w, v->h);
    mkdir("build", 0755);
    mkdir(out_dir(), 0755);
    ui_ctx_open(&c, v);
    fixture(&c);
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
    assert_string_equal(c.app->screen->name, "record");
    /* What the screens stored: M1012's deputy claim, M1002's swap with
     * the head of 财务监督岗, both pending; nothing for the refusal. */
    struct post_claim k[4];
    size_t n = 0;
    assert_int_equal(store_claims_for(c.store, "M1012", k, 4, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(k[0].role, ROLE_DEPUTY);
    assert_int_equal(k[0].state, CHANGE_CLAIM_PENDING);
    assert_int_equal(store_claims_for(c.store, "M1002", k, 4, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(k[0].kind, CHANGE_CLAIM_SWAP);
    assert_string_equal(k[0].post_id, "P02");
    assert_string_equal(k[0].other_no, "M1001");
    assert_string_equal(k[0].other_post, "P01");
    struct event evs[64];
    assert_int_equal(store_events_after(c.store, 0, evs, 64, &n), ERR_OK);
    int claims = 0, swaps = 0;
    for (size_t i = 0; i < n; i++) {
        claims += evs[i].kind == EVENT_POST_CLAIM;
        swaps += evs[i].kind == EVENT_POST_SWAP;
    }
    assert_int_equal(claims, 2);                /* M1011's and M1012's */
    assert_int_equal(swaps, 1);
    ui_ctx_close(&c);
}

TOUR(zh_1024x600, "zh_CN", false, 1024, 600)
TOUR(en_1024x600, "en", false, 1024, 600)
TOUR(zh_800x480, "zh_CN", false, 800, 480)
TOUR(en_800x480, "en", false, 800, 480)
TOUR(zh_large_1024x600, "zh_CN", true, 1024, 600)
TOUR(en_large_1024x600, "en", true, 1024, 600)
TOUR(zh_large_800x480, "zh_CN", true, 800, 480)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(zh_1024x600),
        cmocka_unit_test(en_1024x600),
        cmocka_unit_test(zh_800x480),
        cmocka_unit_test(en_800x480),
        cmocka_unit_test(zh_large_1024x600),
        cmocka_unit_test(en_large_1024x600),
        cmocka_unit_test(zh_large_800x480),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
