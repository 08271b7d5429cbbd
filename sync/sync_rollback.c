/* sync/sync_rollback.c - rollback records to events, exactly once. */
#include "sync/sync_rollback.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/log.h"
#include "firmware/update.h"
#include "base/xmalloc.h"

#define LOG_CAP (32 * 1024)     /* the launcher caps the log at 16 KiB */

static uint64_t fnv1a(const char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* How many bytes at the start of the log were reported before. */
static size_t already(struct store *s, const char *buf, size_t len)
{
    char v[64];
    unsigned long long bytes = 0;
    uint64_t hash = 0;
    if (store_meta_get(s, SYNC_ROLLBACK_META, v, sizeof v) != ERR_OK ||
        sscanf(v, "%llu %" SCNx64, &bytes, &hash) != 2 || bytes > len)
        return 0;
    return fnv1a(buf, (size_t)bytes) == hash ? (size_t)bytes : 0;
}

/* One line "<ms> <from> <to> <reason...>" as an event. */
static err_code append_line(struct store *s, const char *line, size_t n)
{
    char copy[512], from[32] = "", to[32] = "";
    long long at = 0;
    int used = 0;
    if (n >= sizeof copy)
        n = sizeof copy - 1;
    memcpy(copy, line, n);
    copy[n] = '\0';
    sscanf(copy, "%lld %31s %31s %n", &at, from, to, &used);
    struct event ev = { .kind = EVENT_ROLLBACK };
    clock_now(&ev.at);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "from", from);
    cJSON_AddStringToObject(o, "to", to);
    cJSON_AddStringToObject(o, "reason", used > 0 ? copy + used : "");
    cJSON_AddNumberToObject(o, "at_ms", (double)at);
    if (!cJSON_PrintPreallocated(o, ev.data, sizeof ev.data, 0))
        str_copy(ev.data, sizeof ev.data, "{}");
    cJSON_Delete(o);
    return store_event_append(s, &ev);
}

/* Events for the whole lines of buf[skip..len) and the new meta value,
 * in one transaction. */
static err_code store_records(struct store *s, const char *buf, size_t skip,
                              size_t len, size_t *count)
{
    char meta[64];
    err_code e = store_begin(s);
    if (e != ERR_OK)
        return e;
    for (size_t i = skip; e == ERR_OK && i < len;) {
        const char *nl = memchr(buf + i, '\n', len - i);
        size_t n = (size_t)(nl - (buf + i));
        if (n > 0) {
            e = append_line(s, buf + i, n);
            (*count)++;
        }
        i += n + 1;
    }
    snprintf(meta, sizeof meta, "%zu %" PRIx64, len, fnv1a(buf, len));
    if (e == ERR_OK)
        e = store_meta_set(s, SYNC_ROLLBACK_META, meta);
    if (e == ERR_OK)
        return store_commit(s);
    store_rollback(s);
    *count = 0;
    return e;
}

err_code sync_rollbacks_report(struct store *s, const char *root,
                               size_t *reported)
{
    size_t lines = 0, count = 0;
    if (reported)
        *reported = 0;
    if (!root || !root[0])
        return ERR_OK;
    char *buf = xmalloc(LOG_CAP);
    err_code e = update_rollbacks_read(root, buf, LOG_CAP, &lines);
    if (e == ERR_NOTFOUND) {
        free(buf);
        return ERR_OK;
    }
    /* Only whole lines: a record being written now waits for next time. */
    const char *last = e == ERR_OK ? strrchr(buf, '\n') : NULL;
    size_t len = last ? (size_t)(last - buf) + 1 : 0;
    if (e == ERR_OK && len > 0)
        e = store_records(s, buf, already(s, buf, len), len, &count);
    /* Clear only when everything in the file is now in the store. */
    if (e == ERR_OK && len == strlen(buf))
        e = update_rollbacks_clear(root);
    free(buf);
    if (count)
        log_warn("kiosk: %zu update rollback(s) queued for the hub", count);
    if (reported)
        *reported = count;
    return e;
}
