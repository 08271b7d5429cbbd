/* hub/hub_db_roster.h - the store's roster: members of each station,
 * kept after they leave (inactive) for reports and history. */
#ifndef HUB_DB_ROSTER_H
#define HUB_DB_ROSTER_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "hub/hub_db.h"

struct hub_member {
    char member_no[32];
    char name[64];
    char phone[24];
    char community[64];
    char station[64];
    char work_unit[32];           /* a work_units code (单位), or "" */
    char reg_kind[16];            /* "residence", "paired" or "" */
};

/* Insert or replace a member, active or not. */
err_code hub_db_member_put(struct hub_db *db, const struct hub_member *m,
                           bool active);
/* A member by number (active or not); ERR_NOTFOUND. */
err_code hub_db_member_get(struct hub_db *db, const char *member_no,
                           struct hub_member *out);
/* The active members of every station named in `roster` who are not in
 * it, in a malloc'd array (*out, *n; free it). */
err_code hub_db_members_missing(struct hub_db *db,
                                const struct hub_member *roster, size_t n,
                                struct hub_member **out, size_t *n_out);
/* Whether the member is active; ERR_NOTFOUND. */
err_code hub_db_member_active(struct hub_db *db, const char *member_no,
                              bool *active);
/* A member's PIN hash ("" when none) and setting it. */
err_code hub_db_member_pin_get(struct hub_db *db, const char *member_no,
                               char *out, size_t cap);
err_code hub_db_member_pin_set(struct hub_db *db, const char *member_no,
                               const char *pin_hash);
/* How many active members a station has. */
err_code hub_db_station_active(struct hub_db *db, const char *station,
                               int *n);

#endif
