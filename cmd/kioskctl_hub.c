/* cmd/kioskctl_hub.c - kioskctl's commands that talk to the hub:
 * enrolment, sync rounds and the sync worker, updates (also from a file
 * or a stick) and the rollback records the hub is told about. */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/xmalloc.h"
#include "cmd/kioskctl.h"
#include "firmware/update.h"
#include "sync/sync.h"
#include "sync/sync_bundle.h"
#include "sync/sync_enrol.h"
#include "sync/sync_rollback.h"

static struct update_opts update_opts_of(const struct config *cfg)
{
    struct update_opts o = { .root = cfg->update_root,
                             .pub_key = cfg->release_key,
                             .factory = cfg->factory_dir };
    return o;
}

/* Put the ids the hub assigned where the kiosk will read them. */
static int record_ids(const struct ctl *c, const char *station,
                      const char *device)
{
    char msg[512];
    int rc;

    if (c->config_path == NULL) {
        printf("note: no --config FILE was given: put `id = %s` under"
               " [station] and `device_id = %s` under [kiosk] in the"
               " kiosk's configuration (/etc/kiosk/kiosk.ini on a unit)\n",
               station, device);
        return 0;
    }
    rc = kctl_conf_write_ids(c->config_path, station, device, msg,
                             sizeof msg);
    if (rc < 0) {
        printf("error: %s; set [station] id = %s and [kiosk] device_id ="
               " %s in %s by hand\n", msg, station, device,
               c->config_path);
        return 1;
    }
    if (rc == 0)
        printf("%s: [station] id = %s, [kiosk] device_id = %s\n",
               c->config_path, station, device);
    return 0;
}

/* enrol CODE: the key is made here and never leaves the unit; only a
 * certificate request goes to the hub, over TLS to the pinned CA. */
int kctl_enrol(void *ctx, int argc, char **argv)
{
    char ca[CONFIG_STR + 16], key[CONFIG_STR + 16], crt[CONFIG_STR + 16];
    char station[64], device[64];
    struct ctl *c = ctx;
    err_code e;

    (void)argc;
    if (c->cfg.hub_host[0] == '\0') {
        printf("refused: no hub configured (hub.host)\n");
        return 1;
    }
    kctl_state_path(c, "hub-ca.crt", ca, sizeof ca);
    kctl_state_path(c, "kiosk.key", key, sizeof key);
    kctl_state_path(c, "kiosk.crt", crt, sizeof crt);
    if (access(ca, R_OK) != 0) {
        printf("refused: install the hub's CA as %s first\n", ca);
        return 1;
    }
    struct sync_enrol_opts o = { .host = c->cfg.hub_host,
        .port = c->cfg.hub_port, .ca_file = ca, .code = argv[1],
        .key_file = key, .cert_file = crt, .timeout_ms = 10000 };
    e = sync_enrol(&o, station, sizeof station, device, sizeof device);
    if (e != ERR_OK) {
        printf("enrolment failed: %s\n", e == ERR_DENIED
               ? "the hub refused the code (used, expired or wrong)"
               : e == ERR_TLS ? "the hub is not the one its CA names"
               : err_str(e));
        return 1;
    }
    printf("enrolled with %s as station %s, device %s\n", c->cfg.hub_host,
           station, device);
    /* A new enrolment is a new timeline of seqs: a copied database or a
     * replaced unit under the same device id never reuses a key. */
    if (store_epoch_rotate(c->store, "enrolled", NULL, 0) != ERR_OK)
        printf("warning: could not start a new sequence epoch\n");
    return record_ids(c, station, device);
}

/* The kiosk's worker as sync_create_for() makes it, with the upload
 * batch given here (0: the default); messages for the refusals. */
