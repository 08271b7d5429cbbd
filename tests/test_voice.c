/* tests/test_voice.c - spoken prompts through the real espeak-ng engine
 * (Debian's libespeak-ng with espeak-ng-data): a prompt rendered to a WAV
 * file is speech (loud enough, as long as a short sentence takes), volume
 * 0 is silence, and the worker plays a prompt through SDL's disk audio
 * driver, whose output file then holds the sound. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <SDL.h>

#include "ui/voice.h"

static char dir[64];

static int setup(void **st)
{
    (void)st;
    snprintf(dir, sizeof dir, "/tmp/kiosk-voice-XXXXXX");
    assert_non_null(mkdtemp(dir));
    return 0;
}

static int teardown(void **st)
{
    char cmd[128];

    (void)st;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd);
}

static double rms(const int16_t *s, size_t n)
{
    double sum = 0;

    for (size_t i = 0; i < n; i++)
        sum += (double)s[i] * s[i];
    return n ? __builtin_sqrt(sum / (double)n) : 0;
}

static uint32_t le(const unsigned char *b, int bytes)
{
    uint32_t v = 0;

    for (int i = bytes - 1; i >= 0; i--)
        v = v << 8 | b[i];
    return v;
}

/* Read back a WAV we wrote: header fields and the samples. */
static int16_t *read_wav(const char *path, int *rate, size_t *n)
{
    FILE *f = fopen(path, "rb");
    unsigned char h[44];

    assert_non_null(f);
    assert_int_equal(fread(h, 1, 44, f), 44);
    assert_memory_equal(h, "RIFF", 4);
    assert_memory_equal(h + 8, "WAVEfmt ", 8);
    assert_int_equal(le(h + 20, 2), 1);         /* PCM */
    assert_int_equal(le(h + 22, 2), 1);         /* mono */
    assert_int_equal(le(h + 34, 2), 16);
    *rate = (int)le(h + 24, 4);
    *n = le(h + 40, 4) / 2;
    int16_t *s = malloc(*n * 2 + 1);
    for (size_t i = 0; i < *n; i++) {
        unsigned char b[2];
        assert_int_equal(fread(b, 1, 2, f), 2);
        s[i] = (int16_t)le(b, 2);
    }
    fclose(f);
    return s;
}

static void check_speech(const char *lang, const char *text, double min_s,
                         double max_s)
{
    int16_t *s;
    size_t n, m;
    int rate, rate2;
    char path[128];

    assert_int_equal(voice_render(lang, text, 100, &s, &n, &rate), ERR_OK);
    snprintf(path, sizeof path, "%s/%s.wav", dir, lang);
    assert_int_equal(voice_write_wav(path, s, n, rate), ERR_OK);
    free(s);
    s = read_wav(path, &rate2, &m);
    assert_int_equal(rate2, rate);
    assert_int_equal(m, n);
    double secs = (double)n / rate;
    print_message("%s \"%s\": %.2f s at %d Hz, rms %.0f\n", lang, text, secs,
                  rate, rms(s, n));
    assert_true(secs >= min_s && secs <= max_s);
    assert_true(rms(s, n) > 300);               /* not silence */
    free(s);
}

static void prompts_render_to_speech(void **st)
{
    (void)st;
    check_speech("zh_CN", "签到成功，张伟", 0.8, 6.0);
    check_speech("en", "Checked in, Zhang Wei", 0.6, 5.0);
}

static void volume_scales_and_zero_is_silent(void **st)
{
    int16_t *loud, *quiet;
    size_t n1, n2;
    int rate;

    (void)st;
    assert_int_equal(voice_render("zh_CN", "此卡无效，请联系工作人员", 100,
                                  &loud, &n1, &rate), ERR_OK);
    assert_int_equal(voice_render("zh_CN", "此卡无效，请联系工作人员", 0,
                                  &quiet, &n2, &rate), ERR_OK);
    assert_true(n2 > n1 / 2 && n2 < n1 * 2);   /* the same sentence */
    assert_true(rms(loud, n1) > 300);
    assert_true(rms(quiet, n2) == 0);
    free(loud);
    free(quiet);
}

static long file_size(const char *path)
{
    struct stat sb;

    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

static uint64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The worker path the kiosk uses: voice_say returns at once, the worker
 * synthesises and SDL plays; the disk driver writes what it plays. */
static void worker_plays_through_sdl_audio(void **st)
{
    char raw[128];
    struct voice *v;
    unsigned played = 0, failed = 0;

    (void)st;
    snprintf(raw, sizeof raw, "%s/out.raw", dir);
    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", raw, 1);
    setenv("SDL_DISKAUDIODELAY", "1", 1);       /* as fast as it can */
    assert_int_equal(voice_create(80, &v), ERR_OK);
    uint64_t t0 = now_ms();
    voice_say(v, "zh_CN", "签到成功，张伟");
    assert_true(now_ms() - t0 < 50);            /* the caller never waits */
    while (played + failed == 0 && now_ms() - t0 < 30000) {
        voice_counts(v, &played, &failed);
        SDL_Delay(5);
    }
    assert_int_equal(failed, 0);
    assert_int_equal(played, 1);
    /* Half a second of 16-bit mono at 22 kHz, at least, reaches the
     * device (the driver plays in its own thread). */
    while (file_size(raw) < 22050 && now_ms() - t0 < 30000)
        SDL_Delay(5);
    voice_destroy(v);
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
    long size = file_size(raw);
    print_message("disk audio: %ld bytes\n", size);
    assert_true(size >= 22050);
    FILE *f = fopen(raw, "rb");
    int16_t *s = malloc((size_t)size);
    size_t n = fread(s, 2, (size_t)size / 2, f);
    fclose(f);
    assert_true(rms(s, n) > 100);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(prompts_render_to_speech),
        cmocka_unit_test(volume_scales_and_zero_is_silent),
        cmocka_unit_test(worker_plays_through_sdl_audio),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
