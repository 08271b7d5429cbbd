/* firmware/store_claims.h - what the kiosk keeps of claiming posts (认岗):
 * each post's rules as the hub published them, and members' claims and
 * swaps: the ones made here until the hub's word on them arrives, then
 * the hub's (CHANGE_CLAIM: pending, approved, or declined with reason). */
#ifndef STORE_CLAIMS_H
#define STORE_CLAIMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/change.h"
#include "firmware/store.h"

struct post_rules {
    int  min_members, max_members;
    bool open;                    /* 认领中 */
    int  places;                  /* open places */
};

struct post_claim {
    char                    id[40];    /* the hub's id, or "local/SEQ" */
    enum change_claim_kind  kind;
    char                    member_no[STORE_MEMBER_NO];
    char                    post_id[32];
    enum post_role          role;      /* a claim's: member or deputy */
    char                    other_no[STORE_MEMBER_NO];  /* a swap's */
    char                    other_post[32];
    enum change_claim_state state;
    char                    reason[128];
    int64_t                 filed_ms, decided_ms;
    bool                    from_hub;
};

/* The rules of post_id; a post published without them reads as closed
 * with the default capacity (3-5). */
err_code store_post_rules_get(struct store *s, const char *post_id,
                              struct post_rules *out);
/* Part of applying a post put (store_hub.c). */
err_code store_post_rules_put(struct store *s, const char *post_id,
                              const struct change_post *p);
/* A hub claim put (store_hub.c): replaces the claim made here that it
 * answers. */
err_code store_claim_apply(struct store *s, const struct change *c);
/* A claim made here (inside the caller's transaction). */
err_code store_claim_put_local(struct store *s, const struct post_claim *c);
/* A member's claims and swaps, newest first. */
err_code store_claims_for(struct store *s, const char *member_no,
                          struct post_claim *out, size_t cap, size_t *n);
/* Pending claims (kind post) on a post, oldest first. */
err_code store_claims_pending_on(struct store *s, const char *post_id,
                                 struct post_claim *out, size_t cap,
                                 size_t *n);

#endif
