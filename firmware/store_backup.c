/* firmware/store_backup.c - online copy of the store (store_backup.h). */
#include <sqlite3.h>

#include "base/log.h"
#include "firmware/store_backup.h"
#include "firmware/store_int.h"

/* Pages per backup step: small steps let writers in between, so the
 * kiosk never waits long on an export. */
#define BACKUP_PAGES 256
#define BACKUP_TRIES 200

err_code store_backup(struct store *s, const char *path)
{
    sqlite3 *dst = NULL;
    sqlite3_backup *b;
    int rc, busy = 0;

    if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE |
                        SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        log_warn("store: cannot create backup %s", path);
        sqlite3_close(dst);
        return ERR_IO;
    }
    b = sqlite3_backup_init(dst, "main", s->db, "main");
    if (b == NULL) {
        log_warn("store: backup: %s", sqlite3_errmsg(dst));
        sqlite3_close(dst);
        return ERR_IO;
    }
    do {
        rc = sqlite3_backup_step(b, BACKUP_PAGES);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
            if (++busy > BACKUP_TRIES)
                break;
            sqlite3_sleep(10);
        }
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE)
        log_warn("store: backup to %s: %s", path, sqlite3_errstr(rc));
    sqlite3_close(dst);
    if (rc == SQLITE_DONE)
        return ERR_OK;
    return rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? ERR_BUSY : ERR_IO;
}