static int make_sync(const struct ctl *c, int batch, struct sync **out)
{
    char db[CONFIG_STR + 16], ca[CONFIG_STR + 16], key[CONFIG_STR + 16],
        crt[CONFIG_STR + 16];
    struct update_opts uo = update_opts_of(&c->cfg);
    struct update_status us = { .version = "" };
    err_code e;

    kctl_state_path(c, "kiosk.db", db, sizeof db);
    kctl_state_path(c, "hub-ca.crt", ca, sizeof ca);
    kctl_state_path(c, "kiosk.key", key, sizeof key);
    kctl_state_path(c, "kiosk.crt", crt, sizeof crt);
    if (c->cfg.hub_host[0] == '\0') {
        printf("refused: no hub configured (hub.host)\n");
        return 1;
    }
    if (access(crt, R_OK) != 0 || access(key, R_OK) != 0 ||
        access(ca, R_OK) != 0) {
        printf("refused: this kiosk is not enrolled with a hub yet\n");
        return 1;
    }
    if (c->cfg.update_root[0])      /* the running version, for the hub */
        update_status_read(&uo, &us);
    struct sync_opts o = { .db_path = db, .host = c->cfg.hub_host,
        .port = c->cfg.hub_port, .ca_file = ca, .cert_file = crt,
        .key_file = key, .station = c->cfg.station_id,
        .version = us.version[0] ? us.version : NULL,
        .interval_s = c->cfg.sync_interval_seconds, .batch = batch };
    e = sync_create(&o, out);
    if (e != ERR_OK)
        printf("sync failed: %s (key, certificate or CA)\n", err_str(e));
    return e == ERR_OK ? 0 : 1;
}

static volatile sig_atomic_t stop_rounds;

static void on_stop(int sig)
{
    (void)sig;
    stop_rounds = 1;
}

/* Options of `sync`: 0, or -1 after saying what is wrong. */
static int sync_args(int argc, char **argv, int *rounds, int *batch,
                     int *pause_ms)
{
    for (int i = 1; i < argc; i += 2) {
        int *v = strcmp(argv[i], "--rounds") == 0 ? rounds
               : strcmp(argv[i], "--batch") == 0 ? batch
               : strcmp(argv[i], "--pause-ms") == 0 ? pause_ms : NULL;
        char *end;
        long n = i + 1 < argc ? strtol(argv[i + 1], &end, 10) : -1;

        if (v == NULL || i + 1 >= argc || *end || n < 0 || n > 1000000) {
            fprintf(stderr, "kioskctl: sync [--rounds N] [--batch N]"
                    " [--pause-ms MS]\n");
            return -1;
        }
        *v = (int)n;
    }
    return 0;
}

static void print_rounds(struct sync *s, int rounds)
{
    struct sync_status st;

    sync_status_get(s, &st);
    printf("%d rounds, %" PRIu64 " failed; queue %" PRIu64 "%s%s\n",
           rounds, st.failures, st.queue,
           st.last_error[0] ? "; last error: " : "", st.last_error);
}

/* The sync opens a connection of its own; ours closes first. Two in one
 * process are fragile: opening the store again closes a descriptor of
 * the file (store.c, create_private), which drops the process's POSIX
 * locks on it, and another process closing the database then takes
 * itself for the last user and removes the WAL under us. The text
 * session gets its connection back afterwards. */
static void release_store(struct ctl *c)
{
    store_close(c->store);
    c->store = NULL;
}

static int take_store_back(struct ctl *c, int rc)
{
    if (c->in_shell && !kctl_open_store(c))
        return 2;
    return rc;
}

/* One round, or `rounds` of them. */
static int sync_rounds(struct ctl *c, int rounds, int batch, int pause_ms)
{
    struct sync *s;
    struct sync_status st;
    int done = 0;
    err_code e = ERR_OK;

    if (make_sync(c, batch, &s) != 0)
        return 1;
    if (rounds > 0) {
        struct sigaction sa = { .sa_handler = on_stop };
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        for (; done < rounds && !stop_rounds; done++) {
            e = sync_round(s);
            if (pause_ms > 0)
                usleep((useconds_t)pause_ms * 1000);
        }
        print_rounds(s, done);
    } else if ((e = sync_round(s)) == ERR_OK) {
        sync_status_get(s, &st);
        printf("synced with %s: queue %" PRIu64 ", hub clock %+" PRId64
               " ms\n", c->cfg.hub_host, st.queue, st.hub_offset_ms);
    } else {
        printf("sync failed: %s; the kiosk keeps working offline\n",
               err_str(e));
    }
    sync_destroy(s);
    return e == ERR_OK ? 0 : 1;
}

/* sync: one round with the hub now, in this process (the technician's
 * "forced sync"); the kiosk's own worker keeps running meanwhile. With
 * --rounds N, N rounds in a row (a soak, or a test killing either side
 * mid-round), failures tolerated; SIGINT or SIGTERM ends them early. */
