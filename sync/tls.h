/* sync/tls.h - TLS as a small table of functions over a byte transport.
 *
 * The transport comes in as a struct tls_io (context + send/recv), so the
 * real back-end (tls_mbedtls.c, the only file that includes mbedTLS's ssl
 * headers) runs over a TCP socket in the field and over a memory pipe in
 * tests. The back-end always verifies the peer against the pinned CA,
 * and that its certificate is for its role: extended key usage serverAuth
 * for the hub, clientAuth for a kiosk. A server refuses a bad client
 * certificate inside the handshake with a TLS alert (unknown_ca,
 * certificate_expired, certificate_revoked or bad_certificate). */
#ifndef TLS_H
#define TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct tls_io {
    void *ctx;
    /* Send up to len bytes, waiting at most timeout_ms for room; *sent
     * gets how many (> 0 on ERR_OK). ERR_TIMEOUT, ERR_NET. */
    err_code (*send)(void *ctx, const unsigned char *buf, size_t len,
                     size_t *sent, int timeout_ms);
    /* Receive up to cap bytes, waiting at most timeout_ms; ERR_OK with
     * *got == 0 means the peer closed. ERR_TIMEOUT, ERR_NET. */
    err_code (*recv)(void *ctx, unsigned char *buf, size_t cap,
                     size_t *got, int timeout_ms);
};

enum tls_role { TLS_CLIENT, TLS_SERVER };

/* What a client knows of the time when it checks the server's chain
 * (docs/time.md, "Certificates without a trusted clock"):
 *   trusted clock        each certificate must be valid at wall_ms;
 *   untrusted, hub_ms    the true time is at least hub_ms (the hub said
 *                        so), so a certificate that expired before it is
 *                        refused; "not yet valid" cannot be judged (the
 *                        hub may have renewed since) and is not;
 *   untrusted, no hub_ms the dates are not judged at all (first contact).
 * The chain to the pinned CA, the signatures, the host name and the
 * extended key usage are checked whatever the clock says. */
struct tls_clock {
    int64_t wall_ms;             /* our clock, Unix ms */
    bool    trusted;             /* NTP-synchronised (base/clock.h) */
    int64_t hub_ms;              /* the latest hub time learned; 0: none */
};

struct tls_params {
    enum tls_role role;
    const char   *ca_file;       /* the pinned CA; peers must chain to it */
    const char   *cert_file;     /* our certificate; NULL: none (enrolment) */
    const char   *key_file;
    bool          peer_optional; /* server: a client without a certificate
                                  * may connect (for enrolment only) */
    bool          no_resume;     /* client: always a full handshake */
    bool          any_curve;     /* the library's default curve list
                                  * instead of P-256 only: only for the
                                  * benchmark that shows why not */
    int           timeout_ms;    /* every read, write and handshake step */
    /* Client: read before every handshake to judge the server's dates
     * (struct tls_clock). NULL: the library judges by the system clock,
     * as a server always does (the hub's clock is the reference). */
    void        (*clock)(void *arg, struct tls_clock *out);
    void         *clock_arg;
};

/* Who the peer is, from its verified certificate. */
struct tls_peer {
    bool verified;               /* false: no certificate (enrolment) */
    bool resumed;                /* this handshake resumed a session */
    char cn[64];                 /* client: the device id */
    char ou[64];                 /* client: the station id */
    /* Which certificate (pki.h, struct pki_cert_id): read from the peer
     * certificate of every connection, a resumed one included (its
     * session ticket carries the certificate), so the hub can check it
     * against the certificates it issued on every request. */
    char serial[41];
    char sha256[65];
};

struct tls_ops {
    const char *name;
    err_code (*ctx_create)(const struct tls_params *p, void **ctx);
    void     (*ctx_destroy)(void *ctx);
    /* Handshake as client (host is checked against the certificate) or
     * as server (host NULL). */
    err_code (*open)(void *ctx, const struct tls_io *io, const char *host,
                     void **conn);
    err_code (*read)(void *conn, void *buf, size_t cap, size_t *got);
    err_code (*write)(void *conn, const void *buf, size_t len,
                      size_t *done);
    err_code (*peer)(void *conn, struct tls_peer *out);
    void     (*close)(void *conn);       /* close_notify, then free */
};

extern const struct tls_ops tls_mbedtls_ops;

struct tls_ctx;
struct tls_conn;

/* A context holds keys, the CA and (client) the session to resume; one
 * context serves many connections from many threads. ERR_IO: a file is
 * missing; ERR_TLS: a key or certificate does not parse. */
err_code tls_ctx_create(const struct tls_ops *ops, const struct tls_params *p,
                        struct tls_ctx **out);
void     tls_ctx_destroy(struct tls_ctx *c);            /* NULL: no-op */

/* ERR_TLS: the peer failed verification; ERR_TIMEOUT; ERR_NET. The io
 * must outlive the connection. */
err_code tls_connect(struct tls_ctx *c, const struct tls_io *io,
                     const char *host, struct tls_conn **out);
err_code tls_accept(struct tls_ctx *c, const struct tls_io *io,
                    struct tls_conn **out);
/* Up to cap bytes; ERR_OK with *got == 0: the peer closed cleanly. */
err_code tls_read(struct tls_conn *t, void *buf, size_t cap, size_t *got);
/* All of len bytes, or an error. */
err_code tls_write(struct tls_conn *t, const void *buf, size_t len);
err_code tls_peer(struct tls_conn *t, struct tls_peer *out);
void     tls_close(struct tls_conn *t);                 /* NULL: no-op */

#endif
