/* hub/hub_db_org.h - the queries behind the console's third pages
 * (points, stars, awards, registration, reports; docs/console.md): the
 * stations under a node of the hierarchy, the year's awards as
 * recorded, and the registration figures narrowed to a set of stations.
 * Rows come to a callback; their strings live until it returns. */
#ifndef HUB_DB_ORG_H
#define HUB_DB_ORG_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "hub/hub_db.h"
#include "hub/hub_db_units.h"

/* The stations under node, by id: node is a district, street or
 * community of org_nodes (its stations through station_places, down
 * every level), or a station id (itself). A malloc'd array of malloc'd
 * ids (hub_db_keys_free); *n 0 when the node has none or is unknown. */
err_code hub_db_org_stations(struct hub_db *db, const char *node,
                             char ***ids, size_t *n);

/* The awards recorded for year (hub_awards_run), by station, kind
 * (posts first), rank. */
struct hub_award_row {
    const char *station, *kind, *subject, *name;
    int         rank, points;
};
err_code hub_db_awards_each(struct hub_db *db, int year,
                            void (*fn)(void *ctx,
                                       const struct hub_award_row *r),
                            void *ctx);

/* hub_db_reg_rates and hub_db_unregistered, counting only the members
 * of stations[0..n) (n 0: every station). One query each, whatever n. */
err_code hub_db_reg_rates_in(struct hub_db *db, const char *by,
                             int64_t from_ms, int64_t to_ms,
                             const char *const *stations, size_t n,
                             void (*fn)(void *ctx,
                                        const struct hub_reg_rate *r),
                             void *ctx);
err_code hub_db_unregistered_in(struct hub_db *db,
                                const char *const *stations, size_t n,
                                void (*fn)(void *ctx,
                                           const struct hub_unregistered *m),
                                void *ctx);

#endif
