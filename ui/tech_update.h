/* ui/tech_update.h - "update from USB" on the technician screen: finds
 * the newest signed bundle in a directory and installs it on a worker
 * thread, so the screen keeps drawing its progress bar; the UI thread
 * polls a copy of the progress and never blocks on the install. */
#ifndef TECH_UPDATE_H
#define TECH_UPDATE_H

#include <stdbool.h>
#include <stdint.h>

#include "firmware/config.h"
#include "base/err.h"
#include "firmware/update.h"

struct tech_update;

struct tech_update_view {
    bool              finding;      /* looking for a bundle, no phase yet */
    enum update_phase phase;
    uint64_t          done, total;
    int               permille;     /* of the whole job, for the bar */
    bool              finished;
    err_code          result;       /* once finished */
    char              msg[512];     /* refusal, or the installed version */
};

/* Start on cfg's update.usb_dir, root, release key and factory dir.
 * hold: stop at the start of each phase until tech_update_step (tests
 * use it to look at each phase; the kiosk never holds). */
err_code tech_update_start(const struct config *cfg, bool hold,
                           struct tech_update **out);
void     tech_update_view(struct tech_update *u, struct tech_update_view *v);
/* Let a held job go on to its next phase. */
void     tech_update_step(struct tech_update *u);
/* Wait up to timeout_ms until the job is held or finished; true if so. */
bool     tech_update_wait(struct tech_update *u, int timeout_ms);
/* Forget the job: a finished one is freed now, a running one frees
 * itself when its install ends (an install is never cut short). */
void     tech_update_destroy(struct tech_update *u);   /* NULL: no-op */

#endif
