/* firmware/update_launch.c - the launcher: starts the kiosk from the
 * current slot and, while a new version is on trial, decides whether it
 * stays. The trial's boot count is written before each start, so a
 * launcher killed at any moment (power cut, systemd) still counts the
 * start and rolls back after max_boots. It must stay small and not touch
 * the database except to copy it while no kiosk runs. */
#include "firmware/update_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/file.h"
#include "base/log.h"
#include "base/xmalloc.h"

#define HEALTH_FD       3          /* the kiosk writes "ok" here */
#define ROLLBACKS_MAX   (16 * 1024)
#define STOP_GRACE_MS   3000

enum trial_end { TRIAL_HEALTHY, TRIAL_EXITED, TRIAL_TIMEOUT };

/* Append one line for the hub; a full log keeps its oldest lines. */
static void record_rollback(const char *root, const char *from,
                            const char *to, const char *reason)
{
    char path[UPDATE_PATH_MAX];
    struct stat st;
    FILE *fp;

    snprintf(path, sizeof path, "%s/rollbacks.log", root);
    if (stat(path, &st) == 0 && st.st_size > ROLLBACKS_MAX)
        return;
    fp = fopen(path, "a");
    if (fp == NULL)
        return;
    fprintf(fp, "%lld %s %s %s\n", (long long)clock_wall_ms(), from, to,
            reason);
    fflush(fp);
    fsync(fileno(fp));
    fclose(fp);
}

/* Record first (never lose the report), then switch back, then drop the
 * trial: a cut in between leaves a stale record, which is ignored. */
static err_code rollback(const char *root, const struct update_trial *t,
                         const char *reason)
{
    err_code e;

    log_error("update: rolling back %s to %s: %s", t->version, t->from,
              reason);
    record_rollback(root, t->version, t->from, reason);
    e = update_switch(root, t->previous);
    if (e == ERR_OK)
        e = update_trial_clear(root);
    return e;
}

static err_code copy_file(const char *from, const char *to)
{
    char buf[65536];
    int in = open(from, O_RDONLY | O_CLOEXEC);
    struct file_atomic *out;
    ssize_t n = 0;
    err_code e;

    if (in < 0)
        return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
    e = file_atomic_open(to, 0600, &out);
    if (e != ERR_OK) {
        close(in);
        return e;
    }
    while (e == ERR_OK && (n = read(in, buf, sizeof buf)) > 0)
        e = file_atomic_write(out, buf, (size_t)n);
    close(in);
    if (e == ERR_OK && n == 0)
        return file_atomic_commit(out);
    file_atomic_abort(out);
    return ERR_IO;
}

/* Copy the database (and its WAL, which holds committed pages) before
 * the first trial start, while no kiosk has it open (docs/updates.md). */
static void snapshot_db(const char *root, const char *db,
                        const struct update_trial *t)
{
    char dir[UPDATE_PATH_MAX], to[UPDATE_PATH_MAX + 64];
    char from[UPDATE_PATH_MAX + 8];

    snprintf(dir, sizeof dir, "%s/snapshots", root);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return;
    snprintf(to, sizeof to, "%s/before-%s.db", dir, t->version);
    if (copy_file(db, to) != ERR_OK) {
        log_warn("update: no snapshot of %s before the trial", db);
        return;
    }
    snprintf(from, sizeof from, "%s-wal", db);
    snprintf(to, sizeof to, "%s/before-%s.db-wal", dir, t->version);
    unlink(to);
    if (copy_file(from, to) == ERR_IO)
        log_warn("update: snapshot of %s has no WAL", db);
    file_sync_dir(dir);
    log_info("update: database saved in %s before trying %s", dir,
             t->version);
}

