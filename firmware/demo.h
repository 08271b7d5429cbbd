/* firmware/demo.h - loads the demo station (assets/demo/) into a kiosk's
 * store without a hub, by turning the files into one change-feed page and
 * applying it like any page from the hub. */
#ifndef DEMO_H
#define DEMO_H

#include "base/clock.h"
#include "base/err.h"
#include "firmware/store.h"

/* ERR_IO: a file is missing; ERR_INVAL: a file is malformed (logged with
 * its name and line). Dates in the files are relative to `now`. */
err_code demo_load(struct store *s, const char *dir, int utc_offset_minutes,
                   const struct stamp *now);

#endif
