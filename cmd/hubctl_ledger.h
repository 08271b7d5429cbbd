/* cmd/hubctl_ledger.h - `hubctl ledger ...` (cmd/hubctl_ledger.c). */
#ifndef HUBCTL_LEDGER_H
#define HUBCTL_LEDGER_H

#include "hub/hub_db.h"

/* argv[0] is the ledger command's name; options anywhere. */
int hubctl_ledger(struct hub_db *db, int utc_offset, int argc, char **argv);

#endif
