/* firmware/store_reg.h - the kiosk's side of 双报到 (dual registration):
 * the hub's work units and settings as the feed brings them, and when a
 * member registered here. */
#ifndef STORE_REG_H
#define STORE_REG_H

#include <stdbool.h>
#include <stdint.h>

#include "base/change.h"
#include "base/err.h"
#include "firmware/store.h"

/* Meta rows holding the hub's settings: this prefix and the name. */
#define STORE_HUB_SETTING "hub_setting/"

struct work_unit {
    char code[32];
    char name[STORE_NAME];
    char paired_community[STORE_NAME];
};

/* Apply a work_unit change (base/change.h): a unit, or a setting (key
 * "setting/NAME"); and its delete. Inside store_hub_apply's transaction. */
err_code store_work_unit_apply(struct store *s, const struct change *c);
err_code store_work_unit_del(struct store *s, const char *key);

/* A unit by code; ERR_NOTFOUND. */
err_code store_work_unit_get(struct store *s, const char *code,
                             struct work_unit *out);
/* A hub setting ("cross_station_registration"); false when never sent. */
err_code store_hub_setting(struct store *s, const char *name, bool *on);

/* When the member's registration (报到) here was stored (wall ms);
 * ERR_NOTFOUND when there is none. */
err_code store_registered_ms(struct store *s, const char *member_no,
                             int64_t *ms);

#endif
