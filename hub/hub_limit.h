/* hub/hub_limit.h - how often failed enrolment attempts may come: a
 * token bucket per source address and one for all of them together, and
 * a budget for the warning lines they cause, so a flood of guessed codes
 * can neither try many codes nor fill the disk with log.
 *
 * Only failed attempts cost a token; while an address (or the hub as a
 * whole) has none left, its attempts are refused with 429 before the
 * code is looked at. Thread safe. */
#ifndef HUB_LIMIT_H
#define HUB_LIMIT_H

#include <stdbool.h>
#include <stdint.h>

#define HUB_LIMIT_PER_ADDR   5      /* failed attempts per minute */
#define HUB_LIMIT_GLOBAL     60     /* ... from every address together */
#define HUB_LIMIT_LINES      20     /* warning lines per minute, at most */
#define HUB_LIMIT_SLOTS      256    /* addresses remembered */

struct hub_limit;

struct hub_limit_verdict {
    bool allowed;
    int  retry_s;      /* refused: seconds until one is allowed again */
    int  log_n;        /* > 0: log one line covering this many attempts
                        * of the address (this one included) */
};

/* per_addr and global failures per minute (<= 0: the defaults). */
struct hub_limit *hub_limit_create(int per_addr, int global);
void hub_limit_destroy(struct hub_limit *l);            /* NULL: no-op */

/* Before an attempt from addr at now_ms (monotonic). A refused attempt
 * counts as failed for the log (log_n). */
void hub_limit_admit(struct hub_limit *l, const char *addr, int64_t now_ms,
                     struct hub_limit_verdict *out);
/* After a failed attempt: costs a token; returns log_n as above. */
int  hub_limit_failed(struct hub_limit *l, const char *addr, int64_t now_ms);

#endif
