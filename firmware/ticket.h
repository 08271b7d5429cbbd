/* firmware/ticket.h - residents speak back at the kiosk: a request
 * (我要反映) or a small wish (微心愿) filed without a card and without the
 * hub, its ticket number and PIN; the status by number; the answer and
 * the reporter's sign-off behind the PIN (销号制: 满意 closes, 不满意 with
 * a reason reopens); a member's claim of a wish (认领) and its "done".
 * Each step is one transaction: the local view and the event for the
 * hub together (sync/PROTOCOL.md, "Requests and small wishes").
 *
 * Ticket numbers: PREFIX-DEVICE-NNNN, e.g. HQ01-1-0042. The prefix is
 * the station's, the device number this unit's (config), so two kiosks
 * of a station never make the same number without asking the hub. The
 * counter never goes back: it continues after the highest number of
 * this prefix the store holds, its own or fed back by the hub, so a
 * replaced unit or a new database continues after its first sync.
 *
 * The PIN: four random digits, shown and printed once; the kiosk keeps
 * only its hash (base/ledger.h). Where it is checked: at the kiosk that
 * is asked, against the hash it holds (its own tickets at once, the
 * station's others once the hub has fed them back), so it works
 * offline. Wrong PINs count here and go to the hub as events; five in a
 * row lock the ticket for 15 minutes here at once and, through the hub's
 * count and the ticket's lock in the feed, at every kiosk of the
 * station. The hub checks a sign-off's hash again before it acts. */
#ifndef TICKET_H
#define TICKET_H

#include <stdbool.h>
#include <stddef.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/ledger.h"
#include "firmware/config.h"
#include "firmware/store.h"
#include "firmware/store_ledger.h"

struct ticket_request {
    enum ledger_kind kind;
    const char      *type;        /* a type code the hub sent */
    const char      *building;
    const char      *unit;        /* "" for a whole building */
    const char      *text;        /* a preset or written, 1..140 chars */
    const char      *phone;       /* "" or 5-15 digits; never shown */
};

struct ticket_filed {
    char ticket[LEDGER_TICKET];
    char pin[5];                  /* shown and printed, then forgotten */
};

/* Where PIN digits come from: getrandom(2) unless a test replaces it
 * (screenshots need the same PIN every run); NULL restores it. */
void ticket_set_random(err_code (*fill)(void *buf, size_t n));

/* The station prefix and device number in use ("HQ01", 1). */
void ticket_prefix(const struct config *cfg, char *prefix, size_t cap,
                   int *device);

/* File it. ERR_INVAL with *why ("description too long", "unknown
 * type", ...) and nothing stored. */
err_code ticket_file(struct store *s, const struct config *cfg,
                     const struct ticket_request *req,
                     const struct stamp *now, const char **why,
                     struct ticket_filed *out);
/* The same inside the caller's transaction (the duty desk files a
 * ticket and logs its visitor in one, firmware/desk.h); on an error the
 * caller rolls back. */
err_code ticket_file_within(struct store *s, const struct config *cfg,
                            const struct ticket_request *req,
                            const struct stamp *now, const char **why,
                            struct ticket_filed *out);

enum ticket_pin {
    TICKET_PIN_OK,
    TICKET_PIN_WRONG,             /* counted; *left tries before the lock */
    TICKET_PIN_LOCKED,            /* *until: when it opens again */
};
/* Check a PIN for a ticket. A wrong one is counted and sent to the hub.
 * ERR_NOTFOUND: no such ticket here. */
err_code ticket_pin_check(struct store *s, const char *ticket,
                          const char *pin, const struct stamp *now,
                          enum ticket_pin *r, int *left, int64_t *until);

/* The reporter's sign-off, with the PIN just checked. ERR_INVAL with
 * *why: not answered, a reason missing or too long, a wrong PIN. */
err_code ticket_signoff(struct store *s, const char *ticket,
                        const char *pin, bool satisfied, const char *reason,
                        const struct stamp *now, const char **why);

/* A member claims an open wish (the card was read by the caller). The
 * hub decides between two kiosks' claims; the loser sees it at its next
 * sync (My record). ERR_INVAL with *why: unknown or inactive member,
 * not an open wish. */
err_code wish_claim(struct store *s, const char *ticket,
                    const char *member_no, const struct stamp *now,
                    const char **why);
/* The claimer marks it done (with an optional note). */
err_code wish_done(struct store *s, const char *ticket,
                   const char *member_no, const char *note,
                   const struct stamp *now, const char **why);

/* How a claim made here stands. */
enum wish_claim_state {
    WISH_CLAIM_SENT,              /* the hub has not decided */
    WISH_CLAIM_WON,               /* the member's */
    WISH_CLAIM_LOST,              /* another member's claim came first */
};
enum wish_claim_state wish_claim_state(const struct wish_claim *c);

#endif
