/* hub/hub_photo.c - photos for the boards: decoded with libpng's simplified
 * API or libjpeg, cut to the middle square, averaged down to
 * HUB_PHOTO_SIDE px (smaller while the PNG is over what a change may
 * carry) and published as a "photo" change to one station. */
#include "hub/hub_photo.h"

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <jpeglib.h>
#include <png.h>

#include "base/card.h"
#include "base/change.h"
#include "base/file.h"
#include "base/xmalloc.h"
#include "hub/hub_db_board.h"
#include "hub/hub_db_roster.h"

#define MAX_SIDE 8192              /* px: larger is not a portrait */

struct rgb {
    uint8_t *px;                   /* w * h * 3 */
    int      w, h;
};

static bool decode_png(const uint8_t *in, size_t n, struct rgb *out)
{
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&im, in, n))
        return false;
    if (im.width == 0 || im.height == 0 || im.width > MAX_SIDE ||
        im.height > MAX_SIDE) {
        png_image_free(&im);
        return false;
    }
    /* Transparent parts come out on white, as on the boards' cards. */
    png_color white = { 255, 255, 255 };
    im.format = PNG_FORMAT_RGB;
    out->w = (int)im.width;
    out->h = (int)im.height;
    out->px = xmalloc(PNG_IMAGE_SIZE(im));
    if (!png_image_finish_read(&im, &white, out->px, 0, NULL)) {
        free(out->px);
        out->px = NULL;
        return false;
    }
    return true;
}

struct jerr {
    struct jpeg_error_mgr mgr;
    jmp_buf               jb;
};

static void jpeg_fail(j_common_ptr c)
{
    longjmp(((struct jerr *)c->err)->jb, 1);
}

/* A warning is of damaged data (a cut file, a bad marker), which libjpeg
 * would draw grey: refused as not decoding. Trace messages are not. */
static void jpeg_warn(j_common_ptr c, int level)
{
    if (level < 0)
        longjmp(((struct jerr *)c->err)->jb, 1);
}

static bool decode_jpeg(const uint8_t *in, size_t n, struct rgb *out)
{
    struct jpeg_decompress_struct d;
    struct jerr je;
    uint8_t *volatile px = NULL;

    d.err = jpeg_std_error(&je.mgr);
    je.mgr.error_exit = jpeg_fail;
    je.mgr.emit_message = jpeg_warn;
    if (setjmp(je.jb)) {
        jpeg_destroy_decompress(&d);
        free(px);
        return false;
    }
    jpeg_create_decompress(&d);
    jpeg_mem_src(&d, in, (unsigned long)n);
    jpeg_read_header(&d, TRUE);
    d.out_color_space = JCS_RGB;
    jpeg_start_decompress(&d);
    if (d.output_width == 0 || d.output_height == 0 ||
        d.output_width > MAX_SIDE || d.output_height > MAX_SIDE ||
        d.output_components != 3)
        jpeg_fail((j_common_ptr)&d);
    px = xmalloc((size_t)d.output_width * d.output_height * 3);
    while (d.output_scanline < d.output_height) {
        JSAMPROW row = px + (size_t)d.output_scanline * d.output_width * 3;
        jpeg_read_scanlines(&d, &row, 1);
    }
    jpeg_finish_decompress(&d);
    out->w = (int)d.output_width;
    out->h = (int)d.output_height;
    out->px = px;
    jpeg_destroy_decompress(&d);
    return true;
}

/* The middle square of src averaged down to side x side: every output
 * pixel the mean of the source pixels under it. */
static void square(const struct rgb *src, int side, uint8_t *dst)
{
    int s = src->w < src->h ? src->w : src->h;
    int x0 = (src->w - s) / 2, y0 = (src->h - s) / 4;  /* faces sit high */
    for (int y = 0; y < side; y++) {
        int ya = y0 + y * s / side, yb = y0 + (y + 1) * s / side;
        if (yb <= ya)
            yb = ya + 1;
        for (int x = 0; x < side; x++) {
            int xa = x0 + x * s / side, xb = x0 + (x + 1) * s / side;
            if (xb <= xa)
                xb = xa + 1;
            unsigned long sum[3] = { 0, 0, 0 }, cnt = 0;
            for (int yy = ya; yy < yb; yy++)
                for (int xx = xa; xx < xb; xx++) {
                    const uint8_t *p = src->px + ((size_t)yy * src->w + xx) * 3;
                    sum[0] += p[0];
                    sum[1] += p[1];
                    sum[2] += p[2];
                    cnt++;
                }
            for (int c = 0; c < 3; c++)
                dst[((size_t)y * side + x) * 3 + c] = (uint8_t)(sum[c] / cnt);
        }
    }
}

