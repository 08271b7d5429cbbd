/* hub/hub_points.h - points by rule (docs/rules.md "Points"): what a
 * confirmed service log is worth, from the rule of the post it was done
 * on, else of its category, else the default (today's one point per half
 * hour); `hubctl points rule set|rules`; and the star boards of the
 * 打擂争星 competition, one per star, fed by service categories
 * (`hubctl stars category`). The rule is a pure function of its inputs so
 * that the hub counts one log the same whenever it counts it. */
#ifndef HUB_POINTS_H
#define HUB_POINTS_H

#include <stdbool.h>
#include <stdio.h>

#include <stdint.h>

#include "base/err.h"
#include "base/service_confirm.h"
#include "hub/hub_db.h"

#define HUB_POINTS_SCOPE     48   /* "patrol", "post:p-01" + NUL */
#define HUB_POINTS_PER30_MAX 20   /* points per half hour at most */
#define HUB_POINTS_PCT_MAX   300  /* a multiplier of 3.00 at most */

/* One rule. Multipliers are in hundredths (150: x1.5) so that a rule
 * counts the same on every machine and engine: no floating point. */
struct hub_points_rule {
    char scope[HUB_POINTS_SCOPE];   /* a category key, "post:ID" or "" */
    int  per30;                     /* points per 30 minutes (>= 1 unit) */
    int  satisfied, basic, unsatisfied; /* by the served person's rating */
    int  cap;                       /* most points one log earns; 0: none */
};

/* Today's rule: 1 point per 30 minutes, at least 1, multipliers 1.00, no
 * cap; equal to hub_points_for(). */
extern const struct hub_points_rule hub_points_default;

/* What a log of `minutes` earns under r. method is how the service was
 * confirmed ("kiosk_pin", "phone", "visit", "staff" or NULL) and rating
 * the served person's ("satisfied", "basic", "unsatisfied" or NULL). The
 * rating counts only when the served person was asked (kiosk_pin, phone,
 * visit): a staff confirmation carries nobody's rating. Minutes are
 * bounded by the service rules as hub_points_for bounds them. */
int hub_points_apply(const struct hub_points_rule *r, int minutes,
                     const char *method, const char *rating);

/* The rule a log falls under: post's ("post:ID") when the log names a
 * post that has one, else its category's, else the default. */
err_code hub_points_rule_for(struct hub_db *db, const char *category,
                             const char *post, struct hub_points_rule *out);
/* hub_points_apply under hub_points_rule_for. */
err_code hub_points_for_log(struct hub_db *db, const char *category,
                            const char *post, int minutes, const char *method,
                            const char *rating, int *points);
/* What one stored log earns when confirmed with method and rating: its
 * category and post read from the store, then hub_points_for_log. Every
 * path that confirms a log (staff, the served resident) counts by it. */
err_code hub_points_for_verdict(struct hub_db *db, const char *device,
                                const char *epoch, uint64_t seq, int minutes,
                                enum confirm_method method,
                                enum confirm_rating rating, int *points);

/* Set (replace) the rule of a scope: a service category key or "post:ID"
 * (ID as post ids are). Refusals (unknown category, bad post id, values
 * out of range) are written to err; ERR_INVAL. */
err_code hub_points_rule_set(struct hub_db *db,
                             const struct hub_points_rule *r, FILE *err);
/* Every rule set, as CSV (scope,per30,satisfied,basic,unsatisfied,cap),
 * with the default first as "*". */
err_code hub_points_rules_csv(struct hub_db *db, FILE *out);

/* ---- the stars of 打擂争星 ------------------------------------------ */

struct hub_star_kind {
    const char *key;                /* on the wire: "environment" */
    const char *zh;                 /* 环保护绿之星 */
    const char *en;
};
/* The six stars, in display order; *n gets 6. */
const struct hub_star_kind *hub_star_kinds(size_t *n);
const struct hub_star_kind *hub_star_kind_find(const char *key);

/* Map a service category to a star (replacing its mapping). ERR_INVAL
 * (said on err) for an unknown category or star. */
err_code hub_points_star_category_set(struct hub_db *db, const char *category,
                                      const char *star, FILE *err);
/* The mapping as CSV (category,category_zh,star,star_zh). */
err_code hub_points_star_categories_csv(struct hub_db *db, FILE *out);

#endif
