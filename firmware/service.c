/* firmware/service.c - logging service done elsewhere. Validates against
 * the fixed category list and bounds, then stores the event and the
 * member's pending log in one transaction. */
#include "firmware/service.h"

#include <string.h>

#include <cJSON.h>

#include "firmware/log.h"
#include "firmware/xmalloc.h"

static const struct service_category categories[] = {
    { "patrol",          "治安巡逻", "Patrol" },
    { "environment",     "环境保护", "Environment" },
    { "mediation",       "邻里调解", "Mediation" },
    { "elderly_care",    "关爱老人", "Elderly care" },
    { "policy_outreach", "政策宣传", "Policy outreach" },
    { "other",           "其他服务", "Other service" },
};

/* Keys into the string tables; the note stored is the key, so a log reads
 * right in either language. */
static const char *const note_presets[] = {
    "note.helped_neighbour", "note.cleaned_area", "note.visited_elderly",
    "note.explained_policy", "note.night_patrol", "note.event_volunteer",
};

const struct service_category *service_categories(size_t *n)
{
    *n = sizeof categories / sizeof categories[0];
    return categories;
}

const struct service_category *service_category_find(const char *key)
{
    for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++)
        if (strcmp(categories[i].key, key) == 0)
            return &categories[i];
    return NULL;
}

const char *const *service_note_presets(size_t *n)
{
    *n = sizeof note_presets / sizeof note_presets[0];
    return note_presets;
}

/* The checks that need no database. */
static enum service_refusal check_request(const struct config *cfg,
                                          const struct service_request *r)
{
    if (service_category_find(r->category ? r->category : "") == NULL)
        return SERVICE_UNKNOWN_CATEGORY;
    if (r->minutes < SERVICE_MIN_MINUTES || r->minutes > SERVICE_MAX_MINUTES)
        return SERVICE_MINUTES_OUT_OF_RANGE;
    if (r->days_ago < 0)
        return SERVICE_DAY_IN_FUTURE;
    if (r->days_ago > cfg->service_backfill_days)
        return SERVICE_DAY_TOO_OLD;
    if (r->note && strlen(r->note) > SERVICE_NOTE_MAX)
        return SERVICE_NOTE_TOO_LONG;
    return SERVICE_OK;
}

static void event_data(const struct service_log *l, int utc_offset,
                       char *out, size_t cap)
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
    text = cJSON_PrintUnformatted(o);
    str_copy(out, cap, text ? text : "{}");
    cJSON_free(text);
    cJSON_Delete(o);
}

static err_code store_log(struct store *s, struct service_log *l,
                          const struct config *cfg, const struct stamp *now)
{
    struct event ev = { .kind = EVENT_SERVICE_LOG, .at = *now };
    err_code e;

    str_copy(ev.member_no, sizeof ev.member_no, l->member_no);
    event_data(l, cfg->utc_offset_minutes, ev.data, sizeof ev.data);
    e = store_begin(s);
    if (e != ERR_OK)
        return e;
    e = store_event_append(s, &ev);
    l->seq = ev.seq;
    if (e == ERR_OK)
        e = store_log_insert(s, l);
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
    struct service_log l = { .status = LOG_PENDING };
    struct member m;
    err_code e;

    *why = check_request(cfg, req);
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
    l.minutes = req->minutes;
    l.day = clock_local_day(now->wall_ms, cfg->utc_offset_minutes) -
            req->days_ago;
    l.backfilled = req->days_ago > 0;
    l.logged_ms = now->wall_ms;
    e = store_log(s, &l, cfg, now);
    if (e == ERR_OK && out)
        *out = l;
    return e;
}
