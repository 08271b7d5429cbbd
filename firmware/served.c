/* firmware/served.c - the served resident's answer (firmware/served.h). */
#include "firmware/served.h"

#include <string.h>

#include <cjson/cJSON.h>

#include "base/ledger.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "firmware/store_ledger.h"

static err_code append(struct store *s, cJSON *data, const struct stamp *now)
{
    /* A resident's answer names no member, as a sign-off does. */
    struct event ev = { .kind = EVENT_SERVICE_CONFIRM, .at = *now };
    char *text = cJSON_PrintUnformatted(data);
    cJSON_Delete(data);
    if (!text || str_copy(ev.data, sizeof ev.data, text) != 0) {
        cJSON_free(text);
        return ERR_INVAL;
    }
    cJSON_free(text);
    return store_event_append(s, &ev);
}

static const char *check(struct store *s, const struct served_answer *a,
                         const struct ticket *t, const struct stamp *now,
                         const char *hash, struct awaiting *w, err_code *e)
{
    int fails;
    int64_t local;
    bool answered;
    *e = store_ticket_lock_get(s, t->ticket, &fails, &local);
    if (*e != ERR_OK)
        return NULL;
    if (now->wall_ms < (t->locked_until_ms > local ? t->locked_until_ms
                                                   : local))
        return "ticket locked";
    if (strcmp(hash, t->pin_hash) != 0)
        return "wrong PIN";
    *e = store_awaiting_get(s, a->key, w);
    if (*e == ERR_NOTFOUND) {
        *e = ERR_OK;
        return "not awaiting";
    }
    if (*e == ERR_OK)
        *e = store_answer_has(s, a->key, &answered);
    if (*e != ERR_OK)
        return NULL;
    if (answered || strcmp(w->a.ticket, t->ticket) != 0)
        return "not awaiting";
    return NULL;
}

err_code served_answer(struct store *s, const struct served_answer *a,
                       const struct stamp *now, const char **why)
{
    struct ticket t;
    struct awaiting w;
    char h[LEDGER_PIN_HASH];
    *why = a->confirmed ? NULL : confirm_reason_check(a->reason);
    if (*why)
        return ERR_INVAL;
    err_code e = store_begin(s);
    if (e != ERR_OK)
        return e;
    e = store_ticket_get(s, a->ticket, &t);
    if (e == ERR_OK) {
        ledger_pin_hash(t.ticket, a->pin ? a->pin : "", h);
        *why = check(s, a, &t, now, h, &w, &e);
        if (*why)
            e = ERR_INVAL;
    }
    if (e == ERR_OK) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "ticket", t.ticket);
        cJSON_AddStringToObject(d, "pin_hash", h);
        cJSON_AddStringToObject(d, "log_device", w.a.device);
        cJSON_AddStringToObject(d, "log_epoch", w.a.epoch);
        cJSON_AddNumberToObject(d, "log_seq", (double)w.a.seq);
        cJSON_AddBoolToObject(d, "confirmed", a->confirmed);
        cJSON_AddStringToObject(d, "rating", a->confirmed
                                ? confirm_rating_name(a->rating) : "");
        cJSON_AddStringToObject(d, "reason", a->confirmed ? "" : a->reason);
        e = append(s, d, now);
    }
    if (e == ERR_OK)
        e = store_answer_put(s, a->key, now->wall_ms);
    if (e == ERR_OK)
        e = store_commit(s);
    if (e != ERR_OK) {
        store_rollback(s);
        if (e != ERR_INVAL)
            log_error("service confirmation: nothing stored: %s",
                      err_str(e));
    }
    return e;
}
