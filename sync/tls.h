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
     * *got == 0 means the peer closed. ERR_TIMEOUT, ERR_NET; ERR_BUSY
     * (a server's event loop, during a handshake only): nothing there
     * now, the handshake pauses (tls_handshake). */
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

/* Server: the keys that protect session tickets. Kept by a store outside
 * the process (a file in the hub's directory; later the database several
 * hubs share), so a restarted hub still reads the tickets it issued and
 * its kiosks resume instead of paying a full handshake each. Tickets are
 * issued under cur and accepted under cur or prev. */
#define TLS_TICKET_KEY_BYTES 32
struct tls_ticket_key {
    unsigned char name[4];       /* sent in each ticket: which key */
    unsigned char key[TLS_TICKET_KEY_BYTES];   /* AES-256-GCM */
    int64_t       created_s;     /* Unix seconds */
};
struct tls_ticket_keys {
    struct tls_ticket_key cur, prev;
    bool                  have_prev;
};
struct tls_ticket_store {
    /* The keys in force at now_s. The store rotates (cur becomes prev,
     * a new cur) once cur is period_s old, and saves that before it
     * answers. Called at start, then about once a minute. */
    err_code (*keys)(void *arg, int64_t now_s, struct tls_ticket_keys *out);
    void     *arg;
    int       period_s;          /* rotation, and how long a ticket lives */
};

struct tls_params {
    enum tls_role role;
    const char   *ca_file;       /* the pinned CA; peers must chain to it */
    const char   *cert_file;     /* our certificate; NULL: none (enrolment) */
    const char   *key_file;
    bool          peer_optional; /* server: a client without a certificate
                                  * may connect (for enrolment only) */
    bool          no_client_cert; /* server: ask no client certificate at
                                  * all (the web console: browsers log in
                                  * with a password, not a certificate) */
    bool          no_resume;     /* client: always a full handshake */
    bool          any_curve;     /* the library's default curve list
                                  * instead of P-256 only: only for the
                                  * benchmark that shows why not */
    int           timeout_ms;    /* every read, write and handshake step */
    /* Server: where the ticket keys live; NULL: random keys per process
     * (every restart costs each client a full handshake). */
    const struct tls_ticket_store *tickets;
    /* Server: full handshakes (not resumed) in progress at once, at most;
     * more wait, up to timeout_ms, for one to end. 0: no cap. Resumed
     * handshakes are never held back. */
    int           max_full_handshakes;
    /* Client: read before every handshake to judge the server's dates
     * (struct tls_clock). NULL: the library judges by the system clock,
     * as a server always does (the hub's clock is the reference). */
    void        (*clock)(void *arg, struct tls_clock *out);
    void         *clock_arg;
};

/* Who the peer is, from its verified certificate. */
struct tls_peer {
    bool verified;               /* false: no certificate (enrolment) */
    bool resumed;                /* this handshake resumed a session
                                  * (known on both sides) */
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
    /* Go on with a handshake open left paused (ERR_BUSY). */
    err_code (*handshake)(void *conn);
    err_code (*read)(void *conn, void *buf, size_t cap, size_t *got);
    err_code (*write)(void *conn, const void *buf, size_t len,
                      size_t *done);
    err_code (*peer)(void *conn, struct tls_peer *out);
    void     (*close)(void *conn);       /* close_notify, then free */
    /* Decrypted or received bytes the next read returns without waiting
     * for the socket. */
    bool     (*pending)(void *conn);
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
/* A server whose io answers ERR_BUSY gets ERR_BUSY from tls_accept with
 * *out set: the handshake is paused until the peer sends more; call
 * tls_handshake then (ERR_OK: done; ERR_BUSY: paused again; anything
 * else: failed, tls_close it). */
err_code tls_handshake(struct tls_conn *t);
/* Up to cap bytes; ERR_OK with *got == 0: the peer closed cleanly. */
err_code tls_read(struct tls_conn *t, void *buf, size_t cap, size_t *got);
/* All of len bytes, or an error. */
err_code tls_write(struct tls_conn *t, const void *buf, size_t len);
err_code tls_peer(struct tls_conn *t, struct tls_peer *out);
void     tls_close(struct tls_conn *t);                 /* NULL: no-op */
/* Whether a read would return bytes already received (so waiting for the
 * socket to become readable would wait for nothing). */
bool     tls_pending(struct tls_conn *t);
/* Why this thread's last handshake as a server failed, in one line ("" if
 * none): a server does not log each failure itself, so that a flood of
 * bad connections cannot flood the log; its caller logs the reason with
 * the peer's address, within a budget. */
const char *tls_last_failure(void);
/* For back-ends: set that line (printf format). */
void        tls_set_failure(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

#endif
