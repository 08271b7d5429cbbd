/* firmware/visit.c - check-in, check-out and registration rules over the
 * store. Each public function is one transaction; nothing is reported as
 * done before store_commit returned. Must not: draw, or wait on the
 * network. */
#include "firmware/visit.h"
#include "firmware/store_reg.h"

#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "base/xmalloc.h"
#include "firmware/desk.h"

#define STALE_BATCH 64

/* Whole minutes between check-in and `now`. Within one boot the monotonic
 * clock is used, so setting the wall clock mid-visit changes nothing. */
static int visit_minutes(const struct visit *v, const struct stamp *now)
{
    int64_t ms;

    if (v->in_boot_id[0] && strcmp(v->in_boot_id, now->boot_id) == 0)
        ms = now->mono_ms - v->in_mono_ms;
    else
        ms = now->wall_ms - v->in_ms;
    return ms > 0 ? (int)(ms / 60000) : 0;
}

/* Stale: still open on a later local day, or longer than the limit. */
static bool visit_is_stale(const struct visit *v, const struct config *cfg,
                           const struct stamp *now)
{
    int off = cfg->utc_offset_minutes;

    return clock_local_day(now->wall_ms, off) > clock_local_day(v->in_ms, off)
           || visit_minutes(v, now) > cfg->max_visit_minutes;
}

/* Append the check-out event and close the visit, inside a transaction. */
static err_code close_visit(struct store *s, struct visit *v, int minutes,
                            bool auto_closed, const struct stamp *now,
                            uint64_t *seq)
{
    struct event ev = { .kind = EVENT_CHECK_OUT, .at = *now };
    int64_t out_ms;
    err_code e;

    str_copy(ev.member_no, sizeof ev.member_no, v->member_no);
    snprintf(ev.data, sizeof ev.data,
             "{\"in_seq\":%llu,\"minutes\":%d,\"auto_closed\":%s}",
             (unsigned long long)v->in_seq, minutes,
             auto_closed ? "true" : "false");
    e = store_event_append(s, &ev);
    if (e != ERR_OK)
        return e;
    /* A visit closed by rule ends when its credit runs out, not now. */
    out_ms = auto_closed ? v->in_ms + (int64_t)minutes * 60000 : now->wall_ms;
    e = store_visit_close(s, v->id, out_ms, minutes, auto_closed);
    if (e != ERR_OK)
        return e;
    v->out_ms = out_ms;
    v->minutes = minutes;
    v->auto_closed = auto_closed;
    if (seq)
        *seq = ev.seq;
    return ERR_OK;
}

/* Inside a transaction: close this member's open visit if the rule says it
 * is stale. *closed is set to 1 when it did. */
static err_code close_if_stale(struct store *s, const struct config *cfg,
                               const char *member_no, const struct stamp *now,
                               int *closed)
{
    struct visit v;
    err_code e = store_visit_open_for(s, member_no, &v);

    *closed = 0;
    if (e == ERR_NOTFOUND)
        return ERR_OK;
    if (e != ERR_OK || !visit_is_stale(&v, cfg, now))
        return e;
    *closed = 1;
    return close_visit(s, &v, cfg->stale_visit_credit_minutes, true, now,
                       NULL);
}

static err_code member_for(struct store *s, const char *member_no,
                           struct visit_result *out)
{
    err_code e;

    memset(out, 0, sizeof *out);
    e = store_member_get(s, member_no, &out->member);
    if (e != ERR_OK)
        return e;
    return out->member.active ? ERR_OK : ERR_DENIED;
}

static err_code open_visit(struct store *s, const char *member_no,
                           const struct stamp *now, struct visit_result *out)
{
    struct event ev = { .kind = EVENT_CHECK_IN, .at = *now };
    struct visit v = { .in_ms = now->wall_ms, .in_mono_ms = now->mono_ms };
    err_code e;

    str_copy(ev.member_no, sizeof ev.member_no, member_no);
    e = store_event_append(s, &ev);
    if (e != ERR_OK)
        return e;
    str_copy(v.member_no, sizeof v.member_no, member_no);
    str_copy(v.in_boot_id, sizeof v.in_boot_id, now->boot_id);
    v.in_seq = ev.seq;
    e = store_visit_insert(s, &v);
    if (e != ERR_OK)
        return e;
    out->outcome = VISIT_CHECKED_IN;
    out->seq = ev.seq;
    out->visit = v;
    return ERR_OK;
}

