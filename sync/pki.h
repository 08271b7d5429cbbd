/* sync/pki.h - keys, certificate requests and certificates for the hub's
 * private CA (hubctl init, enrolment) and the kiosk's own key. Every key
 * is ECDSA P-256; certificates are signed with SHA-256. Private keys are
 * written with mode 0600 and never leave the machine that made them. */
#ifndef PKI_H
#define PKI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define PKI_PEM_MAX 4096            /* a P-256 certificate is ~700 bytes */

/* Ids that go into certificate names (station, device): 1-63 of
 * [A-Za-z0-9._-], so they can never smuggle in another name part. */
bool pki_id_valid(const char *id);

/* A new P-256 key at path (0600, replaced atomically). */
err_code pki_key_new(const char *path);
/* A self-signed CA certificate for the key at key_path. */
err_code pki_ca_new(const char *key_path, const char *cert_path,
                    const char *subject, int days);
/* A server certificate (for localhost and 127.0.0.1) for the key at
 * key_path, signed by the CA. Key usage digitalSignature, extended key
 * usage serverAuth: kiosks refuse a hub certificate without it. */
err_code pki_server_cert(const char *ca_key, const char *ca_cert,
                         const char *key_path, const char *subject,
                         int days, const char *cert_path);
/* The same, also valid for the host names or IPv4 addresses in names
 * (the names kiosks use to reach the hub). ERR_INVAL: a name is empty,
 * longer than 253 bytes or has characters a host name cannot have. */
err_code pki_server_cert_for(const char *ca_key, const char *ca_cert,
                             const char *key_path, const char *subject,
                             int days, const char *const *names,
                             size_t n_names, const char *cert_path);
/* A certificate request for the key at key_path, PEM into pem. */
err_code pki_csr_new(const char *key_path, const char *subject,
                     char *pem, size_t cap);
/* Check a PEM request (its signature proves the key; the key must be
 * P-256) and issue a client certificate for its key with `subject` (the
 * request's own subject is ignored): key usage digitalSignature, extended
 * key usage clientAuth (the hub refuses a kiosk certificate without it).
 * ERR_INVAL: the request is bad. */
err_code pki_csr_sign(const char *ca_key, const char *ca_cert,
                      const char *csr_pem, size_t len, const char *subject,
                      int days, char *pem, size_t cap);
/* Which certificate it is: its serial number (lowercase hex of the DER
 * integer's bytes, leading zero bytes dropped) and its SHA-256
 * fingerprint (lowercase hex of the hash of the DER certificate, what
 * `openssl x509 -fingerprint -sha256` prints without the colons). The hub
 * records both for every certificate it issues (hub_db_cert_add) and
 * checks the fingerprint of every request's certificate against them. */
#define PKI_SERIAL_HEX 41            /* 20 bytes at most, + NUL */
#define PKI_SHA256_HEX 65
struct pki_cert_id {
    char serial[PKI_SERIAL_HEX];
    char sha256[PKI_SHA256_HEX];
};
/* The ids of the (first) certificate of a PEM text of len bytes (NUL
 * after them). ERR_TLS: it does not parse. */
err_code pki_cert_id_pem(const char *pem, size_t len, struct pki_cert_id *out);
/* Lowercase hex of a serial's bytes (leading zero bytes dropped) and of
 * the SHA-256 of a DER certificate: the one spelling of both, shared by
 * pki_mbedtls.c and tls_mbedtls.c. */
void pki_serial_hex(const unsigned char *p, size_t len,
                    char out[PKI_SERIAL_HEX]);
err_code pki_sha256_hex(const unsigned char *der, size_t len,
                        char out[PKI_SHA256_HEX]);

/* What a certificate says it is for, and when (hubctl, tests). */
struct pki_cert_info {
    bool    ca;                  /* basicConstraints cA */
    bool    digital_signature;   /* keyUsage has digitalSignature */
    bool    has_eku;             /* there is an extendedKeyUsage */
    bool    server_auth;         /* ... and it names serverAuth */
    bool    client_auth;         /* ... and it names clientAuth */
    int64_t not_before_ms;       /* the validity period, Unix ms */
    int64_t not_after_ms;
    struct pki_cert_id id;       /* serial and fingerprint */
};

/* Read the (first) certificate of a PEM file. ERR_IO: no such file;
 * ERR_TLS: it does not parse. */
err_code pki_cert_info(const char *path, struct pki_cert_info *out);
/* Write data to path atomically (temp file + rename) with mode. */
err_code pki_file_write(const char *path, const void *data, size_t len,
                        int mode);

#endif
