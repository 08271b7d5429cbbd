/* firmware/post_claim.h - a member claims an open place on a post (认领
 * 此岗位) or asks to swap posts with a holder of another (互换岗位), at
 * the kiosk with their card. The rules are checked here against the post
 * as last published, the claim is stored durably as an event for the hub
 * (EVENT_POST_CLAIM, EVENT_POST_SWAP) with a local row shown as 待审核
 * until the hub's word arrives; the hub checks again and staff decide
 * (hub/hub_claims.h). */
#ifndef POST_CLAIM_H
#define POST_CLAIM_H

#include <stdbool.h>

#include "base/clock.h"
#include "base/err.h"
#include "firmware/store.h"
#include "firmware/store_claims.h"

/* Whether post_id takes a claim now (open, a place free), and whether
 * its deputy place is free; false for an unknown post. */
bool post_claim_open(struct store *s, const char *post_id,
                     bool *deputy_free);

/* Claim a place of `role` (ROLE_MEMBER or ROLE_DEPUTY) on post_id.
 * ERR_INVAL with *why (the hub's words for the same refusal: "unknown
 * member", "member inactive", "unknown post", "post not open for
 * claiming", "post full", "deputy taken", "already holds this post",
 * "claim already pending", "role must be member or deputy") when the
 * rules refuse it; nothing is stored then. */
err_code post_claim(struct store *s, const char *post_id,
                    const char *member_no, enum post_role role,
                    const struct stamp *now, const char **why);

/* member_no, holder of a post, asks to swap with other_no, holder of
 * other_post. ERR_INVAL with *why: "unknown member" (either), "member
 * inactive", "holds no post", "other member holds no post", "already on
 * that post", "swap already pending". */
err_code post_swap(struct store *s, const char *member_no,
                   const char *other_no, const char *other_post,
                   const struct stamp *now, const char **why);

#endif
