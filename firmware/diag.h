/* firmware/diag.h - the facts a technician needs about a unit, gathered
 * in one place so `kioskctl status`, `kioskctl export` and the technician
 * screen always show the same thing. Reads only: the store, the state
 * directory and the update layout; never the network. */
#ifndef DIAG_H
#define DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/clock.h"
#include "firmware/config.h"
#include "base/err.h"
#include "firmware/store.h"
#include "firmware/store_salvage.h"
#include "firmware/update.h"

struct diag {
    char     version[24];        /* running version; "dev" unpackaged */
    bool     on_trial;           /* that version is on trial */
    size_t   rollbacks;          /* rollback records not yet reported */
    bool     enrolled;           /* state_dir holds kiosk.crt */
    int64_t  last_sync_ms;       /* wall ms of the last good round; 0 */
    int64_t  hub_offset_ms;      /* hub clock minus ours, last seen */
    bool     online;             /* a good round within 3 intervals */
    uint64_t last_seq, acked_seq, queue;
    char     epoch[33];          /* sequence epoch ("" before epochs) */
    uint64_t epoch_start;
    char     epoch_note[160];    /* "WALL_MS why" of its start; "" */
    uint64_t refused;            /* events the hub refused (its rules) */
    int      schema, members;
    bool     db_ok;
    char     db_check[128];      /* "ok" or SQLite's first complaint */
    int64_t  db_bytes;           /* kiosk.db plus its WAL; -1 unknown */
    int64_t  free_bytes;         /* free to us in state_dir; -1 unknown */
    int64_t  total_bytes;
    struct stamp now;            /* the clock as read (trusted = NTP/hub) */
    /* A salvage of a damaged database not yet acknowledged by a
     * technician (kioskctl salvage-ack, or the technician screen). */
    bool     salvage_pending;
    struct store_salvage salvage;
};

/* Fill d from cfg, the open store and the clock now. */
void diag_collect(const struct config *cfg, struct store *store,
                  struct diag *d);
/* The same at a given time (the UI's scripted clock). */
void diag_collect_at(const struct config *cfg, struct store *store,
                     const struct stamp *now, struct diag *d);

/* The facts as "key: value" lines, as kioskctl prints them. Returns the
 * length written (always terminated). */
size_t diag_format(const struct diag *d, const struct config *cfg,
                   char *out, size_t cap);

/* The pending salvage in one sentence ("" when none), as kioskctl status
 * prints it. */
void diag_salvage_text(const struct diag *d, char *out, size_t cap);

/* "12.3 MB" style, for people. */
void diag_bytes(int64_t n, char *out, size_t cap);

#endif
