/* hub/hub_api.c - request handlers of protocol v1: events upload,
 * change feed, enrolment, update bundles. Validates everything before
 * touching the store; holds the store lock only while in it. */
#include "hub/hub_api.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "hub/hub_limit.h"
#include "hub/hub_bundle.h"
#include "hub/hub_db_pool.h"
#include "sync/pki.h"
#include "sync/proto.h"

static void reply(struct hub_reply *out, int status, const char *body)
{
    out->status = status;
    out->body = xstrdup(body);
    out->len = strlen(body);
}

static void refuse(struct hub_reply *out, int status, const char *why)
{
    char buf[256];
    proto_error(why, buf, sizeof buf);
    reply(out, status, buf);
    snprintf(out->note, sizeof out->note, "refused: %s", why);
}

static void db_failed(struct hub_reply *out, err_code e)
{
    refuse(out, e == ERR_BUSY ? 503 : 500, err_str(e));
}

#define GROUP_MAX 64

struct hub_job {
    struct hub_put  put;
    bool            done;
    struct hub_job *next;
};

void hub_api_init(struct hub_api *api)
{
    pthread_mutex_init(&api->lock, NULL);
    pthread_mutex_init(&api->rlock, NULL);
    pthread_mutex_init(&api->qlock, NULL);
    pthread_cond_init(&api->qcond, NULL);
    api->queue = NULL;
    api->leader = false;
    api->limit = hub_limit_create(0, 0);
}

void hub_api_fini(struct hub_api *api)
{
    hub_limit_destroy(api->limit);
    pthread_cond_destroy(&api->qcond);
    pthread_mutex_destroy(&api->qlock);
    pthread_mutex_destroy(&api->rlock);
    pthread_mutex_destroy(&api->lock);
}

/* A connection for reading: one of the pool's, else rdb under its lock.
 * Give it back with reader_give. */
static struct hub_db *reader_take(struct hub_api *api)
{
    if (api->readers)
        return hub_db_pool_take(api->readers);
    pthread_mutex_lock(&api->rlock);
    return api->rdb;
}

static void reader_give(struct hub_api *api, struct hub_db *db)
{
    if (api->readers)
        hub_db_pool_give(api->readers, db);
    else
        pthread_mutex_unlock(&api->rlock);
}

/* Store a group of queued uploads in one transaction (qlock not held). */
static void commit_group(struct hub_api *api, struct hub_job *list)
{
    struct hub_put puts[GROUP_MAX];
    struct hub_job *jobs[GROUP_MAX];
    size_t n = 0;
    for (struct hub_job *j = list; j; j = j->next) {
        jobs[n] = j;
        puts[n++] = j->put;
    }
    pthread_mutex_lock(&api->lock);
    hub_db_events_put_group(api->db, puts, n);
    pthread_mutex_unlock(&api->lock);
    for (size_t i = 0; i < n; i++)
        jobs[i]->put = puts[i];
}

/* Queue an upload and wait until it is stored. Whoever finds no leader
 * becomes one and commits everything queued, its own job included. */
static void submit(struct hub_api *api, struct hub_job *job)
{
    pthread_mutex_lock(&api->qlock);
    job->next = api->queue;
    api->queue = job;
    while (!job->done) {
        if (api->leader) {
            pthread_cond_wait(&api->qcond, &api->qlock);
            continue;
        }
        api->leader = true;
        struct hub_job *take = api->queue, *rest = NULL;
        size_t k = 0;
        for (struct hub_job *j = take; j; j = j->next)
            if (++k == GROUP_MAX) {
                rest = j->next;
                j->next = NULL;
                break;
            }
        api->queue = rest;
        pthread_mutex_unlock(&api->qlock);
        commit_group(api, take);
        pthread_mutex_lock(&api->qlock);
        for (struct hub_job *j = take, *nx; j; j = nx) {
            nx = j->next;
            j->done = true;
        }
        api->leader = false;
        pthread_cond_broadcast(&api->qcond);
    }
    pthread_mutex_unlock(&api->qlock);
}

/* The answer to a stored upload: the mark, what the epoch holds, a
 * conflict and the refusals (sync/PROTOCOL.md). */
static void events_answer(const struct hub_put *p, struct hub_reply *out)
{
    struct proto_answer a = { .acked = p->acked, .hub_ms = p->now,
                              .held = p->held, .conflict = p->conflict,
                              .refused = p->refused,
                              .n_refused = p->n_refused };
    char *json = NULL;
    size_t len = 0;
    proto_answer_encode(&a, &json, &len);
    out->status = 200;
    out->body = json;
    out->len = len;
    snprintf(out->note, sizeof out->note, "events=%zu new=%zu acked=%"
             PRIu64 " refused=%zu%s", p->n, p->fresh, p->acked,
             p->n_refused, p->conflict ? " CONFLICT" : "");
}

