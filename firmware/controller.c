/* firmware/controller.c - a scanned line or a member number to what
 * happens: credential (firmware/credential.c), then the visit or the
 * registration (firmware/visit.c), folded into one outcome. Writes only
 * through visit.c, one transaction per call. */
#include "firmware/controller.h"

#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "firmware/store_reg.h"
#include "firmware/visit.h"

struct controller {
    const struct config       *cfg;
    struct store              *store;
    struct credential_checker *cards;
};

static const char *const kind_names[] = {
    [CONTROLLER_CHECKED_IN] = "checked in",
    [CONTROLLER_CHECKED_OUT] = "checked out",
    [CONTROLLER_ALREADY_IN] = "already checked in",
    [CONTROLLER_NOT_IN] = "not checked in",
    [CONTROLLER_ALREADY_OUT] = "already checked out",
    [CONTROLLER_REGISTERED] = "registered",
    [CONTROLLER_ALREADY_REGISTERED] = "already registered",
    [CONTROLLER_MEMBER] = "member",
    [CONTROLLER_TECHNICIAN] = "technician",
    [CONTROLLER_UNKNOWN_MEMBER] = "unknown member",
    [CONTROLLER_INACTIVE] = "inactive",
    [CONTROLLER_REFUSED] = "refused",
    [CONTROLLER_FAILED] = "failed",
};

const char *controller_kind_name(enum controller_kind k)
{
    if ((size_t)k >= sizeof kind_names / sizeof kind_names[0])
        return "?";
    return kind_names[k];
}

err_code controller_create(const struct config *cfg, struct store *s,
                           struct controller **out)
{
    struct controller *c = xcalloc(1, sizeof *c);

    c->cfg = cfg;
    c->store = s;
    credential_checker_create(cfg, s, &c->cards);
    *out = c;
    return ERR_OK;
}

void controller_destroy(struct controller *c)
{
    if (c == NULL)
        return;
    credential_checker_destroy(c->cards);
    free(c);
}

static enum controller_kind kind_of(enum visit_outcome o)
{
    switch (o) {
    case VISIT_CHECKED_IN:         return CONTROLLER_CHECKED_IN;
    case VISIT_CHECKED_OUT:        return CONTROLLER_CHECKED_OUT;
    case VISIT_ALREADY_IN:         return CONTROLLER_ALREADY_IN;
    case VISIT_NOT_IN:             return CONTROLLER_NOT_IN;
    case VISIT_ALREADY_OUT:        return CONTROLLER_ALREADY_OUT;
    case VISIT_REGISTERED:         return CONTROLLER_REGISTERED;
    case VISIT_ALREADY_REGISTERED: return CONTROLLER_ALREADY_REGISTERED;
    }
    return CONTROLLER_FAILED;
}

static err_code failed(struct controller_outcome *out, err_code e)
{
    out->kind = CONTROLLER_FAILED;
    out->err = e;
    return e;
}

static err_code visit(struct controller *c, const struct stamp *now,
                      const char *no, enum controller_action act,
                      struct visit_result *r)
{
    switch (act) {
    case CONTROLLER_CHECK_IN:  return visit_check_in(c->store, c->cfg, no,
                                                     now, r);
    case CONTROLLER_CHECK_OUT: return visit_check_out(c->store, c->cfg, no,
                                                      now, r);
    case CONTROLLER_REGISTER:  return visit_register(c->store, c->cfg, no,
                                                     now, r);
    case CONTROLLER_TOGGLE:
    case CONTROLLER_IDENTIFY:  break;
    }
    return visit_scan(c->store, c->cfg, no, now, r);
}

/* The member's part, on an outcome whose credential is already filled. */
static err_code act_on(struct controller *c, const struct stamp *now,
                       const char *no, enum controller_action act,
                       struct controller_outcome *out)
{
    struct visit_result r;
    err_code e;

