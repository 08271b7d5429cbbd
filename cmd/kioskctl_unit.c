/* cmd/kioskctl_unit.c - kioskctl's commands on the unit's own state:
 * diagnostics, the store's counters, the configuration, a diagnostics
 * export for a USB stick, decommissioning, and loading data without a
 * hub (a saved change page, the demo). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/change.h"
#include "base/clock.h"
#include "base/file.h"
#include "base/xmalloc.h"
#include "cmd/kioskctl.h"
#include "firmware/demo.h"
#include "firmware/diag.h"
#include "firmware/store_backup.h"
#include "firmware/update.h"
#include "sync/proto.h"

/* The unit board/systemd/ installs the kiosk as. */
#define KIOSK_UNIT "kiosk.service"

extern char **environ;

int kctl_status(void *ctx, int argc, char **argv)
{
    static char text[4096];
    struct ctl *c = ctx;
    struct diag d;

    (void)argc;
    (void)argv;
    diag_collect(&c->cfg, c->store, &d);
    diag_format(&d, &c->cfg, text, sizeof text);
    fputs(text, stdout);
    return d.db_ok ? 0 : 1;
}

/* show [MEMBER...]: the store's sync counters on one line (for scripts
 * and tests), the notices, and each named member's service logs with
 * their status (0 pending, 1 confirmed, 2 rejected) and points. */
int kctl_show(void *ctx, int argc, char **argv)
{
    enum { NOTICES = 64, LOGS = 32 };
    struct ctl *c = ctx;
    struct notice *nt = xcalloc(NOTICES, sizeof *nt);
    uint64_t last = 0, acked = 0;
    struct store_sync_state ss = { 0 };
    int members = 0;
    size_t nn = 0;

    store_last_seq(c->store, &last);
    store_acked_seq(c->store, &acked);
    store_sync_state_get(c->store, &ss);
    store_member_count(c->store, &members);
    store_notices(c->store, nt, NOTICES, &nn);
    printf("last_seq=%" PRIu64 " acked=%" PRIu64 " cursor=%s members=%d"
           " notices=%zu\n", last, acked, ss.cursor[0] ? ss.cursor : "-", members,
           nn);
    for (size_t i = 0; i < nn; i++)
        printf("notice %s %s\n", nt[i].id, nt[i].title);
    free(nt);
    for (int i = 1; i < argc; i++) {
        struct service_log l[LOGS];
        size_t n = 0;

        store_logs_for(c->store, argv[i], INT64_MIN / 2, INT64_MAX / 2, l,
                       LOGS, &n);
        for (size_t j = 0; j < n; j++)
            printf("log %s seq=%" PRIu64 " status=%d points=%d\n", argv[i],
                   l[j].seq, (int)l[j].status, l[j].points);
    }
    return 0;
}

int kctl_config(void *ctx, int argc, char **argv)
{
    static char dump[8192];
    struct ctl *c = ctx;

    (void)argc;
    (void)argv;
    config_dump(&c->cfg, dump, sizeof dump);
    fputs(dump, stdout);
    return 0;
}

/* Copy the command's output into f; nothing when it is not there. */
static void append_command(FILE *f, const char *title, const char *cmd)
{
    char buf[4096];
    size_t n, total = 0;
    FILE *p = popen(cmd, "r");

    if (p == NULL)
        return;
    fprintf(f, "\n[%s]\n", title);
    while ((n = fread(buf, 1, sizeof buf, p)) > 0 && total < (8u << 20)) {
        fwrite(buf, 1, n, f);
        total += n;
    }
    pclose(p);
}

static void write_status(struct ctl *c, FILE *f)
{
    static char text[16384];
    struct update_opts o = { .root = c->cfg.update_root,
                             .pub_key = c->cfg.release_key,
                             .factory = c->cfg.factory_dir };
    struct update_status us;
    struct diag d;
    size_t n;

    diag_collect(&c->cfg, c->store, &d);
    diag_format(&d, &c->cfg, text, sizeof text);
    fprintf(f, "[diagnostics]\n%s", text);
    update_status_read(&o, &us);
    fprintf(f, "\n[update]\nversion: %s\ndir: %s\non_trial: %s\n"
            "trial_starts: %d\n", us.version[0] ? us.version : "-", us.dir,
            us.on_trial ? "yes" : "no", us.trial_starts);
    if (update_rollbacks_read(c->cfg.update_root, text, sizeof text, &n)
        == ERR_OK)
        fprintf(f, "rollbacks:\n%s", text);
    config_dump(&c->cfg, text, sizeof text);
    fprintf(f, "\n[config]\n");
    /* The PIN hash stays on the unit: four digits are cheap to guess
     * from it offline. */
    for (char *l = text, *e; *l; l = e) {
        e = strchr(l, '\n');
        e = e ? e + 1 : l + strlen(l);
        if (strncmp(l, "tech_pin_hash", 13) == 0)
            fprintf(f, "tech_pin_hash = (not exported)\n");
        else
            fwrite(l, 1, (size_t)(e - l), f);
    }
    if (access("/bin/journalctl", X_OK) == 0 ||
        access("/usr/bin/journalctl", X_OK) == 0)
        append_command(f, "journal", "journalctl -u kiosk --no-pager -n 500"
                       " 2>/dev/null");
}

