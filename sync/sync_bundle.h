/* sync/sync_bundle.h - updates from the hub: ask for the newest bundle
 * offered to this station (GET /v1/bundles/latest), download it in
 * ranges when it is newer than the running version (GET
 * /v1/bundles/NAME, Range: bytes=N-, through update_fetch, which resumes
 * from the bytes on disk after a cut), check the hub's SHA-256 of the
 * whole file, and hand it to update_install, which verifies everything
 * again (the download is never trusted). Runs in the caller's thread on
 * its own connection; safe beside the sync worker. */
#ifndef SYNC_BUNDLE_H
#define SYNC_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "firmware/update.h"
#include "sync/sync.h"

#define SYNC_BUNDLE_REPLY_MAX (1024 * 1024)   /* one ranged answer */

struct sync_bundle_offer {
    char     name[64];                /* "kiosk-1.3.0" */
    char     version[24];
    uint64_t size;
    char     sha256[65];
};

struct config;

/* Ask the hub what it offers. ERR_NOTFOUND: no bundle for us. Only
 * o's host, port, ca/cert/key files and timeout are used. */
err_code sync_bundle_offer(const struct sync_opts *o,
                           struct sync_bundle_offer *out);

/* Update from the hub. fn (optional) sees UPDATE_COPY while the bundle
 * downloads, then update_install's phases. msg gets a sentence for the
 * technician in every case. Returns
 *   ERR_OK        installed; the new version starts on trial next start
 *   ERR_NOTFOUND  nothing newer at the hub (nothing downloaded)
 *   ERR_BUSY      the running version is still on trial
 *   ERR_NET, ERR_TIMEOUT, ERR_TLS   the link failed; the bytes so far
 *                 stay on disk and the next call resumes after them
 *   ERR_CORRUPT   the download does not match the hub's SHA-256 (it is
 *                 removed), or update_install's ERR_CORRUPT
 *   ERR_DENIED    update_install refused it (signature, downgrade ...)
 * Nothing is installed unless ERR_OK. */
err_code sync_bundle_update(const struct sync_opts *o,
                            const struct update_opts *u,
                            update_progress_fn fn, void *ctx,
                            char *msg, size_t cap);

/* The same from the kiosk's configuration (state_dir files, [hub],
 * [update] root, release key and factory directory): what the
 * technician screen calls. ERR_UNSUPPORTED: no hub configured;
 * ERR_NOTFOUND also when not enrolled (msg says which). */
err_code sync_bundle_update_for(const struct config *cfg,
                                update_progress_fn fn, void *ctx,
                                char *msg, size_t cap);

#endif
