/* tests/support/page.h - a change page in wire form applied to a kiosk's
 * store as the sync worker does it: decoded by sync/proto.c, then the
 * typed changes applied by store_hub_apply. */
#ifndef PAGE_H
#define PAGE_H

#include <stddef.h>

#include "base/err.h"
#include "firmware/store.h"

/* ERR_PROTO when the page does not decode; else store_hub_apply's answer.
 * cursor as for store_hub_apply (NULL: remember none). */
err_code page_apply(struct store *s, const char *json, size_t len,
                    const char *cursor);

#endif