/* export DIR: a diagnostics bundle for a USB stick, in
 * DIR/<device>-<UTC time>/: status.txt and a consistent kiosk.db copy. */
int kctl_export(void *ctx, int argc, char **argv)
{
    char out[CONFIG_STR * 2], path[CONFIG_STR * 2 + 16], when[32];
    struct ctl *c = ctx;
    time_t t = time(NULL);
    struct tm tm;
    FILE *f;

    (void)argc;
    umask(077);                 /* member data: owner only, even on FAT */
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y%m%dT%H%M%SZ", &tm);
    snprintf(out, sizeof out, "%s/%s-%s", argv[1], c->cfg.device_id, when);
    if (mkdir(out, 0700) != 0) {
        printf("error: cannot create %s: %s\n", out, strerror(errno));
        return 1;
    }
    snprintf(path, sizeof path, "%s/status.txt", out);
    f = fopen(path, "w");
    if (f == NULL) {
        printf("error: cannot write %s\n", path);
        return 1;
    }
    write_status(c, f);
    if (fclose(f) != 0) {
        printf("error: %s is incomplete (stick full?)\n", path);
        return 1;
    }
    snprintf(path, sizeof path, "%s/kiosk.db", out);
    if (store_backup(c->store, path) != ERR_OK) {
        printf("error: the database copy %s failed\n", path);
        return 1;
    }
    printf("exported to %s\n", out);
    return 0;
}

/* Overwrite a file with zeros (and make it reach the disk) before the
 * name goes, so an unlinked key is not left readable in free blocks. */
