/* tests/test_update.c - installing into slots and the trial launcher:
 * a good bundle installs and runs; every bad bundle is refused and the
 * layout is byte-for-byte unchanged; the installer killed with SIGKILL
 * at every step leaves a version that starts; a version that never
 * reports healthy, or crashes on start, is rolled back and recorded.
 * Versions are small shell scripts standing in for the kiosk. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/bundle.h"
#include "base/log.h"
#include "base/sig_mbedtls.h"
#include "firmware/update.h"

static char dir[64], priv[128], pub[128], other_priv[128], other_pub[128];
static char root[128], starts[128];

enum kind { GOOD, HANG, CRASH };

static void path_in(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
}

/* A version: bin/kiosk logs its start and reports healthy (GOOD), hangs
 * without reporting (HANG), or exits at once (CRASH). */
static void make_version(const char *name, const char *version,
                         const char *min, enum kind k, const char *key)
{
    static const char *const tail[] = {
        "[ -n \"$KIOSK_HEALTH_FD\" ] && echo ok >&3\nexit 0\n",
        "exec sleep 30\n",
        "exit 3\n",
    };
    char src[160], path[600], out[160];
    FILE *fp;

    snprintf(src, sizeof src, "%s/src-%s", dir, name);
    snprintf(path, sizeof path, "rm -rf %s && mkdir -p %s/bin %s/share", src,
             src, src);
    assert_int_equal(system(path), 0);
    snprintf(path, sizeof path, "%s/bin/kiosk", src);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fprintf(fp, "#!/bin/sh\necho \"%s $*\" >> \"$STARTS\"\n%s", version,
            tail[k]);
    fclose(fp);
    chmod(path, 0755);
    snprintf(path, sizeof path, "%s/share/version.txt", src);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fprintf(fp, "%s\n", version);
    fclose(fp);
    snprintf(out, sizeof out, "%s/%s.kb", dir, name);
    assert_int_equal(bundle_make(src, "kiosk", version, min, key, out,
                                 NULL, 0), ERR_OK);
}

static void bundle_path(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s.kb", dir, name);
}

static int group_setup(void **state)
{
    (void)state;
    log_set_level(LOG_LVL_ERROR);
    strcpy(dir, "/tmp/update.XXXXXX");
    if (mkdtemp(dir) == NULL)
        return -1;
    path_in(priv, sizeof priv, "release.pem");
    path_in(pub, sizeof pub, "release.pub");
    path_in(other_priv, sizeof other_priv, "other.pem");
    path_in(other_pub, sizeof other_pub, "other.pub");
    if (sig_keygen(priv, pub) != ERR_OK ||
        sig_keygen(other_priv, other_pub) != ERR_OK)
        return -1;
    make_version("v110", "1.1.0", "0.0.0", GOOD, priv);
    make_version("v120", "1.2.0", "1.0.0", GOOD, priv);
    make_version("v120hang", "1.2.0", "1.0.0", HANG, priv);
    make_version("v120crash", "1.2.0", "1.0.0", CRASH, priv);
    make_version("v100", "1.0.0", "0.0.0", GOOD, priv);
    make_version("v130", "1.3.0", "1.2.0", GOOD, priv);
    make_version("v120other", "1.2.0", "1.0.0", GOOD, other_priv);
    path_in(starts, sizeof starts, "starts.log");
    setenv("STARTS", starts, 1);
    return 0;
}