/* The shared shape of every call: look the member up, run `step` inside one
 * transaction, commit or roll back. */
typedef err_code (*visit_step)(struct store *, const struct config *,
                               const struct stamp *, struct visit_result *);

static err_code in_transaction(struct store *s, const struct config *cfg,
                               const char *member_no, const struct stamp *now,
                               struct visit_result *out, visit_step step)
{
    err_code e = member_for(s, member_no, out);

    if (e != ERR_OK)
        return e;
    e = store_begin(s);
    if (e != ERR_OK)
        return e;
    e = close_if_stale(s, cfg, member_no, now, &out->stale_closed);
    if (e == ERR_OK)
        e = step(s, cfg, now, out);
    if (e == ERR_OK)
        e = store_commit(s);
    if (e != ERR_OK) {
        store_rollback(s);
        log_error("visit %s: nothing stored: %s", member_no, err_str(e));
    }
    return e;
}

static err_code step_check_in(struct store *s, const struct config *cfg,
                              const struct stamp *now,
                              struct visit_result *out)
{
    err_code e = store_visit_open_for(s, out->member.member_no, &out->visit);

    (void)cfg;
    if (e == ERR_OK) {
        out->outcome = VISIT_ALREADY_IN;
        return ERR_OK;
    }
    if (e != ERR_NOTFOUND)
        return e;
    return open_visit(s, out->member.member_no, now, out);
}

static err_code step_check_out(struct store *s, const struct config *cfg,
                               const struct stamp *now,
                               struct visit_result *out)
{
    err_code e = store_visit_open_for(s, out->member.member_no, &out->visit);

    if (e == ERR_NOTFOUND) {
        /* A visit the rule has just closed is still this check-out's. */
        if (out->stale_closed) {
            out->outcome = VISIT_CHECKED_OUT;
            return store_visit_last(s, out->member.member_no, &out->visit);
        }
        out->outcome = VISIT_NOT_IN;
        return ERR_OK;
    }
    if (e != ERR_OK)
        return e;
    out->outcome = VISIT_CHECKED_OUT;
    e = close_visit(s, &out->visit, visit_minutes(&out->visit, now), false,
                    now, &out->seq);
    /* The duty desk's shift, credited in the same transaction: a crash
     * leaves both or neither (firmware/desk.h). */
    if (e == ERR_OK)
        e = desk_credit_shift(s, cfg, &out->visit, now, &out->duty_seq);
    return e;
}

static bool within(int64_t then_ms, const struct stamp *now, int seconds)
{
    return now->wall_ms >= then_ms &&
           now->wall_ms - then_ms < (int64_t)seconds * 1000;
}

static err_code step_scan(struct store *s, const struct config *cfg,
                          const struct stamp *now, struct visit_result *out)
{
    struct visit last;
    err_code e = store_visit_last(s, out->member.member_no, &last);

    if (e == ERR_NOTFOUND)
        return open_visit(s, out->member.member_no, now, out);
    if (e != ERR_OK)
        return e;
    out->visit = last;
    if (last.out_ms == 0) {
        if (within(last.in_ms, now, cfg->duplicate_scan_seconds)) {
            out->outcome = VISIT_ALREADY_IN;        /* a double read */
            return ERR_OK;
        }
        return step_check_out(s, cfg, now, out);
    }
    if (!last.auto_closed &&
        within(last.out_ms, now, cfg->duplicate_scan_seconds)) {
        out->outcome = VISIT_ALREADY_OUT;
        return ERR_OK;
    }
    return open_visit(s, out->member.member_no, now, out);
}

/* Only what is safe inside a JSON string as it is: ids are [A-Za-z0-9._-]
 * (a card's scope may end in '*'); anything else is left out. */
static const char *plain_id(const char *s)
{
    return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                     "0123456789._-*") == strlen(s) ? s : "";
}

/* 报到 here: the station, the member's work unit and kind as the roster
 * says (双报到, counted by unit on the hub), and for a member of another
 * station their own station. A second one stores nothing and says when
 * the first was. */
static err_code register_member(struct store *s, const struct config *cfg,
                                const struct stamp *now, const char *home,
                                struct visit_result *out)
{
    struct event ev = { .kind = EVENT_REGISTRATION, .at = *now };
    err_code e = store_registered_ms(s, out->member.member_no,
                                     &out->registered_ms);

