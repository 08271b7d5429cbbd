/* sync/pki_mbedtls.c - certificate tooling over mbedTLS's x509write and
 * pk modules. Includes no ssl header: connections are tls_mbedtls.c's. */
#include "sync/pki.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/md.h>
#include <mbedtls/oid.h>
#include <mbedtls/pk.h>
#include <mbedtls/sha256.h>
#include <mbedtls/x509_crt.h>
#include <mbedtls/x509_csr.h>

#include "base/file.h"
#include "base/log.h"

struct rng {
    mbedtls_entropy_context  entropy;
    mbedtls_ctr_drbg_context drbg;
};

static void log_mbed(const char *what, int ret)
{
    char buf[128];
    mbedtls_strerror(ret, buf, sizeof buf);
    log_warn("pki: %s: %s", what, buf);
}

static err_code rng_init(struct rng *r)
{
    mbedtls_entropy_init(&r->entropy);
    mbedtls_ctr_drbg_init(&r->drbg);
    int ret = mbedtls_ctr_drbg_seed(&r->drbg, mbedtls_entropy_func,
                                    &r->entropy, (const unsigned char *)"pki",
                                    3);
    if (ret != 0)
        log_mbed("drbg", ret);
    return ret == 0 ? ERR_OK : ERR_TLS;
}

static void rng_free(struct rng *r)
{
    mbedtls_ctr_drbg_free(&r->drbg);
    mbedtls_entropy_free(&r->entropy);
}

bool pki_id_valid(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > 63)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

err_code pki_file_write(const char *path, const void *data, size_t len,
                        int mode)
{
    err_code e = file_write_atomic(path, data, len, mode);

    if (e != ERR_OK)
        log_warn("pki: %s: write failed", path);
    return e;
}

err_code pki_key_new(const char *path)
{
    struct rng r;
    mbedtls_pk_context pk;
    mbedtls_pk_init(&pk);
    unsigned char pem[PKI_PEM_MAX];
    err_code e = rng_init(&r);
    int ret = 0;
    if (e == ERR_OK) {
        ret = mbedtls_pk_setup(&pk,
                               mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
        if (ret == 0)
            ret = mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1,
                                      mbedtls_pk_ec(pk),
                                      mbedtls_ctr_drbg_random, &r.drbg);
        if (ret == 0)
            ret = mbedtls_pk_write_key_pem(&pk, pem, sizeof pem);
        if (ret != 0) {
            log_mbed("key", ret);
            e = ERR_TLS;
        }
    }
    if (e == ERR_OK)
        e = pki_file_write(path, pem, strlen((char *)pem), 0600);
    mbedtls_platform_zeroize(pem, sizeof pem);
    mbedtls_pk_free(&pk);
    rng_free(&r);
    return e;
}

static err_code load_key(const char *path, mbedtls_pk_context *pk)
{
    int ret = mbedtls_pk_parse_keyfile(pk, path, NULL);
    if (ret != 0) {
        log_mbed(path, ret);
        return ret == MBEDTLS_ERR_PK_FILE_IO_ERROR ? ERR_IO : ERR_TLS;
    }
    return ERR_OK;
}

#define SAN_MAX 2048

/* Append a DER length; every length here is below 64 KiB. */
static size_t der_len(unsigned char *p, size_t n)
{
    if (n < 128) {
        p[0] = (unsigned char)n;
        return 1;
    }
    if (n < 256) {
        p[0] = 0x81;
        p[1] = (unsigned char)n;
        return 2;
    }
    p[0] = 0x82;
    p[1] = (unsigned char)(n >> 8);
    p[2] = (unsigned char)n;
    return 3;
}

/* One GeneralName: a dNSName for every name (mbedTLS 2.28 matches a host
 * only against DNS names), and an iPAddress too for an IPv4 address (what
 * other clients check). */
static size_t san_entry(unsigned char *p, const char *name)
{
    size_t n = strlen(name), used = 0;
    unsigned a, b, c, d;
    char tail;

    p[used++] = 0x82;
    used += der_len(p + used, n);
    memcpy(p + used, name, n);
    used += n;
    if (sscanf(name, "%3u.%3u.%3u.%3u%c", &a, &b, &c, &d, &tail) == 4 &&
        a < 256 && b < 256 && c < 256 && d < 256) {
        unsigned char ip[] = { 0x87, 4, (unsigned char)a, (unsigned char)b,
                               (unsigned char)c, (unsigned char)d };
        memcpy(p + used, ip, sizeof ip);
        used += sizeof ip;
    }
    return used;
}

