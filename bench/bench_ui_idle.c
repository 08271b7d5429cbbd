/* bench/bench_ui_idle.c - CPU the kiosk uses while nobody touches it:
 * the real kiosk program on the demo station, headless, on the home
 * screen and then cycling the boards in attract mode (idle_home_seconds
 * = 5, attract_seconds = 2, so most of the run is attract), for
 * BENCH_IDLE_SECONDS (default 30). The floor, measured alongside, is a
 * bare SDL program that presents once and then waits in
 * SDL_WaitEventTimeout, which is what a naive loop costs on drivers that
 * cannot block (offscreen, KMS/DRM): SDL then polls every millisecond.
 * Target: kiosk under 1% of one core. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <SDL.h>

static int floor_main(int seconds)
{
    SDL_Window *w;
    SDL_Renderer *r;
    Uint64 end;

    if (SDL_Init(SDL_INIT_VIDEO) != 0)
        return 1;
    w = SDL_CreateWindow("floor", 0, 0, 1024, 600, SDL_WINDOW_HIDDEN);
    r = w ? SDL_CreateRenderer(w, -1, SDL_RENDERER_SOFTWARE) : NULL;
    if (r == NULL)
        return 1;
    SDL_RenderClear(r);
    SDL_RenderPresent(r);
    end = SDL_GetTicks64() + (Uint64)seconds * 1000;
    while (SDL_GetTicks64() < end) {
        SDL_Event ev;
        if (SDL_WaitEventTimeout(&ev, 1000) && ev.type == SDL_QUIT)
            break;
    }
    SDL_Quit();
    return 0;
}

/* Run argv for seconds, stop it with SIGTERM, return its CPU seconds. */
static double cpu_of(char *const argv[], int seconds)
{
    struct rusage ru;
    int st;
    pid_t pid = fork();

    if (pid == 0) {
        execv(argv[0], argv);
        _exit(127);
    }
    sleep((unsigned)seconds);
    kill(pid, SIGTERM);
    wait4(pid, &st, 0, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
           ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
    const char *env = getenv("BENCH_IDLE_SECONDS");
    int seconds = env ? atoi(env) : 30;
    char dir[] = "/tmp/bench-idle-XXXXXX", set[96], cmd[256], secs[16];
    double k, f;

    if (seconds < 5)
        seconds = 5;
    if (argc > 2 && strcmp(argv[1], "--floor") == 0)
        return floor_main(atoi(argv[2]));
    setenv("SDL_VIDEODRIVER", "offscreen", 0);
    setenv("SDL_FRAMEBUFFER_ACCELERATION", "0", 1);
    if (mkdtemp(dir) == NULL)
        return 1;
    snprintf(set, sizeof set, "kiosk.state_dir=%s", dir);
    snprintf(cmd, sizeof cmd, "build/kioskctl --config assets/demo/station.ini"
             " --set %s load-demo assets/demo >/dev/null", set);
    if (system(cmd) != 0)
        return 1;
    snprintf(secs, sizeof secs, "%d", seconds + 5);
    char *kiosk_argv[] = { "build/kiosk", "--config",
                           "assets/demo/station.ini", "--set", set,
                           "--set", "kiosk.idle_home_seconds=5",
                           "--set", "kiosk.attract_seconds=2", NULL };
    char *floor_argv[] = { argv[0], "--floor", secs, NULL };
    k = cpu_of(kiosk_argv, seconds);
    f = cpu_of(floor_argv, seconds);
    printf("idle %d s, home then attract every 2 s (%s driver)\n", seconds,
           getenv("SDL_VIDEODRIVER"));
    printf("kiosk: %.3f s CPU = %.2f%% of one core (target < 1%%)\n", k,
           100.0 * k / seconds);
    printf("floor (SDL_WaitEventTimeout loop): %.3f s CPU = %.2f%%\n", f,
           100.0 * f / seconds);
    printf("kiosk / floor: %.2fx\n", f > 0 ? k / f : 0.0);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
