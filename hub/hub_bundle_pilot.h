/* hub/hub_bundle_pilot.h - publishing an update bundle from the console:
 * first to one pilot station, then to every station once a pilot kiosk
 * runs it. The bundle is one a technician copied into DIR/incoming/ (the
 * console's forms are 64 KiB at most; a bundle is megabytes, and a
 * browser upload of that size would hold a console worker for as long as
 * the office line takes). Published with hub_bundle_publish, the
 * function `hubctl bundle publish` calls, the release signature checked
 * against DIR/release.pub (required: the console never publishes an
 * unchecked bundle), with the audit line `bundle.publish` (object
 * `station:ID` or `all`) in the same transaction. */
#ifndef HUB_BUNDLE_PILOT_H
#define HUB_BUNDLE_PILOT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "hub/hub_bundle.h"
#include "hub/hub_db.h"

#define HUB_BUNDLE_INCOMING "incoming"   /* under the hub directory */
#define HUB_RELEASE_PUB     "release.pub"

/* Each *.kbundle file in DIR/incoming (name, size), sorted by name. */
err_code hub_bundle_incoming(const char *hub_dir,
                             void (*fn)(void *ctx, const char *name,
                                        long long size),
                             void *ctx);

/* Publish DIR/incoming/FILE (station non-NULL: the pilot) or the stored
 * DIR/bundles/NAME.kbundle (station NULL: every station), verified with
 * DIR/release.pub, audited by actor. msg says why on a refusal
 * (ERR_NOTFOUND: no such file or no release key; ERR_DENIED/ERR_CORRUPT:
 * the signature or a hash). */
err_code hub_bundle_publish_audited(struct hub_db *db, const char *hub_dir,
                                    const char *file, const char *station,
                                    const char *actor,
                                    struct hub_bundle_info *out, char *msg,
                                    size_t cap);

/* Whether a kiosk's report shows it runs `version` without having rolled
 * back from it: its version is `version` and its last rollback (the
 * fleet report's text "TIME FROM->TO (REASON)", "" when none) does not
 * start from it. */
bool hub_bundle_pilot_ok(const char *version, const char *kiosk_version,
                         const char *last_rollback);

#endif
