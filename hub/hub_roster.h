/* hub/hub_roster.h - `hubctl import`: the roster from CSV. */
#ifndef HUB_ROSTER_H
#define HUB_ROSTER_H

#include <stdbool.h>
#include <stdio.h>

#include "base/err.h"
#include "hub/hub_db.h"

#define HUB_CSV_LINE_MAX 1024

/* Roster CSV (header member_no,name,phone,community,station). Every line
 * is checked; each bad one is reported to err as "file:line: reason".
 * ERR_INVAL when any line is bad and nothing was imported, unless force
 * (then the good lines are). One transaction; a station's active members
 * missing from the roster are made inactive (reported to err). *imported
 * gets how many members. */
err_code hub_roster_import(struct hub_db *db, const char *path, bool force,
                           FILE *err, int *imported);

#endif