int kctl_sync(void *ctx, int argc, char **argv)
{
    struct ctl *c = ctx;
    int rounds = 0, batch = 0, pause_ms = 0;

    if (sync_args(argc, argv, &rounds, &batch, &pause_ms) != 0)
        return 2;
    release_store(c);
    return take_store_back(c, sync_rounds(c, rounds, batch, pause_ms));
}

/* sync-worker: the worker the kiosk runs, alone (a unit without a
 * screen yet, or a test), until SIGINT or SIGTERM. */
int kctl_sync_worker(void *ctx, int argc, char **argv)
{
    struct ctl *c = ctx;
    struct sync *s;
    sigset_t set;
    int sig = 0;

    (void)argc;
    (void)argv;
    /* Blocked before the worker's thread starts, so it inherits the mask
     * and the signal comes to sigwait here. */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    release_store(c);
    if (make_sync(c, 0, &s) != 0)
        return take_store_back(c, 1);
    if (sync_start(s) != ERR_OK) {
        printf("error: the sync worker did not start\n");
        sync_destroy(s);
        return take_store_back(c, 1);
    }
    printf("syncing with %s:%d every %d s until SIGINT or SIGTERM\n",
           c->cfg.hub_host, c->cfg.hub_port, c->cfg.sync_interval_seconds);
    fflush(stdout);
    sigwait(&set, &sig);
    sync_destroy(s);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    printf("stopped\n");
    return take_store_back(c, 0);
}

static void on_progress(void *ctx, enum update_phase phase, uint64_t done,
                        uint64_t total)
{
    static const char *const names[] = { "verifying", "copying",
                                         "switching", "done" };
    (void)ctx;
    printf("\r%-10s %3d%%", names[phase],
           total ? (int)(done * 100 / total) : 100);
    if (phase == UPDATE_DONE)
        printf("\n");
    fflush(stdout);
}

/* update hub: the newest bundle the hub offers, downloaded resumably (a
 * cut link resumes on the next try), then installed like any other. */
static int update_from_hub(struct ctl *c)
{
    char msg[512];
    err_code e = sync_bundle_update_for(&c->cfg, on_progress, NULL, msg,
                                        sizeof msg);

    printf("\n%s%s\n", e == ERR_OK || e == ERR_NOTFOUND ? "" : "refused: ",
           msg);
    return e == ERR_OK || e == ERR_NOTFOUND ? 0 : 1;
}

/* update PATH|DIR|hub: a bundle file, the newest signed one in a directory
 * (a USB stick), or the hub's. Everything is verified before a byte is
 * installed. */
int kctl_update(void *ctx, int argc, char **argv)
{
    struct ctl *c = ctx;
    struct update_opts o = update_opts_of(&c->cfg);
    char path[UPDATE_PATH_MAX], msg[512];
    const char *where = argv[1];
    struct stat st;
    err_code e;

    (void)argc;
    if (strcmp(where, "hub") == 0)
        return update_from_hub(c);
    str_copy(path, sizeof path, where);
    if (stat(where, &st) == 0 && S_ISDIR(st.st_mode) &&
        update_find_bundle(where, o.pub_key, path, sizeof path, msg,
                           sizeof msg) != ERR_OK) {
        printf("refused: %s\n", msg);
        return 1;
    }
    e = update_install(&o, path, on_progress, NULL, msg, sizeof msg);
    if (e != ERR_OK) {
        printf("\nrefused: %s\n", msg);
        return 1;
    }
    printf("installed %s; it starts on trial at the next restart"
           " (systemctl restart kiosk)\n", path);
    return 0;
}

/* rollbacks: the launcher's rollback records under update.root become
 * events for the hub, exactly once (the kiosk does this at start-up). */
int kctl_rollbacks(void *ctx, int argc, char **argv)
{
    struct ctl *c = ctx;
    size_t n = 0;
    err_code e;

    (void)argc;
    (void)argv;
    e = sync_rollbacks_report(c->store, c->cfg.update_root, &n);
    if (e != ERR_OK) {
        printf("error: rollback records in %s: %s\n", c->cfg.update_root,
               err_str(e));
        return 1;
    }
    printf("%zu rollback record(s) queued as events\n", n);
    return 0;
}
