/* firmware/credential.h - what a scanned line or typed number means: the
 * one call the UI and kioskctl make when something is scanned. A card is
 * a signed text (base/card.h, docs/cards.md) checked offline against
 * the keys and revocations the hub synced; a plain member number counts
 * only where the station's config allows it. */
#ifndef CREDENTIAL_H
#define CREDENTIAL_H

#include <stdbool.h>
#include <stddef.h>

#include "base/card.h"
#include "base/clock.h"
#include "firmware/config.h"
#include "base/err.h"
#include "firmware/store.h"

enum credential_kind {
    CRED_MEMBER_CARD,       /* check in / out */
    CRED_REGISTRATION,      /* 报到 with this community */
    CRED_TECHNICIAN,        /* opens technician mode */
    CRED_MEMBER_NUMBER,     /* typed or a bare number scanned */
};

/* Which kinds the asking screen takes: the home screen takes any; a
 * screen that wants a member (service log, My record) takes
 * CRED_ACCEPT_MEMBER, which covers plain numbers where allowed. */
#define CRED_ACCEPT_MEMBER       (1u << CRED_MEMBER_CARD)
#define CRED_ACCEPT_REGISTRATION (1u << CRED_REGISTRATION)
#define CRED_ACCEPT_TECHNICIAN   (1u << CRED_TECHNICIAN)
#define CRED_ACCEPT_ANY          (CRED_ACCEPT_MEMBER | \
                                  CRED_ACCEPT_REGISTRATION | \
                                  CRED_ACCEPT_TECHNICIAN)
/* Not a kind: a signed member card or slip of another station of the
 * same hub passes (other_station set), for 报到 where the hub allows
 * registration across stations. The caller decides what it may do. */
#define CRED_ACCEPT_OTHER_STATION (1u << 8)

/* Why a line was refused, one reason per check (the member is told which
 * in plain words: credential_refusal_text). */
enum credential_refusal {
    CRED_OK = 0,
    CRED_UNREADABLE,        /* not a credential at all */
    CRED_NUMBER_NOT_ALLOWED,/* plain numbers are off at this station */
    CRED_FORGED,            /* the signature does not match */
    CRED_EXPIRED,           /* past its expiry date (or its key retired) */
    CRED_NOT_YET_VALID,     /* issued for a later day */
    CRED_REVOKED,           /* reported lost or withdrawn */
    CRED_OTHER_STATION,     /* a card for another station */
    CRED_UNKNOWN_KEY,       /* signed by a key this kiosk does not know */
    CRED_WRONG_KIND,        /* e.g. a technician card where a member's */
};

#define CREDENTIAL_ID 32
#define CREDENTIAL_LINE_MAX 512     /* a scanner line longer is garbage */

struct credential {
    enum credential_kind kind;
    char                 id[CREDENTIAL_ID];   /* member or technician id */
    char                 card_id[CARD_CARD_ID];/* "M.HQ0001.3"; "" if typed */
    int64_t              expires_day;         /* cards only; 0 for numbers */
    /* CRED_ACCEPT_OTHER_STATION only: the card's scope does not cover
     * this station; home_station is that scope (the member's station). */
    bool                 other_station;
    char                 home_station[CARD_SCOPE_MAX + 1];
};

/* What the UI keeps for the life of its store connection: the hub keys
 * it has parsed, so each scan pays for one verify and not for setting a
 * key up again. Keys are still looked up in the store on every scan, so a
 * key the sync worker changed or deleted takes effect at once. */
struct credential_checker;
void credential_checker_create(const struct config *cfg, struct store *s,
                               struct credential_checker **out);
void credential_checker_destroy(struct credential_checker *c); /* NULL ok */

/* Check one scanned line at `now` against the keys and revocations in
 * the store. ERR_OK: *out is good and of an accepted kind. ERR_INVAL:
 * unreadable. ERR_DENIED: refused, *why says which check failed.
 * ERR_DB/ERR_BUSY: the store failed (nothing is known). Nothing is ever
 * written. */
err_code credential_check(struct credential_checker *c,
                          const struct stamp *now, unsigned accept,
                          const char *line, struct credential *out,
                          enum credential_refusal *why);

/* The same for a one-off check (kioskctl): a checker for one line. */
err_code credential_parse(const struct config *cfg, struct store *s,
                          const struct stamp *now, unsigned accept,
                          const char *line, struct credential *out,
                          enum credential_refusal *why);

/* The second factor a typed (or plainly scanned) member number needs
 * before the member's own data opens (My record, the service log): the
 * member's PIN, checked against the hash the hub sent, or the last four
 * digits of the phone on the roster, as station.member_check says.
 * ERR_OK: it matches. ERR_DENIED: it does not. ERR_UNSUPPORTED: the
 * member has no PIN (or no phone) on this kiosk, so only a card opens
 * their record. ERR_NOTFOUND: no such member. Counting wrong answers and
 * locking out is the caller's (it knows who is typing). */
err_code credential_member_secret(const struct config *cfg, struct store *s,
                                  const char *member_no, const char *secret);
/* Whether the member has that second factor on this kiosk (asked before
 * the keypad asks for it): ERR_OK yes, ERR_UNSUPPORTED no, ERR_NOTFOUND. */
err_code credential_member_has_secret(const struct config *cfg,
                                      struct store *s, const char *member_no);

/* A short English sentence for the member or technician ("This card has
 * expired."); the UI keeps its own translations keyed by the enum. */
const char *credential_refusal_text(enum credential_refusal why);
/* A stable lower-case name for logs and tests ("expired"). */
const char *credential_refusal_name(enum credential_refusal why);

#endif
