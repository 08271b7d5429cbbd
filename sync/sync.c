/* sync/sync.c - the kiosk's sync worker. Owns its thread, its store
 * connection and its link to the hub; shares only the status (under a
 * mutex) and the wake-up flag with the UI thread. */
#include "sync/sync.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "firmware/config.h"
#include "base/log.h"
#include "firmware/store.h"
#include "firmware/update.h"
#include "base/xmalloc.h"
#include "sync/proto.h"
#include "sync/sync_link.h"

struct sync {
    struct sync_opts   o;
    char               station[PROTO_ID_MAX];
    char               version[32];
    struct store      *store;
    struct sync_link  *link;
    struct event      *buf;               /* one upload batch */
    pthread_t          thread;
    bool               started;
    pthread_mutex_t    lock;              /* guards what follows */
    pthread_cond_t     cond;
    bool               stop, woken;
    struct sync_status st;
    unsigned           seed;
    bool               rotated;           /* an epoch began this round */
    bool               probed;            /* asked the hub once at least */
};

static int64_t mono_ms(void)
{
    return clock_mono_ms();
}

static void defaults(struct sync_opts *o)
{
    if (o->interval_s <= 0)
        o->interval_s = 60;
    if (o->debounce_ms <= 0)
        o->debounce_ms = 500;
    if (o->backoff_min_ms <= 0)
        o->backoff_min_ms = 1000;
    if (o->backoff_max_ms <= 0)
        o->backoff_max_ms = 300000;
    if (o->timeout_ms <= 0)
        o->timeout_ms = 10000;
    if (o->batch <= 0 || o->batch > PROTO_BATCH_MAX)
        o->batch = 200;
}

err_code sync_create(const struct sync_opts *o, struct sync **out)
{
    struct sync *s = xcalloc(1, sizeof *s);
    *out = NULL;
    s->o = *o;
    defaults(&s->o);
    str_copy(s->station, sizeof s->station, o->station ? o->station : "");
    str_copy(s->version, sizeof s->version,
             o->version ? o->version : SYNC_VERSION);
    s->o.station = s->station;
    s->o.version = s->version;
    s->seed = (unsigned)mono_ms() ^ (unsigned)(uintptr_t)s;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->cond, NULL);
    struct sync_link_opts lo = { .host = o->host, .port = o->port,
                                 .ca_file = o->ca_file,
                                 .cert_file = o->cert_file,
                                 .key_file = o->key_file,
                                 .timeout_ms = s->o.timeout_ms,
                                 .max_reply = PROTO_PAGE_MAX,
                                 .clock = o->clock };
    err_code e = store_open(o->db_path, &s->store);
    lo.store = s->store;           /* the hub time learned, for TLS */
    if (e == ERR_OK)
        e = sync_link_create(&lo, &s->link);
    if (e != ERR_OK) {
        sync_destroy(s);
        return e;
    }
    s->buf = xcalloc((size_t)s->o.batch, sizeof *s->buf);
    /* The caller's strings were used above; keep no pointer to them. */
    s->o.db_path = s->o.host = s->o.ca_file = NULL;
    s->o.cert_file = s->o.key_file = NULL;
    *out = s;
    return ERR_OK;
}

err_code sync_create_for(const struct config *cfg, struct sync **out)
{
    char db[CONFIG_STR + 16], ca[CONFIG_STR + 16], key[CONFIG_STR + 16],
        crt[CONFIG_STR + 16];
    *out = NULL;
    if (!cfg->hub_host[0])
        return ERR_UNSUPPORTED;
    snprintf(db, sizeof db, "%s/kiosk.db", cfg->state_dir);
    snprintf(ca, sizeof ca, "%s/hub-ca.crt", cfg->state_dir);
    snprintf(key, sizeof key, "%s/kiosk.key", cfg->state_dir);
    snprintf(crt, sizeof crt, "%s/kiosk.crt", cfg->state_dir);
    if (access(crt, R_OK) != 0 || access(key, R_OK) != 0 ||
        access(ca, R_OK) != 0) {
        log_warn("sync: not enrolled (%s missing): running offline", crt);
        return ERR_NOTFOUND;
    }
    /* The version that runs, for the hub's fleet view. */
    struct update_opts uo = { .root = cfg->update_root,
                              .pub_key = cfg->release_key,
                              .factory = cfg->factory_dir[0]
                                         ? cfg->factory_dir : NULL };
    struct update_status us = { .version = "" };
    if (cfg->update_root[0])
        update_status_read(&uo, &us);
    struct sync_opts o = { .db_path = db, .host = cfg->hub_host,
                           .version = us.version[0] ? us.version : NULL,
                           .port = cfg->hub_port, .ca_file = ca,
                           .cert_file = crt, .key_file = key,
                           .station = cfg->station_id,
                           .interval_s = cfg->sync_interval_seconds };
    return sync_create(&o, out);
}

