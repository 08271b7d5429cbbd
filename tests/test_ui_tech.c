/* tests/test_ui_tech.c - the technician screen's tools: the diagnostics
 * it shows (the same facts as kioskctl status), "sync now" waking the
 * kiosk's sync worker and showing the result as last_sync_ms moves, and
 * "update from USB": a bundle made and signed by the real release tool
 * code is found in a temporary "USB" directory and installed on a worker
 * thread while the progress bar shows each phase (the job is held at the
 * start of each phase so every one can be looked at), then the result;
 * bundles signed with another key are refused with the message. */
#include "test_ui_ctx.h"

#include "base/bundle.h"
#include "base/sig_mbedtls.h"
#include "firmware/store_salvage.h"
#include "firmware/update.h"
#include "ui/tech_update.h"

static const struct ui_variant zh = { "zh_CN", false, true, false, 1024,
                                      600 };
static const struct ui_variant en = { "en", false, true, false, 1024, 600 };

#define UNLOCK "scan KSK1:T:tech01\n" \
               "tap key.2\ntap key.4\ntap key.6\ntap key.8\ntap key.ok\n"

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A release key pair, and in <dir>/usb a bundle of version 1.2.0 signed
 * with key (the release key, or another one). */
static void make_usb(struct ui_ctx *c, bool release_key)
{
    char p[256], q[640], src[200];

    snprintf(p, sizeof p, "%s/release.pem", c->dir);
    snprintf(q, sizeof q, "%s/release.pub", c->dir);
    assert_int_equal(sig_keygen(p, q), ERR_OK);
    if (!release_key) {
        snprintf(p, sizeof p, "%s/other.pem", c->dir);
        snprintf(q, sizeof q, "%s/other.pub", c->dir);
        assert_int_equal(sig_keygen(p, q), ERR_OK);
    }
    snprintf(src, sizeof src, "%s/src/bin", c->dir);
    snprintf(q, sizeof q, "mkdir -p %s %s/usb %s/root", src, c->dir, c->dir);
    assert_int_equal(system(q), 0);
    snprintf(q, sizeof q, "%s/kiosk", src);
    write_file(q, "#!/bin/sh\nexit 0\n");
    snprintf(src, sizeof src, "%s/src", c->dir);
    snprintf(q, sizeof q, "%s/usb/kiosk-1.2.0.kbundle", c->dir);
    assert_int_equal(bundle_make(src, "kiosk", "1.2.0", "0.0.0", p, q,
                                 NULL, 0), ERR_OK);
    snprintf(c->app->cfg.usb_dir, CONFIG_STR, "%s/usb", c->dir);
    snprintf(c->app->cfg.update_root, CONFIG_STR, "%s/root", c->dir);
    snprintf(c->app->cfg.release_key, CONFIG_STR, "%s/release.pub", c->dir);
    c->app->cfg.factory_dir[0] = '\0';
}

static void shot(struct ui_ctx *c, const char *name)
{
    char dir[256], path[300];
    const char *out = getenv("UI_OUT");

    snprintf(dir, sizeof dir, "%s", out ? out : "build/test-ui");
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/%s.png", dir, name);
    app_draw(c->app, true, path);
}

/* Wait for the worker to stop at the next phase, then check the screen. */
static void at_phase(struct ui_ctx *c, const char *text, const char *pct,
                     const char *name)
{
    char script[256];

    assert_true(tech_update_wait(screen_tech_update(c->app), 20000));
    snprintf(script, sizeof script, "wait 100\nexpect text %s\n"
             "expect text %s\n", text, pct);
    ui_run(c, script, NULL);
    shot(c, name);
    /* No way out while it installs: the install is never cut short. */
    SDL_Rect r;
    assert_false(ui_hit_find(c->app->ui, "back", &r));
    tech_update_step(screen_tech_update(c->app));
}

static void usb_update_shows_progress_and_installs(void **st)
{
    struct update_opts o;
    char version[24], dir[UPDATE_PATH_MAX];
    struct ui_ctx c;

    (void)st;
    ui_ctx_open(&c, &zh);
    make_usb(&c, true);
    ui_run(&c, UNLOCK "expect text U盘升级\n", NULL);
    screen_tech_hold_updates(c.app, true);
    ui_run(&c, "tap usb\n", NULL);
    at_phase(&c, "正在校验签名和文件", "0%", "tech_progress_verify");
    at_phase(&c, "正在复制新版本", "45%", "tech_progress_copy");
    at_phase(&c, "正在切换到新版本", "93%", "tech_progress_switch");
    assert_true(tech_update_wait(screen_tech_update(c.app), 20000));
    ui_run(&c, "wait 100\nexpect text 升级包已安装\nexpect text 1.2.0\n",
           NULL);
    shot(&c, "tech_update_installed");
    o = (struct update_opts){ .root = c.app->cfg.update_root,
                              .pub_key = c.app->cfg.release_key };
    assert_int_equal(update_current(&o, version, sizeof version, dir,
                                    sizeof dir), ERR_OK);
    assert_string_equal(version, "1.2.0");
    /* Back on the diagnostics: the new version, on trial. */
    ui_run(&c, "tap done\nexpect text 1.2.0 （试运行）\n", NULL);
    /* The same bundle again is refused: not newer than what is there. */
    ui_run(&c, "tap usb\n", NULL);
    assert_true(tech_update_wait(screen_tech_update(c.app), 20000));
    ui_run(&c, "wait 100\nexpect text 升级被拒绝\n", NULL);
    ui_ctx_close(&c);
}

