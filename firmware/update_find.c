/* firmware/update_find.c - picking the bundle to install from a
 * directory, such as a technician's USB stick: the newest one the release
 * key signed. Only headers and signatures are read here; update_install
 * checks the chosen bundle completely. */
#include "firmware/update_int.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "base/xmalloc.h"

#define FIND_MAX_ENTRIES 256        /* a stick full of files is not read */
#define BUNDLE_SUFFIX    ".kbundle"

static bool is_bundle_name(const char *name)
{
    size_t n = strlen(name), k = strlen(BUNDLE_SUFFIX);

    return n > k && name[0] != '.' && strcmp(name + n - k, BUNDLE_SUFFIX) == 0;
}

err_code update_find_bundle(const char *dir, const char *pub_key,
                            char *path, size_t cap, char *msg, size_t mcap)
{
    uint64_t best = 0;
    bool found = false;
    struct dirent *de;
    DIR *d = opendir(dir);
    int seen = 0;

    if (d == NULL) {
        snprintf(msg, mcap, "cannot read %s", dir);
        return ERR_IO;
    }
    while ((de = readdir(d)) != NULL && seen++ < FIND_MAX_ENTRIES) {
        char candidate[UPDATE_PATH_MAX + 256];
        struct bundle *b;

        if (!is_bundle_name(de->d_name))
            continue;
        snprintf(candidate, sizeof candidate, "%s/%s", dir, de->d_name);
        if (bundle_open(candidate, pub_key, &b, NULL, 0) != ERR_OK) {
            log_warn("update: %s is not a signed bundle; skipped", candidate);
            continue;
        }
        if (!found || bundle_manifest(b)->version_num > best) {
            best = bundle_manifest(b)->version_num;
            found = str_copy(path, cap, candidate) == 0;
        }
        bundle_close(b);
    }
    closedir(d);
    if (!found) {
        snprintf(msg, mcap, "no bundle signed by the release key in %s", dir);
        return ERR_NOTFOUND;
    }
    return ERR_OK;
}