/* ---- one round ------------------------------------------------------- */

static void status_header(struct sync *s, char *out, size_t cap)
{
    struct proto_status ps = { 0 };
    struct stamp now;
    clock_now(&now);
    uint64_t last = 0, acked = 0;
    store_last_seq(s->store, &last);
    store_acked_seq(s->store, &acked);
    str_copy(ps.version, sizeof ps.version, s->version);
    ps.queue = last > acked ? last - acked : 0;
    pthread_mutex_lock(&s->lock);
    ps.offset_ms = -s->st.hub_offset_ms;
    pthread_mutex_unlock(&s->lock);
    str_copy(ps.boot_id, sizeof ps.boot_id, now.boot_id);
    ps.mono_ms = now.mono_ms;
    ps.wall_ms = now.wall_ms;
    proto_status_format(&ps, out, cap);
}

/* The hub's clock against ours, from an answer that took rtt ms. */
static void learn_time(struct sync *s, int64_t hub_ms, int64_t rtt)
{
    struct stamp now;
    clock_now(&now);
    int64_t off = hub_ms + rtt / 2 - now.wall_ms;
    store_set_hub_offset(s->store, off);
    pthread_mutex_lock(&s->lock);
    s->st.hub_offset_ms = off;
    pthread_mutex_unlock(&s->lock);
}

static err_code request(struct sync *s, const char *method, const char *url,
                        const char *body, size_t len, struct http_msg *resp)
{
    char hdr[HTTP_STATUS_MAX];
    status_header(s, hdr, sizeof hdr);
    err_code e = sync_link_request(s->link, method, url, hdr, body, len,
                                   resp);
    if (e != ERR_OK)
        return e;
    if (resp->status == 200)
        return ERR_OK;
    log_warn("sync: %s %s: hub answered %d %.120s", method, url,
             resp->status, resp->body);
    http_msg_free(resp);
    sync_link_close(s->link);
    return resp->status >= 500 ? ERR_BUSY : ERR_DENIED;
}

/* Each event the hub refused: logged and counted for the status screen;
 * the hub acknowledged it and keeps it for staff. */
static void note_refused(struct sync *s, const struct proto_answer *a)
{
    for (size_t i = 0; i < a->n_refused; i++)
        log_warn("sync: the hub refused event %" PRIu64 ": %s",
                 a->refused[i].seq, a->refused[i].reason);
    if (a->n_refused)
        store_refused_add(s->store, a->n_refused);
}

/* After the marks are recorded: a conflict (the hub holds something
 * else at one of our keys) or a hub holding more of our epoch than we
 * ever wrote (this database is an old copy) starts a new epoch, so our
 * unacknowledged events go again under keys nobody used. Once a round:
 * a hub that conflicts again gets the next round. */
static err_code epoch_check(struct sync *s, const struct proto_answer *a,
                            bool *more)
{
    uint64_t last = 0, acked = 0;
    err_code e = store_last_seq(s->store, &last);
    if (e == ERR_OK)
        e = store_acked_seq(s->store, &acked);
    if (e != ERR_OK)
        return e;
    const char *why = a->conflict ? "the hub holds other events at our seqs"
                    : a->held > last && acked == last
                    ? "the hub holds more than this database wrote: an old"
                      " copy" : NULL;
    if (!why)
        return ERR_OK;
    if (s->rotated) {
        log_warn("sync: %s, again: retrying next round", why);
        return ERR_PROTO;
    }
    log_warn("sync: %s: starting a new epoch from seq %" PRIu64, why,
             acked + 1);
    s->rotated = true;
    *more = true;
    return store_epoch_rotate(s->store, why, NULL, 0);
}

