/* hub/hub_bundle_pilot.c - the console's publishing of update bundles
 * (hub/hub_bundle_pilot.h). */
#include "hub/hub_bundle_pilot.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/xmalloc.h"
#include "hub/hub_audit.h"

static err_code say(char *msg, size_t cap, err_code e, const char *what)
{
    snprintf(msg, cap, "%s", what);
    return e;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

err_code hub_bundle_incoming(const char *hub_dir,
                             void (*fn)(void *ctx, const char *name,
                                        long long size),
                             void *ctx)
{
    char dir[600], path[1200];
    snprintf(dir, sizeof dir, "%s/" HUB_BUNDLE_INCOMING, hub_dir);
    DIR *d = opendir(dir);
    if (!d)
        return ERR_OK;                /* no folder: no bundle waiting */
    char **names = NULL;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (len > 8 && strcmp(de->d_name + len - 8, ".kbundle") == 0 &&
            hub_bundle_name_ok(de->d_name)) {
            names = xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = xstrdup(de->d_name);
        }
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
            fn(ctx, names[i], (long long)sb.st_size);
        free(names[i]);
    }
    free(names);
    return ERR_OK;
}

err_code hub_bundle_publish_audited(struct hub_db *db, const char *hub_dir,
                                    const char *file, const char *station,
                                    const char *actor,
                                    struct hub_bundle_info *out, char *msg,
                                    size_t cap)
{
    char path[1200], pub[700], obj[80];
    struct stat sb;
    memset(out, 0, sizeof *out);
    msg[0] = '\0';
    if (!hub_bundle_name_ok(file))
        return say(msg, cap, ERR_INVAL, "bad bundle name");
    if (station)
        snprintf(path, sizeof path, "%s/" HUB_BUNDLE_INCOMING "/%s",
                 hub_dir, file);
    else
        snprintf(path, sizeof path, "%s/bundles/%s.kbundle", hub_dir, file);
    snprintf(pub, sizeof pub, "%s/" HUB_RELEASE_PUB, hub_dir);
    if (stat(pub, &sb) != 0)
        return say(msg, cap, ERR_NOTFOUND, "no release key");
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return say(msg, cap, ERR_NOTFOUND, "no such bundle");
    err_code e = hub_db_begin(db);
    if (e != ERR_OK)
        return say(msg, cap, e, "the store is busy");
    e = hub_bundle_publish(db, hub_dir, path, pub, station, out, msg, cap);
    if (e == ERR_OK) {
        char after[400];
        snprintf(after, sizeof after, "{\"bundle\":\"%s\",\"version\":\"%s\","
                 "\"size\":%llu,\"sha256\":\"%s\"}", out->name, out->version,
                 (unsigned long long)out->size, out->sha256);
        if (station)
            snprintf(obj, sizeof obj, "station:%s", station);
        else
            snprintf(obj, sizeof obj, "all");
        e = hub_audit_record(db, actor, "bundle.publish", obj, NULL, after);
        if (e != ERR_OK)
            say(msg, cap, e, "cannot record it");
    }
    if (e == ERR_OK)
        e = hub_db_commit(db);
    else
        hub_db_rollback(db);
    return e;
}

bool hub_bundle_pilot_ok(const char *version, const char *kiosk_version,
                         const char *last_rollback)
{
    if (!version[0] || strcmp(version, kiosk_version) != 0)
        return false;
    /* "2026-11-30T08:00:00Z 1.3.0->1.2.0 (health)" */
    const char *sp = strchr(last_rollback, ' ');
    size_t n = strlen(version);
    return !(sp && strncmp(sp + 1, version, n) == 0 &&
             strncmp(sp + 1 + n, "->", 2) == 0);
}
