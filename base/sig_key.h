/* base/sig_key.h - ECDSA P-256 keys held in memory, part of the sig
 * module (sig_mbedtls_mem.c). A public key is parsed once and verifies
 * many messages; a private key signs. Signatures are the raw 64 bytes
 * r||s (each big-endian, 32 bytes), the form that fits a QR code; keys
 * travel as the 65-byte uncompressed point (0x04 || X || Y). */
#ifndef SIG_KEY_H
#define SIG_KEY_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define SIG_KEY_PUB_LEN 65
#define SIG_KEY_SIG_LEN 64
#define SIG_KEY_HASH_LEN 32

struct sig_key;

/* ERR_INVAL: not a point on P-256. */
err_code sig_key_public_parse(const uint8_t *point, size_t len,
                              struct sig_key **out);
/* A fresh private key from the system's entropy. */
err_code sig_key_generate(struct sig_key **out);
/* PEM (SEC1 or PKCS#8) private key file; ERR_IO unreadable, ERR_INVAL
 * not a P-256 key. */
err_code sig_key_private_load(const char *path, struct sig_key **out);
/* Write the private key as PEM, created with mode 0600 (fails with
 * ERR_IO if the file exists: a key is never overwritten). */
err_code sig_key_private_save(const struct sig_key *k, const char *path);
void     sig_key_free(struct sig_key *k);          /* NULL is a no-op */

/* The public point of any key. */
void sig_key_public_export(const struct sig_key *k,
                           uint8_t out[SIG_KEY_PUB_LEN]);

/* SHA-256 of msg. */
void sig_key_sha256(const void *msg, size_t len,
                    uint8_t out[SIG_KEY_HASH_LEN]);
/* Sign SHA-256(msg) deterministically (RFC 6979). ERR_INVAL: k has no
 * private half. */
err_code sig_key_sign(const struct sig_key *k, const void *msg, size_t len,
                      uint8_t sig[SIG_KEY_SIG_LEN]);
/* ERR_OK if sig signs SHA-256(msg) under k; ERR_DENIED if it does not. */
err_code sig_key_verify(const struct sig_key *k, const void *msg, size_t len,
                        const uint8_t sig[SIG_KEY_SIG_LEN]);
/* The same on a hash already computed: one raw ECDSA verify. */
err_code sig_key_verify_hash(const struct sig_key *k,
                             const uint8_t hash[SIG_KEY_HASH_LEN],
                             const uint8_t sig[SIG_KEY_SIG_LEN]);

#endif
