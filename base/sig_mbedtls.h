/* base/sig_mbedtls.h - SHA-256 and the release signature (ECDSA P-256)
 * of update bundles. The only module that includes mbedTLS's pk, ecdsa
 * and sha256 headers; callers see hashes as bytes and keys as PEM files. */
#ifndef SIG_MBEDTLS_H
#define SIG_MBEDTLS_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define SIG_HASH_LEN 32
#define SIG_MAX_LEN  80         /* DER ECDSA P-256 signature: at most 72 */

struct sig_hash;

err_code sig_hash_create(struct sig_hash **out);
void     sig_hash_update(struct sig_hash *h, const void *data, size_t n);
/* Write the digest and start over, so one object hashes many files. */
void     sig_hash_finish(struct sig_hash *h, uint8_t out[SIG_HASH_LEN]);
void     sig_hash_destroy(struct sig_hash *h);      /* NULL is a no-op */

/* Hash of one buffer. */
void sig_sha256(const void *data, size_t n, uint8_t out[SIG_HASH_LEN]);
/* PBKDF2-HMAC-SHA256 of a secret into key[key_len] (the technician PIN).
 * ERR_UNSUPPORTED if the library refuses; logged. */
err_code sig_pbkdf2_sha256(const char *secret, const unsigned char *salt,
                           size_t salt_len, unsigned iterations,
                           unsigned char *key, size_t key_len);

/* Make a new P-256 key pair: the private key PEM (mode 0600, refused if
 * the file exists: a release key is never overwritten by accident) and
 * the public key PEM for the kiosks. */
err_code sig_keygen(const char *priv_path, const char *pub_path);

/* Sign a SHA-256 digest with the private key PEM at priv_path. */
err_code sig_sign(const char *priv_path, const uint8_t hash[SIG_HASH_LEN],
                  uint8_t *sig, size_t cap, size_t *len);

/* ERR_OK if sig is the release key's signature of hash. ERR_DENIED when
 * it is not; ERR_IO / ERR_INVAL when the public key cannot be read or is
 * not a P-256 key. */
err_code sig_verify(const char *pub_path, const uint8_t hash[SIG_HASH_LEN],
                    const uint8_t *sig, size_t len);

#endif
