/* tests/test_ui_ctx.h - a kiosk UI over a fresh store for the UI tests:
 * headless (offscreen video, software renderer), fixture loaded through
 * store_hub_apply, scripted clock. Included by the test_ui_* files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "board/board.h"
#include "firmware/log.h"
#include "firmware/techpin.h"
#include "ui/app.h"
#include "test_ui_fixture.h"

#define UI_TEST_PIN "2468"

struct ui_ctx {
    char          dir[64];
    struct store *store;
    struct board *board;
    struct app   *app;
    struct config cfg;
};

struct ui_variant {
    const char *lang;
    bool        large, allow_number, sim_board;
    int         w, h;
};

static void ui_set(struct config *cfg, const char *sec, const char *key,
                   const char *val)
{
    char msg[256];

    if (config_set(cfg, sec, key, val, msg, sizeof msg) != ERR_OK)
        fail_msg("config %s.%s: %s", sec, key, msg);
}

static void ui_ctx_open(struct ui_ctx *c, const struct ui_variant *v)
{
    char path[128], hash[TECHPIN_HASH_MAX], num[16];
    struct ui_opts uo = { .width = v->w, .height = v->h, .software = true,
                          .hidden = true };

    memset(c, 0, sizeof *c);
    setenv("SDL_VIDEODRIVER", "offscreen", 0);
    log_set_level(LOG_LVL_WARN);
    strcpy(c->dir, "/tmp/ui-test-XXXXXX");
    assert_non_null(mkdtemp(c->dir));
    snprintf(path, sizeof path, "%s/kiosk.db", c->dir);
    assert_int_equal(store_open(path, &c->store), ERR_OK);
    assert_int_equal(store_hub_apply(c->store, ui_fixture,
                                     sizeof ui_fixture - 1, "c1"), ERR_OK);
    config_defaults(&c->cfg);
    ui_set(&c->cfg, "station", "name", "红旗社区党群服务站");
    ui_set(&c->cfg, "station", "member_prefix", "M");
    ui_set(&c->cfg, "station", "allow_member_number",
           v->allow_number ? "true" : "false");
    ui_set(&c->cfg, "kiosk", "language", v->lang);
    ui_set(&c->cfg, "kiosk", "large_text", v->large ? "true" : "false");
    ui_set(&c->cfg, "kiosk", "state_dir", c->dir);
    snprintf(num, sizeof num, "%d", v->w);
    ui_set(&c->cfg, "kiosk", "width", num);
    snprintf(num, sizeof num, "%d", v->h);
    ui_set(&c->cfg, "kiosk", "height", num);
    /* Few iterations: the test checks the scheme, not its cost. */
    assert_int_equal(techpin_make(UI_TEST_PIN, 10, hash, sizeof hash),
                     ERR_OK);
    ui_set(&c->cfg, "kiosk", "tech_pin_hash", hash);
    if (v->sim_board) {
        ui_set(&c->cfg, "kiosk", "board", "sim");
        assert_int_equal(board_open(&c->cfg, &c->board), ERR_OK);
    }
    assert_int_equal(app_create(&c->cfg, c->board, c->store, &uo, &c->app),
                     ERR_OK);
}

static void ui_ctx_close(struct ui_ctx *c)
{
    char cmd[128];

    app_destroy(c->app);
    store_close(c->store);
    board_close(c->board);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", c->dir);
    assert_int_equal(system(cmd), 0);
}

/* Run script lines; a failed expect fails the test with its line. */
static void ui_run(struct ui_ctx *c, const char *script, const char *shots)
{
    char msg[512];

    if (app_script_text(c->app, script, shots, msg, sizeof msg) != ERR_OK)
        fail_msg("%s", msg);
}
