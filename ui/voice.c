/* ui/voice.c - spoken prompts: espeak-ng synthesises into a buffer (its
 * synchronous mode, our callback), SDL queues the samples on an audio
 * device. espeak-ng keeps global state and is not thread-safe, so every
 * call into it holds engine_lock; in the kiosk only the worker makes
 * them. */
#include "ui/voice.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>

#include "base/log.h"
#include "base/xmalloc.h"

static pthread_mutex_t engine_lock = PTHREAD_MUTEX_INITIALIZER;
static bool            engine_ready;
static int             engine_rate;

struct pcm {
    int16_t *s;
    size_t   n, cap, max;
};

/* espeak-ng hands over each chunk it made; 0 means "go on". */
static int on_samples(short *wav, int count, espeak_EVENT *ev)
{
    struct pcm *p = ev ? ev->user_data : NULL;

    if (p == NULL || wav == NULL || count <= 0)
        return 0;
    if (p->n + (size_t)count > p->max)
        return 1;                       /* too long: stop here */
    if (p->n + (size_t)count > p->cap) {
        p->cap = (p->n + (size_t)count) * 2;
        p->s = xrealloc(p->s, p->cap * sizeof *p->s);
    }
    memcpy(p->s + p->n, wav, (size_t)count * sizeof *wav);
    p->n += (size_t)count;
    return 0;
}

/* Once per process: the engine and its data (Debian's espeak-ng-data). */
static err_code engine_start(void)
{
    espeak_ng_STATUS st;

    if (engine_ready)
        return ERR_OK;
    espeak_ng_InitializePath(NULL);
    st = espeak_ng_Initialize(NULL);
    if (st == ENS_OK)
        st = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 200, NULL);
    if (st != ENS_OK) {
        char msg[160];
        espeak_ng_GetStatusCodeMessage(st, msg, sizeof msg);
        log_warn("voice: espeak-ng: %s", msg);
        return ERR_UNSUPPORTED;
    }
    espeak_SetSynthCallback(on_samples);
    engine_rate = espeak_ng_GetSampleRate();
    engine_ready = true;
    return ERR_OK;
}

err_code voice_render(const char *lang, const char *text, int volume,
                      int16_t **samples, size_t *n, int *rate)
{
    struct pcm p = { 0 };
    err_code e;

    *samples = NULL;
    *n = 0;
    *rate = 0;
    pthread_mutex_lock(&engine_lock);
    e = engine_start();
    if (e == ERR_OK &&
        espeak_ng_SetVoiceByName(strcmp(lang, "en") == 0 ? "en" : "cmn")
            != ENS_OK)
        e = ERR_UNSUPPORTED;
    if (e == ERR_OK) {
        /* A little slower than the default: the listeners are old. */
        espeak_ng_SetParameter(espeakRATE, 150, 0);
        p.max = (size_t)engine_rate * VOICE_MAX_S;
        if (espeak_ng_Synthesize(text, strlen(text) + 1, 0, POS_CHARACTER,
                                 0, espeakCHARS_UTF8, NULL, &p) != ENS_OK)
            e = ERR_UNSUPPORTED;
        *rate = engine_rate;
    }
    pthread_mutex_unlock(&engine_lock);
    if (e != ERR_OK) {
        free(p.s);
        return e;
    }
    /* Volume in software: the same on every audio device. */
    for (size_t i = 0; i < p.n; i++)
        p.s[i] = (int16_t)((int32_t)p.s[i] * volume / 100);
    *samples = p.s;
    *n = p.n;
    return ERR_OK;
}

static void put_le(unsigned char *b, uint32_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        b[i] = (unsigned char)(v >> (8 * i));
}

err_code voice_write_wav(const char *path, const int16_t *samples, size_t n,
                         int rate)
{
    unsigned char h[44];
    uint32_t data = (uint32_t)(n * 2);
    FILE *f = fopen(path, "wb");

    if (f == NULL)
        return ERR_IO;
    memcpy(h, "RIFF", 4);
    put_le(h + 4, 36 + data, 4);
    memcpy(h + 8, "WAVEfmt ", 8);
    put_le(h + 16, 16, 4);                  /* fmt chunk size */
    put_le(h + 20, 1, 2);                   /* PCM */
    put_le(h + 22, 1, 2);                   /* mono */
    put_le(h + 24, (uint32_t)rate, 4);
    put_le(h + 28, (uint32_t)rate * 2, 4);  /* bytes a second */
    put_le(h + 32, 2, 2);                   /* block align */
    put_le(h + 34, 16, 2);                  /* bits */
    memcpy(h + 36, "data", 4);
    put_le(h + 40, data, 4);
    bool ok = fwrite(h, 1, sizeof h, f) == sizeof h;
    for (size_t i = 0; ok && i < n; i++) {  /* little-endian whatever the CPU */
        unsigned char s[2];
        put_le(s, (uint16_t)samples[i], 2);
        ok = fwrite(s, 1, 2, f) == 2;
    }
    return fclose(f) == 0 && ok ? ERR_OK : ERR_IO;
}

