/* firmware/desk.c - the duty desk's rules over the store (desk.h). */
#include "firmware/desk.h"

#include <string.h>

#include <cjson/cJSON.h>

#include "base/log.h"
#include "base/service_rules.h"
#include "base/xmalloc.h"
#include "firmware/service.h"

static const char *const outcome_names[] = { "done", "passed_on", "cannot" };

const char *desk_outcome_name(enum desk_outcome o)
{
    return (unsigned)o < 3 ? outcome_names[o] : NULL;
}

/* The shifts of day for member_no: how many. */
static err_code shifts_on(struct store *s, const char *member_no,
                          int64_t day, size_t *n)
{
    struct duty_shift sh[8];
    return store_shifts(s, day, day + 1, member_no, sh, 8, n);
}

/* An open visit the stale rule would not close at now. */
static err_code checked_in(struct store *s, const struct config *cfg,
                           const char *member_no, const struct stamp *now,
                           bool *yes)
{
    struct visit v;
    int off = cfg->utc_offset_minutes;
    err_code e = store_visit_open_for(s, member_no, &v);
    *yes = false;
    if (e == ERR_NOTFOUND)
        return ERR_OK;
    if (e != ERR_OK)
        return e;
    /* Checked in yesterday and never out is no check-in for today. */
    *yes = clock_local_day(v.in_ms, off) == clock_local_day(now->wall_ms, off)
           && (now->wall_ms - v.in_ms) / 60000 <= cfg->max_visit_minutes;
    return ERR_OK;
}

err_code desk_open(struct store *s, const struct config *cfg,
                   const char *member_no, const struct stamp *now,
                   enum desk_refusal *why, struct member *m)
{
    struct member tmp;
    size_t n = 0;
    bool in = false;
    m = m ? m : &tmp;
    *why = DESK_OK;
    err_code e = store_member_get(s, member_no, m);
    if (e == ERR_NOTFOUND)
        *why = DESK_UNKNOWN_MEMBER;
    else if (e != ERR_OK)
        return e;
    else if (!m->active)
        *why = DESK_INACTIVE_MEMBER;
    if (*why != DESK_OK)
        return ERR_DENIED;
    e = shifts_on(s, member_no,
                  clock_local_day(now->wall_ms, cfg->utc_offset_minutes), &n);
    if (e != ERR_OK)
        return e;
    if (n == 0) {
        *why = DESK_NOT_ON_DUTY;
        return ERR_DENIED;
    }
    e = checked_in(s, cfg, member_no, now, &in);
    if (e != ERR_OK)
        return e;
    if (!in) {
        *why = DESK_NOT_CHECKED_IN;
        return ERR_DENIED;
    }
    return ERR_OK;
}

/* The checks that need no database. */
static const char *visitor_check(const struct desk_visitor *v)
{
    const char *bad;
    struct visitor_row r;
    if (!desk_outcome_name(v->outcome))
        return "unknown outcome";
    if (!v->type || !v->type[0])
        return "unknown type";
    if ((bad = ledger_text_check(v->text ? v->text : "", LEDGER_TEXT_CHARS,
                                 true)))
        return bad;
    if (!v->building || !v->unit || strlen(v->building) >= sizeof r.building
        || strlen(v->unit) >= sizeof r.unit)
        return "malformed place";
    if (v->outcome == DESK_CANNOT &&
        (bad = ledger_text_check(v->reason ? v->reason : "",
                                 LEDGER_REASON_CHARS, true)))
        return strcmp(bad, "description missing") == 0 ? "reason missing"
                                                       : "reason too long";
    return NULL;
}

static err_code append_visitor(struct store *s, const struct config *cfg,
                               const struct visitor_row *r,
                               const struct stamp *now, uint64_t *seq)
{
    struct event ev = { .kind = EVENT_VISITOR, .at = *now };
    char ymd[11];
    cJSON *d = cJSON_CreateObject();
    clock_ymd(now->wall_ms, cfg->utc_offset_minutes, ymd);
    cJSON_AddStringToObject(d, "type", r->type);
    cJSON_AddStringToObject(d, "building", r->building);
    cJSON_AddStringToObject(d, "unit", r->unit);
    cJSON_AddStringToObject(d, "text", r->text);
    cJSON_AddStringToObject(d, "outcome", desk_outcome_name(r->outcome));
    cJSON_AddStringToObject(d, "reason", r->reason);
    cJSON_AddStringToObject(d, "ticket", r->ticket);
    cJSON_AddStringToObject(d, "day", ymd);
    char *text = cJSON_PrintUnformatted(d);
    cJSON_Delete(d);
    /* 140 characters of text in JSON escapes could pass the event's
     * room: refused whole, never cut. */
    int over = !text || str_copy(ev.data, sizeof ev.data, text) != 0;
    cJSON_free(text);
    if (over)
        return ERR_INVAL;
    str_copy(ev.member_no, sizeof ev.member_no, r->member_no);
    err_code e = store_event_append(s, &ev);
    *seq = ev.seq;
    return e;
}

