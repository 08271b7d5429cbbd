/* sync/hub/hub_api.h - what the hub answers to each request of protocol
 * v1 (sync/PROTOCOL.md). The caller (hub_server.c) has already done TLS
 * and HTTP framing; identity comes from the verified client certificate
 * in `peer`, never from the request. A refused request changes nothing. */
#ifndef HUB_API_H
#define HUB_API_H

#include <pthread.h>
#include <stddef.h>

#include "sync/http.h"
#include "sync/hub/hub_db.h"
#include "sync/tls.h"

struct hub_api {
    struct hub_db  *db;
    pthread_mutex_t lock;             /* one request in the db at a time */
    char            ca_key[512];      /* for signing enrolment requests */
    char            ca_cert[512];
};

struct hub_reply {
    int    status;
    char  *body;                       /* malloc'd; the caller frees */
    size_t len;
    char   note[160];                  /* for the request's log line */
};

void hub_api_handle(struct hub_api *api, const struct tls_peer *peer,
                    const struct http_msg *req, struct hub_reply *out);

#endif
