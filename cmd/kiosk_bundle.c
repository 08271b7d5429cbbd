/* cmd/kiosk_bundle.c - the release tool: make a release key, make and
 * verify signed update bundles, and install one into a slot layout (what
 * kioskctl does on a unit, usable on its own for tests and bench work).
 * Messages go to stderr; the exit status is 0 only on success. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/bundle.h"
#include "base/log.h"
#include "firmware/update.h"

static const char usage[] =
    "usage: kiosk-bundle keygen PRIVATE.pem PUBLIC.pem\n"
    "       kiosk-bundle make --key PRIVATE.pem --version X.Y.Z\n"
    "                         [--min-version X.Y.Z] [--product kiosk]"
    " DIR OUT\n"
    "       kiosk-bundle verify --key PUBLIC.pem BUNDLE\n"
    "       kiosk-bundle install --key PUBLIC.pem --root ROOT"
    " [--factory DIR] BUNDLE|DIR\n"
    "       kiosk-bundle status --root ROOT [--factory DIR]\n";

struct args {
    const char *key, *version, *min_version, *product, *root, *factory;
    const char *pos[2];
    int npos;
};

static int parse(int argc, char **argv, struct args *a)
{
    memset(a, 0, sizeof *a);
    a->product = "kiosk";
    for (int i = 2; i < argc; i++) {
        const char **opt = strcmp(argv[i], "--key") == 0 ? &a->key
            : strcmp(argv[i], "--version") == 0 ? &a->version
            : strcmp(argv[i], "--min-version") == 0 ? &a->min_version
            : strcmp(argv[i], "--product") == 0 ? &a->product
            : strcmp(argv[i], "--root") == 0 ? &a->root
            : strcmp(argv[i], "--factory") == 0 ? &a->factory : NULL;

        if (opt != NULL && i + 1 < argc)
            *opt = argv[++i];
        else if (opt == NULL && argv[i][0] != '-' && a->npos < 2)
            a->pos[a->npos++] = argv[i];
        else
            return -1;
    }
    return 0;
}

static int fail(const char *what, const char *msg)
{
    fprintf(stderr, "kiosk-bundle: %s: %s\n", what, msg);
    return 1;
}

static void progress(void *ctx, enum update_phase phase, uint64_t done,
                     uint64_t total)
{
    static const char *const names[] = { "verify", "copy", "switch", "done" };

    (void)ctx;
    if (!isatty(STDERR_FILENO))
        return;                     /* a log gets the outcome only */
    fprintf(stderr, "\r%-6s %3d%%", names[phase],
            total ? (int)(done * 100 / total) : 100);
    if (phase == UPDATE_DONE)
        fputc('\n', stderr);
}

static int cmd_make(const struct args *a)
{
    char msg[256] = "";

    if (a->key == NULL || a->version == NULL || a->npos != 2)
        return fail("make", "needs --key, --version, DIR and OUT");
    if (bundle_make(a->pos[0], a->product, a->version,
                    a->min_version ? a->min_version : "0.0.0", a->key,
                    a->pos[1], msg, sizeof msg) != ERR_OK)
        return fail("make", msg);
    printf("%s: version %s signed\n", a->pos[1], a->version);
    return 0;
}

static int cmd_verify(const struct args *a)
{
    char msg[256] = "";
    struct bundle *b;
    err_code e;

    if (a->key == NULL || a->npos != 1)
        return fail("verify", "needs --key and BUNDLE");
    e = bundle_open(a->pos[0], a->key, &b, msg, sizeof msg);
    if (e == ERR_OK)
        e = bundle_check(b, NULL, NULL, msg, sizeof msg);
    if (e != ERR_OK) {
        bundle_close(b);
        return fail(a->pos[0], msg);
    }
    printf("%s: %s %s (upgrades from %s), %zu files, good signature\n",
           a->pos[0], bundle_manifest(b)->product, bundle_manifest(b)->version,
           bundle_manifest(b)->min_version, bundle_manifest(b)->nfiles);
    bundle_close(b);
    return 0;
}

static int cmd_install(const struct args *a)
{
    struct update_opts o = { a->root, a->key, a->factory };
    char msg[256] = "", path[UPDATE_PATH_MAX];
    struct stat st;

    if (a->key == NULL || a->root == NULL || a->npos != 1)
        return fail("install", "needs --key, --root and BUNDLE");
    snprintf(path, sizeof path, "%s", a->pos[0]);
    /* A directory (a USB stick): its newest signed bundle. */
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode) &&
        update_find_bundle(a->pos[0], a->key, path, sizeof path, msg,
                           sizeof msg) != ERR_OK)
        return fail(a->pos[0], msg);
    if (update_install(&o, path, progress, NULL, msg, sizeof msg)
        != ERR_OK) {
        if (isatty(STDERR_FILENO))
            fputc('\n', stderr);
        return fail(path, msg);
    }
    printf("%s installed; it runs on trial at the next start\n", path);
    return 0;
}

static int cmd_status(const struct args *a)
{
    struct update_opts o = { a->root, NULL, a->factory };
    struct update_status st;
    char msg[256] = "";

    if (a->root == NULL)
        return fail("status", "needs --root");
    update_status_read(&o, &st);
    if (st.version[0] == '\0')
        return fail("status", "nothing installed");
    printf("version %s in %s\n", st.version, st.dir);
    if (st.on_trial)
        printf("on trial: %d of %d starts used\n", st.trial_starts,
               UPDATE_MAX_BOOTS);
    if (st.rollbacks > 0)
        printf("%zu rollback(s) not yet reported\n", st.rollbacks);
    if (strcmp(st.dir, a->factory ? a->factory : "") != 0 &&
        bundle_check_dir(st.dir, NULL, msg, sizeof msg) != ERR_OK)
        return fail("status", msg);
    return 0;
}

int main(int argc, char **argv)
{
    struct args a;

    log_set_level(LOG_LVL_WARN);
    if (argc < 2 || parse(argc, argv, &a) != 0) {
        fputs(usage, stderr);
        return 2;
    }
    if (strcmp(argv[1], "keygen") == 0 && a.npos == 2)
        return sig_keygen(a.pos[0], a.pos[1]) == ERR_OK ? 0
            : fail("keygen", "failed (does the key file exist already?)");
    if (strcmp(argv[1], "make") == 0)
        return cmd_make(&a);
    if (strcmp(argv[1], "verify") == 0)
        return cmd_verify(&a);
    if (strcmp(argv[1], "install") == 0)
        return cmd_install(&a);
    if (strcmp(argv[1], "status") == 0)
        return cmd_status(&a);
    fputs(usage, stderr);
    return 2;
}