/* Upload one batch; *more when a full batch went (there may be more). */
static err_code upload_batch(struct sync *s, bool *more)
{
    uint64_t acked = 0;
    size_t n = 0;
    struct proto_batch b = { .epoch_start = 0 };
    *more = false;
    err_code e = store_acked_seq(s->store, &acked);
    if (e == ERR_OK)
        e = store_epoch_current(s->store, b.epoch, sizeof b.epoch,
                                &b.epoch_start);
    if (e == ERR_OK)
        e = store_events_after(s->store, acked, s->buf, (size_t)s->o.batch,
                               &n);
    /* Nothing to send: once per worker, an empty upload still asks what
     * the hub holds of our epoch (a restored copy learns it is one). */
    if (e != ERR_OK || (n == 0 && s->probed))
        return e;
    s->probed = true;
    char *json = NULL;
    size_t len = 0;
    if (n > 0)                        /* a probe claims nothing */
        str_copy(b.station, sizeof b.station, s->station);
    proto_events_encode_batch(s->buf, n, &b, &json, &len);
    struct http_msg resp;
    int64_t t0 = mono_ms();
    e = request(s, "POST", "/v1/events", json, len, &resp);
    free(json);
    if (e != ERR_OK)
        return e;
    struct proto_answer a;
    e = proto_answer_decode(resp.body, resp.body_len, &a);
    http_msg_free(&resp);
    if (e != ERR_OK)
        return e;
    learn_time(s, a.hub_ms, mono_ms() - t0);
    note_refused(s, &a);
    /* The hub holds everything up to its mark; never take it past what
     * we sent (a mark from another timeline of this epoch is not ours). */
    uint64_t top = n ? s->buf[n - 1].seq : acked;
    uint64_t hub_acked = a.acked < top ? a.acked : top;
    if (hub_acked > acked)
        e = store_set_acked_seq(s->store, hub_acked);
    if (e == ERR_OK)
        e = epoch_check(s, &a, more);
    bool rotated = *more;
    proto_answer_free(&a);
    if (e != ERR_OK || rotated)
        return e;
    /* Anything less than what we sent: the hub lost some; retry later. */
    if (hub_acked < top)
        return ERR_PROTO;
    *more = n > 0 && n == (size_t)s->o.batch;
    return e;
}

static void url_cursor(const char *cur, char *out, size_t cap)
{
    size_t o = 0;
    int n = snprintf(out, cap, "/v1/changes?since=");
    o = (size_t)n;
    for (const char *p = cur; *p && o + 4 < cap; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
            (c >= 'A' && c <= 'Z') || c == '-' || c == '_' || c == '.')
            out[o++] = (char)c;
        else
            o += (size_t)snprintf(out + o, cap - o, "%%%02X", c);
    }
    out[o] = '\0';
}

/* The pages of a snapshot as they came (sync/PROTOCOL.md), kept until
 * the last one arrives: the store then replaces its hub state with all
 * of them in one transaction. Kept as the hub's bytes, which are smaller
 * than the decoded changes, and decoded again while applied. */
#define SNAPSHOT_BYTES_MAX (64u << 20)

struct snapshot {
    bool    active;
    char    cursor[PROTO_CURSOR_MAX];     /* to ask for the next part */
    char  **pages;
    size_t *lens;
    size_t  n, bytes, at;
};

static void snapshot_drop(struct snapshot *sn)
{
    for (size_t i = 0; i < sn->n; i++)
        free(sn->pages[i]);
    free(sn->pages);
    free(sn->lens);
    memset(sn, 0, sizeof *sn);
}