static int group_teardown(void **state)
{
    char cmd[128];

    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

static int setup(void **state)
{
    char cmd[300];

    (void)state;
    path_in(root, sizeof root, "root");
    snprintf(cmd, sizeof cmd, "rm -rf %s %s", root, starts);
    return system(cmd);
}

static struct update_opts opts(void)
{
    return (struct update_opts){ root, pub, NULL };
}

static err_code install(const char *name, char *msg, size_t cap)
{
    struct update_opts o = opts();
    char path[160];

    bundle_path(path, sizeof path, name);
    return update_install(&o, path, NULL, NULL, msg, cap);
}

static err_code launch(unsigned trial_ms, int *status)
{
    struct update_launch_opts l = { .base = opts(), .trial_ms = trial_ms };

    return update_launch(&l, status);
}

static void expect_current(const char *version)
{
    struct update_opts o = opts();
    char v[BUNDLE_VERSION_MAX], d[UPDATE_PATH_MAX], msg[128] = "";

    assert_int_equal(update_current(&o, v, sizeof v, d, sizeof d), ERR_OK);
    assert_string_equal(v, version);
    assert_int_equal(bundle_check_dir(d, NULL, msg, sizeof msg), ERR_OK);
}

/* How many lines starts.log has that begin with version. */
static int starts_of(const char *version)
{
    char line[128];
    int n = 0;
    FILE *fp = fopen(starts, "r");

    if (fp == NULL)
        return 0;
    while (fgets(line, sizeof line, fp) != NULL)
        n += strncmp(line, version, strlen(version)) == 0;
    fclose(fp);
    return n;
}

static void install_and_commit(const char *name, const char *version)
{
    char msg[128] = "";
    int status = -1;

    assert_int_equal(install(name, msg, sizeof msg), ERR_OK);
    assert_int_equal(launch(5000, &status), ERR_OK);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    expect_current(version);
}

/* A digest of everything under path: names, file bytes, link targets. */
static void digest_tree(const char *path, struct sig_hash *h)
{
    struct dirent **names;
    struct stat st;
    int n;

    sig_hash_update(h, path + strlen(root), strlen(path) - strlen(root) + 1);
    if (lstat(path, &st) != 0)
        return;
    if (S_ISLNK(st.st_mode)) {
        char target[256];
        ssize_t k = readlink(path, target, sizeof target);

        sig_hash_update(h, target, k > 0 ? (size_t)k : 0);
    } else if (S_ISREG(st.st_mode)) {
        char buf[4096];
        size_t k;
        FILE *fp = fopen(path, "rb");

        while (fp != NULL && (k = fread(buf, 1, sizeof buf, fp)) > 0)
            sig_hash_update(h, buf, k);
        if (fp)
            fclose(fp);
    } else if (S_ISDIR(st.st_mode) &&
               (n = scandir(path, &names, NULL, alphasort)) >= 0) {
        for (int i = 0; i < n; i++) {
            char sub[512];

            if (names[i]->d_name[0] != '.' || (strcmp(names[i]->d_name, ".")
                && strcmp(names[i]->d_name, ".."))) {
                snprintf(sub, sizeof sub, "%s/%s", path, names[i]->d_name);
                digest_tree(sub, h);
            }
            free(names[i]);
        }
        free(names);
    }
}

static void tree_digest(uint8_t out[SIG_HASH_LEN])
{
    struct sig_hash *h;

    sig_hash_create(&h);
    digest_tree(root, h);
    sig_hash_finish(h, out);
    sig_hash_destroy(h);
}

static void good_bundle_installs_and_runs_on_trial(void **state)
{
    char msg[128] = "";
    int status = -1;

    (void)state;
    assert_int_equal(install("v110", msg, sizeof msg), ERR_OK);
    expect_current("1.1.0");
    assert_int_equal(launch(5000, &status), ERR_OK);
    assert_int_equal(starts_of("1.1.0"), 1);
    {
        char trial[160];

        snprintf(trial, sizeof trial, "%s/trial", root);
        assert_int_equal(access(trial, F_OK), -1);
    }
    install_and_commit("v120", "1.2.0");
    assert_int_equal(starts_of("1.2.0"), 1);
    /* Committed: the next start is a plain one, arguments passed on. */
    {
        char *args[] = { "--config", "/etc/kiosk.ini", NULL };
        struct update_launch_opts l = { .base = opts(), .args = args };

        assert_int_equal(update_launch(&l, &status), ERR_OK);
        assert_int_equal(starts_of("1.2.0 --config /etc/kiosk.ini"), 1);
    }
}

static void each_bad_bundle_is_refused_and_nothing_changes(void **state)
{
    static const struct { const char *name; err_code e; const char *says; }
    cases[] = {
        { "v100", ERR_DENIED, "not newer" },
        { "v110", ERR_DENIED, "not newer" },
        { "v120other", ERR_DENIED, "release key" },
        { "v130", ERR_DENIED, "needs version 1.2.0" },
        { "missing", ERR_IO, "cannot read" },
    };
    uint8_t before[SIG_HASH_LEN], after[SIG_HASH_LEN];

    (void)state;
    install_and_commit("v110", "1.1.0");
    tree_digest(before);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char msg[128] = "";

        assert_int_equal(install(cases[i].name, msg, sizeof msg),
                         cases[i].e);
        if (strstr(msg, cases[i].says) == NULL)
            fail_msg("%s: message \"%s\"", cases[i].name, msg);
        tree_digest(after);
        assert_memory_equal(before, after, SIG_HASH_LEN);
    }
    expect_current("1.1.0");
}

