/* firmware/store.h - durable local storage: one SQLite database in the
 * state directory, WAL, synchronous=FULL. One connection per thread: the
 * UI thread and the sync worker each open their own.
 *
 * Events (check-in, check-out, service log, registration) are append-only
 * rows numbered by a per-device sequence; the outbox is "seq > last
 * acknowledged". Local views (open visits, the member's service logs) are
 * updated in the same transaction as the event that changes them. Hub state
 * (roster, posts, duty roster, contacts, notices, star board, service-log
 * confirmations) lives in its own tables, patched from the hub's change
 * feed one page per transaction (store_hub.c). Only store*.c include
 * sqlite3.h. */
#ifndef STORE_H
#define STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/change.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/event.h"

/* The oldest schema whose programs can still read and write a database of
 * this schema: every migration so far only adds (docs/updates.md), so a
 * version rolled back after an update keeps working on the newer file. */
#define STORE_MIN_READER_SCHEMA 1

#define STORE_SCHEMA_VERSION 12

struct store;

/* Open (creating with mode 0600) and migrate to the current schema.
 * ERR_CORRUPT: the file is damaged, is not a database, belongs to another
 * application, or has a schema newer than this program knows. */
err_code store_open(const char *path, struct store **out);
void     store_close(struct store *s);              /* NULL is a no-op */

/* Open without migrating; for migration tests and diagnostics. */
err_code store_open_raw(const char *path, struct store **out);
/* Migrate a database opened raw to `version` (<= STORE_SCHEMA_VERSION). */
err_code store_migrate_to(struct store *s, int version);
int      store_schema_version(struct store *s);

/* Transactions: BEGIN IMMEDIATE, so a write never fails half-way with
 * SQLITE_BUSY. ERR_BUSY: another connection held the lock past 5 s. */
err_code store_begin(struct store *s);
err_code store_commit(struct store *s);      /* durable when it returns */
void     store_rollback(struct store *s);

/* "ok", or the first problem PRAGMA integrity_check found. */
err_code store_integrity(struct store *s, char *msg, size_t cap);

/* Small key/value settings (cursors, last sync, device id). */
err_code store_meta_get(struct store *s, const char *key, char *val, size_t cap);
err_code store_meta_set(struct store *s, const char *key, const char *val);
/* The meta row with the greatest key in [prefix, hi]: its value, and the
 * number that follows the prefix in its key. ERR_NOTFOUND: none. */
err_code store_meta_last_below(struct store *s, const char *prefix,
                               const char *hi, char *val, size_t cap,
                               uint64_t *num);

/* Run a statement with no result, for tests and tools (demo loading). */
err_code store_exec(struct store *s, const char *sql);

/* ---- events (struct event is in base/event.h) ------------------------- */

#define STORE_MEMBER_NO EVENT_MEMBER_NO
#define STORE_DATA EVENT_DATA


/* Append inside the caller's transaction; *seq gets the new number. */
err_code store_event_append(struct store *s, struct event *ev);
/* Up to cap events with seq > after, in order; *n gets how many. */
err_code store_events_after(struct store *s, uint64_t after,
                            struct event *out, size_t cap, size_t *n);
/* Highest seq the hub has acknowledged, and recording a new one (never
 * moves backwards). */
err_code store_acked_seq(struct store *s, uint64_t *seq);
err_code store_set_acked_seq(struct store *s, uint64_t seq);
err_code store_last_seq(struct store *s, uint64_t *seq);
/* Whether the member has a registration event on this kiosk. */
err_code store_registered(struct store *s, const char *member_no, bool *yes);

/* ---- visits (local view of check-in / check-out) ---------------------- */

struct visit {
    int64_t  id;
    char     member_no[STORE_MEMBER_NO];
    uint64_t in_seq;
    int64_t  in_ms;
    int64_t  out_ms;         /* 0 while open */
    int      minutes;
    bool     auto_closed;    /* closed by rule, flagged for review */
    char     in_boot_id[40]; /* with in_mono_ms: the duration survives a */
    int64_t  in_mono_ms;     /* wall-clock jump within one boot */
};

err_code store_visit_open_for(struct store *s, const char *member_no,
                              struct visit *out);          /* ERR_NOTFOUND */
/* Sets v->id. */
err_code store_visit_insert(struct store *s, struct visit *v);
err_code store_visit_close(struct store *s, int64_t id, int64_t out_ms,
                           int minutes, bool auto_closed);
/* Open visits that started before `before_ms`, up to cap. */
err_code store_visits_open_before(struct store *s, int64_t before_ms,
                                  struct visit *out, size_t cap, size_t *n);
/* Sum of closed visits' minutes for a member with in_ms in [from, to). */
err_code store_visit_minutes(struct store *s, const char *member_no,
                             int64_t from_ms, int64_t to_ms, int *minutes);
/* The member's most recent visit (open or closed); ERR_NOTFOUND. */
err_code store_visit_last(struct store *s, const char *member_no,
                          struct visit *out);

