/* base/sig_mbedtls.c - hashing and ECDSA P-256 for bundles, over
 * mbedTLS 2.28. MBEDTLS_ERR_* codes are logged and translated here and
 * nowhere else. Keys are read from PEM files on every call: signing and
 * verifying are rare (a release, an update) and nothing secret stays in
 * memory between them. */
#include "base/sig_mbedtls.h"
#include "base/sig_int.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecp.h>
#include <mbedtls/md.h>
#include <mbedtls/pkcs5.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/sha256.h>

#include "base/file.h"
#include "base/log.h"
#include "base/xmalloc.h"

struct sig_hash {
    mbedtls_sha256_context ctx;
};

static void log_mbed(const char *what, int rc)
{
    char buf[128];

    mbedtls_strerror(rc, buf, sizeof buf);
    log_error("sig: %s: %s (-0x%04x)", what, buf, (unsigned)-rc);
}

err_code sig_hash_create(struct sig_hash **out)
{
    struct sig_hash *h = xcalloc(1, sizeof *h);

    mbedtls_sha256_init(&h->ctx);
    mbedtls_sha256_starts_ret(&h->ctx, 0);
    *out = h;
    return ERR_OK;
}

void sig_hash_update(struct sig_hash *h, const void *data, size_t n)
{
    mbedtls_sha256_update_ret(&h->ctx, data, n);
}

void sig_hash_finish(struct sig_hash *h, uint8_t out[SIG_HASH_LEN])
{
    mbedtls_sha256_finish_ret(&h->ctx, out);
    mbedtls_sha256_starts_ret(&h->ctx, 0);
}

void sig_hash_destroy(struct sig_hash *h)
{
    if (h == NULL)
        return;
    mbedtls_sha256_free(&h->ctx);
    free(h);
}

void sig_sha256(const void *data, size_t n, uint8_t out[SIG_HASH_LEN])
{
    mbedtls_sha256_ret(data, n, out, 0);
}

err_code sig_rng_open(struct sig_rng *r)
{
    static const char pers[] = "kiosk-sig";
    int rc;

    mbedtls_entropy_init(&r->entropy);
    mbedtls_ctr_drbg_init(&r->drbg);
    rc = mbedtls_ctr_drbg_seed(&r->drbg, mbedtls_entropy_func, &r->entropy,
                               (const unsigned char *)pers, sizeof pers - 1);
    if (rc != 0) {
        log_mbed("seeding the random generator", rc);
        return ERR_IO;
    }
    return ERR_OK;
}

void sig_rng_close(struct sig_rng *r)
{
    mbedtls_ctr_drbg_free(&r->drbg);
    mbedtls_entropy_free(&r->entropy);
}

static err_code write_keys(mbedtls_pk_context *pk, const char *priv_path,
                           const char *pub_path)
{
    unsigned char pem[1024];
    int rc = mbedtls_pk_write_key_pem(pk, pem, sizeof pem);
    err_code e;

    if (rc != 0) {
        log_mbed("writing the private key", rc);
        return ERR_INVAL;
    }
    /* New files only: an existing key is never overwritten. */
    e = file_write_new(priv_path, pem, strlen((const char *)pem), 0600);
    mbedtls_platform_zeroize(pem, sizeof pem);
    if (e != ERR_OK)
        return e;
    rc = mbedtls_pk_write_pubkey_pem(pk, pem, sizeof pem);
    if (rc != 0) {
        log_mbed("writing the public key", rc);
        return ERR_INVAL;
    }
    return file_write_new(pub_path, pem, strlen((const char *)pem), 0644);
}

