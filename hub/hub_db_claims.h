/* hub/hub_db_claims.h - the store's half of claiming posts (认岗): the
 * members' claims of a place and requests to swap posts (互换岗位), each
 * with what staff decided, and reading back one published post. The
 * rules and decisions are hub/hub_claims.c's. */
#ifndef HUB_DB_CLAIMS_H
#define HUB_DB_CLAIMS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "hub/hub_db.h"
/* hub_db_published_get: a post as published */
#include "hub/hub_db_board_read.h"

struct hub_claim {
    int64_t id;
    char    kind[8];            /* "claim" or "swap" */
    char    station[64];
    char    member_no[32];
    char    post_id[32];        /* claim: the post; swap: the member's own */
    char    role[16];           /* claim: "member" or "deputy" */
    char    other_no[32];       /* swap: the other holder */
    char    other_post[32];     /* swap: the other's post */
    char    state[16];          /* "pending", "approved", "declined" */
    char    reason[256];        /* a decline's, for the member */
    int64_t filed_ms, decided_ms;
    char    decided_by[64];
};

/* Tables for both engines; called by hub_db_open. */
err_code hub_db_claims_migrate(struct hub_db *db);

/* A new claim; c->id is set. */
err_code hub_db_claim_add(struct hub_db *db, struct hub_claim *c);
/* ERR_NOTFOUND when there is no claim id. */
err_code hub_db_claim_get(struct hub_db *db, int64_t id,
                          struct hub_claim *out);
/* The decision (state, reason, by, at) of claim c->id as c holds it. */
err_code hub_db_claim_decide(struct hub_db *db, const struct hub_claim *c);
/* Whether the member has a pending claim of this kind on post_id. */
bool     hub_db_claim_pending(struct hub_db *db, const char *kind,
                              const char *member_no, const char *post_id);
/* Claims of kind (station NULL: every station; state NULL: any), oldest
 * first. */
err_code hub_db_claims_each(struct hub_db *db, const char *kind,
                            const char *station, const char *state,
                            void (*fn)(void *ctx, const struct hub_claim *c),
                            void *ctx);

#endif
