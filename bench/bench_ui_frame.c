/* bench/bench_ui_frame.c - frame time of the board screens with warm
 * caches, software renderer at 1024x600 (headless), over the demo
 * station's data; the floor is a frame that only clears and presents.
 * Prints median and p95 per screen, the busiest screen's ratio to the
 * floor, and the process's peak RSS. Target: busiest median under 4 ms. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "firmware/demo.h"
#include "base/log.h"
#include "ui/app.h"

#define FRAMES 300
#define WALL   1795397400000LL      /* the scripted clock's start */

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static void time_frames(struct app *a, bool floor_only, double *med,
                        double *p95)
{
    static double t[FRAMES];

    for (int i = 0; i < 20; i++)            /* warm the caches */
        app_draw(a, true, NULL);
    for (int i = 0; i < FRAMES; i++) {
        double t0 = now_ms();
        if (floor_only) {
            ui_frame_begin(a->ui);
            ui_present(a->ui);
        } else {
            app_draw(a, true, NULL);
        }
        t[i] = now_ms() - t0;
    }
    qsort(t, FRAMES, sizeof t[0], cmp);
    *med = t[FRAMES / 2];
    *p95 = t[FRAMES * 95 / 100];
}

static void run(struct app *a, const char *script)
{
    char msg[256];

    if (app_script_text(a, script, NULL, msg, sizeof msg) != ERR_OK) {
        fprintf(stderr, "bench_ui_frame: %s\n", msg);
        exit(1);
    }
}

int main(void)
{
    static const struct { const char *name, *script; } screens[] = {
        { "home", "" },
        { "duty week", "tap boards\ntap board.1\ntap tab.1\n" },
        { "notices", "tap boards\ntap board.2\n" },
        { "notice", "tap boards\ntap board.2\ntap notice.0\n" },
        { "stars", "tap boards\ntap board.3\n" },
        { "posts", "tap boards\ntap board.0\n" },
        /* A category of one post opens it. */
        { "post", "tap boards\ntap board.0\ntap cat.0\n" },
        { "contacts", "tap contacts\ntap bldg.0\ntap unit.0\n" },
        { "attract", "wait 61000\n" },
    };
    char dir[] = "/tmp/bench-ui-XXXXXX", path[64];
    struct config cfg;
    struct store *s;
    struct app *a;
    struct stamp st = { .wall_ms = WALL, .clock_trusted = true };
    struct ui_opts uo = { .width = 1024, .height = 600, .software = true,
                          .hidden = true };
    double fmed, fp95, worst = 0, med, p95;
    const char *worst_name = "";
    struct rusage ru;

    setenv("SDL_VIDEODRIVER", "offscreen", 0);
    log_set_level(LOG_LVL_WARN);
    config_defaults(&cfg);
    if (mkdtemp(dir) == NULL)
        return 1;
    snprintf(path, sizeof path, "%s/kiosk.db", dir);
    if (store_open(path, &s) != ERR_OK ||
        demo_load(s, "assets/demo", cfg.utc_offset_minutes, &st) != ERR_OK ||
        app_create(&cfg, NULL, s, &uo, &a) != ERR_OK)
        return 1;
    run(a, "expect screen home\n");
    time_frames(a, true, &fmed, &fp95);
    printf("floor (clear + present)   median %6.3f ms  p95 %6.3f ms\n",
           fmed, fp95);
    for (size_t i = 0; i < sizeof screens / sizeof screens[0]; i++) {
        run(a, "key Escape\nkey Escape\nkey Escape\nkey Escape\n");
        run(a, screens[i].script);
        time_frames(a, false, &med, &p95);
        printf("%-25s median %6.3f ms  p95 %6.3f ms  (%s)\n", screens[i].name,
               med, p95, a->screen->name);
        if (med > worst) {
            worst = med;
            worst_name = screens[i].name;
        }
    }
    getrusage(RUSAGE_SELF, &ru);
    printf("busiest: %s, median %.3f ms = %.1fx the floor (target < 4 ms)\n",
           worst_name, worst, worst / fmed);
    printf("peak RSS: %.1f MB (target < 60 MB)\n", ru.ru_maxrss / 1024.0);
    app_destroy(a);
    store_close(s);
    snprintf(path, sizeof path, "rm -rf '%s'", dir);
    return system(path) == 0 ? 0 : 1;
}
