/* ui/voice.h - spoken prompts ("签到成功，张伟") for members who cannot read
 * the screen well: Debian's espeak-ng speaks them (Mandarin voice "cmn",
 * English "en") and SDL plays them. voice_say() only hands the text to a
 * worker thread, so the UI never waits for speech; a new prompt replaces
 * one not yet spoken and cuts one still playing. kiosk.voice turns it on,
 * kiosk.voice_volume sets the loudness (docs/config.md). */
#ifndef VOICE_H
#define VOICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define VOICE_TEXT    256           /* bytes of one prompt */
#define VOICE_MAX_S   20            /* longest prompt kept, seconds */

struct voice;

/* Start the worker (the engine and the audio device open on the first
 * prompt, in the worker). volume 0..100. ERR_NOMEM/ERR_IO: no thread. */
err_code voice_create(int volume, struct voice **out);
void     voice_destroy(struct voice *v);          /* NULL is a no-op */

/* Speak text in lang ("zh_CN" or "en") soon; returns at once. NULL v or
 * an empty text: nothing. */
void voice_say(struct voice *v, const char *lang, const char *text);

/* Prompts the worker has handed to the audio device (tests wait on it),
 * and the ones it could not speak (no engine, no audio device). */
void voice_counts(struct voice *v, unsigned *played, unsigned *failed);
/* The last prompt asked for, whether spoken yet or not (tests). */
void voice_last(struct voice *v, char *out, size_t cap);

/* Synthesise text to 16-bit mono samples at *rate Hz, scaled by volume
 * (0..100), in the calling thread: what the worker plays, and what a test
 * writes to a WAV file. *samples is malloc'd. ERR_UNSUPPORTED: the engine
 * or its voice data is missing. */
err_code voice_render(const char *lang, const char *text, int volume,
                      int16_t **samples, size_t *n, int *rate);

/* Write samples as a RIFF WAVE file (PCM, 16 bit, mono). */
err_code voice_write_wav(const char *path, const int16_t *samples, size_t n,
                         int rate);

#endif