err_code sig_keygen(const char *priv_path, const char *pub_path)
{
    mbedtls_pk_context pk;
    struct sig_rng r;
    err_code e;
    int rc;

    mbedtls_pk_init(&pk);
    e = sig_rng_open(&r);
    if (e != ERR_OK)
        goto fail;
    rc = mbedtls_pk_setup(&pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
    if (rc == 0)
        rc = mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(pk),
                                 mbedtls_ctr_drbg_random, &r.drbg);
    if (rc != 0) {
        log_mbed("generating the key", rc);
        e = ERR_INVAL;
        goto fail;
    }
    e = write_keys(&pk, priv_path, pub_path);
fail:
    sig_rng_close(&r);
    mbedtls_pk_free(&pk);
    return e;
}

/* Only a P-256 EC key is a release key. */
static err_code check_p256(mbedtls_pk_context *pk, const char *path)
{
    if (mbedtls_pk_get_type(pk) != MBEDTLS_PK_ECKEY ||
        mbedtls_pk_ec(*pk)->grp.id != MBEDTLS_ECP_DP_SECP256R1) {
        log_error("sig: %s is not an ECDSA P-256 key", path);
        return ERR_INVAL;
    }
    return ERR_OK;
}

/* Parse a PEM key file (private or public) and insist on P-256. */
static err_code load_p256(mbedtls_pk_context *pk, const char *path,
                          bool private)
{
    int rc = private ? mbedtls_pk_parse_keyfile(pk, path, NULL)
                     : mbedtls_pk_parse_public_keyfile(pk, path);

    if (rc != 0) {
        log_mbed(path, rc);
        return rc == MBEDTLS_ERR_PK_FILE_IO_ERROR ? ERR_IO : ERR_INVAL;
    }
    return check_p256(pk, path);
}

err_code sig_sign(const char *priv_path, const uint8_t hash[SIG_HASH_LEN],
                  uint8_t *sig, size_t cap, size_t *len)
{
    mbedtls_pk_context pk;
    unsigned char buf[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
    struct sig_rng r;
    err_code e;
    int rc;

    mbedtls_pk_init(&pk);
    e = sig_rng_open(&r);
    if (e != ERR_OK)
        goto fail;
    e = load_p256(&pk, priv_path, true);
    if (e != ERR_OK)
        goto fail;
    rc = mbedtls_pk_sign(&pk, MBEDTLS_MD_SHA256, hash, SIG_HASH_LEN, buf,
                         len, mbedtls_ctr_drbg_random, &r.drbg);
    if (rc != 0 || *len > cap) {
        log_mbed("signing", rc);
        e = ERR_INVAL;
        goto fail;
    }
    memcpy(sig, buf, *len);
fail:
    sig_rng_close(&r);
    mbedtls_pk_free(&pk);
    return e;
}

err_code sig_verify(const char *pub_path, const uint8_t hash[SIG_HASH_LEN],
                    const uint8_t *sig, size_t len)
{
    mbedtls_pk_context pk;
    err_code e;

    mbedtls_pk_init(&pk);
    e = load_p256(&pk, pub_path, false);
    if (e == ERR_OK)
        e = mbedtls_pk_verify(&pk, MBEDTLS_MD_SHA256, hash, SIG_HASH_LEN, sig,
                              len) == 0 ? ERR_OK : ERR_DENIED;
    mbedtls_pk_free(&pk);
    return e;
}

err_code sig_pbkdf2_sha256(const char *secret, const unsigned char *salt,
                           size_t salt_len, unsigned iterations,
                           unsigned char *key, size_t key_len)
{
    mbedtls_md_context_t md;
    int rc;

    mbedtls_md_init(&md);
    rc = mbedtls_md_setup(&md, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256),
                          1);
    if (rc == 0)
        rc = mbedtls_pkcs5_pbkdf2_hmac(&md, (const unsigned char *)secret,
                                       strlen(secret), salt, salt_len,
                                       iterations, (uint32_t)key_len, key);
    mbedtls_md_free(&md);
    if (rc != 0) {
        log_error("pbkdf2 failed (-0x%04x)", (unsigned)-rc);
        return ERR_UNSUPPORTED;
    }
    return ERR_OK;
}