/* ---- the worker ---------------------------------------------------------- */

struct voice {
    /* An SDL thread: SDL frees what it keeps per thread (its error text)
     * when one of its own threads ends, not when a plain pthread does. */
    SDL_Thread       *thread;
    pthread_mutex_t   mu;
    pthread_cond_t    cv;
    char              text[VOICE_TEXT];
    char              last[VOICE_TEXT];
    char              lang[8];
    bool              pending, quit;
    int               volume;
    unsigned          played, failed;
    SDL_AudioDeviceID dev;          /* worker only */
    int               dev_rate;
};

/* The audio device, opened at the engine's rate on first use. */
static bool device_for(struct voice *v, int rate)
{
    SDL_AudioSpec want = { .freq = rate, .format = AUDIO_S16SYS,
                           .channels = 1, .samples = 1024 }, have;

    if (v->dev != 0 && v->dev_rate == rate)
        return true;
    if (v->dev != 0)
        SDL_CloseAudioDevice(v->dev);
    v->dev = 0;
    if (!SDL_WasInit(SDL_INIT_AUDIO) &&
        SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        log_warn("voice: no audio: %s", SDL_GetError());
        return false;
    }
    v->dev = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
    if (v->dev == 0) {
        log_warn("voice: no audio device: %s", SDL_GetError());
        return false;
    }
    v->dev_rate = rate;
    SDL_PauseAudioDevice(v->dev, 0);
    return true;
}

static void speak(struct voice *v, const char *lang, const char *text)
{
    int16_t *s;
    size_t n;
    int rate;
    bool ok = voice_render(lang, text, v->volume, &s, &n, &rate) == ERR_OK &&
              device_for(v, rate);

    if (ok) {
        SDL_ClearQueuedAudio(v->dev);   /* the newest prompt wins */
        ok = SDL_QueueAudio(v->dev, s, (Uint32)(n * sizeof *s)) == 0;
    }
    free(s);
    pthread_mutex_lock(&v->mu);
    if (ok)
        v->played++;
    else
        v->failed++;
    pthread_cond_broadcast(&v->cv);
    pthread_mutex_unlock(&v->mu);
}

static int worker(void *arg)
{
    struct voice *v = arg;
    char text[VOICE_TEXT], lang[8];

    pthread_mutex_lock(&v->mu);
    for (;;) {
        while (!v->pending && !v->quit)
            pthread_cond_wait(&v->cv, &v->mu);
        if (v->quit)
            break;
        memcpy(text, v->text, sizeof text);
        memcpy(lang, v->lang, sizeof lang);
        v->pending = false;
        pthread_mutex_unlock(&v->mu);
        speak(v, lang, text);
        pthread_mutex_lock(&v->mu);
    }
    pthread_mutex_unlock(&v->mu);
    if (v->dev != 0)
        SDL_CloseAudioDevice(v->dev);
    return 0;
}

err_code voice_create(int volume, struct voice **out)
{
    struct voice *v = xcalloc(1, sizeof *v);

    *out = NULL;
    v->volume = volume < 0 ? 0 : volume > 100 ? 100 : volume;
    pthread_mutex_init(&v->mu, NULL);
    pthread_cond_init(&v->cv, NULL);
    v->thread = SDL_CreateThread(worker, "voice", v);
    if (v->thread == NULL) {
        pthread_cond_destroy(&v->cv);
        pthread_mutex_destroy(&v->mu);
        free(v);
        return ERR_IO;
    }
    *out = v;
    return ERR_OK;
}

void voice_destroy(struct voice *v)
{
    if (v == NULL)
        return;
    pthread_mutex_lock(&v->mu);
    v->quit = true;
    pthread_cond_broadcast(&v->cv);
    pthread_mutex_unlock(&v->mu);
    SDL_WaitThread(v->thread, NULL);
    pthread_cond_destroy(&v->cv);
    pthread_mutex_destroy(&v->mu);
    free(v);
}

void voice_say(struct voice *v, const char *lang, const char *text)
{
    if (v == NULL || text == NULL || text[0] == '\0')
        return;
    pthread_mutex_lock(&v->mu);
    str_copy(v->text, sizeof v->text, text);
    str_copy(v->last, sizeof v->last, text);
    str_copy(v->lang, sizeof v->lang, lang);
    v->pending = true;
    pthread_cond_broadcast(&v->cv);
    pthread_mutex_unlock(&v->mu);
}

void voice_counts(struct voice *v, unsigned *played, unsigned *failed)
{
    pthread_mutex_lock(&v->mu);
    *played = v->played;
    *failed = v->failed;
    pthread_mutex_unlock(&v->mu);
}

void voice_last(struct voice *v, char *out, size_t cap)
{
    pthread_mutex_lock(&v->mu);
    str_copy(out, cap, v->last);
    pthread_mutex_unlock(&v->mu);
}
