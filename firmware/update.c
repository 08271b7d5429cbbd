/* firmware/update.c - installing a bundle into the inactive slot, and the
 * on-disk pieces the launcher shares: the `current` link and the trial
 * record. Every change to the layout is a rename or an unlink followed by
 * a flush of the directory (base/file.h), in an order that leaves
 * a startable version after a power cut at any point (docs/updates.md). */
#include "firmware/update_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file.h"
#include "base/log.h"
#include "base/xmalloc.h"

#define UPDATE_PRODUCT "kiosk"

void update_current_slot(const char *root, char slot[2])
{
    char path[UPDATE_PATH_MAX], target[32];
    ssize_t n;

    slot[0] = '\0';
    snprintf(path, sizeof path, "%s/current", root);
    n = readlink(path, target, sizeof target - 1);
    if (n < 0)
        return;
    target[n] = '\0';
    if (strcmp(target, "slots/a") == 0 || strcmp(target, "slots/b") == 0) {
        slot[0] = target[6];
        slot[1] = '\0';
    } else {
        log_warn("update: %s points at \"%s\"; ignoring it", path, target);
    }
}

err_code update_switch(const char *root, const char *slot)
{
    char cur[UPDATE_PATH_MAX], tmp[UPDATE_PATH_MAX], target[16];

    snprintf(cur, sizeof cur, "%s/current", root);
    if (slot[0] == '\0') {
        if (unlink(cur) != 0 && errno != ENOENT)
            return ERR_IO;
        return file_sync_dir(root);
    }
    snprintf(tmp, sizeof tmp, "%s/current.new", root);
    snprintf(target, sizeof target, "slots/%s", slot);
    unlink(tmp);
    if (symlink(target, tmp) != 0) {
        log_error("update: switching %s: %s", cur, strerror(errno));
        return ERR_IO;
    }
    if (file_rename(tmp, cur) != ERR_OK) {
        unlink(tmp);
        return ERR_IO;
    }
    return ERR_OK;
}

/* One "key=value" line of the trial record into t. */
static void trial_field(struct update_trial *t, const char *line)
{
    const char *v = strchr(line, '=');

    if (v == NULL)
        return;
    v++;
    if (strncmp(line, "slot=", 5) == 0)
        str_copy(t->slot, sizeof t->slot, v);
    else if (strncmp(line, "previous=", 9) == 0)
        str_copy(t->previous, sizeof t->previous, v);
    else if (strncmp(line, "boots=", 6) == 0)
        t->boots = atoi(v);
    else if (strncmp(line, "version=", 8) == 0)
        str_copy(t->version, sizeof t->version, v);
    else if (strncmp(line, "from=", 5) == 0)
        str_copy(t->from, sizeof t->from, v);
}

static bool slot_name_ok(const char *s, bool empty_ok)
{
    return (empty_ok && s[0] == '\0') || strcmp(s, "a") == 0 ||
           strcmp(s, "b") == 0;
}

err_code update_trial_read(const char *root, struct update_trial *t)
{
    char path[UPDATE_PATH_MAX], line[128];
    FILE *fp;

    memset(t, 0, sizeof *t);
    snprintf(path, sizeof path, "%s/trial", root);
    fp = fopen(path, "r");
    if (fp == NULL)
        return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
    for (int i = 0; i < 8 && fgets(line, sizeof line, fp) != NULL; i++) {
        line[strcspn(line, "\n")] = '\0';
        trial_field(t, line);
    }
    fclose(fp);
    if (!slot_name_ok(t->slot, false) || !slot_name_ok(t->previous, true) ||
        t->boots < 0) {
        log_error("update: %s is damaged", path);
        return ERR_CORRUPT;
    }
    return ERR_OK;
}

err_code update_trial_write(const char *root, const struct update_trial *t)
{
    char path[UPDATE_PATH_MAX], text[256];
    int n;

    snprintf(path, sizeof path, "%s/trial", root);
    n = snprintf(text, sizeof text,
                 "slot=%s\nprevious=%s\nboots=%d\nversion=%s\nfrom=%s\n",
                 t->slot, t->previous, t->boots, t->version, t->from);
    if (n < 0 || (size_t)n >= sizeof text ||
        file_write_atomic(path, text, (size_t)n, 0644) != ERR_OK) {
        log_error("update: writing %s failed", path);
        return ERR_IO;
    }
    return ERR_OK;
}

