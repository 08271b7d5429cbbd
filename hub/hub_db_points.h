/* hub/hub_db_points.h - the store of points rules, the stars' service
 * categories, the freshness marks of the star boards and the year-end
 * awards (hub/hub_points.h, hub/hub_awards.h hold the logic). */
#ifndef HUB_DB_POINTS_H
#define HUB_DB_POINTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "hub/hub_db.h"
#include "hub/hub_db_board.h"
#include "hub/hub_points.h"

/* Tables (points_rules, star_categories with the default mapping,
 * stars_fresh, awards) and service_logs' `post` column. Called from
 * hub_db_open. */
err_code hub_db_points_migrate(struct hub_db *db);

/* The rule of scope; ERR_NOTFOUND when none is set. */
err_code hub_db_points_rule_get(struct hub_db *db, const char *scope,
                                struct hub_points_rule *out);
err_code hub_db_points_rule_put(struct hub_db *db,
                                const struct hub_points_rule *r);
err_code hub_db_points_rules_each(struct hub_db *db,
                                  void (*fn)(void *ctx,
                                             const struct hub_points_rule *r),
                                  void *ctx);

/* The category and post (""; none) of one service log. */
err_code hub_db_log_rule_keys(struct hub_db *db, const char *device,
                              const char *epoch, uint64_t seq,
                              char *category, size_t cat_cap,
                              char *post, size_t post_cap);

err_code hub_db_star_category_put(struct hub_db *db, const char *category,
                                  const char *star);
err_code hub_db_star_categories_each(struct hub_db *db,
                                     void (*fn)(void *ctx, const char *cat,
                                                const char *star),
                                     void *ctx);

/* The members of station with the most points of logs whose category
 * feeds star, on days from since on, most first (ties by member number). */
err_code hub_db_star_board_top(struct hub_db *db, const char *station,
                               const char *star, const char *since,
                               struct hub_star *out, size_t max, size_t *n);

/* What a station's star boards were last computed from (a mark of the
 * day, the latest decision, sign-off, roster size and mapping), and what
 * they would be computed from now. hub_stars_refresh compares them. */
err_code hub_db_stars_marks(struct hub_db *db, const char *today,
                            void (*fn)(void *ctx, const char *station,
                                       const char *now_mark,
                                       const char *last_mark),
                            void *ctx);
err_code hub_db_stars_mark_put(struct hub_db *db, const char *station,
                               const char *mark);

/* ---- year-end awards ---------------------------------------------------- */

/* A post's confirmed points in [from_day, to_day] at station. */
struct hub_post_points {
    char id[64];
    int  points;
};
err_code hub_db_post_points(struct hub_db *db, const char *station,
                            const char *from_day, const char *to_day,
                            struct hub_post_points **out, size_t *n);
/* The posts published to station (its own and every station's): id and
 * the published JSON (holders). A malloc'd array of malloc'd strings,
 * ids[i] with data[i]; free both with hub_db_keys_free. */
err_code hub_db_posts_published(struct hub_db *db, const char *station,
                                char ***ids, char ***data, size_t *n);
/* Every station id (hub_db_keys_free). */
err_code hub_db_station_ids(struct hub_db *db, char ***ids, size_t *n);

struct hub_award {
    int  year;
    char station[64];
    char kind[8];                   /* "post" or "member" */
    int  rank;
    char subject[64];               /* post id or member number */
    char name[64];
    int  points;                    /* per holder for a post */
};
/* Replace the awards of year at station by a[0..n). */
err_code hub_db_awards_put(struct hub_db *db, int year, const char *station,
                           const struct hub_award *a, size_t n);

#endif
