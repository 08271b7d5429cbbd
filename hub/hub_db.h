/* hub/hub_db.h - the hub's store: stations, enrolled devices, one-time
 * enrolment codes, the roster, every uploaded event (once per device and
 * seq), service logs and their verdicts, and the change feed each
 * station's kiosks read. On SQLite (a file, WAL; the default) or on
 * PostgreSQL (a URL; several hubds may share one database): docs/hub.md.
 * hubd and hubctl each open their own connection; hubd serialises its
 * threads on one. Opaque: the SQL lives in hub/hub_db*.c only
 * (hub_db_int.h); this header and hub_db_roster.h, hub_db_board.h,
 * hub_db_review.h, hub_db_report.h, hub_db_bundle.h and hub_db_ticket.h
 * are what the rest of the hub sees of it.
 *
 * Points rule (sync/PROTOCOL.md): a confirmed service log earns one point
 * per whole 30 minutes, at least 1. */
#ifndef HUB_DB_H
#define HUB_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/err.h"
#include "sync/proto.h"

#define HUB_PAGE_CHANGES 500          /* changes per page */
#define HUB_PAGE_BYTES (1024 * 1024)  /* data per page, about */
#define HUB_CODE_LEN     16           /* enrolment code characters */

struct hub_db;
struct hub_anchor;
struct hub_put;

/* target: a SQLite file's path (hub.db), or a PostgreSQL database's URL,
 * postgresql://... (docs/hub.md). */
err_code hub_db_open(const char *target, struct hub_db **out);
/* Whether target names a PostgreSQL database rather than a file. */
bool     hub_db_is_url(const char *target);
void     hub_db_close(struct hub_db *db);               /* NULL: no-op */
/* A read-only connection to a store that hub_db_open has set up (a
 * hub.db file or a PostgreSQL URL), for one thread at a time
 * (hub_db_pool.h): reads only, no fleet connection. */
err_code hub_db_open_reader(const char *target, struct hub_db **out);
/* PRAGMA quick_check of the database file at path, on a connection of
 * its own (nothing is created or changed): ERR_OK when it is sound or
 * absent; ERR_CORRUPT with SQLite's first problem in msg
 * when it is damaged. Costs a read of the whole file: run at start.
 * A PostgreSQL URL: ERR_OK (the server checks its own pages). */
err_code hub_db_quick_check(const char *path, char *msg, size_t cap);

int64_t  hub_now_ms(void);
int      hub_points_for(int minutes);
/* The most points a confirmation may carry when staff set them by hand
 * (hubctl confirm --points): a slip of the keyboard must not top the star
 * board for a year. */
#define HUB_POINTS_MAX 100

/* ---- stations, devices, enrolment ------------------------------------ */

err_code hub_db_station_add(struct hub_db *db, const char *id,
                            const char *name);
bool     hub_db_station_exists(struct hub_db *db, const char *id);
/* A one-time code (valid 24 h) for `device` of `station`, into code
 * (HUB_CODE_LEN + 1 bytes). ERR_NOTFOUND: no such station. */
err_code hub_db_enrol_code(struct hub_db *db, const char *station,
                           const char *device, char *code);
/* Take a code: ERR_DENIED when unknown, used or expired. On ERR_OK the
 * code is spent and station and device say whom it was for; nothing is
 * recorded of the device until hub_db_cert_add. */
err_code hub_db_enrol_take(struct hub_db *db, const char *code,
                           char *station, size_t scap, char *device,
                           size_t dcap);

/* Certificates. The hub records every client certificate it issues
 * (serial and SHA-256 fingerprint, as sync/pki.h spells them) and checks
 * each request's certificate against them, so revocation is per
 * certificate: enrolling a device again supersedes its older
 * certificates, and revoking one never comes undone. */
enum hub_cert_state { HUB_CERT_CURRENT, HUB_CERT_SUPERSEDED,
                      HUB_CERT_REVOKED };