/* ---- service logs (local view, with status from the hub) -------------- */

enum log_status { LOG_PENDING = 0, LOG_CONFIRMED = 1, LOG_REJECTED = 2 };

#define STORE_NOTE 256

struct service_log {
    uint64_t        seq;          /* event seq on this device */
    char            member_no[STORE_MEMBER_NO];
    char            category[24]; /* service_category key */
    int             minutes;
    int64_t         day;          /* local day number it was done */
    bool            backfilled;
    char            note[STORE_NOTE];
    enum log_status status;
    int             points;       /* set by the hub on confirmation */
    int64_t         logged_ms;
    /* Whom it served ("" none): "building/unit", a ticket / wish. */
    char            served_place[SERVED_PLACE_BYTES];
    char            served_ticket[SERVED_TICKET_BYTES];
    /* How the hub decided it (store_log_set_verdict). */
    enum confirm_method method;
    enum confirm_rating rating;
    char            reason[CONFIRM_REASON_BYTES];   /* a rejection's */
    int64_t         decided_ms;
};

err_code store_log_insert(struct store *s, const struct service_log *l);
/* The hub's verdict on log `seq` of this device. */
err_code store_log_set_status(struct store *s, uint64_t seq,
                              enum log_status st, int points);
/* The same with how it was decided (store_confirm.c). */
struct log_verdict {
    enum log_status     status;
    int                 points;
    enum confirm_method method;
    enum confirm_rating rating;
    const char         *reason;
    int64_t             decided_ms;
};
err_code store_log_set_verdict(struct store *s, uint64_t seq,
                               const struct log_verdict *v);
/* A member's logs, newest first, done on a day in [from_day, to_day). */
err_code store_logs_for(struct store *s, const char *member_no,
                        int64_t from_day, int64_t to_day,
                        struct service_log *out, size_t cap, size_t *n);

/* ---- hub state (read side; written by store_hub_apply) ---------------- */

#define STORE_NAME 64
#define STORE_TEXT 512

struct member {
    char member_no[STORE_MEMBER_NO];
    char name[STORE_NAME];
    char phone_masked[24];
    char community[STORE_NAME];
    bool active;
    char pin_hash[160];           /* base/pinhash.h form; "" when none */
    char work_unit[32];           /* unit code (单位), "" when none */
    char reg_kind[16];            /* "residence", "paired" or "" */
};

err_code store_member_get(struct store *s, const char *member_no,
                          struct member *out);               /* ERR_NOTFOUND */
err_code store_member_count(struct store *s, int *n);

enum post_role { ROLE_HEAD = 0, ROLE_DEPUTY = 1, ROLE_MEMBER = 2 };

struct post {
    char id[32];
    char category[32];            /* 财务, 服务, 管理, ... as published */
    char name[STORE_NAME];
    char duties[STORE_TEXT];
};
struct post_holder {
    char           post_id[32];
    char           member_no[STORE_MEMBER_NO];
    char           name[STORE_NAME];
    enum post_role role;
};
struct duty_shift {
    int64_t day;                  /* local day number */
    char    shift[32];            /* "上午 09:00-12:00" as published */
    char    member_no[STORE_MEMBER_NO];
    char    name[STORE_NAME];
    char    phone_masked[24];
};
struct contact {
    char id[32];
    char building[16];
    char unit[16];
    char name[STORE_NAME];
    char role[32];                /* grid_leader | building_leader | ... */
    char duties[STORE_TEXT];
    char phone[24];               /* published on purpose */
};
struct notice {
    char    id[32];
    char    title[128];
    char    body[2048];
    int64_t published_ms;
};
struct star {
    char period[32];              /* month | quarter | year, or a star's
                                   * own board's: "environment/month" */
    int  rank;
    char member_no[STORE_MEMBER_NO];
    char name[STORE_NAME];
    int  points;
};

/* Distinct post categories in publication order. */
err_code store_post_categories(struct store *s, char (*out)[32], size_t cap,
                               size_t *n);
/* Posts of a category ("" = all). */
err_code store_posts(struct store *s, const char *category,
                     struct post *out, size_t cap, size_t *n);
err_code store_post_get(struct store *s, const char *id, struct post *out);
err_code store_post_holders(struct store *s, const char *post_id,
                            struct post_holder *out, size_t cap, size_t *n);
/* Posts a member holds. */
err_code store_member_posts(struct store *s, const char *member_no,
                            struct post *out, size_t cap, size_t *n);
/* Shifts on local days [from_day, to_day), optionally for one member. */
err_code store_shifts(struct store *s, int64_t from_day, int64_t to_day,
                      const char *member_no, struct duty_shift *out,
                      size_t cap, size_t *n);
err_code store_buildings(struct store *s, char (*out)[16], size_t cap,
                         size_t *n);
err_code store_units(struct store *s, const char *building, char (*out)[16],
                     size_t cap, size_t *n);
