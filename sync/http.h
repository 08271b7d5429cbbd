/* sync/http.h - HTTP/1.1 framing over a TLS connection, parsed with
 * http-parser (Debian's libhttp-parser). Only what the sync protocol
 * needs: one message at a time, Content-Length bodies, keep-alive, and
 * the Kiosk-Status header (and, for the web console, Cookie and
 * Content-Type). Everything is capped: the URL, the header
 * block, the body. */
#ifndef HTTP_H
#define HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "sync/tls.h"

#define HTTP_URL_MAX     1024
#define HTTP_HEAD_MAX    8192          /* all header lines together */
#define HTTP_STATUS_MAX  256           /* the Kiosk-Status header */
#define HTTP_RANGE_MAX   64            /* Range / Content-Range */
#define HTTP_COOKIE_MAX  1024          /* Cookie (the web console) */
#define HTTP_TYPE_MAX    128           /* Content-Type */

enum http_verb { HTTP_M_OTHER = 0, HTTP_M_GET, HTTP_M_POST };

struct http_msg {
    enum http_verb   method;           /* requests */
    char             url[HTTP_URL_MAX];
    int              status;           /* responses */
    char             kiosk_status[HTTP_STATUS_MAX];
    char             range[HTTP_RANGE_MAX];  /* Range (requests) or
                                             * Content-Range (responses) */
    char             cookie[HTTP_COOKIE_MAX];       /* requests: Cookie */
    char             content_type[HTTP_TYPE_MAX];   /* Content-Type */
    char            *body;             /* NUL-terminated; http_msg_free */
    size_t           body_len;
    bool             keep_alive;
    int              reject;           /* on error: the status to answer */
    bool             closed;           /* peer closed between messages */
};

/* Where bytes come from: tls_read's shape, so tests can feed buffers. */
struct http_src {
    void    *ctx;
    err_code (*read)(void *ctx, void *buf, size_t cap, size_t *got);
};

struct http_reader;

err_code http_reader_create(bool request, size_t max_body,
                            struct http_reader **out);
void     http_reader_destroy(struct http_reader *r);     /* NULL: no-op */
/* Bytes of a next message already read (a pipelined request): a server
 * must read again before it waits for the socket. */
bool     http_reader_pending(const struct http_reader *r);

/* Read one whole message. ERR_PROTO: malformed (msg->reject = 400);
 * ERR_INVAL: over a cap (msg->reject = 413 or 431); ERR_NET with
 * msg->closed: the peer closed cleanly before a new message;
 * ERR_NET/ERR_TIMEOUT/ERR_TLS from the source. Bytes past the message
 * are kept for the next call. */
err_code http_read(struct http_reader *r, const struct http_src *src,
                   struct http_msg *msg);
/* http_read from a TLS connection. */
err_code http_read_tls(struct http_reader *r, struct tls_conn *t,
                       struct http_msg *msg);
void     http_msg_free(struct http_msg *msg);

/* Write a request; extra is "" or header lines each ending in \r\n. */
err_code http_write_request(struct tls_conn *t, const char *method,
                            const char *url, const char *host,
                            const char *extra, const char *body, size_t len);
err_code http_write_response(struct tls_conn *t, int status,
                             const char *body, size_t len, bool keep_alive);
/* The same with a Content-Type (NULL: JSON) and extra header lines,
 * each ending in \r\n ("" or NULL for none). */
err_code http_write_response_ex(struct tls_conn *t, int status,
                                const char *type, const char *extra,
                                const char *body, size_t len,
                                bool keep_alive);
/* "OK", "Bad Request", ... */
const char *http_reason(int status);

#endif
