/* hub/hub_db_ledger.h - the issue ledger's store (民情台账 and 微心愿):
 * the types of request and wish with their deadline and points, one row
 * per ticket with its state, the audit trail of every step (who, when,
 * from which state to which), and the change each step sends to the
 * station's kiosks (the public state and the answer, never the phone).
 *
 * Steps come from two sides and go through one function: staff with
 * hubctl (accept, assign, answer, a sign-off taken by phone, a claim on a
 * member's behalf) and kiosk uploads (filing, the reporter's sign-off
 * with the PIN's hash, a wrong PIN, a member's claim and "done"), the
 * latter inside the upload's transaction: a refused step is a refused
 * event (sync/PROTOCOL.md, "Requests and small wishes"). */
#ifndef HUB_DB_LEDGER_H
#define HUB_DB_LEDGER_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "base/ledger.h"
#include "hub/hub_db.h"
#include "sync/proto.h"

#define HUB_LEDGER_WHO 64

struct hub_ticket {
    char              ticket[LEDGER_TICKET];
    char              station[64], device[64];
    enum ledger_kind  kind;
    char              type[32];
    char              building[16], unit[16];
    char              text[LEDGER_TEXT_BYTES];
    char              phone[LEDGER_PHONE];      /* staff only */
    char              pin_hash[LEDGER_PIN_HASH];
    enum ledger_state state;
    int64_t           filed_ms, accepted_ms, assigned_ms, deadline_ms;
    int64_t           answered_ms, closed_ms, locked_until_ms;
    char              accepted_by[HUB_LEDGER_WHO];
    char              assignee[HUB_LEDGER_WHO];  /* a wish: the member */
    char              answer[LEDGER_ANSWER_CHARS * 4 + 1];
    char              answered_by[HUB_LEDGER_WHO];
    char              reason[LEDGER_REASON_CHARS * 4 + 1];  /* last 不满意 */
    int               pin_fails, signoffs, satisfied, points;
};

/* One step, from hubctl or an upload. */
struct hub_ledger_act {
    enum ledger_step step;
    const char      *actor;       /* staff name, member number, "reporter" */
    const char      *to;          /* assign: whom (a wish: the member) */
    const char      *text;        /* answer, or a sign-off's reason */
    int64_t          deadline_ms; /* assign: 0 keeps the type's */
    bool             satisfied;   /* sign-off */
    const char      *pin_hash;    /* a kiosk's sign-off: must match */
    const char      *station;     /* an upload's: the ticket's must match */
    int64_t          at;
    /* Staff's steps (the console's user, or hubctl:<login>): the audit
     * line's actor, written in the step's transaction (action
     * ticket.<step>, object station:ID, the ticket in before and after).
     * NULL: no audit line (a kiosk's upload; its event is the record). */
    const char      *audit;
};

struct hub_ledger_type {
    char code[32], name[64], name_en[64];
    bool for_request, for_wish;
    int  order, deadline_days, points;
    char presets_json[2048];      /* ["...", ...] */
};

/* Tables (hub_db_open runs it). */
err_code hub_db_ledger_migrate(struct hub_db *db);

/* A type, kept and sent to every station's kiosks as a ledger_type
 * change (only when it differs from what was sent). */
err_code hub_db_ledger_type_put(struct hub_db *db,
                                const struct hub_ledger_type *t);
err_code hub_db_ledger_type_get(struct hub_db *db, const char *code,
                                struct hub_ledger_type *out); /* NOTFOUND */

err_code hub_db_ledger_get(struct hub_db *db, const char *ticket,
                           struct hub_ticket *out);           /* NOTFOUND */
/* Take a step in its own transaction. ERR_DENIED with *why (a reason
 * for a person): the step does not fit the ticket's state or kind, the
 * member is inactive or not the claimer, the PIN is wrong or the ticket
 * locked. ERR_NOTFOUND: no such ticket. */
err_code hub_db_ledger_act(struct hub_db *db, const char *ticket,
                           const struct hub_ledger_act *a, const char **why);

/* The ledger's half of an upload, inside its transaction, before the
 * event is stored: a ledger or wish event is applied, or refused with
 * *why (the event is then kept aside as refused). Other kinds: ERR_OK,
 * *why NULL, nothing done. */
err_code hub_db_ledger_event(struct hub_db *db, const char *station,
                             const char *device,
                             const struct proto_event *ev, int64_t at,
                             const char **why);

/* Tickets of a station (NULL: all) filed in [from_ms, to_ms), oldest
 * first. */
err_code hub_db_ledger_each(struct hub_db *db, const char *station,
                            int64_t from_ms, int64_t to_ms,
                            void (*fn)(void *ctx, const struct hub_ticket *t),
                            void *ctx);
struct hub_trail {
    int64_t     at;
    const char *actor, *step, *from, *to, *detail;
};
err_code hub_db_ledger_trail_each(struct hub_db *db, const char *ticket,
                                  void (*fn)(void *ctx,
                                             const struct hub_trail *r),
                                  void *ctx);

#endif
