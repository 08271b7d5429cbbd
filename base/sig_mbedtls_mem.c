/* base/sig_mbedtls_mem.c - in-memory ECDSA P-256 keys over mbedTLS
 * 2.28, for member cards: the kiosk parses a hub key once and verifies
 * many cards; the hub signs them. Together with sig_mbedtls.c this is the
 * only code that includes mbedTLS's pk/ecdsa headers; MBEDTLS_ERR_* codes
 * are logged and translated here. Must not: know what a card is. */
#include "base/sig_key.h"
#include "base/sig_int.h"

#include <stdlib.h>
#include <string.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>

#include "base/file.h"
#include "base/log.h"
#include "base/sig_mbedtls.h"
#include "base/xmalloc.h"

struct sig_key {
    mbedtls_ecp_keypair kp;
    int                 has_private;
};

static struct sig_key *key_new(void)
{
    struct sig_key *k = xcalloc(1, sizeof *k);

    mbedtls_ecp_keypair_init(&k->kp);
    if (mbedtls_ecp_group_load(&k->kp.grp, MBEDTLS_ECP_DP_SECP256R1) != 0)
        abort();        /* P-256 is compiled into every Debian mbedTLS */
    return k;
}

void sig_key_free(struct sig_key *k)
{
    if (k == NULL)
        return;
    mbedtls_ecp_keypair_free(&k->kp);
    free(k);
}

err_code sig_key_public_parse(const uint8_t *point, size_t len,
                              struct sig_key **out)
{
    struct sig_key *k = key_new();

    *out = NULL;
    if (len != SIG_KEY_PUB_LEN || point[0] != 0x04 ||
        mbedtls_ecp_point_read_binary(&k->kp.grp, &k->kp.Q, point, len) ||
        mbedtls_ecp_check_pubkey(&k->kp.grp, &k->kp.Q)) {
        sig_key_free(k);
        return ERR_INVAL;
    }
    *out = k;
    return ERR_OK;
}

err_code sig_key_generate(struct sig_key **out)
{
    struct sig_key *k;
    struct sig_rng r;
    err_code e = sig_rng_open(&r);

    *out = NULL;
    if (e != ERR_OK) {
        sig_rng_close(&r);
        return e;
    }
    k = key_new();
    if (mbedtls_ecp_gen_keypair(&k->kp.grp, &k->kp.d, &k->kp.Q,
                                mbedtls_ctr_drbg_random, &r.drbg) != 0) {
        log_error("sig: key generation failed");
        sig_key_free(k);
        k = NULL;
        e = ERR_IO;
    } else {
        k->has_private = 1;
    }
    sig_rng_close(&r);
    *out = k;
    return e;
}

/* Copy an EC key pair from a parsed pk context, P-256 only. */
static err_code from_pk(mbedtls_pk_context *pk, struct sig_key *k)
{
    const mbedtls_ecp_keypair *src;

    if (mbedtls_pk_get_type(pk) != MBEDTLS_PK_ECKEY)
        return ERR_INVAL;
    src = mbedtls_pk_ec(*pk);
    if (src->grp.id != MBEDTLS_ECP_DP_SECP256R1 ||
        mbedtls_mpi_copy(&k->kp.d, &src->d) ||
        mbedtls_ecp_copy(&k->kp.Q, &src->Q))
        return ERR_INVAL;
    k->has_private = 1;
    return ERR_OK;
}

err_code sig_key_private_load(const char *path, struct sig_key **out)
{
    mbedtls_pk_context pk;
    struct sig_key *k;
    err_code e;
    int rc;

    *out = NULL;
    mbedtls_pk_init(&pk);
    rc = mbedtls_pk_parse_keyfile(&pk, path, NULL);
    if (rc != 0) {
        log_error("sig: %s: not a private key: -0x%04x", path, (unsigned)-rc);
        mbedtls_pk_free(&pk);
        return rc == MBEDTLS_ERR_PK_FILE_IO_ERROR ? ERR_IO : ERR_INVAL;
    }
    k = key_new();
    e = from_pk(&pk, k);
    mbedtls_pk_free(&pk);
    if (e != ERR_OK) {
        log_error("sig: %s: not a P-256 key", path);
        sig_key_free(k);
        return e;
    }
    *out = k;
    return ERR_OK;
}

