/* tests/support/fixture.h - what the foundation's tests share: a private
 * temporary directory, a store in it filled with the demo station, and
 * stamps at chosen local times. */
#ifndef FIXTURE_H
#define FIXTURE_H

#include <stdint.h>

#include "base/clock.h"
#include "firmware/config.h"
#include "firmware/store.h"

struct fixture {
    char          dir[256];
    char          db_path[300];
    struct config cfg;
    struct store *store;
};

/* A new temp dir, default config (UTC+8, numbers allowed) and an open
 * store; with_demo loads assets/demo (dates relative to `now`). */
struct fixture *fixture_new(int with_demo, const struct stamp *now);
void            fixture_free(struct fixture *f);   /* removes the dir */

/* A stamp at local (UTC+8) date and time, trusted, on boot "boot-a",
 * with the monotonic clock equal to the wall clock. */
struct stamp fixture_at(int y, int mon, int d, int h, int min);
/* t advanced by minutes, on the same boot. */
struct stamp fixture_plus(struct stamp t, int minutes);

/* rm -rf path; for fixtures only. */
void fixture_rmrf(const char *path);

#endif
