/* cmd/kioskctl.h - the parts of kioskctl, one program in several files
 * (cmd/kioskctl*.c) with one command table (cmd/kioskctl.c). Each
 * handler has the table's shape: ctx is the struct ctl, argv[0] the
 * command's name, the result the exit status. */
#ifndef KIOSKCTL_H
#define KIOSKCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "firmware/config.h"
#include "firmware/store.h"

struct ctl {
    struct config cfg;
    struct store *store;
    const char   *config_path;      /* --config FILE, or NULL */
    bool          in_shell;         /* running inside `kioskctl shell` */
};

/* Open <state_dir>/kiosk.db as c->store (making the directory); 0 after
 * saying why not. */
int kctl_open_store(struct ctl *c);
/* A process other than this one with kiosk.db open: its pid and name
 * (comm); 0 if none (cmd/kioskctl_unit.c). */
pid_t kctl_db_holder(const struct ctl *c, char *comm, size_t cap);

/* "<state_dir>/name" into out. */
void kctl_state_path(const struct ctl *c, const char *name, char *out,
                     size_t cap);

/* cmd/kioskctl_hub.c: what talks to the hub. */
int kctl_enrol(void *ctx, int argc, char **argv);
int kctl_sync(void *ctx, int argc, char **argv);
int kctl_sync_worker(void *ctx, int argc, char **argv);
int kctl_update(void *ctx, int argc, char **argv);
int kctl_rollbacks(void *ctx, int argc, char **argv);

/* cmd/kioskctl_unit.c: the unit's own state. */
int kctl_status(void *ctx, int argc, char **argv);
int kctl_show(void *ctx, int argc, char **argv);
int kctl_config(void *ctx, int argc, char **argv);
int kctl_export(void *ctx, int argc, char **argv);
int kctl_decommission(void *ctx, int argc, char **argv);
int kctl_apply(void *ctx, int argc, char **argv);
int kctl_load_demo(void *ctx, int argc, char **argv);

/* cmd/kioskctl_conf.c: set [station] id and [kiosk] device_id in the
 * INI file at path to what the hub assigned, keeping every other line
 * and comment, replacing the file atomically. Returns 0 (written), 1
 * (it held them already), or -1 with msg saying why (the file is then
 * unchanged, unless msg says it reads back wrong). */
int kctl_conf_write_ids(const char *path, const char *station,
                        const char *device, char *msg, size_t cap);

#endif