err_code update_trial_clear(const char *root)
{
    char path[UPDATE_PATH_MAX];

    snprintf(path, sizeof path, "%s/trial", root);
    if (unlink(path) != 0 && errno != ENOENT)
        return ERR_IO;
    return file_sync_dir(root);
}

err_code update_remove_tree(const char *path)
{
    struct stat st;
    DIR *d;
    struct dirent *de;
    err_code e = ERR_OK;

    if (lstat(path, &st) != 0)
        return errno == ENOENT ? ERR_OK : ERR_IO;
    if (!S_ISDIR(st.st_mode))
        return unlink(path) == 0 ? ERR_OK : ERR_IO;
    d = opendir(path);
    if (d == NULL)
        return ERR_IO;
    while (e == ERR_OK && (de = readdir(d)) != NULL) {
        char sub[UPDATE_PATH_MAX + 256];

        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
        e = update_remove_tree(sub);
    }
    closedir(d);
    if (e == ERR_OK && rmdir(path) != 0)
        e = ERR_IO;
    return e;
}

/* The MANIFEST's version, or a VERSION file's (the factory install). */
err_code update_dir_version(const char *dir, char *version, size_t cap)
{
    char path[UPDATE_PATH_MAX], *text;
    struct bundle_manifest *m;
    uint64_t num;
    size_t n;
    err_code e;

    snprintf(path, sizeof path, "%s/%s", dir, BUNDLE_MANIFEST_NAME);
    e = file_read_capped(path, BUNDLE_MANIFEST_MAX, &text, &n);
    if (e == ERR_OK) {
        e = bundle_manifest_parse(text, n, &m, NULL, 0);
        if (e == ERR_OK)
            str_copy(version, cap, m->version);
        bundle_manifest_free(m);
        free(text);
        return e;
    }
    if (e != ERR_NOTFOUND)
        return e == ERR_INVAL ? ERR_CORRUPT : e;
    snprintf(path, sizeof path, "%s/VERSION", dir);
    e = file_read_capped(path, 256, &text, &n);
    if (e != ERR_OK)
        return e == ERR_INVAL ? ERR_CORRUPT : e;
    text[strcspn(text, "\n")] = '\0';
    e = strlen(text) < BUNDLE_VERSION_MAX &&
        bundle_version_parse(text, &num) == ERR_OK ? ERR_OK : ERR_CORRUPT;
    if (e == ERR_OK)
        str_copy(version, cap, text);
    free(text);
    return e;
}

err_code update_current(const struct update_opts *o, char *version,
                        size_t vcap, char *dir, size_t dcap)
{
    char slot[2], path[UPDATE_PATH_MAX];

    update_current_slot(o->root, slot);
    if (slot[0] != '\0')
        snprintf(path, sizeof path, "%s/slots/%s", o->root, slot);
    else if (o->factory != NULL)
        str_copy(path, sizeof path, o->factory);
    else
        return ERR_NOTFOUND;
    if (dir != NULL)
        str_copy(dir, dcap, path);
    return update_dir_version(path, version, vcap);
}

/* Refuse what may not replace the installed version; nothing is hashed
 * or written yet, so these answers are quick. */
static err_code check_versions(const struct update_opts *o,
                               const struct bundle_manifest *m,
                               char *msg, size_t cap)
{
    char cur[BUNDLE_VERSION_MAX];
    uint64_t cur_num;

    if (strcmp(m->product, UPDATE_PRODUCT) != 0)
        return err_msg(msg, cap, ERR_DENIED, "bundle is for \"%s\", not %s",
                       m->product, UPDATE_PRODUCT);
    if (update_current(o, cur, sizeof cur, NULL, 0) != ERR_OK)
        return ERR_OK;                  /* nothing installed: any version */
    if (bundle_version_parse(cur, &cur_num) != ERR_OK)
        return ERR_OK;
    if (m->version_num <= cur_num)
        return err_msg(msg, cap, ERR_DENIED,
                       "bundle version %s is not newer than the installed %s",
                       m->version, cur);
    if (cur_num < m->min_version_num)
        return err_msg(msg, cap, ERR_DENIED,
                       "bundle %s needs version %s or later installed first "
                   "(this unit has %s)", m->version, m->min_version, cur);
    return ERR_OK;
}

/* A trial still running blocks a new install; a stale record (its slot
 * is not current: the installer died before switching) is dropped. */
