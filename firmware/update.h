/* firmware/update.h - installing signed bundles into two slots, and the
 * launcher that starts a new version on trial and rolls back by itself.
 *
 * Layout under a root directory (docs/updates.md):
 *   slots/a/, slots/b/   installed versions (bundle files + MANIFEST)
 *   current              symlink "slots/a" or "slots/b", switched by rename;
 *                        absent: the factory version the package installed
 *   trial                the slot on trial, its predecessor and boot count
 *   rollbacks.log        one line per automatic rollback, for the hub
 *   snapshots/           database copies taken before a trial boot
 * An install verifies the whole bundle before writing a byte, writes only
 * the inactive slot, then records the trial and switches `current`; the
 * installer can be killed at any point and the unit still starts a valid
 * version. The launcher (kiosk-launch, the systemd service) starts the
 * kiosk from `current`; a version on trial must call update_report_healthy
 * within the trial time, or it is stopped and the previous slot returns;
 * one that exits before reporting is restarted, and after max_boots
 * starts it is rolled back too. */
#ifndef UPDATE_H
#define UPDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define UPDATE_MAX_BOOTS 3          /* trial starts before a rollback */
#define UPDATE_TRIAL_MS  120000     /* time a trial has to report healthy */
#define UPDATE_PATH_MAX  512

struct update_opts {
    const char *root;               /* the layout above */
    const char *pub_key;            /* release public key (PEM) */
    const char *factory;            /* the package's own version, or NULL */
};

enum update_phase {
    UPDATE_VERIFY,                  /* done/total: bytes hashed */
    UPDATE_COPY,                    /* done/total: bytes written */
    UPDATE_SWITCH,                  /* done/total: steps of 3 */
    UPDATE_DONE,
};

/* Called as the install advances, for a progress bar. */
typedef void (*update_progress_fn)(void *ctx, enum update_phase phase,
                                   uint64_t done, uint64_t total);

/* Install the bundle at path into the inactive slot and put it on trial
 * (it runs on the next start of the launcher). msg gets a sentence for
 * the technician whenever the result is not ERR_OK:
 * ERR_DENIED  unsigned, wrong key, older or equal version, or the
 *             installed version is below the bundle's min_version;
 * ERR_CORRUPT truncated, altered, malformed; ERR_BUSY another update is
 * still on trial; ERR_IO disk full or unwritable. Nothing changes unless
 * ERR_OK. */
err_code update_install(const struct update_opts *o, const char *path,
                        update_progress_fn fn, void *ctx,
                        char *msg, size_t cap);

/* The newest bundle ("*.kbundle") in dir whose signature the release key
 * verifies, e.g. on a USB stick; its path goes to path. ERR_NOTFOUND with
 * a message when there is none. Install it with update_install, which
 * checks everything again. */
err_code update_find_bundle(const char *dir, const char *pub_key,
                            char *path, size_t cap, char *msg, size_t mcap);

/* A bundle offered by the hub, fetched in ranges. get reads up to cap
 * bytes from offset into buf and sets *n (at least 1 on ERR_OK); any
 * error ends this attempt (ERR_NET for a cut link) and the next call of
 * update_fetch resumes where the bytes on disk end. */
struct update_fetch {
    const char *name;               /* [A-Za-z0-9._-], e.g. "kiosk-1.3.0" */
    uint64_t    size;               /* as the hub announced it */
    err_code  (*get)(void *ctx, uint64_t offset, void *buf, size_t cap,
                     size_t *n);
    void       *ctx;
};

/* Download (or finish downloading) into root/incoming/; on ERR_OK path
 * names the complete file, ready for update_install. Progress is
 * reported as UPDATE_COPY bytes. ERR_INVAL for a bad name or size;
 * ERR_PROTO when the peer sends nothing or too much. */
err_code update_fetch(const char *root, const struct update_fetch *f,
                      update_progress_fn fn, void *ctx,
                      char *path, size_t cap);

/* The version that starts now and its directory (slot or factory).
 * ERR_NOTFOUND when nothing is installed. */
err_code update_current(const struct update_opts *o, char *version,
                        size_t vcap, char *dir, size_t dcap);

/* What kioskctl status and the technician screen show. */
struct update_status {
    char version[24];               /* starts now; "" if nothing */
    char dir[UPDATE_PATH_MAX];
    bool on_trial;                  /* version is on trial */
    int  trial_starts;              /* starts used, of UPDATE_MAX_BOOTS */
    size_t rollbacks;               /* records not yet sent to the hub */
};

void update_status_read(const struct update_opts *o, struct update_status *st);

struct update_launch_opts {
    struct update_opts base;
    char *const *args;              /* kiosk arguments (NULL-terminated) */
    unsigned trial_ms;              /* 0: UPDATE_TRIAL_MS */
    int      max_boots;             /* 0: UPDATE_MAX_BOOTS */
    const char *db_path;            /* database to snapshot, or NULL */
};

/* Run the kiosk once as described above; returns when a version that is
 * not (or no longer) on trial exits, with its wait status in *status.
 * ERR_NOTFOUND: nothing installed to start. */
err_code update_launch(const struct update_launch_opts *l, int *status);

/* Tell the launcher this version works: the kiosk calls it once its
 * store is open and its main loop has run. A no-op when not on trial. */
void update_report_healthy(void);

/* The rollback records, one line each: "<unix ms> <version rolled back>
 * <version restored> <reason>", always terminated; *n gets the number of
 * lines. ERR_NOTFOUND when there are none. The caller queues them for the
 * hub (as events, say), then calls update_rollbacks_clear. */
err_code update_rollbacks_read(const char *root, char *buf, size_t cap,
                               size_t *n);
err_code update_rollbacks_clear(const char *root);

#endif