static void altered_and_truncated_bundles_change_nothing(void **state)
{
    char good[160], bad[160], msg[128];
    uint8_t before[SIG_HASH_LEN], after[SIG_HASH_LEN];
    struct update_opts o = opts();
    unsigned char *buf;
    size_t len;
    FILE *fp;

    (void)state;
    install_and_commit("v110", "1.1.0");
    tree_digest(before);
    bundle_path(good, sizeof good, "v120");
    path_in(bad, sizeof bad, "bad.kb");
    fp = fopen(good, "rb");
    buf = malloc(1 << 16);
    len = fread(buf, 1, 1 << 16, fp);
    fclose(fp);
    for (int round = 0; round < 3; round++) {
        size_t n = round == 2 ? len - 1 : len;

        if (round == 1)
            buf[len - 3] ^= 1;                /* payload byte */
        if (round == 2)
            buf[len - 3] ^= 1;
        fp = fopen(bad, "wb");
        fwrite(buf, 1, round == 0 ? 40 : n, fp);  /* 0: cut in manifest */
        fclose(fp);
        assert_int_equal(update_install(&o, bad, NULL, NULL, msg, sizeof msg),
                         ERR_CORRUPT);
        tree_digest(after);
        assert_memory_equal(before, after, SIG_HASH_LEN);
    }
    free(buf);
}

static void second_install_waits_for_the_trial(void **state)
{
    char msg[128] = "";

    (void)state;
    install_and_commit("v110", "1.1.0");
    assert_int_equal(install("v120", msg, sizeof msg), ERR_OK);
    assert_int_equal(install("v130", msg, sizeof msg), ERR_BUSY);
    assert_non_null(strstr(msg, "on trial"));
}

static void never_healthy_version_is_rolled_back(void **state)
{
    char msg[128] = "", log[512];
    size_t n;
    int status = -1;

    (void)state;
    struct update_opts o = opts();
    struct update_status st;

    install_and_commit("v110", "1.1.0");
    assert_int_equal(install("v120hang", msg, sizeof msg), ERR_OK);
    update_status_read(&o, &st);
    assert_string_equal(st.version, "1.2.0");
    assert_true(st.on_trial);
    assert_int_equal(st.trial_starts, 0);
    assert_int_equal(launch(300, &status), ERR_OK);
    expect_current("1.1.0");
    update_status_read(&o, &st);
    assert_string_equal(st.version, "1.1.0");
    assert_false(st.on_trial);
    assert_int_equal(st.rollbacks, 1);
    assert_int_equal(starts_of("1.2.0"), 1);
    assert_int_equal(starts_of("1.1.0"), 2);  /* committed, then after */
    assert_int_equal(update_rollbacks_read(root, log, sizeof log, &n),
                     ERR_OK);
    assert_int_equal(n, 1);
    assert_non_null(strstr(log, " 1.2.0 1.1.0 not healthy after 300 ms"));
    assert_int_equal(update_rollbacks_clear(root), ERR_OK);
    assert_int_equal(update_rollbacks_read(root, log, sizeof log, &n),
                     ERR_NOTFOUND);
}

