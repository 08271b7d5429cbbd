/* cmd/hubctl_reg.h - `hubctl unit ...`, `hubctl setting ...` and the
 * registration reports (cmd/hubctl_reg.c). */
#ifndef HUBCTL_REG_H
#define HUBCTL_REG_H

#include "hub/hub_db.h"

/* argv[0] is the command's name ("unit", "setting", "report"); options
 * (--paired-community, --by, --from, --to, --community, --unit) come as
 * words, anywhere after it. */
int hubctl_unit(struct hub_db *db, int argc, char **argv);
int hubctl_setting(struct hub_db *db, int argc, char **argv);
/* `report registration|unregistered ...`; 2 when argv[1] is neither. */
int hubctl_report_reg(struct hub_db *db, int utc_offset, int argc,
                      char **argv);

#endif
