/* base/event.h - what a kiosk event is, as both sides know it: the kiosk
 * appends one per thing that happened (check-in, service log, ...), numbered
 * by a per-device sequence, and the hub stores each once. The kind-specific
 * fields travel as a small JSON object in `data`. */
#ifndef EVENT_H
#define EVENT_H

#include <stdint.h>

#include "base/clock.h"

enum event_kind {
    EVENT_CHECK_IN = 1,
    EVENT_CHECK_OUT = 2,
    EVENT_SERVICE_LOG = 3,
    EVENT_REGISTRATION = 4,
    EVENT_ROLLBACK = 5,          /* an automatic update rollback */
    EVENT_LOST = 6,              /* its number's event was unreadable in a
                                  * damaged database (store_salvage.h) */
    EVENT_CALL_STAFF = 7,        /* someone at the kiosk asked for staff
                                  * (呼叫工作人员); names no member */
    /* Residents speak back (base/ledger.h): a request or small wish filed
     * at the kiosk, the reporter's sign-off, a wrong PIN typed for a
     * ticket, a member's claim of a wish and its fulfilment. */
    EVENT_LEDGER_FILE = 8,
    EVENT_LEDGER_SIGNOFF = 9,
    EVENT_LEDGER_PIN_FAIL = 10,
    EVENT_WISH_CLAIM = 11,
    EVENT_WISH_DONE = 12,
    /* A visitor received at the duty desk (来访登记): the matter, the place,
     * the outcome and, when passed on, the ticket filed just before it. */
    EVENT_VISITOR = 13,
    /* The served resident's answer at the kiosk, with the ticket's PIN:
     * 属实 (with a rating) or 不属实 (with a reason) for a member's log
     * that names their ticket (base/service_confirm.h). */
    EVENT_SERVICE_CONFIRM = 16,
    /* A member claims an open place on a public-benefit post (认岗), or
     * asks to swap posts with a named holder of another (互换岗位); the
     * hub re-checks the post's rules and staff decide (hub/hub_claims.h). */
    EVENT_POST_CLAIM = 14,
    EVENT_POST_SWAP = 15,
};

#define EVENT_MEMBER_NO 32
#define EVENT_DATA 1024

struct event {
    uint64_t        seq;                    /* set by store_event_append */
    enum event_kind kind;
    char            member_no[EVENT_MEMBER_NO];
    struct stamp    at;
    char            data[EVENT_DATA];       /* kind-specific JSON object */
};

const char *event_kind_name(enum event_kind k);   /* "check_in", ... */
/* The kind named by its wire name; 0 when unknown. */
enum event_kind event_kind_parse(const char *name);

#endif