/* POST /v1/events */
static void events(struct hub_api *api, const struct tls_peer *peer,
                   const struct http_msg *req,
                   const struct proto_status *ps, struct hub_reply *out)
{
    struct proto_event *evs = NULL;
    size_t n = 0;
    struct proto_batch b;
    if (proto_events_decode_batch(req->body, req->body_len, &evs, &n, &b)
        != ERR_OK) {
        refuse(out, 400, "malformed events batch");
        return;
    }
    if (b.station[0] && strcmp(b.station, peer->ou) != 0) {
        free(evs);
        refuse(out, 403, "station does not match certificate");
        return;
    }
    struct hub_job job = { .put = { .station = peer->ou, .device = peer->cn,
                                    .epoch = b.epoch,
                                    .epoch_start = b.epoch_start,
                                    .evs = evs, .n = n, .now = hub_now_ms(),
                                    .refused = xcalloc(n + 1,
                                        sizeof(struct proto_refusal)) } };
    pthread_mutex_lock(&api->rlock);
    hub_db_anchors_fill(api->rdb, &job.put, ps);
    pthread_mutex_unlock(&api->rlock);
    submit(api, &job);
    if (job.put.result != ERR_OK)
        db_failed(out, job.put.result);
    else
        events_answer(&job.put, out);
    free(job.put.refused);
    free(evs);
}

/* The value of `name` in the URL's query, capped; "" if absent. */
static err_code query_param(const char *url, const char *name, char *out,
                            size_t cap)
{
    out[0] = '\0';
    const char *q = strchr(url, '?');
    size_t nl = strlen(name);
    for (const char *p = q; p && *p; p = strchr(p + 1, '&')) {
        const char *k = p + 1;
        if (strncmp(k, name, nl) != 0 || k[nl] != '=')
            continue;
        const char *v = k + nl + 1;
        size_t vl = strcspn(v, "&");
        if (vl >= cap)
            return ERR_INVAL;
        memcpy(out, v, vl);
        out[vl] = '\0';
    }
    return ERR_OK;
}

/* GET /v1/changes?since=CURSOR */
static void changes(struct hub_api *api, const struct tls_peer *peer,
                    const struct http_msg *req, struct hub_reply *out)
{
    char since[PROTO_CURSOR_MAX], station[PROTO_ID_MAX];
    if (query_param(req->url, "since", since, sizeof since) != ERR_OK ||
        query_param(req->url, "station", station, sizeof station) != ERR_OK) {
        refuse(out, 400, "bad query");
        return;
    }
    if (station[0] && strcmp(station, peer->ou) != 0) {
        refuse(out, 403, "station does not match certificate");
        return;
    }
    char *json = NULL;
    size_t len = 0;
    struct hub_db *rd = reader_take(api);
    err_code e = hub_db_changes(rd, peer->ou, peer->cn, since, hub_now_ms(),
                                &json, &len);
    reader_give(api, rd);
    if (e == ERR_OK) {
        /* How far this kiosk has read: the trim waits for it. */
        pthread_mutex_lock(&api->rlock);
        hub_db_feed_seen(api->rdb, peer->cn, since, hub_now_ms());
        pthread_mutex_unlock(&api->rlock);
    }
    if (e == ERR_INVAL) {
        refuse(out, 400, "bad cursor");
        return;
    }
    if (e != ERR_OK) {
        db_failed(out, e);
        return;
    }
    out->status = 200;
    out->body = json;
    out->len = len;
    snprintf(out->note, sizeof out->note, "since=%s bytes=%zu",
             since[0] ? since : "0", len);
}

/* A failed enrolment attempt: one warning line per address and minute
 * at most (hub_limit.h), counting the attempts it stands for. */
static void enrol_failed(struct hub_api *api, const char *addr,
                         const char *why)
{
    int n = hub_limit_failed(api->limit, addr, clock_mono_ms());
    if (n > 0)
        log_warn("enrol: %d failed attempt(s) from %s (last: %s)", n, addr,
                 why);
}

