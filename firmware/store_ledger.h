/* firmware/store_ledger.h - residents' requests and small wishes as the
 * kiosk keeps them: the hub's types with their presets, every ticket of
 * the station (those filed here at once, the others from the change
 * feed: public state, dates, the answer and the PIN's hash, never a
 * phone or a name), local PIN lockouts, and the claims members made
 * here. The domain (firmware/ticket.h) decides; this file only stores.
 *
 * The callback phone travels in the filing event's data and nowhere
 * else on the unit; store_ledger_scrub_acked() removes it from every
 * acknowledged event (store_set_acked_seq calls it), and the store runs
 * with secure_delete, so the old bytes are overwritten. */
#ifndef STORE_LEDGER_H
#define STORE_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/change.h"
#include "base/err.h"
#include "base/ledger.h"
#include "firmware/store.h"

struct ledger_type {
    char code[32];
    char name[64], name_en[64];
    bool for_request, for_wish;
    char presets[CHANGE_PRESETS][CHANGE_PRESET];
    int  n_presets;
};

struct ticket {
    char              ticket[LEDGER_TICKET];
    enum ledger_kind  kind;
    char              type[32];
    char              building[16], unit[16];
    char              text[LEDGER_TEXT_BYTES];
    enum ledger_state state;
    int64_t           filed_ms, accepted_ms, assigned_ms, deadline_ms;
    int64_t           answered_ms, closed_ms, locked_until_ms;
    char              answer[CHANGE_TEXT];
    char              pin_hash[LEDGER_PIN_HASH];
    char              claimer[STORE_MEMBER_NO];
    int               points;
    bool              from_hub;      /* false: filed here, not fed back yet */
};

/* Types for a kind, in the hub's order. */
err_code store_ledger_types(struct store *s, enum ledger_kind k,
                            struct ledger_type *out, size_t cap, size_t *n);
err_code store_ledger_type_get(struct store *s, const char *code,
                               struct ledger_type *out);     /* NOTFOUND */

/* Inside the caller's transaction. */
err_code store_ticket_put(struct store *s, const struct ticket *t);
err_code store_ticket_get(struct store *s, const char *ticket,
                          struct ticket *out);               /* NOTFOUND */
/* A ticket typed as its digits after the station prefix ("10042" for
 * HQ01-1-0042) or in full. */
err_code store_ticket_find(struct store *s, const char *typed,
                           struct ticket *out);              /* NOTFOUND */
/* The highest counter among this prefix's tickets ("HQ01-1-"), 0 none. */
err_code store_ticket_last(struct store *s, const char *prefix,
                           uint64_t *n);
/* Wishes on the wall: accepted by the hub, not claimed; newest first. */
err_code store_wishes_open(struct store *s, struct ticket *out, size_t cap,
                           size_t *n);

/* Local wrong-PIN count and lock (the hub's lock is on the ticket). */
err_code store_ticket_lock_get(struct store *s, const char *ticket,
                               int *fails, int64_t *locked_until_ms);
err_code store_ticket_lock_set(struct store *s, const char *ticket,
                               int fails, int64_t locked_until_ms);

/* Claims made here. */
struct wish_claim {
    struct ticket t;                 /* the wish as last known */
    char          member_no[STORE_MEMBER_NO];
    int64_t       claimed_ms, done_ms;
};
err_code store_wish_claim_put(struct store *s, const char *ticket,
                              const char *member_no, int64_t claimed_ms);
err_code store_wish_claim_done(struct store *s, const char *ticket,
                               int64_t done_ms);
/* A member's claims made here, newest first. */
err_code store_wish_claims_for(struct store *s, const char *member_no,
                               struct wish_claim *out, size_t cap,
                               size_t *n);

/* Points of the wishes a member fulfilled that were closed (signed off
 * as satisfied) in [from_ms, to_ms), as the hub's feed set them: any
 * kiosk of the station knows them, not only the one claimed on. */
err_code store_wish_points(struct store *s, const char *member_no,
                           int64_t from_ms, int64_t to_ms, int *points);

/* Remove "phone" from the data of filing events up to seq. */
err_code store_ledger_scrub_acked(struct store *s, uint64_t seq);

/* The feed's half (store_hub.c's table calls them). */
err_code store_ledger_type_apply(struct store *s, const struct change *c);
err_code store_ticket_apply(struct store *s, const struct change *c);

#endif
