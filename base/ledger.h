/* base/ledger.h - the rules of the issue ledger (民情台账) and the small
 * wishes (微心愿) that both sides apply: the states a ticket goes
 * through and which step may follow which, the longest description and
 * sign-off reason, the ticket number's shape, and the PIN's hash and
 * lockout. The kiosk checks before it stores, the hub again before it
 * accepts an upload (sync/PROTOCOL.md, "Requests and small wishes").
 *
 * A request:  registered -> accepted -> assigned -> answered -> closed
 *                                                         \-> reopened
 * A wish is accepted by staff before it shows on the wall (they read it
 * for names and numbers first); a member's claim assigns it, the
 * member's "done" answers it, and the resident signs off as for a
 * request. Reopened (不满意) goes back to assigned or answered. */
#ifndef LEDGER_H
#define LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ledger_kind { LEDGER_REQUEST = 1, LEDGER_WISH = 2 };

enum ledger_state {
    LEDGER_REGISTERED = 1,   /* 已登记 */
    LEDGER_ACCEPTED,         /* 已受理 */
    LEDGER_ASSIGNED,         /* 已交办 (a wish: 已认领) */
    LEDGER_ANSWERED,         /* 已答复 (a wish: 已完成) */
    LEDGER_CLOSED,           /* 已销号 */
    LEDGER_REOPENED,         /* 重新办理 */
};

/* What may happen to a ticket. */
enum ledger_step {
    LEDGER_STEP_ACCEPT = 1,
    LEDGER_STEP_ASSIGN,      /* a request to a person; a wish's claim */
    LEDGER_STEP_ANSWER,      /* a request's answer; a wish's "done" */
    LEDGER_STEP_SIGNOFF,     /* the reporter: satisfied or not */
};

/* Description: what a resident may write or pick, in characters (a
 * Chinese character is one), and in bytes as stored. */
#define LEDGER_TEXT_CHARS   140
#define LEDGER_TEXT_BYTES   (LEDGER_TEXT_CHARS * 4 + 1)
#define LEDGER_REASON_CHARS 60
#define LEDGER_ANSWER_CHARS 300
#define LEDGER_TICKET       24          /* "HQ01-1-0042" + room, + NUL */
#define LEDGER_PIN_HASH     65          /* hex SHA-256 + NUL */
#define LEDGER_PHONE        16          /* digits of a callback number */

/* Wrong PINs: after LEDGER_PIN_TRIES in a row the ticket is locked for
 * LEDGER_LOCK_MS, at every kiosk of the station and at the hub. */
#define LEDGER_PIN_TRIES 5
#define LEDGER_LOCK_MS   (15 * 60 * 1000)

const char      *ledger_kind_name(enum ledger_kind k);     /* "request" */
enum ledger_kind ledger_kind_parse(const char *name);      /* 0: unknown */
const char       *ledger_state_name(enum ledger_state s);  /* "accepted" */
enum ledger_state ledger_state_parse(const char *name);    /* 0: unknown */

/* Whether `step` may be taken on a ticket of kind k in state `from`. */
bool ledger_step_ok(enum ledger_kind k, enum ledger_state from,
                    enum ledger_step step);

/* Valid UTF-8, no control characters (a newline neither), not empty
 * after trimming when `required`, at most max_chars characters. NULL
 * when it passes, else a short reason ("description too long", ...). */
const char *ledger_text_check(const char *s, size_t max_chars,
                              bool required);
/* Characters (code points) of valid UTF-8 s. */
size_t ledger_chars(const char *s);

/* A callback number: empty, or 5 to 15 digits. */
bool ledger_phone_ok(const char *phone);

/* A ticket number: PREFIX-DEVICE-NNNN with PREFIX [A-Z0-9]{1,8},
 * DEVICE 1-3 digits, NNNN 4 or more digits; under LEDGER_TICKET bytes. */
bool ledger_ticket_ok(const char *ticket);

/* The PIN as it is kept: hex SHA-256 of "ledger-pin:TICKET:PIN". The
 * ticket salts it so one table of 10^4 hashes does not open every
 * ticket; a 4-digit PIN is no secret against the database file itself
 * (what guards it is the lockout at the screen; sync/PROTOCOL.md). */
void ledger_pin_hash(const char *ticket, const char *pin,
                     char out[LEDGER_PIN_HASH]);
/* Exactly four digits. */
bool ledger_pin_ok(const char *pin);

#endif