static err_code snapshot_keep(struct snapshot *sn, const struct http_msg *r)
{
    if (sn->bytes + r->body_len > SNAPSHOT_BYTES_MAX) {
        log_warn("sync: snapshot over %u bytes refused", SNAPSHOT_BYTES_MAX);
        return ERR_PROTO;
    }
    sn->pages = xrealloc(sn->pages, (sn->n + 1) * sizeof *sn->pages);
    sn->lens = xrealloc(sn->lens, (sn->n + 1) * sizeof *sn->lens);
    sn->pages[sn->n] = xmalloc(r->body_len + 1);
    memcpy(sn->pages[sn->n], r->body, r->body_len);
    sn->lens[sn->n++] = r->body_len;
    sn->bytes += r->body_len;
    return ERR_OK;
}

/* store_page_source: the kept pages in order. */
static err_code snapshot_next(void *ctx, struct change_page *page,
                              bool *done)
{
    struct snapshot *sn = ctx;
    char cur[PROTO_CURSOR_MAX];
    bool more;
    *done = sn->at == sn->n;
    if (*done)
        return ERR_OK;
    size_t i = sn->at++;
    return proto_page_decode(sn->pages[i], sn->lens[i], page, cur,
                             sizeof cur, &more);
}

/* A snapshot's page: kept, and with the last one all applied together. */
static err_code snapshot_page(struct sync *s, struct snapshot *sn,
                              const struct change_page *page,
                              const struct http_msg *resp, const char *next)
{
    if (page->snapshot_first)
        snapshot_drop(sn);
    else if (!sn->active)
        return ERR_PROTO;             /* a part of a snapshot never begun */
    sn->active = true;
    str_copy(sn->cursor, sizeof sn->cursor, next);
    err_code e = snapshot_keep(sn, resp);
    if (e != ERR_OK || !page->snapshot_last)
        return e;
    e = store_hub_snapshot(s->store, snapshot_next, sn, next);
    if (e == ERR_OK)
        log_info("sync: snapshot of %zu page(s), %zu bytes applied", sn->n,
                 sn->bytes);
    snapshot_drop(sn);
    return e;
}

/* Download and apply one page; *more when the hub has further pages. The
 * page is decoded here, once (a snapshot's again when applied); the
 * store gets typed changes. */
static err_code download_page(struct sync *s, struct snapshot *sn,
                              bool *more)
{
    char url[256], next[PROTO_CURSOR_MAX];
    struct store_sync_state ss;
    err_code e = store_sync_state_get(s->store, &ss);
    if (e != ERR_OK)
        return e;
    url_cursor(sn->active ? sn->cursor : ss.cursor, url, sizeof url);
    struct http_msg resp;
    e = request(s, "GET", url, NULL, 0, &resp);
    if (e != ERR_OK)
        return e;
    struct change_page page;
    e = proto_page_decode(resp.body, resp.body_len, &page, next, sizeof next,
                          more);
    if (e == ERR_OK && (page.snapshot || sn->active))
        e = page.snapshot ? snapshot_page(s, sn, &page, &resp, next)
                          : ERR_PROTO;  /* a snapshot left unfinished */
    else if (e == ERR_OK)
        e = store_hub_apply(s->store, &page, next);
    http_msg_free(&resp);
    change_page_free(&page);
    return e;
}

static err_code round_body(struct sync *s)
{
    bool more = true;
    err_code e = ERR_OK;
    s->rotated = false;
    while (e == ERR_OK && more)
        e = upload_batch(s, &more);
    more = true;
    /* A snapshot cut short is dropped: the next round asks again from
     * the cursor the store kept. */
    struct snapshot sn = { 0 };
    while (e == ERR_OK && more)
        e = download_page(s, &sn, &more);
    snapshot_drop(&sn);
    return e;
}

