/* hub/hub_db_units.h - the store's side of 双报到 (dual registration):
 * the hub's list of work units (单位), the hub's settings kiosks follow
 * (cross-station registration), and the registration reports' queries.
 * The console will call the same functions as hubctl. */
#ifndef HUB_DB_UNITS_H
#define HUB_DB_UNITS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "hub/hub_db.h"

#define HUB_UNIT_CODE 32
#define HUB_UNIT_NAME 64

struct hub_unit {
    char code[HUB_UNIT_CODE];           /* pki id form: A-Z a-z 0-9 . _ - */
    char name[HUB_UNIT_NAME];           /* 区教育局 */
    char paired_community[HUB_UNIT_NAME];   /* 结对共建社区, or "" */
};

/* The work_units and hub_settings tables and the members' work_unit and
 * reg_kind columns; called from hub_db_open. */
err_code hub_db_units_migrate(struct hub_db *db);

/* Insert or replace a unit; a unit by code (ERR_NOTFOUND); remove one
 * (ERR_NOTFOUND when there is none). */
err_code hub_db_unit_put(struct hub_db *db, const struct hub_unit *u);
err_code hub_db_unit_get(struct hub_db *db, const char *code,
                         struct hub_unit *out);
err_code hub_db_unit_rm(struct hub_db *db, const char *code);
/* Every unit by code. */
err_code hub_db_units_each(struct hub_db *db,
                           void (*fn)(void *ctx, const struct hub_unit *u),
                           void *ctx);
/* How many active members name the unit. */
err_code hub_db_unit_members(struct hub_db *db, const char *code, int *n);

/* A hub setting ("on"/"off" today); *on false when never set. */
err_code hub_db_setting_get(struct hub_db *db, const char *name, bool *on);
err_code hub_db_setting_put(struct hub_db *db, const char *name, bool on);

/* The registration rate, one callback per group: by is "community" (the
 * roster's community) or "unit" (the work unit's code; "" for members
 * without one). Active members only; registered: with a registration
 * event at any station whose time is in [from_ms, to_ms) (0: open).
 * group_name is the unit's name for units, the community again for
 * communities. */
struct hub_reg_rate {
    const char *by;
    const char *group;
    const char *group_name;
    int         on_roster;
    int         registered;
};
err_code hub_db_reg_rates(struct hub_db *db, const char *by, int64_t from_ms,
                          int64_t to_ms,
                          void (*fn)(void *ctx, const struct hub_reg_rate *r),
                          void *ctx);

/* Active members with no registration event at all, by community and
 * member number; community or unit (code) narrow the list when given. */
struct hub_unregistered {
    const char *member_no, *name, *community, *station;
    const char *work_unit, *unit_name, *reg_kind;
};
err_code hub_db_unregistered(struct hub_db *db, const char *community,
                             const char *unit,
                             void (*fn)(void *ctx,
                                        const struct hub_unregistered *m),
                             void *ctx);

#endif
