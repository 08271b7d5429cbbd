/* bench/bench_ui_startup.c - start-up of the kiosk to its first presented
 * frame, against a floor measured in the same run: a bare SDL program
 * that opens the same window, loads the same font, draws one string and
 * presents once. Each is a fresh process (fork + exec, timed to the
 * first present, which each reports on stderr),
 * alternating, median of RUNS; both headless on the software renderer.
 * Also: the floor without SDL_FRAMEBUFFER_ACCELERATION=0 (what the hint
 * saves), and the kiosk's peak RSS after touring every board screen.
 * Targets: kiosk <= 1.5x the floor; peak RSS < 60 MB.
 * `bench_ui_startup --before OTHER_KIOSK` also times another build of
 * the kiosk (an earlier commit's) in the same loop, alternating, so a
 * change is measured against what it replaces on the same busy machine. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <SDL.h>
#include <SDL_ttf.h>

#define RUNS 21
#define FONT "assets/fonts/NotoSansSC-kiosk.otf"

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

/* The floor itself, run in a child: window, renderer, font, one frame. */
static int floor_main(void)
{
    SDL_Color black = { 0, 0, 0, 255 };
    SDL_Window *w;
    SDL_Renderer *r;
    TTF_Font *f;
    SDL_Surface *s;
    SDL_Texture *t;

    if (SDL_Init(SDL_INIT_VIDEO) != 0 || TTF_Init() != 0)
        return 1;
    w = SDL_CreateWindow("floor", 0, 0, 1024, 600, SDL_WINDOW_HIDDEN);
    r = w ? SDL_CreateRenderer(w, -1, SDL_RENDERER_SOFTWARE) : NULL;
    f = TTF_OpenFont(FONT, 23);
    if (r == NULL || f == NULL)
        return 1;
    s = TTF_RenderUTF8_Blended(f, "签到 / 签退", black);
    t = SDL_CreateTextureFromSurface(r, s);
    SDL_SetRenderDrawColor(r, 244, 241, 234, 255);
    SDL_RenderClear(r);
    SDL_RenderCopy(r, t, NULL, &(SDL_Rect){ 10, 10, s->w, s->h });
    SDL_RenderPresent(r);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    fprintf(stderr, "first frame presented at monotonic %.3f ms\n",
            ts.tv_sec * 1e3 + ts.tv_nsec / 1e6);
    SDL_DestroyTexture(t);
    SDL_FreeSurface(s);
    TTF_CloseFont(f);
    TTF_Quit();
    SDL_Quit();
    return 0;
}

/* Run argv to its exit. Returns ms from fork to the first presented
 * frame, which the child reports on stderr; *rss gets its peak RSS. */
static double run(char *const argv[], double *rss)
{
    struct rusage ru;
    double t0 = now_ms(), at = -1;
    int st, fd[2];
    char buf[4096];
    size_t n = 0;
    ssize_t k;

    if (pipe(fd) != 0)
        exit(1);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd[1], 2);
        close(fd[0]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(fd[1]);
    while (n < sizeof buf - 1 && (k = read(fd[0], buf + n,
                                           sizeof buf - 1 - n)) > 0)
        n += (size_t)k;
    buf[n] = '\0';
    close(fd[0]);
    wait4(pid, &st, 0, &ru);
    const char *p = strstr(buf, "presented at monotonic ");
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || p == NULL) {
        fprintf(stderr, "bench_ui_startup: %s failed:\n%s", argv[0], buf);
        exit(1);
    }
    at = strtod(p + strlen("presented at monotonic "), NULL);
    if (rss)
        *rss = ru.ru_maxrss / 1024.0;
    return at - t0;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0)
        exit(1);
}

int main(int argc, char **argv)
{
    char dir[] = "/tmp/bench-start-XXXXXX", first[64], tour[64], set[96];
    char cmd[256];
    double fl[RUNS], ki[RUNS], fa[RUNS], rss_f = 0, rss_fa = 0, rss_k = 0;
    double rss_tour = 0, be[RUNS], rss_b = 0;
    const char *before = argc > 2 && strcmp(argv[1], "--before") == 0
                         ? argv[2] : NULL;

    if (argc > 1 && strcmp(argv[1], "--floor") == 0)
        return floor_main();
    setenv("SDL_VIDEODRIVER", "offscreen", 0);
    if (mkdtemp(dir) == NULL)
        return 1;
    snprintf(first, sizeof first, "%s/first.txt", dir);
    snprintf(tour, sizeof tour, "%s/tour.txt", dir);
    snprintf(set, sizeof set, "kiosk.state_dir=%s", dir);
    write_file(first, "expect screen home\n");
    write_file(tour, "tap boards\ntap board.0\ntap cat.0\n"
                     "key Escape\nkey Escape\ntap board.1\n"
                     "tap tab.1\nkey Escape\ntap board.2\ntap notice.0\n"
                     "key Escape\nkey Escape\ntap board.3\nkey Escape\n"
                     "key Escape\ntap contacts\ntap bldg.0\ntap unit.0\n");
    snprintf(cmd, sizeof cmd, "build/kioskctl --config assets/demo/station.ini"
             " --set %s load-demo assets/demo >/dev/null", set);
    if (system(cmd) != 0)
        return 1;
    char *floor_argv[] = { argv[0], "--floor", NULL };
    char *kiosk_argv[] = { "build/kiosk", "--config",
                           "assets/demo/station.ini", "--set", set,
                           "--script", first, NULL };
    char *before_argv[] = { (char *)before, "--config",
                            "assets/demo/station.ini", "--set", set,
                            "--script", first, NULL };
    char *tour_argv[] = { "build/kiosk", "--config",
                          "assets/demo/station.ini", "--set", set,
                          "--script", tour, NULL };
    for (int i = 0; i < RUNS; i++) {
        setenv("SDL_FRAMEBUFFER_ACCELERATION", "0", 1);
        fl[i] = run(floor_argv, &rss_f);
        ki[i] = run(kiosk_argv, &rss_k);
        if (before)
            be[i] = run(before_argv, &rss_b);
        unsetenv("SDL_FRAMEBUFFER_ACCELERATION");
        fa[i] = run(floor_argv, &rss_fa);
    }
    run(tour_argv, &rss_tour);
    qsort(fl, RUNS, sizeof fl[0], cmp);
    qsort(ki, RUNS, sizeof ki[0], cmp);
    qsort(fa, RUNS, sizeof fa[0], cmp);
    printf("floor (SDL window + font + 1 frame, accel=0) median %7.1f ms"
           "  RSS %5.1f MB\n", fl[RUNS / 2], rss_f);
    printf("floor without SDL_FRAMEBUFFER_ACCELERATION=0 median %7.1f ms"
           "  RSS %5.1f MB\n", fa[RUNS / 2], rss_fa);
    printf("kiosk to first frame                     median %7.1f ms"
           "  RSS %5.1f MB\n", ki[RUNS / 2], rss_k);
    printf("kiosk / floor: %.2fx (target <= 1.5x)\n", ki[RUNS / 2] /
           fl[RUNS / 2]);
    if (before) {
        qsort(be, RUNS, sizeof be[0], cmp);
        printf("%s to first frame  median %7.1f ms  RSS %5.1f MB\n"
               "it / floor: %.2fx; this kiosk / it: %.2fx\n", before,
               be[RUNS / 2], rss_b, be[RUNS / 2] / fl[RUNS / 2],
               ki[RUNS / 2] / be[RUNS / 2]);
    }
    printf("kiosk peak RSS after every board screen: %.1f MB "
           "(target < 60 MB)\n", rss_tour);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
