/* sync/sync.h - the kiosk's sync worker: a background thread with its
 * own store connection that uploads events past the last acknowledged
 * seq and applies the hub's change feed, a page and its cursor per
 * transaction. It syncs on start, shortly after sync_wake (debounced),
 * and every interval; when the hub is away it backs off exponentially
 * with jitter. It never touches the UI's objects: the UI calls
 * sync_wake after storing an event and reads sync_status_get. */
#ifndef SYNC_H
#define SYNC_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

struct stamp;

#define SYNC_VERSION "0.1.0"

struct sync_opts {
    const char *db_path;          /* the kiosk's store (state/kiosk.db) */
    const char *host;             /* hub address, e.g. 127.0.0.1 */
    int         port;
    const char *ca_file;          /* the pinned hub CA */
    const char *cert_file;        /* this kiosk's certificate and key */
    const char *key_file;
    const char *station;          /* claimed in uploads; hub checks it */
    const char *version;          /* reported to the hub; NULL: ours */
    int         interval_s;       /* periodic sync (default 60) */
    int         debounce_ms;      /* after sync_wake (default 500) */
    int         backoff_min_ms;   /* first retry (default 1000) */
    int         backoff_max_ms;   /* cap (default 300000) */
    int         timeout_ms;       /* every network read/write (10000) */
    int         batch;            /* events per upload (default 200) */
    void      (*clock)(struct stamp *out);  /* judges the hub's
                                   * certificate (sync_link.h); NULL:
                                   * clock_now; tests inject a wrong one */
};

struct sync_status {
    bool     online;              /* the last round reached the hub */
    int64_t  last_sync_ms;        /* wall ms of the last good round, 0 */
    uint64_t queue;               /* events not yet acknowledged */
    int64_t  hub_offset_ms;       /* hub clock minus ours, last seen */
    uint64_t rounds, failures;
    char     last_error[32];      /* err_str of the last failure, "" */
};

struct sync;

struct config;

/* The kiosk's worker from its configuration: the store, hub CA, key and
 * certificate in cfg->state_dir (kiosk.db, hub-ca.crt, kiosk.key,
 * kiosk.crt), hub.host/port, the station id and sync interval. Not
 * started. ERR_UNSUPPORTED: no hub configured (the kiosk runs offline);
 * ERR_NOTFOUND: not enrolled yet (no certificate). */
err_code sync_create_for(const struct config *cfg, struct sync **out);

/* Opens its own store connection on db_path. ERR_IO/ERR_TLS: a key,
 * certificate or CA file is missing or does not parse. */
err_code sync_create(const struct sync_opts *o, struct sync **out);
/* Start the background thread. */
err_code sync_start(struct sync *s);
/* Ask for a sync soon (debounced); safe from any thread, never blocks. */
void     sync_wake(struct sync *s);
/* A copy of the status; safe from any thread, never blocks on I/O. */
void     sync_status_get(struct sync *s, struct sync_status *out);
/* Stop the thread (if started), close the store. NULL: no-op. */
void     sync_destroy(struct sync *s);

/* One round in the caller's thread (tools and tests; not while the
 * thread runs): upload everything unacknowledged, then download every
 * page. ERR_NET/ERR_TIMEOUT/ERR_TLS: the hub is away or refused us;
 * ERR_DENIED: the hub answered 4xx; ERR_PROTO: it answered nonsense. */
err_code sync_round(struct sync *s);

/* The retry delay after `failures` failures in a row, with jitter in
 * [base/2, base] where base doubles from min up to max. */
int      sync_backoff_ms(int failures, int min_ms, int max_ms,
                         unsigned *seed);

#endif
