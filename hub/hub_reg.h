/* hub/hub_reg.h - 双报到 on the hub: the work units (单位) members report
 * by, the hub settings kiosks follow, and the registration reports.
 * Every change of a unit or a setting goes to every kiosk as a
 * `work_unit` change (sync/PROTOCOL.md). */
#ifndef HUB_REG_H
#define HUB_REG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/err.h"
#include "hub/hub_db.h"

/* The one setting today: whether a member of another station of this hub
 * may register (报到) at a kiosk with their signed card. Off by default. */
#define HUB_SETTING_CROSS_STATION "cross_station_registration"

/* `hubctl unit add CODE NAME [--paired-community C]`: add or rename a
 * unit. ERR_INVAL (reported to err): a bad code or name. */
err_code hub_unit_add(struct hub_db *db, const char *code, const char *name,
                      const char *paired_community, FILE *err);
/* `hubctl unit rm CODE`: ERR_NOTFOUND, or ERR_DENIED while active members
 * name it (reported). */
err_code hub_unit_rm(struct hub_db *db, const char *code, FILE *err);
/* `hubctl unit list`: CSV code,name,paired_community,active_members. */
err_code hub_unit_list(struct hub_db *db, FILE *out);

/* `hubctl setting NAME [on|off]`: set it (and tell the kiosks), or print
 * it. ERR_INVAL (reported): an unknown setting or value. */
err_code hub_setting_cli(struct hub_db *db, const char *name,
                         const char *value, FILE *out, FILE *err);

/* `hubctl report registration [--by community|unit] [--from D --to D]`:
 * CSV by,group,name,on_roster,registered,rate (rate: registered /
 * on_roster, 3 decimals, as the stations report). by NULL: communities,
 * then units. from/to: YYYY-MM-DD local days (to included), NULL: open.
 * ERR_INVAL (reported): a bad --by or date. */
err_code hub_report_registration(struct hub_db *db, const char *by,
                                 const char *from, const char *to,
                                 int utc_offset_minutes, FILE *out,
                                 FILE *err);
/* `hubctl report unregistered [--community C|--unit U]`: CSV
 * member_no,name,community,station,work_unit,unit_name,reg_kind. */
err_code hub_report_unregistered(struct hub_db *db, const char *community,
                                 const char *unit, FILE *out);

#endif
