/* hub/hub_card_office.h - the card office for the web console: issue a
 * card to one holder or a station's whole roster, revoke one with a
 * reason, each recorded in the store (hub/hub_db_cards.h) with its audit
 * line in the same transaction, signed with the hub's credential key in
 * DIR/cards (hub/hub_card.h, the state `hubctl card` uses).
 *
 * Serials: hub_card_issue takes the holder's next serial from cards.json
 * and rewrites the file. Two writers that both read the file and then
 * both write it would give two cards the same serial (and one would lose
 * the other's revocations). So every change of the card state runs under
 * hub_card_lock(): a process-wide mutex (the console's workers) and an
 * exclusive flock(2) on DIR/cards/cards.lock, which `hubctl card` takes
 * too (hub_card_cli), so a hubctl run beside hubd waits for the console
 * and the console for it. The state is read again after the lock is
 * taken, never kept open between requests. */
#ifndef HUB_CARD_OFFICE_H
#define HUB_CARD_OFFICE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "hub/hub_db.h"
#include "hub/hub_db_cards.h"

/* Serialise a change of the card state in cards_dir (see above): the
 * returned value is for hub_card_unlock (-1: the lock file could not be
 * opened; nothing is held then). */
int  hub_card_lock(const char *cards_dir);
void hub_card_unlock(int lock);

struct hub_card_order {
    char        kind;          /* 'M' member, 'R' 报到 slip, 'T' technician */
    const char *holder;        /* member number (M, R) or technician id */
    const char *scope;         /* T only: station, "pre*" or "*" */
    int64_t     from_day;      /* days since 1970, the station's calendar */
    int64_t     to_day;
    const char *actor;         /* the console user (audit, issued_by) */
    int64_t     now_ms;
};

/* Issue one card: a member's (M, R: the member must exist and be
 * active; the card is scoped to the member's station) or a technician's
 * (T). The caller has checked that the actor may change that station
 * (T: is an administrator). Audited `card.issue`, object `member:NO`
 * (`technician:ID` for T). msg says why on a refusal (ERR_INVAL: dates
 * or kind, ERR_NOTFOUND: no such member or no key yet). */
err_code hub_card_office_issue(struct hub_db *db, const char *cards_dir,
                               const struct hub_card_order *o,
                               struct hub_card_rec *out, char *msg,
                               size_t cap);

/* Issue a card of kind (M or R) to every active member of station, as
 * `hubctl card roster` does from a CSV; each card audited as above, all
 * in one transaction. fn (may be NULL) gets every card recorded. *n:
 * how many. */
err_code hub_card_office_roster(struct hub_db *db, const char *cards_dir,
                                const char *station,
                                const struct hub_card_order *o,
                                void (*fn)(void *ctx,
                                           const struct hub_card_rec *r),
                                void *ctx, int *n, char *msg, size_t cap);

/* Revoke a recorded card: the revocation list in cards.json, the
 * change kiosks apply (type "revocation"), the record's reason (1..200
 * bytes, required), and `card.revoke` (object as for its issue). */
err_code hub_card_office_revoke(struct hub_db *db, const char *cards_dir,
                                const char *card_id, const char *reason,
                                const char *actor, int64_t now_ms,
                                char *msg, size_t cap);

/* A hub_card_record_fn for `hubctl card issue|roster` on a hub: the card
 * recorded in the store with its `card.issue` line (actor
 * "hubctl:<login>"), so the console lists it. ctx is this. */
struct hub_card_recorder {
    struct hub_db *db;
    const char    *actor;
    int64_t        now_ms;
};
err_code hub_card_db_record(void *ctx, const struct card *c,
                            const char *text);

#endif
