/* hub/hub_db_bundle.h - the store's record of the update bundles it
 * offers: name, version, size and SHA-256, for one station or all
 * (scope ""). The files themselves are hub_bundle.c's. */
#ifndef HUB_DB_BUNDLE_H
#define HUB_DB_BUNDLE_H

#include <stdint.h>

#include "base/err.h"
#include "hub/hub_db.h"

#define HUB_BUNDLE_NAME  64

struct hub_bundle_info {
    char     name[HUB_BUNDLE_NAME];     /* "kiosk-1.3.0" */
    char     version[24];
    uint64_t size;
    char     sha256[65];                /* lower-case hex */
};

/* Record a bundle for station (NULL: every station); version_num orders
 * versions. The same name for the same scope is replaced. */
err_code hub_db_bundle_put(struct hub_db *db, const char *station,
                           const struct hub_bundle_info *in,
                           uint64_t version_num);
/* The newest bundle offered to station (its own or every station's).
 * ERR_NOTFOUND when none. */
err_code hub_db_bundle_latest(struct hub_db *db, const char *station,
                              struct hub_bundle_info *out);
/* Bundle `name` if it is offered to station; ERR_NOTFOUND otherwise. */
err_code hub_db_bundle_find(struct hub_db *db, const char *station,
                            const char *name, struct hub_bundle_info *out);

/* One published bundle; scope lives until the callback returns. */
struct hub_bundle_row {
    struct hub_bundle_info info;
    const char            *scope;       /* "" : every station */
    int64_t                published_ms;
};
/* Every published bundle, newest version first. */
err_code hub_db_bundle_each(struct hub_db *db,
                            void (*fn)(void *ctx,
                                       const struct hub_bundle_row *r),
                            void *ctx);

#endif
