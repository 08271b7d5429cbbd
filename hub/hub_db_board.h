/* hub/hub_db_board.h - what the store remembers of published boards (the
 * last items of each scope and type, so a new publication sends only the
 * differences) and the points the star board ranks. */
#ifndef HUB_DB_BOARD_H
#define HUB_DB_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "hub/hub_db.h"

/* scope is a station id or "*" (every station). */

/* Whether key was published under (scope, type) with exactly data. */
bool     hub_db_published_same(struct hub_db *db, const char *scope,
                               const char *type, const char *key,
                               const char *data);
/* The keys published under (scope, type): a malloc'd array of malloc'd
 * strings (free with hub_db_keys_free). */
err_code hub_db_published_keys(struct hub_db *db, const char *scope,
                               const char *type, char ***keys, size_t *n);
void     hub_db_keys_free(char **keys, size_t n);
/* Forget every item of (scope, type). */
err_code hub_db_published_clear(struct hub_db *db, const char *scope,
                                const char *type);
/* Forget one item (none is fine): a photo replaced or removed. */
err_code hub_db_published_del(struct hub_db *db, const char *scope,
                              const char *type, const char *key);
err_code hub_db_published_put(struct hub_db *db, const char *scope,
                              const char *type, const char *key,
                              const char *data);

struct hub_star {
    char member_no[32];
    int  points;
};
/* The members of station with the most points (confirmed logs on days
 * from `since` (YYYY-MM-DD) on, fulfilled wishes signed off from
 * since_ms on), most first (ties by member number), at most
 * max of them into out (*n). */
err_code hub_db_stars_top(struct hub_db *db, const char *station,
                          const char *since, int64_t since_ms,
                          struct hub_star *out, size_t max, size_t *n);

/* Every member on station's roster with the confirmed points of its logs
 * at station on days from since[0], since[1], since[2] on (month,
 * quarter, year): the sums the star board ranks. A malloc'd array. */
struct hub_member_points {
    char member_no[32];
    int  points[3];
};
err_code hub_db_member_points(struct hub_db *db, const char *station,
                              const char *const since[3],
                              const int64_t since_ms[3],
                              struct hub_member_points **out, size_t *n);

/* The members of station with points from confirmed logs on days
 * from_day..to_day and wishes signed off from_ms..to_ms (both ends
 * included), most first (ties by member number), with their names: the
 * year-end ranking (hub_awards.h). A malloc'd array. */
struct hub_star_named {
    char member_no[32];
    char name[64];
    int  points;
};
err_code hub_db_member_points_between(struct hub_db *db, const char *station,
                                      const char *from_day,
                                      const char *to_day, int64_t from_ms,
                                      int64_t to_ms,
                                      struct hub_star_named **out, size_t *n);

#endif
