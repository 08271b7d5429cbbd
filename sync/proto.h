/* sync/proto.h - the JSON codec of sync protocol v1 (sync/PROTOCOL.md),
 * with cJSON. Shared by the kiosk (encode events, read acks and pages)
 * and the hub (decode events, encode acks). Every decoder caps what it
 * accepts and refuses malformed input as a whole with ERR_PROTO. */
#ifndef PROTO_H
#define PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/change.h"
#include "base/err.h"
#include "base/event.h"

#define PROTO_VERSION      "1"
#define PROTO_BATCH_MAX    500            /* events per upload */
#define PROTO_BODY_MAX     (1024 * 1024)  /* request bodies */
/* The one cap on a change page's bytes: the sync worker's link, the
 * decoder and `kioskctl apply` all read up to this. */
#define PROTO_PAGE_MAX     (4 * 1024 * 1024)
#define PROTO_CURSOR_MAX   64
#define PROTO_ID_MAX       64

/* One uploaded event as the hub reads it. */
struct proto_event {
    uint64_t seq;
    char     kind[16];
    char     member_no[EVENT_MEMBER_NO];
    int64_t  wall_ms;
    bool     clock_trusted;
    char     boot_id[40];
    int64_t  mono_ms;
    char     data[EVENT_DATA];            /* JSON object text */
};

#define PROTO_EPOCH_MAX    33             /* epoch id with its NUL */
#define PROTO_REASON_MAX   80             /* a refusal's reason */

/* The envelope of an upload: the station claimed (checked against the
 * certificate) and the sequence epoch its events belong to ("" for a
 * kiosk from before epochs), with the first seq of that epoch. */
struct proto_batch {
    char     station[PROTO_ID_MAX];
    char     epoch[PROTO_EPOCH_MAX];
    uint64_t epoch_start;                 /* 0: not given (reads as 1) */
};

/* {"events":[...]} (plus "station" when given, which the hub checks
 * against the certificate). *json is malloc'd; free() it. */
err_code proto_events_encode(const struct event *evs, size_t n,
                             const char *station, char **json, size_t *len);
/* The same with the envelope: station, epoch and epoch_start. */
err_code proto_events_encode_batch(const struct event *evs, size_t n,
                                   const struct proto_batch *b, char **json,
                                   size_t *len);
/* *out is malloc'd (free()); station gets the claimed station or "". */
err_code proto_events_decode(const char *json, size_t len,
                             struct proto_event **out, size_t *n,
                             char *station, size_t station_cap);
/* The same with the whole envelope. An epoch is [0-9A-Za-z_-], at most
 * PROTO_EPOCH_MAX - 1 characters. */
err_code proto_events_decode_batch(const char *json, size_t len,
                                   struct proto_event **out, size_t *n,
                                   struct proto_batch *b);

/* The answer to an upload: {"acked":N,"hub_time_ms":T}. */
err_code proto_ack_encode(uint64_t acked, int64_t hub_ms, char *out,
                          size_t cap);
err_code proto_ack_decode(const char *json, size_t len, uint64_t *acked,
                          int64_t *hub_ms);

/* The full answer (sync/PROTOCOL.md): the contiguous mark, the highest
 * seq the hub holds in the epoch, the first seq whose content differs
 * from what the hub holds (0: none) and the events it refused, each
 * with its reason (stored aside for staff, and acknowledged). */
struct proto_refusal {
    uint64_t seq;
    char     reason[PROTO_REASON_MAX];
};
struct proto_answer {
    uint64_t              acked;
    int64_t               hub_ms;
    uint64_t              held;
    uint64_t              conflict;
    struct proto_refusal *refused;         /* malloc'd by decode */
    size_t                n_refused;
};
/* *json is malloc'd; free() it. */
err_code proto_answer_encode(const struct proto_answer *a, char **json,
                             size_t *len);
/* Missing held, conflict and refused read as none (an older hub). Free
 * with proto_answer_free either way. */
err_code proto_answer_decode(const char *json, size_t len,
                             struct proto_answer *a);
void     proto_answer_free(struct proto_answer *a);

/* A change page (GET /v1/changes) decoded into typed changes for
 * store_hub_apply, with the next cursor and whether more pages follow.
 * Changes of a type this kiosk does not know are left out. ERR_PROTO: the
 * page is malformed or over a cap anywhere; *page is then empty. Free the
 * page with change_page_free() either way. */
err_code proto_page_decode(const char *json, size_t len,
                           struct change_page *page, char *cursor,
                           size_t cap, bool *more);
/* Only the envelope of a change page (cursor, more, hub time), for the
 * hub's tests and benches, which need not read the changes. */
err_code proto_page_peek(const char *json, size_t len, char *cursor,
                         size_t cap, bool *more, int64_t *hub_ms);

/* The Kiosk-Status header piggy-backed on every request. */
struct proto_status {
    char     version[32];
    uint64_t queue;               /* events not yet acknowledged */
    int64_t  offset_ms;           /* kiosk clock minus hub clock, last seen */
    char     boot_id[40];
    int64_t  mono_ms;             /* monotonic stamp when sent */
    int64_t  wall_ms;             /* kiosk wall clock when sent */
};
void     proto_status_format(const struct proto_status *st, char *out,
                             size_t cap);
err_code proto_status_parse(const char *s, struct proto_status *st);

/* Enrolment: {"code":"...","csr":"PEM"} and {"cert":"PEM",...}. */
err_code proto_enrol_encode(const char *code, const char *csr, char **json);
err_code proto_enrol_decode(const char *json, size_t len, char *code,
                            size_t code_cap, char *csr, size_t csr_cap);

/* The answer: {"cert":"PEM","station":"...","device":"..."}. */
err_code proto_enrol_reply_encode(const char *cert, const char *station,
                                  const char *device, char **json);
err_code proto_enrol_reply_decode(const char *json, size_t len, char *cert,
                                  size_t cert_cap, char *station,
                                  size_t scap, char *device, size_t dcap);

/* {"error":"..."} for a 4xx answer. */
void     proto_error(const char *why, char *out, size_t cap);

/* A JSON string member of an object, copied capped; ERR_NOTFOUND. */
err_code proto_get_string(const char *json, size_t len, const char *name,
                          char *out, size_t cap);

#endif