err_code sig_key_private_save(const struct sig_key *k, const char *path)
{
    mbedtls_pk_context pk;
    unsigned char pem[1024];
    err_code e = ERR_INVAL;

    if (!k->has_private)
        return ERR_INVAL;
    mbedtls_pk_init(&pk);
    if (mbedtls_pk_setup(&pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY))
        == 0 &&
        mbedtls_ecp_group_load(&mbedtls_pk_ec(pk)->grp,
                               MBEDTLS_ECP_DP_SECP256R1) == 0 &&
        mbedtls_mpi_copy(&mbedtls_pk_ec(pk)->d, &k->kp.d) == 0 &&
        mbedtls_ecp_copy(&mbedtls_pk_ec(pk)->Q, &k->kp.Q) == 0 &&
        mbedtls_pk_write_key_pem(&pk, pem, sizeof pem) == 0)
        e = file_write_new(path, pem, strlen((const char *)pem), 0600);
    mbedtls_platform_zeroize(pem, sizeof pem);
    mbedtls_pk_free(&pk);
    return e;
}

void sig_key_public_export(const struct sig_key *k,
                           uint8_t out[SIG_KEY_PUB_LEN])
{
    size_t olen = 0;

    if (mbedtls_ecp_point_write_binary(&k->kp.grp, &k->kp.Q,
                                       MBEDTLS_ECP_PF_UNCOMPRESSED, &olen,
                                       out, SIG_KEY_PUB_LEN) != 0 ||
        olen != SIG_KEY_PUB_LEN)
        abort();        /* a key we hold is always a valid point */
}

void sig_key_sha256(const void *msg, size_t len,
                    uint8_t out[SIG_KEY_HASH_LEN])
{
    sig_sha256(msg, len, out);          /* the sig module's one SHA-256 */
}

err_code sig_key_sign(const struct sig_key *k, const void *msg, size_t len,
                      uint8_t sig[SIG_KEY_SIG_LEN])
{
    uint8_t hash[SIG_KEY_HASH_LEN];
    mbedtls_mpi r, s;
    struct sig_rng rg;
    err_code e;

    if (!k->has_private)
        return ERR_INVAL;
    e = sig_rng_open(&rg);
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    sig_key_sha256(msg, len, hash);
    if (e == ERR_OK &&
        (mbedtls_ecdsa_sign_det_ext((mbedtls_ecp_group *)&k->kp.grp, &r, &s,
                                    &k->kp.d, hash, sizeof hash,
                                    MBEDTLS_MD_SHA256,
                                    mbedtls_ctr_drbg_random, &rg.drbg) ||
         mbedtls_mpi_write_binary(&r, sig, 32) ||
         mbedtls_mpi_write_binary(&s, sig + 32, 32))) {
        log_error("sig: signing failed");
        e = ERR_IO;
    }
    mbedtls_mpi_free(&s);
    mbedtls_mpi_free(&r);
    sig_rng_close(&rg);
    return e;
}

err_code sig_key_verify_hash(const struct sig_key *k,
                             const uint8_t hash[SIG_KEY_HASH_LEN],
                             const uint8_t sig[SIG_KEY_SIG_LEN])
{
    mbedtls_mpi r, s;
    int rc;

    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    rc = mbedtls_mpi_read_binary(&r, sig, 32);
    if (rc == 0)
        rc = mbedtls_mpi_read_binary(&s, sig + 32, 32);
    if (rc == 0)
        rc = mbedtls_ecdsa_verify((mbedtls_ecp_group *)&k->kp.grp, hash,
                                  SIG_KEY_HASH_LEN, &k->kp.Q, &r, &s);
    mbedtls_mpi_free(&s);
    mbedtls_mpi_free(&r);
    return rc == 0 ? ERR_OK : ERR_DENIED;
}

err_code sig_key_verify(const struct sig_key *k, const void *msg, size_t len,
                        const uint8_t sig[SIG_KEY_SIG_LEN])
{
    uint8_t hash[SIG_KEY_HASH_LEN];

    sig_key_sha256(msg, len, hash);
    return sig_key_verify_hash(k, hash, sig);
}
