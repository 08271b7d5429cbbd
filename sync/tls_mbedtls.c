/* sync/tls_mbedtls.c - the mbedTLS 2.28 back-end of tls.h, and the only
 * file that includes mbedTLS's ssl headers.
 *
 * Chosen on purpose (see bench/bench_sync_tls.c for the figures): TLS 1.2
 * only, ECDHE-ECDSA with AES-GCM, P-256 only (mbedTLS's default list puts
 * secp521r1 first, which costs ~20x per full handshake), SHA-256
 * signatures, session tickets so a routine sync resumes instead of paying
 * a full handshake. The peer is always verified against the pinned CA and
 * must carry the extended key usage of its role; a server with
 * peer_optional lets a client without a certificate in (for enrolment),
 * never one whose certificate fails, and refuses that one inside the
 * handshake with an alert. A client given a clock (tls_params.clock)
 * judges the server's dates itself by the rule in tls.h, clearing the
 * library's own EXPIRED/FUTURE flags, which come from the system clock. */
#include "sync/tls.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>     /* error codes only */
#include <mbedtls/oid.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_ticket.h>
#include <mbedtls/x509_crt.h>

#include "base/log.h"
#include "base/xmalloc.h"
#include "sync/pki.h"

_Static_assert(sizeof ((struct tls_peer *)0)->serial == PKI_SERIAL_HEX &&
               sizeof ((struct tls_peer *)0)->sha256 == PKI_SHA256_HEX,
               "tls_peer holds pki_cert_id's spelling");

/* A send that timed out; any negative value outside mbedTLS's own codes. */
#define TLS_IO_TIMEOUT  MBEDTLS_ERR_SSL_TIMEOUT
#define TLS_IO_FAILED   MBEDTLS_ERR_NET_SEND_FAILED

static const int tls_suites[] = {
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    0,
};
static const mbedtls_ecp_group_id tls_curves[] = {
    MBEDTLS_ECP_DP_SECP256R1, MBEDTLS_ECP_DP_NONE,
};
static const int tls_hashes[] = {
    MBEDTLS_MD_SHA256, MBEDTLS_MD_SHA384, MBEDTLS_MD_NONE,
};

struct mctx {
    enum tls_role              role;
    int                        timeout_ms;
    bool                       no_resume;
    void                     (*clock)(void *, struct tls_clock *);
    void                      *clock_arg;
    mbedtls_entropy_context    entropy;
    mbedtls_ctr_drbg_context   drbg;
    mbedtls_ssl_config         conf;
    mbedtls_x509_crt           ca;
    mbedtls_x509_crt           cert;
    mbedtls_pk_context         key;
    mbedtls_ssl_ticket_context ticket;
    /* Server: ticket keys from a store (tls.h), refreshed when due. */
    const struct tls_ticket_store *tstore;
    pthread_mutex_t            tlock;      /* guards ticket, tnext_s */
    int64_t                    tnext_s;    /* ask the store again then */
    /* Server: the cap on full handshakes in progress. */
    int                        full_max, full_now;
    pthread_cond_t             full_cond;  /* under lock */
    pthread_mutex_t            lock;       /* guards session, full_now */
    mbedtls_ssl_session        session;    /* client: the one to resume */
    bool                       have_session;
};

/* How this connection judges the peer's dates (see tls.h). */
enum judge {
    JUDGE_SYSTEM,           /* the library's, by the system clock */
    JUDGE_BOTH,             /* both ends against judge_ms */
    JUDGE_EXPIRY,           /* only "expired before judge_ms" */
    JUDGE_NONE,             /* not at all */
};

struct mconn {
    struct mctx         *ctx;
    const struct tls_io *io;
    mbedtls_ssl_context  ssl;
    enum judge           judge;
    int64_t              judge_ms;
    unsigned char        offered[48];      /* master secret offered */
    bool                 offered_any;
    bool                 resumed;
    bool                 holds_full;       /* server: a full-handshake slot */
    bool                 full;             /* server: not a resumption */
    bool                 io_busy;          /* the io said ERR_BUSY */
};

static void log_mbed(const char *what, int ret)
{
    char buf[128];
    mbedtls_strerror(ret, buf, sizeof buf);
    log_warn("tls: %s: %s (-0x%04x)", what, buf, (unsigned)-ret);
}