/* 429 while addr (or every address together) has failed too often. */
static bool enrol_limited(struct hub_api *api, const char *addr,
                          struct hub_reply *out)
{
    struct hub_limit_verdict v;
    hub_limit_admit(api->limit, addr, clock_mono_ms(), &v);
    if (v.allowed)
        return false;
    if (v.log_n > 0)
        log_warn("enrol: %d failed attempt(s) from %s (last: too many,"
                 " refused with 429)", v.log_n, addr);
    refuse(out, 429, "too many failed enrolment attempts");
    snprintf(out->headers, sizeof out->headers, "Retry-After: %d\r\n",
             v.retry_s);
    return true;
}

/* POST /v1/enrol: the one request allowed without a client certificate. */
static void enrol(struct hub_api *api, const char *addr,
                  const struct http_msg *req, struct hub_reply *out)
{
    char code[32], csr[PKI_PEM_MAX];
    if (enrol_limited(api, addr, out))
        return;
    if (proto_enrol_decode(req->body, req->body_len, code, sizeof code, csr,
                           sizeof csr) != ERR_OK) {
        enrol_failed(api, addr, "malformed");
        refuse(out, 400, "malformed enrolment");
        return;
    }
    char station[PROTO_ID_MAX], device[PROTO_ID_MAX], subject[256];
    char pem[PKI_PEM_MAX];
    pthread_mutex_lock(&api->lock);
    err_code e = hub_db_enrol_take(api->db, code, station, sizeof station,
                                   device, sizeof device);
    pthread_mutex_unlock(&api->lock);
    if (e == ERR_DENIED) {
        enrol_failed(api, addr, "unknown, used or expired code");
        refuse(out, 403, "unknown, used or expired code");
        return;
    }
    if (e != ERR_OK) {
        db_failed(out, e);
        return;
    }
    snprintf(subject, sizeof subject, "CN=%s,OU=%s,O=kiosk hub", device,
             station);
    e = pki_csr_sign(api->ca_key, api->ca_cert, csr, strlen(csr), subject,
                     3650, pem, sizeof pem);
    if (e != ERR_OK) {
        /* The code is spent: a bad request costs a new code, so codes
         * cannot be probed with junk. */
        refuse(out, 400, "bad certificate request");
        return;
    }
    /* Recorded before it is handed out: the new certificate becomes the
     * device's only good one, so a lost or stolen unit's older
     * certificate stops working with this enrolment. */
    struct pki_cert_id id;
    e = pki_cert_id_pem(pem, strlen(pem), &id);
    if (e == ERR_OK) {
        pthread_mutex_lock(&api->lock);
        e = hub_db_cert_add(api->db, station, device, id.serial, id.sha256,
                            hub_now_ms());
        pthread_mutex_unlock(&api->lock);
    }
    if (e != ERR_OK) {
        db_failed(out, e);
        return;
    }
    char *json = NULL;
    proto_enrol_reply_encode(pem, station, device, &json);
    out->status = 200;
    out->body = json;
    out->len = strlen(json);
    snprintf(out->note, sizeof out->note, "enrolled %.40s for %.40s"
             " serial %s", device, station, id.serial);
}

/* GET /v1/bundles/latest: the newest bundle offered to this station. */
static void bundle_latest(struct hub_api *api, const struct tls_peer *peer,
                          struct hub_reply *out)
{
    struct hub_bundle_info bi;
    struct hub_db *rd = reader_take(api);
    err_code e = hub_db_bundle_latest(rd, peer->ou, &bi);
    reader_give(api, rd);
    if (e == ERR_NOTFOUND) {
        refuse(out, 404, "no bundle published");
        return;
    }
    if (e != ERR_OK) {
        db_failed(out, e);
        return;
    }
    char buf[256];
    snprintf(buf, sizeof buf, "{\"name\":\"%s\",\"version\":\"%s\","
             "\"size\":%" PRIu64 ",\"sha256\":\"%s\"}", bi.name, bi.version,
             bi.size, bi.sha256);
    reply(out, 200, buf);
    snprintf(out->note, sizeof out->note, "bundle %s", bi.name);
}

/* "bytes=N-" (absent: 0); the only form kiosks send. */
static bool range_start(const char *range, uint64_t *off)
{
    *off = 0;
    if (!range[0])
        return true;
    if (strncmp(range, "bytes=", 6) != 0)
        return false;
    const char *p = range + 6;
    size_t digits = strspn(p, "0123456789");
    if (digits == 0 || digits > 19 || strcmp(p + digits, "-") != 0)
        return false;
    *off = strtoull(p, NULL, 10);
    return true;
}

