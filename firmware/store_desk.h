/* firmware/store_desk.h - the duty desk's tables (来访登记): each visitor
 * logged at this kiosk, kept beside its EVENT_VISITOR event for the
 * day's desk log staff read here, and the days whose shift was credited
 * to a member as service (firmware/desk.h decides; this only stores). */
#ifndef STORE_DESK_H
#define STORE_DESK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/ledger.h"
#include "firmware/store.h"

enum desk_outcome {
    DESK_DONE = 0,          /* 当场办结 */
    DESK_PASSED_ON = 1,     /* 转办: a ticket was filed for the hub */
    DESK_CANNOT = 2,        /* 不能办理, with the reason */
};

struct visitor_row {
    uint64_t          seq;             /* its event's */
    char              member_no[STORE_MEMBER_NO];  /* the duty member */
    int64_t           at_ms;
    int64_t           day;             /* local day number */
    char              type[32];        /* a ledger type code */
    char              building[16], unit[16];
    char              text[LEDGER_TEXT_BYTES];
    enum desk_outcome outcome;
    char              reason[LEDGER_REASON_CHARS * 4 + 1];
    char              ticket[LEDGER_TICKET];
};

/* Inside the caller's transaction. */
err_code store_visitor_put(struct store *s, const struct visitor_row *v);
/* Visitors logged here on local day `day`, oldest first. */
err_code store_visitors_day(struct store *s, int64_t day,
                            struct visitor_row *out, size_t cap, size_t *n);

/* Whether the member's shift of `day` was credited here; and recording
 * that it was (inside the caller's transaction; ERR_INVAL when it was). */
err_code store_duty_credited(struct store *s, const char *member_no,
                             int64_t day, bool *yes);
err_code store_duty_credit_put(struct store *s, const char *member_no,
                               int64_t day, uint64_t seq);

#endif