/* A certificate just issued to device of station: the device is
 * recorded for the station (a revocation of the device lifted) and the
 * certificate becomes its current one; every older one is superseded.
 * One transaction. */
err_code hub_db_cert_add(struct hub_db *db, const char *station,
                         const char *device, const char *serial,
                         const char *sha256, int64_t now);
/* Revoke one certificate, named by its serial or fingerprint (hex, any
 * case, colons allowed); *device (dcap bytes) gets whose it was. Revoking
 * a device's current certificate leaves the device refused until it is
 * enrolled again. ERR_NOTFOUND; ERR_INVAL: not hex. */
err_code hub_db_cert_revoke(struct hub_db *db, const char *which,
                            char *device, size_t dcap);
struct hub_cert_row {
    char    device[64], station[64];
    char    serial[41], sha256[65];
    const char *state;                 /* current, superseded, revoked */
    int64_t issued_ms, changed_ms;     /* changed_ms 0: never */
};
/* Every certificate (of device, or of all when NULL), oldest first. */
err_code hub_db_certs_each(struct hub_db *db, const char *device,
                           void (*fn)(void *ctx, const struct hub_cert_row *r),
                           void *ctx);
/* Refuse a device from now on (decommissioned, lost or stolen): its
 * current certificate is revoked, and the device is refused whatever
 * certificate it shows until it is enrolled again with a new one-time
 * code (which issues a new certificate; the revoked one stays revoked).
 * ERR_NOTFOUND. */
err_code hub_db_device_revoke(struct hub_db *db, const char *device);
/* The anchor of a device's boot from its last request in that boot
 * (recorded by hub_db_device_seen). ERR_NOTFOUND. */
err_code hub_db_boot_anchor(struct hub_db *db, const char *device,
                            const char *boot_id, struct hub_anchor *out);
/* Anchors for put->evs: this request's status first, then the last known
 * one of each other boot named by the events (looked up in db). */
void     hub_db_anchors_fill(struct hub_db *db, struct hub_put *put,
                             const struct proto_status *st);
/* Whether a request with this certificate (device, station and
 * fingerprint from it) is let in. ERR_DENIED with *why: the device is not
 * enrolled for the station, is revoked, or the certificate is revoked,
 * superseded or not one issued to it. A device enrolled before the hub
 * recorded certificates (it has none recorded) is let in on its device
 * id alone until it is revoked or enrolled again. */
err_code hub_db_device_check(struct hub_db *db, const char *device,
                             const char *station, const char *sha256,
                             const char **why);
/* Remember what a request's Kiosk-Status said, and when (in the fleet
 * file, hub.db-fleet, which is not flushed to disk per write). */
err_code hub_db_device_seen(struct hub_db *db, const char *device,
                            const struct proto_status *st, int64_t now);

/* ---- events and the change feed --------------------------------------- */

/* Store each event once by (device, epoch "", seq), in one transaction;
 * *acked gets the highest seq held with no gap below it, *fresh how many
 * were new. Events of a clock that was not trusted get the hub's time from
 * their boot's anchor (this request's status, or the boot's last contact
 * before) and their monotonic stamp; without an anchor they keep theirs. */
err_code hub_db_events_put(struct hub_db *db, const char *station,
                           const char *device,
                           const struct proto_event *evs, size_t n,
                           const struct proto_status *st, int64_t now,
                           uint64_t *acked, size_t *fresh);
/* Several uploads (of several devices) in one transaction: one disk
 * flush for all of them. Each gets its own result; one failing leaves
 * the others stored. */
/* Where a kiosk boot's monotonic clock stood by the hub's clock. */
struct hub_anchor {
    char    boot_id[40];
    int64_t mono_ms;
    int64_t hub_ms;
};
#define HUB_ANCHORS 8

/* One device's upload. Events are keyed by (device, epoch, seq); the
 * epoch's contiguous run starts at epoch_start (sync/PROTOCOL.md). */
