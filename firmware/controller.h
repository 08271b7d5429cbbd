/* firmware/controller.h - the station's one rule for "a line was scanned"
 * or "a member number was given": the credential is checked, the member
 * looked up, and the member checked in, checked out or registered, or
 * refused with the reason. The UI, kioskctl's scan / in / out and the
 * text session all ask here; each only says what came back in its own
 * way (a screen and a sound, a line of text). The double-read window and
 * the visits closed by rule are firmware/visit.c's (docs/rules.md).
 *
 * The controller keeps the parsed hub keys between scans (one verify per
 * scan, not a key set-up) and a pointer to the config, which must outlive
 * it: changes to the config take effect on the next call. */
#ifndef CONTROLLER_H
#define CONTROLLER_H

#include <stdbool.h>
#include <stdint.h>

#include "base/clock.h"
#include "base/err.h"
#include "firmware/config.h"
#include "firmware/credential.h"
#include "firmware/store.h"

/* What happened. The first seven are the visit's; nothing else stores. */
enum controller_kind {
    CONTROLLER_CHECKED_IN,
    CONTROLLER_CHECKED_OUT,
    CONTROLLER_ALREADY_IN,      /* a double read or a second check-in */
    CONTROLLER_NOT_IN,          /* a check-out with no open visit */
    CONTROLLER_ALREADY_OUT,     /* a double read just after a check-out */
    CONTROLLER_REGISTERED,      /* 报到 recorded */
    CONTROLLER_ALREADY_REGISTERED,
    CONTROLLER_MEMBER,          /* CONTROLLER_IDENTIFY: who (an active
                                 * member on the roster), nothing done */
    CONTROLLER_TECHNICIAN,      /* a technician card: technician mode */
    CONTROLLER_UNKNOWN_MEMBER,  /* no such member in the roster */
    CONTROLLER_INACTIVE,        /* the member is not active */
    CONTROLLER_REFUSED,         /* the credential was refused: see why */
    CONTROLLER_FAILED,          /* the store failed: see err; none stored */
};

/* What a member's credential or number asks for. A registration slip
 * always registers and a technician card always opens technician mode,
 * whatever the action. */
enum controller_action {
    CONTROLLER_TOGGLE,          /* in if out, out if in: a scan at home */
    CONTROLLER_CHECK_IN,
    CONTROLLER_CHECK_OUT,
    CONTROLLER_REGISTER,
    CONTROLLER_IDENTIFY,        /* only who it is: a screen wants them */
};

struct controller_outcome {
    enum controller_kind    kind;
    enum credential_refusal why;        /* CONTROLLER_REFUSED: the check */
    err_code                err;        /* CONTROLLER_FAILED: the error */
    struct credential       cred;       /* what was read; empty if given */
    char     member_no[STORE_MEMBER_NO];/* the member asked about, or "" */
    char     name[STORE_NAME];          /* "" when not known */
    int      minutes;       /* CONTROLLER_CHECKED_OUT: the visit's length */
    /* The visit's check-in and check-out times (wall ms; out 0 while
     * open): the one opened, closed, or already open / just closed. */
    int64_t  in_ms, out_ms;
    bool     auto_closed;   /* ... closed by rule, flagged for review */
    uint64_t seq;           /* the event stored; 0 if nothing was */
    /* 报到: when (the earlier one's time when already registered), the
     * member's work unit's name and kind ("residence", "paired", "") as
     * the roster says, and whether the member is of another station. */
    int64_t  registered_ms;
    char     work_unit[STORE_NAME];
    char     reg_kind[16];
    bool     guest;
};

struct controller;

err_code controller_create(const struct config *cfg, struct store *s,
                           struct controller **out);
void controller_destroy(struct controller *c);          /* NULL is a no-op */

/* Each call fills *out with what happened and returns ERR_OK, a refusal
 * included; when the store fails it returns the error, with *out saying
 * CONTROLLER_FAILED (nothing was stored). */

/* A line from the scanner (or `kioskctl scan`): any credential. With
 * CONTROLLER_REGISTER (and for any registration slip), a signed card of
 * a member of another station of the hub registers them here while the
 * hub allows it (hub setting cross_station_registration); otherwise such
 * a card is refused as another station's. */
err_code controller_scan(struct controller *c, const struct stamp *now,
                         const char *line, enum controller_action act,
                         struct controller_outcome *out);
/* A number typed on the keypad, prefix included: members only, and only
 * where the station allows numbers (station.allow_member_number). */
err_code controller_typed(struct controller *c, const struct stamp *now,
                          const char *line, enum controller_action act,
                          struct controller_outcome *out);
/* A member already known by number (a credential checked before, or the
 * technician's command line): no credential check. */
err_code controller_member(struct controller *c, const struct stamp *now,
                           const char *member_no, enum controller_action act,
                           struct controller_outcome *out);

/* A stable lower-case name for logs and tests ("checked in"). */
const char *controller_kind_name(enum controller_kind k);

#endif
