/* hub/hub_claims.h - public-benefit posts claimed by members (认领公益
 * 岗位, 认岗): the rules a post keeps (3-5 members, exactly one head 岗长,
 * at most one deputy 副岗长; docs/rules.md), checked when a post is
 * published, when a kiosk uploads a claim or a swap (互换岗位) and again
 * when staff approve it; the decisions, which republish the posts so the
 * boards show who holds what, and tell the member (CHANGE_CLAIM). hubctl
 * and (later) the web console call these, so they cannot disagree. */
#ifndef HUB_CLAIMS_H
#define HUB_CLAIMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "base/err.h"
#include "hub/hub_db.h"
#include "sync/proto.h"

/* A post's capacity: min_members and max_members lie in this range. */
#define HUB_POST_MIN_MEMBERS 3
#define HUB_POST_MAX_MEMBERS 5

/* Whether post `id`'s published data (holders with roles, min_members,
 * max_members, open, places) keeps the rules; false with a message
 * naming the post in why. */
bool hub_post_rules_ok(const char *id, const cJSON *post, char *why,
                       size_t cap);

/* An uploaded post_claim or post_swap (other kinds: nothing to do):
 * checked against the post as published for station; a claim that
 * passes is stored pending, one that does not is stored declined with
 * its reason (the member sees both on the kiosk), and *why tells the
 * caller to set the event aside as refused. */
err_code hub_claims_event(struct hub_db *db, const char *station,
                          const struct proto_event *ev, int64_t at,
                          const char **why);

/* Staff's decision on claim or swap `id` (kind "claim" or "swap": an id
 * of the other kind is refused). Approving re-checks the rules and
 * republishes the post(s); declining needs a reason. ERR_DENIED with a
 * message in why when refused. */
err_code hub_claim_decide(struct hub_db *db, const char *kind, int64_t id,
                          bool approve, const char *reason, const char *by,
                          int64_t at, char *why, size_t cap);

/* The same, with the audit line ("claim.approve", "claim.decline",
 * "swap.approve", "swap.decline"; object station:ID) written by actor
 * in the decision's transaction (actor NULL: none). The console calls
 * this with the logged-in user, hubctl with hubctl:<login>. */
err_code hub_claim_decide_audited(struct hub_db *db, const char *kind,
                                  int64_t id, bool approve,
                                  const char *reason, const char *by,
                                  const char *actor, int64_t at, char *why,
                                  size_t cap);

/* The pending claims (kind "claim") or swaps ("swap"), of one station
 * or all (NULL), as CSV with local times at utc_offset minutes. */
err_code hub_claims_list(struct hub_db *db, const char *kind,
                         const char *station, int utc_offset, FILE *out);

#endif
