/* hub/hub_org.h - reports and rules over the hierarchy (district ->
 * street -> community -> station), shared by hubctl and the console:
 *
 *  - a report's HIERARCHY filter: a node turned into its stations
 *    (hub_filter_org), so `hubctl report ... --org NODE` and the
 *    console's /reports pick the same stations;
 *  - whether a user's scope covers a node (hub_user_may_node): a
 *    community secretary may pick her community or one of its stations,
 *    never the street above it or another community;
 *  - who may change what is hub-wide (points rules, the stars'
 *    categories): administrators and district editors
 *    (hub_user_may_hubwide); awards are computed by administrators;
 *  - those changes, audited in their transaction (points.rule,
 *    stars.category), as the console and hubctl make them. */
#ifndef HUB_ORG_H
#define HUB_ORG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/err.h"
#include "hub/hub_db.h"
#include "hub/hub_filter.h"
#include "hub/hub_points.h"
#include "hub/hub_table.h"
#include "hub/hub_users.h"

/* The stations a filter was narrowed to (owned here, pointed to by the
 * filter): free with hub_org_set_free once the report is written. */
struct hub_org_set {
    char  **ids;
    size_t  n;
};
void hub_org_set_free(struct hub_org_set *s);

/* Narrow f to the stations under node (a district, street or community
 * id, or a station id). ERR_NOTFOUND with msg: no such node, or it has
 * no station (an empty set must not read as "every station"). */
err_code hub_filter_org(struct hub_db *db, struct hub_filter *f,
                        const char *node, struct hub_org_set *keep,
                        char *msg, size_t cap);

/* May u see node: an administrator any; a station user her station;
 * others a node at or below their scope (walking up from node). */
bool hub_user_may_node(struct hub_db *db, const struct hub_user_row *u,
                       const char *node);
/* May u change what holds for every station of the hub: an
 * administrator, or a district editor. */
bool hub_user_may_hubwide(const struct hub_user_row *u);

/* hub_points_rule_set (the same checks, said on err) with its audit line
 * `points.rule`, object `points:SCOPE`, before and after, in one
 * transaction. */
err_code hub_points_rule_set_by(struct hub_db *db,
                                const struct hub_points_rule *r,
                                const char *actor, FILE *err);
/* hub_points_star_category_set with its audit line `stars.category`,
 * object `category:KEY`. */
err_code hub_points_star_category_set_by(struct hub_db *db,
                                         const char *category,
                                         const char *star,
                                         const char *actor, FILE *err);

/* The registration rates (hub_db_reg_rates_in) of f's stations and
 * period (registrations made in it) as two tables: by community, then
 * by work unit. */
err_code hub_reg_build(struct hub_db *db, const struct hub_filter *f,
                       enum hub_lang lang, struct hub_book *out);

#endif