err_code desk_log_visitor(struct store *s, const struct config *cfg,
                          const struct desk_visitor *v,
                          const struct stamp *now,
                          enum desk_refusal *refusal, const char **why,
                          struct desk_logged *out)
{
    struct visitor_row r = { .outcome = v->outcome };
    struct ledger_type ty;
    *why = NULL;
    memset(out, 0, sizeof *out);
    err_code e = desk_open(s, cfg, v->member_no ? v->member_no : "", now,
                           refusal, NULL);
    if (e != ERR_OK)
        return e;
    if ((*why = visitor_check(v)))
        return ERR_INVAL;
    /* The matter is one of the hub's request types, whatever the
     * outcome: the desk log counts matters as the ledger does. */
    e = store_ledger_type_get(s, v->type, &ty);
    if (e == ERR_NOTFOUND || (e == ERR_OK && !ty.for_request))
        return *why = "unknown type", ERR_INVAL;
    if (e != ERR_OK)
        return e;
    str_copy(r.member_no, sizeof r.member_no, v->member_no);
    str_copy(r.type, sizeof r.type, v->type);
    str_copy(r.building, sizeof r.building, v->building);
    str_copy(r.unit, sizeof r.unit, v->unit);
    str_copy(r.text, sizeof r.text, v->text);
    if (v->outcome == DESK_CANNOT)
        str_copy(r.reason, sizeof r.reason, v->reason);
    r.at_ms = now->wall_ms;
    r.day = clock_local_day(now->wall_ms, cfg->utc_offset_minutes);
    e = store_begin(s);
    if (e != ERR_OK)
        return e;
    if (v->outcome == DESK_PASSED_ON) {
        /* Filed first, so the hub meets the ticket before the visitor
         * event that names it (events upload in order). */
        struct ticket_request tr = { .kind = LEDGER_REQUEST,
            .type = v->type, .building = v->building, .unit = v->unit,
            .text = v->text, .phone = "" };
        e = ticket_file_within(s, cfg, &tr, now, why, &out->filed);
        if (e == ERR_OK)
            str_copy(r.ticket, sizeof r.ticket, out->filed.ticket);
    }
    if (e == ERR_OK)
        e = append_visitor(s, cfg, &r, now, &r.seq);
    if (e == ERR_INVAL && !*why)
        *why = "description too long";
    if (e == ERR_OK)
        e = store_visitor_put(s, &r);
    if (e == ERR_OK)
        e = store_commit(s);
    if (e != ERR_OK) {
        store_rollback(s);
        memset(&out->filed, 0, sizeof out->filed);
        if (e != ERR_INVAL)
            log_error("visitor %s: nothing stored: %s", v->member_no,
                      err_str(e));
        return e;
    }
    out->seq = r.seq;
    return ERR_OK;
}

err_code desk_credit_shift(struct store *s, const struct config *cfg,
                           const struct visit *v, const struct stamp *now,
                           uint64_t *seq)
{
    int64_t day = clock_local_day(v->in_ms, cfg->utc_offset_minutes);
    size_t n = 0;
    bool done = false;
    *seq = 0;
    if (v->auto_closed || v->minutes < SERVICE_MIN_MINUTES)
        return ERR_OK;
    err_code e = shifts_on(s, v->member_no, day, &n);
    if (e == ERR_OK && n > 0)
        e = store_duty_credited(s, v->member_no, day, &done);
    if (e != ERR_OK || n == 0 || done)
        return e;
    struct service_log l = { .status = LOG_PENDING, .day = day,
                             .logged_ms = now->wall_ms };
    str_copy(l.member_no, sizeof l.member_no, v->member_no);
    str_copy(l.category, sizeof l.category, "duty_desk");
    l.minutes = v->minutes > SERVICE_MAX_MINUTES ? SERVICE_MAX_MINUTES
                                                 : v->minutes;
    e = service_log_put(s, cfg, &l, now);
    if (e == ERR_OK)
        e = store_duty_credit_put(s, v->member_no, day, l.seq);
    if (e == ERR_OK)
        *seq = l.seq;
    return e;
}
