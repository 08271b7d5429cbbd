/* firmware/service.c - logging service done elsewhere. Validates against
 * the fixed category list and bounds, then stores the event and the
 * member's pending log in one transaction. */
#include "firmware/service.h"

#include <string.h>

#include <cjson/cJSON.h>

#include "base/log.h"
#include "base/service_confirm.h"
#include "base/xmalloc.h"

/* The checks that need no database. */
static enum service_refusal check_request(const struct config *cfg,
                                          const struct service_request *r,
                                          int64_t today)
{
    const struct service_category *c =
        service_category_find(r->category ? r->category : "");
    if (r->days_ago < 0)
        return SERVICE_DAY_IN_FUTURE;
    /* A category credited by rule (the duty desk's shift) is never
     * typed in by the member it credits. */
    if (c && c->by_rule)
        return SERVICE_UNKNOWN_CATEGORY;
    if (served_check(r->served_place, r->served_ticket))
        return SERVICE_SERVED_MALFORMED;
    return service_rules_check(r->category ? r->category : "", r->minutes,
                               today - r->days_ago, today,
                               cfg->service_backfill_days, r->note);
}

static void event_data(const struct service_log *l, const char *post,
                       int utc_offset, char *out, size_t cap)
{
    cJSON *o = cJSON_CreateObject();
    char ymd[11];
    char *text;

    clock_ymd(l->day * 86400000 - (int64_t)utc_offset * 60000, utc_offset,
              ymd);
    cJSON_AddStringToObject(o, "category", l->category);
    cJSON_AddNumberToObject(o, "minutes", l->minutes);
    cJSON_AddStringToObject(o, "day", ymd);
    cJSON_AddBoolToObject(o, "backfilled", l->backfilled);
    cJSON_AddStringToObject(o, "note", l->note);
    /* Only when named: an older hub's rules see the log they know. */
    if (l->served_place[0])
        cJSON_AddStringToObject(o, "served_place", l->served_place);
    if (l->served_ticket[0])
        cJSON_AddStringToObject(o, "served_ticket", l->served_ticket);
    if (post && *post)
        cJSON_AddStringToObject(o, "post", post);
    text = cJSON_PrintUnformatted(o);
    str_copy(out, cap, text ? text : "{}");
    cJSON_free(text);
    cJSON_Delete(o);
}

/* The log's event and row, in the caller's transaction; post: the post
 * it was done on (NULL: none). */
static err_code put_on_post(struct store *s, const struct config *cfg,
                            struct service_log *l, const char *post,
                            const struct stamp *now)
{
    struct event ev = { .kind = EVENT_SERVICE_LOG, .at = *now };
    err_code e;

    str_copy(ev.member_no, sizeof ev.member_no, l->member_no);
    event_data(l, post, cfg->utc_offset_minutes, ev.data, sizeof ev.data);
    e = store_event_append(s, &ev);
    l->seq = ev.seq;
    if (e == ERR_OK)
        e = store_log_insert(s, l);
    return e;
}

err_code service_log_put(struct store *s, const struct config *cfg,
                         struct service_log *l, const struct stamp *now)
{
    return put_on_post(s, cfg, l, NULL, now);
}

static err_code store_log(struct store *s, struct service_log *l,
                          const char *post, const struct config *cfg,
                          const struct stamp *now)
{
    err_code e = store_begin(s);

    if (e != ERR_OK)
        return e;
    e = put_on_post(s, cfg, l, post, now);
    if (e == ERR_OK)
        e = store_commit(s);
    if (e != ERR_OK) {
        store_rollback(s);
        log_error("service log %s: nothing stored: %s", l->member_no,
                  err_str(e));
    }
    return e;
}

err_code service_log(struct store *s, const struct config *cfg,
                     const struct service_request *req,
                     const struct stamp *now, enum service_refusal *why,
                     struct service_log *out)
{
    return service_log_on_post(s, cfg, req, NULL, now, why, out);
}

err_code service_log_on_post(struct store *s, const struct config *cfg,
                             const struct service_request *req,
                             const char *post, const struct stamp *now,
                             enum service_refusal *why,
                             struct service_log *out)
{
    struct service_log l = { .status = LOG_PENDING };
    struct member m;
    err_code e;

    *why = check_request(cfg, req, clock_local_day(now->wall_ms,
                                                   cfg->utc_offset_minutes));
    if (*why != SERVICE_OK)
        return ERR_INVAL;
    e = store_member_get(s, req->member_no, &m);
    if (e == ERR_NOTFOUND)
        *why = SERVICE_UNKNOWN_MEMBER;
    else if (e == ERR_OK && !m.active)
        *why = SERVICE_INACTIVE_MEMBER;
    if (*why != SERVICE_OK)
        return ERR_INVAL;
    if (e != ERR_OK)
        return e;
    str_copy(l.member_no, sizeof l.member_no, req->member_no);
    str_copy(l.category, sizeof l.category, req->category);
    str_copy(l.note, sizeof l.note, req->note ? req->note : "");
    str_copy(l.served_place, sizeof l.served_place,
             req->served_place ? req->served_place : "");
    str_copy(l.served_ticket, sizeof l.served_ticket,
             req->served_ticket ? req->served_ticket : "");
    l.minutes = req->minutes;
    l.day = clock_local_day(now->wall_ms, cfg->utc_offset_minutes) -
            req->days_ago;
    l.backfilled = req->days_ago > 0;
    l.logged_ms = now->wall_ms;
    e = store_log(s, &l, post, cfg, now);
    if (e == ERR_OK && out)
        *out = l;
    return e;
}