    str_copy(out->member_no, sizeof out->member_no, no);
    if (act == CONTROLLER_IDENTIFY) {
        /* Who it is, from the roster: an unknown or inactive member is
         * said at once, before a screen asks them anything more. */
        struct member m;
        e = store_member_get(c->store, no, &m);
        if (e == ERR_NOTFOUND) {
            out->kind = CONTROLLER_UNKNOWN_MEMBER;
            return ERR_OK;
        }
        if (e != ERR_OK)
            return failed(out, e);
        str_copy(out->name, sizeof out->name, m.name);
        out->kind = m.active ? CONTROLLER_MEMBER : CONTROLLER_INACTIVE;
        return ERR_OK;
    }
    memset(&r, 0, sizeof r);
    e = visit(c, now, no, act, &r);
    /* Not on this roster, with a signed card: a member of another
     * station, who may register here if the hub allows it. */
    if (e == ERR_NOTFOUND && act == CONTROLLER_REGISTER &&
        out->cred.card_id[0])
        e = visit_register_guest(c->store, c->cfg, no,
                                 out->cred.other_station
                                     ? out->cred.home_station : NULL,
                                 now, &r);
    if (e == ERR_NOTFOUND) {
        out->kind = CONTROLLER_UNKNOWN_MEMBER;
        return ERR_OK;
    }
    if (e == ERR_DENIED) {
        out->kind = CONTROLLER_INACTIVE;
        str_copy(out->name, sizeof out->name, r.member.name);
        return ERR_OK;
    }
    if (e != ERR_OK)
        return failed(out, e);
    out->kind = kind_of(r.outcome);
    str_copy(out->member_no, sizeof out->member_no, r.member.member_no);
    str_copy(out->name, sizeof out->name, r.member.name);
    out->minutes = r.visit.minutes;
    out->in_ms = r.visit.in_ms;
    out->out_ms = r.visit.out_ms;
    out->auto_closed = r.visit.auto_closed;
    out->seq = r.seq;
    out->registered_ms = r.registered_ms;
    out->guest = r.guest;
    str_copy(out->reg_kind, sizeof out->reg_kind, r.member.reg_kind);
    if (r.member.work_unit[0]) {
        struct work_unit u;
        /* The unit's name as the hub published it; its code otherwise. */
        if (store_work_unit_get(c->store, r.member.work_unit, &u) == ERR_OK)
            str_copy(out->work_unit, sizeof out->work_unit, u.name);
        else
            str_copy(out->work_unit, sizeof out->work_unit,
                     r.member.work_unit);
    }
    return ERR_OK;
}

/* A checked credential: a slip registers, a technician card opens
 * technician mode, a member's card or number gets the action asked. */
static err_code read_line(struct controller *c, const struct stamp *now,
                          const char *line, unsigned accept,
                          enum controller_action act,
                          struct controller_outcome *out)
{
    err_code e;

    bool across = false;
    memset(out, 0, sizeof *out);
    e = store_hub_setting(c->store, "cross_station_registration", &across);
    if (e != ERR_OK)
        return failed(out, e);
    if (across && (act == CONTROLLER_REGISTER ||
                   (accept & CRED_ACCEPT_REGISTRATION)))
        accept |= CRED_ACCEPT_OTHER_STATION;
    e = credential_check(c->cards, now, accept, line, &out->cred, &out->why);
    if (e == ERR_INVAL || e == ERR_DENIED) {
        out->kind = CONTROLLER_REFUSED;
        return ERR_OK;
    }
    if (e != ERR_OK)
        return failed(out, e);
    if (out->cred.kind == CRED_TECHNICIAN) {
        out->kind = CONTROLLER_TECHNICIAN;
        return ERR_OK;
    }
    if (out->cred.kind == CRED_REGISTRATION)
        act = CONTROLLER_REGISTER;
    if (out->cred.other_station && act != CONTROLLER_REGISTER) {
        /* Let through for 报到 only: anything else is this station's. */
        out->why = CRED_OTHER_STATION;
        out->kind = CONTROLLER_REFUSED;
        return ERR_OK;
    }
    return act_on(c, now, out->cred.id, act, out);
}

err_code controller_scan(struct controller *c, const struct stamp *now,
                         const char *line, enum controller_action act,
                         struct controller_outcome *out)
{
    return read_line(c, now, line, CRED_ACCEPT_ANY, act, out);
}

err_code controller_typed(struct controller *c, const struct stamp *now,
                          const char *line, enum controller_action act,
                          struct controller_outcome *out)
{
    return read_line(c, now, line, CRED_ACCEPT_MEMBER, act, out);
}

err_code controller_member(struct controller *c, const struct stamp *now,
                           const char *member_no, enum controller_action act,
                           struct controller_outcome *out)
{
    memset(out, 0, sizeof *out);
    return act_on(c, now, member_no, act, out);
}
