/* firmware/store_salvage.h - opening the kiosk's database with a check,
 * and what happens when the check fails: the damaged file is kept for the
 * technician, a fresh store is built beside it with the sync state and
 * every unsent event that can still be read (same sequence numbers), and
 * the hub's state is pulled again from the start. Nothing is half-read:
 * a sequence number whose event cannot be read is sent as a "lost" event,
 * so the hub's record has no silent gap (docs/board.md, technician).
 * Must not: know about screens or the network. */
#ifndef STORE_SALVAGE_H
#define STORE_SALVAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "firmware/store.h"

#define STORE_SALVAGE_PATH    512
#define STORE_SALVAGE_PROBLEM 160

/* The note a salvage leaves in the new store's meta. */
struct store_salvage {
    int64_t  when_ms;                       /* wall clock of the salvage */
    char     kept[STORE_SALVAGE_PATH];      /* the damaged file, kept */
    char     problem[STORE_SALVAGE_PROBLEM]; /* quick_check's first one */
    uint64_t salvaged;                      /* unsent events copied */
    uint64_t lost;                          /* unsent ones unreadable */
    bool     acknowledged;                  /* by a technician */
};

/* "ok", or the first problem PRAGMA quick_check finds (ERR_CORRUPT).
 * Reads the whole file: milliseconds for a kiosk's (docs/board.md). */
err_code store_quick_check(struct store *s, char *msg, size_t cap);

/* store_open after a quick_check. A damaged file that is ours is
 * salvaged when `salvage` (the caller knows no other process has it
 * open); *did (may be NULL) says whether that happened now. Without
 * `salvage`, or when even the event sequence cannot be read, a damaged
 * file is left as it is: ERR_CORRUPT, nothing changed. */
err_code store_open_checked(const char *path, bool salvage,
                            struct store **out, bool *did);

/* The last salvage's note: ERR_NOTFOUND when there was none. */
err_code store_salvage_get(struct store *s, struct store_salvage *out);
/* A technician has read the note: screens and status stop showing it. */
err_code store_salvage_ack(struct store *s);

#endif