    if (e == ERR_OK) {
        out->outcome = VISIT_ALREADY_REGISTERED;
        return ERR_OK;
    }
    if (e != ERR_NOTFOUND)
        return e;
    str_copy(ev.member_no, sizeof ev.member_no, out->member.member_no);
    int n = snprintf(ev.data, sizeof ev.data, "{\"station\":\"%.60s\"",
                     plain_id(cfg->station_id));
    if (out->member.work_unit[0])
        n += snprintf(ev.data + n, sizeof ev.data - (size_t)n,
                      ",\"work_unit\":\"%s\"",
                      plain_id(out->member.work_unit));
    if (out->member.reg_kind[0])
        n += snprintf(ev.data + n, sizeof ev.data - (size_t)n,
                      ",\"reg_kind\":\"%s\"",
                      plain_id(out->member.reg_kind));
    if (home)
        n += snprintf(ev.data + n, sizeof ev.data - (size_t)n,
                      ",\"home_station\":\"%.40s\"", plain_id(home));
    snprintf(ev.data + n, sizeof ev.data - (size_t)n, "}");
    e = store_event_append(s, &ev);
    out->outcome = VISIT_REGISTERED;
    out->seq = ev.seq;
    out->registered_ms = now->wall_ms;
    return e;
}

static err_code step_register(struct store *s, const struct config *cfg,
                              const struct stamp *now,
                              struct visit_result *out)
{
    return register_member(s, cfg, now, NULL, out);
}

err_code visit_check_in(struct store *s, const struct config *cfg,
                        const char *member_no, const struct stamp *now,
                        struct visit_result *out)
{
    return in_transaction(s, cfg, member_no, now, out, step_check_in);
}

err_code visit_check_out(struct store *s, const struct config *cfg,
                         const char *member_no, const struct stamp *now,
                         struct visit_result *out)
{
    return in_transaction(s, cfg, member_no, now, out, step_check_out);
}

err_code visit_scan(struct store *s, const struct config *cfg,
                    const char *member_no, const struct stamp *now,
                    struct visit_result *out)
{
    return in_transaction(s, cfg, member_no, now, out, step_scan);
}

err_code visit_register(struct store *s, const struct config *cfg,
                        const char *member_no, const struct stamp *now,
                        struct visit_result *out)
{
    return in_transaction(s, cfg, member_no, now, out, step_register);
}

err_code visit_register_guest(struct store *s, const struct config *cfg,
                              const char *member_no, const char *home_station,
                              const struct stamp *now,
                              struct visit_result *out)
{
    bool allowed = false;
    err_code e = store_hub_setting(s, "cross_station_registration",
                                   &allowed);

    memset(out, 0, sizeof *out);
    if (e != ERR_OK)
        return e;
    if (!allowed)
        return ERR_NOTFOUND;              /* as any member not on the roster */
    str_copy(out->member.member_no, sizeof out->member.member_no, member_no);
    out->member.active = true;
    out->guest = true;
    e = store_begin(s);
    if (e != ERR_OK)
        return e;
    e = register_member(s, cfg, now, home_station, out);
    if (e == ERR_OK)
        e = store_commit(s);
    if (e != ERR_OK) {
        store_rollback(s);
        log_error("register %s: nothing stored: %s", member_no, err_str(e));
    }
    return e;
}

err_code visit_close_stale(struct store *s, const struct config *cfg,
                           const struct stamp *now, int *closed)
{
    struct visit open[STALE_BATCH];
    size_t n;
    err_code e;

    *closed = 0;
    e = store_begin(s);
    if (e != ERR_OK)
        return e;
    /* Every open visit that began before now is a candidate. */
    e = store_visits_open_before(s, now->wall_ms + 1, open, STALE_BATCH, &n);
    for (size_t i = 0; e == ERR_OK && i < n; i++) {
        if (!visit_is_stale(&open[i], cfg, now))
            continue;
        e = close_visit(s, &open[i], cfg->stale_visit_credit_minutes, true,
                        now, NULL);
        if (e == ERR_OK)
            (*closed)++;
    }
    if (e == ERR_OK)
        e = store_commit(s);
    if (e != ERR_OK) {
        store_rollback(s);
        *closed = 0;
    }
    return e;
}