static void crashing_version_is_rolled_back_after_max_boots(void **state)
{
    char msg[128] = "", log[512];
    size_t n;
    int status = -1;

    (void)state;
    install_and_commit("v110", "1.1.0");
    assert_int_equal(install("v120crash", msg, sizeof msg), ERR_OK);
    assert_int_equal(launch(5000, &status), ERR_OK);
    expect_current("1.1.0");
    assert_int_equal(starts_of("1.2.0"), UPDATE_MAX_BOOTS);
    assert_int_equal(update_rollbacks_read(root, log, sizeof log, &n),
                     ERR_OK);
    assert_non_null(strstr(log, "exited 3 times before reporting healthy"));
    /* The good version may be installed again afterwards. */
    assert_int_equal(install("v120", msg, sizeof msg), ERR_OK);
}

struct kill_at {
    int calls, at;
};

static void kill_progress(void *ctx, enum update_phase phase, uint64_t done,
                          uint64_t total)
{
    struct kill_at *k = ctx;

    (void)phase;
    (void)done;
    (void)total;
    if (k->calls++ == k->at)
        raise(SIGKILL);
}

/* Install v120 in a child killed at its at-th progress report; true when
 * the child finished instead (at is past the last step). */
static bool install_killed_at(int at)
{
    pid_t pid = fork();
    int status;

    assert_true(pid >= 0);
    if (pid == 0) {
        struct update_opts o = opts();
        struct kill_at k = { 0, at };
        char path[160], msg[128];

        bundle_path(path, sizeof path, "v120");
        _exit(update_install(&o, path, kill_progress, &k, msg, sizeof msg)
              == ERR_OK ? 0 : 1);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (WIFEXITED(status)) {
        assert_int_equal(WEXITSTATUS(status), 0);
        return true;
    }
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    return false;
}

static void installer_killed_at_every_step_leaves_a_startable_unit(void **st)
{
    bool finished = false;
    int at;

    (void)st;
    for (at = 0; !finished && at < 200; at++) {
        struct update_opts o = opts();
        char v[BUNDLE_VERSION_MAX], msg[128] = "";
        int status = -1;

        setup(NULL);
        install_and_commit("v110", "1.1.0");
        finished = install_killed_at(at);
        /* Whatever starts now is complete and runs. */
        assert_int_equal(update_current(&o, v, sizeof v, NULL, 0), ERR_OK);
        expect_current(v);
        assert_int_equal(launch(5000, &status), ERR_OK);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        expect_current(v);
        /* And the unit can still be updated. */
        if (strcmp(v, "1.1.0") == 0)
            assert_int_equal(install("v120", msg, sizeof msg), ERR_OK);
        expect_current("1.2.0");
    }
    assert_true(finished);
    assert_true(at > 8);        /* verify, copy and switch were all hit */
}

/* Start a launcher in its own process group with a long trial, wait for
 * the kiosk to start, then kill the whole group with SIGKILL. */
static void launch_and_kill(int starts_before)
{
    pid_t pid = fork();

    assert_true(pid >= 0);
    if (pid == 0) {
        int status;

        setpgid(0, 0);
        _exit(launch(30000, &status) == ERR_OK ? 0 : 1);
    }
    setpgid(pid, pid);
    for (int i = 0; i < 500 && starts_of("1.2.0") == starts_before; i++)
        usleep(10000);
    kill(-pid, SIGKILL);
    waitpid(pid, NULL, 0);
    assert_int_equal(starts_of("1.2.0"), starts_before + 1);
}

static void killed_launcher_still_counts_trial_starts(void **state)
{
    char msg[128] = "";
    int status = -1;

    (void)state;
    install_and_commit("v110", "1.1.0");
    assert_int_equal(install("v120hang", msg, sizeof msg), ERR_OK);
    for (int i = 0; i < UPDATE_MAX_BOOTS; i++)
        launch_and_kill(i);
    expect_current("1.2.0");
    assert_int_equal(launch(30000, &status), ERR_OK);
    assert_int_equal(starts_of("1.2.0"), UPDATE_MAX_BOOTS);
    expect_current("1.1.0");
}

static void database_is_copied_before_the_first_trial_start(void **state)
{
    char db[160], wal[170], snap[224], msg[128] = "", buf[16] = "";
    struct update_launch_opts l = { .trial_ms = 5000 };
    int status;
    FILE *fp;

    (void)state;
    path_in(db, sizeof db, "kiosk.db");
    snprintf(wal, sizeof wal, "%s-wal", db);
    fp = fopen(db, "w");
    fputs("main", fp);
    fclose(fp);
    fp = fopen(wal, "w");
    fputs("wal", fp);
    fclose(fp);
    install_and_commit("v110", "1.1.0");
    assert_int_equal(install("v120", msg, sizeof msg), ERR_OK);
    l.base = opts();
    l.db_path = db;
    assert_int_equal(update_launch(&l, &status), ERR_OK);
    snprintf(snap, sizeof snap, "%s/snapshots/before-1.2.0.db-wal", root);
    fp = fopen(snap, "r");
    assert_non_null(fp);
    assert_non_null(fgets(buf, sizeof buf, fp));
    fclose(fp);
    assert_string_equal(buf, "wal");
    snap[strlen(snap) - 4] = '\0';
    assert_int_equal(access(snap, R_OK), 0);
    unlink(db);
    unlink(wal);
}

static void rollback_of_first_install_returns_to_factory(void **state)
{
    char factory[160], cmd[1000], msg[128] = "";
    struct update_opts o = opts();
    struct update_launch_opts l = { .trial_ms = 300 };
    char v[BUNDLE_VERSION_MAX];
    int status = -1;

    (void)state;
    path_in(factory, sizeof factory, "factory");
    snprintf(cmd, sizeof cmd, "rm -rf %s && mkdir -p %s/bin && "
             "echo 1.0.0 > %s/VERSION && cp %s/src-v110/bin/kiosk %s/bin/",
             factory, factory, factory, dir, factory);
    assert_int_equal(system(cmd), 0);
    o.factory = factory;
    assert_int_equal(update_current(&o, v, sizeof v, NULL, 0), ERR_OK);
    assert_string_equal(v, "1.0.0");
    snprintf(cmd, sizeof cmd, "%s/v120hang.kb", dir);
    assert_int_equal(update_install(&o, cmd, NULL, NULL, msg, sizeof msg),
                     ERR_OK);
    l.base = o;
    assert_int_equal(update_launch(&l, &status), ERR_OK);
    assert_int_equal(update_current(&o, v, sizeof v, NULL, 0), ERR_OK);
    assert_string_equal(v, "1.0.0");
    assert_int_equal(starts_of("1.1.0"), 1);     /* the factory script */
}

/* Overwrite share/version.txt in the slot `current` names. */
static void damage_current(void)
{
    char path[224];
    FILE *fp;

    snprintf(path, sizeof path, "%s/current/share/version.txt", root);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("9.9.9\n", fp);
    fclose(fp);
}

static void damaged_slot_falls_back_to_the_other(void **state)
{
    char log[512];
    size_t n;
    int status = -1;

    (void)state;
    install_and_commit("v110", "1.1.0");
    install_and_commit("v120", "1.2.0");
    damage_current();
    assert_int_equal(launch(5000, &status), ERR_OK);
    expect_current("1.1.0");
    assert_int_equal(starts_of("1.1.0"), 2);
    assert_int_equal(starts_of("1.2.0"), 1);
    assert_int_equal(update_rollbacks_read(root, log, sizeof log, &n),
                     ERR_OK);
    assert_non_null(strstr(log, " 1.2.0 1.1.0 damaged: installed "
                                "share/version.txt is damaged"));
}

static void damaged_only_version_still_starts(void **state)
{
    char log[64];
    size_t n;
    int status = -1;

    (void)state;
    install_and_commit("v110", "1.1.0");
    damage_current();
    assert_int_equal(launch(5000, &status), ERR_OK);
    assert_int_equal(starts_of("1.1.0"), 2);
    assert_int_equal(update_rollbacks_read(root, log, sizeof log, &n),
                     ERR_NOTFOUND);
}

static void damaged_trial_is_rolled_back_unstarted(void **state)
{
    char msg[128] = "";
    int status = -1;

    (void)state;
    install_and_commit("v110", "1.1.0");
    assert_int_equal(install("v120", msg, sizeof msg), ERR_OK);
    damage_current();
    assert_int_equal(launch(5000, &status), ERR_OK);
    expect_current("1.1.0");
    assert_int_equal(starts_of("1.2.0"), 0);
}

static void newest_signed_bundle_is_found_in_a_directory(void **state)
{
    char usb[160], cmd[1000], path[UPDATE_PATH_MAX], msg[128] = "";

    (void)state;
    path_in(usb, sizeof usb, "usb");
    snprintf(cmd, sizeof cmd, "rm -rf %s && mkdir %s && cd %s && "
             "cp ../v110.kb a.kbundle && cp ../v120.kb b.kbundle && "
             "cp ../v120other.kb c.kbundle && cp ../v130.kb d.txt && "
             "head -c 100 ../v130.kb > e.kbundle", usb, usb, usb);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(update_find_bundle(usb, pub, path, sizeof path, msg,
                                        sizeof msg), ERR_OK);
    snprintf(cmd, sizeof cmd, "%s/b.kbundle", usb);
    assert_string_equal(path, cmd);
    assert_int_equal(update_find_bundle(usb, other_pub, path, sizeof path,
                                        msg, sizeof msg), ERR_OK);
    snprintf(cmd, sizeof cmd, "%s/c.kbundle", usb);
    assert_string_equal(path, cmd);
    assert_int_equal(update_find_bundle(dir, pub, path, sizeof path, msg,
                                        sizeof msg), ERR_NOTFOUND);
    assert_non_null(strstr(msg, "no bundle signed"));
}

/* A hub serving a bundle's bytes, cutting the link after `budget` bytes
 * in each attempt (0: never). */
struct fake_hub {
    unsigned char *data;
    size_t size, budget, served;
    uint64_t first_offset;
    bool empty;                 /* answer with no bytes at all */
};

static err_code hub_get(void *ctx, uint64_t offset, void *buf, size_t cap,
                        size_t *n)
{
    struct fake_hub *h = ctx;
    size_t left = h->size - (size_t)offset;

    if (h->served == 0)
        h->first_offset = offset;
    if (h->budget != 0 && h->served >= h->budget)
        return ERR_NET;
    *n = cap < left ? cap : left;
    if (h->budget != 0 && *n > h->budget - h->served)
        *n = h->budget - h->served;
    if (h->empty)
        *n = 0;
    memcpy(buf, h->data + offset, *n);
    h->served += *n;
    return ERR_OK;
}

static unsigned char *load_bundle(const char *name, size_t *len)
{
    char path[160];
    unsigned char *buf = malloc(1 << 16);
    FILE *fp;

    bundle_path(path, sizeof path, name);
    fp = fopen(path, "rb");
    assert_non_null(fp);
    *len = fread(buf, 1, 1 << 16, fp);
    fclose(fp);
    return buf;
}

static void download_resumes_after_cuts_and_installs(void **state)
{
    struct fake_hub h = { 0 };
    struct update_fetch f = { "kiosk-1.2.0", 0, hub_get, &h };
    char path[UPDATE_PATH_MAX], msg[128] = "";
    struct update_opts o = opts();
    size_t cuts[] = { 100, 250, 0 };

    (void)state;
    install_and_commit("v110", "1.1.0");
    h.data = load_bundle("v120", &h.size);
    f.size = h.size;
    for (int i = 0; i < 3; i++) {
        h.budget = cuts[i];
        h.served = 0;
        assert_int_equal(update_fetch(root, &f, NULL, NULL, path,
                                      sizeof path), i < 2 ? ERR_NET : ERR_OK);
        assert_int_equal(h.first_offset, i == 0 ? 0 : i == 1 ? 100 : 350);
    }
    assert_non_null(strstr(path, "/incoming/kiosk-1.2.0.kbundle"));
    assert_int_equal(update_install(&o, path, NULL, NULL, msg, sizeof msg),
                     ERR_OK);
    free(h.data);
}

static void download_refuses_bad_names_and_silent_peers(void **state)
{
    struct fake_hub h = { 0 };
    struct update_fetch f = { "../../etc/x", 10, hub_get, &h };
    char path[UPDATE_PATH_MAX];

    (void)state;
    h.data = load_bundle("v120", &h.size);
    assert_int_equal(update_fetch(root, &f, NULL, NULL, path, sizeof path),
                     ERR_INVAL);
    f.name = "kiosk-1.2.0";
    f.size = h.size;
    h.empty = true;
    assert_int_equal(update_fetch(root, &f, NULL, NULL, path, sizeof path),
                     ERR_PROTO);
    /* A part longer than announced is not ours: start over. */
    h.empty = false;
    f.size = 50;
    h.size = 50;
    {
        char part[224];
        FILE *fp;

        snprintf(part, sizeof part, "%s/incoming/kiosk-1.2.0.part", root);
        fp = fopen(part, "w");
        fputs("this partial file is longer than fifty bytes, clearly, yes",
              fp);
        fclose(fp);
    }
    h.served = 0;
    assert_int_equal(update_fetch(root, &f, NULL, NULL, path, sizeof path),
                     ERR_OK);
    assert_int_equal(h.first_offset, 0);
    free(h.data);
}

static void nothing_installed_is_notfound(void **state)
{
    int status;

    (void)state;
    assert_int_equal(launch(100, &status), ERR_NOTFOUND);
}

struct phases {
    enum update_phase last;
    uint64_t switch_steps;
    bool done;
};

static void phase_progress(void *ctx, enum update_phase phase, uint64_t done,
                           uint64_t total)
{
    struct phases *p = ctx;

    assert_true(phase >= p->last);
    assert_true(done <= total);
    p->last = phase;
    if (phase == UPDATE_SWITCH)
        p->switch_steps = done;
    p->done = phase == UPDATE_DONE;
}

static void progress_runs_through_every_phase(void **state)
{
    struct update_opts o = opts();
    struct phases p = { UPDATE_VERIFY, 0, false };
    char path[160], msg[128];

    (void)state;
    bundle_path(path, sizeof path, "v110");
    assert_int_equal(update_install(&o, path, phase_progress, &p, msg,
                                    sizeof msg), ERR_OK);
    assert_int_equal(p.switch_steps, 3);
    assert_true(p.done);
}

static void report_healthy_writes_to_the_launcher_pipe(void **state)
{
    int p[2], status;
    char buf[8] = "";
    pid_t pid;

    (void)state;
    assert_int_equal(pipe(p), 0);
    pid = fork();
    if (pid == 0) {
        dup2(p[1], 3);
        setenv("KIOSK_HEALTH_FD", "3", 1);
        update_report_healthy();
        update_report_healthy();            /* once only */
        _exit(getenv("KIOSK_HEALTH_FD") == NULL ? 0 : 1);
    }
    close(p[1]);
    assert_int_equal(read(p[0], buf, sizeof buf - 1), 3);
    assert_string_equal(buf, "ok\n");
    close(p[0]);
    waitpid(pid, &status, 0);
    assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup(fn, setup)
        T(good_bundle_installs_and_runs_on_trial),
        T(each_bad_bundle_is_refused_and_nothing_changes),
        T(altered_and_truncated_bundles_change_nothing),
        T(second_install_waits_for_the_trial),
        T(never_healthy_version_is_rolled_back),
        T(crashing_version_is_rolled_back_after_max_boots),
        T(installer_killed_at_every_step_leaves_a_startable_unit),
        T(killed_launcher_still_counts_trial_starts),
        T(database_is_copied_before_the_first_trial_start),
        T(rollback_of_first_install_returns_to_factory),
        T(damaged_slot_falls_back_to_the_other),
        T(damaged_only_version_still_starts),
        T(damaged_trial_is_rolled_back_unstarted),
        T(newest_signed_bundle_is_found_in_a_directory),
        T(download_resumes_after_cuts_and_installs),
        T(download_refuses_bad_names_and_silent_peers),
        T(nothing_installed_is_notfound),
        T(progress_runs_through_every_phase),
        T(report_healthy_writes_to_the_launcher_pipe),
#undef T
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