static int wipe_file(const char *path)
{
    static const char zero[4096];
    struct stat st;
    int fd;

    if (stat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if ((fd = open(path, O_WRONLY)) >= 0) {
        for (off_t done = 0; done < st.st_size; done += sizeof zero)
            if (write(fd, zero, sizeof zero) < 0)
                break;
        fsync(fd);
        close(fd);
    }
    return unlink(path);
}

/* `prog a b c` without a shell; its exit status, or -1. */
static int run_prog(const char *prog, const char *a, const char *b,
                    const char *c)
{
    char *args[] = { (char *)prog, (char *)a, (char *)b, (char *)c, NULL };
    pid_t pid;
    int st;

    fflush(stdout);
    if (posix_spawnp(&pid, prog, NULL, NULL, args, environ) != 0)
        return -1;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Stop kiosk.service when systemd runs it: 0 when it is stopped (or was
 * not running), -1 when it would not stop. KIOSK_SYSTEMCTL names a
 * program to use in systemctl's place (tests); without it, systemctl,
 * and only on a system systemd booted. */
static int stop_service(void)
{
    const char *prog = getenv("KIOSK_SYSTEMCTL");
    int rc;

    if (prog == NULL || *prog == '\0') {
        if (access("/run/systemd/system", F_OK) != 0)
            return 0;
        prog = "systemctl";
    }
    if (run_prog(prog, "is-active", "--quiet", KIOSK_UNIT) != 0)
        return 0;
    printf("stopping %s\n", KIOSK_UNIT);
    rc = run_prog(prog, "stop", KIOSK_UNIT, NULL);
    if (rc != 0) {
        printf("refused: `%s stop %s` failed (%d); nothing wiped\n", prog,
               KIOSK_UNIT, rc);
        return -1;
    }
    return 0;
}

/* Does process pid have the file `target` open? */
static int holds(pid_t pid, const char *target)
{
    char dir[64], fd[320], link[PATH_MAX];
    struct dirent *e;
    DIR *d;
    int found = 0;

    snprintf(dir, sizeof dir, "/proc/%d/fd", (int)pid);
    if ((d = opendir(dir)) == NULL)
        return 0;               /* gone, or another user's */
    while (!found && (e = readdir(d)) != NULL) {
        ssize_t n;

        snprintf(fd, sizeof fd, "%s/%s", dir, e->d_name);
        n = readlink(fd, link, sizeof link - 1);
        if (n > 0) {
            link[n] = '\0';
            found = strcmp(link, target) == 0;
        }
    }
    closedir(d);
    return found;
}

/* A process other than this one with the database open (the kiosk,
 * however it was started: the kiosk writes no pid file, so the open
 * file is the sign): its pid, and its name in comm; 0 if none. */
pid_t kctl_db_holder(const struct ctl *c, char *comm, size_t cap)
{
    char db[CONFIG_STR + 16], real[PATH_MAX], path[64];
    struct dirent *e;
    pid_t found = 0, self = getpid();
    DIR *d;

    kctl_state_path(c, "kiosk.db", db, sizeof db);
    if (realpath(db, real) == NULL || (d = opendir("/proc")) == NULL)
        return 0;
    while (!found && (e = readdir(d)) != NULL) {
        pid_t pid = (pid_t)atoi(e->d_name);

        if (pid > 0 && pid != self && holds(pid, real))
            found = pid;
    }
    closedir(d);
    snprintf(path, sizeof path, "/proc/%d/comm", (int)found);
    FILE *f = found ? fopen(path, "r") : NULL;
    str_copy(comm, cap, "?");
    if (f && fgets(comm, (int)cap, f))
        comm[strcspn(comm, "\n")] = '\0';
    if (f)
        fclose(f);
    return found;
}

static int queue_refused(struct ctl *c, bool force)
{
    struct diag d;

    diag_collect(&c->cfg, c->store, &d);
    if (d.queue == 0 || force)
        return 0;
    printf("refused: %" PRIu64 " events have not reached the hub yet; sync"
           " first, or add --force to lose them\n", d.queue);
    return 1;
}

static int wipe_state(struct ctl *c)
{
    static const char *const files[] = { "kiosk.key", "kiosk.crt",
        "hub-ca.crt", "kiosk.db", "kiosk.db-wal", "kiosk.db-shm",
        "kiosk.db-journal" };
    char path[CONFIG_STR + 32];
    int bad = 0;

    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        kctl_state_path(c, files[i], path, sizeof path);
        if (wipe_file(path) != 0) {
            printf("error: cannot remove %s: %s\n", path, strerror(errno));
            bad = 1;
        }
    }
    if (!bad)
        printf("decommissioned: key, certificate, hub CA and database"
               " removed from %s\n", c->cfg.state_dir);
    return bad;
}

/* decommission --yes [--force]: the unit forgets its identity and data.
 * The kiosk service is stopped first; a kiosk running without systemd
 * (its database open) is a refusal unless --force. The queue is checked
 * again after the stop: the kiosk may have stored an event meanwhile. */
int kctl_decommission(void *ctx, int argc, char **argv)
{
    struct ctl *c = ctx;
    bool yes = false, force = false;
    char comm[64];
    pid_t pid;

    for (int i = 1; i < argc; i++) {
        yes |= strcmp(argv[i], "--yes") == 0;
        force |= strcmp(argv[i], "--force") == 0;
    }
    if (c->in_shell) {
        printf("refused: decommission from the command line, not the"
               " text session\n");
        return 1;
    }
    if (!yes) {
        printf("refused: this wipes the key, certificate and database in"
               " %s; run `decommission --yes`\n", c->cfg.state_dir);
        return 1;
    }
    if (queue_refused(c, force) || stop_service() != 0 ||
        queue_refused(c, force))
        return 1;
    store_close(c->store);
    c->store = NULL;
    if ((pid = kctl_db_holder(c, comm, sizeof comm)) != 0) {
        if (!force) {
            printf("refused: process %d (%s) has %s/kiosk.db open: stop"
                   " the kiosk first, or add --force\n", (int)pid, comm,
                   c->cfg.state_dir);
            return 1;
        }
        printf("warning: process %d (%s) still has the database open\n",
               (int)pid, comm);
    }
    return wipe_state(c);
}

/* Apply a change page saved from the hub (or `hubctl card page`), as the
 * sync worker would: for setting up a unit or a demo without a hub. */
int kctl_apply(void *ctx, int argc, char **argv)
{
    struct ctl *c = ctx;
    const char *path = argv[1];
    char *text = NULL;
    size_t n = 0;
    struct change_page page = { 0 };
    char cursor[PROTO_CURSOR_MAX];
    bool more;
    err_code e = ERR_PROTO;

    (void)argc;
    /* Decoded as the sync worker does; its cursor is not the feed's. */
    if (file_read_capped(path, PROTO_PAGE_MAX, &text, &n) == ERR_OK &&
        n > 0 &&
        proto_page_decode(text, n, &page, cursor, sizeof cursor,
                          &more) == ERR_OK)
        e = store_hub_apply(c->store, &page, NULL);
    change_page_free(&page);
    free(text);
    if (e != ERR_OK) {
        printf("error: change page %s not applied\n", path);
        return 1;
    }
    printf("change page %s applied\n", path);
    return 0;
}

int kctl_load_demo(void *ctx, int argc, char **argv)
{
    struct ctl *c = ctx;
    struct stamp now;

    clock_now(&now);
    if (argc > 2) {          /* as of 09:30 local that day: showcase */
        int64_t day;
        if (clock_parse_ymd(argv[2], &day) != ERR_OK) {
            printf("error: %s is not a YYYY-MM-DD day\n", argv[2]);
            return 2;
        }
        now.wall_ms = day * 86400000 + 570 * 60000 -
                      (int64_t)c->cfg.utc_offset_minutes * 60000;
    }
    if (demo_load(c->store, argv[1], c->cfg.utc_offset_minutes, &now)
        != ERR_OK) {
        printf("error: demo data in %s not loaded\n", argv[1]);
        return 1;
    }
    printf("demo data loaded from %s\n", argv[1]);
    return 0;
}