static bool encode_png(const uint8_t *px, int side, uint8_t **png,
                       size_t *len)
{
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    im.width = (png_uint_32)side;
    im.height = (png_uint_32)side;
    im.format = PNG_FORMAT_RGB;
    png_alloc_size_t n = 0;
    if (!png_image_write_to_memory(&im, NULL, &n, 0, px, 0, NULL))
        return false;
    *png = xmalloc(n);
    if (!png_image_write_to_memory(&im, *png, &n, 0, px, 0, NULL)) {
        free(*png);
        *png = NULL;
        return false;
    }
    *len = n;
    return true;
}

err_code hub_photo_make(const uint8_t *in, size_t n, uint8_t **png,
                        size_t *len, char *why, size_t why_cap)
{
    static const uint8_t png_sig[4] = { 0x89, 'P', 'N', 'G' };
    static const uint8_t jpeg_sig[3] = { 0xff, 0xd8, 0xff };
    struct rgb src = { 0 };
    bool ok;

    *png = NULL;
    *len = 0;
    if (n > HUB_PHOTO_IN_MAX) {
        snprintf(why, why_cap, "%zu bytes: a photo may have at most %d",
                 n, HUB_PHOTO_IN_MAX);
        return ERR_INVAL;
    }
    if (n >= sizeof png_sig && memcmp(in, png_sig, sizeof png_sig) == 0)
        ok = decode_png(in, n, &src);
    else if (n >= sizeof jpeg_sig && memcmp(in, jpeg_sig, 3) == 0)
        ok = decode_jpeg(in, n, &src);
    else {
        snprintf(why, why_cap, "not a PNG or JPEG image");
        return ERR_INVAL;
    }
    if (!ok) {
        snprintf(why, why_cap, "the image does not decode (damaged, or "
                 "over %d px a side)", MAX_SIDE);
        return ERR_INVAL;
    }
    /* A busy photo may not fit a change at full size: smaller then. */
    uint8_t *px = xmalloc((size_t)HUB_PHOTO_SIDE * HUB_PHOTO_SIDE * 3);
    err_code e = ERR_INVAL;
    snprintf(why, why_cap, "the photo does not compress to %d bytes",
             CHANGE_PHOTO_MAX);
    for (int side = HUB_PHOTO_SIDE; side >= 64 && e != ERR_OK; side -= 32) {
        square(&src, side, px);
        if (!encode_png(px, side, png, len)) {
            snprintf(why, why_cap, "PNG encoding failed");
            break;
        }
        if (*len <= CHANGE_PHOTO_MAX)
            e = ERR_OK;
        else {
            free(*png);
            *png = NULL;
            *len = 0;
        }
    }
    free(px);
    free(src.px);
    return e;
}

static bool published_has(struct hub_db *db, const char *scope,
                          const char *type, const char *key)
{
    char **keys = NULL;
    size_t n = 0;
    bool has = false;
    if (hub_db_published_keys(db, scope, type, &keys, &n) == ERR_OK)
        for (size_t i = 0; i < n && !has; i++)
            has = strcmp(keys[i], key) == 0;
    hub_db_keys_free(keys, n);
    return has;
}

/* The change key of subject: a member of the roster, else a contact
 * published to the station or to all. */
static err_code subject_key(struct hub_db *db, const char *station,
                            const char *subject, char *key, size_t cap,
                            FILE *err)
{
    struct hub_member m;
    if (!hub_db_station_exists(db, station)) {
        fprintf(err, "unknown station %s\n", station);
        return ERR_NOTFOUND;
    }
    if (strlen(subject) + 8 > CHANGE_KEY_MAX) {
        fprintf(err, "%s: too long for a member number or contact id\n",
                subject);
        return ERR_INVAL;
    }
    if (hub_db_member_get(db, subject, &m) == ERR_OK)
        snprintf(key, cap, "member/%s", subject);
    else if (published_has(db, station, "contact", subject) ||
             published_has(db, "*", "contact", subject))
        snprintf(key, cap, "contact/%s", subject);
    else {
        fprintf(err, "%s: no such member in the roster, nor a contact "
                "published to %s\n", subject, station);
        return ERR_NOTFOUND;
    }
    return ERR_OK;
}

