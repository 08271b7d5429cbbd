/* firmware/store_sync.c - what the sync worker and the change feed leave
 * behind, kept as meta rows: the one place that knows their keys. */
#include "firmware/store.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_LAST_SYNC  "last_sync_ms"
#define KEY_HUB_OFFSET "hub_offset_ms"
#define KEY_HUB_TIME   "hub_time_ms"
#define KEY_CURSOR     "changes_cursor"

/* *found says whether the row exists; a missing row reads as 0. */
static err_code meta_i64(struct store *s, const char *key, int64_t *v,
                         bool *found)
{
    char buf[32];
    err_code e = store_meta_get(s, key, buf, sizeof buf);

    *v = 0;
    *found = e == ERR_OK;
    if (e == ERR_NOTFOUND)
        return ERR_OK;
    if (e == ERR_OK)
        *v = strtoll(buf, NULL, 10);
    return e;
}

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
    e = meta_i64(s, KEY_LAST_SYNC, &out->last_sync_ms, &found);
    if (e == ERR_OK)
        e = meta_i64(s, KEY_HUB_OFFSET, &out->hub_offset_ms,
                     &out->hub_offset_known);
    if (e == ERR_OK)
        e = meta_i64(s, KEY_HUB_TIME, &out->hub_time_ms, &found);
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
