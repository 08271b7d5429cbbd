/* firmware/desk.h - the duty desk (来访登记): the member holding today's
 * shift, checked in, logs each visitor: the matter (a ledger request
 * type), the building and unit, a short description, and the outcome:
 * 当场办结 (done), 转办 (passed on: a request ticket filed exactly as a
 * resident's, for the hub's ledger) or 不能办理 with the reason. One
 * transaction per visitor: the ticket (when passed on), the
 * EVENT_VISITOR event and the desk log's row together
 * (sync/PROTOCOL.md, "The duty desk"; docs/rules.md).
 *
 * The shift credited as service: when a member checks out of a visit
 * begun on a day they hold a shift, the check-out's transaction also
 * stores a service log of category "duty_desk" for the visit's minutes
 * (visit.c calls desk_credit_shift), pending confirmation like any log,
 * once per member and day on this kiosk (the hub refuses a second one
 * from another kiosk of the station). */
#ifndef DESK_H
#define DESK_H

#include <stdbool.h>
#include <stddef.h>

#include "base/clock.h"
#include "base/err.h"
#include "firmware/config.h"
#include "firmware/store.h"
#include "firmware/store_desk.h"
#include "firmware/ticket.h"

enum desk_refusal {
    DESK_OK = 0,
    DESK_UNKNOWN_MEMBER,
    DESK_INACTIVE_MEMBER,
    DESK_NOT_ON_DUTY,           /* no shift on today's duty roster */
    DESK_NOT_CHECKED_IN,        /* on duty, but not checked in now */
};

/* Whether member_no may open the desk at `now`: known, active, on
 * today's roster and checked in (an open visit the stale rule has not
 * closed). ERR_DENIED with *why set when not; *m (may be NULL) gets the
 * member. */
err_code desk_open(struct store *s, const struct config *cfg,
                   const char *member_no, const struct stamp *now,
                   enum desk_refusal *why, struct member *m);

struct desk_visitor {
    const char       *member_no;     /* the duty member */
    const char       *type;          /* a ledger request type's code */
    const char       *building;
    const char       *unit;          /* "" for a whole building */
    const char       *text;          /* 1..140 characters */
    enum desk_outcome outcome;
    const char       *reason;        /* DESK_CANNOT: 1..60 characters */
};

struct desk_logged {
    uint64_t            seq;         /* the visitor event's */
    struct ticket_filed filed;       /* DESK_PASSED_ON: number and PIN */
};

/* Log a visitor. ERR_DENIED with *refusal: the member may not open the
 * desk now (checked again: a check-out may have come between). ERR_INVAL
 * with *why ("unknown type", "description missing", "reason missing",
 * "reason too long", ...) and nothing stored. */
err_code desk_log_visitor(struct store *s, const struct config *cfg,
                          const struct desk_visitor *v,
                          const struct stamp *now,
                          enum desk_refusal *refusal, const char **why,
                          struct desk_logged *out);

/* "done", "passed_on", "cannot" (the event's words); NULL for others. */
const char *desk_outcome_name(enum desk_outcome o);

/* Inside the check-out's transaction (visit.c): credit the shift of the
 * day visit v began on as a "duty_desk" service log when the member
 * holds a shift that day, the visit lasted SERVICE_MIN_MINUTES or more
 * (capped at SERVICE_MAX_MINUTES), and no shift of that day was
 * credited here yet. *seq gets the log's event seq, 0 when none. */
err_code desk_credit_shift(struct store *s, const struct config *cfg,
                           const struct visit *v, const struct stamp *now,
                           uint64_t *seq);

#endif