static err_code check_no_trial(const char *root, char *msg, size_t cap)
{
    struct update_trial t;
    char slot[2];
    err_code e = update_trial_read(root, &t);

    if (e == ERR_NOTFOUND)
        return ERR_OK;
    update_current_slot(root, slot);
    if (e == ERR_OK && strcmp(t.slot, slot) == 0)
        return err_msg(msg, cap, ERR_BUSY, "version %s is still on trial; "
                   "try again once it is confirmed or rolled back",
                   t.version);
    return update_trial_clear(root);
}

struct phase_ctx {
    update_progress_fn fn;
    void *ctx;
    enum update_phase phase;
};

static void phase_progress(void *ctx, uint64_t done, uint64_t total)
{
    struct phase_ctx *p = ctx;

    if (p->fn)
        p->fn(p->ctx, p->phase, done, total);
}

/* Write the bundle into slots/<slot>: into a ".new" directory first, so a
 * half-written slot never carries a slot's name. */
static err_code write_slot(const struct update_opts *o, struct bundle *b,
                           const char *slot, struct phase_ctx *p,
                           char *msg, size_t cap)
{
    char slots[UPDATE_PATH_MAX], dir[UPDATE_PATH_MAX + 8];
    char tmp[UPDATE_PATH_MAX + 8];
    err_code e;

    snprintf(slots, sizeof slots, "%s/slots", o->root);
    snprintf(dir, sizeof dir, "%s/%s", slots, slot);
    snprintf(tmp, sizeof tmp, "%s/%s.new", slots, slot);
    if ((mkdir(o->root, 0755) != 0 && errno != EEXIST) ||
        (mkdir(slots, 0755) != 0 && errno != EEXIST) ||
        update_remove_tree(tmp) != ERR_OK)
        return err_msg(msg, cap, ERR_IO, "cannot prepare %s", slots);
    p->phase = UPDATE_COPY;
    e = bundle_extract(b, tmp, phase_progress, p, msg, cap);
    if (e == ERR_OK && (update_remove_tree(dir) != ERR_OK ||
                        file_rename(tmp, dir) != ERR_OK))
        e = err_msg(msg, cap, ERR_IO, "cannot move the new version into %s",
                    dir);
    if (e != ERR_OK)
        update_remove_tree(tmp);
    return e;
}

/* Record the trial, then point `current` at it: in this order, a cut
 * between the two leaves a stale record the launcher ignores. */
static err_code start_trial(const struct update_opts *o,
                            const struct bundle_manifest *m,
                            const char *slot, struct phase_ctx *p,
                            char *msg, size_t cap)
{
    struct update_trial t = { .boots = 0 };
    err_code e;

    update_current_slot(o->root, t.previous);
    str_copy(t.slot, sizeof t.slot, slot);
    str_copy(t.version, sizeof t.version, m->version);
    if (update_current(o, t.from, sizeof t.from, NULL, 0) != ERR_OK)
        str_copy(t.from, sizeof t.from, "none");
    e = update_trial_write(o->root, &t);
    if (e == ERR_OK) {
        phase_progress(p, 2, 3);
        e = update_switch(o->root, slot);
    }
    if (e != ERR_OK)
        return err_msg(msg, cap, e, "cannot switch to the new version");
    phase_progress(p, 3, 3);
    return ERR_OK;
}

err_code update_install(const struct update_opts *o, const char *path,
                        update_progress_fn fn, void *ctx,
                        char *msg, size_t cap)
{
    struct phase_ctx p = { fn, ctx, UPDATE_VERIFY };
    const struct bundle_manifest *m;
    struct bundle *b;
    char cur[2];
    err_code e;

    e = bundle_open(path, o->pub_key, &b, msg, cap);
    if (e != ERR_OK)
        return e;
    m = bundle_manifest(b);
    e = check_versions(o, m, msg, cap);
    if (e == ERR_OK)
        e = check_no_trial(o->root, msg, cap);
    if (e == ERR_OK)
        e = bundle_check(b, phase_progress, &p, msg, cap);
    update_current_slot(o->root, cur);
    if (e == ERR_OK)
        e = write_slot(o, b, cur[0] == 'a' ? "b" : "a", &p, msg, cap);
    if (e == ERR_OK) {
        p.phase = UPDATE_SWITCH;
        phase_progress(&p, 1, 3);
        e = start_trial(o, m, cur[0] == 'a' ? "b" : "a", &p, msg, cap);
    }
    if (e == ERR_OK) {
        log_info("update: %s installed; on trial at next start", m->version);
        if (fn)
            fn(ctx, UPDATE_DONE, 1, 1);
    } else {
        log_warn("update: %s refused: %s", path, msg);
    }
    bundle_close(b);
    return e;
}
