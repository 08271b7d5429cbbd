/* hub/hub_db_roster_list.h - the console's roster list: a station's
 * members, searched by name or number. */
#ifndef HUB_DB_ROSTER_LIST_H
#define HUB_DB_ROSTER_LIST_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "hub/hub_db.h"
#include "hub/hub_db_roster.h"

typedef void (*hub_member_fn)(void *ctx, const struct hub_member *m,
                              bool active);
/* The members of station (active first, then by number) whose name or
 * number contains q ("" or NULL: all), at most limit of them. */
err_code hub_db_members_list(struct hub_db *db, const char *station,
                             const char *q, int limit, hub_member_fn fn,
                             void *ctx);

#endif
