/* cmd/hubctl_points.h - `hubctl points ...`, `hubctl stars category ...`
 * and `hubctl awards ...` (cmd/hubctl_points.c). */
#ifndef HUBCTL_POINTS_H
#define HUBCTL_POINTS_H

#include "hub/hub_db.h"

/* argv[0] is the first word after the command (rule|rules). */
int hubctl_points(struct hub_db *db, int argc, char **argv);
/* stars category [CATEGORY STAR]: argv[0] is "category". */
int hubctl_stars_category(struct hub_db *db, int argc, char **argv);
/* awards YEAR [--posts N] [--members N]: argv[0] is YEAR. */
int hubctl_awards(struct hub_db *db, int utc_offset, int argc, char **argv);

#endif
