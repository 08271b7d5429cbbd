/* firmware/diag.c - the technician's diagnostics (diag.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "firmware/diag.h"
#include "base/xmalloc.h"

#ifndef KIOSK_VERSION
#define KIOSK_VERSION "dev"
#endif

static int64_t file_size(const char *dir, const char *name)
{
    char path[CONFIG_STR + 32];
    struct stat st;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0 ? (int64_t)st.st_size : -1;
}

static void collect_store(const struct config *cfg, struct store *s,
                          struct diag *d)
{
    int64_t wal;
    struct store_sync_state ss;

    store_last_seq(s, &d->last_seq);
    store_acked_seq(s, &d->acked_seq);
    d->queue = d->last_seq > d->acked_seq ? d->last_seq - d->acked_seq : 0;
    store_epoch_current(s, d->epoch, sizeof d->epoch, &d->epoch_start);
    store_epoch_note(s, d->epoch_note, sizeof d->epoch_note, &d->refused);
    d->schema = store_schema_version(s);
    store_member_count(s, &d->members);
    d->db_ok = store_integrity(s, d->db_check, sizeof d->db_check) == ERR_OK;
    if (d->db_ok)
        str_copy(d->db_check, sizeof d->db_check, "ok");
    d->db_bytes = file_size(cfg->state_dir, "kiosk.db");
    wal = file_size(cfg->state_dir, "kiosk.db-wal");
    if (d->db_bytes >= 0 && wal > 0)
        d->db_bytes += wal;
    d->salvage_pending = store_salvage_get(s, &d->salvage) == ERR_OK &&
                         !d->salvage.acknowledged;
    store_sync_state_get(s, &ss);
    d->last_sync_ms = ss.last_sync_ms;
    d->hub_offset_ms = ss.hub_offset_ms;
}

static void collect_update(const struct config *cfg, struct diag *d)
{
    struct update_opts o = { .root = cfg->update_root,
                             .pub_key = cfg->release_key,
                             .factory = cfg->factory_dir };
    struct update_status us;

    update_status_read(&o, &us);
    str_copy(d->version, sizeof d->version,
             us.version[0] ? us.version : KIOSK_VERSION);
    d->on_trial = us.on_trial;
    d->rollbacks = us.rollbacks;
}

void diag_collect_at(const struct config *cfg, struct store *store,
                     const struct stamp *now, struct diag *d)
{
    struct statvfs vfs;
    int64_t window;

    memset(d, 0, sizeof *d);
    d->now = *now;
    collect_update(cfg, d);
    collect_store(cfg, store, d);
    d->enrolled = file_size(cfg->state_dir, "kiosk.crt") > 0;
    d->free_bytes = d->total_bytes = -1;
    if (statvfs(cfg->state_dir, &vfs) == 0) {
        d->free_bytes = (int64_t)vfs.f_bavail * (int64_t)vfs.f_frsize;
        d->total_bytes = (int64_t)vfs.f_blocks * (int64_t)vfs.f_frsize;
    }
    /* The worker syncs every interval: three missed rounds is offline. */
    window = 3000LL * cfg->sync_interval_seconds + 1000;
    d->online = cfg->hub_host[0] && d->last_sync_ms > 0 &&
                now->wall_ms - d->last_sync_ms < window;
}

void diag_collect(const struct config *cfg, struct store *store,
                  struct diag *d)
{
    struct stamp now;

    clock_now(&now);
    diag_collect_at(cfg, store, &now, d);
}

void diag_bytes(int64_t n, char *out, size_t cap)
{
    static const char *const unit[] = { "B", "KB", "MB", "GB", "TB" };
    double v = (double)n;
    int u = 0;

    if (n < 0) {
        str_copy(out, cap, "-");
        return;
    }
    while (v >= 1024 && u < 4) {
        v /= 1024;
        u++;
    }
    snprintf(out, cap, u ? "%.1f %s" : "%.0f %s", v, unit[u]);
}

void diag_salvage_text(const struct diag *d, char *out, size_t cap)
{
    char day[11];

    if (!d->salvage_pending) {
        str_copy(out, cap, "");
        return;
    }
    clock_ymd(d->salvage.when_ms, 0, day);
    snprintf(out, cap, "database was damaged on %s (%s): kept as %s,"
             " %" PRIu64 " unsent events salvaged, %" PRIu64 " unreadable"
             " (sent to the hub as lost), hub state re-pulled;"
             " acknowledge with kioskctl salvage-ack", day,
             d->salvage.problem, d->salvage.kept, d->salvage.salvaged,
             d->salvage.lost);
}

size_t diag_format(const struct diag *d, const struct config *cfg,
                   char *out, size_t cap)
{
    char db[24], fr[24], tot[24], salv[1024];
    int n;

    diag_bytes(d->db_bytes, db, sizeof db);
    diag_bytes(d->free_bytes, fr, sizeof fr);
    diag_bytes(d->total_bytes, tot, sizeof tot);
    diag_salvage_text(d, salv, sizeof salv);
    n = snprintf(out, cap,
        "version: %s%s\nrollbacks_unreported: %zu\n"
        "station: %s\ndevice: %s\nhub: %s:%d\nenrolled: %s\n"
        "last_sync_ms: %" PRId64 "\nhub_offset_ms: %" PRId64 "\nonline: %s\n"
        "events: %" PRIu64 "\nacknowledged: %" PRIu64 "\nqueue: %" PRIu64 "\n"
        "schema: %d\nmembers: %d\ndatabase: %s\ndatabase_size: %s\n"
        "free_storage: %s of %s\nclock_ms: %" PRId64 "\nclock: %s\n"
        "epoch: %s from seq %" PRIu64 "\nepoch_changed: %s\n"
        "refused_by_hub: %" PRIu64 "\n%s%s%s",
        d->version, d->on_trial ? " (on trial)" : "", d->rollbacks,
        cfg->station_id, cfg->device_id,
        cfg->hub_host[0] ? cfg->hub_host : "(none)", cfg->hub_port,
        d->enrolled ? "yes" : "no", d->last_sync_ms, d->hub_offset_ms,
        d->online ? "yes" : "no", d->last_seq, d->acked_seq, d->queue,
        d->schema, d->members, d->db_check, db, fr, tot, d->now.wall_ms,
        d->now.clock_trusted ? "trusted (NTP or hub)" : "not trusted",
        d->epoch[0] ? d->epoch : "(none)", d->epoch_start,
        d->epoch_note[0] ? d->epoch_note : "never", d->refused,
        d->salvage_pending ? "salvage: " : "", salv,
        d->salvage_pending ? "\n" : "");
    return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}