/* Replace (data) or remove (NULL) one photo and tell the kiosks. */
static err_code photo_write(struct hub_db *db, const char *station,
                            const char *key, const char *data)
{
    err_code e = hub_db_begin(db);
    if (e != ERR_OK)
        return e;
    e = hub_db_published_del(db, station, "photo", key);
    if (e == ERR_OK && data)
        e = hub_db_published_put(db, station, "photo", key, data);
    if (e == ERR_OK)
        e = hub_db_change_add(db, station, NULL, "photo", key, data);
    if (e == ERR_OK)
        return hub_db_commit(db);
    hub_db_rollback(db);
    return e;
}

err_code hub_photo_set(struct hub_db *db, const char *station,
                       const char *subject, const char *path, FILE *err,
                       size_t *png_len)
{
    char key[CHANGE_KEY_MAX + 1], why[128];
    char *in = NULL;
    size_t n = 0;
    uint8_t *png = NULL;
    err_code e = subject_key(db, station, subject, key, sizeof key, err);

    *png_len = 0;
    if (e != ERR_OK)
        return e;
    e = file_read_capped(path, HUB_PHOTO_IN_MAX, &in, &n);
    if (e == ERR_INVAL) {
        fprintf(err, "%s: over %d bytes: not taken as a photo\n", path,
                HUB_PHOTO_IN_MAX);
        return e;
    }
    if (e != ERR_OK) {
        fprintf(err, "%s: cannot read\n", path);
        return e;
    }
    e = hub_photo_make((const uint8_t *)in, n, &png, png_len, why,
                       sizeof why);
    free(in);
    if (e != ERR_OK) {
        fprintf(err, "%s: %s\n", path, why);
        return e;
    }
    char *b64 = xmalloc(*png_len / 3 * 4 + 8);
    card_b64url_encode(png, *png_len, b64, *png_len / 3 * 4 + 8);
    free(png);
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "png", b64);
    free(b64);
    char *data = cJSON_PrintUnformatted(d);
    cJSON_Delete(d);
    if (hub_db_published_same(db, station, "photo", key, data))
        e = ERR_OK;                 /* the kiosks have it already */
    else
        e = photo_write(db, station, key, data);
    free(data);
    return e;
}

err_code hub_photo_rm(struct hub_db *db, const char *station,
                      const char *subject, FILE *err)
{
    char key[CHANGE_KEY_MAX + 1];
    if (!hub_db_station_exists(db, station)) {
        fprintf(err, "unknown station %s\n", station);
        return ERR_NOTFOUND;
    }
    /* By the photos published, not the roster or contacts: one of a
     * member since removed, or of a contact no longer published, can
     * still be taken down. */
    snprintf(key, sizeof key, "member/%.*s", CHANGE_KEY_MAX - 8, subject);
    if (!published_has(db, station, "photo", key))
        snprintf(key, sizeof key, "contact/%.*s", CHANGE_KEY_MAX - 8,
                 subject);
    if (!published_has(db, station, "photo", key)) {
        fprintf(err, "%s has no photo at %s\n", subject, station);
        return ERR_NOTFOUND;
    }
    return photo_write(db, station, key, NULL);
}

err_code hub_photo_list(struct hub_db *db, const char *station, FILE *out,
                        FILE *err)
{
    char **keys = NULL;
    size_t n = 0;
    if (!hub_db_station_exists(db, station)) {
        fprintf(err, "unknown station %s\n", station);
        return ERR_NOTFOUND;
    }
    err_code e = hub_db_published_keys(db, station, "photo", &keys, &n);
    for (size_t i = 0; i < n && e == ERR_OK; i++)
        fprintf(out, "%s\n", keys[i]);
    hub_db_keys_free(keys, n);
    return e;
}
