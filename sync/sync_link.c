/* sync/sync_link.c - one kiosk-to-hub HTTPS connection at a time. Owns
 * the socket, the TLS context and connection, and the HTTP reader. */
#include "sync/sync_link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/xmalloc.h"
#include "firmware/store_card.h"
#include "sync/net.h"
#include "sync/tls.h"

struct sync_link {
    char                host[128];
    int                 port;
    int                 timeout_ms;
    struct tls_ctx     *tls;
    struct http_reader *reader;
    size_t              max_reply;
    struct store       *store;
    void              (*clock)(struct stamp *out);
    int                 fd;
    struct tls_io       io;
    struct tls_conn    *conn;
};

/* Before every handshake: what the kiosk knows of the time now. */
static void link_clock(void *arg, struct tls_clock *out)
{
    struct sync_link *l = arg;
    struct stamp now;
    l->clock(&now);
    out->wall_ms = now.wall_ms;
    out->trusted = now.clock_trusted;
    out->hub_ms = l->store ? store_card_hub_time(l->store) : 0;
}

err_code sync_link_create(const struct sync_link_opts *o,
                          struct sync_link **out)
{
    struct sync_link *l = xcalloc(1, sizeof *l);
    *out = NULL;
    l->fd = -1;
    str_copy(l->host, sizeof l->host, o->host);
    l->port = o->port;
    l->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 10000;
    l->max_reply = o->max_reply;
    l->store = o->store;
    l->clock = o->clock ? o->clock : clock_now;
    struct tls_params p = { .role = TLS_CLIENT, .ca_file = o->ca_file,
                            .cert_file = o->cert_file,
                            .key_file = o->key_file,
                            .timeout_ms = l->timeout_ms,
                            .clock = link_clock, .clock_arg = l };
    err_code e = tls_ctx_create(&tls_mbedtls_ops, &p, &l->tls);
    if (e != ERR_OK) {
        free(l);
        return e;
    }
    *out = l;
    return ERR_OK;
}

void sync_link_close(struct sync_link *l)
{
    tls_close(l->conn);
    l->conn = NULL;
    http_reader_destroy(l->reader);
    l->reader = NULL;
    if (l->fd >= 0)
        close(l->fd);
    l->fd = -1;
}

void sync_link_destroy(struct sync_link *l)
{
    if (!l)
        return;
    sync_link_close(l);
    tls_ctx_destroy(l->tls);
    free(l);
}

static err_code ensure_open(struct sync_link *l)
{
    if (l->conn)
        return ERR_OK;
    err_code e = net_connect(l->host, l->port, l->timeout_ms, &l->fd);
    if (e != ERR_OK)
        return e;
    net_io_init(&l->io, &l->fd);
    e = tls_connect(l->tls, &l->io, l->host, &l->conn);
    if (e == ERR_OK)
        e = http_reader_create(false, l->max_reply, &l->reader);
    if (e != ERR_OK)
        sync_link_close(l);
    return e;
}

err_code sync_link_request(struct sync_link *l, const char *method,
                           const char *url, const char *kiosk_status,
                           const char *body, size_t len,
                           struct http_msg *resp)
{
    char extra[HTTP_STATUS_MAX + 32] = "";
    if (kiosk_status && kiosk_status[0])
        snprintf(extra, sizeof extra, "Kiosk-Status: %s\r\n", kiosk_status);
    return sync_link_request_hdr(l, method, url, extra, body, len, resp);
}

err_code sync_link_request_hdr(struct sync_link *l, const char *method,
                               const char *url, const char *extra,
                               const char *body, size_t len,
                               struct http_msg *resp)
{
    memset(resp, 0, sizeof *resp);
    err_code e = ensure_open(l);
    if (e != ERR_OK)
        return e;
    e = http_write_request(l->conn, method, url, l->host, extra, body, len);
    if (e == ERR_OK)
        e = http_read_tls(l->reader, l->conn, resp);
    if (e == ERR_OK && !resp->keep_alive) {
        /* The hub will close; reconnect (resuming) next time. */
        sync_link_close(l);
    }
    if (e != ERR_OK) {
        if (e == ERR_INVAL || e == ERR_PROTO)
            e = ERR_PROTO;                  /* the hub's reply was bad */
        sync_link_close(l);
    }
    return e;
}
