/* firmware/staff_call.h - 呼叫工作人员: someone at the kiosk asks for
 * staff. Stored as a `call_staff` event (no member), uploaded like every
 * event and listed at the hub by `hubctl calls`. A second call within
 * STAFF_CALL_REPEAT_MS of the last is not stored again: staff are
 * already on their way, and a child pressing the button ten times does
 * not page them ten times. */
#ifndef STAFF_CALL_H
#define STAFF_CALL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/clock.h"
#include "base/err.h"
#include "firmware/store.h"

#define STAFF_CALL_REPEAT_MS (60 * 1000)

/* Store a call made on screen `where` ("home", "help") at `at`, unless
 * one was stored within STAFF_CALL_REPEAT_MS (by the monotonic clock):
 * then *stored is false and nothing changes. */
err_code staff_call(struct store *s, const struct stamp *at,
                    const char *where, bool *stored);

#endif
