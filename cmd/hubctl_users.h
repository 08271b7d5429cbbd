/* cmd/hubctl_users.h - `hubctl user|org|station ...`: the web console's
 * accounts and the place hierarchy (cmd/hubctl_users.c). */
#ifndef HUBCTL_USERS_H
#define HUBCTL_USERS_H

#include <stdio.h>

#include "hub/hub_db.h"

/* argv[0] is "user", "org" or "station"; options anywhere. */
int hubctl_users(struct hub_db *db, int argc, char **argv);
/* Their usage lines, for `hubctl help`. */
void hubctl_users_usage(FILE *fp);

#endif
