/* hub/hub_api.h - what the hub answers to each request of protocol
 * v1 (sync/PROTOCOL.md). The caller (hub_server.c) has already done TLS
 * and HTTP framing; identity comes from the verified client certificate
 * in `peer`, never from the request. A refused request changes nothing. */
#ifndef HUB_API_H
#define HUB_API_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "sync/http.h"
#include "hub/hub_db.h"
#include "sync/tls.h"

struct hub_job;
struct hub_limit;

struct hub_db_pool;

/* Uploads and enrolment write through `db`; fleet status (and the feed
 * cursors kept with it) through `rdb`. Reads (the certificate check,
 * the change feed, bundles) take a connection of the `readers` pool
 * (hub_db_pool.h), so they run side by side and never wait for a
 * writer's disk flush; without a pool they share `rdb` under its lock.
 * Uploads arriving together are stored in one transaction (group
 * commit): one flush for many kiosks. */
struct hub_api {
    struct hub_db  *db;
    struct hub_db  *rdb;
    struct hub_db_pool *readers;      /* NULL: reads go through rdb */
    pthread_mutex_t lock;             /* guards db */
    pthread_mutex_t rlock;            /* guards rdb */
    pthread_mutex_t qlock;            /* guards queue and leader */
    pthread_cond_t  qcond;
    struct hub_job *queue;
    bool            leader;           /* a thread is committing a group */
    char            ca_key[512];      /* for signing enrolment requests */
    char            ca_cert[512];
    char            dir[512];         /* the hub directory (bundles/) */
    struct hub_limit *limit;          /* failed enrolments (hub_limit.h) */
};

/* Set up the locks (db and rdb are the caller's to open and close). */
void hub_api_init(struct hub_api *api);
void hub_api_fini(struct hub_api *api);

struct hub_reply {
    int    status;
    char  *body;                       /* malloc'd; the caller frees */
    size_t len;
    const char *type;                  /* Content-Type; NULL: JSON */
    char   headers[128];               /* extra lines, each ending \r\n */
    char   note[160];                  /* for the request's log line */
};

/* addr: the client's address as text (rate limits, log lines). A known
 * path asked with a method it does not take gets 405 and an Allow
 * header; an unknown path 404. */
void hub_api_handle(struct hub_api *api, const char *addr,
                    const struct tls_peer *peer, const struct http_msg *req,
                    struct hub_reply *out);

#endif
