/* firmware/served.h - the served resident confirms a member's service at
 * the kiosk (服务确认, 居民在终端确认): with their ticket's PIN they see
 * "党员 张伟 为您提供了 关爱老人 60分钟服务，是否属实？" for each pending
 * log that names their ticket or wish (the hub's service_awaiting
 * changes), and answer 属实 (with a rating) or 不属实 (with a reason).
 * The answer is one transaction: the EVENT_SERVICE_CONFIRM for the hub,
 * which decides the log, and the note that it was answered here, so the
 * kiosk does not ask again before the hub's verdict comes back. */
#ifndef SERVED_H
#define SERVED_H

#include <stdbool.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/service_confirm.h"
#include "firmware/store.h"
#include "firmware/store_confirm.h"

struct served_answer {
    const char         *ticket;
    const char         *pin;        /* just checked with ticket_pin_check */
    const char         *key;        /* the awaiting log's key */
    bool                confirmed;  /* 属实 */
    enum confirm_rating rating;     /* 属实: optional */
    const char         *reason;     /* 不属实: required */
};

/* Record the answer. ERR_INVAL with *why: "wrong PIN", "ticket locked",
 * "not awaiting" (unknown key, another ticket's, answered already),
 * "reason missing", "reason too long". ERR_NOTFOUND: no such ticket. */
err_code served_answer(struct store *s, const struct served_answer *a,
                       const struct stamp *now, const char **why);

#endif