/* Why a handshake failed: a client logs it; a server leaves it to its
 * caller (tls_last_failure), who knows the peer's address and keeps the
 * log within a budget. */
__attribute__((format(printf, 2, 3)))
static void fail_line(const struct mconn *c, const char *fmt, ...)
{
    char buf[192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (c->ctx->role == TLS_SERVER) {
        tls_set_failure("%s", buf);
        log_debug("tls: %s", buf);
    } else {
        log_warn("tls: %s", buf);
    }
}

static int bio_send(void *p, const unsigned char *buf, size_t len)
{
    struct mconn *c = p;
    size_t sent = 0;
    err_code e = c->io->send(c->io->ctx, buf, len, &sent, c->ctx->timeout_ms);
    if (e == ERR_BUSY) {
        c->io_busy = true;
        return MBEDTLS_ERR_SSL_WANT_WRITE;
    }
    if (e == ERR_TIMEOUT)
        return TLS_IO_TIMEOUT;
    if (e != ERR_OK)
        return TLS_IO_FAILED;
    return (int)sent;
}

static int bio_recv_timeout(void *p, unsigned char *buf, size_t len,
                            uint32_t timeout)
{
    struct mconn *c = p;
    size_t got = 0;
    int ms = timeout ? (int)timeout : c->ctx->timeout_ms;
    err_code e = c->io->recv(c->io->ctx, buf, len, &got, ms);
    if (e == ERR_BUSY) {
        c->io_busy = true;
        return MBEDTLS_ERR_SSL_WANT_READ;
    }
    if (e == ERR_TIMEOUT)
        return MBEDTLS_ERR_SSL_TIMEOUT;
    if (e != ERR_OK)
        return MBEDTLS_ERR_NET_RECV_FAILED;
    return (int)got;
}

static err_code map_ret(int ret)
{
    switch (ret) {
    case MBEDTLS_ERR_SSL_TIMEOUT:
        return ERR_TIMEOUT;
    case MBEDTLS_ERR_NET_RECV_FAILED:
    case MBEDTLS_ERR_NET_SEND_FAILED:
    case MBEDTLS_ERR_NET_CONN_RESET:
        return ERR_NET;
    default:
        return ERR_TLS;
    }
}

static err_code load_files(struct mctx *m, const struct tls_params *p)
{
    int ret = mbedtls_x509_crt_parse_file(&m->ca, p->ca_file);
    if (ret != 0) {
        log_mbed(p->ca_file, ret);
        return ret == MBEDTLS_ERR_PK_FILE_IO_ERROR ? ERR_IO : ERR_TLS;
    }
    if (!p->cert_file)
        return ERR_OK;
    ret = mbedtls_x509_crt_parse_file(&m->cert, p->cert_file);
    if (ret != 0) {
        log_mbed(p->cert_file, ret);
        return ret == MBEDTLS_ERR_PK_FILE_IO_ERROR ? ERR_IO : ERR_TLS;
    }
    ret = mbedtls_pk_parse_keyfile(&m->key, p->key_file, NULL);
    if (ret != 0) {
        log_mbed(p->key_file, ret);
        return ret == MBEDTLS_ERR_PK_FILE_IO_ERROR ? ERR_IO : ERR_TLS;
    }
    ret = mbedtls_ssl_conf_own_cert(&m->conf, &m->cert, &m->key);
    if (ret != 0) {
        log_mbed("own certificate", ret);
        return ERR_TLS;
    }
    return ERR_OK;
}

/* Put the store's keys into mbedTLS's ticket context: cur active (its
 * generation time its creation, so the library's own rotation, due at
 * the same moment as the store's, never comes first: tickets_refresh
 * asks the store by then), prev still accepted. Under tlock. */
static void tickets_install(struct mctx *m, const struct tls_ticket_keys *k)
{
    mbedtls_ssl_ticket_context *t = &m->ticket;
    const struct tls_ticket_key *slot[2] = { &k->cur,
                                             k->have_prev ? &k->prev : NULL };
    for (int i = 0; i < 2; i++) {
        if (!slot[i])
            continue;
        mbedtls_ssl_ticket_key *d = &t->keys[i];
        int ret = mbedtls_cipher_setkey(&d->ctx, slot[i]->key,
                                        8 * TLS_TICKET_KEY_BYTES,
                                        MBEDTLS_ENCRYPT);
        if (ret != 0) {
            log_mbed("ticket key", ret);
            continue;
        }
        memcpy(d->name, slot[i]->name, sizeof d->name);
        d->generation_time = (uint32_t)slot[i]->created_s;
    }
    t->active = 0;
}

/* Ask the store when due: once a minute, and at the moment cur is due to
 * rotate. Under tlock. */
static void tickets_refresh(struct mctx *m)
{
    const struct tls_ticket_store *st = m->tstore;
    int64_t now = (int64_t)time(NULL);
    if (!st || now < m->tnext_s)
        return;
    struct tls_ticket_keys k;
    if (st->keys(st->arg, now, &k) != ERR_OK) {
        m->tnext_s = now + 60;
        return;             /* the store logged why; keep the keys we have */
    }
    tickets_install(m, &k);
    int64_t due = k.cur.created_s + st->period_s;
    m->tnext_s = due < now + 60 ? due : now + 60;
    if (m->tnext_s <= now)
        m->tnext_s = now + 1;
}

static int ticket_write(void *p, const mbedtls_ssl_session *session,
                        unsigned char *start, const unsigned char *end,
                        size_t *tlen, uint32_t *lifetime)
{
    struct mctx *m = p;
    pthread_mutex_lock(&m->tlock);
    tickets_refresh(m);
    int ret = mbedtls_ssl_ticket_write(&m->ticket, session, start, end, tlen,
                                       lifetime);
    pthread_mutex_unlock(&m->tlock);
    return ret;
}

static int ticket_parse(void *p, mbedtls_ssl_session *session,
                        unsigned char *buf, size_t len)
{
    struct mctx *m = p;
    pthread_mutex_lock(&m->tlock);
    tickets_refresh(m);
    int ret = mbedtls_ssl_ticket_parse(&m->ticket, session, buf, len);
    pthread_mutex_unlock(&m->tlock);
    return ret;
}

static err_code setup_conf(struct mctx *m, const struct tls_params *p)
{
    int ep = p->role == TLS_SERVER ? MBEDTLS_SSL_IS_SERVER
                                   : MBEDTLS_SSL_IS_CLIENT;
    int ret = mbedtls_ssl_config_defaults(&m->conf, ep,
                                          MBEDTLS_SSL_TRANSPORT_STREAM,
                                          MBEDTLS_SSL_PRESET_DEFAULT);
    if (ret != 0) {
        log_mbed("config", ret);
        return ERR_TLS;
    }
    mbedtls_ssl_conf_rng(&m->conf, mbedtls_ctr_drbg_random, &m->drbg);
    mbedtls_ssl_conf_min_version(&m->conf, MBEDTLS_SSL_MAJOR_VERSION_3,
                                 MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_max_version(&m->conf, MBEDTLS_SSL_MAJOR_VERSION_3,
                                 MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_ciphersuites(&m->conf, tls_suites);
    if (!p->any_curve)
        mbedtls_ssl_conf_curves(&m->conf, tls_curves);
    mbedtls_ssl_conf_sig_hashes(&m->conf, tls_hashes);
    mbedtls_ssl_conf_renegotiation(&m->conf,
                                   MBEDTLS_SSL_RENEGOTIATION_DISABLED);
    mbedtls_ssl_conf_read_timeout(&m->conf, (uint32_t)p->timeout_ms);
    mbedtls_ssl_conf_ca_chain(&m->conf, &m->ca, NULL);
    int auth = MBEDTLS_SSL_VERIFY_REQUIRED;
    if (p->role == TLS_SERVER && p->peer_optional)
        auth = MBEDTLS_SSL_VERIFY_OPTIONAL;
    if (p->role == TLS_SERVER && p->no_client_cert)
        auth = MBEDTLS_SSL_VERIFY_NONE;
    mbedtls_ssl_conf_authmode(&m->conf, auth);
    if (p->role == TLS_SERVER) {
        int life = p->tickets && p->tickets->period_s > 0
                   ? p->tickets->period_s : 86400;
        ret = mbedtls_ssl_ticket_setup(&m->ticket, mbedtls_ctr_drbg_random,
                                       &m->drbg, MBEDTLS_CIPHER_AES_256_GCM,
                                       (uint32_t)life);
        if (ret != 0) {
            log_mbed("ticket", ret);
            return ERR_TLS;
        }
        m->tstore = p->tickets;
        pthread_mutex_lock(&m->tlock);
        tickets_refresh(m);
        pthread_mutex_unlock(&m->tlock);
        m->full_max = p->max_full_handshakes > 0 ? p->max_full_handshakes
                                                 : 0;
        mbedtls_ssl_conf_session_tickets_cb(&m->conf, ticket_write,
                                            ticket_parse, m);
    } else {
        mbedtls_ssl_conf_session_tickets(&m->conf,
                                         MBEDTLS_SSL_SESSION_TICKETS_ENABLED);
    }
    return load_files(m, p);
}

static void mctx_free(struct mctx *m)
{
    mbedtls_ssl_session_free(&m->session);
    mbedtls_ssl_ticket_free(&m->ticket);
    mbedtls_pk_free(&m->key);
    mbedtls_x509_crt_free(&m->cert);
    mbedtls_x509_crt_free(&m->ca);
    mbedtls_ssl_config_free(&m->conf);
    mbedtls_ctr_drbg_free(&m->drbg);
    mbedtls_entropy_free(&m->entropy);
    pthread_cond_destroy(&m->full_cond);
    pthread_mutex_destroy(&m->tlock);
    pthread_mutex_destroy(&m->lock);
    free(m);
}

static err_code m_ctx_create(const struct tls_params *p, void **out)
{
    struct mctx *m = xcalloc(1, sizeof *m);
    m->role = p->role;
    m->timeout_ms = p->timeout_ms > 0 ? p->timeout_ms : 10000;
    m->no_resume = p->no_resume;
    if (p->role == TLS_CLIENT) {
        m->clock = p->clock;
        m->clock_arg = p->clock_arg;
    }
    pthread_mutex_init(&m->lock, NULL);
    pthread_mutex_init(&m->tlock, NULL);
    pthread_cond_init(&m->full_cond, NULL);
    mbedtls_entropy_init(&m->entropy);
    mbedtls_ctr_drbg_init(&m->drbg);
    mbedtls_ssl_config_init(&m->conf);
    mbedtls_x509_crt_init(&m->ca);
    mbedtls_x509_crt_init(&m->cert);
    mbedtls_pk_init(&m->key);
    mbedtls_ssl_ticket_init(&m->ticket);
    mbedtls_ssl_session_init(&m->session);
    static const char pers[] = "kiosk-tls";
    int ret = mbedtls_ctr_drbg_seed(&m->drbg, mbedtls_entropy_func,
                                    &m->entropy, (const unsigned char *)pers,
                                    sizeof pers - 1);
    err_code e = ERR_TLS;
    if (ret != 0)
        log_mbed("drbg", ret);
    else
        e = setup_conf(m, p);
    if (e != ERR_OK) {
        mctx_free(m);
        *out = NULL;
        return e;
    }
    *out = m;
    return ERR_OK;
}

static void m_ctx_destroy(void *p)
{
    if (p)
        mctx_free(p);
}

static void conn_free(struct mconn *c)
{
    mbedtls_ssl_free(&c->ssl);
    free(c);
}

/* Client: offer the last session; after the handshake keep the new one. */
static void client_resume_offer(struct mconn *c)
{
    struct mctx *m = c->ctx;
    if (m->role != TLS_CLIENT || m->no_resume)
        return;
    pthread_mutex_lock(&m->lock);
    if (m->have_session &&
        mbedtls_ssl_set_session(&c->ssl, &m->session) == 0) {
        memcpy(c->offered, m->session.master, sizeof c->offered);
        c->offered_any = true;
    }
    pthread_mutex_unlock(&m->lock);
}

static void client_resume_keep(struct mconn *c)
{
    struct mctx *m = c->ctx;
    if (m->role != TLS_CLIENT || m->no_resume)
        return;
    /* mbedTLS 2.28 keeps "resumed" internal; a resumed session keeps
     * the master secret of the one offered, a full handshake makes a
     * new one. */
    c->resumed = c->offered_any &&
                 memcmp(c->ssl.session->master, c->offered,
                        sizeof c->offered) == 0;
    pthread_mutex_lock(&m->lock);
    mbedtls_ssl_session_free(&m->session);
    mbedtls_ssl_session_init(&m->session);
    m->have_session = mbedtls_ssl_get_session(&c->ssl, &m->session) == 0;
    pthread_mutex_unlock(&m->lock);
}

static int64_t x509_ms(const mbedtls_x509_time *t)
{
    struct tm tm = { .tm_year = t->year - 1900, .tm_mon = t->mon - 1,
                     .tm_mday = t->day, .tm_hour = t->hour,
                     .tm_min = t->min, .tm_sec = t->sec };
    return (int64_t)timegm(&tm) * 1000;
}

/* Client: what the clock says for this handshake (the rule in tls.h). */
static void judge_setup(struct mconn *c)
{
    struct mctx *m = c->ctx;
    struct tls_clock tc = { 0 };

    c->judge = JUDGE_SYSTEM;
    if (!m->clock)
        return;
    m->clock(m->clock_arg, &tc);
    if (tc.trusted) {
        c->judge = JUDGE_BOTH;
        c->judge_ms = tc.wall_ms;
    } else if (tc.hub_ms > 0) {
        c->judge = JUDGE_EXPIRY;
        c->judge_ms = tc.hub_ms;
        log_debug("tls: clock untrusted: the hub's certificates must not "
                  "have expired before the last hub time learned");
    } else {
        c->judge = JUDGE_NONE;
        log_debug("tls: clock untrusted, no hub time yet: certificate "
                  "dates not judged (first contact)");
    }
}

static void judge_dates(const struct mconn *c, const mbedtls_x509_crt *crt,
                        uint32_t *flags)
{
    *flags &= ~(uint32_t)(MBEDTLS_X509_BADCERT_EXPIRED |
                          MBEDTLS_X509_BADCERT_FUTURE);
    if (c->judge == JUDGE_NONE)
        return;
    if (x509_ms(&crt->valid_to) < c->judge_ms)
        *flags |= MBEDTLS_X509_BADCERT_EXPIRED;
    if (c->judge == JUDGE_BOTH && x509_ms(&crt->valid_from) > c->judge_ms)
        *flags |= MBEDTLS_X509_BADCERT_FUTURE;
}

/* The peer's own certificate must say it is for the peer's role. The
 * library lets a certificate without the extension do anything; ours
 * all carry it (pki.h), so one without it was not issued for this. */
static void check_usage(const struct mconn *c, const mbedtls_x509_crt *crt,
                        uint32_t *flags)
{
    bool hub = c->ctx->role == TLS_CLIENT;  /* the peer is the server */
    const char *oid = hub ? MBEDTLS_OID_SERVER_AUTH : MBEDTLS_OID_CLIENT_AUTH;
    size_t len = hub ? MBEDTLS_OID_SIZE(MBEDTLS_OID_SERVER_AUTH)
                     : MBEDTLS_OID_SIZE(MBEDTLS_OID_CLIENT_AUTH);

    if ((crt->ext_types & MBEDTLS_X509_EXT_EXTENDED_KEY_USAGE) &&
        mbedtls_x509_crt_check_extended_key_usage(crt, oid, len) == 0)
        return;
    char name[128] = "";
    if (mbedtls_x509_dn_gets(name, sizeof name, &crt->subject) < 0)
        name[0] = '\0';
    *flags |= MBEDTLS_X509_BADCERT_EXT_KEY_USAGE;
    log_warn("tls: %s certificate \"%s\" is not for %s (extended key usage "
             "%s missing): refused", hub ? "the hub's" : "a client's", name,
             hub ? "a server" : "a client",
             hub ? "serverAuth" : "clientAuth");
}

/* Per certificate of the peer's chain, after the library's checks. */
static int verify_cb(void *p, mbedtls_x509_crt *crt, int depth,
                     uint32_t *flags)
{
    struct mconn *c = p;
    if (c->judge != JUDGE_SYSTEM)
        judge_dates(c, crt, flags);
    if (depth == 0)
        check_usage(c, crt, flags);
    return 0;
}

static void log_refused(const struct mconn *c, uint32_t flags)
{
    char buf[256];
    mbedtls_x509_crt_verify_info(buf, sizeof buf, "", flags);
    buf[strcspn(buf, "\n")] = '\0';
    fail_line(c, "peer refused: %s", buf);
}

/* The alert that says best why a certificate was refused. */
static unsigned char alert_for(uint32_t flags)
{
    if (flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED)
        return MBEDTLS_SSL_ALERT_MSG_UNKNOWN_CA;
    if (flags & MBEDTLS_X509_BADCERT_REVOKED)
        return MBEDTLS_SSL_ALERT_MSG_CERT_REVOKED;
    if (flags & (MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE))
        return MBEDTLS_SSL_ALERT_MSG_CERT_EXPIRED;
    /* Not for this use: what the library itself sends (VERIFY_REQUIRED). */
    if (flags & (MBEDTLS_X509_BADCERT_KEY_USAGE |
                 MBEDTLS_X509_BADCERT_EXT_KEY_USAGE))
        return MBEDTLS_SSL_ALERT_MSG_UNSUPPORTED_CERT;
    return MBEDTLS_SSL_ALERT_MSG_BAD_CERT;
}

static const char *alert_name(unsigned char a)
{
    switch (a) {
    case MBEDTLS_SSL_ALERT_MSG_HANDSHAKE_FAILURE: return "handshake_failure";
    case MBEDTLS_SSL_ALERT_MSG_BAD_CERT:          return "bad_certificate";
    case MBEDTLS_SSL_ALERT_MSG_UNSUPPORTED_CERT:
        return "unsupported_certificate";
    case MBEDTLS_SSL_ALERT_MSG_CERT_REVOKED:      return "certificate_revoked";
    case MBEDTLS_SSL_ALERT_MSG_CERT_EXPIRED:      return "certificate_expired";
    case MBEDTLS_SSL_ALERT_MSG_UNKNOWN_CA:        return "unknown_ca";
    case MBEDTLS_SSL_ALERT_MSG_ACCESS_DENIED:     return "access_denied";
    default:                                      return "other";
    }
}

/* A server with VERIFY_OPTIONAL (enrolment) would finish the handshake
 * with a client whose certificate failed. Called once the client's
 * certificate is parsed: refuse a bad one there, with an alert and before
 * our Finished, so the client sees a failed handshake and why. No
 * certificate at all is let through; tls_peer() reports it unverified. */
static err_code refuse_bad_client(struct mconn *c)
{
    const mbedtls_ssl_session *s = c->ssl.session_negotiate;
    if (!s || !s->peer_cert || s->verify_result == 0)
        return ERR_OK;
    log_refused(c, s->verify_result);
    mbedtls_ssl_send_alert_message(&c->ssl, MBEDTLS_SSL_ALERT_LEVEL_FATAL,
                                   alert_for(s->verify_result));
    return ERR_TLS;
}

/* After a complete handshake: the peer verified, or (server) none. */
static err_code check_peer(struct mconn *c)
{
    uint32_t flags = mbedtls_ssl_get_verify_result(&c->ssl);
    if (flags == 0)
        return ERR_OK;
    if (c->ctx->role == TLS_SERVER && !mbedtls_ssl_get_peer_cert(&c->ssl))
        return ERR_OK;
    log_refused(c, flags);
    return ERR_TLS;
}

static err_code handshake_failed(struct mconn *c, int ret)
{
    if (ret == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) {
        log_refused(c, mbedtls_ssl_get_verify_result(&c->ssl));
        return ERR_TLS;
    }
    if (ret == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE && c->ssl.in_msg) {
        unsigned char a = c->ssl.in_msg[1];
        fail_line(c, "the peer refused the handshake: alert %u (%s)", a,
                  alert_name(a));
        return ERR_TLS;
    }
    char buf[128];
    mbedtls_strerror(ret, buf, sizeof buf);
    fail_line(c, "handshake: %s (-0x%04x)", buf, (unsigned)-ret);
    return map_ret(ret);
}

/* Server: wait (up to the timeout) for a full-handshake slot. */
static err_code full_slot_take(struct mconn *c)
{
    struct mctx *m = c->ctx;
    if (m->full_max <= 0)
        return ERR_OK;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += m->timeout_ms / 1000;
    until.tv_nsec += (long)(m->timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    err_code e = ERR_OK;
    pthread_mutex_lock(&m->lock);
    while (m->full_now >= m->full_max && e == ERR_OK)
        if (pthread_cond_timedwait(&m->full_cond, &m->lock, &until)
            == ETIMEDOUT)
            e = ERR_TIMEOUT;
    if (e == ERR_OK) {
        m->full_now++;
        c->holds_full = true;
    }
    pthread_mutex_unlock(&m->lock);
    if (e != ERR_OK)
        fail_line(c, "handshake: waited %d ms for one of %d full-handshake "
                  "slots", m->timeout_ms, m->full_max);
    return e;
}

static void full_slot_give(struct mconn *c)
{
    struct mctx *m = c->ctx;
    if (!c->holds_full)
        return;
    pthread_mutex_lock(&m->lock);
    m->full_now--;
    c->holds_full = false;
    pthread_cond_signal(&m->full_cond);
    pthread_mutex_unlock(&m->lock);
}

/* mbedtls_ssl_handshake() step by step, so a server can look at the
 * client's certificate between parsing it and answering, and can tell a
 * resumed handshake from a full one right after its ServerHello (a full
 * one goes on to the certificate, where its costly steps begin: those
 * wait for a slot when full handshakes are capped). */
static err_code handshake_steps(struct mconn *c)
{
    bool server = c->ctx->role == TLS_SERVER;
    while (c->ssl.state != MBEDTLS_SSL_HANDSHAKE_OVER) {
        int before = c->ssl.state;
        c->io_busy = false;
        int ret = mbedtls_ssl_handshake_step(&c->ssl);
        if (ret == MBEDTLS_ERR_SSL_WANT_READ ||
            ret == MBEDTLS_ERR_SSL_WANT_WRITE) {
            if (c->io_busy)
                return ERR_BUSY;           /* paused: tls_handshake */
            continue;
        }
        if (ret != 0)
            return handshake_failed(c, ret);
        if (server && before == MBEDTLS_SSL_SERVER_HELLO &&
            c->ssl.state != before) {
            c->resumed = c->ssl.state != MBEDTLS_SSL_SERVER_CERTIFICATE;
            c->full = !c->resumed;
            if (c->full && full_slot_take(c) != ERR_OK)
                return ERR_TIMEOUT;
        }
        if (server && before == MBEDTLS_SSL_CLIENT_CERTIFICATE &&
            c->ssl.state != before && refuse_bad_client(c) != ERR_OK)
            return ERR_TLS;
    }
    return check_peer(c);
}

/* A full handshake holds its slot while it computes, not while it is
 * paused waiting for the peer: the cap bounds the CPU that full
 * handshakes take, and a stalled client holds no slot. */
static err_code handshake(struct mconn *c)
{
    if (c->ctx->role == TLS_SERVER)
        tls_set_failure("%s", "");
    err_code e = ERR_OK;
    if (c->full)
        e = full_slot_take(c);
    if (e == ERR_OK)
        e = handshake_steps(c);
    full_slot_give(c);
    return e;
}

static err_code m_open(void *ctx, const struct tls_io *io, const char *host,
                       void **out)
{
    struct mctx *m = ctx;
    struct mconn *c = xcalloc(1, sizeof *c);
    c->ctx = m;
    c->io = io;
    mbedtls_ssl_init(&c->ssl);
    *out = NULL;
    int ret = mbedtls_ssl_setup(&c->ssl, &m->conf);
    if (ret == 0 && host)
        ret = mbedtls_ssl_set_hostname(&c->ssl, host);
    if (ret != 0) {
        log_mbed("setup", ret);
        conn_free(c);
        return ERR_TLS;
    }
    mbedtls_ssl_set_bio(&c->ssl, c, bio_send, NULL, bio_recv_timeout);
    judge_setup(c);
    mbedtls_ssl_set_verify(&c->ssl, verify_cb, c);
    client_resume_offer(c);
    err_code e = handshake(c);
    if (e == ERR_BUSY) {
        *out = c;
        return ERR_BUSY;
    }
    if (e != ERR_OK) {
        conn_free(c);
        return e;
    }
    client_resume_keep(c);
    *out = c;
    return ERR_OK;
}

static err_code m_handshake(void *p)
{
    struct mconn *c = p;
    err_code e = handshake(c);
    if (e == ERR_OK)
        client_resume_keep(c);
    return e;
}

static err_code m_read(void *p, void *buf, size_t cap, size_t *got)
{
    struct mconn *c = p;
    *got = 0;
    for (;;) {
        int ret = mbedtls_ssl_read(&c->ssl, buf, cap);
        if (ret >= 0) {
            *got = (size_t)ret;
            return ERR_OK;
        }
        if (ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY)
            return ERR_OK;
        if (ret == MBEDTLS_ERR_SSL_WANT_READ ||
            ret == MBEDTLS_ERR_SSL_WANT_WRITE)
            continue;
        if (ret != MBEDTLS_ERR_SSL_TIMEOUT &&
            ret != MBEDTLS_ERR_NET_RECV_FAILED)
            log_mbed("read", ret);
        return map_ret(ret);
    }
}

static err_code m_write(void *p, const void *buf, size_t len, size_t *done)
{
    struct mconn *c = p;
    *done = 0;
    for (;;) {
        int ret = mbedtls_ssl_write(&c->ssl, buf, len);
        if (ret >= 0) {
            *done = (size_t)ret;
            return ERR_OK;
        }
        if (ret == MBEDTLS_ERR_SSL_WANT_READ ||
            ret == MBEDTLS_ERR_SSL_WANT_WRITE)
            continue;
        if (ret != MBEDTLS_ERR_SSL_TIMEOUT && ret != TLS_IO_FAILED)
            log_mbed("write", ret);
        return map_ret(ret);
    }
}

/* Copy one attribute (by OID) of the subject name. */
static void subject_attr(const mbedtls_x509_name *n, const char *oid,
                         size_t oid_len, char *out, size_t cap)
{
    out[0] = '\0';
    for (; n; n = n->next) {
        if (n->oid.len != oid_len || memcmp(n->oid.p, oid, oid_len) != 0)
            continue;
        size_t len = n->val.len < cap - 1 ? n->val.len : cap - 1;
        memcpy(out, n->val.p, len);
        out[len] = '\0';
        return;
    }
}

static err_code m_peer(void *p, struct tls_peer *out)
{
    struct mconn *c = p;
    memset(out, 0, sizeof *out);
    const mbedtls_x509_crt *crt = mbedtls_ssl_get_peer_cert(&c->ssl);
    out->verified = crt && mbedtls_ssl_get_verify_result(&c->ssl) == 0;
    if (crt && out->verified) {
        subject_attr(&crt->subject, MBEDTLS_OID_AT_CN,
                     MBEDTLS_OID_SIZE(MBEDTLS_OID_AT_CN), out->cn,
                     sizeof out->cn);
        subject_attr(&crt->subject, MBEDTLS_OID_AT_ORG_UNIT,
                     MBEDTLS_OID_SIZE(MBEDTLS_OID_AT_ORG_UNIT), out->ou,
                     sizeof out->ou);
        pki_serial_hex(crt->serial.p, crt->serial.len, out->serial);
        if (pki_sha256_hex(crt->raw.p, crt->raw.len, out->sha256) != ERR_OK)
            out->verified = false;
    }
    out->resumed = c->resumed;
    return ERR_OK;
}

static bool m_pending(void *p)
{
    struct mconn *c = p;
    return mbedtls_ssl_check_pending(&c->ssl) != 0;
}

static void m_close(void *p)
{
    struct mconn *c = p;
    if (!c)
        return;
    /* Best effort: a peer that is gone must not hold us up. */
    mbedtls_ssl_close_notify(&c->ssl);
    conn_free(c);
}

const struct tls_ops tls_mbedtls_ops = {
    .name = "mbedtls",
    .ctx_create = m_ctx_create,
    .ctx_destroy = m_ctx_destroy,
    .open = m_open,
    .handshake = m_handshake,
    .read = m_read,
    .write = m_write,
    .peer = m_peer,
    .close = m_close,
    .pending = m_pending,
};
