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

#include <pthread.h>
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
    pthread_mutex_t            lock;       /* guards session */
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
    bool                 resumed;          /* client side only */
};

static void log_mbed(const char *what, int ret)
{
    char buf[128];
    mbedtls_strerror(ret, buf, sizeof buf);
    log_warn("tls: %s: %s (-0x%04x)", what, buf, (unsigned)-ret);
}

static int bio_send(void *p, const unsigned char *buf, size_t len)
{
    struct mconn *c = p;
    size_t sent = 0;
    err_code e = c->io->send(c->io->ctx, buf, len, &sent, c->ctx->timeout_ms);
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
    mbedtls_ssl_conf_authmode(&m->conf, auth);
    if (p->role == TLS_SERVER) {
        ret = mbedtls_ssl_ticket_setup(&m->ticket, mbedtls_ctr_drbg_random,
                                       &m->drbg, MBEDTLS_CIPHER_AES_256_GCM,
                                       86400);
        if (ret != 0) {
            log_mbed("ticket", ret);
            return ERR_TLS;
        }
        mbedtls_ssl_conf_session_tickets_cb(&m->conf,
                                            mbedtls_ssl_ticket_write,
                                            mbedtls_ssl_ticket_parse,
                                            &m->ticket);
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

static void log_refused(uint32_t flags)
{
    char buf[256];
    mbedtls_x509_crt_verify_info(buf, sizeof buf, "", flags);
    buf[strcspn(buf, "\n")] = '\0';
    log_warn("tls: peer refused: %s", buf);
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
    log_refused(s->verify_result);
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
    log_refused(flags);
    return ERR_TLS;
}

static err_code handshake_failed(struct mconn *c, int ret)
{
    if (ret == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) {
        log_refused(mbedtls_ssl_get_verify_result(&c->ssl));
        return ERR_TLS;
    }
    if (ret == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE && c->ssl.in_msg) {
        unsigned char a = c->ssl.in_msg[1];
        log_warn("tls: the peer refused the handshake: alert %u (%s)", a,
                 alert_name(a));
        return ERR_TLS;
    }
    log_mbed("handshake", ret);
    return map_ret(ret);
}

/* mbedtls_ssl_handshake() step by step, so a server can look at the
 * client's certificate between parsing it and answering. */
static err_code handshake(struct mconn *c)
{
    bool server = c->ctx->role == TLS_SERVER;
    while (c->ssl.state != MBEDTLS_SSL_HANDSHAKE_OVER) {
        int before = c->ssl.state;
        int ret = mbedtls_ssl_handshake_step(&c->ssl);
        if (ret == MBEDTLS_ERR_SSL_WANT_READ ||
            ret == MBEDTLS_ERR_SSL_WANT_WRITE)
            continue;
        if (ret != 0)
            return handshake_failed(c, ret);
        if (server && before == MBEDTLS_SSL_CLIENT_CERTIFICATE &&
            c->ssl.state != before && refuse_bad_client(c) != ERR_OK)
            return ERR_TLS;
    }
    return check_peer(c);
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
    if (e != ERR_OK) {
        conn_free(c);
        return e;
    }
    client_resume_keep(c);
    *out = c;
    return ERR_OK;
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
    .read = m_read,
    .write = m_write,
    .peer = m_peer,
    .close = m_close,
};
