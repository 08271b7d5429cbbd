/* base/sig_int.h - what the sig module's two files share (the file
 * keys of sig_mbedtls.c and the in-memory keys of sig_mbedtls_mem.c);
 * never included outside them. */
#ifndef SIG_INT_H
#define SIG_INT_H

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>

#include "base/err.h"

/* A DRBG seeded from the system: key generation and the blinding of
 * signatures. Close it even when opening failed. */
struct sig_rng {
    mbedtls_entropy_context  entropy;
    mbedtls_ctr_drbg_context drbg;
};

err_code sig_rng_open(struct sig_rng *r);
void     sig_rng_close(struct sig_rng *r);

#endif