struct hub_put {
    const char               *station, *device;
    const char               *epoch;       /* "" for a kiosk before epochs */
    uint64_t                  epoch_start; /* 0 reads as 1 */
    const struct proto_event *evs;
    size_t                    n;
    struct hub_anchor         anchors[HUB_ANCHORS];
    size_t                    n_anchors;
    int64_t                   now;
    /* Room for n refusals, or NULL (they are then only stored). */
    struct proto_refusal     *refused;
    uint64_t                  acked;       /* out */
    uint64_t                  held;        /* out: highest seq held */
    uint64_t                  conflict;    /* out: first differing seq */
    size_t                    n_refused;   /* out */
    size_t                    fresh;       /* out */
    err_code                  result;      /* out */
};
err_code hub_db_events_put_group(struct hub_db *db, struct hub_put *puts,
                                 size_t n);
/* Bring an older hub.db's events and service logs to keys with an epoch
 * and add the epoch, conflict and refused tables (hub_db_open runs it). */
err_code hub_db_events_migrate(struct hub_db *db);
/* Staff views as CSV (base/csv.h): refused events (station NULL: all)
 * and recorded conflicts. */
err_code hub_db_refused_csv(struct hub_db *db, const char *station,
                            FILE *out);
err_code hub_db_conflicts_csv(struct hub_db *db, FILE *out);
/* One page of changes for this station and device after `since` (a
 * cursor from an earlier page, "" for the beginning): JSON in the agreed
 * format, malloc'd into *json. A cursor of "" or behind the trim gets a
 * snapshot of the current state instead (sync/PROTOCOL.md), and so does
 * one beyond the log's head (a hub restored from a backup). The cursor
 * answered is the log's head when nothing more is for this kiosk.
 * ERR_INVAL: the cursor is malformed. */
err_code hub_db_changes(struct hub_db *db, const char *station,
                        const char *device, const char *since, int64_t now,
                        char **json, size_t *len);
/* Append a change (station NULL: every station; device NULL: every
 * device). data is JSON text or NULL for "del". */
err_code hub_db_change_add(struct hub_db *db, const char *station,
                           const char *device, const char *type,
                           const char *key, const char *data);

/* The cursor a device's feed poll came with, kept (fleet file) so the
 * trim knows how far the active kiosks have read. */
err_code hub_db_feed_seen(struct hub_db *db, const char *device,
                          const char *since, int64_t now);

/* What may be trimmed: the log up to the oldest cursor of a kiosk that
 * polled within active_days, or up to what is older than keep_days
 * (0: no age limit), whichever is further; a kiosk behind the point gets
 * a snapshot. */
struct hub_feed_rule {
    int64_t active_days;
    int64_t keep_days;
};
#define HUB_FEED_ACTIVE_DAYS 30
#define HUB_FEED_KEEP_DAYS   90
struct hub_feed_stats {
    int64_t rows, bytes;           /* the log now (bytes: of its fields) */
    int64_t head, horizon;         /* last id given; trimmed up to */
    int64_t oldest_cursor;         /* of an active kiosk; -1: none */
    int     active_devices;
    int64_t trim_point;            /* where a trim now would cut */
};
err_code hub_db_feed_stats(struct hub_db *db, int64_t now,
                           const struct hub_feed_rule *rule,
                           struct hub_feed_stats *out);
err_code hub_db_feed_trim_point(struct hub_db *db, int64_t now,
                                const struct hub_feed_rule *rule,
                                int64_t *point);
/* Trim to the point: the horizon moves there, then every delete and
 * every change a later one of the same item replaced, up to it, go, a
 * few thousand rows a transaction (uploads are not held up for long).
 * Cut midway, the rest goes at the next trim. */
err_code hub_db_feed_trim(struct hub_db *db, int64_t now,
                          const struct hub_feed_rule *rule, int64_t *point,
                          int64_t *deleted);

/* ---- transactions, for what the hub's modules do in several steps ---- */
err_code hub_db_begin(struct hub_db *db);
err_code hub_db_commit(struct hub_db *db);
void     hub_db_rollback(struct hub_db *db);

#endif
