/* cmd/hubctl_claims.h - `hubctl claims`, `hubctl claim ...`, `hubctl
 * swaps`, `hubctl swap ...` (cmd/hubctl_claims.c). */
#ifndef HUBCTL_CLAIMS_H
#define HUBCTL_CLAIMS_H

#include "hub/hub_db.h"

/* argv[0] is "claims", "claim", "swaps" or "swap"; options anywhere. */
int hubctl_claims(struct hub_db *db, const char *station, int utc_offset,
                  int argc, char **argv);

#endif