static int host_name_ok(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > 253)
        return 0;
    return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                  "0123456789.-") == n;
}

/* subjectAltName: localhost, 127.0.0.1 and the names given. */
static int add_san(mbedtls_x509write_cert *w, const char *const *names,
                   size_t n_names)
{
    unsigned char body[SAN_MAX], der[SAN_MAX + 4];
    size_t used = 0, hdr;

    used += san_entry(body + used, "localhost");
    used += san_entry(body + used, "127.0.0.1");
    for (size_t i = 0; i < n_names; i++) {
        if (used + strlen(names[i]) + 16 > sizeof body)
            return MBEDTLS_ERR_X509_BAD_INPUT_DATA;
        used += san_entry(body + used, names[i]);
    }
    der[0] = 0x30;
    hdr = 1 + der_len(der + 1, used);
    memcpy(der + hdr, body, used);
    return mbedtls_x509write_crt_set_extension(
        w, MBEDTLS_OID_SUBJECT_ALT_NAME,
        MBEDTLS_OID_SIZE(MBEDTLS_OID_SUBJECT_ALT_NAME), 0, der, hdr + used);
}

static void validity(int days, char nb[16], char na[16])
{
    time_t now = time(NULL) - 86400;       /* tolerate a slow kiosk clock */
    time_t end = now + (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(nb, 16, "%Y%m%d%H%M%S", &tm);
    gmtime_r(&end, &tm);
    strftime(na, 16, "%Y%m%d%H%M%S", &tm);
}

enum cert_kind { CERT_CA, CERT_SERVER, CERT_CLIENT };

/* extendedKeyUsage: SEQUENCE { id-kp-serverAuth or id-kp-clientAuth }.
 * mbedTLS 2.28 has no writer for it; the DER is fixed. A certificate says
 * what it is for, so a kiosk's certificate cannot act as the hub and the
 * hub's cannot log in as a kiosk (tls_mbedtls.c checks). */
static int add_eku(mbedtls_x509write_cert *w, enum cert_kind kind)
{
    unsigned char der[2 + 2 + MBEDTLS_OID_SIZE(MBEDTLS_OID_SERVER_AUTH)];
    const char *oid = kind == CERT_SERVER ? MBEDTLS_OID_SERVER_AUTH
                                          : MBEDTLS_OID_CLIENT_AUTH;
    size_t n = MBEDTLS_OID_SIZE(MBEDTLS_OID_SERVER_AUTH);

    der[0] = 0x30;                          /* SEQUENCE */
    der[1] = (unsigned char)(2 + n);
    der[2] = 0x06;                          /* OBJECT IDENTIFIER */
    der[3] = (unsigned char)n;
    memcpy(der + 4, oid, n);
    return mbedtls_x509write_crt_set_extension(
        w, MBEDTLS_OID_EXTENDED_KEY_USAGE,
        MBEDTLS_OID_SIZE(MBEDTLS_OID_EXTENDED_KEY_USAGE), 0, der, sizeof der);
}

struct issue {
    mbedtls_pk_context *issuer_key;
    const char         *issuer_name;     /* NULL: self-signed */
    mbedtls_pk_context *subject_key;
    const char         *subject;
    enum cert_kind      kind;
    int                 days;
    const char *const  *names;           /* CERT_SERVER: extra host names */
    size_t              n_names;
};

static int issue_fill(mbedtls_x509write_cert *w, const struct issue *is,
                      struct rng *r)
{
    unsigned char raw[16];
    mbedtls_mpi serial;
    mbedtls_mpi_init(&serial);
    int ret = mbedtls_ctr_drbg_random(&r->drbg, raw, sizeof raw);
    raw[0] &= 0x7f;                           /* positive */
    if (ret == 0)
        ret = mbedtls_mpi_read_binary(&serial, raw, sizeof raw);
    if (ret == 0)
        ret = mbedtls_x509write_crt_set_serial(w, &serial);
    mbedtls_mpi_free(&serial);
    char nb[16], na[16];
    validity(is->days, nb, na);
    mbedtls_x509write_crt_set_version(w, MBEDTLS_X509_CRT_VERSION_3);
    mbedtls_x509write_crt_set_md_alg(w, MBEDTLS_MD_SHA256);
    mbedtls_x509write_crt_set_subject_key(w, is->subject_key);
    mbedtls_x509write_crt_set_issuer_key(w, is->issuer_key);
    if (ret == 0)
        ret = mbedtls_x509write_crt_set_validity(w, nb, na);
    if (ret == 0)
        ret = mbedtls_x509write_crt_set_subject_name(w, is->subject);
    if (ret == 0)
        ret = mbedtls_x509write_crt_set_issuer_name(
            w, is->issuer_name ? is->issuer_name : is->subject);
    if (ret == 0)
        ret = mbedtls_x509write_crt_set_basic_constraints(
            w, is->kind == CERT_CA, is->kind == CERT_CA ? 0 : -1);
    if (ret == 0)
        ret = mbedtls_x509write_crt_set_key_usage(
            w, is->kind == CERT_CA ? MBEDTLS_X509_KU_KEY_CERT_SIGN |
                                         MBEDTLS_X509_KU_CRL_SIGN
                                   : MBEDTLS_X509_KU_DIGITAL_SIGNATURE);
    if (ret == 0)
        ret = mbedtls_x509write_crt_set_subject_key_identifier(w);
    if (ret == 0 && is->kind != CERT_CA)
        ret = add_eku(w, is->kind);
    if (ret == 0 && is->kind == CERT_SERVER)
        ret = add_san(w, is->names, is->n_names);
    return ret;
}

static err_code issue(const struct issue *is, char *pem, size_t cap)
{
    struct rng r;
    err_code e = rng_init(&r);
    if (e != ERR_OK)
        return e;
    mbedtls_x509write_cert w;
    mbedtls_x509write_crt_init(&w);
    int ret = issue_fill(&w, is, &r);
    if (ret == 0)
        ret = mbedtls_x509write_crt_pem(&w, (unsigned char *)pem, cap,
                                        mbedtls_ctr_drbg_random, &r.drbg);
    if (ret != 0) {
        log_mbed("certificate", ret);
        e = ERR_TLS;
    }
    mbedtls_x509write_crt_free(&w);
    rng_free(&r);
    return e;
}

err_code pki_ca_new(const char *key_path, const char *cert_path,
                    const char *subject, int days)
{
    mbedtls_pk_context key;
    mbedtls_pk_init(&key);
    char pem[PKI_PEM_MAX];
    err_code e = load_key(key_path, &key);
    struct issue is = { .issuer_key = &key, .subject_key = &key,
                        .subject = subject, .kind = CERT_CA, .days = days };
    if (e == ERR_OK)
        e = issue(&is, pem, sizeof pem);
    if (e == ERR_OK)
        e = pki_file_write(cert_path, pem, strlen(pem), 0644);
    mbedtls_pk_free(&key);
    return e;
}

/* The CA's key and its certificate's subject, for signing. */
static err_code load_ca(const char *ca_key, const char *ca_cert,
                        mbedtls_pk_context *key, char *name, size_t cap)
{
    mbedtls_x509_crt crt;
    mbedtls_x509_crt_init(&crt);
    err_code e = load_key(ca_key, key);
    int ret = 0;
    if (e == ERR_OK)
        ret = mbedtls_x509_crt_parse_file(&crt, ca_cert);
    if (e == ERR_OK && ret != 0) {
        log_mbed(ca_cert, ret);
        e = ERR_IO;
    }
    if (e == ERR_OK && mbedtls_x509_dn_gets(name, cap, &crt.subject) < 0)
        e = ERR_TLS;
    mbedtls_x509_crt_free(&crt);
    return e;
}

err_code pki_server_cert(const char *ca_key, const char *ca_cert,
                         const char *key_path, const char *subject,
                         int days, const char *cert_path)
{
    return pki_server_cert_for(ca_key, ca_cert, key_path, subject, days, NULL,
                               0, cert_path);
}

err_code pki_server_cert_for(const char *ca_key, const char *ca_cert,
                             const char *key_path, const char *subject,
                             int days, const char *const *names,
                             size_t n_names, const char *cert_path)
{
    for (size_t i = 0; i < n_names; i++)
        if (!host_name_ok(names[i])) {
            log_error("pki: not a host name: \"%.64s\"", names[i]);
            return ERR_INVAL;
        }
    mbedtls_pk_context cakey, key;
    mbedtls_pk_init(&cakey);
    mbedtls_pk_init(&key);
    char name[256], pem[PKI_PEM_MAX];
    err_code e = load_ca(ca_key, ca_cert, &cakey, name, sizeof name);
    if (e == ERR_OK)
        e = load_key(key_path, &key);
    struct issue is = { .issuer_key = &cakey, .issuer_name = name,
                        .subject_key = &key, .subject = subject,
                        .kind = CERT_SERVER, .days = days, .names = names,
                        .n_names = n_names };
    if (e == ERR_OK)
        e = issue(&is, pem, sizeof pem);
    if (e == ERR_OK)
        e = pki_file_write(cert_path, pem, strlen(pem), 0644);
    mbedtls_pk_free(&key);
    mbedtls_pk_free(&cakey);
    return e;
}

err_code pki_csr_new(const char *key_path, const char *subject,
                     char *pem, size_t cap)
{
    mbedtls_pk_context key;
    mbedtls_pk_init(&key);
    mbedtls_x509write_csr w;
    mbedtls_x509write_csr_init(&w);
    struct rng r;
    err_code e = rng_init(&r);
    if (e == ERR_OK)
        e = load_key(key_path, &key);
    if (e == ERR_OK) {
        mbedtls_x509write_csr_set_key(&w, &key);
        mbedtls_x509write_csr_set_md_alg(&w, MBEDTLS_MD_SHA256);
        int ret = mbedtls_x509write_csr_set_subject_name(&w, subject);
        if (ret == 0)
            ret = mbedtls_x509write_csr_pem(&w, (unsigned char *)pem, cap,
                                            mbedtls_ctr_drbg_random, &r.drbg);
        if (ret != 0) {
            log_mbed("request", ret);
            e = ERR_TLS;
        }
    }
    mbedtls_x509write_csr_free(&w);
    mbedtls_pk_free(&key);
    rng_free(&r);
    return e;
}

/* mbedtls_x509_csr_parse does not check the signature; a request whose
 * signature does not verify proves nothing about the key. */
static err_code csr_verify(mbedtls_x509_csr *csr)
{
    if (mbedtls_pk_get_type(&csr->pk) != MBEDTLS_PK_ECKEY ||
        mbedtls_pk_ec(csr->pk)->grp.id != MBEDTLS_ECP_DP_SECP256R1)
        return ERR_INVAL;
    const mbedtls_md_info_t *md = mbedtls_md_info_from_type(csr->sig_md);
    unsigned char hash[MBEDTLS_MD_MAX_SIZE];
    if (!md || mbedtls_md(md, csr->cri.p, csr->cri.len, hash) != 0)
        return ERR_INVAL;
    if (mbedtls_pk_verify(&csr->pk, csr->sig_md, hash, 0, csr->sig.p,
                          csr->sig.len) != 0)
        return ERR_INVAL;
    return ERR_OK;
}

err_code pki_csr_sign(const char *ca_key, const char *ca_cert,
                      const char *csr_pem, size_t len, const char *subject,
                      int days, char *pem, size_t cap)
{
    if (len == 0 || len >= PKI_PEM_MAX || csr_pem[len] != '\0')
        return ERR_INVAL;
    mbedtls_x509_csr csr;
    mbedtls_x509_csr_init(&csr);
    mbedtls_pk_context cakey;
    mbedtls_pk_init(&cakey);
    char name[256];
    err_code e = ERR_OK;
    if (mbedtls_x509_csr_parse(&csr, (const unsigned char *)csr_pem,
                               len + 1) != 0 || csr_verify(&csr) != ERR_OK)
        e = ERR_INVAL;
    if (e == ERR_OK)
        e = load_ca(ca_key, ca_cert, &cakey, name, sizeof name);
    struct issue is = { .issuer_key = &cakey, .issuer_name = name,
                        .subject_key = &csr.pk, .subject = subject,
                        .kind = CERT_CLIENT, .days = days };
    if (e == ERR_OK)
        e = issue(&is, pem, cap);
    mbedtls_pk_free(&cakey);
    mbedtls_x509_csr_free(&csr);
    return e;
}

static void hex(const unsigned char *p, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[2 * len] = '\0';
}

void pki_serial_hex(const unsigned char *p, size_t len,
                    char out[PKI_SERIAL_HEX])
{
    while (len > 1 && p[0] == 0) {
        p++;
        len--;
    }
    if (len > (PKI_SERIAL_HEX - 1) / 2)
        len = (PKI_SERIAL_HEX - 1) / 2;
    hex(p, len, out);
}

err_code pki_sha256_hex(const unsigned char *der, size_t len,
                        char out[PKI_SHA256_HEX])
{
    unsigned char h[32];
    if (mbedtls_sha256_ret(der, len, h, 0) != 0) {
        out[0] = '\0';
        return ERR_TLS;
    }
    hex(h, sizeof h, out);
    return ERR_OK;
}

static err_code cert_id(const mbedtls_x509_crt *crt, struct pki_cert_id *out)
{
    pki_serial_hex(crt->serial.p, crt->serial.len, out->serial);
    return pki_sha256_hex(crt->raw.p, crt->raw.len, out->sha256);
}

err_code pki_cert_id_pem(const char *pem, size_t len, struct pki_cert_id *out)
{
    mbedtls_x509_crt crt;
    mbedtls_x509_crt_init(&crt);
    memset(out, 0, sizeof *out);
    err_code e = ERR_TLS;
    if (mbedtls_x509_crt_parse(&crt, (const unsigned char *)pem, len + 1)
        == 0)
        e = cert_id(&crt, out);
    mbedtls_x509_crt_free(&crt);
    return e;
}

static int64_t x509_ms(const mbedtls_x509_time *t)
{
    struct tm tm = { .tm_year = t->year - 1900, .tm_mon = t->mon - 1,
                     .tm_mday = t->day, .tm_hour = t->hour,
                     .tm_min = t->min, .tm_sec = t->sec };
    return (int64_t)timegm(&tm) * 1000;
}

err_code pki_cert_info(const char *path, struct pki_cert_info *out)
{
    mbedtls_x509_crt crt;
    mbedtls_x509_crt_init(&crt);
    memset(out, 0, sizeof *out);
    int ret = mbedtls_x509_crt_parse_file(&crt, path);
    if (ret != 0) {
        log_mbed(path, ret);
        mbedtls_x509_crt_free(&crt);
        return ret == MBEDTLS_ERR_PK_FILE_IO_ERROR ? ERR_IO : ERR_TLS;
    }
    out->ca = crt.ca_istrue != 0;
    out->digital_signature =
        (crt.ext_types & MBEDTLS_X509_EXT_KEY_USAGE) &&
        (crt.key_usage & MBEDTLS_X509_KU_DIGITAL_SIGNATURE);
    out->has_eku = crt.ext_types & MBEDTLS_X509_EXT_EXTENDED_KEY_USAGE;
    /* With no extension at all the check says "any use": ask only when
     * there is one. */
    out->server_auth = out->has_eku &&
        mbedtls_x509_crt_check_extended_key_usage(
            &crt, MBEDTLS_OID_SERVER_AUTH,
            MBEDTLS_OID_SIZE(MBEDTLS_OID_SERVER_AUTH)) == 0;
    out->client_auth = out->has_eku &&
        mbedtls_x509_crt_check_extended_key_usage(
            &crt, MBEDTLS_OID_CLIENT_AUTH,
            MBEDTLS_OID_SIZE(MBEDTLS_OID_CLIENT_AUTH)) == 0;
    out->not_before_ms = x509_ms(&crt.valid_from);
    out->not_after_ms = x509_ms(&crt.valid_to);
    err_code e = cert_id(&crt, &out->id);
    mbedtls_x509_crt_free(&crt);
    return e;
}
