/* sync/sync_bundle.c - a bundle from the hub, downloaded in ranges and
 * resumed after a cut, then installed like one from a USB stick. */
#include "sync/sync_bundle.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/bundle.h"
#include "firmware/config.h"
#include "base/log.h"
#include "base/sig_mbedtls.h"
#include "base/xmalloc.h"
#include "sync/proto.h"
#include "sync/sync_link.h"

__attribute__((format(printf, 4, 5)))
static err_code say(char *msg, size_t cap, err_code e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, cap, fmt, ap);
    va_end(ap);
    return e;
}

static err_code open_link(const struct sync_opts *o, struct sync_link **l)
{
    struct sync_link_opts lo = { .host = o->host, .port = o->port,
                                 .ca_file = o->ca_file,
                                 .cert_file = o->cert_file,
                                 .key_file = o->key_file,
                                 .timeout_ms = o->timeout_ms,
                                 .max_reply = SYNC_BUNDLE_REPLY_MAX };
    return sync_link_create(&lo, l);
}

static bool hex64(const char *s)
{
    return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

static err_code offer_parse(const struct http_msg *r,
                            struct sync_bundle_offer *out)
{
    cJSON *o = cJSON_ParseWithLength(r->body, r->body_len);
    const cJSON *sz = cJSON_GetObjectItemCaseSensitive(o, "size");
    uint64_t num;
    err_code e = ERR_PROTO;
    if (cJSON_IsNumber(sz) && sz->valuedouble >= 1 &&
        sz->valuedouble <= (double)BUNDLE_TOTAL_MAX * 2 &&
        proto_get_string(r->body, r->body_len, "name", out->name,
                         sizeof out->name) == ERR_OK &&
        proto_get_string(r->body, r->body_len, "version", out->version,
                         sizeof out->version) == ERR_OK &&
        proto_get_string(r->body, r->body_len, "sha256", out->sha256,
                         sizeof out->sha256) == ERR_OK &&
        hex64(out->sha256) &&
        bundle_version_parse(out->version, &num) == ERR_OK) {
        out->size = (uint64_t)sz->valuedouble;
        e = ERR_OK;
    }
    cJSON_Delete(o);
    return e;
}

static err_code ask_offer(struct sync_link *l, struct sync_bundle_offer *out)
{
    struct http_msg r;
    memset(out, 0, sizeof *out);
    err_code e = sync_link_request(l, "GET", "/v1/bundles/latest", NULL,
                                   NULL, 0, &r);
    if (e != ERR_OK)
        return e;
    if (r.status == 200)
        e = offer_parse(&r, out);
    else
        e = r.status == 404 ? ERR_NOTFOUND
          : r.status >= 500 ? ERR_BUSY : ERR_DENIED;
    http_msg_free(&r);
    if (r.status != 200)
        sync_link_close(l);
    return e;
}

err_code sync_bundle_offer(const struct sync_opts *o,
                           struct sync_bundle_offer *out)
{
    struct sync_link *l = NULL;
    err_code e = open_link(o, &l);
    if (e == ERR_OK)
        e = ask_offer(l, out);
    sync_link_destroy(l);
    return e;
}

/* ---- ranged download ----------------------------------------------------- */

struct ranger {
    struct sync_link *link;
    const struct sync_bundle_offer *offer;
    struct http_msg   last;               /* the last 206 answer */
    uint64_t          last_off;
};

/* "bytes A-B/T" must match what we asked for and what arrived. */
static bool range_ok(const struct ranger *g, uint64_t off)
{
    unsigned long long a, b, t;
    const struct http_msg *m = &g->last;
    if (sscanf(m->range, "bytes %llu-%llu/%llu", &a, &b, &t) != 3)
        return false;
    return a == off && b >= a && b - a + 1 == m->body_len &&
           t == g->offer->size;
}

static err_code fetch_range(struct ranger *g, uint64_t off)
{
    char url[128], hdr[64];
    http_msg_free(&g->last);
    snprintf(url, sizeof url, "/v1/bundles/%s", g->offer->name);
    snprintf(hdr, sizeof hdr, "Range: bytes=%" PRIu64 "-\r\n", off);
    err_code e = sync_link_request_hdr(g->link, "GET", url, hdr, NULL, 0,
                                       &g->last);
    if (e != ERR_OK)
        return e;
    if (g->last.status != 206) {
        log_warn("sync: bundle %s: hub answered %d", g->offer->name,
                 g->last.status);
        e = g->last.status >= 500 ? ERR_BUSY : ERR_DENIED;
    } else if (!range_ok(g, off)) {
        e = ERR_PROTO;
    }
    if (e != ERR_OK) {
        http_msg_free(&g->last);
        sync_link_close(g->link);
        return e;
    }
    g->last_off = off;
    return ERR_OK;
}

/* update_fetch's callback: serve from the last answer, or ask again. */
static err_code get(void *ctx, uint64_t off, void *buf, size_t cap,
                    size_t *n)
{
    struct ranger *g = ctx;
    *n = 0;
    if (!g->last.body || off < g->last_off ||
        off >= g->last_off + g->last.body_len) {
        err_code e = fetch_range(g, off);
        if (e != ERR_OK)
            return e;
    }
    size_t avail = (size_t)(g->last_off + g->last.body_len - off);
    *n = avail < cap ? avail : cap;
    memcpy(buf, g->last.body + (off - g->last_off), *n);
    return ERR_OK;
}

static err_code file_sha256(const char *path, char hex[65])
{
    FILE *f = fopen(path, "rb");
    struct sig_hash *h = NULL;
    if (!f || sig_hash_create(&h) != ERR_OK) {
        if (f)
            fclose(f);
        return ERR_IO;
    }
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sig_hash_update(h, buf, n);
    bool bad = ferror(f);
    fclose(f);
    uint8_t d[SIG_HASH_LEN];
    sig_hash_finish(h, d);
    sig_hash_destroy(h);
    for (int i = 0; i < SIG_HASH_LEN; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    return bad ? ERR_IO : ERR_OK;
}

/* ---- the whole update ----------------------------------------------------- */

/* ERR_OK when the offer is newer than what runs and nothing is on trial. */
static err_code wanted(const struct update_opts *u,
                       const struct sync_bundle_offer *of,
                       char *msg, size_t cap)
{
    struct update_status st;
    uint64_t have = 0, offered = 0;
    update_status_read(u, &st);
    if (st.on_trial)
        return say(msg, cap, ERR_BUSY, "version %s is still on trial",
                   st.version);
    bundle_version_parse(of->version, &offered);
    if (st.version[0] && bundle_version_parse(st.version, &have) == ERR_OK &&
        offered <= have)
        return say(msg, cap, ERR_NOTFOUND, "the hub offers %s; %s runs "
                   "already: nothing to do", of->version, st.version);
    return ERR_OK;
}

static err_code download(struct sync_link *l, const struct update_opts *u,
                         const struct sync_bundle_offer *of,
                         update_progress_fn fn, void *ctx,
                         char *path, size_t pcap, char *msg, size_t cap)
{
    struct ranger g = { .link = l, .offer = of };
    struct update_fetch f = { .name = of->name, .size = of->size,
                              .get = get, .ctx = &g };
    err_code e = update_fetch(u->root, &f, fn, ctx, path, pcap);
    http_msg_free(&g.last);
    if (e != ERR_OK)
        return say(msg, cap, e, "download of %s stopped (%s); the next try "
                   "resumes where it ended", of->name, err_str(e));
    char hex[65];
    e = file_sha256(path, hex);
    if (e == ERR_OK && strcmp(hex, of->sha256) != 0)
        e = ERR_CORRUPT;
    if (e != ERR_OK) {
        unlink(path);
        return say(msg, cap, e, "download of %s does not match the hub's "
                   "checksum; removed", of->name);
    }
    return ERR_OK;
}

err_code sync_bundle_update(const struct sync_opts *o,
                            const struct update_opts *u,
                            update_progress_fn fn, void *ctx,
                            char *msg, size_t cap)
{
    struct sync_link *l = NULL;
    struct sync_bundle_offer of;
    char path[UPDATE_PATH_MAX + 128];
    err_code e = open_link(o, &l);
    if (e == ERR_OK)
        e = ask_offer(l, &of);
    if (e == ERR_NOTFOUND)
        say(msg, cap, e, "the hub offers no update");
    else if (e != ERR_OK)
        say(msg, cap, e, "cannot ask the hub for updates: %s", err_str(e));
    if (e == ERR_OK)
        e = wanted(u, &of, msg, cap);
    if (e == ERR_OK)
        e = download(l, u, &of, fn, ctx, path, sizeof path, msg, cap);
    sync_link_destroy(l);
    if (e != ERR_OK)
        return e;
    log_info("sync: installing %s from the hub", of.name);
    e = update_install(u, path, fn, ctx, msg, cap);
    unlink(path);                   /* installed or refused: not needed */
    if (e == ERR_OK)
        say(msg, cap, e, "version %s installed; it starts on trial at the "
            "next restart", of.version);
    return e;
}

err_code sync_bundle_update_for(const struct config *cfg,
                                update_progress_fn fn, void *ctx,
                                char *msg, size_t cap)
{
    char ca[CONFIG_STR + 16], key[CONFIG_STR + 16], crt[CONFIG_STR + 16];
    if (!cfg->hub_host[0])
        return say(msg, cap, ERR_UNSUPPORTED, "no hub configured");
    snprintf(ca, sizeof ca, "%s/hub-ca.crt", cfg->state_dir);
    snprintf(key, sizeof key, "%s/kiosk.key", cfg->state_dir);
    snprintf(crt, sizeof crt, "%s/kiosk.crt", cfg->state_dir);
    if (access(crt, R_OK) != 0 || access(key, R_OK) != 0)
        return say(msg, cap, ERR_NOTFOUND, "not enrolled with a hub yet");
    struct sync_opts o = { .host = cfg->hub_host, .port = cfg->hub_port,
                           .ca_file = ca, .cert_file = crt, .key_file = key,
                           .timeout_ms = 10000 };
    struct update_opts u = { .root = cfg->update_root,
                             .pub_key = cfg->release_key,
                             .factory = cfg->factory_dir[0]
                                        ? cfg->factory_dir : NULL };
    return sync_bundle_update(&o, &u, fn, ctx, msg, cap);
}
