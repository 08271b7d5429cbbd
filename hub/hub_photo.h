/* hub/hub_photo.h - `hubctl photo`: faces for the kiosks' boards (post
 * holders, grid and building leaders, stars). A PNG or JPEG comes in, is
 * cropped to its middle square and scaled to a small PNG, and goes to
 * one station's kiosks as a "photo" change; what was published is kept
 * with the boards (the published table) so an unchanged photo is not
 * sent again. Without a photo the kiosks show the person's initial. */
#ifndef HUB_PHOTO_H
#define HUB_PHOTO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/err.h"
#include "hub/hub_db.h"

#define HUB_PHOTO_IN_MAX (2 * 1024 * 1024)  /* bytes of a file taken in */
#define HUB_PHOTO_SIDE   128                /* px of the square sent */

/* The small square PNG made of an image file's bytes (*png malloc'd).
 * ERR_INVAL with a reason in why: not a PNG or JPEG, too big, or it
 * does not decode. */
err_code hub_photo_make(const uint8_t *in, size_t n, uint8_t **png,
                        size_t *len, char *why, size_t why_cap);

/* subject: a member number of the roster or the id of a contact
 * published to the station (or to all). */
err_code hub_photo_set(struct hub_db *db, const char *station,
                       const char *subject, const char *path, FILE *err,
                       size_t *png_len);
err_code hub_photo_rm(struct hub_db *db, const char *station,
                      const char *subject, FILE *err);
/* One line per photo published to the station: its key. */
err_code hub_photo_list(struct hub_db *db, const char *station, FILE *out,
                        FILE *err);

#endif
