/* firmware/store_sync.c - what the sync worker and the change feed leave
 * behind, kept as meta rows: the one place that knows their keys. */
#include "firmware/store_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/xmalloc.h"

#define KEY_LAST_SYNC  "last_sync_ms"
#define KEY_HUB_OFFSET "hub_offset_ms"
#define KEY_HUB_TIME   "hub_time_ms"
#define KEY_CURSOR     "changes_cursor"


static err_code meta_set_i64(struct store *s, const char *key, int64_t v)
{
    char buf[32];

    snprintf(buf, sizeof buf, "%" PRId64, v);
    return store_meta_set(s, key, buf);
}

err_code store_sync_state_get(struct store *s, struct store_sync_state *out)
{
    bool found;
    err_code e;

    memset(out, 0, sizeof *out);
    e = store_meta_i64(s, KEY_LAST_SYNC, &out->last_sync_ms, &found);
    if (e == ERR_OK)
        e = store_meta_i64(s, KEY_HUB_OFFSET, &out->hub_offset_ms,
                     &out->hub_offset_known);
    if (e == ERR_OK)
        e = store_meta_i64(s, KEY_HUB_TIME, &out->hub_time_ms, &found);
    if (e == ERR_OK) {
        e = store_meta_get(s, KEY_CURSOR, out->cursor, sizeof out->cursor);
        if (e == ERR_NOTFOUND)
            e = ERR_OK;
    }
    return e;
}

err_code store_set_last_sync(struct store *s, int64_t wall_ms)
{
    return meta_set_i64(s, KEY_LAST_SYNC, wall_ms);
}

err_code store_set_hub_offset(struct store *s, int64_t offset_ms)
{
    return meta_set_i64(s, KEY_HUB_OFFSET, offset_ms);
}

err_code store_set_hub_time(struct store *s, int64_t hub_ms)
{
    return meta_set_i64(s, KEY_HUB_TIME, hub_ms);
}

err_code store_set_cursor(struct store *s, const char *cursor)
{
    return store_meta_set(s, KEY_CURSOR, cursor);
}

/* ---- sequence epochs ------------------------------------------------- */

#define KEY_EPOCH_NOTE "epoch_note"
#define KEY_REFUSED    "hub_refused"

/* The epoch holding seq: the row with the greatest start <= seq. The
 * starts are zero-padded, so their text orders as their numbers. */
static err_code epoch_at(struct store *s, uint64_t seq, char *epoch,
                         size_t cap, uint64_t *start)
{
    char hi[40];
    uint64_t st = 1;
    err_code e;

    snprintf(hi, sizeof hi, "epoch@%020" PRIu64, seq);
    e = store_meta_last_below(s, "epoch@", hi, epoch, cap, &st);
    *start = st;
    if (e == ERR_NOTFOUND) {
        epoch[0] = '\0';               /* before epochs: "" from seq 1 */
        *start = 1;
        return ERR_OK;
    }
    return e;
}

err_code store_epoch_current(struct store *s, char *epoch, size_t cap,
                             uint64_t *start)
{
    return epoch_at(s, UINT64_MAX / 2, epoch, cap, start);
}

err_code store_epoch_of(struct store *s, uint64_t seq, char *epoch,
                        size_t cap)
{
    uint64_t start;

    return epoch_at(s, seq, epoch, cap, &start);
}

static void epoch_new(char out[17])
{
    unsigned char r[8];
    static const char hex[] = "0123456789abcdef";

    if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
        /* No entropy: the clocks still make a clash unlikely. */
        uint64_t t = (uint64_t)clock_wall_ms() ^
                     ((uint64_t)clock_mono_us() << 20);
        memcpy(r, &t, sizeof r);
    }
    for (int i = 0; i < 8; i++) {
        out[2 * i] = hex[r[i] >> 4];
        out[2 * i + 1] = hex[r[i] & 15];
    }
    out[16] = '\0';
}

err_code store_epoch_rotate(struct store *s, const char *why, char *epoch,
                            size_t cap)
{
    char key[40], note[160], id[17];
    uint64_t acked = 0;
    err_code e = store_begin(s);

    epoch_new(id);
    if (e == ERR_OK)
        e = store_acked_seq(s, &acked);
    snprintf(key, sizeof key, "epoch@%020" PRIu64, acked + 1);
    snprintf(note, sizeof note, "%" PRId64 " %s", clock_wall_ms(), why);
    if (e == ERR_OK)
        e = store_meta_set(s, key, id);
    if (e == ERR_OK)
        e = store_meta_set(s, KEY_EPOCH_NOTE, note);
    if (e == ERR_OK)
        e = store_commit(s);
    if (e != ERR_OK) {
        store_rollback(s);
        return e;
    }
    log_info("store: sequence epoch %s from seq %" PRIu64 ": %s", id,
             acked + 1, why);
    if (epoch)
        str_copy(epoch, cap, id);
    return ERR_OK;
}

err_code store_epoch_note(struct store *s, char *why, size_t cap,
                          uint64_t *refused)
{
    int64_t n;
    bool found;
    err_code e = store_meta_get(s, KEY_EPOCH_NOTE, why, cap);

    if (e == ERR_NOTFOUND) {
        why[0] = '\0';
        e = ERR_OK;
    }
    if (e == ERR_OK)
        e = store_meta_i64(s, KEY_REFUSED, &n, &found);
    *refused = e == ERR_OK && n > 0 ? (uint64_t)n : 0;
    return e;
}

err_code store_refused_add(struct store *s, uint64_t n)
{
    int64_t v;
    bool found;
    err_code e = store_meta_i64(s, KEY_REFUSED, &v, &found);

    return e == ERR_OK ? meta_set_i64(s, KEY_REFUSED, v + (int64_t)n) : e;
}
