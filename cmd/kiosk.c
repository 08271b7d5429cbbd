/* cmd/kiosk.c - the kiosk program: config -> board -> store -> sync
 * worker -> UI loop. Holds the one struct app of the UI thread.
 *
 *   kiosk [--config FILE] [--set section.key=value]...
 *         [--script FILE [--shots DIR]]    run headless from a script
 *   kiosk --hash-pin PIN                   print a kiosk.tech_pin_hash
 *
 * After the first frame of the main loop the kiosk reports itself healthy
 * to the update launcher (docs/updates.md); at start-up the launcher's
 * rollback records become events (sync/sync_rollback.h) the worker sends.
 *
 * Exit status: 0 on a normal exit, 1 on a failed script, 2 on bad
 * arguments or a start-up failure (the message says which). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <SDL.h>

#include "board/board.h"
#include "firmware/config.h"
#include "base/log.h"
#include "firmware/store.h"
#include "firmware/store_salvage.h"
#include "firmware/techpin.h"
#include "firmware/update.h"
#include "sync/sync.h"
#include "sync/sync_rollback.h"
#include "ui/app.h"

struct args {
    const char *config, *script, *shots, *hash_pin;
};

static int usage(void)
{
    fprintf(stderr, "usage: kiosk [--config FILE] [--set section.key=value]"
                    "... [--script FILE [--shots DIR]]\n"
                    "       kiosk --hash-pin PIN\n");
    return 2;
}

/* "section.key=value" into the config, as the file would set it. */
static int apply_set(struct config *cfg, const char *arg)
{
    char buf[CONFIG_STR * 2], msg[256];
    char *dot, *eq;

    if (strlen(arg) >= sizeof buf)
        return usage();
    strcpy(buf, arg);
    dot = strchr(buf, '.');
    eq = strchr(buf, '=');
    if (dot == NULL || eq == NULL || dot > eq)
        return usage();
    *dot = *eq = '\0';
    if (config_set(cfg, buf, dot + 1, eq + 1, msg, sizeof msg) != ERR_OK) {
        fprintf(stderr, "kiosk: --set %s: %s\n", arg, msg);
        return 2;
    }
    return 0;
}

/* The config file first, then every --set in order. */
static int parse(int argc, char **argv, struct args *a, struct config *cfg)
{
    char msg[512];

    config_defaults(cfg);
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
            a->config = argv[++i];
            if (config_load(a->config, cfg, msg, sizeof msg) != ERR_OK) {
                fprintf(stderr, "kiosk: %s\n", msg);
                return 2;
            }
        }
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (v == NULL)
            return usage();
        i++;
        if (strcmp(o, "--set") == 0) {
            if (apply_set(cfg, v) != 0)
                return 2;
        } else if (strcmp(o, "--script") == 0) {
            a->script = v;
        } else if (strcmp(o, "--shots") == 0) {
            a->shots = v;
        } else if (strcmp(o, "--hash-pin") == 0) {
            a->hash_pin = v;
        } else if (strcmp(o, "--config") != 0) {
            return usage();
        }
    }
    return 0;
}

static int hash_pin(const char *pin)
{
    char out[TECHPIN_HASH_MAX];

    if (techpin_make(pin, TECHPIN_ITER_DEFAULT, out, sizeof out) != ERR_OK) {
        fprintf(stderr, "kiosk: cannot hash that PIN (1-%d characters)\n",
                TECHPIN_PIN_MAX);
        return 2;
    }
    printf("tech_pin_hash = %s\n", out);
    return 0;
}

static err_code open_store(const struct config *cfg, struct store **out)
{
    char path[CONFIG_STR + 16];

    if (mkdir(cfg->state_dir, 0700) != 0 && errno != EEXIST) {
        log_error("kiosk: cannot create %s: %s", cfg->state_dir,
                  strerror(errno));
        return ERR_IO;
    }
    snprintf(path, sizeof path, "%s/kiosk.db", cfg->state_dir);
    /* At start nothing else has the file open: a damaged one is kept for
     * the technician and its unsent events salvaged into a fresh store
     * (the technician screen says so until acknowledged). */
    return store_open_checked(path, true, out, NULL);
}

/* The sync worker runs beside the UI with its own store connection; a
 * kiosk with no hub configured, or not enrolled yet, runs offline. */
static struct sync *start_sync(const struct config *cfg)
{
    struct sync *s = NULL;
    err_code e = sync_create_for(cfg, &s);

    if (e == ERR_OK)
        e = sync_start(s);
    if (e == ERR_OK)
        return s;
    if (e == ERR_UNSUPPORTED)
        log_info("kiosk: no hub configured, running offline");
    else
        log_warn("kiosk: sync: %s; running offline", err_str(e));
    sync_destroy(s);
    return NULL;
}

static void wake_sync(void *ctx)
{
    sync_wake(ctx);
}

static int run(struct app *app, const struct args *a)
{
    char msg[512];

    if (a->script == NULL)
        return app_run(app) == ERR_OK ? 0 : 2;
    if (app_script(app, a->script, a->shots, msg, sizeof msg) != ERR_OK) {
        fprintf(stderr, "kiosk: %s\n", msg);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct args a = { 0 };
    struct config cfg;
    struct board *board = NULL;
    struct store *store = NULL;
    struct app *app = NULL;
    struct sync *sync = NULL;
    int rc = parse(argc, argv, &a, &cfg);

    if (rc != 0)
        return rc;
    if (a.hash_pin)
        return hash_pin(a.hash_pin);
    /* Scripts run headless, on the software renderer, without Mesa. */
    struct ui_opts uo = { .width = cfg.width, .height = cfg.height,
                          .fullscreen = cfg.fullscreen && !a.script,
                          .software = a.script != NULL,
                          .hidden = a.script != NULL };
    if (a.script && getenv("SDL_VIDEODRIVER") == NULL)
        setenv("SDL_VIDEODRIVER", "offscreen", 1);
    rc = 2;
    if (board_open(&cfg, &board) != ERR_OK || open_store(&cfg, &store)
        != ERR_OK)
        goto out;
    if (!a.script) {
        /* The launcher's rollback records become events for the hub. */
        sync_rollbacks_report(store, cfg.update_root, NULL);
        sync = start_sync(&cfg);
    }
    if (app_create(&cfg, board, store, &uo, &app) != ERR_OK)
        goto out;
    if (sync) {
        app->on_stored = wake_sync;         /* upload new events soon */
        app->on_stored_ctx = sync;
    }
    /* The pinyin engine deploys in its own thread once home is drawn,
     * so neither start-up nor the first text entry waits for it. */
    app->warm_up_input = a.script == NULL;
    /* The store is open; once the loop has drawn, this version works. */
    app->on_first_frame = update_report_healthy;
    rc = run(app, &a);
out:
    app_destroy(app);
    sync_destroy(sync);
    store_close(store);
    board_close(board);
    SDL_Quit();
    return rc;
}
