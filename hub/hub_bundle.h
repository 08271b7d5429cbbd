/* hub/hub_bundle.h - update bundles the hub offers its kiosks
 * (`hubctl bundle publish`, GET /v1/bundles/...). The file is kept in
 * DIR/bundles/NAME.kbundle, its name, version, size and SHA-256 in the
 * store (hub_db_bundle.h), for one station or all. The hub never
 * installs anything: the kiosk verifies every bundle itself. */
#ifndef HUB_BUNDLE_H
#define HUB_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "hub/hub_db.h"
#include "hub/hub_db_bundle.h"   /* struct hub_bundle_info; latest, find */

#define HUB_BUNDLE_CHUNK (256 * 1024)   /* bytes per ranged answer */

/* Check the bundle at file and store it for station (NULL: every
 * station). With pub_key the release signature and every file's hash
 * are verified (ERR_DENIED / ERR_CORRUPT, msg says why); without, only
 * its header and manifest are parsed, for the version. Publishing a
 * version again replaces it. */
err_code hub_bundle_publish(struct hub_db *db, const char *hub_dir,
                            const char *file, const char *pub_key,
                            const char *station,
                            struct hub_bundle_info *out,
                            char *msg, size_t cap);

/* Up to cap bytes of the stored file from off into *buf (malloc'd).
 * ERR_INVAL: off is at or past the end. */
err_code hub_bundle_read(const char *hub_dir, const char *name, uint64_t off,
                         size_t cap, char **buf, size_t *n);

/* Names are [A-Za-z0-9._-], 1..63 characters. */
bool     hub_bundle_name_ok(const char *name);

#endif