static void round_done(struct sync *s, err_code e)
{
    struct stamp now;
    clock_now(&now);
    uint64_t last = 0, acked = 0;
    store_last_seq(s->store, &last);
    store_acked_seq(s->store, &acked);
    if (e == ERR_OK)
        store_set_last_sync(s->store, now.wall_ms);
    pthread_mutex_lock(&s->lock);
    s->st.rounds++;
    s->st.queue = last > acked ? last - acked : 0;
    /* A 4xx is an answer: the hub is there, but refused. */
    s->st.online = e == ERR_OK || e == ERR_DENIED || e == ERR_PROTO;
    if (e == ERR_OK) {
        s->st.last_sync_ms = now.wall_ms;
        s->st.last_error[0] = '\0';
    } else {
        s->st.failures++;
        str_copy(s->st.last_error, sizeof s->st.last_error, err_str(e));
    }
    pthread_mutex_unlock(&s->lock);
}

err_code sync_round(struct sync *s)
{
    err_code e = round_body(s);
    sync_link_close(s->link);
    if (e != ERR_OK)
        log_warn("sync: round failed: %s", err_str(e));
    round_done(s, e);
    return e;
}

/* ---- the thread -------------------------------------------------------- */

int sync_backoff_ms(int failures, int min_ms, int max_ms, unsigned *seed)
{
    int64_t base = min_ms;
    for (int i = 1; i < failures && base < max_ms; i++)
        base *= 2;
    if (base > max_ms)
        base = max_ms;
    int64_t half = base / 2;
    return (int)(half + (half > 0 ? rand_r(seed) % (half + 1) : 0));
}

static void abs_deadline(int64_t due_mono, struct timespec *ts)
{
    /* The condition variable uses CLOCK_MONOTONIC (see sync_start). */
    ts->tv_sec = (time_t)(due_mono / 1000);
    ts->tv_nsec = (long)(due_mono % 1000) * 1000000L;
}

/* Sleep until due or until a wake-up (then at most debounce later).
 * Returns false when asked to stop. */
static bool wait_turn(struct sync *s, int64_t due)
{
    pthread_mutex_lock(&s->lock);
    while (!s->stop) {
        if (s->woken) {
            s->woken = false;
            int64_t soon = mono_ms() + s->o.debounce_ms;
            if (soon < due)
                due = soon;
        }
        if (mono_ms() >= due)
            break;
        struct timespec ts;
        abs_deadline(due, &ts);
        pthread_cond_timedwait(&s->cond, &s->lock, &ts);
    }
    bool go = !s->stop;
    pthread_mutex_unlock(&s->lock);
    return go;
}

static void *worker(void *arg)
{
    struct sync *s = arg;
    int failures = 0;
    int64_t due = mono_ms();                      /* sync on start */
    while (wait_turn(s, due)) {
        err_code e = sync_round(s);
        if (e == ERR_OK) {
            failures = 0;
            due = mono_ms() + (int64_t)s->o.interval_s * 1000;
        } else {
            failures++;
            due = mono_ms() + sync_backoff_ms(failures, s->o.backoff_min_ms,
                                              s->o.backoff_max_ms, &s->seed);
        }
    }
    return NULL;
}

err_code sync_start(struct sync *s)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_destroy(&s->cond);
    pthread_cond_init(&s->cond, &ca);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&s->thread, NULL, worker, s) != 0)
        return ERR_IO;
    s->started = true;
    return ERR_OK;
}

void sync_wake(struct sync *s)
{
    pthread_mutex_lock(&s->lock);
    s->woken = true;
    pthread_cond_signal(&s->cond);
    pthread_mutex_unlock(&s->lock);
}

void sync_status_get(struct sync *s, struct sync_status *out)
{
    pthread_mutex_lock(&s->lock);
    *out = s->st;
    pthread_mutex_unlock(&s->lock);
}

void sync_destroy(struct sync *s)
{
    if (!s)
        return;
    if (s->started) {
        pthread_mutex_lock(&s->lock);
        s->stop = true;
        pthread_cond_signal(&s->cond);
        pthread_mutex_unlock(&s->lock);
        pthread_join(s->thread, NULL);
    }
    sync_link_destroy(s->link);
    store_close(s->store);
    free(s->buf);
    pthread_cond_destroy(&s->cond);
    pthread_mutex_destroy(&s->lock);
    free(s);
}