/* Start dir/bin/kiosk; on trial, with the pipe's write end as fd 3. */
static err_code spawn(const char *dir, char *const *args, int health,
                      pid_t *pid)
{
    char prog[UPDATE_PATH_MAX + 16];
    char *argv[64];
    size_t n = 1;

    snprintf(prog, sizeof prog, "%s/bin/kiosk", dir);
    argv[0] = prog;
    for (; args != NULL && args[n - 1] != NULL && n < 63; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    *pid = fork();
    if (*pid < 0)
        return ERR_IO;
    if (*pid > 0)
        return ERR_OK;
    if (health >= 0) {
        if (health == HEALTH_FD)
            fcntl(health, F_SETFD, 0);
        else if (dup2(health, HEALTH_FD) < 0)
            _exit(126);
        setenv("KIOSK_HEALTH_FD", "3", 1);
    } else {
        unsetenv("KIOSK_HEALTH_FD");
    }
    setenv("KIOSK_APP_DIR", dir, 1);
    execv(prog, argv);
    _exit(127);
}

static void stop_child(pid_t pid, int *status)
{
    kill(pid, SIGTERM);
    for (int i = 0; i < STOP_GRACE_MS / 20; i++) {
        if (waitpid(pid, status, WNOHANG) == pid)
            return;
        usleep(20000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, status, 0);
}

/* Whether the pipe says "ok"; *eof when the child closed it. */
static bool read_ok(int fd, bool *eof)
{
    char buf[16];
    ssize_t n = read(fd, buf, sizeof buf - 1);

    if (n <= 0) {
        *eof = n == 0 || errno != EAGAIN;
        return false;
    }
    buf[n] = '\0';
    return strstr(buf, "ok") != NULL;
}

static enum trial_end wait_trial(pid_t pid, int rfd, unsigned ms,
                                 int *status)
{
    int64_t deadline = clock_mono_ms() + ms;
    bool eof = false;

    for (;;) {
        struct pollfd p = { .fd = rfd, .events = POLLIN };
        int64_t now = clock_mono_ms();

        if (!eof && poll(&p, 1, 0) > 0 && read_ok(rfd, &eof))
            return TRIAL_HEALTHY;
        if (waitpid(pid, status, WNOHANG) == pid)
            return TRIAL_EXITED;
        if (now >= deadline)
            return TRIAL_TIMEOUT;
        if (eof)
            usleep(20000);
        else
            poll(&p, 1, deadline - now < 50 ? (int)(deadline - now) : 50);
    }
}

/* One start on trial; *done when the version was confirmed (and has now
 * exited, with *status), false when it must be started or rolled back. */
static err_code run_trial(const struct update_launch_opts *l,
                          const struct update_trial *t, const char *dir,
                          int *status, bool *done)
{
    unsigned ms = l->trial_ms ? l->trial_ms : UPDATE_TRIAL_MS;
    char why[64];
    int p[2];
    pid_t pid;
    err_code e;

    *done = false;
    if (pipe(p) != 0)
        return ERR_IO;
    fcntl(p[0], F_SETFD, FD_CLOEXEC);
    fcntl(p[1], F_SETFD, FD_CLOEXEC);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    e = spawn(dir, l->args, p[1], &pid);
    close(p[1]);
    if (e != ERR_OK) {
        close(p[0]);
        return e;
    }
    switch (wait_trial(pid, p[0], ms, status)) {
    case TRIAL_HEALTHY:
        log_info("update: %s reported healthy; keeping it", t->version);
        e = update_trial_clear(l->base.root);
        while (waitpid(pid, status, 0) < 0 && errno == EINTR)
            ;
        *done = true;
        break;
    case TRIAL_EXITED:
        log_warn("update: %s exited before reporting healthy (start %d)",
                 t->version, t->boots);
        break;
    case TRIAL_TIMEOUT:
        stop_child(pid, status);
        snprintf(why, sizeof why, "not healthy after %u ms", ms);
        e = rollback(l->base.root, t, why);
        break;
    }
    close(p[0]);
    return e;
}

/* The trial record that applies now, if any; stale or damaged records
 * (the installer or a rollback was cut short) are dropped. */
static bool current_trial(const char *root, struct update_trial *t)
{
    char slot[2];
    err_code e = update_trial_read(root, t);

    if (e == ERR_NOTFOUND)
        return false;
    update_current_slot(root, slot);
    if (e == ERR_OK && strcmp(t->slot, slot) == 0)
        return true;
    log_warn("update: dropping a stale trial record");
    update_trial_clear(root);
    return false;
}

/* Count this start; false when the trial has used all its starts (and
 * was rolled back). */
static err_code count_start(const struct update_launch_opts *l,
                            struct update_trial *t, bool *rolled_back)
{
    int max = l->max_boots ? l->max_boots : UPDATE_MAX_BOOTS;
    char why[64];

    *rolled_back = false;
    if (t->boots >= max) {
        snprintf(why, sizeof why, "exited %d times before reporting healthy",
                 t->boots);
        *rolled_back = true;
        return rollback(l->base.root, t, why);
    }
    t->boots++;
    if (t->boots == 1 && l->db_path != NULL)
        snapshot_db(l->base.root, l->db_path, t);
    return update_trial_write(l->base.root, t);
}

static err_code run_plain(const struct update_launch_opts *l,
                          const char *dir, int *status)
{
    pid_t pid;
    err_code e = spawn(dir, l->args, -1, &pid);

    if (e != ERR_OK)
        return e;
    while (waitpid(pid, status, 0) < 0 && errno == EINTR)
        ;
    return ERR_OK;
}

static err_code leave_damaged(const struct update_launch_opts *l,
                              const char *slot, const char *why, bool *moved);

/* Hash the slot about to start against its MANIFEST; false (with *e) when
 * the launcher must stop, *again when `current` changed and the round
 * must start over. The factory version has no MANIFEST to check. */
static bool checked_slot(const struct update_launch_opts *l, bool trial,
                         const struct update_trial *t, bool *again,
                         err_code *e)
{
    char slot[2], dir[UPDATE_PATH_MAX], msg[200] = "";

    *again = false;
    *e = ERR_OK;
    update_current_slot(l->base.root, slot);
    if (slot[0] == '\0')
        return true;
    snprintf(dir, sizeof dir, "%s/slots/%s", l->base.root, slot);
    if (bundle_check_dir(dir, NULL, msg, sizeof msg) == ERR_OK)
        return true;
    *again = true;
    if (trial) {
        snprintf(dir, sizeof dir, "damaged: %s", msg);
        *e = rollback(l->base.root, t, dir);
    } else {
        *e = leave_damaged(l, slot, msg, again);
    }
    return *e == ERR_OK;
}

/* A damaged slot (a failing SD card, a hand edit) must not mean a dead
 * screen: move to the other slot if it is whole, else to the factory
 * version. With neither, the damaged slot starts anyway: a bad asset is
 * better than no kiosk. *moved tells whether `current` changed. */
static err_code leave_damaged(const struct update_launch_opts *l,
                              const char *slot, const char *why, bool *moved)
{
    const char *root = l->base.root;
    char other[UPDATE_PATH_MAX], from[BUNDLE_VERSION_MAX] = "unknown";
    char to[BUNDLE_VERSION_MAX] = "factory", reason[300];
    struct bundle_manifest *m;
    const char *target = NULL;

    snprintf(other, sizeof other, "%s/slots/%s", root,
             slot[0] == 'a' ? "b" : "a");
    snprintf(reason, sizeof reason, "%s/slots/%s", root, slot);
    update_dir_version(reason, from, sizeof from);
    if (bundle_check_dir(other, &m, NULL, 0) == ERR_OK) {
        target = slot[0] == 'a' ? "b" : "a";
        str_copy(to, sizeof to, m->version);
        bundle_manifest_free(m);
    } else if (l->base.factory != NULL) {
        target = "";
        update_dir_version(l->base.factory, to, sizeof to);
    }
    *moved = target != NULL;
    log_error("update: slot %s is damaged (%s); %s", slot, why,
              target ? "switching away" : "starting it anyway");
    if (target == NULL)
        return ERR_OK;
    snprintf(reason, sizeof reason, "damaged: %s", why);
    record_rollback(root, from, to, reason);
    return update_switch(root, target);
}

err_code update_launch(const struct update_launch_opts *l, int *status)
{
    const char *root = l->base.root;

    /* Each round either returns or consumes a start or a slot, so a
     * handful of rounds always ends. */
    for (int round = 0; round < 16; round++) {
        char version[BUNDLE_VERSION_MAX], dir[UPDATE_PATH_MAX];
        struct update_trial t;
        bool trial = current_trial(root, &t), done = false;
        err_code e = ERR_OK;

        if (trial)
            e = count_start(l, &t, &done);
        if (e != ERR_OK)
            return e;
        if (done)
            continue;                   /* rolled back: start the old one */
        e = update_current(&l->base, version, sizeof version, dir,
                           sizeof dir);
        if (e == ERR_NOTFOUND || (e != ERR_OK && !trial)) {
            log_error("update: nothing valid installed in %s", root);
            return ERR_NOTFOUND;
        }
        if (!checked_slot(l, trial, &t, &done, &e))
            return e;
        if (done)
            continue;
        if (!trial)
            return run_plain(l, dir, status);
        e = run_trial(l, &t, dir, status, &done);
        if (e != ERR_OK || done)
            return e;
    }
    return ERR_BUSY;
}

void update_report_healthy(void)
{
    const char *v = getenv("KIOSK_HEALTH_FD");
    int fd;

    if (v == NULL || strcmp(v, "3") != 0)
        return;
    fd = HEALTH_FD;
    if (write(fd, "ok\n", 3) != 3)
        log_warn("update: could not report healthy: %s", strerror(errno));
    close(fd);
    unsetenv("KIOSK_HEALTH_FD");
}

err_code update_rollbacks_read(const char *root, char *buf, size_t cap,
                               size_t *n)
{
    char path[UPDATE_PATH_MAX];
    size_t len;
    FILE *fp;

    *n = 0;
    buf[0] = '\0';
    snprintf(path, sizeof path, "%s/rollbacks.log", root);
    fp = fopen(path, "r");
    if (fp == NULL)
        return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
    len = fread(buf, 1, cap - 1, fp);
    fclose(fp);
    buf[len] = '\0';
    for (size_t i = 0; i < len; i++)
        *n += buf[i] == '\n';
    return *n > 0 ? ERR_OK : ERR_NOTFOUND;
}

err_code update_rollbacks_clear(const char *root)
{
    char path[UPDATE_PATH_MAX];

    snprintf(path, sizeof path, "%s/rollbacks.log", root);
    if (unlink(path) != 0 && errno != ENOENT)
        return ERR_IO;
    return file_sync_dir(root);
}

void update_status_read(const struct update_opts *o, struct update_status *st)
{
    char buf[ROLLBACKS_MAX + 1];
    struct update_trial t;
    char slot[2];

    memset(st, 0, sizeof *st);
    if (update_current(o, st->version, sizeof st->version, st->dir,
                       sizeof st->dir) != ERR_OK)
        st->version[0] = '\0';
    update_current_slot(o->root, slot);
    if (update_trial_read(o->root, &t) == ERR_OK &&
        strcmp(t.slot, slot) == 0) {
        st->on_trial = true;
        st->trial_starts = t.boots;
    }
    update_rollbacks_read(o->root, buf, sizeof buf, &st->rollbacks);
}
