/* ui/photo.h - the faces the boards show: small PNGs the hub publishes
 * (firmware's photos table), each decoded once into a round texture
 * when a screen first draws it and kept for the frames after. A face
 * with no photo is remembered as such too; both are read again after
 * PHOTO_TTL_MS, so a photo the hub changes shows within that time. */
#ifndef PHOTO_H
#define PHOTO_H

#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "base/err.h"

#define PHOTO_TTL_MS 30000

/* Where the bytes come from: ERR_OK with a PNG in buf, else none. */
typedef err_code (*photo_source)(void *ctx, const char *key, uint8_t *buf,
                                 size_t cap, size_t *len);

struct photos;

struct photos *photos_create(SDL_Renderer *r, photo_source src, void *ctx);
void           photos_destroy(struct photos *p);       /* NULL is a no-op */
/* The round texture of key's photo (its alpha outside the circle 0), or
 * NULL when there is none or it does not decode. */
SDL_Texture   *photos_get(struct photos *p, const char *key);
/* Photos decoded so far (tests: never once per frame). */
int            photos_decoded(const struct photos *p);

#endif