/* GET /v1/bundles/NAME with Range: bytes=N-: 206 with up to a chunk. */
static void bundle_get(struct hub_api *api, const struct tls_peer *peer,
                       const struct http_msg *req, struct hub_reply *out)
{
    const char *name = req->url + strlen("/v1/bundles/");
    uint64_t off = 0;
    struct hub_bundle_info bi;
    if (!hub_bundle_name_ok(name) || !range_start(req->range, &off)) {
        refuse(out, 400, "bad bundle name or range");
        return;
    }
    struct hub_db *rd = reader_take(api);
    err_code e = hub_db_bundle_find(rd, peer->ou, name, &bi);
    reader_give(api, rd);
    if (e == ERR_OK && off >= bi.size) {
        refuse(out, 416, "range starts past the end");
        return;
    }
    char *buf = NULL;
    size_t n = 0;
    if (e == ERR_OK)
        e = hub_bundle_read(api->dir, name, off, HUB_BUNDLE_CHUNK, &buf, &n);
    if (e != ERR_OK) {
        refuse(out, e == ERR_NOTFOUND || e == ERR_INVAL ? 404 : 500,
               "no such bundle");
        return;
    }
    out->status = 206;
    out->body = buf;
    out->len = n;
    out->type = "application/octet-stream";
    snprintf(out->headers, sizeof out->headers,
             "Content-Range: bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64 "\r\n",
             off, off + n - 1, bi.size);
    snprintf(out->note, sizeof out->note, "bundle %s from %" PRIu64
             " bytes=%zu", name, off, n);
}

static void seen(struct hub_api *api, const struct tls_peer *peer,
                 const struct proto_status *ps)
{
    pthread_mutex_lock(&api->rlock);
    hub_db_device_seen(api->rdb, peer->cn, ps, hub_now_ms());
    pthread_mutex_unlock(&api->rlock);
}

static bool path_is(const char *url, const char *path)
{
    size_t n = strlen(path);
    return strncmp(url, path, n) == 0 && (url[n] == '\0' || url[n] == '?');
}

/* The method a known path takes (PROTOCOL.md), or NULL: no such path. */
static const char *allowed(const char *url, enum http_verb *verb)
{
    *verb = HTTP_M_GET;
    if (path_is(url, "/v1/changes") || path_is(url, "/v1/bundles/latest") ||
        strncmp(url, "/v1/bundles/", 12) == 0)
        return "GET";
    *verb = HTTP_M_POST;
    if (path_is(url, "/v1/events") || path_is(url, "/v1/enrol"))
        return "POST";
    return NULL;
}

/* false (answered): an unknown path, or a known one with the wrong
 * method. */
static bool routed(const struct http_msg *req, struct hub_reply *out)
{
    enum http_verb verb;
    const char *method = allowed(req->url, &verb);
    if (!method) {
        refuse(out, 404, "no such resource");
        return false;
    }
    if (req->method != verb) {
        refuse(out, 405, "method not allowed");
        snprintf(out->headers, sizeof out->headers, "Allow: %s\r\n",
                 method);
        return false;
    }
    return true;
}

void hub_api_handle(struct hub_api *api, const char *addr,
                    const struct tls_peer *peer, const struct http_msg *req,
                    struct hub_reply *out)
{
    memset(out, 0, sizeof *out);
    if (path_is(req->url, "/v1/enrol")) {
        if (routed(req, out))
            enrol(api, addr, req, out);
        return;
    }
    if (!peer->verified) {
        refuse(out, 401, "client certificate required");
        return;
    }
    /* Every request, a resumed session's too: the certificate must be
     * the device's current one. */
    const char *why = NULL;
    struct hub_db *rd = reader_take(api);
    err_code e = hub_db_device_check(rd, peer->cn, peer->ou, peer->sha256,
                                     &why);
    reader_give(api, rd);
    if (e == ERR_DENIED) {
        refuse(out, 403, why);
        snprintf(out->note, sizeof out->note, "refused: %.90s (serial %s)",
                 why, peer->serial);
        return;
    }
    if (e != ERR_OK) {
        db_failed(out, e);
        return;
    }
    struct proto_status ps;
    if (proto_status_parse(req->kiosk_status, &ps) != ERR_OK) {
        refuse(out, 400, "malformed Kiosk-Status");
        return;
    }
    if (req->kiosk_status[0])
        seen(api, peer, &ps);
    if (!routed(req, out))
        return;
    if (path_is(req->url, "/v1/events"))
        events(api, peer, req, &ps, out);
    else if (path_is(req->url, "/v1/changes"))
        changes(api, peer, req, out);
    else if (path_is(req->url, "/v1/bundles/latest"))
        bundle_latest(api, peer, out);
    else
        bundle_get(api, peer, req, out);
}
