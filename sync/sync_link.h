/* sync/sync_link.h - the kiosk's HTTPS connection to the hub: connect
 * (TCP_NODELAY, timeouts), TLS with the pinned CA and the kiosk's own
 * certificate, session resumption across connections, keep-alive within
 * a sync round, one request/response at a time. Any error closes the
 * connection; the next request opens a new one. */
#ifndef SYNC_LINK_H
#define SYNC_LINK_H

#include <stddef.h>

#include "base/err.h"
#include "sync/http.h"

struct stamp;
struct store;

struct sync_link_opts {
    const char *host;
    int         port;
    const char *ca_file;
    const char *cert_file;      /* NULL: no client certificate (enrolment) */
    const char *key_file;
    int         timeout_ms;
    size_t      max_reply;      /* response body cap */
    /* The hub's certificates are judged by the kiosk's clock when it is
     * trusted, else by the latest hub time this store learned, else not
     * at all (first contact): docs/time.md. */
    struct store *store;        /* NULL: no hub time known */
    void        (*clock)(struct stamp *out);    /* NULL: clock_now */
};

struct sync_link;

err_code sync_link_create(const struct sync_link_opts *o,
                          struct sync_link **out);
void     sync_link_destroy(struct sync_link *l);            /* NULL: no-op */

/* Send one request and read the answer into *resp (http_msg_free it).
 * A non-2xx status is still ERR_OK: the caller reads resp->status. */
err_code sync_link_request(struct sync_link *l, const char *method,
                           const char *url, const char *kiosk_status,
                           const char *body, size_t len,
                           struct http_msg *resp);
/* The same with header lines of the caller's ("Range: ...\r\n"). */
err_code sync_link_request_hdr(struct sync_link *l, const char *method,
                               const char *url, const char *extra,
                               const char *body, size_t len,
                               struct http_msg *resp);
/* Drop the connection (end of a round); the session stays for resuming. */
void     sync_link_close(struct sync_link *l);

#endif
