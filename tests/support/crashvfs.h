/* tests/support/crashvfs.h - a SQLite VFS that models a power cut, for
 * tests only (like the crash VFS of SQLite's own test suite).
 *
 * It wraps the default unix VFS and writes through to the real files, but
 * remembers, per file, what every 512-byte sector held when the file was
 * last synced (captured before the first write to it since that xSync),
 * the size at that sync, and the directory entries (files created or
 * deleted) not yet made durable by a directory sync. Nothing is flushed
 * for real: the page cache plays the disk, and durability is what this
 * journal says, so tests run fast.
 *
 * Armed with a cut point, the Nth write, truncate, sync or delete of a
 * tracked file cuts the power: the process rewrites the files on disk to
 * "last synced content + an arbitrary subset of the unsynced writes" and
 * _exit()s with CRASHVFS_EXIT. Run the workload in a forked child; the
 * parent then calls crashvfs_reboot() and opens the damaged files.
 *
 * What a cut does to each tracked file (modes picked per cut by its seed):
 * - drop every unsynced write, or keep them all (a SIGKILL), or keep a
 *   random subset of whole 4096-byte pages, or of 512-byte sectors (a page
 *   torn at sector granularity);
 * - a size changed since the last sync (truncate or extend) may be undone;
 *   sectors past the synced size that are dropped read as zeros;
 * - directory entries: the unix VFS fsyncs the directory on the first
 *   xSync of a WAL or journal opened with SQLITE_OPEN_CREATE, and on
 *   xDelete(dirSync=1); this shim marks the directory durable at the same
 *   points. Until then a created file may vanish and a deleted one may
 *   come back (with its content as last synced).
 * Not modelled: the -shm file (SQLite rebuilds it on the first open after
 * a reboot), files SQLite does not open (a file created with open(2)
 * before SQLite first opens it counts as durable when first seen),
 * reordering inside a single sector, bit rot. Single-threaded use only. */
#ifndef CRASHVFS_H
#define CRASHVFS_H

#include <stdint.h>

#define CRASHVFS_EXIT 77            /* the exit status of a power cut */

/* What survives of the unsynced writes. */
enum crashvfs_mode {
    CRASHVFS_RANDOM,                /* one of the below, by the seed */
    CRASHVFS_DROP,                  /* none */
    CRASHVFS_KEEP,                  /* all (as after a SIGKILL) */
    CRASHVFS_PAGES,                 /* a random subset of 4096-byte pages */
    CRASHVFS_SECTORS,               /* ...of 512-byte sectors: torn pages */
};

/* Register the shim as the default VFS (once per process). 0 on success. */
int  crashvfs_install(void);
/* Cut the power at the cut_at-th counted operation from now (0: never);
 * seed drives which unsynced writes survive. Call in the child. */
void crashvfs_arm(uint64_t cut_at, uint64_t seed, enum crashvfs_mode mode);
/* Counted operations (write, truncate, sync, delete) since the last arm. */
uint64_t crashvfs_ops(void);
/* After a child cut the power: whatever is on disk now is durable. No
 * tracked file may be open. */
void crashvfs_reboot(void);

#endif
