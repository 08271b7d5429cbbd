/* firmware/store_backup.h - a consistent copy of the kiosk's database
 * while it is in use (the technician's diagnostics export). */
#ifndef STORE_BACKUP_H
#define STORE_BACKUP_H

#include "base/err.h"
#include "firmware/store.h"

/* Copy the whole database to path (created or replaced) with SQLite's
 * online backup API, so the copy is one consistent snapshot even while
 * the kiosk or its sync worker write. ERR_IO when path cannot be
 * written; ERR_BUSY when the database stayed locked. */
err_code store_backup(struct store *s, const char *path);

#endif
