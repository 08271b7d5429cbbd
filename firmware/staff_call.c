/* firmware/staff_call.c - a call for staff as an event, once a minute at
 * most. The last call's boot and monotonic time are kept in the store's
 * meta, so a restart does not forget it and a wall clock step does not
 * confuse it. */
#include "firmware/staff_call.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "base/event.h"
#include "base/log.h"
#include "base/xmalloc.h"

#define LAST_META "staff_call_last"

static bool recent(struct store *s, const struct stamp *at)
{
    char v[96], boot[48];
    int64_t mono;

    if (store_meta_get(s, LAST_META, v, sizeof v) != ERR_OK ||
        sscanf(v, "%47s %" SCNd64, boot, &mono) != 2)
        return false;
    return strcmp(boot, at->boot_id[0] ? at->boot_id : "-") == 0 &&
           at->mono_ms >= mono &&
           at->mono_ms - mono < STAFF_CALL_REPEAT_MS;
}

err_code staff_call(struct store *s, const struct stamp *at,
                    const char *where, bool *stored)
{
    struct event ev = { .kind = EVENT_CALL_STAFF, .at = *at };
    char meta[96];
    cJSON *o;
    err_code e;

    *stored = false;
    if (recent(s, at))
        return ERR_OK;
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "screen", where);
    if (!cJSON_PrintPreallocated(o, ev.data, sizeof ev.data, 0))
        str_copy(ev.data, sizeof ev.data, "{}");
    cJSON_Delete(o);
    snprintf(meta, sizeof meta, "%s %" PRId64,
             at->boot_id[0] ? at->boot_id : "-", at->mono_ms);
    e = store_begin(s);
    if (e != ERR_OK)
        return e;
    e = store_event_append(s, &ev);
    if (e == ERR_OK)
        e = store_meta_set(s, LAST_META, meta);
    if (e == ERR_OK)
        e = store_commit(s);
    if (e != ERR_OK) {
        store_rollback(s);
        log_error("call for staff: nothing stored: %s", err_str(e));
        return e;
    }
    log_info("call for staff from %s: event %" PRIu64, where, ev.seq);
    *stored = true;
    return ERR_OK;
}