/* Contacts of a building ("" = all) and unit ("" = every unit). */
err_code store_contacts(struct store *s, const char *building,
                        const char *unit, struct contact *out, size_t cap,
                        size_t *n);
err_code store_notices(struct store *s, struct notice *out, size_t cap,
                       size_t *n);                       /* newest first */
/* The photo published for key ("member/HQ0001", "contact/c1"): a PNG of
 * at most CHANGE_PHOTO_MAX bytes into buf; ERR_NOTFOUND when there is
 * none (the boards show initials then). */
err_code store_photo_get(struct store *s, const char *key, uint8_t *buf,
                         size_t cap, size_t *len);
err_code store_stars(struct store *s, const char *period, struct star *out,
                     size_t cap, size_t *n);
/* The year-end awards (年度表彰) the hub last published: posts first, by
 * rank, then members. */
struct award {
    int  year;
    char kind[8];                 /* post | member */
    int  rank;
    char subject[STORE_MEMBER_NO];
    char name[STORE_NAME];
    int  points;
};
err_code store_awards(struct store *s, struct award *out, size_t cap,
                      size_t *n);
/* A member's points and star-board ranks as the hub last counted them
 * (month, quarter, year), on local day as_of. ERR_NOTFOUND: never sent. */
struct member_total {
    int64_t as_of;
    int     points[3];
    int     rank[3];
};
err_code store_member_total(struct store *s, const char *member_no,
                            struct member_total *out);
/* When the hub last changed a board: "members", "posts", "duty",
 * "contacts", "notices", "stars"; 0 if never. */
err_code store_board_updated(struct store *s, const char *board,
                             int64_t *ms);

/* Apply one page of the hub's change feed, decoded into typed changes
 * (base/change.h; sync/proto.c decodes the wire), and remember `cursor`
 * unless NULL, in one transaction: all of it or none of it. ERR_PROTO: a
 * change is impossible (a date, a delete of a verdict, a bad key);
 * nothing changed. */
err_code store_hub_apply(struct store *s, const struct change_page *page,
                         const char *cursor);
/* Replace the hub's state with a snapshot (sync/PROTOCOL.md): every table
 * the feed fills is emptied, then each page `next` gives is applied
 * (next sets *done instead after the last; the page is freed here), and
 * `cursor` is remembered, all in one transaction: cut anywhere, the
 * kiosk keeps its previous state and cursor. Verdicts on its own logs are
 * applied again, never dropped. */
typedef err_code (*store_page_source)(void *ctx, struct change_page *page,
                                      bool *done);
err_code store_hub_snapshot(struct store *s, store_page_source next,
                            void *ctx, const char *cursor);

/* ---- sync state (store_sync.c: the one place that knows its keys) ----- */

#define STORE_CURSOR 64

struct store_sync_state {
    int64_t last_sync_ms;      /* our clock at the last good round; 0 never */
    int64_t hub_offset_ms;     /* hub minus kiosk, learned at an upload */
    bool    hub_offset_known;  /* false until an upload was answered */
    int64_t hub_time_ms;       /* latest time a change page gave; 0 none */
    char    cursor[STORE_CURSOR]; /* the change feed's; "" from the start */
};

err_code store_sync_state_get(struct store *s, struct store_sync_state *out);
err_code store_set_last_sync(struct store *s, int64_t wall_ms);
err_code store_set_hub_offset(struct store *s, int64_t offset_ms);
/* Written by store_hub_apply; tests set them to stage a kiosk's past. */
err_code store_set_hub_time(struct store *s, int64_t hub_ms);
err_code store_set_cursor(struct store *s, const char *cursor);

/* Sequence epochs (sync/PROTOCOL.md): the hub keys events by (device,
 * epoch, seq). A new database starts one at seq 1; enrolment and a
 * conflict with what the hub holds start a new one at the first seq not
 * yet acknowledged, so a replaced unit, a copied database or a restored
 * backup never reuses another timeline's keys. Each epoch is a meta row
 * "epoch@<start, 20 digits>", so an older program keeps reading the
 * file. A database from before epochs is in the epoch "" from seq 1. */
#define STORE_EPOCH 33

err_code store_epoch_current(struct store *s, char *epoch, size_t cap,
                             uint64_t *start);
/* The epoch that seq was (or will be) uploaded in. */
err_code store_epoch_of(struct store *s, uint64_t seq, char *epoch,
                        size_t cap);
/* Start a new random epoch at the first unacknowledged seq; `why` is
 * remembered for the status screen (store_epoch_note). */
err_code store_epoch_rotate(struct store *s, const char *why, char *epoch,
                            size_t cap);
/* Why and when the epoch last changed ("" never), and how many events
 * the hub refused, for kioskctl status. */
err_code store_epoch_note(struct store *s, char *why, size_t cap,
                          uint64_t *refused);
err_code store_refused_add(struct store *s, uint64_t n);

#endif
