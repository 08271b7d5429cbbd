/* firmware/store_confirm.h - the kiosk's side of service confirmation
 * (服务确认): the hub's verdict with how it was reached, the logs the
 * station's served residents may confirm here (the hub's
 * service_awaiting changes), and the answers given here. */
#ifndef STORE_CONFIRM_H
#define STORE_CONFIRM_H

#include <stddef.h>
#include <stdint.h>

#include "base/change.h"
#include "base/err.h"
#include "firmware/store.h"

#define STORE_AWAITING_KEY (CHANGE_KEY_MAX + 1)

/* One log a resident may confirm, as the hub sent it. */
struct awaiting {
    char                           key[STORE_AWAITING_KEY];
    struct change_service_awaiting a;
};

/* Apply a service_awaiting put (store_hub.c's table; a delete is its
 * DELETE). */
err_code store_awaiting_apply(struct store *s, const struct change *c);
/* The logs naming `ticket` not yet answered here, newest day first. */
err_code store_awaiting_for(struct store *s, const char *ticket,
                            struct awaiting *out, size_t cap, size_t *n);
/* One by its key (answered or not); ERR_NOTFOUND. */
err_code store_awaiting_get(struct store *s, const char *key,
                            struct awaiting *out);
/* Mark key answered here at ms: not asked again, even after a snapshot
 * re-sends it before the hub has the answer. */
err_code store_answer_put(struct store *s, const char *key, int64_t ms);
/* Whether key was answered here. */
err_code store_answer_has(struct store *s, const char *key, bool *has);

#endif