static void usb_update_refuses_other_key_and_no_stick(void **st)
{
    struct update_opts o;
    char version[24], dir[UPDATE_PATH_MAX];
    struct ui_ctx c;

    (void)st;
    ui_ctx_open(&c, &en);
    make_usb(&c, false);
    ui_run(&c, UNLOCK "tap usb\n", NULL);
    assert_true(tech_update_wait(screen_tech_update(c.app), 20000));
    ui_run(&c, "wait 100\nexpect text Update refused\n", NULL);
    shot(&c, "tech_update_refused");
    o = (struct update_opts){ .root = c.app->cfg.update_root,
                              .pub_key = c.app->cfg.release_key };
    assert_int_equal(update_current(&o, version, sizeof version, dir,
                                    sizeof dir), ERR_NOTFOUND);
    snprintf(c.app->cfg.usb_dir, CONFIG_STR, "%s/nostick", c.dir);
    ui_run(&c, "tap done\ntap usb\nexpect text No USB stick found\n"
               "expect text nostick\ntap done\nexpect text Free storage\n",
           NULL);
    shot(&c, "tech_diag");
    ui_ctx_close(&c);
}

struct wake {
    int           calls;
    struct store *store;
};

static void on_wake(void *ctx)
{
    ((struct wake *)ctx)->calls++;
}

static void sync_now_wakes_the_worker(void **st)
{
    struct wake w = { 0, NULL };
    struct ui_ctx c;

    (void)st;
    ui_ctx_open(&c, &en);
    ui_run(&c, UNLOCK "expect text not enrolled\nexpect text offline\n"
               "tap sync\nexpect text No hub is set up\ntap done\n", NULL);
    c.app->on_stored = on_wake;
    c.app->on_stored_ctx = &w;
    ui_run(&c, "tap sync\nexpect text Syncing\n", NULL);
    assert_int_equal(w.calls, 1);
    /* The worker's round lands: its store connection sets the meta. */
    assert_int_equal(store_set_last_sync(c.store, 1763861400000LL), ERR_OK);
    ui_run(&c, "wait 1000\nexpect text Synced\n"
               "expect text 2025-11-23 09:30\n", NULL);
    ui_run(&c, "tap done\ntap sync\nwait 31000\n"
               "expect text has not answered\n", NULL);
    assert_int_equal(w.calls, 2);
    ui_ctx_close(&c);
}

/* After a salvage (firmware/store_salvage.c) the technician sees what
 * happened in place of the diagnostics until pressing done; a board the
 * store cannot read says "data unavailable", not "nothing here". */
static void salvage_shown_until_done_and_unreadable_board_said(void **st)
{
    struct store_salvage note;
    struct ui_ctx c;

    (void)st;
    ui_ctx_open(&c, &en);
    assert_int_equal(store_meta_set(c.store, "salvage_ms", "1763861400000"),
                     ERR_OK);
    assert_int_equal(store_meta_set(c.store, "salvage_kept",
                                    "/var/lib/kiosk/kiosk.db.damaged-x"),
                     ERR_OK);
    assert_int_equal(store_meta_set(c.store, "salvage_events", "276"),
                     ERR_OK);
    assert_int_equal(store_meta_set(c.store, "salvage_lost", "24"), ERR_OK);
    ui_run(&c, UNLOCK "expect text The database was damaged\n"
               "expect text 276 unsent records were saved\n"
               "expect text 24 could not be read\n"
               "expect notext Free storage\n"
               "tap done\nexpect text Free storage\n"
               "expect notext The database was damaged\n", NULL);
    assert_int_equal(store_salvage_get(c.store, &note), ERR_OK);
    assert_true(note.acknowledged);
    assert_int_equal(store_exec(c.store, "DROP TABLE notices"), ERR_OK);
    ui_run(&c, "tap back\ntap boards\ntap board.2\n"
               "expect screen notices\n"
               "expect text Data unavailable\n"
               "expect notext Nothing here yet\n", NULL);
    ui_ctx_close(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(usb_update_shows_progress_and_installs),
        cmocka_unit_test(usb_update_refuses_other_key_and_no_stick),
        cmocka_unit_test(sync_now_wakes_the_worker),
        cmocka_unit_test(salvage_shown_until_done_and_unreadable_board_said),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
