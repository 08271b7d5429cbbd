/* firmware/visit.h - check-in and check-out at the station. Each call is
 * one durable transaction: the event is appended and the member's open
 * visit updated together, and only then does the call return ERR_OK.
 *
 * Rules (docs/rules.md):
 * - a scan while already checked in, within duplicate_scan_seconds of the
 *   check-in, is a double read: VISIT_ALREADY_IN, nothing stored;
 * - a later scan checks out (visit_scan), computing whole minutes;
 * - a visit still open past local midnight or max_visit_minutes is closed
 *   by rule: credited stale_visit_credit_minutes and flagged for review. */
#ifndef VISIT_H
#define VISIT_H

#include "base/clock.h"
#include "firmware/config.h"
#include "base/err.h"
#include "firmware/store.h"

enum visit_outcome {
    VISIT_CHECKED_IN,
    VISIT_CHECKED_OUT,
    VISIT_ALREADY_IN,       /* double read or a second check-in: no change */
    VISIT_NOT_IN,           /* check-out with no open visit: no change */
    VISIT_ALREADY_OUT,      /* a double read just after a check-out */
    VISIT_REGISTERED,       /* 报到 recorded with this community */
    VISIT_ALREADY_REGISTERED,
};

struct visit_result {
    enum visit_outcome outcome;
    struct member      member;
    struct visit       visit;       /* the visit opened or closed */
    uint64_t           seq;         /* event stored, 0 if none */
    int                stale_closed;/* earlier visits closed by rule now */
    uint64_t           duty_seq;    /* a check-out that credited the duty
                                     * desk's shift: its log's seq, else 0 */
    /* 报到: when it was stored (now, or the earlier one's time for
     * VISIT_ALREADY_REGISTERED); guest: a member of another station,
     * known only by the card (member holds the number alone). */
    int64_t            registered_ms;
    bool               guest;
};

/* ERR_NOTFOUND: no such member in the roster. ERR_DENIED: the member is
 * inactive. ERR_DB/ERR_BUSY: nothing was stored. */
err_code visit_check_in(struct store *s, const struct config *cfg,
                        const char *member_no, const struct stamp *now,
                        struct visit_result *out);
err_code visit_check_out(struct store *s, const struct config *cfg,
                         const char *member_no, const struct stamp *now,
                         struct visit_result *out);
/* What a scan at the home screen means: in if out, out if in. */
err_code visit_scan(struct store *s, const struct config *cfg,
                    const char *member_no, const struct stamp *now,
                    struct visit_result *out);
/* Record the member's registration (报到) with this station's community;
 * a second one is VISIT_ALREADY_REGISTERED and stores nothing. */
err_code visit_register(struct store *s, const struct config *cfg,
                        const char *member_no, const struct stamp *now,
                        struct visit_result *out);
/* The same for a member not on this kiosk's roster who showed a signed
 * card of another station of the hub (home_station: the card's scope),
 * only while the hub allows registration across stations (the setting
 * cross_station_registration); the hub checks the member again. The
 * event carries home_station. ERR_NOTFOUND: the setting is off. */
err_code visit_register_guest(struct store *s, const struct config *cfg,
                              const char *member_no, const char *home_station,
                              const struct stamp *now,
                              struct visit_result *out);
/* Close every visit that the rule says is stale at `now`; *closed gets
 * how many. Called at start-up and from the main loop now and then. */
err_code visit_close_stale(struct store *s, const struct config *cfg,
                           const struct stamp *now, int *closed);

#endif
